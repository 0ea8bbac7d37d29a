//! The `sign_in_throttle` table: attempt counters with temporary locks.
//!
//! Every change is one atomic statement, so fifty requests in parallel
//! count fifty: an attempt is counted (and, past the allowance, the lock
//! set) in the same `INSERT … ON CONFLICT DO UPDATE … RETURNING`, before
//! any password work starts.

use sqlx::Row;

use super::Db;
use crate::realm::Realm;

/// How a counter locks: after `allowed` attempts a lock of `base_lock`
/// seconds, doubling with each further counted attempt, up to `max_lock`;
/// a counter left alone for `max_lock` starts over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockRule {
    pub allowed: i64,
    pub base_lock: i64,
    pub max_lock: i64,
}

impl LockRule {
    /// A counter that never locks (it only counts).
    pub fn counting_only(quiet_after: i64) -> Self {
        Self { allowed: i64::MAX, base_lock: 1, max_lock: quiet_after }
    }

    /// Seconds of lock after `attempts` counted attempts, if any.
    pub fn lock_for(&self, attempts: i64) -> Option<i64> {
        let over = attempts.checked_sub(self.allowed)?;
        (over >= 0).then(|| self.base_lock.saturating_mul(1i64 << over.min(30)).min(self.max_lock))
    }
}

/// What counting one attempt found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counted {
    /// Counted: the counter now stands at `attempts`; `locked_until` is
    /// set (in the future) when this attempt used up the allowance.
    Admitted { attempts: i64, locked_until: i64 },
    /// The counter was already locked until then; nothing was counted.
    Locked { until: i64 },
}

/// Counts one attempt on a counter unless it is locked, atomically.
pub async fn count(
    db: &Db,
    realm: Realm,
    kind: &str,
    subject: &str,
    rule: LockRule,
    now: i64,
) -> sqlx::Result<Counted> {
    // In the UPDATE branch every column name is the row *before* the
    // statement; `attempts` is written out twice because SQL has no let.
    let attempts =
        "(CASE WHEN $4 - sign_in_throttle.updated_at >= $7 THEN 1 ELSE sign_in_throttle.failures + 1 END)";
    let sql = format!(
        "INSERT INTO sign_in_throttle (realm, kind, subject, failures, locked_until, updated_at, noted_until) \
         VALUES ($1, $2, $3, 1, $8, $4, 0) \
         ON CONFLICT (realm, kind, subject) DO UPDATE SET \
           failures = {attempts}, \
           locked_until = CASE WHEN {attempts} >= $5 THEN $4 + (CASE \
               WHEN {attempts} - $5 >= 30 THEN $7 \
               WHEN ($6 << CAST({attempts} - $5 AS INTEGER)) > $7 THEN $7 \
               ELSE ($6 << CAST({attempts} - $5 AS INTEGER)) END) ELSE 0 END, \
           updated_at = $4 \
         WHERE sign_in_throttle.locked_until <= $4 \
         RETURNING failures, locked_until"
    );
    let first_lock = rule.lock_for(1).map_or(0, |s| now + s);
    let row = sqlx::query(&sql)
        .bind(realm.as_str())
        .bind(kind)
        .bind(subject)
        .bind(now)
        .bind(rule.allowed)
        .bind(rule.base_lock)
        .bind(rule.max_lock)
        .bind(first_lock)
        .fetch_optional(db.pool())
        .await?;
    if let Some(row) = row {
        return Ok(Counted::Admitted {
            attempts: row.try_get("failures")?,
            locked_until: row.try_get("locked_until")?,
        });
    }
    let until: Option<i64> = sqlx::query_scalar(
        "SELECT locked_until FROM sign_in_throttle WHERE realm = $1 AND kind = $2 AND subject = $3",
    )
    .bind(realm.as_str())
    .bind(kind)
    .bind(subject)
    .fetch_optional(db.pool())
    .await?;
    Ok(Counted::Locked { until: until.unwrap_or(now) })
}

/// Marks a refusal during the current lock as recorded; true only for the
/// first refusal of each lock period (so a locked client cannot flood the
/// audit log).
pub async fn note_refusal(db: &Db, realm: Realm, kind: &str, subject: &str) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE sign_in_throttle SET noted_until = locked_until \
         WHERE realm = $1 AND kind = $2 AND subject = $3 AND noted_until < locked_until",
    )
    .bind(realm.as_str())
    .bind(kind)
    .bind(subject)
    .execute(db.pool())
    .await?;
    Ok(updated.rows_affected() > 0)
}

/// Gives back one counted attempt (it turned out to be a success), lifting
/// a lock that the allowance no longer justifies.
pub async fn refund(db: &Db, realm: Realm, kind: &str, subject: &str, allowed: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE sign_in_throttle SET failures = failures - 1, \
           locked_until = CASE WHEN failures - 1 < $4 THEN 0 ELSE locked_until END \
         WHERE realm = $1 AND kind = $2 AND subject = $3 AND failures > 0",
    )
    .bind(realm.as_str())
    .bind(kind)
    .bind(subject)
    .bind(allowed)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn clear(db: &Db, realm: Realm, kind: &str, subject: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sign_in_throttle WHERE realm = $1 AND kind = $2 AND subject = $3")
        .bind(realm.as_str())
        .bind(kind)
        .bind(subject)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Deletes the counters of `kind` whose subject starts with `prefix`.
pub async fn clear_prefixed(db: &Db, realm: Realm, kind: &str, prefix: &str) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM sign_in_throttle WHERE realm = $1 AND kind = $2 AND substr(subject, 1, CAST($4 AS INTEGER)) = $3",
    )
    .bind(realm.as_str())
    .bind(kind)
    .bind(prefix)
    .bind(prefix.chars().count() as i64)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Whether any counter of `kind` whose subject starts with `prefix` is
/// locked at `now`.
pub async fn any_locked_prefixed(
    db: &Db,
    realm: Realm,
    kind: &str,
    prefix: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM sign_in_throttle WHERE realm = $1 AND kind = $2 \
         AND substr(subject, 1, CAST($4 AS INTEGER)) = $3 AND locked_until > $5",
    )
    .bind(realm.as_str())
    .bind(kind)
    .bind(prefix)
    .bind(prefix.chars().count() as i64)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

/// Forgets counters that have been quiet and unlocked since `before`.
pub async fn purge_quiet(db: &Db, before: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sign_in_throttle WHERE updated_at < $1 AND locked_until < $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}
