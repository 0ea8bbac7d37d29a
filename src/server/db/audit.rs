//! The `audit_log` table.

use sqlx::Row;

use super::{now, Db, Reader};
use crate::{
    domain::{AuditKind, AuditOutcome},
    realm::Realm,
};

/// One entry to write.
#[derive(Clone, Debug)]
pub struct NewEntry {
    pub realm: Realm,
    pub kind: AuditKind,
    pub outcome: AuditOutcome,
    pub account_id: Option<i64>,
    pub account_email: String,
    pub actor_admin_id: Option<i64>,
    pub client_ip: String,
    pub user_agent: String,
    pub detail: String,
}

/// One entry as read.
#[derive(Clone, Debug)]
pub struct Entry {
    pub at: i64,
    pub realm: Realm,
    pub kind: String,
    pub outcome: AuditOutcome,
    pub account_email: String,
    pub client_ip: String,
    pub user_agent: String,
    pub detail: String,
}

pub async fn insert(db: &Db, e: &NewEntry) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, realm, kind, outcome, account_id, account_email, actor_admin_id, client_ip, user_agent, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(now())
    .bind(e.realm.as_str())
    .bind(e.kind.as_str())
    .bind(e.outcome.as_str())
    .bind(e.account_id)
    .bind(&e.account_email)
    .bind(e.actor_admin_id)
    .bind(&e.client_ip)
    .bind(&e.user_agent)
    .bind(&e.detail)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Filters of the audit page; `None` and an empty string mean "any".
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub realm: Option<Realm>,
    pub kind: Option<AuditKind>,
    /// Part of the account's email.
    pub account: String,
    /// Only what staff did (approvals, collections, rewards, revocations…).
    pub admin_actions_only: bool,
    /// Only what this staff member did (0: anyone).
    pub actor_admin_id: i64,
}

/// Entries matching the filter, newest first, one page at a time.
pub async fn search(db: &Db, f: &Filter, limit: i64, offset: i64) -> sqlx::Result<(Vec<Entry>, i64)> {
    let entries = entries(db.pool(), f, limit, offset).await?;
    let sql = format!("SELECT COUNT(*) AS n {SEARCH_FROM} {SEARCH_WHERE}");
    let total: i64 = filtered(sqlx::query(&sql), f).fetch_one(db.pool()).await?.try_get("n")?;
    Ok((entries, total))
}

// The email typed (failed sign-ins) or, for known accounts, the account's.
const SEARCH_FROM: &str =
    "FROM (SELECT l.id, l.at, l.realm, l.kind, l.outcome, l.client_ip, l.user_agent, l.detail, l.actor_admin_id, \
     COALESCE(NULLIF(l.account_email, ''), r.email, a.email, '') AS account_email \
     FROM audit_log l \
     LEFT JOIN residents r ON l.realm = 'user' AND r.id = l.account_id \
     LEFT JOIN admins a ON l.realm = 'admin' AND a.id = l.account_id) e";
const SEARCH_WHERE: &str =
    "WHERE ($1 = '' OR realm = $1) AND ($2 = '' OR kind = $2) AND ($3 = '' OR account_email LIKE $4) \
     AND ($5 = 0 OR actor_admin_id IS NOT NULL) AND ($6 = 0 OR actor_admin_id = $6)";

/// Binds the filter to `$1`…`$6` of [`SEARCH_WHERE`].
fn filtered<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    f: &'q Filter,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let pattern = format!("%{}%", f.account.replace(['\\', '%', '_'], ""));
    query
        .bind(f.realm.map_or("", Realm::as_str))
        .bind(f.kind.map_or("", AuditKind::as_str))
        .bind(&f.account)
        .bind(pattern)
        .bind(i64::from(f.admin_actions_only))
        .bind(f.actor_admin_id)
}

/// One page of the entries [`search`] finds, without counting them all
/// (the console's recent actions). `on` is the pool or a held connection.
pub async fn entries<'c>(
    on: impl Reader<'c>,
    f: &Filter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Entry>> {
    let sql = format!(
        "SELECT at, realm, kind, outcome, account_email, client_ip, user_agent, detail {SEARCH_FROM} {SEARCH_WHERE} \
         ORDER BY e.at DESC, e.id DESC LIMIT $7 OFFSET $8"
    );
    let rows = filtered(sqlx::query(&sql), f).bind(limit).bind(offset).fetch_all(on).await?;
    rows.iter()
        .map(|r| {
            let realm: String = r.try_get("realm")?;
            let outcome: String = r.try_get("outcome")?;
            Ok(Entry {
                at: r.try_get("at")?,
                realm: Realm::parse(&realm)
                    .ok_or_else(|| sqlx::Error::Decode(format!("bad realm {realm}").into()))?,
                kind: r.try_get("kind")?,
                outcome: AuditOutcome::parse(&outcome)
                    .ok_or_else(|| sqlx::Error::Decode(format!("bad audit outcome {outcome}").into()))?,
                account_email: r.try_get("account_email")?,
                client_ip: r.try_get("client_ip")?,
                user_agent: r.try_get("user_agent")?,
                detail: r.try_get("detail")?,
            })
        })
        .collect()
}
