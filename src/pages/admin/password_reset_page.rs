//! `/admin/password-reset` and `/admin/password-reset/confirm`: staff who forgot their password
//! ask for a link by mail, then set a new one.

use leptos::prelude::*;

use crate::{
    components::password_fields::{reset_confirm_page, reset_request_page},
    realm::AdminRealm,
};

/// `/admin/password-reset`: "Send reset link".
#[component]
pub fn StaffPasswordResetPage() -> impl IntoView {
    reset_request_page::<AdminRealm>()
}

/// `/admin/password-reset/confirm`: "Set new password", for the link opened in this browser.
#[component]
pub fn StaffPasswordResetConfirmPage() -> impl IntoView {
    reset_confirm_page::<AdminRealm>()
}
