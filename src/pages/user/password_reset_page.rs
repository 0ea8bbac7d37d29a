//! `/password-reset` and `/password-reset/confirm`: a resident who forgot the password
//! asks for a link by mail, then sets a new one.

use leptos::prelude::*;

use crate::{
    components::password_fields::{reset_confirm_page, reset_request_page},
    realm::UserRealm,
};

/// `/password-reset`: "Send reset link".
#[component]
pub fn PasswordResetPage() -> impl IntoView {
    reset_request_page::<UserRealm>()
}

/// `/password-reset/confirm`: "Set new password", for the link opened in this browser.
#[component]
pub fn PasswordResetConfirmPage() -> impl IntoView {
    reset_confirm_page::<UserRealm>()
}
