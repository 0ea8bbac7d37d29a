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
        second_factors::{self, Factor, Removal},
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

mod account;
pub mod endpoints;
mod sign_in;

pub use account::{begin_registration, finish_registration, panel, remove};
pub use sign_in::{begin_second_step, begin_sign_in, finish_second_step, finish_sign_in};

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
}
