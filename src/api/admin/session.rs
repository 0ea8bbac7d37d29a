//! Signing staff in and out. Touches only the admin-realm session.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::endpoint::{respond, Staff};
use crate::{error::AppError, wire::StaffProfile};

/// Signs a staff member in (new session id) and opens the console, or
/// `next` if it is a console page.
#[server(prefix = "/api/admin", endpoint = "login")]
pub async fn admin_login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::{
        realm::AdminRealm,
        server::{endpoint, sessions},
    };
    respond(
        async {
            let state = endpoint::state()?;
            let session = endpoint::session::<AdminRealm>().await?;
            let to = sessions::sign_in(&state, &session, &email, &password, next.as_deref()).await?;
            leptos_axum::redirect(&to);
            Ok(())
        }
        .await,
    )
}

/// Signs the staff member out of this browser; the resident session, if
/// any, is left alone.
#[server(prefix = "/api/admin", endpoint = "logout")]
pub async fn admin_logout() -> Result<(), AppError> {
    use crate::{
        realm::AdminRealm,
        server::{endpoint, sessions},
    };
    respond(
        async {
            let to = sessions::sign_out(&endpoint::session::<AdminRealm>().await?).await?;
            leptos_axum::redirect(&to);
            Ok(())
        }
        .await,
    )
}

/// The signed-in staff member of this browser's admin-realm session.
#[server(prefix = "/api/admin", endpoint = "me")]
pub async fn current_admin() -> Result<StaffProfile, AppError> {
    use crate::server::endpoint;
    endpoint::as_admin_even_temporary(move |Staff { state, admin: a, .. }| async move {
        let two_step_required =
            !a.two_step && crate::server::two_factor::required::<crate::realm::AdminRealm>(&state);
        Ok(StaffProfile {
            id: a.id,
            name: a.name,
            email: a.email,
            role: a.role,
            must_change_password: a.must_change_password,
            two_step_required,
        })
    })
    .await
}

/// Whether this browser's staff session is still there (and until when), or
/// why it ended. Asking does not extend the session.
#[server(prefix = "/api/admin", endpoint = "session")]
pub async fn staff_session_status() -> Result<crate::live::SessionCheck, AppError> {
    use crate::{realm::AdminRealm, server::endpoint};
    respond(async { endpoint::session::<AdminRealm>().await?.check().await }.await)
}

/// "Stay signed in": extends the staff session now; returns its new idle
/// deadline (Unix seconds).
#[server(prefix = "/api/admin", endpoint = "keep_alive")]
pub async fn staff_keep_alive() -> Result<i64, AppError> {
    use crate::{realm::AdminRealm, server::endpoint};
    respond(async { endpoint::session::<AdminRealm>().await?.extend().await }.await)
}
