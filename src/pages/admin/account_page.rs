use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::{
    api::admin::{
        current_admin, staff_sessions, StaffChangePassword, StaffEndOtherSessions, StaffEndSession,
    },
    components::{
        live_gate::RefreshOnLiveChange, password_fields::ChangePasswordFields, sessions_table::SessionsTable,
        submission_error, StaffFrame,
    },
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
    // A temporary password must be replaced first (the frame sends every
    // other console page here with `?required`). The account is the
    // authority once loaded; the query covers the moment before.
    let query = use_query_map();
    let required = move || match me.get() {
        Some(Ok(staff)) => staff.must_change_password,
        _ => query.read().get("required").is_some(),
    };
    // Once the temporary password is replaced, the console opens.
    let had_temporary = RwSignal::new(false);
    Effect::new(move || {
        if me.get().and_then(Result::ok).is_some_and(|s| s.must_change_password) {
            had_temporary.set(true);
        }
    });
    let navigate = use_navigate();
    Effect::new(move || {
        if changed.get() && had_temporary.get_untracked() {
            navigate("/admin", Default::default());
        }
    });
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
            {move || required().then(|| view! {
                <div class="notice" role="status" data-testid="password-change-required">
                    <p><strong>"Choose your own password first."</strong></p>
                    <p>
                        "You signed in with a temporary password. Change it below before using the console: "
                        "the other console pages open once it is changed."
                    </p>
                </div>
            })}
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
