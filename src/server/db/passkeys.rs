//! The `passkeys` table: each account's WebAuthn credentials, per realm.
//! Every query names the realm: a credential id is looked up in one realm
//! only.

use super::{is_unique_violation, now, Db};
use crate::realm::Realm;

/// A passkey as stored. `passkey` is webauthn-rs' own JSON of it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PasskeyRow {
    pub id: i64,
    pub account_id: i64,
    pub user_handle: String,
    pub name: String,
    pub passkey: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

const COLUMNS: &str = "id, account_id, user_handle, name, passkey, created_at, last_used_at";

/// A new passkey of an account.
#[derive(Debug)]
pub struct NewPasskey<'a> {
    pub realm: Realm,
    pub account_id: i64,
    pub credential_id: &'a str,
    pub user_handle: &'a str,
    pub name: &'a str,
    pub passkey: &'a str,
}

/// The account's passkeys, oldest first.
pub async fn list(db: &Db, realm: Realm, account_id: i64) -> sqlx::Result<Vec<PasskeyRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM passkeys WHERE realm = $1 AND account_id = $2 ORDER BY created_at, id"
    ))
    .bind(realm.as_str())
    .bind(account_id)
    .fetch_all(db.pool())
    .await
}

/// How many passkeys the account has.
pub async fn count(db: &Db, realm: Realm, account_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM passkeys WHERE realm = $1 AND account_id = $2")
        .bind(realm.as_str())
        .bind(account_id)
        .fetch_one(db.pool())
        .await
}

/// The passkey of this realm with this credential id (base64url), if any.
pub async fn find_by_credential(
    db: &Db,
    realm: Realm,
    credential_id: &str,
) -> sqlx::Result<Option<PasskeyRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM passkeys WHERE realm = $1 AND credential_id = $2"))
        .bind(realm.as_str())
        .bind(credential_id)
        .fetch_optional(db.pool())
        .await
}

/// Stores a new passkey. None when this realm knows the credential already.
pub async fn insert(db: &Db, new: &NewPasskey<'_>) -> sqlx::Result<Option<i64>> {
    let inserted = sqlx::query_scalar(
        "INSERT INTO passkeys (realm, account_id, credential_id, user_handle, name, passkey, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(new.realm.as_str())
    .bind(new.account_id)
    .bind(new.credential_id)
    .bind(new.user_handle)
    .bind(new.name)
    .bind(new.passkey)
    .bind(now())
    .fetch_one(db.pool())
    .await;
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Records a sign-in with the passkey, with its updated credential (the
/// signature counter) when it changed.
pub async fn used(db: &Db, realm: Realm, id: i64, passkey: Option<&str>) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE passkeys SET last_used_at = $1, passkey = COALESCE($2, passkey) WHERE realm = $3 AND id = $4",
    )
    .bind(now())
    .bind(passkey)
    .bind(realm.as_str())
    .bind(id)
    .execute(db.pool())
    .await
    .map(drop)
}

/// Removes all of the account's passkeys; how many there were.
pub async fn delete_all(db: &Db, realm: Realm, account_id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM passkeys WHERE realm = $1 AND account_id = $2")
        .bind(realm.as_str())
        .bind(account_id)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

/// A WebAuthn ceremony under way.
#[derive(Debug)]
pub struct NewCeremony<'a> {
    pub token_hash: &'a str,
    pub realm: Realm,
    pub purpose: &'a str,
    pub account_id: Option<i64>,
    pub name: Option<&'a str>,
    pub client_ip: &'a str,
    pub state: &'a str,
}

/// A ceremony taken to be finished.
#[derive(Debug, sqlx::FromRow)]
pub struct CeremonyRow {
    pub account_id: Option<i64>,
    pub name: Option<String>,
    pub state: String,
}

/// Forgets ceremonies begun before `before`; then how many are left in
/// all and from `client_ip`.
pub async fn prune_ceremonies(db: &Db, before: i64, client_ip: &str) -> sqlx::Result<(i64, i64)> {
    sqlx::query("DELETE FROM passkey_ceremonies WHERE created_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM passkey_ceremonies").fetch_one(db.pool()).await?;
    let client: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM passkey_ceremonies WHERE client_ip = $1")
        .bind(client_ip)
        .fetch_one(db.pool())
        .await?;
    Ok((all, client))
}

pub async fn insert_ceremony(db: &Db, new: &NewCeremony<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO passkey_ceremonies (token_hash, realm, purpose, account_id, name, client_ip, state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new.token_hash)
    .bind(new.realm.as_str())
    .bind(new.purpose)
    .bind(new.account_id)
    .bind(new.name)
    .bind(new.client_ip)
    .bind(new.state)
    .bind(now())
    .execute(db.pool())
    .await
    .map(drop)
}

/// Takes the ceremony with this token hash, realm and purpose, if begun at
/// or after `since`: deleted as it is read, so only one request gets it.
pub async fn take_ceremony(
    db: &Db,
    token_hash: &str,
    realm: Realm,
    purpose: &str,
    since: i64,
) -> sqlx::Result<Option<CeremonyRow>> {
    sqlx::query_as(
        "DELETE FROM passkey_ceremonies \
         WHERE token_hash = $1 AND realm = $2 AND purpose = $3 AND created_at >= $4 \
         RETURNING account_id, name, state",
    )
    .bind(token_hash)
    .bind(realm.as_str())
    .bind(purpose)
    .bind(since)
    .fetch_optional(db.pool())
    .await
}
