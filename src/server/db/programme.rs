//! The programme's tables: waste types, collection schedules, collections,
//! the points ledger, rewards, redemptions and notifications.
//!
//! A resident's balance (`residents.points`) only ever changes together
//! with a ledger entry, in one transaction, through a conditional UPDATE
//! that cannot take it below zero; reward stock works the same way. So
//! concurrent redemptions can neither overspend points nor oversell stock,
//! on SQLite (one writer at a time) as on PostgreSQL (row locks, the
//! condition re-checked after the wait).

use sqlx::{any::AnyRow, Any, Row, Transaction};

use super::{
    idempotency::{answer, claim, Guarded, IdempotencyKey},
    is_unique_violation, now, Db, Reader,
};
use crate::domain::RedemptionStatus;

fn flag(r: &AnyRow, column: &str) -> sqlx::Result<bool> {
    Ok(r.try_get::<i64, _>(column)? != 0)
}

// ---------------------------------------------------------------- waste types

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WasteTypeRow {
    pub id: i64,
    pub name: String,
    pub points_per_kg: i64,
    pub active: bool,
}

pub async fn waste_types(db: &Db) -> sqlx::Result<Vec<WasteTypeRow>> {
    let rows = sqlx::query("SELECT id, name, points_per_kg, active FROM waste_types ORDER BY name")
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(WasteTypeRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                points_per_kg: r.try_get("points_per_kg")?,
                active: flag(r, "active")?,
            })
        })
        .collect()
}

/// Why a name-keyed insert or update did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("the name is taken")]
    DuplicateName,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn save_error(e: sqlx::Error) -> SaveError {
    if is_unique_violation(&e) {
        SaveError::DuplicateName
    } else {
        SaveError::Db(e)
    }
}

/// Adds a waste type (`id` None) or updates one.
pub async fn save_waste_type(
    db: &Db,
    id: Option<i64>,
    name: &str,
    points_per_kg: i64,
    active: bool,
) -> Result<i64, SaveError> {
    match id {
        None => sqlx::query_scalar(
            "INSERT INTO waste_types (name, points_per_kg, active, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(name)
        .bind(points_per_kg)
        .bind(i64::from(active))
        .bind(now())
        .fetch_one(db.pool())
        .await
        .map_err(save_error),
        Some(id) => {
            let done = sqlx::query("UPDATE waste_types SET name = $1, points_per_kg = $2, active = $3 WHERE id = $4")
                .bind(name)
                .bind(points_per_kg)
                .bind(i64::from(active))
                .bind(id)
                .execute(db.pool())
                .await
                .map_err(save_error)?;
            if done.rows_affected() == 0 {
                return Err(SaveError::NotFound);
            }
            Ok(id)
        }
    }
}

// ------------------------------------------------------------------ schedules

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleRow {
    pub barangay_id: i64,
    pub barangay: String,
    pub weekday: i64,
    pub note: String,
}

/// Collection days, of one barangay or of all, by barangay and weekday.
/// `on` is the pool or one held connection (see [`Db::reader`]).
pub async fn schedules<'c>(on: impl Reader<'c>, barangay_id: Option<i64>) -> sqlx::Result<Vec<ScheduleRow>> {
    let (filter, id) = match barangay_id {
        Some(id) => ("s.barangay_id = $1", id),
        None => ("$1 = 0", 0),
    };
    let rows = sqlx::query(&format!(
        "SELECT s.barangay_id, b.name AS barangay, s.weekday, s.note FROM collection_schedules s \
         JOIN barangays b ON b.id = s.barangay_id \
         WHERE {filter} ORDER BY b.name, s.weekday"
    ))
    .bind(id)
    .fetch_all(on)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ScheduleRow {
                barangay_id: r.try_get("barangay_id")?,
                barangay: r.try_get("barangay")?,
                weekday: r.try_get("weekday")?,
                note: r.try_get("note")?,
            })
        })
        .collect()
}

/// Sets (with a note) or clears a barangay's collection on a weekday.
pub async fn set_schedule(db: &Db, barangay_id: i64, weekday: i64, note: Option<&str>) -> sqlx::Result<()> {
    match note {
        Some(note) => {
            sqlx::query(
                "INSERT INTO collection_schedules (barangay_id, weekday, note) VALUES ($1, $2, $3) \
                 ON CONFLICT (barangay_id, weekday) DO UPDATE SET note = $3",
            )
            .bind(barangay_id)
            .bind(weekday)
            .bind(note)
            .execute(db.pool())
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM collection_schedules WHERE barangay_id = $1 AND weekday = $2")
                .bind(barangay_id)
                .bind(weekday)
                .execute(db.pool())
                .await?;
        }
    }
    Ok(())
}

// ------------------------------------------------------- collections, ledger

/// One change of points: amount, kind, the collection or redemption it
/// belongs to, and when.
struct LedgerEntry {
    delta: i64,
    kind: &'static str,
    refs: (Option<i64>, Option<i64>),
    at: i64,
}

async fn ledger_entry(
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
    .bind(kind)
    .bind(refs.0)
    .bind(refs.1)
    .bind(note)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn notify(tx: &mut Transaction<'_, Any>, resident_id: i64, message: &str, at: i64) -> sqlx::Result<()> {
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

/// What a recorded collection came to.
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
    let entry = LedgerEntry { delta: points, kind: "collection", refs: (Some(collection_id), None), at };
    ledger_entry(&mut tx, resident_id, entry, &note, Some(admin_id)).await?;
    notify(&mut tx, resident_id, &format!("Collection recorded: {note}, +{points} points."), at).await?;
    answer(&mut tx, key, &points.to_string()).await?;
    tx.commit().await?;
    Ok(Guarded::Fresh(Recorded { collection_id, points, waste_type }))
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
    let entry = LedgerEntry { delta, kind: "correction", refs: (None, None), at: now() };
    ledger_entry(&mut tx, resident_id, entry, note, Some(admin_id)).await?;
    let sign = if delta >= 0 { "+" } else { "" };
    let message = format!("Points corrected by CENRO staff: {sign}{delta} ({note}).");
    notify(&mut tx, resident_id, &message, now()).await?;
    answer(&mut tx, key, &balance.to_string()).await?;
    tx.commit().await?;
    Ok(Guarded::Fresh(balance))
}

#[derive(Clone, Debug, PartialEq, Eq)]
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
    let (filter, id) = collections_of(resident_id);
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM collections c WHERE {filter}"))
        .bind(id)
        .fetch_one(db.pool())
        .await?;
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
    let rows = sqlx::query(&format!(
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
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CollectionRow {
                id: r.try_get("id")?,
                resident_id: r.try_get("resident_id")?,
                resident_name: r.try_get("resident_name")?,
                waste_type: r.try_get("waste_type")?,
                centikg: r.try_get("centikg")?,
                points: r.try_get("points")?,
                recorded_at: r.try_get("recorded_at")?,
                recorded_by: r.try_get("recorded_by")?,
            })
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRow {
    pub id: i64,
    pub delta: i64,
    pub kind: String,
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
    let rows = sqlx::query(
        "SELECT id, delta, kind, note, created_at FROM points_ledger WHERE resident_id = $1 \
         ORDER BY id DESC LIMIT $2 OFFSET $3",
    )
    .bind(resident_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let rows = rows
        .iter()
        .map(|r| {
            Ok(LedgerRow {
                id: r.try_get("id")?,
                delta: r.try_get("delta")?,
                kind: r.try_get("kind")?,
                note: r.try_get("note")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<sqlx::Result<_>>()?;
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

// ---------------------------------------------------------- rewards, redeems

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RewardRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub cost_points: i64,
    pub stock: i64,
    pub active: bool,
}

/// The catalogue: everything (staff) or what residents may redeem.
pub async fn rewards<'c>(on: impl Reader<'c>, only_available: bool) -> sqlx::Result<Vec<RewardRow>> {
    let filter = if only_available { "WHERE active = 1 AND stock > 0" } else { "" };
    let rows = sqlx::query(&format!(
        "SELECT id, name, description, cost_points, stock, active FROM rewards {filter} ORDER BY cost_points, name"
    ))
    .fetch_all(on)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(RewardRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                description: r.try_get("description")?,
                cost_points: r.try_get("cost_points")?,
                stock: r.try_get("stock")?,
                active: flag(r, "active")?,
            })
        })
        .collect()
}

/// Adds a reward (`reward.id` 0) or updates one.
pub async fn save_reward(db: &Db, reward: &RewardRow) -> Result<i64, SaveError> {
    if reward.id == 0 {
        return sqlx::query_scalar(
            "INSERT INTO rewards (name, description, cost_points, stock, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&reward.name)
        .bind(&reward.description)
        .bind(reward.cost_points)
        .bind(reward.stock)
        .bind(i64::from(reward.active))
        .bind(now())
        .fetch_one(db.pool())
        .await
        .map_err(save_error);
    }
    let done = sqlx::query(
        "UPDATE rewards SET name = $1, description = $2, cost_points = $3, stock = $4, active = $5 WHERE id = $6",
    )
    .bind(&reward.name)
    .bind(&reward.description)
    .bind(reward.cost_points)
    .bind(reward.stock)
    .bind(i64::from(reward.active))
    .bind(reward.id)
    .execute(db.pool())
    .await
    .map_err(save_error)?;
    if done.rows_affected() == 0 {
        return Err(SaveError::NotFound);
    }
    Ok(reward.id)
}

/// Why a redemption did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RedeemError {
    #[error("the reward is not available")]
    Unavailable,
    #[error("not enough points")]
    NotEnoughPoints,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Redeems one unit of a reward: stock down, points held, in one
/// transaction; neither can go below zero.
pub async fn redeem(
    db: &Db,
    resident_id: i64,
    reward_id: i64,
    key: Option<IdempotencyKey<'_>>,
) -> Result<Guarded<(i64, String, i64)>, RedeemError> {
    let mut tx = db.begin_write().await?;
    if let Some(answer) = claim(&mut tx, key).await? {
        return Ok(Guarded::Replayed(answer));
    }
    let reward = sqlx::query(
        "UPDATE rewards SET stock = stock - 1 WHERE id = $1 AND active = 1 AND stock > 0 RETURNING name, cost_points",
    )
    .bind(reward_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(RedeemError::Unavailable)?;
    let name: String = reward.try_get("name")?;
    let cost: i64 = reward.try_get("cost_points")?;
    let held = sqlx::query(
        "UPDATE residents SET points = points - $1 WHERE id = $2 AND status = 'approved' AND points >= $1",
    )
    .bind(cost)
    .bind(resident_id)
    .execute(&mut *tx)
    .await?;
    if held.rows_affected() == 0 {
        return Err(RedeemError::NotEnoughPoints);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO redemptions (resident_id, reward_id, cost_points, status, created_at) \
         VALUES ($1, $2, $3, 'open', $4) RETURNING id",
    )
    .bind(resident_id)
    .bind(reward_id)
    .bind(cost)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    let entry = LedgerEntry { delta: -cost, kind: "redemption", refs: (None, Some(id)), at: now() };
    ledger_entry(&mut tx, resident_id, entry, &name, None).await?;
    answer(&mut tx, key, "null").await?;
    tx.commit().await?;
    Ok(Guarded::Fresh((id, name, cost)))
}

/// Closes an open redemption: fulfilled, or cancelled with the points and
/// the stock given back. Returns the resident and the reward's name, or
/// `None` if it was not open any more.
pub async fn close_redemption(
    db: &Db,
    redemption_id: i64,
    to: RedemptionStatus,
    admin_id: i64,
    key: Option<IdempotencyKey<'_>>,
) -> sqlx::Result<Guarded<Option<(i64, String)>>> {
    let mut tx = db.begin_write().await?;
    if let Some(answer) = claim(&mut tx, key).await? {
        return Ok(Guarded::Replayed(answer));
    }
    let row = sqlx::query(
        "UPDATE redemptions SET status = $1, decided_at = $2, decided_by = $3 WHERE id = $4 AND status = 'open' \
         RETURNING resident_id, reward_id, cost_points",
    )
    .bind(to.as_str())
    .bind(now())
    .bind(admin_id)
    .bind(redemption_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Ok(Guarded::Fresh(None)) };
    let resident_id: i64 = row.try_get("resident_id")?;
    let reward_id: i64 = row.try_get("reward_id")?;
    let cost: i64 = row.try_get("cost_points")?;
    let name: String = sqlx::query_scalar("SELECT name FROM rewards WHERE id = $1")
        .bind(reward_id)
        .fetch_one(&mut *tx)
        .await?;
    if to == RedemptionStatus::Cancelled {
        sqlx::query("UPDATE residents SET points = points + $1 WHERE id = $2")
            .bind(cost)
            .bind(resident_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE rewards SET stock = stock + 1 WHERE id = $1")
            .bind(reward_id)
            .execute(&mut *tx)
            .await?;
        let entry = LedgerEntry { delta: cost, kind: "refund", refs: (None, Some(redemption_id)), at: now() };
        ledger_entry(&mut tx, resident_id, entry, &name, Some(admin_id)).await?;
        let message = format!("Your redemption of {name} was cancelled; {cost} points returned.");
        notify(&mut tx, resident_id, &message, now()).await?;
    } else {
        notify(&mut tx, resident_id, &format!("Your reward {name} was handed over. Enjoy!"), now()).await?;
    }
    answer(&mut tx, key, "null").await?;
    tx.commit().await?;
    Ok(Guarded::Fresh(Some((resident_id, name))))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedemptionRow {
    pub id: i64,
    pub resident_id: i64,
    pub resident_name: String,
    pub resident_email: String,
    pub reward: String,
    pub cost_points: i64,
    pub status: RedemptionStatus,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

/// How many of a resident's redemptions wait to be handed over.
pub async fn open_redemption_count<'c>(on: impl Reader<'c>, resident_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM redemptions WHERE resident_id = $1 AND status = $2")
        .bind(resident_id)
        .bind(RedemptionStatus::Open.as_str())
        .fetch_one(on)
        .await
}

/// How many redemptions, of everyone, wait to be handed over.
pub async fn all_open_redemption_count<'c>(on: impl Reader<'c>) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM redemptions WHERE status = $1")
        .bind(RedemptionStatus::Open.as_str())
        .fetch_one(on)
        .await
}

/// Redemptions, newest first, by resident and/or status.
pub async fn redemptions(
    db: &Db,
    resident_id: Option<i64>,
    status: Option<RedemptionStatus>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<RedemptionRow>, i64)> {
    let filter = "($1 = 0 OR d.resident_id = $1) AND ($2 = '' OR d.status = $2)";
    let status = status.map(RedemptionStatus::as_str).unwrap_or("");
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM redemptions d WHERE {filter}"))
        .bind(resident_id.unwrap_or(0))
        .bind(status)
        .fetch_one(db.pool())
        .await?;
    let rows = sqlx::query(&format!(
        "SELECT d.id, d.resident_id, r.name AS resident_name, r.email AS resident_email, w.name AS reward, \
         d.cost_points, d.status, d.created_at, d.decided_at \
         FROM redemptions d JOIN residents r ON r.id = d.resident_id JOIN rewards w ON w.id = d.reward_id \
         WHERE {filter} ORDER BY d.created_at DESC, d.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(resident_id.unwrap_or(0))
    .bind(status)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let rows = rows
        .iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            Ok(RedemptionRow {
                id: r.try_get("id")?,
                resident_id: r.try_get("resident_id")?,
                resident_name: r.try_get("resident_name")?,
                resident_email: r.try_get("resident_email")?,
                reward: r.try_get("reward")?,
                cost_points: r.try_get("cost_points")?,
                status: RedemptionStatus::parse(&status)
                    .ok_or_else(|| sqlx::Error::Decode(format!("bad status {status}").into()))?,
                created_at: r.try_get("created_at")?,
                decided_at: r.try_get("decided_at")?,
            })
        })
        .collect::<sqlx::Result<_>>()?;
    Ok((rows, total))
}
