//! The staff member's password: changed on `/admin/account`, or reset by
//! mail from `/admin/password-reset`.

use leptos::prelude::*;

use crate::error::AppError;

/// Changes the staff member's password (the current one is required); this
/// session stays signed in, the others end if asked.
#[server(prefix = "/api/admin", endpoint = "change_password")]
pub async fn staff_change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
    sign_out_others: Option<String>,
) -> Result<(), AppError> {
    crate::server::credentials::change_password_endpoint::<crate::realm::AdminRealm>(
        current_password,
        new_password,
        confirm_password,
        sign_out_others,
    )
    .await
}

/// Mails a password reset link to the staff with this email, if there is
/// one; the answer is the same either way.
#[server(prefix = "/api/admin", endpoint = "request_password_reset")]
pub async fn staff_request_password_reset(email: String) -> Result<(), AppError> {
    crate::server::password_reset::request_endpoint::<crate::realm::AdminRealm>(&email).await
}

/// The email whose password the reset link opened in this browser resets.
#[server(prefix = "/api/admin", endpoint = "password_reset_link")]
pub async fn staff_password_reset_link() -> Result<String, AppError> {
    crate::server::password_reset::link_endpoint::<crate::realm::AdminRealm>().await
}

/// Sets a new password with the reset link opened in this browser. Signs
/// nobody in; ends the account's other staff sessions if asked.
#[server(prefix = "/api/admin", endpoint = "reset_password")]
pub async fn staff_reset_password(
    new_password: String,
    confirm_password: String,
    sign_out_others: Option<String>,
) -> Result<(), AppError> {
    crate::server::password_reset::confirm_endpoint::<crate::realm::AdminRealm>(
        new_password,
        confirm_password,
        sign_out_others,
    )
    .await
}
