//! First-run setup: the first super admin, with the one-time setup code.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::endpoint::respond;

/// Whether a setup code is on offer (no staff account exists yet).
#[server(prefix = "/api/admin", endpoint = "setup_available")]
pub async fn setup_available() -> Result<bool, AppError> {
    use crate::server::endpoint;
    respond(async { Ok(endpoint::state()?.setup_code.is_offered()) }.await)
}

/// Creates the first super admin and signs them in to the console.
#[server(prefix = "/api/admin", endpoint = "setup")]
pub async fn set_up(code: String, name: String, email: String, password: String) -> Result<(), AppError> {
    use crate::{
        realm::AdminRealm,
        server::{endpoint, staff},
    };
    respond(
        async {
            let state = endpoint::state()?;
            let session = endpoint::session::<AdminRealm>().await?;
            let id = staff::set_up_first_admin(&state, &session, &code, &email, &name, &password).await?;
            session.sign_in(id, &email).await?;
            leptos_axum::redirect("/admin");
            Ok(())
        }
        .await,
    )
}
