//! Bounds on open event streams: each holds a socket and a task, so one
//! session (or one client address) cannot open them without limit.
//!
//! - Per session: the newest [`StreamLimits::per_session`] streams stay
//!   open; opening one more closes the oldest with a `replaced` event (the
//!   page stops streaming and re-checks when it is shown again).
//! - Per client address (IPv6 by /64): beyond [`StreamLimits::per_address`]
//!   a new stream is refused (429).
//! - Every stream ends quietly after [`StreamLimits::max_age`]; the browser
//!   reconnects by itself, re-authenticating with its cookie.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::sync::oneshot;

/// The limits, from the settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamLimits {
    pub per_session: usize,
    pub per_address: usize,
    pub max_age: Duration,
}

impl Default for StreamLimits {
    fn default() -> Self {
        Self { per_session: 8, per_address: 64, max_age: Duration::from_secs(3600) }
    }
}

#[derive(Debug, Default)]
struct Open {
    /// Per session id hash: its streams, oldest first, with the sender that
    /// tells each it was replaced.
    by_session: HashMap<String, VecDeque<(u64, oneshot::Sender<()>)>>,
    by_address: HashMap<String, usize>,
    next_serial: u64,
}

/// The registry of open streams on this instance; cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct OpenStreams {
    limits: StreamLimits,
    open: Arc<Mutex<Open>>,
}

/// One open stream's place; frees it on drop.
#[derive(Debug)]
pub struct StreamSlot {
    registry: OpenStreams,
    session: String,
    address: String,
    serial: u64,
    /// Resolves when a newer stream of the same session took this place.
    pub replaced: oneshot::Receiver<()>,
}

impl OpenStreams {
    pub fn new(limits: StreamLimits) -> Self {
        Self { limits, open: Default::default() }
    }

    pub fn limits(&self) -> StreamLimits {
        self.limits
    }

    /// A place for a new stream of `session` from `address`, or `None` when
    /// the address already holds its share. May close the session's oldest.
    pub fn open(&self, session: &str, address: &str) -> Option<StreamSlot> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let held = open.by_address.get(address).copied().unwrap_or(0);
        if held >= self.limits.per_address {
            return None;
        }
        *open.by_address.entry(address.to_owned()).or_default() += 1;
        open.next_serial += 1;
        let serial = open.next_serial;
        let (tell, replaced) = oneshot::channel();
        let streams = open.by_session.entry(session.to_owned()).or_default();
        streams.push_back((serial, tell));
        while streams.len() > self.limits.per_session.max(1) {
            if let Some((_, oldest)) = streams.pop_front() {
                let _ = oldest.send(());
            }
        }
        Some(StreamSlot {
            registry: self.clone(),
            session: session.to_owned(),
            address: address.to_owned(),
            serial,
            replaced,
        })
    }

    /// Streams open on this instance (tests, metrics).
    pub fn count(&self) -> usize {
        self.open.lock().unwrap_or_else(|p| p.into_inner()).by_address.values().sum()
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.registry.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(streams) = open.by_session.get_mut(&self.session) {
            streams.retain(|(serial, _)| *serial != self.serial);
            if streams.is_empty() {
                open.by_session.remove(&self.session);
            }
        }
        if let Some(held) = open.by_address.get_mut(&self.address) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                open.by_address.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_session: usize, per_address: usize) -> OpenStreams {
        OpenStreams::new(StreamLimits { per_session, per_address, max_age: Duration::from_secs(60) })
    }

    #[test]
    fn a_session_keeps_its_newest_streams_and_the_oldest_is_told() {
        let streams = limits(2, 10);
        let mut first = streams.open("s", "a").unwrap();
        let mut second = streams.open("s", "a").unwrap();
        let _third = streams.open("s", "a").unwrap();
        assert!(first.replaced.try_recv().is_ok());
        assert!(second.replaced.try_recv().is_err());
        assert_eq!(streams.count(), 3, "the replaced stream holds its place until it closes");
        drop(first);
        assert_eq!(streams.count(), 2);
    }

    #[test]
    fn an_address_holds_at_most_its_share_and_gets_it_back_on_close() {
        let streams = limits(8, 2);
        let a = streams.open("s1", "a").unwrap();
        let _b = streams.open("s2", "a").unwrap();
        assert!(streams.open("s3", "a").is_none());
        assert!(streams.open("s3", "b").is_some());
        drop(a);
        assert!(streams.open("s3", "a").is_some());
    }
}
