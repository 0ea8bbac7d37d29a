//! The points ledger and the residents' notifications.
//!
//! A resident's balance (`residents.points`) only ever changes together
//! with a ledger entry, in one transaction, through a conditional UPDATE
//! that cannot take it below zero (see also `collections.rs` and
//! `rewards.rs`, which write entries through [`ledger_entry`]).

use sqlx::{Any, Row, Transaction};

use super::{
    idempotency::{answer, claim, Guarded, IdempotencyKey},
    now, Db, Reader,
};
use crate::domain::LedgerKind;

/// One change of points: amount, kind, the collection or redemption it
/// belongs to, and when.
pub(super) struct LedgerEntry {
    pub(super) delta: i64,
    pub(super) kind: LedgerKind,
    pub(super) refs: (Option<i64>, Option<i64>),
    pub(super) at: i64,
}

pub(super) async fn ledger_entry(
    tx: &mut Transaction<'_, Any>,
    resident_id: i64,
    LedgerEntry { delta, kind, refs, at }: LedgerEntry,
    note: &str,
    by: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO points_ledger (resident_id, delta, kind, collection_id, redemption_id, note, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(resident_id)
    .bind(delta)
    .bind(kind.as_str())
    .bind(refs.0)
    .bind(refs.1)
    .bind(note)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) async fn notify(
    tx: &mut Transaction<'_, Any>,
    resident_id: i64,
    message: &str,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO notifications (resident_id, message, created_at) VALUES ($1, $2, $3)")
        .bind(resident_id)
        .bind(message)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Adds a notification for a resident outside any other change.
pub async fn add_notification(db: &Db, resident_id: i64, message: &str) -> sqlx::Result<()> {
    let mut tx = db.begin_write().await?;
    notify(&mut tx, resident_id, message, now()).await?;
    tx.commit().await
}

/// Why points could not change.
#[derive(Debug, thiserror::Error)]
pub enum PointsError {
    #[error("no such approved resident")]
    NoResident,
    #[error("no such active waste type")]
    NoWasteType,
    #[error("the balance would go below zero")]
    WouldGoNegative,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Adds `delta` points (negative to take away) with a note; never below zero.
pub async fn correct_points(
    db: &Db,
    resident_id: i64,
    delta: i64,
    note: &str,
    admin_id: i64,
    key: Option<IdempotencyKey<'_>>,
) -> Result<Guarded<i64>, PointsError> {
    let mut tx = db.begin_write().await?;
    if let Some(answer) = claim(&mut tx, key).await? {
        return Ok(Guarded::Replayed(answer));
    }
    let balance: Option<i64> = sqlx::query_scalar(
        "UPDATE residents SET points = points + $1 WHERE id = $2 AND status = 'approved' AND points + $1 >= 0 \
         RETURNING points",
    )
    .bind(delta)
    .bind(resident_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(balance) = balance else {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM residents WHERE id = $1 AND status = 'approved'")
                .bind(resident_id)
                .fetch_optional(&mut *tx)
                .await?;
        return Err(if exists.is_some() { PointsError::WouldGoNegative } else { PointsError::NoResident });
    };
    let entry = LedgerEntry { delta, kind: LedgerKind::Correction, refs: (None, None), at: now() };
    ledger_entry(&mut tx, resident_id, entry, note, Some(admin_id)).await?;
    let sign = if delta >= 0 { "+" } else { "" };
    let message = format!("Points corrected by CENRO staff: {sign}{delta} ({note}).");
    notify(&mut tx, resident_id, &message, now()).await?;
    answer(&mut tx, key, &balance.to_string()).await?;
    tx.commit().await?;
    Ok(Guarded::Fresh(balance))
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LedgerRow {
    pub id: i64,
    pub delta: i64,
    #[sqlx(try_from = "String")]
    pub kind: LedgerKind,
    pub note: String,
    pub created_at: i64,
}

/// A resident's ledger, newest first, and how many entries it has.
pub async fn ledger(
    db: &Db,
    resident_id: i64,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<LedgerRow>, i64)> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM points_ledger WHERE resident_id = $1")
        .bind(resident_id)
        .fetch_one(db.pool())
        .await?;
    let rows = sqlx::query_as(
        "SELECT id, delta, kind, note, created_at FROM points_ledger WHERE resident_id = $1 \
         ORDER BY id DESC LIMIT $2 OFFSET $3",
    )
    .bind(resident_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    Ok((rows, total))
}

/// A resident's balance and the sum of their ledger (always equal).
pub async fn balance_and_ledger_sum(db: &Db, resident_id: i64) -> sqlx::Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT r.points, CAST(COALESCE((SELECT SUM(delta) FROM points_ledger l WHERE l.resident_id = r.id), 0) AS BIGINT) AS total \
         FROM residents r WHERE r.id = $1",
    )
    .bind(resident_id)
    .fetch_one(db.pool())
    .await?;
    Ok((row.try_get("points")?, row.try_get("total")?))
}

pub async fn notifications<'c>(
    on: impl Reader<'c>,
    resident_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT message, created_at FROM notifications WHERE resident_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(resident_id)
    .bind(limit)
    .fetch_all(on)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("message")?, r.try_get("created_at")?))).collect()
}
