//! Figures of the whole programme for the console's dashboard.

use sqlx::Row;

use super::Reader;

/// Points credited for collections, ever.
pub async fn points_issued<'c>(on: impl Reader<'c>) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM collections").fetch_one(on).await
}

/// Hundredths of a kilogram collected since `since`.
pub async fn centikg_since<'c>(on: impl Reader<'c>, since: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(centikg), 0) AS BIGINT) FROM collections WHERE recorded_at >= $1",
    )
    .bind(since)
    .fetch_one(on)
    .await
}

/// Hundredths of a kilogram per week for `weeks` weeks from `start`.
pub async fn weekly_centikg<'c>(on: impl Reader<'c>, start: i64, weeks: i64) -> sqlx::Result<Vec<i64>> {
    const WEEK: i64 = 7 * 24 * 3600;
    let rows = sqlx::query(
        "SELECT (recorded_at - $1) / $2 AS week, CAST(SUM(centikg) AS BIGINT) AS total FROM collections \
         WHERE recorded_at >= $1 AND recorded_at < $3 GROUP BY 1",
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
