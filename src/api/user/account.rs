//! Residents' accounts: registration and the signed-in profile.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::endpoint::respond;
use crate::{
    error::AppError,
    wire::{Barangay, ResidentProfile},
};

/// The barangays of San Pedro City, for the registration form.
#[server(prefix = "/api/user", endpoint = "barangays")]
pub async fn barangays() -> Result<Vec<Barangay>, AppError> {
    use crate::server::{db, endpoint};
    respond(
        async {
            let state = endpoint::state()?;
            let rows =
                db::barangays::list(&state.db).await.map_err(|e| endpoint::internal("list barangays", e))?;
            Ok(rows.into_iter().map(|b| Barangay { id: b.id, name: b.name }).collect())
        }
        .await,
    )
}

/// Creates a pending resident account. Signs nobody in.
#[server(prefix = "/api/user", endpoint = "register")]
pub async fn register(
    name: String,
    email: String,
    password: String,
    barangay: String,
) -> Result<(), AppError> {
    use crate::server::{endpoint, residents};
    respond(
        async {
            let state = endpoint::state()?;
            let session = endpoint::session::<crate::realm::UserRealm>().await?;
            residents::register(&state, session.client(), &name, &email, &password, &barangay)
                .await
                .map(|_| ())
        }
        .await,
    )
}

/// The signed-in resident of this browser's user-realm session.
#[server(prefix = "/api/user", endpoint = "me")]
pub async fn current_resident() -> Result<ResidentProfile, AppError> {
    use crate::server::{endpoint, format};
    endpoint::as_resident(move |_, _, r| async move {
        Ok(ResidentProfile {
            id: r.id,
            name: r.name,
            email: r.email,
            barangay: r.barangay,
            status: r.status,
            member_since: format::date(r.created_at),
        })
    })
    .await
}
