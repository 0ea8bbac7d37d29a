//! The `second_factors` and `recovery_codes` tables: each account's
//! authenticator key and its one-time recovery codes, per realm.

use super::{is_unique_violation, now, Db};
use crate::realm::Realm;

/// An account's authenticator key (base32) and the time step of the last
/// code it accepted.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SecondFactorRow {
    pub totp_secret: String,
    pub last_step: i64,
}

pub async fn find(db: &Db, realm: Realm, account_id: i64) -> sqlx::Result<Option<SecondFactorRow>> {
    sqlx::query_as("SELECT totp_secret, last_step FROM second_factors WHERE realm = $1 AND account_id = $2")
        .bind(realm.as_str())
        .bind(account_id)
        .fetch_optional(db.pool())
        .await
}

/// Whether the account has a second factor.
pub async fn exists(db: &Db, realm: Realm, account_id: i64) -> sqlx::Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM second_factors WHERE realm = $1 AND account_id = $2")
            .bind(realm.as_str())
            .bind(account_id)
            .fetch_one(db.pool())
            .await?;
    Ok(n > 0)
}

/// Stores the account's key with its recovery codes, in one transaction.
/// False when the account has a key already (a second browser confirmed
/// first): the existing key stays.
pub async fn insert(
    db: &Db,
    realm: Realm,
    account_id: i64,
    totp_secret: &str,
    confirmed_step: i64,
    recovery_code_hashes: &[String],
) -> sqlx::Result<bool> {
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO second_factors (realm, account_id, totp_secret, last_step, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(realm.as_str())
    .bind(account_id)
    .bind(totp_secret)
    .bind(confirmed_step)
    .bind(now())
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Ok(false),
        Err(e) => return Err(e),
    }
    replace_codes(&mut tx, realm, account_id, recovery_code_hashes).await?;
    tx.commit().await?;
    Ok(true)
}

async fn replace_codes(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    realm: Realm,
    account_id: i64,
    hashes: &[String],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE realm = $1 AND account_id = $2")
        .bind(realm.as_str())
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (realm, account_id, code_hash) VALUES ($1, $2, $3)")
            .bind(realm.as_str())
            .bind(account_id)
            .bind(hash)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Replaces the account's recovery codes (the old ones stop working).
/// False when the account has no second factor.
pub async fn replace_recovery_codes(
    db: &Db,
    realm: Realm,
    account_id: i64,
    hashes: &[String],
) -> sqlx::Result<bool> {
    let mut tx = db.begin_write().await?;
    let has: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM second_factors WHERE realm = $1 AND account_id = $2")
            .bind(realm.as_str())
            .bind(account_id)
            .fetch_one(&mut *tx)
            .await?;
    if has == 0 {
        return Ok(false);
    }
    replace_codes(&mut tx, realm, account_id, hashes).await?;
    tx.commit().await?;
    Ok(true)
}

/// Records that a code of time step `step` was used, if no code of that
/// step or a later one was used before. Atomic: of two requests with the
/// same code, one gets true.
pub async fn claim_step(db: &Db, realm: Realm, account_id: i64, step: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE second_factors SET last_step = $1 WHERE realm = $2 AND account_id = $3 AND last_step < $1",
    )
    .bind(step)
    .bind(realm.as_str())
    .bind(account_id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Uses the recovery code with this hash, if it is the account's and
/// unused. Atomic: a code works once, also for parallel requests.
pub async fn use_recovery_code(
    db: &Db,
    realm: Realm,
    account_id: i64,
    code_hash: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 \
         WHERE realm = $2 AND account_id = $3 AND code_hash = $4 AND used_at IS NULL",
    )
    .bind(now())
    .bind(realm.as_str())
    .bind(account_id)
    .bind(code_hash)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many of the account's recovery codes are unused.
pub async fn recovery_codes_left(db: &Db, realm: Realm, account_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE realm = $1 AND account_id = $2 AND used_at IS NULL",
    )
    .bind(realm.as_str())
    .bind(account_id)
    .fetch_one(db.pool())
    .await
}

/// Removes the account's second factor and recovery codes. False when it
/// had none.
pub async fn delete(db: &Db, realm: Realm, account_id: i64) -> sqlx::Result<bool> {
    Ok(remove_factor(db, realm, account_id, Factor::App, false).await? == Removal::Removed)
}

/// What a guarded removal of a second factor did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removal {
    Removed,
    /// It was not there (removed already, or not the account's).
    Missing,
    /// It is the account's last second factor, which must stay.
    LastFactor,
}

/// Holds the account's second factors for the rest of `tx`: on PostgreSQL
/// an advisory lock per (realm, account), so that "is another factor left?"
/// and the removal after it are one step for parallel requests; on SQLite
/// the write transaction already holds the database.
async fn hold_factors(
    db: &Db,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    realm: Realm,
    account_id: i64,
) -> sqlx::Result<()> {
    if db.backend() != super::Backend::Postgres {
        return Ok(());
    }
    // Keys 11 and 12: apart from the session locks' 1 and 2 (db::sessions).
    let key: i64 = match realm {
        Realm::User => 11,
        Realm::Admin => 12,
    };
    sqlx::query(
        "SELECT 1 FROM (SELECT pg_advisory_xact_lock(CAST($1 AS INTEGER), CAST($2 AS INTEGER))) AS held",
    )
    .bind(key)
    .bind(account_id)
    .execute(&mut **tx)
    .await
    .map(drop)
}

/// How many second factors the account has (its authenticator key and its
/// passkeys), inside `tx`.
async fn factor_count(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    realm: Realm,
    account_id: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM second_factors WHERE realm = $1 AND account_id = $2) \
         + (SELECT COUNT(*) FROM passkeys WHERE realm = $1 AND account_id = $2)",
    )
    .bind(realm.as_str())
    .bind(account_id)
    .fetch_one(&mut **tx)
    .await
}

/// One second factor of an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Factor {
    /// The authenticator key, with its recovery codes.
    App,
    /// The passkey with this id.
    Passkey(i64),
}

/// Removes one second factor of the account in a transaction holding its
/// factors; with `keep_one`, only if another factor is left after it.
pub async fn remove_factor(
    db: &Db,
    realm: Realm,
    account_id: i64,
    factor: Factor,
    keep_one: bool,
) -> sqlx::Result<Removal> {
    let mut tx = db.begin_write().await?;
    hold_factors(db, &mut tx, realm, account_id).await?;
    // Which rows are the factor: the key's one row, or one passkey.
    let (table, which, id) = match factor {
        Factor::App => ("second_factors", "", None),
        Factor::Passkey(id) => ("passkeys", " AND id = $3", Some(id)),
    };
    let rows = |verb: &str| format!("{verb} FROM {table} WHERE realm = $1 AND account_id = $2{which}");
    let count = rows("SELECT COUNT(*)");
    let mut exists = sqlx::query_scalar::<_, i64>(&count).bind(realm.as_str()).bind(account_id);
    if let Some(id) = id {
        exists = exists.bind(id);
    }
    if exists.fetch_one(&mut *tx).await? == 0 {
        return Ok(Removal::Missing);
    }
    if keep_one && factor_count(&mut tx, realm, account_id).await? <= 1 {
        return Ok(Removal::LastFactor);
    }
    let delete = rows("DELETE");
    let mut removal = sqlx::query(&delete).bind(realm.as_str()).bind(account_id);
    if let Some(id) = id {
        removal = removal.bind(id);
    }
    removal.execute(&mut *tx).await?;
    if factor == Factor::App {
        sqlx::query("DELETE FROM recovery_codes WHERE realm = $1 AND account_id = $2")
            .bind(realm.as_str())
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Removal::Removed)
}
