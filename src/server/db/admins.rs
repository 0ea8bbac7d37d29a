//! The `admins` table: accounts of the admin realm.

use sqlx::{any::AnyRow, Row};

use super::{is_unique_violation, now, Db};
use crate::domain::{AdminRole, Email, PersonName, StaffStatus};

/// A staff member as stored. Serialisable: a session loaded with its staff
/// member carries the row for the rest of the request, never into storage
/// (`auth::store`).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct AdminRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: AdminRole,
    pub active: bool,
    /// Never serialised: a row carried with a session has it empty, so no
    /// session, in memory or stored, holds a password hash. What checks a
    /// password reads the hash afresh (`find_by_email`, `password_hash`).
    #[serde(skip_serializing, default)]
    pub password_hash: String,
    pub must_change_password: bool,
    /// Has a second factor (an authenticator key or a passkey): a password
    /// sign-in takes two steps.
    pub two_step: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum InsertAdminError {
    #[error("email already registered")]
    DuplicateEmail,
    /// Only for the first-admin path: someone created one meanwhile.
    #[error("an admin already exists")]
    AlreadySetUp,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// An `AdminRow`'s columns: `a` is the staff member.
macro_rules! columns {
    () => {
        "a.id, a.email, a.name, a.role, a.status, a.password_hash, a.must_change_password, \
         (SELECT COUNT(*) FROM second_factors f WHERE f.realm = 'admin' AND f.account_id = a.id) \
         + (SELECT COUNT(*) FROM passkeys p WHERE p.realm = 'admin' AND p.account_id = a.id) AS two_step"
    };
}

const SELECT: &str = concat!("SELECT ", columns!(), " FROM admins a");

/// A live session of the staff realm (`$1` its id hash, `$2` the realm,
/// `$3` now) and, in the same statement, the row of the staff member
/// signed in with it (NULLs for a session nobody is signed in with).
pub(super) const LIVE_SESSION: &str = concat!(
    "SELECT s.data, s.expires_at, ",
    columns!(),
    " FROM sessions s LEFT JOIN admins a ON a.id = s.account_id \
     WHERE s.id_hash = $1 AND s.realm = $2 AND s.expires_at > $3"
);

pub(super) fn from_row(r: &AnyRow) -> sqlx::Result<AdminRow> {
    let role: String = r.try_get("role")?;
    let status: String = r.try_get("status")?;
    let must_change: i64 = r.try_get("must_change_password")?;
    Ok(AdminRow {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        role: AdminRole::parse(&role)
            .ok_or_else(|| sqlx::Error::Decode(format!("bad role {role}").into()))?,
        active: StaffStatus::parse(&status)
            .ok_or_else(|| sqlx::Error::Decode(format!("bad staff status {status}").into()))?
            == StaffStatus::Active,
        password_hash: r.try_get("password_hash")?,
        must_change_password: must_change != 0,
        two_step: r.try_get::<i64, _>("two_step")? > 0,
    })
}

pub async fn count(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM admins").fetch_one(db.pool()).await
}

/// Inserts a staff account. With `only_if_none`, the insert happens only
/// while the table is empty (first super admin), atomically.
pub async fn insert(
    db: &Db,
    email: &Email,
    name: &PersonName,
    role: AdminRole,
    password_hash: &str,
    must_change_password: bool,
    only_if_none: bool,
) -> Result<i64, InsertAdminError> {
    let guard = if only_if_none { " WHERE NOT EXISTS (SELECT 1 FROM admins)" } else { "" };
    let id: Option<i64> = sqlx::query_scalar(&format!(
        "INSERT INTO admins (email, name, role, password_hash, status, must_change_password, created_at) \
         SELECT $1, $2, $3, $4, $7, $5, $6{guard} RETURNING id"
    ))
    .bind(email.as_str())
    .bind(name.as_str())
    .bind(role.as_str())
    .bind(password_hash)
    .bind(i64::from(must_change_password))
    .bind(now())
    .bind(StaffStatus::Active.as_str())
    .fetch_optional(db.pool())
    .await
    .map_err(|e| if is_unique_violation(&e) { InsertAdminError::DuplicateEmail } else { e.into() })?;
    id.ok_or(InsertAdminError::AlreadySetUp)
}

pub async fn find_by_email(db: &Db, email: &Email) -> sqlx::Result<Option<AdminRow>> {
    let row = sqlx::query(&format!("{SELECT} WHERE a.email = $1"))
        .bind(email.as_str())
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn find(db: &Db, id: i64) -> sqlx::Result<Option<AdminRow>> {
    let row = sqlx::query(&format!("{SELECT} WHERE a.id = $1")).bind(id).fetch_optional(db.pool()).await?;
    row.as_ref().map(from_row).transpose()
}

impl super::AccountRow for AdminRow {
    fn id(&self) -> i64 {
        self.id
    }

    fn find(db: &Db, id: i64) -> impl std::future::Future<Output = sqlx::Result<Option<Self>>> + Send {
        self::find(db, id)
    }
}

/// The stored password hash of an account.
pub async fn password_hash(db: &Db, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT password_hash FROM admins WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
}

/// Replaces an account's password hash with one its owner chose (a
/// temporary password no longer needs changing).
pub async fn set_password_hash(db: &Db, id: i64, hash: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE admins SET password_hash = $1, must_change_password = 0 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Staff accounts, by name, one page at a time, and how many there are.
pub async fn list(db: &Db, limit: i64, offset: i64) -> sqlx::Result<(Vec<AdminRow>, i64)> {
    let total = count(db).await?;
    let rows = sqlx::query(&format!("{SELECT} ORDER BY a.name, a.id LIMIT $1 OFFSET $2"))
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    Ok((rows.iter().map(from_row).collect::<sqlx::Result<_>>()?, total))
}

/// How many active super admins there are (the last one cannot be demoted
/// or suspended).
pub async fn count_active_super_admins(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM admins WHERE role = 'super_admin' AND status = 'active'")
        .fetch_one(db.pool())
        .await
}

/// Changes a staff member's role, unless that would leave no active super
/// admin: false then. The check and the change are one step even with
/// concurrent demotions (two super admins demoting each other at once).
pub async fn set_role(db: &Db, id: i64, role: AdminRole) -> sqlx::Result<bool> {
    keeping_a_super_admin(
        db,
        "UPDATE admins SET role = $1 WHERE id = $2 AND NOT (role = 'super_admin' AND status = 'active' \
         AND $1 <> 'super_admin' AND (SELECT COUNT(*) FROM admins WHERE role = 'super_admin' AND status = 'active') <= 1)",
        role.as_str(),
        id,
    )
    .await
}

/// Runs a guarded update of one admin row with the super admins' lock
/// held: on PostgreSQL an advisory transaction lock serialises these
/// updates (each then sees the other's result); on SQLite the single
/// statement already holds the database's write lock.
async fn keeping_a_super_admin(db: &Db, sql: &str, value: &str, id: i64) -> sqlx::Result<bool> {
    let mut tx = db.begin_write().await?;
    if db.backend() == super::Backend::Postgres {
        sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(7301)) AS held").execute(&mut *tx).await?;
    }
    let done = sqlx::query(sql).bind(value).bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}

/// Suspends or reactivates a staff member; a suspension that would leave
/// no active super admin changes nothing (false).
pub async fn set_active(db: &Db, id: i64, active: bool) -> sqlx::Result<bool> {
    keeping_a_super_admin(
        db,
        "UPDATE admins SET status = $1 WHERE id = $2 AND NOT (role = 'super_admin' AND status = 'active' \
         AND $1 <> 'active' AND (SELECT COUNT(*) FROM admins WHERE role = 'super_admin' AND status = 'active') <= 1)",
        if active { StaffStatus::Active } else { StaffStatus::Suspended }.as_str(),
        id,
    )
    .await
}
