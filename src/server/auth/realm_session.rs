//! One session per realm, in one typed API.
//!
//! Each realm has its own `SessionManagerLayer` (own cookie, own store, own
//! lifetimes). tower-sessions puts a plain `Session` into the request; right
//! after each manager, [`adopt`] moves it into a realm-typed
//! [`RealmSession`] so the next manager cannot shadow it. Handlers ask for
//! `UserSession` or `AdminSession`; nothing else reads cookies or the store.

use std::{marker::PhantomData, net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{header, request::Parts, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tower_sessions::{session::Id, Session};

use super::store::{hash_id, RealmStore};
use crate::{
    domain::{AuditKind, AuditOutcome},
    error::AppError,
    live::{EndReason, SessionCheck, SessionStatus},
    realm::{AdminRealm, RealmMarker, UserRealm},
    server::{
        audit::{self, Subject},
        db,
        events::{EventBus, LiveEvent},
    },
};

/// The keys a realm session holds. The store indexes some of them.
pub mod keys {
    pub const ACCOUNT_ID: &str = "account_id";
    pub const SIGNED_IN_AT: &str = "signed_in_at";
    pub const LAST_SEEN: &str = "last_seen";
    pub const USER_AGENT: &str = "user_agent";
    pub const CLIENT_IP: &str = "client_ip";
    /// A one-shot message for the next page of this session (see `flash`).
    pub const FLASH: &str = "flash";
    /// Set by a renewal for the store's `create`, which removes it: the
    /// hash of the id being replaced.
    pub const RENEWED_FROM: &str = "renewed_from";
    /// A password step passed, the second step not yet: the account, when,
    /// and where the browser goes once done. Not signed in meanwhile.
    pub const TWO_STEP_ACCOUNT: &str = "two_step_account";
    pub const TWO_STEP_SINCE: &str = "two_step_since";
    pub const TWO_STEP_NEXT: &str = "two_step_next";
    /// An authenticator key offered at set-up, until a code confirms it.
    pub const TWO_STEP_SETUP: &str = "two_step_setup";
    /// New recovery codes and when they were made, until their owner says
    /// they are saved (or a quarter of an hour passes).
    pub const RECOVERY_CODES: &str = "recovery_codes";
    /// The signed-in account's row, read with the session by the store's
    /// `load` and never stored: the request's later reads of the account
    /// (the page's frame, its data) take it from here.
    pub const ACCOUNT_ROW: &str = "account_row";
}

/// A sign-in waiting for its second step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSecondStep {
    pub account_id: i64,
    pub since: i64,
    /// Where the browser goes once the second step is done.
    pub next: String,
}

/// Who is asking: kept with the session for the sessions pages and audit.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}

/// A signed-in account of one realm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub account_id: i64,
    pub signed_in_at: i64,
}

/// Per-realm settings the adopting middleware needs.
#[derive(Clone, Debug)]
pub struct RealmSessionConfig {
    pub store: RealmStore,
    pub cookie_name: &'static str,
    /// Re-save (and so extend) a session at most this often.
    pub touch_every: Duration,
    /// The realm's idle timeout.
    pub idle: Duration,
    pub events: EventBus,
    pub db: db::Db,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

struct Inner {
    session: Session,
    cookie_present: bool,
    presented_id: Option<Id>,
    client: ClientInfo,
    /// The realm's settings, shared by all its requests.
    config: Arc<RealmSessionConfig>,
}

/// The session of realm `R` for this request.
pub struct RealmSession<R: RealmMarker> {
    inner: Arc<Inner>,
    _realm: PhantomData<fn() -> R>,
}

/// The residents' session.
pub type UserSession = RealmSession<UserRealm>;
/// The staff session.
pub type AdminSession = RealmSession<AdminRealm>;

impl<R: RealmMarker> Clone for RealmSession<R> {
    fn clone(&self) -> Self {
        Self { inner: self.inner.clone(), _realm: PhantomData }
    }
}

fn store_failure(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "session store failure");
    AppError::Internal
}

impl<R: RealmMarker> RealmSession<R> {
    /// The signed-in account, if any. Pushes the idle deadline back at most
    /// once per touch interval (the session is saved after the response).
    #[tracing::instrument(skip_all, fields(realm = R::REALM.as_str()))]
    pub async fn signed_in(&self) -> Result<Option<SignedIn>, AppError> {
        let session = &self.inner.session;
        let Some(account_id) = session.get::<i64>(keys::ACCOUNT_ID).await.map_err(store_failure)? else {
            return Ok(None);
        };
        let signed_in_at = session.get::<i64>(keys::SIGNED_IN_AT).await.map_err(store_failure)?.unwrap_or(0);
        let last_seen = session.get::<i64>(keys::LAST_SEEN).await.map_err(store_failure)?.unwrap_or(0);
        let now = db::now();
        if now.saturating_sub(last_seen) >= self.inner.config.touch_every.as_secs() as i64 {
            session.insert(keys::LAST_SEEN, now).await.map_err(store_failure)?;
        }
        Ok(Some(SignedIn { account_id, signed_in_at }))
    }

    /// The row of `account_id`, the account signed in: the one read with
    /// this session at the start of the request (see [`keys::ACCOUNT_ROW`]),
    /// or, if none was or the session changed hands since, read afresh.
    pub async fn account_row<T: db::AccountRow>(
        &self,
        db: &db::Db,
        account_id: i64,
    ) -> Result<Option<T>, AppError> {
        match self.inner.session.get::<T>(keys::ACCOUNT_ROW).await.map_err(store_failure)? {
            Some(row) if row.id() == account_id => Ok(Some(row)),
            _ => T::find(db, account_id).await.map_err(|err| {
                tracing::error!(error = %err, realm = R::REALM.as_str(), "reading the signed-in account failed");
                AppError::Internal
            }),
        }
    }

    /// Signs `account_id` in: whatever this realm's session held is dropped,
    /// the old id is deleted on the server and a new id is issued. The other
    /// realm's session is a different object and is not touched.
    #[tracing::instrument(skip_all, fields(realm = R::REALM.as_str(), account_id))]
    pub async fn sign_in(&self, account_id: i64, email: &str) -> Result<(), AppError> {
        let session = &self.inner.session;
        session.clear().await;
        // The store ends the replaced session: its open pages hear of it.
        session.cycle_id().await.map_err(store_failure)?;
        let now = db::now();
        let client = &self.inner.client;
        for (key, value) in [
            (keys::ACCOUNT_ID, serde_json::json!(account_id)),
            (keys::SIGNED_IN_AT, serde_json::json!(now)),
            (keys::LAST_SEEN, serde_json::json!(now)),
            (keys::USER_AGENT, serde_json::json!(client.user_agent)),
            (keys::CLIENT_IP, serde_json::json!(client.ip)),
        ] {
            session.insert_value(key, value).await.map_err(store_failure)?;
        }
        // The account's other open pages (and the sessions directory) hear
        // of the new session from the store, once it is written.
        audit::record(
            &self.inner.config.db,
            R::REALM,
            AuditKind::SignIn,
            AuditOutcome::Ok,
            client,
            Subject::account(account_id, email),
        )
        .await;
        Ok(())
    }

    /// The password step passed for an account with a second factor: this
    /// realm's session is dropped and replaced (new id) by one that only
    /// remembers whose second step is due. Nobody is signed in by it.
    pub async fn begin_second_step(&self, account_id: i64, next: &str) -> Result<(), AppError> {
        let session = &self.inner.session;
        session.clear().await;
        session.cycle_id().await.map_err(store_failure)?;
        let client = &self.inner.client;
        for (key, value) in [
            (keys::TWO_STEP_ACCOUNT, serde_json::json!(account_id)),
            (keys::TWO_STEP_SINCE, serde_json::json!(db::now())),
            (keys::TWO_STEP_NEXT, serde_json::json!(next)),
            (keys::USER_AGENT, serde_json::json!(client.user_agent)),
            (keys::CLIENT_IP, serde_json::json!(client.ip)),
        ] {
            session.insert_value(key, value).await.map_err(store_failure)?;
        }
        Ok(())
    }

    /// The sign-in waiting for its second step in this browser, if any.
    pub async fn pending_second_step(&self) -> Result<Option<PendingSecondStep>, AppError> {
        let session = &self.inner.session;
        let Some(account_id) = session.get::<i64>(keys::TWO_STEP_ACCOUNT).await.map_err(store_failure)?
        else {
            return Ok(None);
        };
        let since = session.get::<i64>(keys::TWO_STEP_SINCE).await.map_err(store_failure)?.unwrap_or(0);
        let next =
            session.get::<String>(keys::TWO_STEP_NEXT).await.map_err(store_failure)?.unwrap_or_default();
        Ok(Some(PendingSecondStep { account_id, since, next }))
    }

    /// Forgets a sign-in waiting for its second step (it timed out).
    pub async fn drop_second_step(&self) -> Result<(), AppError> {
        let session = &self.inner.session;
        for key in [keys::TWO_STEP_ACCOUNT, keys::TWO_STEP_SINCE, keys::TWO_STEP_NEXT] {
            session.remove_value(key).await.map_err(store_failure)?;
        }
        Ok(())
    }

    /// Keeps the authenticator key offered at set-up (base32) until a code
    /// confirms it; `None` forgets it.
    pub async fn offer_setup_key(&self, key: Option<&str>) -> Result<(), AppError> {
        let session = &self.inner.session;
        match key {
            Some(key) => session.insert_value(keys::TWO_STEP_SETUP, serde_json::json!(key)).await.map(drop),
            None => session.remove_value(keys::TWO_STEP_SETUP).await.map(drop),
        }
        .map_err(store_failure)
    }

    /// The authenticator key offered at set-up, if any.
    pub async fn offered_setup_key(&self) -> Result<Option<String>, AppError> {
        self.inner.session.get::<String>(keys::TWO_STEP_SETUP).await.map_err(store_failure)
    }

    /// Keeps new recovery codes for this browser's account page to show
    /// (with or without JavaScript, and across reloads) until
    /// [`Self::forget_recovery_codes`].
    pub async fn keep_recovery_codes(&self, codes: &[String]) -> Result<(), AppError> {
        self.inner
            .session
            .insert_value(keys::RECOVERY_CODES, serde_json::json!({ "codes": codes, "at": db::now() }))
            .await
            .map(drop)
            .map_err(store_failure)
    }

    /// The new recovery codes kept here, if not older than `max_age` seconds
    /// (older ones are forgotten now).
    pub async fn recovery_codes(&self, max_age: i64) -> Result<Option<Vec<String>>, AppError> {
        let Some(value) = self.inner.session.get_value(keys::RECOVERY_CODES).await.map_err(store_failure)?
        else {
            return Ok(None);
        };
        if value["at"].as_i64().is_none_or(|at| db::now() - at > max_age) {
            self.forget_recovery_codes().await?;
            return Ok(None);
        }
        Ok(serde_json::from_value(value["codes"].clone()).ok())
    }

    /// The owner saved the new recovery codes: they are not shown again.
    pub async fn forget_recovery_codes(&self) -> Result<(), AppError> {
        self.inner.session.remove_value(keys::RECOVERY_CODES).await.map(drop).map_err(store_failure)
    }

    /// Ends this realm's session: deleted on the server now, cookie removed
    /// in the response. Safe to call without a session (a second tab).
    #[tracing::instrument(skip_all, fields(realm = R::REALM.as_str()))]
    pub async fn sign_out(&self) -> Result<Option<i64>, AppError> {
        let session = &self.inner.session;
        let account_id = session.get::<i64>(keys::ACCOUNT_ID).await.map_err(store_failure)?;
        // The store ends the session: its open pages hear of it.
        session.flush().await.map_err(store_failure)?;
        if let Some(account_id) = account_id {
            let subject = Subject { account_id: Some(account_id), ..Subject::default() };
            audit::record(
                &self.inner.config.db,
                R::REALM,
                AuditKind::SignOut,
                AuditOutcome::Ok,
                &self.inner.client,
                subject,
            )
            .await;
        }
        Ok(account_id)
    }

    /// The signed-in account, without extending the session (open pages ask
    /// this; asking is not activity).
    pub async fn peek(&self) -> Result<Option<SignedIn>, AppError> {
        let session = &self.inner.session;
        let Some(account_id) = session.get::<i64>(keys::ACCOUNT_ID).await.map_err(store_failure)? else {
            return Ok(None);
        };
        let signed_in_at = session.get::<i64>(keys::SIGNED_IN_AT).await.map_err(store_failure)?.unwrap_or(0);
        Ok(Some(SignedIn { account_id, signed_in_at }))
    }

    /// The stored key of this session (for matching live events).
    pub fn id_hash(&self) -> Option<String> {
        self.inner.session.id().map(|id| hash_id(&id))
    }

    /// Gives this session a new id, keeping its data (after a password
    /// change). Its open pages reconnect instead of being told it ended.
    /// Requests already on their way with the old id get a few seconds'
    /// grace, so a page that is reloading its data is not signed out by its
    /// own password change.
    pub async fn renew(&self, account_id: i64) -> Result<(), AppError> {
        if let Some(id) = self.inner.session.id() {
            // The store creates the new row only while this one is live,
            // keeping its absolute deadline.
            self.inner
                .session
                .insert_value(keys::RENEWED_FROM, serde_json::json!(hash_id(&id)))
                .await
                .map_err(store_failure)?;
            self.inner.config.store.soften_next_delete(&id);
            self.inner.config.events.publish(
                R::REALM,
                account_id,
                LiveEvent::SessionRenewed { session: hash_id(&id) },
            );
        }
        self.inner.session.cycle_id().await.map_err(store_failure)
    }

    /// Is the session still there, and until when? Or why did it end?
    pub async fn check(&self) -> Result<SessionCheck, AppError> {
        let Some(signed_in) = self.peek().await? else {
            return Ok(SessionCheck::Ended(match self.ending_reason().await {
                // No cookie left: this browser signed out (another tab).
                EndReason::SignInRequired => EndReason::SignedOutHere,
                EndReason::Ended => EndReason::SignedOutElsewhere,
                other => other,
            }));
        };
        let hash = self.id_hash().ok_or(AppError::Internal)?;
        // Read again: the row may have ended since this request loaded it.
        let expires_at = match db::sessions::deadlines(&self.inner.config.db, R::REALM, &hash)
            .await
            .map_err(store_failure)?
        {
            Some((expires_at, _)) if expires_at > db::now() => expires_at,
            Some(_) => return Ok(SessionCheck::Ended(EndReason::Expired)),
            None => {
                let heard = self.inner.config.events.recent_ending(R::REALM, &hash);
                return Ok(SessionCheck::Ended(heard.unwrap_or(EndReason::SignedOutElsewhere)));
            }
        };
        Ok(SessionCheck::Active(SessionStatus {
            account_id: signed_in.account_id,
            expires_at,
            now: db::now(),
            idle_seconds: self.inner.config.idle.as_secs() as i64,
        }))
    }

    /// Keeps `value` for the next request of this signed-in session, which
    /// takes it with [`Self::take_flash`] (for what a page without
    /// JavaScript must show once after a form post redirected back to it).
    pub async fn flash<T: serde::Serialize>(&self, value: &T) -> Result<(), AppError> {
        let value = serde_json::to_value(value).map_err(|_| AppError::Internal)?;
        self.inner.session.insert_value(keys::FLASH, value).await.map_err(store_failure)?;
        Ok(())
    }

    /// The flashed value, if any; it is gone afterwards.
    pub async fn take_flash<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, AppError> {
        let value = self.inner.session.remove_value(keys::FLASH).await.map_err(store_failure)?;
        Ok(value.and_then(|v| serde_json::from_value(v).ok()))
    }

    /// "Stay signed in": pushes the idle deadline back now, whatever the
    /// touch interval. Returns the new deadline.
    pub async fn extend(&self) -> Result<i64, AppError> {
        self.signed_in().await?.ok_or(AppError::Unauthenticated)?;
        let hash = self.id_hash().ok_or(AppError::Unauthenticated)?;
        let (_, absolute) = db::sessions::deadlines(&self.inner.config.db, R::REALM, &hash)
            .await
            .map_err(store_failure)?
            .ok_or(AppError::Unauthenticated)?;
        let idle = time::Duration::try_from(self.inner.config.idle).unwrap_or(time::Duration::DAY);
        // Marks the session modified: it is saved (deadline moved) after the response.
        self.inner.session.set_expiry(Some(tower_sessions::Expiry::OnInactivity(idle)));
        Ok((db::now() + self.inner.config.idle.as_secs() as i64).min(absolute))
    }

    /// Why there is no signed-in account, for the sign-in page's message:
    /// no cookie, an expired session, or one that ended otherwise.
    pub async fn ending_reason(&self) -> EndReason {
        if !self.inner.cookie_present {
            return EndReason::SignInRequired;
        }
        let Some(id) = &self.inner.presented_id else { return EndReason::Ended };
        // Ended lately: the reason its open pages were told (a sign-out in
        // another tab whose cookie removal this request did not see yet).
        if let Some(reason) = self.inner.config.events.recent_ending(R::REALM, &hash_id(id)) {
            return reason;
        }
        if self.inner.config.store.is_expired(id).await.unwrap_or(false) {
            EndReason::Expired
        } else {
            EndReason::Ended
        }
    }

    pub fn client(&self) -> &ClientInfo {
        &self.inner.client
    }
}

/// Middleware placed right inside realm `R`'s session manager: moves the
/// manager's `Session` into a `RealmSession<R>` (the manager keeps its own
/// handle and saves it after the response).
pub async fn adopt<R: RealmMarker>(
    State(config): State<Arc<RealmSessionConfig>>,
    mut req: Request,
    next: Next,
) -> Response {
    let Some(session) = req.extensions_mut().remove::<Session>() else {
        tracing::error!(realm = R::REALM.as_str(), "session manager missing in front of adopt");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let cookie_present = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|pair| pair.trim().split_once('=').is_some_and(|(name, _)| name == config.cookie_name));
    let client = ClientInfo {
        ip: client_address(&req, &config.trusted_proxies).map(|ip| ip.to_string()).unwrap_or_default(),
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(300).collect())
            .unwrap_or_default(),
    };
    let realm_session = RealmSession::<R> {
        inner: Arc::new(Inner { presented_id: session.id(), session, cookie_present, client, config }),
        _realm: PhantomData,
    };
    req.extensions_mut().insert(realm_session);
    next.run(req).await
}

/// The client's address: the socket's, unless the socket is a trusted proxy,
/// in which case the nearest untrusted hop of `X-Forwarded-For`. A client
/// cannot choose its address by sending that header itself.
fn client_address(req: &Request, trusted: &[std::net::IpAddr]) -> Option<std::net::IpAddr> {
    let socket = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())?;
    if !trusted.contains(&socket) {
        return Some(socket);
    }
    let forwarded: Vec<std::net::IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|hop| hop.trim().parse().ok())
        .collect();
    Some(forwarded.into_iter().rev().find(|hop| !trusted.contains(hop)).unwrap_or(socket))
}

impl<R: RealmMarker, S: Send + Sync> FromRequestParts<S> for RealmSession<R> {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RealmSession<R>>()
            .cloned()
            .ok_or((StatusCode::INTERNAL_SERVER_ERROR, "realm session layer missing"))
    }
}
