//! Passkeys (WebAuthn, with webauthn-rs) in either realm: added and removed
//! on the account page, used to sign in without an email or password, and
//! as the second step of a staff sign-in.
//!
//! Realms stay apart: a credential is looked up by its id in the realm of
//! the sign-in page only, so a resident's passkey never signs anyone in to
//! the staff console, even for the same person with the same email. The
//! authenticator is told which realm an entry is for (its user name), so a
//! browser's passkey chooser tells them apart too.
//!
//! A ceremony's server state (the challenge) is kept in the
//! `passkey_ceremonies` table for five minutes and taken once with one
//! DELETE … RETURNING: a replayed or parallel answer finds nothing, and a
//! passkey sign-in never creates a session before it succeeds.

use std::net::IpAddr;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::{de::DeserializeOwned, Serialize};
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

use super::{
    accounts::{RealmAccounts, SignedInAccount},
    audit::{self, Subject},
    auth::RealmSession,
    db::{
        self,
        passkeys::{self as store, NewCeremony, NewPasskey, PasskeyRow},
        second_factors,
    },
    endpoint::{self, internal},
    events::LiveEvent,
    format,
    security::sha256_hex,
    state::AppState,
    two_factor,
};
use crate::{
    domain::{AuditKind, AuditOutcome},
    error::AppError,
    live::EndReason,
    realm::{Realm, RealmMarker},
    wire::passkeys::{PasskeyChallenge, PasskeyInfo, PasskeyPanel},
};

/// How long a ceremony may take (the browser's prompt, a person finding
/// their phone).
const CEREMONY_SECONDS: i64 = 300;
/// Ceremonies under way at once, in all and from one address: a flood of
/// "sign in with a passkey" clicks cannot fill the database.
const MAX_CEREMONIES: i64 = 10_000;
const MAX_CEREMONIES_PER_ADDRESS: i64 = 30;
/// Passkeys per account.
const MAX_PASSKEYS: i64 = 20;
const MAX_NAME_CHARS: usize = 60;

/// This site as a WebAuthn relying party, from its configured address.
pub struct RelyingParty(Option<Webauthn>);

impl std::fmt::Debug for RelyingParty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "RelyingParty(on)" } else { "RelyingParty(off)" })
    }
}

impl RelyingParty {
    /// The relying party of `site_url` (`EKO_SITE_URL`). Browsers refuse
    /// passkeys on an IP address: a loopback address is served as
    /// `localhost` instead (development, tests); any other address leaves
    /// passkeys off, and the pages say so.
    pub fn from_site_url(site_url: &str) -> anyhow::Result<Self> {
        let mut origin = Url::parse(site_url)?;
        let host = origin.host_str().unwrap_or_default().trim_matches(['[', ']']).to_owned();
        let rp_id = match host.parse::<IpAddr>() {
            Ok(ip) if ip.is_loopback() => "localhost".to_owned(),
            Ok(_) => {
                tracing::warn!("EKO_SITE_URL is an IP address: passkeys are off (browsers need a name)");
                return Ok(Self(None));
            }
            Err(_) => host,
        };
        origin.set_host(Some(&rp_id))?;
        origin.set_path("");
        let webauthn = WebauthnBuilder::new(&rp_id, &origin)?.rp_name("Eko").build()?;
        Ok(Self(Some(webauthn)))
    }

    pub fn available(&self) -> bool {
        self.0.is_some()
    }

    fn webauthn(&self) -> Result<&Webauthn, AppError> {
        self.0.as_ref().ok_or_else(|| {
            AppError::Conflict("Passkeys are not available at this address of the site.".into())
        })
    }
}

#[derive(Clone, Copy, Debug)]
enum Purpose {
    Register,
    SignIn,
    SecondStep,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::SignIn => "sign_in",
            Purpose::SecondStep => "second_step",
        }
    }
}

fn fail(context: &'static str) -> impl Fn(sqlx::Error) -> AppError {
    move |e| internal(context, e)
}

fn passkey_error(message: &str) -> AppError {
    AppError::invalid("passkey", message)
}

fn expired() -> AppError {
    passkey_error("That passkey request has expired. Try again.")
}

fn unreadable() -> AppError {
    passkey_error("The browser's answer could not be read. Try again.")
}

/// Keeps a ceremony's state; returns the token that takes it back.
async fn hold<T: Serialize>(
    state: &AppState,
    realm: Realm,
    purpose: Purpose,
    account_id: Option<i64>,
    name: Option<&str>,
    client_ip: &str,
    ceremony: &T,
) -> Result<String, AppError> {
    let (all, here) = store::prune_ceremonies(&state.db, db::now() - CEREMONY_SECONDS, client_ip)
        .await
        .map_err(fail("passkey ceremonies"))?;
    if here >= MAX_CEREMONIES_PER_ADDRESS {
        return Err(AppError::TooManyAttempts { retry_after_seconds: 60 });
    }
    if all >= MAX_CEREMONIES {
        return Err(AppError::Busy { retry_after_seconds: 10 });
    }
    let token = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let json = serde_json::to_string(ceremony).map_err(|e| internal("passkey ceremony state", e))?;
    let new = NewCeremony {
        token_hash: &sha256_hex(token.as_bytes()),
        realm,
        purpose: purpose.as_str(),
        account_id,
        name,
        client_ip,
        state: &json,
    };
    store::insert_ceremony(&state.db, &new).await.map_err(fail("passkey ceremony"))?;
    Ok(token)
}

/// Takes back a ceremony of this realm and purpose, once.
async fn take<T: DeserializeOwned>(
    state: &AppState,
    realm: Realm,
    purpose: Purpose,
    token: &str,
) -> Result<(Option<i64>, Option<String>, T), AppError> {
    let row = store::take_ceremony(
        &state.db,
        &sha256_hex(token.as_bytes()),
        realm,
        purpose.as_str(),
        db::now() - CEREMONY_SECONDS,
    )
    .await
    .map_err(fail("passkey ceremony"))?
    .ok_or_else(expired)?;
    let ceremony = serde_json::from_str(&row.state).map_err(|e| internal("passkey ceremony state", e))?;
    Ok((row.account_id, row.name, ceremony))
}

/// The options as the browser's `PublicKeyCredential.parse…OptionsFromJSON`
/// reads them (the `publicKey` member of webauthn-rs' answer).
fn options_json<T: Serialize>(challenge: &T) -> Result<serde_json::Value, AppError> {
    let mut value = serde_json::to_value(challenge).map_err(|e| internal("passkey options", e))?;
    Ok(value["publicKey"].take())
}

fn challenge(token: String, options: serde_json::Value) -> PasskeyChallenge {
    PasskeyChallenge { token, options: options.to_string() }
}

fn stored_passkey(row: &PasskeyRow) -> Result<Passkey, AppError> {
    serde_json::from_str(&row.passkey).map_err(|e| internal("stored passkey", e))
}

fn credential_id(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// How the authenticator lists the account: the realm is part of the name,
/// so one person's resident and staff passkeys are told apart.
fn authenticator_names(realm: Realm, account: &SignedInAccount) -> (String, String) {
    match realm {
        Realm::User => (account.email.clone(), format!("{} (Eko)", account.name)),
        Realm::Admin => (format!("{} (staff)", account.email), format!("{} (Eko staff)", account.name)),
    }
}

fn parse_name(raw: &str) -> Result<String, AppError> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::invalid("name", format!("Use at most {MAX_NAME_CHARS} characters.")));
    }
    Ok(if name.is_empty() { "Passkey".to_owned() } else { name })
}

/// Whether the account has no second factor but its passkeys.
async fn passkeys_are_its_only_factor(
    state: &AppState,
    realm: Realm,
    account_id: i64,
) -> Result<bool, AppError> {
    Ok(!second_factors::exists(&state.db, realm, account_id).await.map_err(fail("second factor"))?)
}

/// The account page's panel.
pub async fn panel<R: RealmMarker>(state: &AppState, account_id: i64) -> Result<PasskeyPanel, AppError> {
    let rows = store::list(&state.db, R::REALM, account_id).await.map_err(fail("list passkeys"))?;
    let only = rows.len() == 1 && passkeys_are_its_only_factor(state, R::REALM, account_id).await?;
    Ok(PasskeyPanel {
        available: state.relying_party.available(),
        last_factor: only,
        keep_last: only && two_factor::required::<R>(state),
        passkeys: rows
            .into_iter()
            .map(|r| PasskeyInfo {
                id: r.id,
                name: r.name,
                created: format::date_time(r.created_at),
                last_used: r.last_used_at.map(format::date_time),
            })
            .collect(),
    })
}

/// Begins adding a passkey named `name` to the signed-in account.
pub async fn begin_registration<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account: &SignedInAccount,
    name: &str,
) -> Result<PasskeyChallenge, AppError> {
    let name = parse_name(name)?;
    let webauthn = state.relying_party.webauthn()?;
    let rows = store::list(&state.db, R::REALM, account.id).await.map_err(fail("list passkeys"))?;
    if rows.len() as i64 >= MAX_PASSKEYS {
        return Err(AppError::Conflict(format!("An account can have at most {MAX_PASSKEYS} passkeys.")));
    }
    // One random id per account for its authenticators (never the account
    // id): the same for all its passkeys.
    let handle = match rows.first() {
        Some(row) => Uuid::parse_str(&row.user_handle).map_err(|e| internal("passkey user handle", e))?,
        None => Uuid::new_v4(),
    };
    let exclude =
        rows.iter().map(|r| stored_passkey(r).map(|p| p.cred_id().clone())).collect::<Result<Vec<_>, _>>()?;
    let (user_name, display_name) = authenticator_names(R::REALM, account);
    let (options, registration) = webauthn
        .start_passkey_registration(handle, &user_name, &display_name, Some(exclude))
        .map_err(|e| internal("passkey registration", e))?;
    let mut options = options_json(&options)?;
    // Discoverable: signing in needs no email first.
    options["authenticatorSelection"]["residentKey"] = "required".into();
    options["authenticatorSelection"]["requireResidentKey"] = true.into();
    let held = (handle, registration);
    let token =
        hold(state, R::REALM, Purpose::Register, Some(account.id), Some(&name), &session.client().ip, &held)
            .await?;
    Ok(challenge(token, options))
}

/// Finishes adding a passkey: the browser's answer to
/// [`begin_registration`], for the same signed-in account.
pub async fn finish_registration<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account: &SignedInAccount,
    token: &str,
    credential: &str,
) -> Result<(), AppError> {
    let webauthn = state.relying_party.webauthn()?;
    let (owner, name, (handle, registration)) =
        take::<(Uuid, PasskeyRegistration)>(state, R::REALM, Purpose::Register, token).await?;
    if owner != Some(account.id) {
        return Err(expired());
    }
    let answer: RegisterPublicKeyCredential = serde_json::from_str(credential).map_err(|_| unreadable())?;
    let passkey = webauthn.finish_passkey_registration(&answer, &registration).map_err(|e| {
        tracing::info!(realm = R::REALM.as_str(), error = %e, "passkey registration refused");
        passkey_error("The passkey could not be added. Try again.")
    })?;
    let name = name.unwrap_or_else(|| "Passkey".to_owned());
    let json = serde_json::to_string(&passkey).map_err(|e| internal("passkey", e))?;
    let new = NewPasskey {
        realm: R::REALM,
        account_id: account.id,
        credential_id: &credential_id(passkey.cred_id()),
        user_handle: &handle.to_string(),
        name: &name,
        passkey: &json,
    };
    if store::insert(&state.db, &new).await.map_err(fail("store passkey"))?.is_none() {
        return Err(AppError::Conflict("That passkey is added already.".into()));
    }
    state.events.publish(R::REALM, account.id, LiveEvent::AccountChanged);
    let subject = Subject::account(account.id, &account.email).detail(name);
    endpoint::audit(state, session, R::REALM, AuditKind::PasskeyAdded, subject).await;
    Ok(())
}

/// Removes one of the signed-in account's passkeys, and ends the account's
/// other sessions of this realm if asked. A staff member keeps their last
/// second factor when the office requires one.
pub async fn remove<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account: &SignedInAccount,
    id: &str,
    sign_out_others: bool,
) -> Result<(), AppError> {
    let gone = || AppError::NotFound("That passkey has already been removed.".into());
    let id: i64 = id.trim().parse().map_err(|_| gone())?;
    let rows = store::list(&state.db, R::REALM, account.id).await.map_err(fail("list passkeys"))?;
    let row = rows.iter().find(|r| r.id == id).ok_or_else(gone)?;
    if rows.len() == 1
        && two_factor::required::<R>(state)
        && passkeys_are_its_only_factor(state, R::REALM, account.id).await?
    {
        return Err(AppError::Conflict(
            "Staff accounts must keep a second factor: set up an authenticator app first.".into(),
        ));
    }
    if !store::delete(&state.db, R::REALM, account.id, id).await.map_err(fail("remove passkey"))? {
        return Err(gone());
    }
    let mut ended = 0;
    if sign_out_others {
        let keep = session.id_hash().ok_or(AppError::Unauthenticated)?;
        ended = state
            .endings
            .end_others_of(R::REALM, account.id, &keep, EndReason::SignedOutElsewhere)
            .await
            .map_err(fail("end other sessions"))?;
    }
    state.events.publish(R::REALM, account.id, LiveEvent::AccountChanged);
    let subject = Subject::account(account.id, &account.email)
        .detail(format!("{}; {ended} other session(s) signed out", row.name));
    endpoint::audit(state, session, R::REALM, AuditKind::PasskeyRemoved, subject).await;
    Ok(())
}

/// Begins a sign-in with a passkey of this realm (the browser offers the
/// site's passkeys; no email is asked).
pub async fn begin_sign_in<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
) -> Result<PasskeyChallenge, AppError> {
    let webauthn = state.relying_party.webauthn()?;
    let (options, authentication) =
        webauthn.start_discoverable_authentication().map_err(|e| internal("passkey sign-in", e))?;
    let token =
        hold(state, R::REALM, Purpose::SignIn, None, None, &session.client().ip, &authentication).await?;
    Ok(challenge(token, options_json(&options)?))
}

/// A passkey this realm does not know, or one whose signature fails:
/// audited, one answer for both.
async fn refused<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: Option<i64>,
    why: &str,
) -> AppError {
    let subject = Subject { account_id, detail: why.to_owned(), ..Subject::default() };
    audit::record(
        &state.db,
        R::REALM,
        AuditKind::PasskeyRefused,
        AuditOutcome::Refused,
        session.client(),
        subject,
    )
    .await;
    passkey_error(match R::REALM {
        Realm::User => "That passkey does not sign in to a resident account here.",
        Realm::Admin => "That passkey does not sign in to a staff account.",
    })
}

/// Checks a passkey's answer against the stored passkey and records its
/// use (the updated signature counter).
async fn verify_use<R: RealmMarker>(
    state: &AppState,
    row: &PasskeyRow,
    check: impl FnOnce(
        &Passkey,
    )
        -> Result<webauthn_rs::prelude::AuthenticationResult, webauthn_rs::prelude::WebauthnError>,
) -> Result<bool, AppError> {
    let mut passkey = stored_passkey(row)?;
    let Ok(result) = check(&passkey) else { return Ok(false) };
    let updated = match passkey.update_credential(&result) {
        Some(true) => Some(serde_json::to_string(&passkey).map_err(|e| internal("passkey", e))?),
        _ => None,
    };
    store::used(&state.db, R::REALM, row.id, updated.as_deref()).await.map_err(fail("passkey use"))?;
    Ok(true)
}

/// Finishes a sign-in with a passkey: the account it belongs to in this
/// realm is signed in (a new session id), both steps at once. Returns where
/// the browser goes next.
pub async fn finish_sign_in<R: RealmAccounts>(
    state: &AppState,
    session: &RealmSession<R>,
    token: &str,
    credential: &str,
    next: Option<&str>,
) -> Result<String, AppError> {
    let webauthn = state.relying_party.webauthn()?;
    let (_, _, authentication) =
        take::<DiscoverableAuthentication>(state, R::REALM, Purpose::SignIn, token).await?;
    let answer: PublicKeyCredential = serde_json::from_str(credential).map_err(|_| unreadable())?;
    let Ok((handle, raw_id)) = webauthn.identify_discoverable_authentication(&answer) else {
        return Err(refused(state, session, None, "no user handle").await);
    };
    let row = store::find_by_credential(&state.db, R::REALM, &credential_id(raw_id))
        .await
        .map_err(fail("find passkey"))?;
    let Some(row) = row.filter(|r| r.user_handle == handle.to_string()) else {
        return Err(refused(state, session, None, "not a passkey of this realm").await);
    };
    let verified = verify_use::<R>(state, &row, |passkey| {
        webauthn.finish_discoverable_authentication_v2(&answer, authentication, passkey)
    })
    .await?;
    if !verified {
        return Err(refused(state, session, Some(row.account_id), "signature not verified").await);
    }
    let account = R::usable_by_id(&state.db, row.account_id).await.map_err(fail("passkey account"))?;
    let Some(account) = account else {
        return Err(AppError::InvalidCredentials);
    };
    session.sign_in(account.id, &account.email).await?;
    tracing::info!(realm = R::REALM.as_str(), account_id = account.id, "signed in with a passkey");
    Ok(account.first_stop.map(str::to_owned).unwrap_or_else(|| R::REALM.safe_return_path(next)))
}

/// Begins the second step of a sign-in with one of the pending account's
/// passkeys.
pub async fn begin_second_step<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
) -> Result<PasskeyChallenge, AppError> {
    let webauthn = state.relying_party.webauthn()?;
    let pending = two_factor::pending(state, session).await?.ok_or_else(two_factor::timed_out)?;
    let rows = store::list(&state.db, R::REALM, pending.account_id).await.map_err(fail("list passkeys"))?;
    let passkeys = rows.iter().map(stored_passkey).collect::<Result<Vec<_>, _>>()?;
    if passkeys.is_empty() {
        return Err(passkey_error("This account has no passkey. Enter a code instead."));
    }
    let (options, authentication) =
        webauthn.start_passkey_authentication(&passkeys).map_err(|e| internal("passkey second step", e))?;
    let token = hold(
        state,
        R::REALM,
        Purpose::SecondStep,
        Some(pending.account_id),
        None,
        &session.client().ip,
        &authentication,
    )
    .await?;
    Ok(challenge(token, options_json(&options)?))
}

/// Finishes the second step with a passkey: signs in (a new session id)
/// and returns where the password step was headed.
pub async fn finish_second_step<R: RealmAccounts>(
    state: &AppState,
    session: &RealmSession<R>,
    token: &str,
    credential: &str,
) -> Result<String, AppError> {
    let webauthn = state.relying_party.webauthn()?;
    let pending = two_factor::pending(state, session).await?.ok_or_else(two_factor::timed_out)?;
    let (owner, _, authentication) =
        take::<PasskeyAuthentication>(state, R::REALM, Purpose::SecondStep, token).await?;
    if owner != Some(pending.account_id) {
        return Err(expired());
    }
    let answer: PublicKeyCredential = serde_json::from_str(credential).map_err(|_| unreadable())?;
    let row = store::find_by_credential(&state.db, R::REALM, &credential_id(answer.get_credential_id()))
        .await
        .map_err(fail("find passkey"))?;
    let Some(row) = row.filter(|r| r.account_id == pending.account_id) else {
        return Err(refused(state, session, Some(pending.account_id), "not a passkey of this account").await);
    };
    let verified =
        verify_use::<R>(state, &row, |_| webauthn.finish_passkey_authentication(&answer, &authentication))
            .await?;
    if !verified {
        return Err(refused(state, session, Some(row.account_id), "signature not verified").await);
    }
    let Some(account) =
        R::usable_by_id(&state.db, pending.account_id).await.map_err(fail("passkey account"))?
    else {
        session.drop_second_step().await?;
        return Err(AppError::InvalidCredentials);
    };
    session.sign_in(account.id, &account.email).await?;
    tracing::info!(realm = R::REALM.as_str(), account_id = account.id, "signed in (password and passkey)");
    Ok(pending.next)
}

/// The server functions of either realm, each answering through
/// `endpoint::respond` (status codes, no internals leaked).
pub mod endpoints {
    use super::*;
    use crate::wire::passkeys::PasskeyPanel;

    async fn signed_in<R: RealmAccounts, T, F>(run: F) -> Result<T, AppError>
    where
        F: AsyncFnOnce(&AppState, &RealmSession<R>, &SignedInAccount) -> Result<T, AppError>,
    {
        endpoint::respond(
            async {
                let (state, session, account) = R::signed_in().await?;
                run(&state, &session, &account).await
            }
            .await,
        )
    }

    async fn anyone<R: RealmAccounts, T, F>(run: F) -> Result<T, AppError>
    where
        F: AsyncFnOnce(&AppState, &RealmSession<R>) -> Result<T, AppError>,
    {
        endpoint::respond(
            async {
                let state = endpoint::state()?;
                let session = endpoint::session::<R>().await?;
                run(&state, &session).await
            }
            .await,
        )
    }

    pub async fn panel<R: RealmAccounts>() -> Result<PasskeyPanel, AppError> {
        signed_in::<R, _, _>(async |state, _, account| super::panel::<R>(state, account.id).await).await
    }

    pub async fn add_begin<R: RealmAccounts>(name: &str) -> Result<PasskeyChallenge, AppError> {
        signed_in::<R, _, _>(async |state, session, account| {
            begin_registration(state, session, account, name).await
        })
        .await
    }

    pub async fn add<R: RealmAccounts>(token: &str, credential: &str) -> Result<(), AppError> {
        signed_in::<R, _, _>(async |state, session, account| {
            finish_registration(state, session, account, token, credential).await
        })
        .await
    }

    pub async fn remove<R: RealmAccounts>(id: &str, sign_out_others: bool) -> Result<(), AppError> {
        signed_in::<R, _, _>(async |state, session, account| {
            super::remove(state, session, account, id, sign_out_others).await
        })
        .await
    }

    pub async fn sign_in_begin<R: RealmAccounts>() -> Result<PasskeyChallenge, AppError> {
        anyone::<R, _, _>(async |state, session| begin_sign_in(state, session).await).await
    }

    pub async fn sign_in<R: RealmAccounts>(
        token: &str,
        credential: &str,
        next: Option<&str>,
    ) -> Result<String, AppError> {
        anyone::<R, _, _>(async |state, session| {
            finish_sign_in(state, session, token, credential, next).await
        })
        .await
    }

    pub async fn second_step_begin<R: RealmAccounts>() -> Result<PasskeyChallenge, AppError> {
        anyone::<R, _, _>(async |state, session| begin_second_step(state, session).await).await
    }

    pub async fn second_step<R: RealmAccounts>(token: &str, credential: &str) -> Result<String, AppError> {
        anyone::<R, _, _>(async |state, session| finish_second_step(state, session, token, credential).await)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relying_party_is_the_site_name_and_loopback_addresses_are_localhost() {
        assert!(RelyingParty::from_site_url("https://eko.example.ph").unwrap().available());
        assert!(RelyingParty::from_site_url("http://127.0.0.1:3000").unwrap().available());
        assert!(RelyingParty::from_site_url("http://[::1]:3000").unwrap().available());
        assert!(!RelyingParty::from_site_url("http://192.0.2.7:3000").unwrap().available());
    }

    #[test]
    fn names_are_squeezed_defaulted_and_bounded() {
        assert_eq!(parse_name("  Work   laptop ").unwrap(), "Work laptop");
        assert_eq!(parse_name("").unwrap(), "Passkey");
        assert!(parse_name(&"x".repeat(MAX_NAME_CHARS + 1)).is_err());
    }
}
