//! The realm event bus: session and account events, delivered only to the
//! open pages of the same realm and account.
//!
//! Streams subscribe per (realm, account): an event wakes the few streams of
//! that account, never the thousands of others, and nothing polls.
//!
//! With PostgreSQL, several instances behave as one: every event is also
//! sent with `pg_notify`, and each instance delivers the others' events to
//! its own open pages (see [`relay_through_postgres`]).

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use tokio::sync::broadcast;

use crate::{live::EndReason, realm::Realm};

/// What happened, and to which session of the account.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LiveEvent {
    /// One session ended (`session` is its stored id hash).
    SessionEnded { session: String, reason: EndReason },
    /// Every session of the account ended.
    AccountSessionsEnded { reason: EndReason },
    /// The account's data changed (points, status…): pages refresh it.
    AccountChanged,
    /// A session got a new id (password change): its streams end quietly
    /// and the browser reconnects with the new cookie.
    SessionRenewed { session: String },
    /// Events may have been lost (this instance's link to the others was
    /// down): every open stream reads its session again. Local only.
    Resync,
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
    /// Events for the other instances (set when relaying through PostgreSQL).
    outbox: Arc<Mutex<Option<tokio::sync::mpsc::UnboundedSender<Envelope>>>>,
    /// Tells this instance's events from the others' on the shared channel.
    instance: u64,
    /// Why sessions ended lately, for a page that asks after the event.
    recent_endings: Arc<Mutex<RecentEndings>>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self {
            channels: Default::default(),
            closing: Arc::new(tokio::sync::watch::channel(false).0),
            outbox: Default::default(),
            instance: rand::random(),
            recent_endings: Default::default(),
        }
    }
}

/// An event on its way between instances.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Envelope {
    instance: u64,
    realm: Realm,
    account_id: i64,
    event: LiveEvent,
}

/// The PostgreSQL notification channel of live events.
const CHANNEL: &str = "eko_live_events";

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
        if let Some(outbox) = self.outbox.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            let _ =
                outbox.send(Envelope { instance: self.instance, realm, account_id, event: event.clone() });
        }
        self.deliver(realm, account_id, event);
    }

    /// Why the session stored under `session` ended, if it did within the
    /// last two minutes: a page that asks after the event (a tab that was
    /// loading, a request that was on its way with the old cookie) hears
    /// the reason its open pages heard, instead of a guess.
    pub fn recent_ending(&self, realm: Realm, session: &str) -> Option<EndReason> {
        self.recent_endings.lock().unwrap_or_else(|p| p.into_inner()).get(Instant::now(), realm, session)
    }

    /// Delivers to this instance's open pages only.
    fn deliver(&self, realm: Realm, account_id: i64, event: LiveEvent) {
        if let LiveEvent::SessionEnded { session, reason } = &event {
            self.recent_endings.lock().unwrap_or_else(|p| p.into_inner()).note(
                Instant::now(),
                realm,
                session,
                *reason,
            );
        }
        let channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = channels.get(&Key::Account(realm, account_id)) {
            let _ = tx.send(event);
        }
        if let Some(tx) = channels.get(&Key::SessionDirectory) {
            let _ = tx.send(LiveEvent::AccountChanged);
        }
    }

    /// Tells every open stream of this instance to read its session again
    /// (after events may have been missed).
    pub fn resync_all(&self) {
        let channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        for tx in channels.values() {
            let _ = tx.send(LiveEvent::Resync);
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

/// Sessions ended lately and why, oldest first; bounded in time and
/// number (a realm-wide sign-out ends thousands at once).
#[derive(Debug, Default)]
struct RecentEndings {
    order: VecDeque<(Instant, Realm, String)>,
    reasons: HashMap<(Realm, String), EndReason>,
}

impl RecentEndings {
    const KEEP_FOR: Duration = Duration::from_secs(120);
    const KEEP_AT_MOST: usize = 20_000;

    fn note(&mut self, now: Instant, realm: Realm, session: &str, reason: EndReason) {
        self.forget_old(now);
        // The first reason stands: a session ends once.
        if self.reasons.contains_key(&(realm, session.to_owned())) {
            return;
        }
        if self.order.len() >= Self::KEEP_AT_MOST {
            if let Some((_, realm, session)) = self.order.pop_front() {
                self.reasons.remove(&(realm, session));
            }
        }
        self.reasons.insert((realm, session.to_owned()), reason);
        self.order.push_back((now, realm, session.to_owned()));
    }

    fn get(&mut self, now: Instant, realm: Realm, session: &str) -> Option<EndReason> {
        self.forget_old(now);
        self.reasons.get(&(realm, session.to_owned())).copied()
    }

    fn forget_old(&mut self, now: Instant) {
        while let Some((at, ..)) = self.order.front() {
            if now.duration_since(*at) < Self::KEEP_FOR {
                break;
            }
            if let Some((_, realm, session)) = self.order.pop_front() {
                self.reasons.remove(&(realm, session));
            }
        }
    }
}

/// Relays live events between instances sharing one PostgreSQL database:
/// this instance's events go out with `pg_notify`, the others' come in by
/// `LISTEN` and reach this instance's open pages. Runs until the server
/// stops; reconnects after a lost connection.
pub async fn relay_through_postgres(bus: EventBus, pool: sqlx::AnyPool, url: String) {
    let (tx, mut outgoing) = tokio::sync::mpsc::unbounded_channel::<Envelope>();
    *bus.outbox.lock().unwrap_or_else(|p| p.into_inner()) = Some(tx);
    let sender = async move {
        while let Some(envelope) = outgoing.recv().await {
            let Ok(payload) = serde_json::to_string(&envelope) else { continue };
            if let Err(err) =
                sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(payload).execute(&pool).await
            {
                tracing::warn!(error = %err, "could not relay a live event to the other instances");
            }
        }
    };
    // sqlx's PgListener reconnects by itself inside `recv`, silently losing
    // what was sent meanwhile; `try_recv` reports the loss (`Ok(None)`).
    // Either way this instance listens anew and then has every open stream
    // read its session again, so a sign-out made on another instance while
    // this one was deaf still reaches its pages within moments.
    let receiver = async {
        let mut first = true;
        loop {
            let listening = async {
                let mut listener = sqlx::postgres::PgListener::connect(&url).await?;
                listener.listen(CHANNEL).await?;
                Ok::<_, sqlx::Error>(listener)
            };
            match listening.await {
                Ok(mut listener) => {
                    if !first {
                        tracing::info!("live event listener is back; open pages re-check their sessions");
                        bus.resync_all();
                    }
                    first = false;
                    loop {
                        match listener.try_recv().await {
                            Ok(Some(notification)) => {
                                match serde_json::from_str::<Envelope>(notification.payload()) {
                                    Ok(e) if e.instance != bus.instance => {
                                        bus.deliver(e.realm, e.account_id, e.event)
                                    }
                                    Ok(_) => {}
                                    Err(err) => {
                                        tracing::warn!(error = %err, "malformed live event notification")
                                    }
                                }
                            }
                            Ok(None) => {
                                tracing::warn!("live event listener lost its connection; listening anew");
                                break;
                            }
                            Err(err) => {
                                tracing::warn!(error = %err, "live event listener failed; listening anew");
                                break;
                            }
                        }
                    }
                }
                Err(err) => {
                    tracing::warn!(error = %err, "live event listener cannot connect; retrying");
                    first = false;
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
            }
        }
    };
    tokio::join!(sender, receiver);
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
    fn an_ending_is_remembered_for_its_realm_a_while_and_in_bounded_number() {
        use crate::live::EndReason;
        let start = Instant::now();
        let mut recent = RecentEndings::default();
        recent.note(start, Realm::User, "a", EndReason::SignedOutHere);
        recent.note(start, Realm::User, "a", EndReason::Revoked);
        assert_eq!(recent.get(start, Realm::User, "a"), Some(EndReason::SignedOutHere));
        assert_eq!(recent.get(start, Realm::Admin, "a"), None);
        assert_eq!(recent.get(start, Realm::User, "b"), None);
        let later = start + RecentEndings::KEEP_FOR;
        assert_eq!(recent.get(later, Realm::User, "a"), None);
        assert!(recent.order.is_empty() && recent.reasons.is_empty());

        for n in 0..RecentEndings::KEEP_AT_MOST + 5 {
            recent.note(later, Realm::Admin, &n.to_string(), EndReason::Revoked);
        }
        assert_eq!(recent.reasons.len(), RecentEndings::KEEP_AT_MOST);
        assert_eq!(recent.get(later, Realm::Admin, "0"), None);
        let newest = (RecentEndings::KEEP_AT_MOST + 4).to_string();
        assert_eq!(recent.get(later, Realm::Admin, &newest), Some(EndReason::Revoked));
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
