//! Use cases over signed-in sessions: an account's own list and sign-outs,
//! and staff revocation. Every ended session is announced to its open pages.

use super::{
    api::internal,
    audit::Subject,
    auth::RealmSession,
    db::{self, sessions::SessionRow},
    events::LiveEvent,
    format,
    state::AppState,
};
use crate::{
    api::{Page, SessionInfo},
    domain::{user_agent, AuditKind},
    error::AppError,
    live::EndReason,
    realm::{Realm, RealmMarker},
};

fn info(row: SessionRow, current: Option<&str>) -> SessionInfo {
    SessionInfo {
        current: current == Some(row.id_hash.as_str()),
        key: row.id_hash,
        realm: row.realm,
        account_id: row.account_id,
        account_email: row.account_email,
        created: format::date_time(row.created_at),
        last_seen: format::date_time(row.last_seen_at),
        browser: user_agent::describe(&row.user_agent),
        client_ip: row.client_ip,
    }
}

/// The signed-in account's sessions in this realm, this one marked.
pub async fn own<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: i64,
) -> Result<Vec<SessionInfo>, AppError> {
    let current = session.id_hash();
    let rows = db::sessions::list_for_account(&state.db, R::REALM, account_id)
        .await
        .map_err(|e| internal("list sessions", e))?;
    Ok(rows.into_iter().map(|r| info(r, current.as_deref())).collect())
}

/// Signs one of the account's own sessions out (this one: a normal sign-out).
pub async fn end_own<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: i64,
    key: &str,
) -> Result<(), AppError> {
    if session.id_hash().as_deref() == Some(key) {
        session.sign_out().await?;
        return Ok(());
    }
    let row = db::sessions::find(&state.db, R::REALM, key).await.map_err(|e| internal("find session", e))?;
    match row {
        Some(row) if row.account_id == account_id => {
            db::sessions::delete(&state.db, R::REALM, key).await.map_err(|e| internal("end session", e))?;
            announce(state, R::REALM, account_id, key.to_owned(), EndReason::SignedOut);
            tracing::info!(
                realm = R::REALM.as_str(),
                account_id,
                "own session signed out from the account page"
            );
            let subject =
                Subject { account_id: Some(account_id), detail: "one session".into(), ..Subject::default() };
            super::api::audit(state, session, R::REALM, AuditKind::OwnSessionsEnded, subject).await;
            Ok(())
        }
        _ => Err(AppError::NotFound("That session has already ended.".into())),
    }
}

/// Signs every other session of the account out; keeps this one.
pub async fn end_own_others<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: i64,
) -> Result<usize, AppError> {
    let keep = session.id_hash().ok_or(AppError::Unauthenticated)?;
    let ended = db::sessions::delete_others(&state.db, R::REALM, account_id, &keep)
        .await
        .map_err(|e| internal("end other sessions", e))?;
    for key in &ended {
        announce(state, R::REALM, account_id, key.clone(), EndReason::SignedOut);
    }
    tracing::info!(realm = R::REALM.as_str(), account_id, ended = ended.len(), "other sessions signed out");
    let subject = Subject {
        account_id: Some(account_id),
        detail: format!("{} other session(s)", ended.len()),
        ..Subject::default()
    };
    super::api::audit(state, session, R::REALM, AuditKind::OwnSessionsEnded, subject).await;
    Ok(ended.len())
}

fn announce(state: &AppState, realm: Realm, account_id: i64, session: String, reason: EndReason) {
    state.events.publish(realm, account_id, LiveEvent::SessionEnded { session, reason });
}

/// Live sessions of both realms (or one), for `/admin/sessions`.
pub async fn directory(
    state: &AppState,
    realm: Option<Realm>,
    page: i64,
    current: Option<&str>,
) -> Result<Page<SessionInfo>, AppError> {
    const PER_PAGE: i64 = 25;
    let (rows, total) = db::sessions::list_all(&state.db, realm, PER_PAGE, (page - 1) * PER_PAGE)
        .await
        .map_err(|e| internal("list all sessions", e))?;
    Ok(Page { items: rows.into_iter().map(|r| info(r, current)).collect(), page, per_page: PER_PAGE, total })
}

/// Staff revoke one session: its open pages say an administrator ended it.
pub async fn revoke(state: &AppState, admin_id: i64, realm: Realm, key: &str) -> Result<i64, AppError> {
    let row = db::sessions::find(&state.db, realm, key).await.map_err(|e| internal("find session", e))?;
    let Some(row) = row else {
        return Err(AppError::NotFound("That session has already ended.".into()));
    };
    db::sessions::delete(&state.db, realm, key).await.map_err(|e| internal("revoke session", e))?;
    announce(state, realm, row.account_id, key.to_owned(), EndReason::Revoked);
    tracing::info!(realm = realm.as_str(), account_id = row.account_id, admin_id, "session revoked");
    Ok(row.account_id)
}

/// Staff revoke every session of one account.
pub async fn revoke_account(
    state: &AppState,
    admin_id: i64,
    realm: Realm,
    account_id: i64,
) -> Result<u64, AppError> {
    let ended = db::sessions::delete_for_account(&state.db, realm, account_id)
        .await
        .map_err(|e| internal("revoke account sessions", e))?;
    state.events.publish(realm, account_id, LiveEvent::AccountSessionsEnded { reason: EndReason::Revoked });
    tracing::info!(realm = realm.as_str(), account_id, admin_id, ended, "account sessions revoked");
    Ok(ended)
}

/// Staff revoke every session of a realm.
pub async fn revoke_realm(state: &AppState, admin_id: i64, realm: Realm) -> Result<usize, AppError> {
    let ended = db::sessions::delete_realm(&state.db, realm)
        .await
        .map_err(|e| internal("revoke realm sessions", e))?;
    for (account_id, key) in &ended {
        announce(state, realm, *account_id, key.clone(), EndReason::Revoked);
    }
    tracing::info!(realm = realm.as_str(), admin_id, ended = ended.len(), "realm sessions revoked");
    Ok(ended.len())
}

/// Parses a realm name from a form.
pub fn parse_realm(value: &str) -> Result<Realm, AppError> {
    Realm::ALL
        .into_iter()
        .find(|r| r.as_str() == value)
        .ok_or_else(|| AppError::invalid("realm", "Choose user or admin."))
}

/// Checks a session key's shape (64 hex digits) before it reaches SQL.
pub fn parse_key(value: &str) -> Result<&str, AppError> {
    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(value)
    } else {
        Err(AppError::invalid("key", "That is not a session of this list."))
    }
}
