use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::admin::{
        current_admin, staff_sessions, StaffChangePassword, StaffEndOtherSessions, StaffEndSession,
    },
    components::{
        live_gate::RefreshOnLiveChange, sessions_table::SessionsTable, submission_error, StaffFrame,
    },
    pages::password_fields::ChangePasswordFields,
};

/// `/admin/account`: the staff member's details and signed-in sessions.
#[component]
pub fn StaffAccountPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    let end_one = ServerAction::<StaffEndSession>::new();
    let end_others = ServerAction::<StaffEndOtherSessions>::new();
    let change = ServerAction::<StaffChangePassword>::new();
    let change_error = submission_error(change.value());
    let changed = Signal::derive(move || matches!(change.value().get(), Some(Ok(()))));
    let sessions = Resource::new(
        move || (end_one.version().get(), end_others.version().get(), change.version().get()),
        |_| staff_sessions(),
    );
    view! {
        <Title text="Account" />
        <StaffFrame me>
            <RefreshOnLiveChange refetch=move || sessions.refetch() />
            <div class="page-head">
                <h1>"Account"</h1>
                {move || me.get().and_then(Result::ok).map(|s| view! {
                    <p class="lede">{s.name} " · " {s.email} " · " {s.role.label()}</p>
                })}
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
        </StaffFrame>
    }
}
