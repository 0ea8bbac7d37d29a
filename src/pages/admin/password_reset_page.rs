//! `/admin/password-reset` and `/admin/password-reset/confirm`: staff who forgot their password
//! ask for a link by mail, then set a new one.

use leptos::prelude::*;

use crate::{
    api::admin::{staff_password_reset_link, StaffRequestPasswordReset, StaffResetPassword},
    components::{
        password_fields::{reset_sent, NewPasswordFields, ResetCard, ResetLinkGate, ResetRequestFields},
        submission_error,
    },
    realm::Realm,
};

/// `/admin/password-reset`: "Send reset link".
#[component]
pub fn StaffPasswordResetPage() -> impl IntoView {
    let request = ServerAction::<StaffRequestPasswordReset>::new();
    let error = submission_error(request.value());
    let sent = reset_sent(request.value());
    view! {
        <ResetCard realm=Realm::Admin title="Reset your password">
            <p class="lead">"Enter your account's email and we will send you a link to choose a new password."</p>
            <ActionForm action=request attr:class="stack">
                <ResetRequestFields error sent pending=request.pending() />
            </ActionForm>
            <p class="aside"><a href=Realm::Admin.login_path()>"Back to sign in"</a></p>
        </ResetCard>
    }
}

/// `/admin/password-reset/confirm`: "Set new password", for the link opened in this browser.
#[component]
pub fn StaffPasswordResetConfirmPage() -> impl IntoView {
    let reset = ServerAction::<StaffResetPassword>::new();
    let error = submission_error(reset.value());
    let link = Resource::new(|| (), |_| staff_password_reset_link());
    let form = move || {
        view! {
            <ActionForm action=reset attr:class="stack">
                <NewPasswordFields error pending=reset.pending() />
            </ActionForm>
        }
    };
    view! {
        <ResetCard realm=Realm::Admin title="Set new password">
            <ResetLinkGate realm=Realm::Admin link form />
        </ResetCard>
    }
}
