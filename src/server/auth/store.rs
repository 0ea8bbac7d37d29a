//! A tower-sessions store bound to one realm.
//!
//! Differences from the stock sqlx stores, each closing a hole:
//! - `save` only updates a live row and `create` alone inserts: a request
//!   that was in flight when its session was deleted cannot re-create it;
//! - rows carry the realm and account as indexed columns, and every query
//!   names the realm, so one realm's cookie can never load the other's row;
//! - only the SHA-256 of the session id is stored;
//! - it announces what it does to signed-in sessions: a new one to the
//!   account's open pages, an ended one (sign-out, or the old id at a
//!   sign-in) through [`SessionEndings`].

use std::time::Duration;

use async_trait::async_trait;
use time::OffsetDateTime;
use tower_sessions::{
    session::{Id, Record},
    session_store::{Error, Result},
    SessionStore,
};

use super::{endings::SessionEndings, realm_session::keys};
use crate::{
    live::EndReason,
    realm::Realm,
    server::{
        db::{
            self,
            sessions::{NewSession, SignedInAccount},
            Db,
        },
        events::{EventBus, LiveEvent},
    },
};

/// How long a renewed session's old id keeps working, for requests that
/// were already on their way with it.
pub const RENEWAL_GRACE_SECONDS: i64 = 5;

/// Session storage of one realm.
#[derive(Clone, Debug)]
pub struct RealmStore {
    db: Db,
    realm: Realm,
    absolute: Duration,
    /// Ids being renewed: their `delete` only shortens their life.
    renewing: std::sync::Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
    /// Told of each new signed-in session once it is stored (the account's
    /// pages and the sessions directory refresh): announcing it at sign-in,
    /// before the response stores it, would let a page refetch too early and
    /// miss it.
    events: EventBus,
    endings: SessionEndings,
}

impl RealmStore {
    pub fn new(db: Db, events: EventBus, realm: Realm, absolute: Duration) -> Self {
        let endings = SessionEndings::new(db.clone(), events.clone());
        Self { db, realm, absolute, renewing: Default::default(), events, endings }
    }

    /// The next `delete` of this id (the id change of a renewal) lets it
    /// live a few more seconds instead of ending it at once.
    pub fn soften_next_delete(&self, id: &Id) {
        self.renewing.lock().unwrap_or_else(|p| p.into_inner()).insert(hash_id(id));
    }

    pub fn realm(&self) -> Realm {
        self.realm
    }

    /// Whether `id` names a session of this realm that has expired (as
    /// opposed to one that never existed or was deleted).
    pub async fn is_expired(&self, id: &Id) -> Result<bool> {
        db::sessions::exists_expired(&self.db, self.realm, &hash_id(id)).await.map_err(backend)
    }
}

/// The stored key of a session id.
pub fn hash_id(id: &Id) -> String {
    crate::server::security::sha256_hex(id.to_string().as_bytes())
}

fn backend(err: sqlx::Error) -> Error {
    Error::Backend(err.to_string())
}

/// A record's data as stored: all of it but the account row a load brought
/// along ([`keys::ACCOUNT_ROW`]), which lives for one request only.
struct Stored<'a>(&'a Record);

impl serde::Serialize for Stored<'_> {
    fn serialize<S: serde::Serializer>(&self, to: S) -> std::result::Result<S::Ok, S::Error> {
        to.collect_map(self.0.data.iter().filter(|(key, _)| key.as_str() != keys::ACCOUNT_ROW))
    }
}

fn stored_data(record: &Record) -> Result<String> {
    serde_json::to_string(&Stored(record)).map_err(|e| Error::Encode(e.to_string()))
}

fn text(record: &Record, key: &str) -> String {
    record.data.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_owned()
}

#[async_trait]
impl SessionStore for RealmStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A renewal (see `RealmSession::renew`) names the row it replaces.
        let renewed_from = record.data.remove(keys::RENEWED_FROM).and_then(|v| v.as_str().map(str::to_owned));
        let data = stored_data(record)?;
        let absolute = OffsetDateTime::now_utc() + self.absolute;
        let (user_agent, client_ip) = (text(record, keys::USER_AGENT), text(record, keys::CLIENT_IP));
        loop {
            let id_hash = hash_id(&record.id);
            let row = NewSession {
                id_hash: &id_hash,
                realm: self.realm,
                account_id: record.data.get(keys::ACCOUNT_ID).and_then(|v| v.as_i64()),
                data: &data,
                expires_at: record.expiry_date.unix_timestamp(),
                absolute_expires_at: absolute.unix_timestamp(),
                user_agent: &user_agent,
                client_ip: &client_ip,
            };
            if let Some(old) = &renewed_from {
                if !db::sessions::insert_renewal(&self.db, &row, old).await.map_err(backend)? {
                    // Ended while the renewal was in flight: it stays ended
                    // (the new cookie names no session).
                    tracing::info!(realm = self.realm.as_str(), "renewal of an ended session refused");
                }
                return Ok(());
            }
            if db::sessions::insert(&self.db, &row).await.map_err(backend)? {
                if let Some(account_id) = row.account_id {
                    self.events.publish(self.realm, account_id, LiveEvent::AccountChanged);
                }
                return Ok(());
            }
            // 128-bit collision: astronomically unlikely, but never reuse.
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let data = stored_data(record)?;
        let updated = db::sessions::update_live(
            &self.db,
            self.realm,
            &hash_id(&record.id),
            &data,
            record.expiry_date.unix_timestamp(),
        )
        .await
        .map_err(backend)?;
        if !updated {
            tracing::debug!(realm = self.realm.as_str(), "late save of an ended session ignored");
        }
        Ok(())
    }

    /// Loads the session and, in the same statement, the row of the
    /// account signed in with it: the request finds the row under
    /// [`keys::ACCOUNT_ROW`] instead of reading it again.
    async fn load(&self, session_id: &Id) -> Result<Option<Record>> {
        let Some(live) =
            db::sessions::load_live(&self.db, self.realm, &hash_id(session_id)).await.map_err(backend)?
        else {
            return Ok(None);
        };
        let mut data: std::collections::HashMap<String, serde_json::Value> =
            serde_json::from_str(&live.data).map_err(|e| Error::Decode(e.to_string()))?;
        if let Some(account) = live.account {
            let row = match account {
                SignedInAccount::Resident(row) => serde_json::to_value(row),
                SignedInAccount::Admin(row) => serde_json::to_value(row),
            };
            data.insert(keys::ACCOUNT_ROW.to_owned(), row.map_err(|e| Error::Encode(e.to_string()))?);
        }
        let expiry_date =
            OffsetDateTime::from_unix_timestamp(live.expires_at).map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *session_id, data, expiry_date }))
    }

    async fn delete(&self, session_id: &Id) -> Result<()> {
        let id_hash = hash_id(session_id);
        let soft = self.renewing.lock().unwrap_or_else(|p| p.into_inner()).remove(&id_hash);
        if soft {
            let until = db::now() + RENEWAL_GRACE_SECONDS;
            return db::sessions::expire_by(&self.db, self.realm, &id_hash, until).await.map_err(backend);
        }
        // Otherwise only this browser's own requests delete its session:
        // a sign-out, or the old id replaced at a sign-in.
        self.endings.end(self.realm, &id_hash, EndReason::SignedOutHere).await.map_err(backend)?;
        Ok(())
    }
}
