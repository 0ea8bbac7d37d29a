//! The resident's own sessions, on `/account`.

use leptos::prelude::*;

use crate::{error::AppError, wire::SessionInfo};

/// The resident's signed-in sessions (this browser marked).
#[server(prefix = "/api/user", endpoint = "sessions")]
pub async fn my_sessions() -> Result<Vec<SessionInfo>, AppError> {
    use crate::server::{endpoint, sessions};
    endpoint::as_resident(move |state, session, resident| async move {
        sessions::own(&state, &session, resident.id).await
    })
    .await
}

/// Signs one of the resident's sessions out.
#[server(prefix = "/api/user", endpoint = "end_session")]
pub async fn end_my_session(key: String) -> Result<(), AppError> {
    use crate::server::{endpoint, sessions};
    endpoint::as_resident(move |state, session, resident| async move {
        sessions::end_own(&state, &session, resident.id, sessions::parse_key(&key)?).await
    })
    .await
}

/// Signs every other session of the resident out.
#[server(prefix = "/api/user", endpoint = "end_other_sessions")]
pub async fn end_other_sessions() -> Result<(), AppError> {
    use crate::server::{endpoint, sessions};
    endpoint::as_resident(move |state, session, resident| async move {
        sessions::end_own_others(&state, &session, resident.id).await.map(|_| ())
    })
    .await
}
