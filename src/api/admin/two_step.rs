//! Staff two-step sign-in: the code step of `/admin/login`, and the panel
//! of `/admin/account`. Touches only the admin-realm session.

use leptos::prelude::*;

use crate::{
    error::AppError,
    wire::{passkeys::SecondStepWays, two_step::TwoStepState},
};
#[cfg(feature = "ssr")]
use crate::{
    realm::AdminRealm,
    server::{endpoint::Staff, two_factor},
};

/// Whether a staff sign-in waits for its code in this browser.
#[server(prefix = "/api/admin", endpoint = "second_step_pending")]
pub async fn staff_second_step_pending() -> Result<Option<SecondStepWays>, AppError> {
    two_factor::pending_endpoint::<AdminRealm>().await
}

/// The second step of a staff sign-in: a code from the app or a recovery
/// code. Signs in (new session id) and opens where the password step was
/// headed.
#[server(prefix = "/api/admin", endpoint = "second_step")]
pub async fn staff_second_step(code: String) -> Result<(), AppError> {
    two_factor::second_step_endpoint::<AdminRealm>(&code).await
}

/// The staff member's two-step panel.
#[server(prefix = "/api/admin", endpoint = "two_step")]
pub async fn staff_two_step() -> Result<TwoStepState, AppError> {
    crate::server::endpoint::as_admin_even_temporary(move |Staff { state, session, admin: a }| async move {
        two_factor::panel(&state, &session, a.id, &a.email).await
    })
    .await
}

/// Starts setting up an authenticator app (a new key offered to this browser).
#[server(prefix = "/api/admin", endpoint = "two_step_begin")]
pub async fn staff_two_step_begin() -> Result<(), AppError> {
    crate::server::endpoint::as_admin_even_temporary(move |Staff { state, session, admin: a }| async move {
        two_factor::begin_setup(&state, &session, a.id).await
    })
    .await
}

/// Gives up the set-up in progress.
#[server(prefix = "/api/admin", endpoint = "two_step_cancel")]
pub async fn staff_two_step_cancel() -> Result<(), AppError> {
    crate::server::endpoint::as_admin_even_temporary(move |Staff { session, .. }| async move {
        two_factor::cancel_setup(&session).await
    })
    .await
}

/// The new recovery codes are saved: the page stops showing them.
#[server(prefix = "/api/admin", endpoint = "two_step_codes_saved")]
pub async fn staff_two_step_codes_saved() -> Result<(), AppError> {
    crate::server::endpoint::as_admin_even_temporary(move |Staff { session, .. }| async move {
        two_factor::codes_saved(&session).await
    })
    .await
}

/// Confirms the set-up with a code from the app.
#[server(prefix = "/api/admin", endpoint = "two_step_confirm")]
pub async fn staff_two_step_confirm(code: String) -> Result<(), AppError> {
    crate::server::endpoint::as_admin_even_temporary(move |Staff { state, session, admin: a }| async move {
        two_factor::confirm_setup(&state, &session, a.id, &a.email, &code).await
    })
    .await
}

/// New recovery codes (a current code proves the owner).
#[server(prefix = "/api/admin", endpoint = "two_step_recovery_codes")]
pub async fn staff_two_step_recovery_codes(code: String) -> Result<(), AppError> {
    crate::server::endpoint::as_admin_even_temporary(move |Staff { state, session, admin: a }| async move {
        two_factor::renew_recovery_codes(&state, &session, a.id, &a.email, &code).await
    })
    .await
}

/// Turns two-step sign-in off, when the office does not require it.
#[server(prefix = "/api/admin", endpoint = "two_step_disable")]
pub async fn staff_two_step_disable(code: String, sign_out_others: Option<String>) -> Result<(), AppError> {
    crate::server::endpoint::as_admin_even_temporary(move |Staff { state, session, admin: a }| async move {
        two_factor::disable(&state, &session, a.id, &a.email, &code, sign_out_others.is_some()).await
    })
    .await
}
