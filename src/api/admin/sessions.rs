//! Staff sessions: their own on `/admin/account`, everyone's on
//! `/admin/sessions` (super admins and security analysts).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::endpoint::Staff;
use crate::{
    error::AppError,
    wire::{Page, SessionInfo},
};

/// The staff member's own signed-in sessions.
#[server(prefix = "/api/admin", endpoint = "my_sessions")]
pub async fn staff_sessions() -> Result<Vec<SessionInfo>, AppError> {
    use crate::server::{endpoint, sessions};
    endpoint::as_admin_even_temporary(move |Staff { state, session, admin }| async move {
        sessions::own(&state, &session, admin.id).await
    })
    .await
}

/// Signs one of the staff member's own sessions out.
#[server(prefix = "/api/admin", endpoint = "end_my_session")]
pub async fn staff_end_session(key: String) -> Result<(), AppError> {
    use crate::server::{endpoint, sessions};
    endpoint::as_admin_even_temporary(move |Staff { state, session, admin }| async move {
        sessions::end_own(&state, &session, admin.id, sessions::parse_key(&key)?).await
    })
    .await
}

/// Signs every other session of the staff member out.
#[server(prefix = "/api/admin", endpoint = "end_other_sessions")]
pub async fn staff_end_other_sessions() -> Result<(), AppError> {
    use crate::server::{endpoint, sessions};
    endpoint::as_admin_even_temporary(move |Staff { state, session, admin }| async move {
        sessions::end_own_others(&state, &session, admin.id).await.map(|_| ())
    })
    .await
}

/// Live sessions of both realms (or of `realm`), a page at a time.
#[server(prefix = "/api/admin", endpoint = "all_sessions")]
pub async fn all_sessions(realm: Option<String>, page: Option<i64>) -> Result<Page<SessionInfo>, AppError> {
    use crate::server::{endpoint, sessions};
    endpoint::as_admin(
        |role| role.can_manage_sessions(),
        move |Staff { state, session, .. }| async move {
            let realm = match realm.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => Some(sessions::parse_realm(r)?),
                None => None,
            };
            let page = crate::server::paging::PageRequest::parse(page)?;
            sessions::directory(&state, realm, page, session.id_hash().as_deref()).await
        },
    )
    .await
}

/// Revokes one session of either realm.
#[server(prefix = "/api/admin", endpoint = "revoke_session")]
pub async fn revoke_session(realm: String, key: String) -> Result<(), AppError> {
    use crate::server::{endpoint, sessions};
    endpoint::as_admin(
        |role| role.can_manage_sessions(),
        move |Staff { state, session, admin }| async move {
            let realm = sessions::parse_realm(&realm)?;
            sessions::revoke(&state, &session, admin.id, realm, sessions::parse_key(&key)?).await
        },
    )
    .await
}

/// Revokes every session of one account.
#[server(prefix = "/api/admin", endpoint = "revoke_account_sessions")]
pub async fn revoke_account_sessions(realm: String, account_id: i64) -> Result<(), AppError> {
    use crate::server::{endpoint, sessions};
    endpoint::as_admin(
        |role| role.can_manage_sessions(),
        move |Staff { state, session, admin }| async move {
            let realm = sessions::parse_realm(&realm)?;
            sessions::revoke_account(&state, &session, admin.id, realm, account_id).await
        },
    )
    .await
}

/// Revokes every session of a realm.
#[server(prefix = "/api/admin", endpoint = "revoke_realm_sessions")]
pub async fn revoke_realm_sessions(realm: String) -> Result<(), AppError> {
    use crate::server::{endpoint, sessions};
    endpoint::as_admin(
        |role| role.can_manage_sessions(),
        move |Staff { state, session, admin }| async move {
            let realm = sessions::parse_realm(&realm)?;
            sessions::revoke_realm(&state, &session, admin.id, realm).await
        },
    )
    .await
}
