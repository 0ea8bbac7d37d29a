//! `/password-reset` and `/password-reset/confirm`: a resident who forgot the password
//! asks for a link by mail, then sets a new one.

use leptos::prelude::*;

use crate::{
    api::user::{password_reset_link, RequestPasswordReset, ResetPassword},
    components::{
        password_fields::{reset_sent, NewPasswordFields, ResetCard, ResetLinkGate, ResetRequestFields},
        submission_error,
    },
    realm::Realm,
};

/// `/password-reset`: "Send reset link".
#[component]
pub fn PasswordResetPage() -> impl IntoView {
    let request = ServerAction::<RequestPasswordReset>::new();
    let error = submission_error(request.value());
    let sent = reset_sent(request.value());
    view! {
        <ResetCard realm=Realm::User title="Reset your password">
            <p class="lead">"Enter your account's email and we will send you a link to choose a new password."</p>
            <ActionForm action=request attr:class="stack">
                <ResetRequestFields error sent pending=request.pending() />
            </ActionForm>
            <p class="aside"><a href=Realm::User.login_path()>"Back to sign in"</a></p>
        </ResetCard>
    }
}

/// `/password-reset/confirm`: "Set new password", for the link opened in this browser.
#[component]
pub fn PasswordResetConfirmPage() -> impl IntoView {
    let reset = ServerAction::<ResetPassword>::new();
    let error = submission_error(reset.value());
    let link = Resource::new(|| (), |_| password_reset_link());
    let form = move || {
        view! {
            <ActionForm action=reset attr:class="stack">
                <NewPasswordFields error pending=reset.pending() />
            </ActionForm>
        }
    };
    view! {
        <ResetCard realm=Realm::User title="Set new password">
            <ResetLinkGate realm=Realm::User link form />
        </ResetCard>
    }
}
