//! The `sessions` table, shared by both realms but always queried with the
//! realm in the `WHERE` clause. Rows are keyed by the SHA-256 of the session
//! id; the id itself is only ever in the visitor's cookie.

use sqlx::Row;

use super::{
    admins::{self, AdminRow},
    now,
    residents::{self, ResidentRow},
    Db,
};
// Deleting a session ends it: only `SessionEndings`, which announces each
// ending to the session's open pages, holds the licence to do it.
use crate::{realm::Realm, server::auth::endings::Licence};

/// A new row, written once at sign-in.
#[derive(Debug)]
pub struct NewSession<'a> {
    pub id_hash: &'a str,
    pub realm: Realm,
    pub account_id: Option<i64>,
    pub data: &'a str,
    pub expires_at: i64,
    pub absolute_expires_at: i64,
    pub user_agent: &'a str,
    pub client_ip: &'a str,
}

/// Inserts unless the id is taken; false on a collision.
pub async fn insert(db: &Db, s: &NewSession<'_>) -> sqlx::Result<bool> {
    let at = now();
    let done = sqlx::query(
        "INSERT INTO sessions (id_hash, realm, account_id, data, created_at, last_seen_at, \
         expires_at, absolute_expires_at, user_agent, client_ip) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9) ON CONFLICT (id_hash) DO NOTHING",
    )
    .bind(s.id_hash)
    .bind(s.realm.as_str())
    .bind(s.account_id)
    .bind(s.data)
    .bind(at)
    .bind(s.expires_at.min(s.absolute_expires_at))
    .bind(s.absolute_expires_at)
    .bind(s.user_agent)
    .bind(s.client_ip)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// On PostgreSQL, holds (until `tx` ends) the lock that orders a renewal of
/// one of the account's sessions against the ending of the account's (or
/// the realm's) sessions. Without it, in READ COMMITTED, a renewal and a
/// "revoke all" running at once could each miss the other's row: the
/// delete's snapshot predates the renewed row. Per account exclusive; per
/// realm shared, so that ending a whole realm (exclusive) waits for all.
/// SQLite runs one writer at a time: nothing to do.
async fn lock_account_sessions(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    db: &Db,
    realm: Realm,
    account_id: Option<i64>,
) -> sqlx::Result<()> {
    if db.backend() != super::Backend::Postgres {
        return Ok(());
    }
    let realm_key: i64 = match realm {
        Realm::User => 1,
        Realm::Admin => 2,
    };
    match account_id {
        Some(account_id) => {
            sqlx::query(
                "SELECT 1 FROM (SELECT pg_advisory_xact_lock_shared(CAST($1 AS INTEGER), 0), \
                 pg_advisory_xact_lock(CAST($1 AS INTEGER), CAST($2 AS INTEGER))) AS held",
            )
            .bind(realm_key)
            .bind(account_id)
            .execute(&mut **tx)
            .await?;
        }
        None => {
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(CAST($1 AS INTEGER), 0)) AS held")
                .bind(realm_key)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Stores the renewed id of a session (password change) in one statement:
/// only while the old row is still live, so a session revoked while the
/// renewal was in flight stays ended; the new row keeps the old one's
/// sign-in time and absolute deadline (renewing never lengthens a
/// session's life). False when the old session is gone (nothing stored).
pub async fn insert_renewal(db: &Db, s: &NewSession<'_>, old_id_hash: &str) -> sqlx::Result<bool> {
    let mut tx = db.begin_write().await?;
    lock_account_sessions(&mut tx, db, s.realm, s.account_id).await?;
    let at = now();
    let done = sqlx::query(
        "INSERT INTO sessions (id_hash, realm, account_id, data, created_at, last_seen_at, \
         expires_at, absolute_expires_at, user_agent, client_ip) \
         SELECT $1, realm, account_id, $2, created_at, $3, \
           CASE WHEN $4 < absolute_expires_at THEN $4 ELSE absolute_expires_at END, absolute_expires_at, $5, $6 \
         FROM sessions WHERE id_hash = $7 AND realm = $8 AND expires_at > $3 AND account_id = $9 \
         ON CONFLICT (id_hash) DO NOTHING",
    )
    .bind(s.id_hash)
    .bind(s.data)
    .bind(at)
    .bind(s.expires_at)
    .bind(s.user_agent)
    .bind(s.client_ip)
    .bind(old_id_hash)
    .bind(s.realm.as_str())
    .bind(s.account_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Updates a live session's data and pushes its idle deadline back (never
/// past its absolute deadline). Touches only a row that still exists and has
/// not expired, so a request that was in flight when the session was signed
/// out, revoked or expired cannot bring it back. False when nothing changed.
pub async fn update_live(
    db: &Db,
    realm: Realm,
    id_hash: &str,
    data: &str,
    expires_at: i64,
) -> sqlx::Result<bool> {
    let at = now();
    let done = sqlx::query(
        "UPDATE sessions SET data = $1, last_seen_at = $2, \
         expires_at = CASE WHEN $3 < absolute_expires_at THEN $3 ELSE absolute_expires_at END \
         WHERE id_hash = $4 AND realm = $5 AND expires_at > $2 AND renewed = 0",
    )
    .bind(data)
    .bind(at)
    .bind(expires_at)
    .bind(id_hash)
    .bind(realm.as_str())
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A live session as loaded for a request.
#[derive(Debug)]
pub struct LiveSession {
    pub data: String,
    pub expires_at: i64,
    /// The account signed in with it, read in the same statement.
    pub account: Option<SignedInAccount>,
}

/// The row of the account a session is signed in with.
#[derive(Debug)]
pub enum SignedInAccount {
    Resident(ResidentRow),
    Admin(AdminRow),
}

/// A live (unexpired) session of the realm, with its signed-in account's
/// row: one round trip for what every signed-in page reads first.
pub async fn load_live(db: &Db, realm: Realm, id_hash: &str) -> sqlx::Result<Option<LiveSession>> {
    let sql = match realm {
        Realm::User => residents::LIVE_SESSION,
        Realm::Admin => admins::LIVE_SESSION,
    };
    let row =
        sqlx::query(sql).bind(id_hash).bind(realm.as_str()).bind(now()).fetch_optional(db.pool()).await?;
    let Some(row) = row else { return Ok(None) };
    // The account's columns are NULL when nobody is signed in with it.
    let account = match row.try_get::<Option<i64>, _>("id")? {
        None => None,
        Some(_) => Some(match realm {
            Realm::User => SignedInAccount::Resident(residents::from_row(&row)?),
            Realm::Admin => SignedInAccount::Admin(admins::from_row(&row)?),
        }),
    };
    Ok(Some(LiveSession { data: row.try_get("data")?, expires_at: row.try_get("expires_at")?, account }))
}

/// The idle and absolute deadlines of a session row, expired or not.
pub async fn deadlines(db: &Db, realm: Realm, id_hash: &str) -> sqlx::Result<Option<(i64, i64)>> {
    let row =
        sqlx::query("SELECT expires_at, absolute_expires_at FROM sessions WHERE id_hash = $1 AND realm = $2")
            .bind(id_hash)
            .bind(realm.as_str())
            .fetch_optional(db.pool())
            .await?;
    row.map(|r| Ok((r.try_get("expires_at")?, r.try_get("absolute_expires_at")?))).transpose()
}

/// Whether a row exists for the id at all, expired or not.
pub async fn exists_expired(db: &Db, realm: Realm, id_hash: &str) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT expires_at FROM sessions WHERE id_hash = $1 AND realm = $2 AND expires_at <= $3",
    )
    .bind(id_hash)
    .bind(realm.as_str())
    .bind(now())
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}

/// Brings a session's end forward to `until` (never later than it was).
pub async fn expire_by(db: &Db, realm: Realm, id_hash: &str, until: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE sessions SET renewed = 1, \
           expires_at = CASE WHEN absolute_expires_at < $1 THEN absolute_expires_at ELSE $1 END \
         WHERE id_hash = $2 AND realm = $3 AND expires_at > $1",
    )
    .bind(until)
    .bind(id_hash)
    .bind(realm.as_str())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Deletes one session; returns its account when it was a signed-in one.
pub async fn delete(_: &Licence, db: &Db, realm: Realm, id_hash: &str) -> sqlx::Result<Option<i64>> {
    let account: Option<Option<i64>> =
        sqlx::query_scalar("DELETE FROM sessions WHERE id_hash = $1 AND realm = $2 RETURNING account_id")
            .bind(id_hash)
            .bind(realm.as_str())
            .fetch_optional(db.pool())
            .await?;
    Ok(account.flatten())
}

/// Deletes every session of one account of one realm; returns how many.
pub async fn delete_for_account(_: &Licence, db: &Db, realm: Realm, account_id: i64) -> sqlx::Result<u64> {
    let mut tx = db.begin_write().await?;
    lock_account_sessions(&mut tx, db, realm, Some(account_id)).await?;
    let done = sqlx::query("DELETE FROM sessions WHERE realm = $1 AND account_id = $2")
        .bind(realm.as_str())
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

/// Live sessions of one account of one realm.
pub async fn count_live_for_account(db: &Db, realm: Realm, account_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM sessions WHERE realm = $1 AND account_id = $2 AND expires_at > $3",
    )
    .bind(realm.as_str())
    .bind(account_id)
    .bind(now())
    .fetch_one(db.pool())
    .await
}

/// Forgets sessions that expired before `before` (kept a while so the
/// sign-in page can say "expired" rather than "ended").
pub async fn purge_expired(db: &Db, before: i64) -> sqlx::Result<u64> {
    let done =
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(before).execute(db.pool()).await?;
    Ok(done.rows_affected())
}

/// A live session as the sessions pages list it.
#[derive(Clone, Debug)]
pub struct SessionRow {
    pub id_hash: String,
    pub realm: Realm,
    pub account_id: i64,
    pub account_email: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub user_agent: String,
    pub client_ip: String,
}

const LIST: &str = "SELECT s.id_hash, s.realm, s.account_id, \
     COALESCE(r.email, a.email, '') AS account_email, s.created_at, s.last_seen_at, s.expires_at, \
     s.user_agent, s.client_ip \
     FROM sessions s \
     LEFT JOIN residents r ON s.realm = 'user' AND r.id = s.account_id \
     LEFT JOIN admins a ON s.realm = 'admin' AND a.id = s.account_id";

fn session_row(r: &sqlx::any::AnyRow) -> sqlx::Result<SessionRow> {
    let realm: String = r.try_get("realm")?;
    Ok(SessionRow {
        id_hash: r.try_get("id_hash")?,
        realm: Realm::parse(&realm)
            .ok_or_else(|| sqlx::Error::Decode(format!("bad realm {realm}").into()))?,
        account_id: r.try_get::<Option<i64>, _>("account_id")?.unwrap_or_default(),
        account_email: r.try_get("account_email")?,
        created_at: r.try_get("created_at")?,
        last_seen_at: r.try_get("last_seen_at")?,
        expires_at: r.try_get("expires_at")?,
        user_agent: r.try_get("user_agent")?,
        client_ip: r.try_get("client_ip")?,
    })
}

/// Live sessions of one account of one realm, most recently used first.
pub async fn list_for_account(db: &Db, realm: Realm, account_id: i64) -> sqlx::Result<Vec<SessionRow>> {
    let rows = sqlx::query(&format!(
        "{LIST} WHERE s.realm = $1 AND s.account_id = $2 AND s.expires_at > $3 AND s.renewed = 0 ORDER BY s.last_seen_at DESC, s.created_at DESC"
    ))
    .bind(realm.as_str())
    .bind(account_id)
    .bind(now())
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(session_row).collect()
}

/// Live sessions of all accounts, optionally of one realm, a page at a time.
pub async fn list_all(
    db: &Db,
    realm: Option<Realm>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<SessionRow>, i64)> {
    let realm_filter = realm.map(|r| r.as_str()).unwrap_or("");
    let rows = sqlx::query(&format!(
        "{LIST} WHERE s.expires_at > $1 AND ($2 = '' OR s.realm = $2) AND s.account_id IS NOT NULL AND s.renewed = 0 \
         ORDER BY s.last_seen_at DESC, s.id_hash LIMIT $3 OFFSET $4"
    ))
    .bind(now())
    .bind(realm_filter)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sessions WHERE expires_at > $1 AND ($2 = '' OR realm = $2) AND account_id IS NOT NULL AND renewed = 0",
    )
    .bind(now())
    .bind(realm_filter)
    .fetch_one(db.pool())
    .await?;
    Ok((rows.iter().map(session_row).collect::<sqlx::Result<_>>()?, total))
}

/// One live session by its key, with its owner.
pub async fn find(db: &Db, realm: Realm, id_hash: &str) -> sqlx::Result<Option<SessionRow>> {
    let row = sqlx::query(&format!("{LIST} WHERE s.realm = $1 AND s.id_hash = $2"))
        .bind(realm.as_str())
        .bind(id_hash)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(session_row).transpose()
}

/// Deletes every session of a realm; returns the (account, session) pairs.
pub async fn delete_realm(_: &Licence, db: &Db, realm: Realm) -> sqlx::Result<Vec<(i64, String)>> {
    let mut tx = db.begin_write().await?;
    lock_account_sessions(&mut tx, db, realm, None).await?;
    let rows = sqlx::query("DELETE FROM sessions WHERE realm = $1 RETURNING account_id, id_hash")
        .bind(realm.as_str())
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| Ok((r.try_get::<Option<i64>, _>("account_id")?.unwrap_or_default(), r.try_get("id_hash")?)))
        .collect()
}

/// Deletes an account's sessions except `keep`; returns the deleted keys.
pub async fn delete_others(
    _: &Licence,
    db: &Db,
    realm: Realm,
    account_id: i64,
    keep: &str,
) -> sqlx::Result<Vec<String>> {
    let mut tx = db.begin_write().await?;
    lock_account_sessions(&mut tx, db, realm, Some(account_id)).await?;
    let ended = sqlx::query_scalar(
        "DELETE FROM sessions WHERE realm = $1 AND account_id = $2 AND id_hash <> $3 RETURNING id_hash",
    )
    .bind(realm.as_str())
    .bind(account_id)
    .bind(keep)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(ended)
}
