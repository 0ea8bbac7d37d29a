//! The resident's password, changed on `/account`.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::api::respond;

/// Changes the resident's password (the current one is required); this
/// session stays signed in, the others end if asked.
#[server(prefix = "/api/user", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
    sign_out_others: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{api, credentials};
    respond(
        async {
            let (state, session, resident) = api::require_resident().await?;
            let change = credentials::PasswordChange {
                current: &current_password,
                new: &new_password,
                confirm: &confirm_password,
                sign_out_others: sign_out_others.is_some(),
            };
            credentials::change_password(
                &state,
                &session,
                resident.id,
                &resident.email,
                &resident.name,
                change,
            )
            .await
        }
        .await,
    )
}
