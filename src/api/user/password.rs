//! The resident's password: changed on `/account`, or reset by mail from
//! `/password-reset`.

use leptos::prelude::*;

use crate::error::AppError;

/// Changes the resident's password (the current one is required); this
/// session stays signed in, the others end if asked.
#[server(prefix = "/api/user", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
    sign_out_others: Option<String>,
) -> Result<(), AppError> {
    crate::server::credentials::change_password_endpoint::<crate::realm::UserRealm>(
        current_password,
        new_password,
        confirm_password,
        sign_out_others,
    )
    .await
}

/// Mails a password reset link to the resident with this email, if there is
/// one; the answer is the same either way.
#[server(prefix = "/api/user", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    crate::server::password_reset::request_endpoint::<crate::realm::UserRealm>(&email).await
}

/// The email whose password the reset link opened in this browser resets.
#[server(prefix = "/api/user", endpoint = "password_reset_link")]
pub async fn password_reset_link() -> Result<String, AppError> {
    crate::server::password_reset::link_endpoint::<crate::realm::UserRealm>().await
}

/// Sets a new password with the reset link opened in this browser. Signs
/// nobody in; ends the account's other resident sessions if asked.
#[server(prefix = "/api/user", endpoint = "reset_password")]
pub async fn reset_password(
    new_password: String,
    confirm_password: String,
    sign_out_others: Option<String>,
) -> Result<(), AppError> {
    crate::server::password_reset::confirm_endpoint::<crate::realm::UserRealm>(
        new_password,
        confirm_password,
        sign_out_others,
    )
    .await
}
