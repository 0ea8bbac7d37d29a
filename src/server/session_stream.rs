//! `GET /api/{realm}/events`: the server push of one realm's session state to
//! an open page, as server-sent events, authenticated by that realm's cookie.
//!
//! Events: `hello` (JSON [`SessionStatus`]), `changed` (the account's data
//! or sessions changed), `ended` (data: an [`EndReason`] name; the stream
//! then closes), and for staff who manage sessions `directory` (someone's
//! sessions changed: the sessions list is stale; says nothing of whom).
//! A stream sleeps until an event for its account arrives or its session's
//! deadline passes; it never polls. `replaced` tells a page that newer
//! pages of its session took its place (see `stream_limits`); a stream also
//! ends quietly at its maximum age, and the browser reconnects.

use std::{convert::Infallible, time::Duration};

use axum::{
    extract::State,
    http::{header, HeaderValue},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
};
use futures::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::{
    auth::{throttle::address_key, RealmSession},
    db::{self, admins::AdminRow, Db},
    events::{LiveEvent, Subscription},
    state::AppState,
    stream_limits::StreamSlot,
};
use crate::{
    live::{EndReason, SessionCheck, SessionStatus, StreamEvent},
    realm::{Realm, RealmMarker},
};

/// The handler, one instance per realm.
pub async fn events<R: RealmMarker>(State(state): State<AppState>, session: RealmSession<R>) -> Response {
    // Subscribe before checking the session: an end published between the
    // check and the subscription would otherwise go unheard.
    let peeked = session.peek().await;
    let subscription = match &peeked {
        Ok(Some(signed_in)) => {
            Some((signed_in.account_id, state.events.subscribe(R::REALM, signed_in.account_id)))
        }
        _ => None,
    };
    let check = session.check().await;
    let body: std::pin::Pin<Box<dyn Stream<Item = Result<Event, Infallible>> + Send>> =
        match opening(peeked.map(|s| s.map(|s| s.account_id)), check, session.id_hash()) {
            Opening::Retry => return try_again_shortly(),
            Opening::Ended(reason) => Box::pin(stream::once(async move { Ok(ended(reason)) })),
            Opening::Watch { status, id_hash } => {
                let Some((account_id, subscription)) = subscription else { return try_again_shortly() };
                let address = address_key(&session.client().ip);
                let Some(slot) = state.streams.open(&id_hash, &address) else {
                    tracing::warn!(
                        realm = R::REALM.as_str(),
                        "event stream refused: too many from one address"
                    );
                    let mut refused =
                        (axum::http::StatusCode::TOO_MANY_REQUESTS, "Too many open pages from this address.")
                            .into_response();
                    refused.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
                    return refused;
                };
                let watch = Watch {
                    closing: state.events.closing(),
                    directory: (R::REALM == Realm::Admin
                        && lists_sessions(session.account_row(&state.db, account_id).await.ok().flatten()))
                    .then(|| state.events.subscribe_directory()),
                    subscription,
                    events: state.events.clone(),
                    db: state.db.clone(),
                    realm: R::REALM,
                    account_id,
                    id_hash,
                    deadline: status.expires_at,
                    retire_at: tokio::time::Instant::now() + state.streams.limits().max_age,
                    slot,
                };
                Box::pin(
                    stream::once(async move { hello(status) })
                        .chain(stream::unfold(Some(watch), next_event))
                        .map(Ok),
                )
            }
        };
    let mut response =
        Sse::new(body).keep_alive(KeepAlive::new().interval(Duration::from_secs(45))).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// What a stream request gets, from the two looks at its session.
#[derive(Debug, PartialEq)]
enum Opening {
    /// Signed in, and still so when the database was asked again.
    Watch { status: SessionStatus, id_hash: String },
    /// Over: the page is told why, once.
    Ended(EndReason),
    /// The store could not say (an error, or the two looks disagree): the
    /// page keeps what it shows and asks again. Never "ended": a page that
    /// is told so signs its visitor out.
    Retry,
}

/// Decides a stream request from what the session's load said (the
/// account signed in, `peeked`) and what its re-check said.
fn opening(
    peeked: Result<Option<i64>, crate::error::AppError>,
    check: Result<SessionCheck, crate::error::AppError>,
    id_hash: Option<String>,
) -> Opening {
    match (peeked, check, id_hash) {
        (Ok(Some(account_id)), Ok(SessionCheck::Active(status)), Some(id_hash))
            if account_id == status.account_id =>
        {
            Opening::Watch { status, id_hash }
        }
        (Ok(_), Ok(SessionCheck::Ended(reason)), _) => Opening::Ended(reason),
        _ => Opening::Retry,
    }
}

/// 503 with a short `Retry-After`: the browser's event source fails, and
/// the page asks the server again after a back-off (`live::watcher`).
fn try_again_shortly() -> Response {
    tracing::warn!("event stream not opened: the session could not be read; the page will ask again");
    let mut response =
        (axum::http::StatusCode::SERVICE_UNAVAILABLE, "The session could not be read. Try again shortly.")
            .into_response();
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    response
}

/// Whether a staff member hears of every session change (those who may
/// list everyone's sessions); asked again whenever the account changes.
fn lists_sessions(staff: Option<AdminRow>) -> bool {
    staff.is_some_and(|a| a.active && a.role.can_manage_sessions())
}

fn hello(status: SessionStatus) -> Event {
    let hello = StreamEvent::Hello.as_str();
    Event::default().event(hello).json_data(status).unwrap_or_else(|_| Event::default().event(hello))
}

fn ended(reason: EndReason) -> Event {
    Event::default().event(StreamEvent::Ended.as_str()).data(reason.as_str()).retry(Duration::from_secs(3))
}

fn replaced() -> Event {
    Event::default().event(StreamEvent::Replaced.as_str()).data("newer pages of this session are listening")
}

/// What one open stream waits on.
struct Watch {
    subscription: Subscription,
    events: super::events::EventBus,
    account_id: i64,
    /// Its place among the session's open streams; says when a newer one
    /// took it.
    slot: StreamSlot,
    /// Streams end quietly at this age; the browser reconnects.
    retire_at: tokio::time::Instant,
    /// The server is shutting down: end quietly, the browser reconnects.
    closing: tokio::sync::watch::Receiver<bool>,
    /// Staff who may list everyone's sessions also hear of any change.
    directory: Option<Subscription>,
    db: Db,
    realm: Realm,
    id_hash: String,
    /// Unix seconds; re-read from the database when reached.
    deadline: i64,
}

/// The stream's next event; `None` once the session has ended.
async fn next_event(watch: Option<Watch>) -> Option<(Event, Option<Watch>)> {
    let mut watch = watch?;
    loop {
        let wait = Duration::from_secs(watch.deadline.saturating_sub(db::now()).max(0) as u64);
        tokio::select! {
            received = watch.subscription.receiver.recv() => match received {
                Ok(LiveEvent::SessionEnded { session, reason }) if session == watch.id_hash => {
                    return Some((ended(reason), None));
                }
                Ok(LiveEvent::SessionRenewed { session }) if session == watch.id_hash => return None,
                Ok(LiveEvent::SessionRenewed { .. }) => {}
                // Another session of the account ended: its lists changed.
                Ok(LiveEvent::SessionEnded { .. }) => {
                    return Some((Event::default().event(StreamEvent::Changed.as_str()).data("sessions"), Some(watch)));
                }
                Ok(LiveEvent::AccountSessionsEnded { reason }) => return Some((ended(reason), None)),
                Ok(LiveEvent::AccountChanged) => {
                    // A role change is an account change: the right to the
                    // session directory is decided again.
                    if watch.realm == Realm::Admin {
                        let allowed =
                            lists_sessions(db::admins::find(&watch.db, watch.account_id).await.ok().flatten());
                        match (allowed, watch.directory.is_some()) {
                            (false, true) => watch.directory = None,
                            (true, false) => watch.directory = Some(watch.events.subscribe_directory()),
                            _ => {}
                        }
                    }
                    return Some((Event::default().event(StreamEvent::Changed.as_str()).data("account"), Some(watch)));
                }
                // Events may have been missed: the database says how things
                // stand, and the page refreshes what it shows.
                Ok(LiveEvent::Resync) => {
                    if let Some(reason) = ended_reason(&mut watch).await {
                        return Some((ended(reason), None));
                    }
                    return Some((Event::default().event(StreamEvent::Changed.as_str()).data("account"), Some(watch)));
                }
                // Missed events: the database says how things stand.
                Err(RecvError::Lagged(_)) => {
                    if let Some(reason) = ended_reason(&mut watch).await {
                        return Some((ended(reason), None));
                    }
                }
                Err(RecvError::Closed) => return None,
            },
            () = shutting_down(&mut watch.closing) => return None,
            _ = &mut watch.slot.replaced => return Some((replaced(), None)),
            () = tokio::time::sleep_until(watch.retire_at) => return None,
            Ok(_) = directory_change(&mut watch.directory) => {
                return Some((Event::default().event(StreamEvent::Directory.as_str()).data("sessions"), Some(watch)));
            }
            () = tokio::time::sleep(wait + Duration::from_millis(200)) => {
                if let Some(reason) = ended_reason(&mut watch).await {
                    return Some((ended(reason), None));
                }
            }
        }
    }
}

/// Resolves when the server starts shutting down.
async fn shutting_down(closing: &mut tokio::sync::watch::Receiver<bool>) {
    if closing.wait_for(|closing| *closing).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// The next change of the session directory, or never.
async fn directory_change(directory: &mut Option<Subscription>) -> Result<LiveEvent, RecvError> {
    match directory {
        Some(subscription) => subscription.receiver.recv().await,
        None => std::future::pending().await,
    }
}

/// Re-reads the session's deadline: why it ended, or `None` (with the
/// deadline moved on) while it lives.
async fn ended_reason(watch: &mut Watch) -> Option<EndReason> {
    match db::sessions::deadlines(&watch.db, watch.realm, &watch.id_hash).await {
        Ok(Some((expires_at, _))) if expires_at > db::now() => {
            watch.deadline = expires_at;
            None
        }
        Ok(Some(_)) => Some(EndReason::Expired),
        Ok(None) => Some(
            watch.events.recent_ending(watch.realm, &watch.id_hash).unwrap_or(EndReason::SignedOutElsewhere),
        ),
        Err(err) => {
            tracing::warn!(error = %err, "session stream could not re-read its session; retrying shortly");
            watch.deadline = db::now() + 5;
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{opening, Opening};
    use crate::{
        error::AppError,
        live::{EndReason, SessionCheck, SessionStatus},
    };

    fn active(account_id: i64) -> Result<SessionCheck, AppError> {
        Ok(SessionCheck::Active(SessionStatus { account_id, expires_at: 200, now: 100, idle_seconds: 60 }))
    }

    #[test]
    fn a_live_session_is_watched() {
        assert!(matches!(opening(Ok(Some(7)), active(7), Some("h".into())), Opening::Watch { .. }));
    }

    #[test]
    fn a_session_that_is_over_is_told_why() {
        let ended = Ok(SessionCheck::Ended(EndReason::Revoked));
        assert_eq!(opening(Ok(None), ended, None), Opening::Ended(EndReason::Revoked));
        let gone = Ok(SessionCheck::Ended(EndReason::SignedOutElsewhere));
        assert_eq!(
            opening(Ok(Some(7)), gone, Some("h".into())),
            Opening::Ended(EndReason::SignedOutElsewhere)
        );
    }

    /// The first read of the session failed (a busy pool) and the re-check
    /// found it live: the page must not be told it was signed out.
    #[test]
    fn a_failed_read_of_a_live_session_asks_again_and_never_says_ended() {
        assert_eq!(opening(Err(AppError::Internal), active(7), Some("h".into())), Opening::Retry);
        assert_eq!(opening(Ok(Some(7)), Err(AppError::Internal), Some("h".into())), Opening::Retry);
        assert_eq!(opening(Err(AppError::Internal), Err(AppError::Internal), None), Opening::Retry);
        // The two looks disagree on whose session it is.
        assert_eq!(opening(Ok(Some(7)), active(8), Some("h".into())), Opening::Retry);
    }
}
