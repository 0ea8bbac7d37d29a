//! Glue between server functions and the server: state, realm sessions,
//! guards, and errors answered with the right HTTP status.

use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use super::{
    auth::{AdminSession, RealmSession, SignedIn, UserSession},
    db::{self, admins::AdminRow, residents::ResidentRow},
    state::AppState,
};
use crate::{
    domain::{AccountStatus, AdminRole},
    error::AppError,
    realm::RealmMarker,
};

/// The shared state, provided as context to every server function.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

/// Realm `R`'s session of the current request.
pub async fn session<R: RealmMarker>() -> Result<RealmSession<R>, AppError> {
    leptos_axum::extract::<RealmSession<R>>().await.map_err(|e| internal("realm session", e))
}

/// Logs an internal failure with its cause and returns the generic error.
pub fn internal(context: &str, err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "{context} failed");
    AppError::Internal
}

/// Sets the response status for an error (called for every error a server
/// function returns, including argument errors raised before it runs).
pub fn set_error_status(err: &AppError) {
    if let Some(res) = use_context::<ResponseOptions>() {
        if let Ok(status) = axum::http::StatusCode::from_u16(err.status()) {
            res.set_status(status);
        }
    }
}

/// Passes a server function's result through, giving errors their status.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        set_error_status(err);
    }
    result
}

/// The signed-in, approved resident, or `Unauthenticated`. A session whose
/// account is no longer approved is ended on the spot.
pub async fn require_resident() -> Result<(AppState, UserSession, ResidentRow), AppError> {
    let state = state()?;
    let session = session().await?;
    let SignedIn { account_id, .. } = session.signed_in().await?.ok_or(AppError::Unauthenticated)?;
    let resident =
        db::residents::find(&state.db, account_id).await.map_err(|e| internal("load resident", e))?;
    match resident {
        Some(r) if r.status == AccountStatus::Approved => Ok((state, session, r)),
        _ => {
            session.sign_out().await?;
            Err(AppError::Unauthenticated)
        }
    }
}

/// The signed-in, active staff member whose role passes `allowed`.
pub async fn require_admin(
    allowed: impl Fn(AdminRole) -> bool,
) -> Result<(AppState, AdminSession, AdminRow), AppError> {
    let state = state()?;
    let session = session().await?;
    let SignedIn { account_id, .. } = session.signed_in().await?.ok_or(AppError::Unauthenticated)?;
    let admin = db::admins::find(&state.db, account_id).await.map_err(|e| internal("load admin", e))?;
    match admin {
        Some(a) if a.active => {
            if allowed(a.role) {
                Ok((state, session, a))
            } else {
                Err(AppError::Forbidden)
            }
        }
        _ => {
            session.sign_out().await?;
            Err(AppError::Unauthenticated)
        }
    }
}
