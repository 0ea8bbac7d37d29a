//! Signing residents in and out. Touches only the user-realm session.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::endpoint::respond;

/// Signs an approved resident in (new session id), then sends the browser
/// to `next` if it is one of the realm's pages, else to the dashboard.
#[server(prefix = "/api/user", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::{
        realm::UserRealm,
        server::{endpoint, sessions},
    };
    respond(
        async {
            let state = endpoint::state()?;
            let session = endpoint::session::<UserRealm>().await?;
            let to = sessions::sign_in(&state, &session, &email, &password, next.as_deref()).await?;
            leptos_axum::redirect(&to);
            Ok(())
        }
        .await,
    )
}

/// Signs the resident out of this browser: the session is deleted on the
/// server. The staff session, if any, is left alone.
#[server(prefix = "/api/user", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::{
        realm::UserRealm,
        server::{endpoint, sessions},
    };
    respond(
        async {
            let to = sessions::sign_out(&endpoint::session::<UserRealm>().await?).await?;
            leptos_axum::redirect(&to);
            Ok(())
        }
        .await,
    )
}

/// Whether this browser's resident session is still there (and until when),
/// or why it ended. Asking does not extend the session.
#[server(prefix = "/api/user", endpoint = "session")]
pub async fn resident_session_status() -> Result<crate::live::SessionCheck, AppError> {
    use crate::{realm::UserRealm, server::endpoint};
    respond(async { endpoint::session::<UserRealm>().await?.check().await }.await)
}

/// "Stay signed in": extends the resident session now; returns its new
/// idle deadline (Unix seconds).
#[server(prefix = "/api/user", endpoint = "keep_alive")]
pub async fn resident_keep_alive() -> Result<i64, AppError> {
    use crate::{realm::UserRealm, server::endpoint};
    respond(async { endpoint::session::<UserRealm>().await?.extend().await }.await)
}
