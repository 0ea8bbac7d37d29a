//! `GET /api/{realm}/events`: the server push of one realm's session state to
//! an open page, as server-sent events, authenticated by that realm's cookie.
//!
//! Events: `hello` (JSON [`SessionStatus`]), `changed` (the account's data
//! or sessions changed), `ended` (data: an [`EndReason`] name; the stream
//! then closes), and for staff who manage sessions `directory` (someone's
//! sessions changed: the sessions list is stale; says nothing of whom).
//! A stream sleeps until an event for its account arrives or its session's
//! deadline passes; it never polls.

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
    auth::RealmSession,
    db::{self, Db},
    events::{LiveEvent, Subscription},
    state::AppState,
};
use crate::{
    live::{EndReason, SessionCheck, SessionStatus},
    realm::{Realm, RealmMarker},
};

/// The handler, one instance per realm.
pub async fn events<R: RealmMarker>(State(state): State<AppState>, session: RealmSession<R>) -> Response {
    let check = match session.check().await {
        Ok(check) => check,
        Err(err) => {
            return (axum::http::StatusCode::from_u16(err.status()).unwrap_or_default(), err.to_string())
                .into_response()
        }
    };
    let body: std::pin::Pin<Box<dyn Stream<Item = Result<Event, Infallible>> + Send>> =
        match (check, session.id_hash()) {
            (SessionCheck::Active(status), Some(id_hash)) => {
                let lists_all_sessions = R::REALM == Realm::Admin
                    && db::admins::find(&state.db, status.account_id)
                        .await
                        .ok()
                        .flatten()
                        .is_some_and(|a| a.role.can_manage_sessions());
                let watch = Watch {
                    closing: state.events.closing(),
                    directory: lists_all_sessions.then(|| state.events.subscribe_directory()),
                    subscription: state.events.subscribe(R::REALM, status.account_id),
                    db: state.db.clone(),
                    realm: R::REALM,
                    id_hash,
                    deadline: status.expires_at,
                };
                Box::pin(
                    stream::once(async move { hello(status) })
                        .chain(stream::unfold(Some(watch), next_event))
                        .map(Ok),
                )
            }
            // Already over: say why once, then close.
            (check, _) => {
                let reason = if let SessionCheck::Ended(r) = check { r } else { EndReason::SignedOut };
                Box::pin(stream::once(async move { Ok(ended(reason)) }))
            }
        };
    let mut response =
        Sse::new(body).keep_alive(KeepAlive::new().interval(Duration::from_secs(45))).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn hello(status: SessionStatus) -> Event {
    Event::default().event("hello").json_data(status).unwrap_or_else(|_| Event::default().event("hello"))
}

fn ended(reason: EndReason) -> Event {
    Event::default().event("ended").data(reason.as_str()).retry(Duration::from_secs(3))
}

/// What one open stream waits on.
struct Watch {
    subscription: Subscription,
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
                    return Some((Event::default().event("changed").data("sessions"), Some(watch)));
                }
                Ok(LiveEvent::AccountSessionsEnded { reason }) => return Some((ended(reason), None)),
                Ok(LiveEvent::AccountChanged) => return Some((Event::default().event("changed").data("account"), Some(watch))),
                // Missed events: the database says how things stand.
                Err(RecvError::Lagged(_)) => {
                    if let Some(reason) = ended_reason(&mut watch).await {
                        return Some((ended(reason), None));
                    }
                }
                Err(RecvError::Closed) => return None,
            },
            () = shutting_down(&mut watch.closing) => return None,
            Ok(_) = directory_change(&mut watch.directory) => {
                return Some((Event::default().event("directory").data("sessions"), Some(watch)));
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
        Ok(None) => Some(EndReason::SignedOut),
        Err(err) => {
            tracing::warn!(error = %err, "session stream could not re-read its session; retrying shortly");
            watch.deadline = db::now() + 5;
            None
        }
    }
}
