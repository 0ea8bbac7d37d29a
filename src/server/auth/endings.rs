//! Ending sessions: the one way a session ends before its time.
//!
//! Every method deletes the rows and tells the ended sessions' open pages
//! why, in one place. The database functions that delete sessions ask for a
//! [`Licence`], which only this module can make, so a new code path cannot
//! end a session without its pages hearing of it.

use crate::{
    live::EndReason,
    realm::Realm,
    server::{
        db::{self, Db},
        events::{EventBus, LiveEvent},
    },
};

/// Proof, for `db::sessions`, that the caller announces what it deletes.
#[derive(Debug)]
pub struct Licence(());

/// Ends sessions and announces each ending; cheap to clone.
#[derive(Clone, Debug)]
pub struct SessionEndings {
    db: Db,
    events: EventBus,
}

impl SessionEndings {
    pub fn new(db: Db, events: EventBus) -> Self {
        Self { db, events }
    }

    /// Ends the session stored under `key`; returns its account, or `None`
    /// when no signed-in session of this realm had that key.
    pub async fn end(&self, realm: Realm, key: &str, reason: EndReason) -> sqlx::Result<Option<i64>> {
        let account_id = db::sessions::delete(&Licence(()), &self.db, realm, key).await?;
        if let Some(account_id) = account_id {
            self.announce(realm, account_id, key.to_owned(), reason);
        }
        Ok(account_id)
    }

    /// Ends every session of one account; returns how many.
    pub async fn end_all_of(&self, realm: Realm, account_id: i64, reason: EndReason) -> sqlx::Result<u64> {
        let ended = db::sessions::delete_for_account(&Licence(()), &self.db, realm, account_id).await?;
        self.events.publish(realm, account_id, LiveEvent::AccountSessionsEnded { reason });
        Ok(ended)
    }

    /// Ends every session of one account but `keep` (this browser's);
    /// returns how many.
    pub async fn end_others_of(
        &self,
        realm: Realm,
        account_id: i64,
        keep: &str,
        reason: EndReason,
    ) -> sqlx::Result<usize> {
        let ended = db::sessions::delete_others(&Licence(()), &self.db, realm, account_id, keep).await?;
        let count = ended.len();
        for key in ended {
            self.announce(realm, account_id, key, reason);
        }
        Ok(count)
    }

    /// Ends every session of a realm; returns how many.
    pub async fn end_realm(&self, realm: Realm, reason: EndReason) -> sqlx::Result<usize> {
        let ended = db::sessions::delete_realm(&Licence(()), &self.db, realm).await?;
        let count = ended.len();
        for (account_id, key) in ended {
            self.announce(realm, account_id, key, reason);
        }
        Ok(count)
    }

    fn announce(&self, realm: Realm, account_id: i64, session: String, reason: EndReason) {
        self.events.publish(realm, account_id, LiveEvent::SessionEnded { session, reason });
    }
}
