//! The `sessions` table, shared by both realms but always queried with the
//! realm in the `WHERE` clause. Rows are keyed by the SHA-256 of the session
//! id; the id itself is only ever in the visitor's cookie.

use sqlx::Row;

use super::{now, Db};
use crate::realm::Realm;

/// A new row, written once at sign-in.
#[derive(Debug)]
pub struct NewSession<'a> {
    pub id_hash: &'a str,
    pub realm: Realm,
    pub account_id: Option<i64>,
    pub data: &'a str,
    pub expires_at: i64,
    pub absolute_expires_at: i64,
    pub user_agent: &'a str,
    pub client_ip: &'a str,
}

/// Inserts unless the id is taken; false on a collision.
pub async fn insert(db: &Db, s: &NewSession<'_>) -> sqlx::Result<bool> {
    let at = now();
    let done = sqlx::query(
        "INSERT INTO sessions (id_hash, realm, account_id, data, created_at, last_seen_at, \
         expires_at, absolute_expires_at, user_agent, client_ip) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9) ON CONFLICT (id_hash) DO NOTHING",
    )
    .bind(s.id_hash)
    .bind(s.realm.as_str())
    .bind(s.account_id)
    .bind(s.data)
    .bind(at)
    .bind(s.expires_at.min(s.absolute_expires_at))
    .bind(s.absolute_expires_at)
    .bind(s.user_agent)
    .bind(s.client_ip)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Updates a live session's data and pushes its idle deadline back (never
/// past its absolute deadline). Touches only a row that still exists and has
/// not expired, so a request that was in flight when the session was signed
/// out, revoked or expired cannot bring it back. False when nothing changed.
pub async fn update_live(
    db: &Db,
    realm: Realm,
    id_hash: &str,
    data: &str,
    expires_at: i64,
) -> sqlx::Result<bool> {
    let at = now();
    let done = sqlx::query(
        "UPDATE sessions SET data = $1, last_seen_at = $2, \
         expires_at = CASE WHEN $3 < absolute_expires_at THEN $3 ELSE absolute_expires_at END \
         WHERE id_hash = $4 AND realm = $5 AND expires_at > $2",
    )
    .bind(data)
    .bind(at)
    .bind(expires_at)
    .bind(id_hash)
    .bind(realm.as_str())
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The data of a live (unexpired) session of the realm.
pub async fn load_live(db: &Db, realm: Realm, id_hash: &str) -> sqlx::Result<Option<(String, i64)>> {
    let row = sqlx::query(
        "SELECT data, expires_at FROM sessions WHERE id_hash = $1 AND realm = $2 AND expires_at > $3",
    )
    .bind(id_hash)
    .bind(realm.as_str())
    .bind(now())
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| Ok((r.try_get("data")?, r.try_get("expires_at")?))).transpose()
}

/// The idle and absolute deadlines of a session row, expired or not.
pub async fn deadlines(db: &Db, realm: Realm, id_hash: &str) -> sqlx::Result<Option<(i64, i64)>> {
    let row =
        sqlx::query("SELECT expires_at, absolute_expires_at FROM sessions WHERE id_hash = $1 AND realm = $2")
            .bind(id_hash)
            .bind(realm.as_str())
            .fetch_optional(db.pool())
            .await?;
    row.map(|r| Ok((r.try_get("expires_at")?, r.try_get("absolute_expires_at")?))).transpose()
}

/// Whether a row exists for the id at all, expired or not.
pub async fn exists_expired(db: &Db, realm: Realm, id_hash: &str) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT expires_at FROM sessions WHERE id_hash = $1 AND realm = $2 AND expires_at <= $3",
    )
    .bind(id_hash)
    .bind(realm.as_str())
    .bind(now())
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}

pub async fn delete(db: &Db, realm: Realm, id_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1 AND realm = $2")
        .bind(id_hash)
        .bind(realm.as_str())
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Ends every session of one account of one realm; returns how many.
pub async fn delete_for_account(db: &Db, realm: Realm, account_id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE realm = $1 AND account_id = $2")
        .bind(realm.as_str())
        .bind(account_id)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

/// Live sessions of one account of one realm.
pub async fn count_live_for_account(db: &Db, realm: Realm, account_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM sessions WHERE realm = $1 AND account_id = $2 AND expires_at > $3",
    )
    .bind(realm.as_str())
    .bind(account_id)
    .bind(now())
    .fetch_one(db.pool())
    .await
}

/// Forgets sessions that expired before `before` (kept a while so the
/// sign-in page can say "expired" rather than "ended").
pub async fn purge_expired(db: &Db, before: i64) -> sqlx::Result<u64> {
    let done =
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(before).execute(db.pool()).await?;
    Ok(done.rows_affected())
}
