//! Figures of the whole programme for the console's dashboard.

use sqlx::Row;

use super::Reader;
use crate::domain::{AccountStatus, RedemptionStatus};

/// The console's headline figures, read in one statement (each statement
/// is a round trip to the database's connection): points credited for
/// collections ever (the running total), hundredths of a kilogram
/// collected since `since` (a local midnight; from the days' totals),
/// redemptions waiting to be handed over, and residents by status.
pub struct Headline {
    pub points_issued: i64,
    pub centikg_since: i64,
    pub open_redemptions: i64,
    pub pending: i64,
    pub approved: i64,
    pub suspended_or_rejected: i64,
}

pub async fn headline<'c>(on: impl Reader<'c>, since: i64) -> sqlx::Result<Headline> {
    let row = sqlx::query(
        "SELECT \
           (SELECT CAST(COALESCE(MAX(points_issued), 0) AS BIGINT) FROM programme_totals) AS points_issued, \
           (SELECT CAST(COALESCE(SUM(centikg), 0) AS BIGINT) FROM collection_days WHERE starts_at >= $1) AS centikg, \
           (SELECT COUNT(*) FROM redemptions WHERE status = $2) AS open_redemptions, \
           (SELECT COUNT(*) FROM residents WHERE status = $3) AS pending, \
           (SELECT COUNT(*) FROM residents WHERE status = $4) AS approved, \
           (SELECT COUNT(*) FROM residents WHERE status IN ($5, $6)) AS suspended_or_rejected",
    )
    .bind(since)
    .bind(RedemptionStatus::Open.as_str())
    .bind(AccountStatus::Pending.as_str())
    .bind(AccountStatus::Approved.as_str())
    .bind(AccountStatus::Suspended.as_str())
    .bind(AccountStatus::Rejected.as_str())
    .fetch_one(on)
    .await?;
    Ok(Headline {
        points_issued: row.try_get("points_issued")?,
        centikg_since: row.try_get("centikg")?,
        open_redemptions: row.try_get("open_redemptions")?,
        pending: row.try_get("pending")?,
        approved: row.try_get("approved")?,
        suspended_or_rejected: row.try_get("suspended_or_rejected")?,
    })
}

/// Hundredths of a kilogram per week for `weeks` weeks from `start` (a
/// local midnight), summed from the days' totals by the database: twelve
/// rows come back, not one per day (each row costs more to hand over than
/// to sum).
pub async fn weekly_centikg<'c>(on: impl Reader<'c>, start: i64, weeks: i64) -> sqlx::Result<Vec<i64>> {
    const WEEK: i64 = 7 * 24 * 3600;
    let rows = sqlx::query(
        "SELECT (starts_at - $1) / $2 AS week, CAST(SUM(centikg) AS BIGINT) AS total FROM collection_days \
         WHERE starts_at >= $1 AND starts_at < $3 GROUP BY 1",
    )
    .bind(start)
    .bind(WEEK)
    .bind(start + weeks * WEEK)
    .fetch_all(on)
    .await?;
    let mut totals = vec![0; weeks as usize];
    for r in rows {
        let week: i64 = r.try_get("week")?;
        let total: i64 = r.try_get("total")?;
        if let Some(slot) = totals.get_mut(week as usize) {
            *slot += total;
        }
    }
    Ok(totals)
}
