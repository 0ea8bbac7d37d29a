//! What every request handler and server function shares.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::{
    auth::{Passwords, SessionEndings},
    config::Settings,
    db::Db,
    events::EventBus,
    mail::Mailer,
    setup::SetupCode,
};

/// Shared application state: one allocation, so a clone (one per server
/// function and context lookup, several per page) is a reference count.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] holds.
#[derive(Debug)]
pub struct Shared {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub passwords: Passwords,
    pub setup_code: SetupCode,
    pub leptos_options: LeptosOptions,
    /// Live session and account events for open pages.
    pub events: EventBus,
    /// The only way to end sessions (each ending is announced on `events`).
    pub endings: SessionEndings,
    /// Outgoing mail (SMTP, or the outbox folder).
    pub mailer: Mailer,
    /// Open event streams, bounded per session and per address.
    pub streams: super::stream_limits::OpenStreams,
    /// Set when the server starts shutting down: responses close their
    /// connections and `/readyz` says not ready, while requests still get
    /// answers.
    pub draining: Arc<std::sync::atomic::AtomicBool>,
    /// This site as a WebAuthn relying party (passkeys).
    pub relying_party: super::passkeys::RelyingParty,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
