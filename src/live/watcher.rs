//! Browser side of live session state: every open page of a realm watches
//! that realm's session and nothing else.
//!
//! Three sources, one state:
//! - the realm's server push (`/api/{realm}/events`, server-sent events)
//!   for what happens on the server: sign-out elsewhere, revocation, expiry
//!   at its deadline, account changes;
//! - a `BroadcastChannel` per realm for what happens in this browser's other
//!   tabs (sign-out, sign-in), which arrives before any network round trip;
//! - a re-check when a hidden tab becomes visible again.
//!
//! On the server (SSR) the watcher is inert: the page renders as `Active`.

use leptos::prelude::*;

use super::{EndReason, SessionCheck};
use crate::{api::realm_endpoints::session_calls, realm::Realm};

/// Messages between tabs of one browser, on the realm's channel.
pub const SIGNED_OUT: &str = "signed_out";
pub const SIGNED_IN: &str = "signed_in";

/// What the page knows of its realm session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveState {
    Active,
    Ended(EndReason),
}

/// Handle on the live session state of one realm, for the page frame.
#[derive(Clone, Copy, Debug)]
pub struct LiveSession {
    pub realm: Realm,
    /// Distinguishes the watchers of frames that briefly overlap while the
    /// router swaps pages.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    id: u64,
    pub state: RwSignal<LiveState>,
    /// `Some(deadline)` (browser clock, Unix seconds) while the expiry
    /// warning should show.
    pub warning: RwSignal<Option<i64>>,
    /// Bumped whenever the page's data should be fetched again (account data
    /// changed, or the session came back).
    pub refresh: RwSignal<u64>,
    /// Bumped when any account's sessions changed (staff who list them).
    pub directory: RwSignal<u64>,
}

impl LiveSession {
    /// Ends the page's session view, once: later reasons do not override the
    /// first.
    pub fn end(&self, reason: EndReason) {
        // try_*: a late callback may outlive the page that owned the signals.
        if self.state.try_get_untracked() == Some(LiveState::Active) {
            self.warning.try_set(None);
            self.state.try_set(LiveState::Ended(reason));
        }
    }

    /// The session is back (signed in here or in another tab).
    pub fn restore(&self) {
        if self.state.try_get_untracked().is_some_and(|s| s != LiveState::Active) {
            self.state.try_set(LiveState::Active);
            self.refresh.try_update(|n| *n += 1);
        }
        #[cfg(feature = "hydrate")]
        browser::reconnect(*self);
    }

    /// Tells the realm's other tabs in this browser.
    pub fn announce(&self, message: &'static str) {
        announce(self.realm, message);
    }

    /// This page is signing out: stop listening (its own "ended" event is
    /// not news here) and tell the realm's other tabs.
    pub fn leave(&self) {
        #[cfg(feature = "hydrate")]
        browser::leave(*self);
    }

    /// Asks the server how the session stands and follows the answer
    /// (back to the page, or the ended notice).
    pub fn recheck(&self) {
        #[cfg(feature = "hydrate")]
        browser::recheck(*self);
    }

    /// "Stay signed in".
    pub fn stay_signed_in(&self) {
        #[cfg(feature = "hydrate")]
        browser::keep_alive(*self);
    }
}

/// Tells the realm's other tabs in this browser (no-op on the server).
pub fn announce(realm: Realm, message: &'static str) {
    #[cfg(feature = "hydrate")]
    browser::post(realm, message);
    #[cfg(not(feature = "hydrate"))]
    let _ = (realm, message);
}

/// Creates the realm's live session state for a page and, in the browser,
/// starts watching.
pub fn provide_live_session(realm: Realm) -> LiveSession {
    static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let live = LiveSession {
        realm,
        id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        state: RwSignal::new(LiveState::Active),
        warning: RwSignal::new(None),
        refresh: RwSignal::new(0),
        directory: RwSignal::new(0),
    };
    provide_context(live);
    #[cfg(feature = "hydrate")]
    browser::start(live);
    live
}

/// Asks the server how the realm session stands (never extends it).
pub async fn check(realm: Realm) -> Option<SessionCheck> {
    session_calls(realm).session_status().await.ok()
}

/// How long before the idle deadline the warning shows.
pub fn warning_window(idle_seconds: i64) -> i64 {
    (idle_seconds / 5).clamp(2, 120)
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::{cell::RefCell, collections::HashMap, time::Duration};

    use leptos::{prelude::*, task::spawn_local};
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{BroadcastChannel, EventSource, MessageEvent};

    use super::{check, warning_window, LiveSession, LiveState, SIGNED_IN, SIGNED_OUT};
    use crate::{
        live::{EndReason, SessionCheck, SessionStatus, StreamEvent},
        realm::Realm,
    };

    type Listener = Closure<dyn FnMut(MessageEvent)>;

    /// The browser objects of one realm's watcher (one per page frame).
    #[derive(Default)]
    struct Watcher {
        source: Option<(EventSource, Vec<Listener>)>,
        channel: Option<(BroadcastChannel, Listener)>,
        visibility: Option<Closure<dyn FnMut()>>,
        timer: Option<TimeoutHandle>,
        /// Consecutive failed connections, for the reconnect backoff.
        failures: u32,
        /// Server clock minus browser clock, seconds.
        skew: i64,
        /// `hello`s received: after the first, a hello is a reconnection,
        /// and what happened meanwhile must be fetched again.
        hellos: u32,
    }

    /// Marks the document while the realm's stream is connected (tests and
    /// styles can tell the page is live).
    fn mark_connected(connected: bool) {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = if connected {
                root.set_attribute("data-live", "connected")
            } else {
                root.remove_attribute("data-live")
            };
        }
    }

    thread_local! {
        static WATCHERS: RefCell<HashMap<u64, Watcher>> = RefCell::new(HashMap::new());
    }

    fn with<T>(live: LiveSession, f: impl FnOnce(&mut Watcher) -> T) -> T {
        WATCHERS.with(|w| f(w.borrow_mut().entry(live.id).or_default()))
    }

    fn now() -> i64 {
        (js_sys::Date::now() / 1000.0) as i64
    }

    fn channel_name(realm: Realm) -> String {
        format!("eko-{}-session", realm.as_str())
    }

    pub fn post(realm: Realm, message: &str) {
        if let Ok(channel) = BroadcastChannel::new(&channel_name(realm)) {
            let _ = channel.post_message(&message.into());
            channel.close();
        }
    }

    pub fn start(live: LiveSession) {
        // Starts after hydration, once per mounted frame.
        Effect::new(move || {
            listen_to_other_tabs(live);
            watch_visibility(live);
            connect(live);
        });
        on_cleanup(move || stop(live));
    }

    fn stop(live: LiveSession) {
        mark_connected(false);
        let watcher = WATCHERS.with(|w| w.borrow_mut().remove(&live.id));
        if let Some(mut w) = watcher {
            if let Some((source, _)) = w.source.take() {
                source.close();
            }
            if let Some((channel, _)) = w.channel.take() {
                channel.close();
            }
            if let (Some(cb), Some(doc)) = (w.visibility.take(), web_sys::window().and_then(|w| w.document()))
            {
                let _ =
                    doc.remove_event_listener_with_callback("visibilitychange", cb.as_ref().unchecked_ref());
            }
            if let Some(timer) = w.timer.take() {
                timer.clear();
            }
        }
    }

    fn listen_to_other_tabs(live: LiveSession) {
        let Ok(channel) = BroadcastChannel::new(&channel_name(live.realm)) else { return };
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            match event.data().as_string().as_deref() {
                Some(SIGNED_OUT) => {
                    live.end(EndReason::SignedOutHere);
                    close_source(live);
                }
                Some(SIGNED_IN) => recheck(live),
                _ => {}
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        with(live, |w| w.channel = Some((channel, on_message)));
    }

    fn watch_visibility(live: LiveSession) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let on_change = Closure::<dyn FnMut()>::new(move || {
            let visible = web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
            if visible {
                recheck(live);
            }
        });
        let _ =
            document.add_event_listener_with_callback("visibilitychange", on_change.as_ref().unchecked_ref());
        with(live, |w| w.visibility = Some(on_change));
    }

    fn close_source(live: LiveSession) {
        with(live, |w| {
            if let Some((source, _)) = w.source.take() {
                source.close();
            }
        });
    }

    /// Opens the realm's event stream unless one is open.
    fn connect(live: LiveSession) {
        let realm = live.realm;
        if with(live, |w| w.source.is_some()) || live.state.try_get_untracked() != Some(LiveState::Active) {
            return;
        }
        let Ok(source) = EventSource::new(crate::live::stream_path(realm)) else { return };
        let on_hello = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(status) =
                event.data().as_string().and_then(|d| serde_json::from_str::<SessionStatus>(&d).ok())
            else {
                return;
            };
            let reconnected = with(live, |w| {
                w.failures = 0;
                w.skew = status.now - now();
                w.hellos += 1;
                w.hellos > 1
            });
            mark_connected(true);
            live.restore();
            if reconnected {
                // Events may have been missed while disconnected.
                live.refresh.try_update(|n| *n += 1);
                live.directory.try_update(|n| *n += 1);
            }
            schedule_warning(live, status);
        });
        let on_ended = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let reason = event
                .data()
                .as_string()
                .and_then(|d| EndReason::parse(&d))
                .unwrap_or(EndReason::SignedOutElsewhere);
            close_source(live);
            live.end(reason);
        });
        let on_changed = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
            live.refresh.try_update(|n| *n += 1);
        });
        let on_directory = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
            live.directory.try_update(|n| *n += 1);
        });
        // Newer pages of this session took this page's stream (the server
        // keeps a few per session). Stop streaming; the page asks again
        // when it is shown, and other tabs still tell it of sign-outs.
        let on_replaced = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
            close_source(live);
            mark_connected(false);
        });
        let on_error = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
            // CONNECTING: the browser retries by itself. CLOSED: we retry,
            // backing off, and ask the server how things stand meanwhile.
            let closed = with(live, |w| {
                w.source.as_ref().is_some_and(|(s, _)| s.ready_state() == EventSource::CLOSED)
            });
            if closed {
                close_source(live);
                let failures = with(live, |w| {
                    w.failures += 1;
                    w.failures
                });
                let delay = Duration::from_millis((500u64 << failures.min(6)).min(30_000));
                set_timeout(move || recheck(live), delay);
            }
        });
        for (name, handler) in [
            (StreamEvent::Hello, &on_hello),
            (StreamEvent::Ended, &on_ended),
            (StreamEvent::Changed, &on_changed),
            (StreamEvent::Directory, &on_directory),
            (StreamEvent::Replaced, &on_replaced),
        ] {
            let _ = source.add_event_listener_with_callback(name.as_str(), handler.as_ref().unchecked_ref());
        }
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        with(live, |w| {
            w.source =
                Some((source, vec![on_hello, on_ended, on_changed, on_directory, on_replaced, on_error]))
        });
    }

    pub fn leave(live: LiveSession) {
        close_source(live);
        with(live, |w| {
            if let Some((channel, _)) = &w.channel {
                // Sent through our own channel object, so we do not hear it.
                let _ = channel.post_message(&SIGNED_OUT.into());
            }
        });
    }

    pub fn reconnect(live: LiveSession) {
        connect(live);
    }

    /// Asks the server, then follows its answer.
    pub fn recheck(live: LiveSession) {
        spawn_local(async move {
            match check(live.realm).await {
                Some(SessionCheck::Active(status)) => {
                    live.restore();
                    live.refresh.try_update(|n| *n += 1);
                    schedule_warning(live, status);
                }
                Some(SessionCheck::Ended(reason)) => {
                    close_source(live);
                    live.end(reason);
                }
                // Unreachable server: keep the page, try again later.
                None => {
                    let failures = with(live, |w| {
                        w.failures += 1;
                        w.failures
                    });
                    let delay = Duration::from_millis((500u64 << failures.min(6)).min(30_000));
                    set_timeout(move || recheck(live), delay);
                }
            }
        });
    }

    /// Arms one timer: at the warning point it asks the server (other tabs
    /// may have extended the session) and shows the warning only if the
    /// deadline is really near.
    fn schedule_warning(live: LiveSession, status: SessionStatus) {
        let realm = live.realm;
        let skew = with(live, |w| w.skew);
        let deadline = status.expires_at - skew;
        let window = warning_window(status.idle_seconds);
        let remaining = deadline - now();
        live.warning.try_set((remaining <= window).then_some(deadline));
        // Past the deadline we ask again: the server push normally says
        // "expired" first; this covers a lost connection.
        let wake_in = if remaining > window { remaining - window } else { remaining.max(0) + 1 };
        let handle = set_timeout_with_handle(
            move || {
                spawn_local(async move {
                    match check(realm).await {
                        Some(SessionCheck::Active(status)) => schedule_warning(live, status),
                        Some(SessionCheck::Ended(reason)) => {
                            close_source(live);
                            live.end(reason);
                        }
                        None => {}
                    }
                })
            },
            Duration::from_millis(wake_in as u64 * 1000 + 250),
        )
        .ok();
        with(live, |w| {
            if let Some(old) = std::mem::replace(&mut w.timer, handle) {
                old.clear();
            }
        });
    }

    pub fn keep_alive(live: LiveSession) {
        spawn_local(async move {
            match crate::api::realm_endpoints::session_calls(live.realm).keep_alive().await {
                Ok(_) => recheck(live),
                Err(crate::error::AppError::Unauthenticated) => recheck(live),
                Err(_) => {}
            }
        });
    }
}
