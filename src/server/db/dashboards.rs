//! Figures of the whole programme for the console's dashboard.

use sqlx::Row;

use super::Reader;
use crate::domain::{AccountStatus, RedemptionStatus};

/// The console's headline figures, read in one statement (each statement
/// is a round trip to the database's connection): points credited for
/// collections ever (the running total), redemptions waiting to be handed
/// over, and residents by status.
pub struct Headline {
    pub points_issued: i64,
    pub open_redemptions: i64,
    pub pending: i64,
    pub approved: i64,
    pub suspended_or_rejected: i64,
}

pub async fn headline<'c>(on: impl Reader<'c>) -> sqlx::Result<Headline> {
    let row = sqlx::query(
        "SELECT \
           (SELECT CAST(COALESCE(MAX(points_issued), 0) AS BIGINT) FROM programme_totals) AS points_issued, \
           (SELECT COUNT(*) FROM redemptions WHERE status = $1) AS open_redemptions, \
           (SELECT COUNT(*) FROM residents WHERE status = $2) AS pending, \
           (SELECT COUNT(*) FROM residents WHERE status = $3) AS approved, \
           (SELECT COUNT(*) FROM residents WHERE status IN ($4, $5)) AS suspended_or_rejected",
    )
    .bind(RedemptionStatus::Open.as_str())
    .bind(AccountStatus::Pending.as_str())
    .bind(AccountStatus::Approved.as_str())
    .bind(AccountStatus::Suspended.as_str())
    .bind(AccountStatus::Rejected.as_str())
    .fetch_one(on)
    .await?;
    Ok(Headline {
        points_issued: row.try_get("points_issued")?,
        open_redemptions: row.try_get("open_redemptions")?,
        pending: row.try_get("pending")?,
        approved: row.try_get("approved")?,
        suspended_or_rejected: row.try_get("suspended_or_rejected")?,
    })
}

/// Hundredths of a kilogram collected per day from `start` (a local
/// midnight) until `end`: each day that had a collection, with the Unix
/// second its day starts at, oldest first.
pub async fn daily_centikg<'c>(on: impl Reader<'c>, start: i64, end: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT starts_at, centikg FROM collection_days WHERE starts_at >= $1 AND starts_at < $2 \
         ORDER BY starts_at",
    )
    .bind(start)
    .bind(end)
    .fetch_all(on)
    .await
}
