use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::{
    api::admin::current_admin,
    components::{
        account_panels::own_account_panels, passkeys::passkey_panel, two_step::two_step_panel, StaffFrame,
    },
    realm::AdminRealm,
};

/// `/admin/account`: the staff member's details and signed-in sessions.
#[component]
pub fn StaffAccountPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    let (changed, panels) = own_account_panels::<AdminRealm>();
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
    // Once a required second factor is on, the console is one click away
    // (not at once: the recovery codes are on this page, to be saved).
    let had_to_set_up = RwSignal::new(false);
    Effect::new(move || {
        if me.get().and_then(Result::ok).is_some_and(|s| s.two_step_required) {
            had_to_set_up.set(true);
        }
    });
    let set_up_now = move || {
        let came_to_set_up = had_to_set_up.get() || query.read().get("two_step").is_some();
        came_to_set_up
            && me.get().and_then(Result::ok).is_some_and(|s| !s.two_step_required && !s.must_change_password)
    };
    let navigate = use_navigate();
    Effect::new(move || {
        if changed.get() && had_temporary.get_untracked() {
            navigate("/admin", Default::default());
        }
    });
    view! {
        <Title text="Account" />
        <StaffFrame me>
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
            {move || set_up_now().then(|| view! {
                <p class="notice success" role="status" data-testid="two-step-done">
                    "Two-step sign-in is on. Save your recovery codes below, then "
                    <a href="/admin">"continue to the console"</a> "."
                </p>
            })}
            {panels()}
            {two_step_panel::<AdminRealm>()}
            {passkey_panel::<AdminRealm>()}
        </StaffFrame>
    }
}
