//! The `idempotency_keys` table: a retried write gives its first answer.
//!
//! A key is claimed as the first statement of the write's own transaction,
//! so the key and the effect commit (or roll back) together. A concurrent
//! claim of the same key waits for the first (PostgreSQL's row lock, or
//! SQLite's single writer) and then finds it.

use super::{now, Db};
use crate::realm::Realm;

/// A key as one account of one realm sent it for one endpoint.
#[derive(Clone, Copy, Debug)]
pub struct IdempotencyKey<'a> {
    pub realm: Realm,
    pub account_id: i64,
    pub endpoint: &'static str,
    pub key: &'a str,
}

/// What a guarded write did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Guarded<T> {
    /// Done now.
    Fresh(T),
    /// Done before with this key: its answer (JSON), nothing done now.
    Replayed(String),
}

impl<T> Guarded<T> {
    /// The fresh result; `None` for a replay (callers without a key never
    /// see one).
    pub fn fresh(self) -> Option<T> {
        match self {
            Guarded::Fresh(value) => Some(value),
            Guarded::Replayed(_) => None,
        }
    }
}

/// Claims `key`, if the write has one, as the first step of its
/// transaction `tx`; `Some(answer)` when the key was used before.
pub async fn claim(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key: Option<IdempotencyKey<'_>>,
) -> sqlx::Result<Option<String>> {
    let Some(key) = key else { return Ok(None) };
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (realm, account_id, idempotency_key, endpoint, answer, created_at) \
         VALUES ($1, $2, $3, $4, '', $5) ON CONFLICT (realm, account_id, idempotency_key) DO NOTHING",
    )
    .bind(key.realm.as_str())
    .bind(key.account_id)
    .bind(key.key)
    .bind(key.endpoint)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(None);
    }
    sqlx::query_scalar(
        "SELECT answer FROM idempotency_keys WHERE realm = $1 AND account_id = $2 AND idempotency_key = $3",
    )
    .bind(key.realm.as_str())
    .bind(key.account_id)
    .bind(key.key)
    .fetch_optional(&mut **tx)
    .await
}

/// Records the answer of the write that claimed `key`, if any, in the same
/// transaction.
pub async fn answer(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key: Option<IdempotencyKey<'_>>,
    answer: &str,
) -> sqlx::Result<()> {
    let Some(key) = key else { return Ok(()) };
    sqlx::query(
        "UPDATE idempotency_keys SET answer = $4 WHERE realm = $1 AND account_id = $2 AND idempotency_key = $3",
    )
    .bind(key.realm.as_str())
    .bind(key.account_id)
    .bind(key.key)
    .bind(answer)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Forgets keys older than `before`.
pub async fn purge(db: &Db, before: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}
