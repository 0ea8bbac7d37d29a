//! The 27 barangays of San Pedro City (seeded by the first migration).

use sqlx::Row;

use super::Db;

/// One barangay.
#[derive(Clone, Debug)]
pub struct BarangayRow {
    pub id: i64,
    pub name: String,
}

/// All barangays, alphabetical.
pub async fn list(db: &Db) -> sqlx::Result<Vec<BarangayRow>> {
    let rows = sqlx::query("SELECT id, name FROM barangays ORDER BY name").fetch_all(db.pool()).await?;
    rows.iter().map(|r| Ok(BarangayRow { id: r.try_get("id")?, name: r.try_get("name")? })).collect()
}

/// The barangay's name, if the id exists.
pub async fn name(db: &Db, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT name FROM barangays WHERE id = $1").bind(id).fetch_optional(db.pool()).await
}
