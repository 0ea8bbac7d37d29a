//! The `password_resets` table: outstanding reset links, by token hash.

use sqlx::Row;

use super::{now, Db};
use crate::realm::Realm;

/// An outstanding reset link as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResetRow {
    pub account_id: i64,
    pub password_fingerprint: String,
    pub expires_at: i64,
}

/// Stores the account's one live link, replacing any earlier one (a new
/// request voids the previous link, atomically).
pub async fn insert(
    db: &Db,
    realm: Realm,
    token_hash: &str,
    account_id: i64,
    password_fingerprint: &str,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO password_resets (token_hash, realm, account_id, password_fingerprint, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (realm, account_id) DO UPDATE SET token_hash = $1, password_fingerprint = $4, \
           created_at = $5, expires_at = $6",
    )
    .bind(token_hash)
    .bind(realm.as_str())
    .bind(account_id)
    .bind(password_fingerprint)
    .bind(now())
    .bind(expires_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<ResetRow> {
    Ok(ResetRow {
        account_id: r.try_get("account_id")?,
        password_fingerprint: r.try_get("password_fingerprint")?,
        expires_at: r.try_get("expires_at")?,
    })
}

/// The link with this token hash in this realm, expired or not.
pub async fn find(db: &Db, realm: Realm, token_hash: &str) -> sqlx::Result<Option<ResetRow>> {
    let row = sqlx::query(
        "SELECT account_id, password_fingerprint, expires_at FROM password_resets \
         WHERE token_hash = $1 AND realm = $2",
    )
    .bind(token_hash)
    .bind(realm.as_str())
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Uses the link up: deletes it and returns it, or `None` when another
/// request took it first. Only one caller can ever get the row.
pub async fn take(db: &Db, realm: Realm, token_hash: &str) -> sqlx::Result<Option<ResetRow>> {
    let row = sqlx::query(
        "DELETE FROM password_resets WHERE token_hash = $1 AND realm = $2 \
         RETURNING account_id, password_fingerprint, expires_at",
    )
    .bind(token_hash)
    .bind(realm.as_str())
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Voids every outstanding link of an account (its password changed).
pub async fn delete_for_account(db: &Db, realm: Realm, account_id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM password_resets WHERE realm = $1 AND account_id = $2")
        .bind(realm.as_str())
        .bind(account_id)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

/// Forgets links that expired before `before`.
pub async fn purge_expired(db: &Db, before: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM password_resets WHERE expires_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}
