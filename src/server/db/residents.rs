//! The `residents` table: accounts of the user realm.

use sqlx::{any::AnyRow, Row};

use super::{is_unique_violation, now, Db};
use crate::domain::{AccountStatus, Email, PersonName};

/// A resident as stored. Serialisable: a session loaded with its resident
/// carries the row for the rest of the request (`auth::store`).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ResidentRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub barangay_id: i64,
    pub barangay: String,
    pub status: AccountStatus,
    pub created_at: i64,
    /// The points balance (the ledger's sum, kept with every ledger write).
    pub points: i64,
    /// Rewards redeemed and not yet handed over (nor cancelled), counted in
    /// the statement that reads the row: the pages that show it need no
    /// round trip of their own.
    pub open_redemptions: i64,
}

/// What sign-in needs: the hash and whether the account may sign in.
#[derive(Clone, Debug)]
pub struct ResidentCredentials {
    pub id: i64,
    pub password_hash: String,
    pub status: AccountStatus,
}

/// Why an insert did not happen.
#[derive(Debug, thiserror::Error)]
pub enum InsertResidentError {
    #[error("email already registered")]
    DuplicateEmail,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A `ResidentRow`'s columns: `r` is the resident, `b` their barangay.
macro_rules! columns {
    () => {
        "r.id, r.email, r.name, r.barangay_id, b.name AS barangay, r.status, r.created_at, r.points, \
         (SELECT COUNT(*) FROM redemptions o WHERE o.resident_id = r.id AND o.status = 'open') \
         AS open_redemptions"
    };
}

const SELECT: &str =
    concat!("SELECT ", columns!(), " FROM residents r JOIN barangays b ON b.id = r.barangay_id");

/// A live session of the residents' realm (`$1` its id hash, `$2` the
/// realm, `$3` now) and, in the same statement, the row of the resident
/// signed in with it (NULLs for a session nobody is signed in with).
pub(super) const LIVE_SESSION: &str = concat!(
    "SELECT s.data, s.expires_at, ",
    columns!(),
    " FROM sessions s LEFT JOIN residents r ON r.id = s.account_id \
     LEFT JOIN barangays b ON b.id = r.barangay_id \
     WHERE s.id_hash = $1 AND s.realm = $2 AND s.expires_at > $3"
);

pub(super) fn from_row(r: &AnyRow) -> sqlx::Result<ResidentRow> {
    let status: String = r.try_get("status")?;
    Ok(ResidentRow {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        barangay_id: r.try_get("barangay_id")?,
        barangay: r.try_get("barangay")?,
        status: AccountStatus::parse(&status)
            .ok_or_else(|| sqlx::Error::Decode(format!("bad status {status}").into()))?,
        created_at: r.try_get("created_at")?,
        points: r.try_get("points")?,
        open_redemptions: r.try_get("open_redemptions")?,
    })
}

/// Inserts a pending resident.
pub async fn insert_pending(
    db: &Db,
    email: &Email,
    name: &PersonName,
    barangay_id: i64,
    password_hash: &str,
) -> Result<i64, InsertResidentError> {
    sqlx::query_scalar(
        "INSERT INTO residents (email, name, barangay_id, password_hash, status, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id",
    )
    .bind(email.as_str())
    .bind(name.as_str())
    .bind(barangay_id)
    .bind(password_hash)
    .bind(now())
    .fetch_one(db.pool())
    .await
    .map_err(|e| if is_unique_violation(&e) { InsertResidentError::DuplicateEmail } else { e.into() })
}

pub async fn credentials(db: &Db, email: &Email) -> sqlx::Result<Option<ResidentCredentials>> {
    let row = sqlx::query("SELECT id, password_hash, status FROM residents WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| {
        let status: String = r.try_get("status")?;
        Ok(ResidentCredentials {
            id: r.try_get("id")?,
            password_hash: r.try_get("password_hash")?,
            status: AccountStatus::parse(&status)
                .ok_or_else(|| sqlx::Error::Decode(format!("bad status {status}").into()))?,
        })
    })
    .transpose()
}

pub async fn find(db: &Db, id: i64) -> sqlx::Result<Option<ResidentRow>> {
    let row = sqlx::query(&format!("{SELECT} WHERE r.id = $1")).bind(id).fetch_optional(db.pool()).await?;
    row.as_ref().map(from_row).transpose()
}

impl super::AccountRow for ResidentRow {
    fn id(&self) -> i64 {
        self.id
    }

    fn find(db: &Db, id: i64) -> impl std::future::Future<Output = sqlx::Result<Option<Self>>> + Send {
        self::find(db, id)
    }
}

/// In which order a list of residents comes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// A queue: who waited longest first.
    OldestFirst,
    /// A directory: most recent registrations first.
    NewestFirst,
}

/// Residents with the given status, one page at a time.
pub async fn by_status(
    db: &Db,
    status: AccountStatus,
    order: Order,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<ResidentRow>> {
    let order = match order {
        Order::OldestFirst => "r.created_at, r.id",
        Order::NewestFirst => "r.created_at DESC, r.id DESC",
    };
    let rows = sqlx::query(&format!("{SELECT} WHERE r.status = $1 ORDER BY {order} LIMIT $2 OFFSET $3"))
        .bind(status.as_str())
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// Residents with the status whose name or email contains `query`,
/// newest first, one page at a time, and how many match.
pub async fn search(
    db: &Db,
    status: AccountStatus,
    query: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<ResidentRow>, i64)> {
    let pattern = format!("%{}%", query.to_lowercase().replace(['\\', '%', '_'], ""));
    const WHERE: &str = "WHERE r.status = $1 AND (LOWER(r.name) LIKE $2 OR r.email LIKE $2)";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM residents r {WHERE}"))
        .bind(status.as_str())
        .bind(&pattern)
        .fetch_one(db.pool())
        .await?;
    let rows =
        sqlx::query(&format!("{SELECT} {WHERE} ORDER BY r.created_at DESC, r.id DESC LIMIT $3 OFFSET $4"))
            .bind(status.as_str())
            .bind(&pattern)
            .bind(limit)
            .bind(offset)
            .fetch_all(db.pool())
            .await?;
    Ok((rows.iter().map(from_row).collect::<sqlx::Result<_>>()?, total))
}

pub async fn count_by_status(db: &Db, status: AccountStatus) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM residents WHERE status = $1")
        .bind(status.as_str())
        .fetch_one(db.pool())
        .await
}

/// Moves a resident from `from` to `to`; false when the resident was not in
/// `from` (already reviewed by someone else, or unknown).
pub async fn transition(
    db: &Db,
    id: i64,
    from: AccountStatus,
    to: AccountStatus,
    reviewed_by: i64,
    note: Option<&str>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE residents SET status = $1, reviewed_at = $2, reviewed_by = $3, review_note = $4 \
         WHERE id = $5 AND status = $6",
    )
    .bind(to.as_str())
    .bind(now())
    .bind(reviewed_by)
    .bind(note)
    .bind(id)
    .bind(from.as_str())
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The stored password hash of an account.
pub async fn password_hash(db: &Db, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT password_hash FROM residents WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
}

/// Replaces an account's password hash.
pub async fn set_password_hash(db: &Db, id: i64, hash: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE residents SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}
