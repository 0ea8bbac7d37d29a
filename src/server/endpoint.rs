//! What every server-function endpoint uses: state, realm sessions,
//! guards, and errors answered with the right HTTP status.

use std::future::Future;

use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use super::{
    auth::{AdminSession, RealmSession, SignedIn, UserSession},
    db::{admins::AdminRow, residents::ResidentRow},
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

/// Realm `R`'s session of the current request. Read from the request's
/// parts in place: `leptos_axum::extract` and `use_context` clone all of
/// them (every header and extension), and a page asks several times.
pub async fn session<R: RealmMarker>() -> Result<RealmSession<R>, AppError> {
    with_context::<axum::http::request::Parts, _>(|parts| parts.extensions.get::<RealmSession<R>>().cloned())
        .flatten()
        .ok_or_else(|| internal("realm session", "the realm's session layer is missing"))
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
        if let Some(seconds) = err.retry_after() {
            res.insert_header(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(seconds.max(1)));
        }
    }
}

/// Passes a server function's result through, giving errors their status.
///
/// A plain HTML form post (no WASM yet, or none at all) cannot show an error
/// response: it is sent back to the form's page instead, with the error in
/// the `form_error` query parameter, which the page displays.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    respond_from(None, result)
}

/// Like [`respond`], for a form whose page sends no `Referer` (the password
/// reset pages): a failed plain post goes back to `page`.
pub fn respond_from<T>(page: Option<&str>, result: Result<T, AppError>) -> Result<T, AppError> {
    match &result {
        Err(err) => match plain_form_return_path(page, Some(err)) {
            Some(path) => leptos_axum::redirect(&path),
            None => set_error_status(err),
        },
        // A plain post that went through goes back to its page too (as
        // leptos_axum would), minus the error of an earlier attempt.
        Ok(_) if !redirect_set() => {
            if let Some(path) = plain_form_return_path(page, None) {
                leptos_axum::redirect(&path);
            }
        }
        Ok(_) => {}
    }
    result
}

/// Whether this server function already chose where the browser goes.
fn redirect_set() -> bool {
    use_context::<ResponseOptions>().is_none_or(|res| {
        res.0.read().map(|parts| parts.headers.contains_key(axum::http::header::LOCATION)).unwrap_or(true)
    })
}

/// Whether the request is a plain HTML form post to a server function (no
/// WASM running). A page rendered on the server calls server functions
/// directly, within its own (HTML) request: that is not a form post.
pub fn is_plain_form_post() -> bool {
    with_context::<axum::http::request::Parts, _>(|parts| {
        parts.method == axum::http::Method::POST
            && parts.uri.path().starts_with("/api/")
            && parts
                .headers
                .get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
    })
    .unwrap_or(false)
}

/// Where a plain form post goes back to: `page`, or the path and query of
/// its same-site `Referer`, with `form_error` set to `err`, sealed (or
/// dropped).
fn plain_form_return_path(page: Option<&str>, err: Option<&AppError>) -> Option<String> {
    if !is_plain_form_post() {
        return None;
    }
    // Read in place: the request head is not cloned for two headers.
    let referer_path = || {
        with_context::<axum::http::request::Parts, _>(|parts| {
            let referer = parts.headers.get(axum::http::header::REFERER)?.to_str().ok()?;
            let host = parts.headers.get(axum::http::header::HOST)?.to_str().ok()?;
            let (_, rest) = referer.split_once("://")?;
            rest.strip_prefix(host).map(str::to_owned)
        })
        .flatten()
    };
    let path_and_query = match page {
        Some(page) => page.to_owned(),
        None => referer_path()?,
    };
    let (path, query) = path_and_query.split_once('?').unwrap_or((&path_and_query, ""));
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "form_error")
        .collect();
    if let Some(err) = err {
        // Sealed: a page shows only errors this server put in its URL.
        pairs.push(("form_error".into(), super::form_errors::seal(err)?));
    }
    if pairs.is_empty() {
        return Some(path.to_owned());
    }
    Some(format!("{path}?{}", serde_urlencoded::to_string(&pairs).ok()?))
}

/// The signed-in, approved resident, or `Unauthenticated`. A session whose
/// account is no longer approved is ended on the spot.
pub async fn require_resident() -> Result<(AppState, UserSession, ResidentRow), AppError> {
    let state = state()?;
    let session = session().await?;
    let SignedIn { account_id, .. } = session.signed_in().await?.ok_or(AppError::Unauthenticated)?;
    let resident = session.account_row::<ResidentRow>(&state.db, account_id).await?;
    match resident {
        Some(r) if r.status == AccountStatus::Approved => Ok((state, session, r)),
        _ => {
            session.sign_out().await?;
            Err(AppError::Unauthenticated)
        }
    }
}

/// A staff member's call, as the guard let it through: the shared state,
/// their session and their account. The console's use cases take it whole,
/// so each server function hands over one thing it cannot assemble wrongly.
pub struct Staff {
    pub state: AppState,
    pub session: AdminSession,
    pub admin: AdminRow,
}

/// The signed-in, active staff member whose role passes `allowed`, once any
/// temporary password has been changed.
pub async fn require_admin(allowed: impl Fn(AdminRole) -> bool) -> Result<Staff, AppError> {
    let staff = require_admin_even_temporary().await?;
    let Staff { state, admin, .. } = &staff;
    if admin.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    if !admin.two_step && super::two_factor::required::<crate::realm::AdminRealm>(state) {
        return Err(AppError::TwoStepSetupRequired);
    }
    if !allowed(admin.role) {
        return Err(AppError::Forbidden);
    }
    Ok(staff)
}

/// The signed-in, active staff member, even one who still has to change a
/// temporary password (their profile, their password change).
pub async fn require_admin_even_temporary() -> Result<Staff, AppError> {
    let state = state()?;
    let session = session().await?;
    let SignedIn { account_id, .. } = session.signed_in().await?.ok_or(AppError::Unauthenticated)?;
    let admin = session.account_row::<AdminRow>(&state.db, account_id).await?;
    match admin {
        Some(admin) if admin.active => Ok(Staff { state, session, admin }),
        _ => {
            session.sign_out().await?;
            Err(AppError::Unauthenticated)
        }
    }
}

/// Answers a server function of the resident realm: `run` gets the
/// signed-in resident (see [`require_resident`]); the result, the guard's
/// refusal included, goes out through [`respond`].
pub async fn as_resident<T, F, Fut>(run: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, UserSession, ResidentRow) -> Fut + Send,
    Fut: Future<Output = Result<T, AppError>> + Send,
{
    guarded(require_resident(), |(state, session, resident)| run(state, session, resident)).await
}

/// Answers a staff server function: `run` gets the staff member if their
/// role passes `allowed` (see [`require_admin`]); the result goes out
/// through [`respond`].
pub async fn as_admin<T, F, Fut>(allowed: impl Fn(AdminRole) -> bool + Send, run: F) -> Result<T, AppError>
where
    F: FnOnce(Staff) -> Fut + Send,
    Fut: Future<Output = Result<T, AppError>> + Send,
{
    guarded(require_admin(allowed), run).await
}

/// Like [`as_admin`], for what a staff member with a temporary password
/// may still do (see [`require_admin_even_temporary`]).
pub async fn as_admin_even_temporary<T, F, Fut>(run: F) -> Result<T, AppError>
where
    F: FnOnce(Staff) -> Fut + Send,
    Fut: Future<Output = Result<T, AppError>> + Send,
{
    guarded(require_admin_even_temporary(), run).await
}

/// The guard, then the work, both answered through [`respond`].
///
/// Boxed: the state of a guard and a use case with its queries runs to
/// tens of kilobytes, and a page's resource moves its future several times
/// while wrapping it (sandbox, async derived, suspense), each move a copy
/// of the whole state. Behind a box each move copies a pointer.
fn guarded<'a, G, T, Fut>(
    guard: impl Future<Output = Result<G, AppError>> + Send + 'a,
    run: impl FnOnce(G) -> Fut + Send + 'a,
) -> std::pin::Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'a>>
where
    G: Send + 'a,
    T: 'a,
    Fut: Future<Output = Result<T, AppError>> + Send + 'a,
{
    Box::pin(async move { respond(async { run(guard.await?).await }.await) })
}

/// Audits an action taken through `session` (its client address and browser
/// are recorded); `realm` is the realm the action concerned.
pub async fn audit<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    realm: crate::realm::Realm,
    kind: crate::domain::AuditKind,
    subject: super::audit::Subject,
) {
    super::audit::record(&state.db, realm, kind, crate::domain::AuditOutcome::Ok, session.client(), subject)
        .await;
}
