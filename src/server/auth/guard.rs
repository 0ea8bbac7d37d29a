//! Keeps each realm's private pages behind that realm's own sign-in page.
//! A signed-out visitor (no cookie, or a deleted, expired, damaged or forged
//! one) is sent to the realm's sign-in page with a reason, never an error.

use axum::{
    extract::Request,
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};

use super::realm_session::RealmSession;
use crate::{
    error::AppError,
    live::EndReason,
    realm::{AdminRealm, Realm, RealmMarker, UserRealm},
};

/// Middleware over the page routes.
pub async fn guard_private_pages(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let Some(realm) = Realm::of_private_page(req.uri().path()) else {
        return next.run(req).await;
    };
    let verdict = match realm {
        Realm::User => sign_in_needed(req.extensions().get::<RealmSession<UserRealm>>().cloned()).await,
        Realm::Admin => sign_in_needed(req.extensions().get::<RealmSession<AdminRealm>>().cloned()).await,
    };
    match verdict {
        Ok(None) => {
            let mut res = next.run(req).await;
            // Private pages must not come back from the cache after sign-out.
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Ok(Some(reason)) => {
            let next_path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let query = serde_urlencoded::to_string([("reason", reason.as_str()), ("next", next_path)])
                .unwrap_or_default();
            Redirect::to(&format!("{}?{query}", realm.login_path())).into_response()
        }
        Err(_) => {
            (StatusCode::SERVICE_UNAVAILABLE, "The service is temporarily unavailable. Please try again.")
                .into_response()
        }
    }
}

async fn sign_in_needed<R: RealmMarker>(
    session: Option<RealmSession<R>>,
) -> Result<Option<EndReason>, AppError> {
    let session = session.ok_or(AppError::Internal)?;
    Ok(match session.signed_in().await? {
        Some(_) => None,
        None => Some(session.ending_reason().await),
    })
}
