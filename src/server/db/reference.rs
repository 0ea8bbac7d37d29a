//! Reference data the staff keep: waste types (what each kilogram is
//! worth) and the collection schedule of each barangay.

use super::{is_unique_violation, now, Db, Reader};

// ---------------------------------------------------------------- waste types

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct WasteTypeRow {
    pub id: i64,
    pub name: String,
    pub points_per_kg: i64,
    #[sqlx(try_from = "super::flag::Flag")]
    pub active: bool,
}

pub async fn waste_types(db: &Db) -> sqlx::Result<Vec<WasteTypeRow>> {
    sqlx::query_as("SELECT id, name, points_per_kg, active FROM waste_types ORDER BY name")
        .fetch_all(db.pool())
        .await
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

pub(super) fn save_error(e: sqlx::Error) -> SaveError {
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

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
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
    sqlx::query_as(&format!(
        "SELECT s.barangay_id, b.name AS barangay, s.weekday, s.note FROM collection_schedules s \
         JOIN barangays b ON b.id = s.barangay_id \
         WHERE {filter} ORDER BY b.name, s.weekday"
    ))
    .bind(id)
    .fetch_all(on)
    .await
}

/// The collection days of one barangay, from every barangay's read
/// through memory (`cache`): `set_schedule` drops them.
pub async fn schedule_of(db: &Db, barangay_id: i64) -> sqlx::Result<Vec<ScheduleRow>> {
    let all = db.cache().schedules.get_or_load(|| schedules(db.pool(), None)).await?;
    Ok(all.iter().filter(|s| s.barangay_id == barangay_id).cloned().collect())
}

/// Sets (with a note) or clears a barangay's collection on a weekday.
pub async fn set_schedule(db: &Db, barangay_id: i64, weekday: i64, note: Option<&str>) -> sqlx::Result<()> {
    let set = write_schedule(db, barangay_id, weekday, note).await;
    db.cache().schedules.invalidate();
    set
}

async fn write_schedule(db: &Db, barangay_id: i64, weekday: i64, note: Option<&str>) -> sqlx::Result<()> {
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
