//! Brute-force throttling, per realm. The policy (README "Security in
//! place" says the same):
//!
//! - Every password attempt is **counted before** the password work, in one
//!   atomic statement, so a burst of parallel guesses counts every guess.
//! - **Account at address**: after `account_attempts` attempts on one
//!   account from one client address, that pair is locked for a while
//!   (doubling per further attempt after a lock, capped). Only the pair: the
//!   owner signing in from elsewhere is not refused, so nobody can lock a
//!   real user out.
//! - **Address**: after `address_attempts` attempts from one address on any
//!   accounts, the address is told to wait (429). IPv6 counts per /64.
//! - **Account, from anywhere**: past the account allowance each attempt on
//!   the account waits a little longer before its answer (up to
//!   [`MAX_ACCOUNT_DELAY`]), which slows guessing spread over many
//!   addresses without ever refusing the right password.
//! - A success gives its count back and clears the pair and the account.
//! - Counters left alone for `max_lock` start over; attempts during a lock
//!   are refused without counting; one audit record per lock period.

use std::{future::Future, net::IpAddr, time::Duration};

use super::realm_session::ClientInfo;
use crate::{
    domain::{AuditKind, AuditOutcome},
    error::AppError,
    realm::Realm,
    server::{
        audit::{self, Subject},
        config::ThrottleSettings,
        db::{
            self,
            throttle::{Counted, LockRule},
            Db,
        },
        endpoint::internal,
    },
};

const ACCOUNT: &str = "account";
const ADDRESS: &str = "address";
const ACCOUNT_ADDRESS: &str = "account_address";
const RESET_ACCOUNT: &str = "reset_account";
const RESET_ADDRESS: &str = "reset_address";
const REGISTER_ADDRESS: &str = "register_address";

/// The longest wait added to an attempt on an account under distributed
/// guessing.
pub const MAX_ACCOUNT_DELAY: Duration = Duration::from_secs(8);

/// The counter key of an account: the email as typed, normalised, bounded.
fn account_key(email: &str) -> String {
    email.trim().to_lowercase().chars().take(254).collect()
}

/// The counter key of a client address: IPv6 by its /64 (one subscriber
/// usually holds a whole /64), IPv4 as it is.
pub fn address_key(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(IpAddr::V6(v6)) => v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_default(),
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.chars().take(64).collect(),
    }
}

/// The key of an account at an address. The email comes first so that all
/// pairs of one account share a prefix (unlock, "is it locked?").
fn pair_key(account: &str, address: &str) -> String {
    format!("{account}|{address}")
}

fn rule(settings: &ThrottleSettings, allowed: i64) -> LockRule {
    LockRule {
        allowed,
        base_lock: settings.base_lock.as_secs().max(1) as i64,
        max_lock: settings.max_lock.as_secs().max(1) as i64,
    }
}

/// The wait before answering the `attempts`th attempt on one account from
/// anywhere: nothing within the allowance, then 250 ms doubling, capped.
fn account_delay(settings: &ThrottleSettings, attempts: i64) -> Duration {
    let over = attempts - settings.account_attempts;
    if over <= 0 {
        return Duration::ZERO;
    }
    (Duration::from_millis(250) * (1u32 << over.min(6) as u32)).min(MAX_ACCOUNT_DELAY)
}

/// Why an attempt was refused before any password work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// This address tried too often (any accounts): tell it to wait.
    Address { retry_after_seconds: i64 },
    /// This account was tried too often from this address.
    AccountAtAddress { retry_after_seconds: i64 },
}

impl Refusal {
    /// The answer for a sign-in: a locked address is told to wait; a locked
    /// account gets the one generic sign-in answer.
    pub fn for_sign_in(self) -> AppError {
        match self {
            Refusal::Address { retry_after_seconds } => AppError::TooManyAttempts { retry_after_seconds },
            Refusal::AccountAtAddress { .. } => AppError::InvalidCredentials,
        }
    }

    /// The answer for someone signed in (a password change): the wait.
    pub fn for_signed_in(self) -> AppError {
        match self {
            Refusal::Address { retry_after_seconds } | Refusal::AccountAtAddress { retry_after_seconds } => {
                AppError::TooManyAttempts { retry_after_seconds }
            }
        }
    }
}

/// A counted password attempt that may go ahead. Report how it went with
/// [`Admission::succeeded`] or [`Admission::failed`].
#[must_use = "report the outcome of the attempt"]
pub struct Admission<'a> {
    db: &'a Db,
    settings: &'a ThrottleSettings,
    realm: Realm,
    account: String,
    address: String,
    email: String,
}

/// Counts one password attempt on `email` from `client` and decides whether
/// it may go ahead. Counted before any password work: a burst of parallel
/// attempts counts every one, and those past the allowance are refused.
/// Audits each lock when it starts and the first refusal of each lock.
pub async fn admit<'a>(
    db: &'a Db,
    settings: &'a ThrottleSettings,
    realm: Realm,
    email: &str,
    client: &ClientInfo,
    what: AuditKind,
) -> Result<Result<Admission<'a>, Refusal>, AppError> {
    let now = db::now();
    let account = account_key(email);
    let address = address_key(&client.ip);
    let pair = pair_key(&account, &address);
    let counters = [
        (ADDRESS, address.as_str(), settings.address_attempts),
        (ACCOUNT_ADDRESS, pair.as_str(), settings.account_attempts),
    ];
    for (kind, subject, allowed) in counters {
        let counted = db::throttle::count(db, realm, kind, subject, rule(settings, allowed), now)
            .await
            .map_err(|e| internal("throttle count", e))?;
        match counted {
            Counted::Admitted { attempts, locked_until } => {
                if attempts == allowed || (locked_until > now && attempts > allowed) {
                    audit_lock(db, realm, kind, email, client, attempts, locked_until - now).await;
                }
            }
            Counted::Locked { until } => {
                if db::throttle::note_refusal(db, realm, kind, subject).await.unwrap_or(false) {
                    let outcome = if kind == ADDRESS {
                        AuditOutcome::AddressLocked
                    } else {
                        AuditOutcome::AccountLocked
                    };
                    let subject =
                        Subject::email(email).detail("refused while locked (recorded once per lock)");
                    audit::record(db, realm, what, outcome, client, subject).await;
                }
                let retry_after_seconds = (until - now).max(1);
                return Ok(Err(if kind == ADDRESS {
                    Refusal::Address { retry_after_seconds }
                } else {
                    Refusal::AccountAtAddress { retry_after_seconds }
                }));
            }
        }
    }
    // Guessing spread over many addresses: slower answers, never a refusal.
    let spread = db::throttle::count(
        db,
        realm,
        ACCOUNT,
        &account,
        LockRule::counting_only(rule(settings, 1).max_lock),
        now,
    )
    .await
    .map_err(|e| internal("throttle count", e))?;
    if let Counted::Admitted { attempts, .. } = spread {
        if attempts == settings.account_attempts + 1 {
            let detail = format!("{attempts} attempts from several addresses: answers slowed");
            audit::record(
                db,
                realm,
                AuditKind::Lockout,
                AuditOutcome::Slowed,
                client,
                Subject::email(email).detail(detail),
            )
            .await;
        }
        let wait = account_delay(settings, attempts);
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
    Ok(Ok(Admission { db, settings, realm, account, address, email: email.to_owned() }))
}

async fn audit_lock(
    db: &Db,
    realm: Realm,
    kind: &str,
    email: &str,
    client: &ClientInfo,
    attempts: i64,
    seconds: i64,
) {
    tracing::warn!(realm = realm.as_str(), kind, lock_seconds = seconds, attempts, "throttle lock");
    let who = if kind == ADDRESS { Subject::default() } else { Subject::email(email) };
    let detail = format!("{kind} locked for {seconds} s after {attempts} attempts");
    audit::record(db, realm, AuditKind::Lockout, AuditOutcome::Locked, client, who.detail(detail)).await;
}

impl Admission<'_> {
    /// The password was right: the attempt is given back, and the account's
    /// counters (at this address and from anywhere) start over.
    pub async fn succeeded(self) -> Result<(), AppError> {
        let pair = pair_key(&self.account, &self.address);
        let db = self.db;
        let done = async {
            db::throttle::refund(db, self.realm, ADDRESS, &self.address, self.settings.address_attempts)
                .await?;
            db::throttle::clear(db, self.realm, ACCOUNT_ADDRESS, &pair).await?;
            db::throttle::clear(db, self.realm, ACCOUNT, &self.account).await
        };
        done.await.map_err(|e| internal("throttle clear", e))
    }

    /// No verdict on the password (the server was busy, or failed): the
    /// attempt is given back on every counter it was counted on.
    pub async fn abandoned(self) {
        let pair = pair_key(&self.account, &self.address);
        let (db, realm, s) = (self.db, self.realm, self.settings);
        let _ = db::throttle::refund(db, realm, ADDRESS, &self.address, s.address_attempts).await;
        let _ = db::throttle::refund(db, realm, ACCOUNT_ADDRESS, &pair, s.account_attempts).await;
        let _ = db::throttle::refund(db, realm, ACCOUNT, &self.account, i64::MAX).await;
    }

    /// The password was wrong: the attempt stays counted; audited.
    pub async fn failed(self, client: &ClientInfo, what: AuditKind) {
        audit::record(self.db, self.realm, what, AuditOutcome::Refused, client, Subject::email(&self.email))
            .await;
    }
}

/// Runs one sign-in attempt under the throttle: counted first; refused
/// (429 for a locked address, the generic answer for a locked account)
/// without password work; a success clears the account's counters unless
/// `second_step_due` says a second step follows: then the attempt is only
/// given back, and the counters clear when the second step succeeds (the
/// password alone must not buy a fresh allowance of code guesses).
pub async fn attempt<T, F>(
    db: &Db,
    settings: &ThrottleSettings,
    realm: Realm,
    email: &str,
    client: &ClientInfo,
    sign_in: F,
    second_step_due: impl FnOnce(&T) -> bool,
) -> Result<T, AppError>
where
    F: Future<Output = Result<T, AppError>>,
{
    let admission = match admit(db, settings, realm, email, client, AuditKind::SignInFailed).await? {
        Ok(admission) => admission,
        Err(refusal) => return Err(refusal.for_sign_in()),
    };
    let outcome = sign_in.await;
    match &outcome {
        Ok(done) if second_step_due(done) => admission.abandoned().await,
        Ok(_) => admission.succeeded().await?,
        Err(AppError::InvalidCredentials) => admission.failed(client, AuditKind::SignInFailed).await,
        // Not a password verdict (e.g. busy): give the attempt back.
        Err(_) => admission.abandoned().await,
    }
    outcome
}

/// Whether an account's sign-in is locked right now from some address.
pub async fn account_locked(db: &Db, realm: Realm, email: &str) -> Result<bool, AppError> {
    let prefix = pair_key(&account_key(email), "");
    db::throttle::any_locked_prefixed(db, realm, ACCOUNT_ADDRESS, &prefix, db::now())
        .await
        .map_err(|e| internal("throttle lookup", e))
}

/// Forgets an account's sign-in attempts from everywhere (its password was
/// reset, or staff unlocked it).
pub async fn clear_account(db: &Db, realm: Realm, email: &str) -> Result<(), AppError> {
    let account = account_key(email);
    let done = async {
        db::throttle::clear_prefixed(db, realm, ACCOUNT_ADDRESS, &pair_key(&account, "")).await?;
        db::throttle::clear(db, realm, ACCOUNT, &account).await
    };
    done.await.map_err(|e| internal("throttle clear", e))
}

/// Counts one request on a counter that simply locks past its allowance
/// (reset requests, registrations); `Err` carries the wait.
async fn count_request(
    db: &Db,
    settings: &ThrottleSettings,
    realm: Realm,
    kind: &'static str,
    subject: &str,
    allowed: i64,
) -> Result<Result<(), i64>, AppError> {
    let now = db::now();
    match db::throttle::count(db, realm, kind, subject, rule(settings, allowed), now)
        .await
        .map_err(|e| internal("throttle count", e))?
    {
        Counted::Admitted { attempts, locked_until } => {
            if attempts == allowed {
                tracing::warn!(
                    realm = realm.as_str(),
                    kind,
                    lock_seconds = locked_until - now,
                    "throttle lock"
                );
            }
            Ok(Ok(()))
        }
        Counted::Locked { until } => Ok(Err((until - now).max(1))),
    }
}

/// Counts one password reset request for `email` from `client`, whether or
/// not the account exists (so the answer says nothing about it), before
/// anything else happens. Past the allowance the email or the address is
/// locked for a while; a locked request is refused with the wait (429),
/// sends nothing, and is audited once per lock.
pub async fn reset_request(
    db: &Db,
    settings: &ThrottleSettings,
    realm: Realm,
    email: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let address = address_key(&client.ip);
    let account = account_key(email);
    // The email first: a request refused for its email costs the address
    // nothing (it sent nothing).
    let counters = [
        (RESET_ACCOUNT, account.as_str(), settings.reset_account_requests),
        (RESET_ADDRESS, address.as_str(), settings.reset_address_requests),
    ];
    for (kind, subject, allowed) in counters {
        if let Err(retry_after_seconds) = count_request(db, settings, realm, kind, subject, allowed).await? {
            if db::throttle::note_refusal(db, realm, kind, subject).await.unwrap_or(false) {
                audit::record(
                    db,
                    realm,
                    AuditKind::PasswordResetRequested,
                    AuditOutcome::Throttled,
                    client,
                    Subject::email(email),
                )
                .await;
            }
            return Err(AppError::TooManyAttempts { retry_after_seconds });
        }
    }
    Ok(())
}

/// Counts one registration from `client`'s address; past the allowance the
/// address waits (429). Registration costs a password hash, so it is
/// throttled like sign-in (the address allowance).
pub async fn registration(db: &Db, settings: &ThrottleSettings, client: &ClientInfo) -> Result<(), AppError> {
    let address = address_key(&client.ip);
    match count_request(
        db,
        settings,
        Realm::User,
        REGISTER_ADDRESS,
        &address,
        settings.register_address_attempts,
    )
    .await?
    {
        Ok(()) => Ok(()),
        Err(retry_after_seconds) => Err(AppError::TooManyAttempts { retry_after_seconds }),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn settings() -> ThrottleSettings {
        ThrottleSettings {
            account_attempts: 5,
            address_attempts: 20,
            base_lock: Duration::from_secs(30),
            max_lock: Duration::from_secs(900),
            ..ThrottleSettings::default()
        }
    }

    #[test]
    fn locks_start_with_the_last_allowed_attempt_and_double_up_to_the_cap() {
        let r = rule(&settings(), 5);
        assert_eq!(r.lock_for(4), None);
        assert_eq!(r.lock_for(5), Some(30));
        assert_eq!(r.lock_for(6), Some(60));
        assert_eq!(r.lock_for(8), Some(240));
        assert_eq!(r.lock_for(40), Some(900));
        assert_eq!(r.lock_for(i64::MAX), Some(900));
        assert_eq!(LockRule::counting_only(900).lock_for(i64::MAX - 1), None);
    }

    #[test]
    fn the_account_delay_grows_past_the_allowance_and_is_capped() {
        let s = settings();
        assert_eq!(account_delay(&s, 5), Duration::ZERO);
        assert_eq!(account_delay(&s, 6), Duration::from_millis(500));
        assert_eq!(account_delay(&s, 7), Duration::from_secs(1));
        assert_eq!(account_delay(&s, 1000), MAX_ACCOUNT_DELAY);
    }

    #[test]
    fn ipv6_addresses_count_per_64_and_ipv4_as_they_are() {
        assert_eq!(address_key("2001:db8:aa:bb:1:2:3:4"), "2001:db8:aa:bb::/64");
        assert_eq!(address_key("2001:db8:aa:bb:ffff::9"), "2001:db8:aa:bb::/64");
        assert_eq!(address_key("203.0.113.9"), "203.0.113.9");
        assert_eq!(address_key("::ffff:203.0.113.9"), "203.0.113.9");
    }
}
