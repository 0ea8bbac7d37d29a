//! Collections: what was collected from whom, and the points it credited.

use sqlx::Row;

use super::{
    idempotency::{answer, claim, Guarded, IdempotencyKey},
    ledger::{ledger_entry, notify, LedgerEntry, PointsError},
    Db, Reader,
};
use crate::domain::LedgerKind;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub collection_id: i64,
    pub points: i64,
    pub waste_type: String,
}

/// Records a collection made at `at` and credits its points, in one
/// transaction.
pub async fn record_collection(
    db: &Db,
    resident_id: i64,
    waste_type_id: i64,
    centikg: i64,
    admin_id: i64,
    at: i64,
    key: Option<IdempotencyKey<'_>>,
) -> Result<Guarded<Recorded>, PointsError> {
    let mut tx = db.begin_write().await?;
    if let Some(answer) = claim(&mut tx, key).await? {
        return Ok(Guarded::Replayed(answer));
    }
    let waste = sqlx::query("SELECT name, points_per_kg FROM waste_types WHERE id = $1 AND active = 1")
        .bind(waste_type_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(PointsError::NoWasteType)?;
    let waste_type: String = waste.try_get("name")?;
    let points = crate::domain::Weight(centikg).points_at(waste.try_get("points_per_kg")?);
    let credited =
        sqlx::query("UPDATE residents SET points = points + $1 WHERE id = $2 AND status = 'approved'")
            .bind(points)
            .bind(resident_id)
            .execute(&mut *tx)
            .await?;
    if credited.rows_affected() == 0 {
        return Err(PointsError::NoResident);
    }
    let collection_id: i64 = sqlx::query_scalar(
        "INSERT INTO collections (resident_id, waste_type_id, centikg, points, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(resident_id)
    .bind(waste_type_id)
    .bind(centikg)
    .bind(points)
    .bind(admin_id)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let weight = crate::domain::Weight(centikg);
    let note = format!("{weight} of {waste_type}");
    let entry =
        LedgerEntry { delta: points, kind: LedgerKind::Collection, refs: (Some(collection_id), None), at };
    ledger_entry(&mut tx, resident_id, entry, &note, Some(admin_id)).await?;
    notify(&mut tx, resident_id, &format!("Collection recorded: {note}, +{points} points."), at).await?;
    // The day's total (the console's chart), then, last before the
    // answer, the one totals row, held until commit.
    sqlx::query(
        "INSERT INTO collection_days (starts_at, centikg) VALUES ($1, $2) \
         ON CONFLICT (starts_at) DO UPDATE SET centikg = collection_days.centikg + excluded.centikg",
    )
    .bind(crate::server::format::local_midnight(at))
    .bind(centikg)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE programme_totals \
         SET points_issued = points_issued + $1, collections_recorded = collections_recorded + 1 WHERE id = 1",
    )
        .bind(points)
        .execute(&mut *tx)
        .await?;
    answer(&mut tx, key, &points.to_string()).await?;
    tx.commit().await?;
    Ok(Guarded::Fresh(Recorded { collection_id, points, waste_type }))
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CollectionRow {
    pub id: i64,
    pub resident_id: i64,
    pub resident_name: String,
    pub waste_type: String,
    pub centikg: i64,
    pub points: i64,
    pub recorded_at: i64,
    pub recorded_by: String,
}

/// Collections, newest first: of one resident, or of everyone.
pub async fn collections(
    db: &Db,
    resident_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<CollectionRow>, i64)> {
    let total: i64 = match resident_id {
        // One resident's, through the index on `resident_id`.
        Some(_) => {
            let (filter, id) = collections_of(resident_id);
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM collections c WHERE {filter}"))
                .bind(id)
                .fetch_one(db.pool())
                .await?
        }
        // Everyone's: the running total, not a count of the whole table.
        None => {
            sqlx::query_scalar(
                "SELECT CAST(COALESCE(MAX(collections_recorded), 0) AS BIGINT) FROM programme_totals",
            )
            .fetch_one(db.pool())
            .await?
        }
    };
    Ok((latest_collections(db.pool(), resident_id, limit, offset).await?, total))
}

/// The filter (on `$1`) and its value for one resident's collections or
/// everyone's. A plain `c.resident_id = $1` lets the index answer; the
/// `($1 = 0 OR …)` form would make SQLite read every collection.
fn collections_of(resident_id: Option<i64>) -> (&'static str, i64) {
    match resident_id {
        Some(id) => ("c.resident_id = $1", id),
        None => ("$1 = 0", 0),
    }
}

/// The same list without counting them all (a dashboard's "latest five").
pub async fn latest_collections<'c>(
    on: impl Reader<'c>,
    resident_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<CollectionRow>> {
    let (filter, id) = collections_of(resident_id);
    sqlx::query_as(&format!(
        "SELECT c.id, c.resident_id, r.name AS resident_name, w.name AS waste_type, c.centikg, c.points, \
         c.recorded_at, COALESCE(a.name, 'Staff') AS recorded_by \
         FROM collections c JOIN residents r ON r.id = c.resident_id JOIN waste_types w ON w.id = c.waste_type_id \
         LEFT JOIN admins a ON a.id = c.recorded_by \
         WHERE {filter} ORDER BY c.recorded_at DESC, c.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(id)
    .bind(limit)
    .bind(offset)
    .fetch_all(on)
    .await
}
