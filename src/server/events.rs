//! The realm event bus: session and account events, delivered only to the
//! open pages of the same realm and account.
//!
//! Streams subscribe per (realm, account): an event wakes the few streams of
//! that account, never the thousands of others, and nothing polls.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use tokio::sync::broadcast;

use crate::{live::EndReason, realm::Realm};

/// What happened, and to which session of the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveEvent {
    /// One session ended (`session` is its stored id hash).
    SessionEnded { session: String, reason: EndReason },
    /// Every session of the account ended.
    AccountSessionsEnded { reason: EndReason },
    /// The account's data changed (points, status…): pages refresh it.
    AccountChanged,
}

/// Who listens: the open pages of one account, or the staff pages that list
/// everyone's sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key {
    Account(Realm, i64),
    SessionDirectory,
}

/// Fan-out of live events; cheap to clone.
#[derive(Clone, Debug)]
pub struct EventBus {
    channels: Arc<Mutex<HashMap<Key, broadcast::Sender<LiveEvent>>>>,
    /// Flips to true when the server shuts down: open streams end (browsers
    /// reconnect to the next instance) instead of holding the shutdown.
    closing: Arc<tokio::sync::watch::Sender<bool>>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self { channels: Default::default(), closing: Arc::new(tokio::sync::watch::channel(false).0) }
    }
}

/// A subscription; unsubscribes (and frees the channel when it was the
/// last) on drop.
#[derive(Debug)]
pub struct Subscription {
    pub receiver: broadcast::Receiver<LiveEvent>,
    bus: EventBus,
    key: Key,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut channels = self.bus.channels.lock().unwrap_or_else(|p| p.into_inner());
        // Our own receiver is still alive here, hence `<= 1`.
        if channels.get(&self.key).is_some_and(|tx| tx.receiver_count() <= 1) {
            channels.remove(&self.key);
        }
    }
}

impl EventBus {
    pub fn subscribe(&self, realm: Realm, account_id: i64) -> Subscription {
        self.subscribe_to(Key::Account(realm, account_id))
    }

    /// For pages listing every session: told whenever any session or
    /// account changes.
    pub fn subscribe_directory(&self) -> Subscription {
        self.subscribe_to(Key::SessionDirectory)
    }

    fn subscribe_to(&self, key: Key) -> Subscription {
        let mut channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        let receiver = channels.entry(key).or_insert_with(|| broadcast::channel(16).0).subscribe();
        Subscription { receiver, bus: self.clone(), key }
    }

    /// Delivers to the open pages of this realm's account; a no-op when none
    /// is open.
    pub fn publish(&self, realm: Realm, account_id: i64, event: LiveEvent) {
        let channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = channels.get(&Key::Account(realm, account_id)) {
            let _ = tx.send(event);
        }
        if let Some(tx) = channels.get(&Key::SessionDirectory) {
            let _ = tx.send(LiveEvent::AccountChanged);
        }
    }

    /// Ends every open stream (server shutdown).
    pub fn close_all(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves when the server starts shutting down.
    pub fn closing(&self) -> tokio::sync::watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Number of accounts with an open page (for tests and metrics).
    pub fn open_accounts(&self) -> usize {
        self.channels.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn events_reach_only_the_same_realm_and_account() {
        let bus = EventBus::default();
        let mut user_7 = bus.subscribe(Realm::User, 7);
        let mut admin_7 = bus.subscribe(Realm::Admin, 7);
        let mut user_8 = bus.subscribe(Realm::User, 8);
        bus.publish(Realm::User, 7, LiveEvent::AccountChanged);
        assert_eq!(user_7.receiver.recv().await.unwrap(), LiveEvent::AccountChanged);
        assert!(admin_7.receiver.try_recv().is_err());
        assert!(user_8.receiver.try_recv().is_err());
    }

    #[tokio::test]
    async fn the_directory_hears_of_every_account() {
        let bus = EventBus::default();
        let mut directory = bus.subscribe_directory();
        bus.publish(
            Realm::User,
            3,
            LiveEvent::AccountSessionsEnded { reason: crate::live::EndReason::Revoked },
        );
        assert_eq!(directory.receiver.recv().await.unwrap(), LiveEvent::AccountChanged);
    }

    #[test]
    fn the_last_subscription_frees_its_channel() {
        let bus = EventBus::default();
        let a = bus.subscribe(Realm::User, 1);
        let b = bus.subscribe(Realm::User, 1);
        drop(a);
        assert_eq!(bus.open_accounts(), 1);
        drop(b);
        assert_eq!(bus.open_accounts(), 0);
    }
}
