use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::user::{current_resident, my_sessions, ChangePassword, EndMySession, EndOtherSessions},
    components::{
        live_gate::RefreshOnLiveChange, password_fields::ChangePasswordFields, sessions_table::SessionsTable,
        submission_error, ResidentFrame,
    },
};

/// `/account`: the resident's details and signed-in sessions.
#[component]
pub fn AccountPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_resident());
    let end_one = ServerAction::<EndMySession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let change = ServerAction::<ChangePassword>::new();
    let change_error = submission_error(change.value());
    let changed = Signal::derive(move || matches!(change.value().get(), Some(Ok(()))));
    let sessions = Resource::new(
        move || (end_one.version().get(), end_others.version().get(), change.version().get()),
        |_| my_sessions(),
    );
    view! {
        <Title text="Account" />
        <ResidentFrame me>
            <RefreshOnLiveChange refetch=move || sessions.refetch() />
            <div class="page-head">
                <h1>"Account"</h1>
                {move || me.get().and_then(Result::ok).map(|r| view! { <p class="lede">{r.name} " · " {r.email}</p> })}
            </div>
            <section class="panel">
                <h2>"Change password"</h2>
                <ActionForm action=change attr:class="stack narrow">
                    <ChangePasswordFields error=change_error done=changed />
                </ActionForm>
            </section>
            <section class="panel">
                <div class="panel-head">
                    <h2>"Where you are signed in"</h2>
                    <ActionForm action=end_others attr:class="inline">
                        <button type="submit" class="small">"Sign out other sessions"</button>
                    </ActionForm>
                </div>
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match sessions.await {
                            Ok(list) => view! {
                                <SessionsTable sessions=list actions=move |s| {
                                    let label = format!("Sign out {}, last seen {}", s.browser, s.last_seen);
                                    (!s.current).then(|| view! {
                                        <ActionForm action=end_one attr:class="inline">
                                            <input type="hidden" name="key" value=s.key.clone() />
                                            <button type="submit" class="small danger" aria-label=label>"Sign out"</button>
                                        </ActionForm>
                                    })
                                } />
                            }.into_any(),
                            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </ResidentFrame>
    }
}
