//! The `sign_in_throttle` table.

use sqlx::Row;

use super::Db;
use crate::realm::Realm;

/// A counter as stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counter {
    pub failures: i64,
    pub locked_until: i64,
    pub updated_at: i64,
}

pub async fn get(db: &Db, realm: Realm, kind: &str, subject: &str) -> sqlx::Result<Option<Counter>> {
    let row = sqlx::query(
        "SELECT failures, locked_until, updated_at FROM sign_in_throttle WHERE realm = $1 AND kind = $2 AND subject = $3",
    )
    .bind(realm.as_str())
    .bind(kind)
    .bind(subject)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(Counter {
            failures: r.try_get("failures")?,
            locked_until: r.try_get("locked_until")?,
            updated_at: r.try_get("updated_at")?,
        })
    })
    .transpose()
}

pub async fn put(db: &Db, realm: Realm, kind: &str, subject: &str, counter: Counter) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sign_in_throttle (realm, kind, subject, failures, locked_until, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (realm, kind, subject) DO UPDATE SET failures = $4, locked_until = $5, updated_at = $6",
    )
    .bind(realm.as_str())
    .bind(kind)
    .bind(subject)
    .bind(counter.failures)
    .bind(counter.locked_until)
    .bind(counter.updated_at)
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
