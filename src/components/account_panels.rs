//! The panels both realms' account pages share: "Change password" and
//! "Where you are signed in".

use leptos::prelude::*;

use crate::{
    api::realm_endpoints::RealmEndpoints,
    components::{
        endpoint_form::EndpointForm, live_gate::RefreshOnLiveChange, password_fields::ChangePasswordFields,
        sessions_table::SessionsTable, submission_error,
    },
};

/// The realm's password change and own-sessions panels (must sit inside a
/// realm frame; the frame may draw them again), and whether the password
/// was just changed here.
pub fn own_account_panels<R: RealmEndpoints>() -> (Signal<bool>, impl Fn() -> AnyView + Copy + Send + Sync) {
    let end_one = ServerAction::<R::EndSession>::new();
    let end_others = ServerAction::<R::EndOtherSessions>::new();
    let change = ServerAction::<R::ChangePassword>::new();
    let change_error = submission_error(change.value());
    let changed = Signal::derive(move || matches!(change.value().get(), Some(Ok(()))));
    let sessions = Resource::new(
        move || (end_one.version().get(), end_others.version().get(), change.version().get()),
        |_| R::own_sessions(),
    );
    let panels = move || {
        view! {
        <RefreshOnLiveChange refetch=move || sessions.refetch() />
        <section class="panel">
            <h2>"Change password"</h2>
            <EndpointForm action=change class="stack narrow">
                <ChangePasswordFields error=change_error done=changed />
            </EndpointForm>
        </section>
        <section class="panel">
            <div class="panel-head">
                <h2>"Where you are signed in"</h2>
                <EndpointForm action=end_others class="inline">
                    <button type="submit" class="small">"Sign out other sessions"</button>
                </EndpointForm>
            </div>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => view! {
                            <SessionsTable sessions=list actions=move |s| {
                                let label = format!("Sign out {}, last seen {}", s.browser, s.last_seen);
                                (!s.current).then(|| view! {
                                    <EndpointForm action=end_one class="inline">
                                        <input type="hidden" name="key" value=s.key.clone() />
                                        <button type="submit" class="small danger" aria-label=label>"Sign out"</button>
                                    </EndpointForm>
                                })
                            } />
                        }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        }
        .into_any()
    };
    (changed, panels)
}
