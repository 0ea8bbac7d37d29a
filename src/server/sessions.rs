//! Use cases over signed-in sessions: sign-in and sign-out, an account's
//! own list and sign-outs, and staff revocation. Sessions end through `state.endings`, which
//! announces each ending to its open pages.

use super::{
    accounts::RealmAccounts,
    audit::Subject,
    auth::{throttle, AdminSession, RealmSession},
    db::{self, sessions::SessionRow},
    endpoint::{audit, internal},
    format,
    paging::PageRequest,
    state::AppState,
    two_factor,
};
use crate::{
    domain::{user_agent, AuditKind},
    error::AppError,
    live::EndReason,
    realm::{Realm, RealmMarker},
    wire::{Page, SessionInfo},
};

fn info(row: SessionRow, current: Option<&str>) -> SessionInfo {
    SessionInfo {
        current: current == Some(row.id_hash.as_str()),
        key: row.id_hash,
        realm: row.realm,
        account_id: row.account_id,
        account_email: row.account_email,
        created: format::date_time(row.created_at),
        last_seen: format::date_time(row.last_seen_at),
        browser: user_agent::describe(&row.user_agent),
        client_ip: row.client_ip,
    }
}

/// Signs an account of realm `R` in with its email and password: counted by
/// the throttle first, one answer for every failure, a new session id. The
/// other realm's session is not touched. Returns where the browser goes
/// next: `next` if it is one of the realm's pages, else its home.
pub async fn sign_in<R: RealmAccounts>(
    state: &AppState,
    session: &RealmSession<R>,
    email: &str,
    password: &str,
    next: Option<&str>,
) -> Result<String, AppError> {
    let authenticated = async {
        let account = R::authenticate(state, email, password).await?;
        let two_step = two_factor::second_step_ways::<R>(state, account.id).await?.is_some();
        Ok((account, two_step))
    };
    let (account, two_step) = throttle::attempt(
        &state.db,
        &state.settings.throttle,
        R::REALM,
        email,
        session.client(),
        authenticated,
        |(_, two_step)| *two_step,
    )
    .await?;
    // A temporary password is replaced first, then a required second
    // factor set up, before anything else.
    let to = match account.first_stop {
        Some(stop) => stop.to_owned(),
        None if !two_step && two_factor::required::<R>(state) => R::REALM.two_step_setup_path().to_owned(),
        None => R::REALM.safe_return_path(next),
    };
    if two_step {
        session.begin_second_step(account.id, &to).await?;
        tracing::info!(realm = R::REALM.as_str(), account_id = account.id, "password step passed");
        return Ok(R::REALM.second_step_path().to_owned());
    }
    session.sign_in(account.id, &account.email).await?;
    tracing::info!(realm = R::REALM.as_str(), account_id = account.id, "signed in");
    Ok(to)
}

/// Signs this browser's session of realm `R` out: deleted on the server,
/// its open pages told, the cookie removed. The other realm's session is
/// not touched. Returns the sign-in page that says so.
pub async fn sign_out<R: RealmMarker>(session: &RealmSession<R>) -> Result<String, AppError> {
    if let Some(account_id) = session.sign_out().await? {
        tracing::info!(realm = R::REALM.as_str(), account_id, "signed out");
    }
    Ok(format!("{}?reason={}", R::REALM.login_path(), EndReason::SignedOutHere.as_str()))
}

/// The signed-in account's sessions in this realm, this one marked.
pub async fn own<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: i64,
) -> Result<Vec<SessionInfo>, AppError> {
    let current = session.id_hash();
    let rows = db::sessions::list_for_account(&state.db, R::REALM, account_id)
        .await
        .map_err(|e| internal("list sessions", e))?;
    Ok(rows.into_iter().map(|r| info(r, current.as_deref())).collect())
}

/// Signs one of the account's own sessions out (this one: a normal sign-out).
pub async fn end_own<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: i64,
    key: &str,
) -> Result<(), AppError> {
    if session.id_hash().as_deref() == Some(key) {
        session.sign_out().await?;
        return Ok(());
    }
    let row = db::sessions::find(&state.db, R::REALM, key).await.map_err(|e| internal("find session", e))?;
    match row {
        Some(row) if row.account_id == account_id => {
            state
                .endings
                .end(R::REALM, key, EndReason::SignedOutElsewhere)
                .await
                .map_err(|e| internal("end session", e))?;
            tracing::info!(
                realm = R::REALM.as_str(),
                account_id,
                "own session signed out from the account page"
            );
            let subject =
                Subject { account_id: Some(account_id), detail: "one session".into(), ..Subject::default() };
            super::endpoint::audit(state, session, R::REALM, AuditKind::OwnSessionsEnded, subject).await;
            Ok(())
        }
        _ => Err(AppError::NotFound("That session has already ended.".into())),
    }
}

/// Signs every other session of the account out; keeps this one.
pub async fn end_own_others<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: i64,
) -> Result<usize, AppError> {
    let keep = session.id_hash().ok_or(AppError::Unauthenticated)?;
    let ended = state
        .endings
        .end_others_of(R::REALM, account_id, &keep, EndReason::SignedOutElsewhere)
        .await
        .map_err(|e| internal("end other sessions", e))?;
    tracing::info!(realm = R::REALM.as_str(), account_id, ended, "other sessions signed out");
    let subject = Subject {
        account_id: Some(account_id),
        detail: format!("{ended} other session(s)"),
        ..Subject::default()
    };
    super::endpoint::audit(state, session, R::REALM, AuditKind::OwnSessionsEnded, subject).await;
    Ok(ended)
}

/// Live sessions of both realms (or one), for `/admin/sessions`.
pub async fn directory(
    state: &AppState,
    realm: Option<Realm>,
    page: PageRequest,
    current: Option<&str>,
) -> Result<Page<SessionInfo>, AppError> {
    const PER_PAGE: i64 = 25;
    let (limit, offset) = page.window(PER_PAGE);
    let (rows, total) = db::sessions::list_all(&state.db, realm, limit, offset)
        .await
        .map_err(|e| internal("list all sessions", e))?;
    Ok(page.of(rows.into_iter().map(|r| info(r, current)).collect(), PER_PAGE, total))
}

/// Staff revoke one session: its open pages say an administrator ended it.
/// Audited.
pub async fn revoke(
    state: &AppState,
    session: &AdminSession,
    admin_id: i64,
    realm: Realm,
    key: &str,
) -> Result<(), AppError> {
    let ended =
        state.endings.end(realm, key, EndReason::Revoked).await.map_err(|e| internal("revoke session", e))?;
    let Some(account_id) = ended else {
        return Err(AppError::NotFound("That session has already ended.".into()));
    };
    tracing::info!(realm = realm.as_str(), account_id, admin_id, "session revoked");
    let subject = Subject { account_id: Some(account_id), ..Subject::default() }.by_admin(admin_id);
    audit(state, session, realm, AuditKind::SessionRevoked, subject).await;
    Ok(())
}

/// Staff revoke every session of one account. Audited.
pub async fn revoke_account(
    state: &AppState,
    session: &AdminSession,
    admin_id: i64,
    realm: Realm,
    account_id: i64,
) -> Result<(), AppError> {
    let ended = state
        .endings
        .end_all_of(realm, account_id, EndReason::Revoked)
        .await
        .map_err(|e| internal("revoke account sessions", e))?;
    tracing::info!(realm = realm.as_str(), account_id, admin_id, ended, "account sessions revoked");
    let subject = Subject { account_id: Some(account_id), ..Subject::default() }
        .by_admin(admin_id)
        .detail(format!("{ended} session(s)"));
    audit(state, session, realm, AuditKind::AccountSessionsRevoked, subject).await;
    Ok(())
}

/// Staff revoke every session of a realm. Audited.
pub async fn revoke_realm(
    state: &AppState,
    session: &AdminSession,
    admin_id: i64,
    realm: Realm,
) -> Result<(), AppError> {
    let ended = state
        .endings
        .end_realm(realm, EndReason::Revoked)
        .await
        .map_err(|e| internal("revoke realm sessions", e))?;
    tracing::info!(realm = realm.as_str(), admin_id, ended, "realm sessions revoked");
    let subject = Subject::default().by_admin(admin_id).detail(format!("{ended} session(s)"));
    audit(state, session, realm, AuditKind::RealmSessionsRevoked, subject).await;
    Ok(())
}

/// Parses a realm name from a form.
pub fn parse_realm(value: &str) -> Result<Realm, AppError> {
    Realm::parse(value).ok_or_else(|| AppError::invalid("realm", "Choose user or admin."))
}

/// Checks a session key's shape (64 hex digits) before it reaches SQL.
pub fn parse_key(value: &str) -> Result<&str, AppError> {
    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(value)
    } else {
        Err(AppError::invalid("key", "That is not a session of this list."))
    }
}
