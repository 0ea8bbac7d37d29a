//! Brute-force throttling of sign-in, per realm, by account and by client
//! address: after a few failures a temporary lock, doubling with each
//! further failure up to a cap. Locks never extend themselves (attempts
//! during a lock are refused without counting), and a quiet counter starts
//! over, so nobody can lock a real user out for good.

use std::future::Future;

use super::realm_session::ClientInfo;
use crate::{
    domain::AuditKind,
    error::AppError,
    realm::Realm,
    server::{
        api::internal,
        audit::{self, Subject},
        config::ThrottleSettings,
        db::{self, throttle::Counter, Db},
    },
};

const ACCOUNT: &str = "account";
const ADDRESS: &str = "address";

/// The counter key of an account: the email as typed, normalised, bounded.
fn account_key(email: &str) -> String {
    email.trim().to_lowercase().chars().take(254).collect()
}

/// Seconds a counter stays locked after `failures` failures, if any.
fn lock_for(settings: &ThrottleSettings, allowed: i64, failures: i64) -> Option<i64> {
    let over = failures - allowed;
    (over >= 0).then(|| {
        let base = settings.base_lock.as_secs() as i64;
        let doubled = base.saturating_mul(1i64 << over.min(30));
        doubled.min(settings.max_lock.as_secs() as i64)
    })
}

/// The counter as it stands now: decayed to nothing when quiet long enough.
fn current(counter: Option<Counter>, settings: &ThrottleSettings, now: i64) -> Counter {
    match counter {
        Some(c) if c.locked_until > now || now - c.updated_at < settings.max_lock.as_secs() as i64 => c,
        _ => Counter::default(),
    }
}

async fn load(
    db: &Db,
    realm: Realm,
    kind: &str,
    subject: &str,
    settings: &ThrottleSettings,
    now: i64,
) -> Result<Counter, AppError> {
    let counter =
        db::throttle::get(db, realm, kind, subject).await.map_err(|e| internal("throttle lookup", e))?;
    Ok(current(counter, settings, now))
}

/// A failed attempt on one counter: counted, and locked past the allowance.
struct Failure<'a> {
    realm: Realm,
    kind: &'static str,
    subject: &'a str,
    allowed: i64,
}

async fn fail(
    db: &Db,
    settings: &ThrottleSettings,
    f: Failure<'_>,
    mut counter: Counter,
    client: &ClientInfo,
    now: i64,
) -> Result<(), AppError> {
    counter.failures += 1;
    counter.updated_at = now;
    if let Some(seconds) = lock_for(settings, f.allowed, counter.failures) {
        counter.locked_until = now + seconds;
        tracing::warn!(
            realm = f.realm.as_str(),
            kind = f.kind,
            lock_seconds = seconds,
            failures = counter.failures,
            "throttle lock"
        );
        let who = if f.kind.ends_with(ACCOUNT) { Subject::email(f.subject) } else { Subject::default() };
        let detail = format!("{} locked for {seconds} s after {} failures", f.kind, counter.failures);
        audit::record(db, f.realm, AuditKind::Lockout, "locked", client, who.detail(detail)).await;
    }
    db::throttle::put(db, f.realm, f.kind, f.subject, counter)
        .await
        .map_err(|e| internal("throttle update", e))
}

/// Runs one sign-in attempt under the throttle. A locked address is told to
/// wait (429); a locked account gets the same generic answer as a wrong
/// password, after the same work. Failures count (and are audited); a
/// success clears the account's counter.
pub async fn attempt<T, F>(
    db: &Db,
    settings: &ThrottleSettings,
    realm: Realm,
    email: &str,
    client: &ClientInfo,
    sign_in: F,
) -> Result<T, AppError>
where
    F: Future<Output = Result<T, AppError>>,
{
    let now = db::now();
    let account = account_key(email);
    let address = client.ip.as_str();
    let by_address = load(db, realm, ADDRESS, address, settings, now).await?;
    if by_address.locked_until > now {
        audit::record(db, realm, AuditKind::SignInFailed, "address_locked", client, Subject::email(email))
            .await;
        return Err(AppError::TooManyAttempts { retry_after_seconds: by_address.locked_until - now });
    }
    let by_account = load(db, realm, ACCOUNT, &account, settings, now).await?;
    let outcome = sign_in.await;
    if by_account.locked_until > now {
        audit::record(db, realm, AuditKind::SignInFailed, "account_locked", client, Subject::email(email))
            .await;
        // Same answer as any failure, and the password was checked all the same.
        return match outcome {
            Ok(_) | Err(AppError::InvalidCredentials) => Err(AppError::InvalidCredentials),
            Err(other) => Err(other),
        };
    }
    match &outcome {
        Ok(_) => {
            db::throttle::clear(db, realm, ACCOUNT, &account)
                .await
                .map_err(|e| internal("throttle clear", e))?;
        }
        Err(AppError::InvalidCredentials) => {
            audit::record(db, realm, AuditKind::SignInFailed, "refused", client, Subject::email(email)).await;
            let on_account =
                Failure { realm, kind: ACCOUNT, subject: &account, allowed: settings.account_attempts };
            fail(db, settings, on_account, by_account, client, now).await?;
            let on_address =
                Failure { realm, kind: ADDRESS, subject: address, allowed: settings.address_attempts };
            fail(db, settings, on_address, by_address, client, now).await?;
        }
        Err(_) => {}
    }
    outcome
}

/// Whether an account's sign-in is locked right now.
pub async fn account_locked(
    db: &Db,
    settings: &ThrottleSettings,
    realm: Realm,
    email: &str,
) -> Result<bool, AppError> {
    let now = db::now();
    Ok(load(db, realm, ACCOUNT, &account_key(email), settings, now).await?.locked_until > now)
}

/// Forgets an account's sign-in failures (its password was just reset).
pub async fn clear_account(db: &Db, realm: Realm, email: &str) -> Result<(), AppError> {
    db::throttle::clear(db, realm, ACCOUNT, &account_key(email))
        .await
        .map_err(|e| internal("throttle clear", e))
}

/// Counts one password reset request for `email` from `client`, whether or
/// not the account exists (so the answer says nothing about it). Past the
/// allowance the email or the address is locked for a while, escalating
/// like sign-in locks; a locked request is refused with the wait (429) and
/// sends nothing.
pub async fn reset_request(
    db: &Db,
    settings: &ThrottleSettings,
    realm: Realm,
    email: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    const RESET_ACCOUNT: &str = "reset_account";
    const RESET_ADDRESS: &str = "reset_address";
    let now = db::now();
    let account = account_key(email);
    let by_address = load(db, realm, RESET_ADDRESS, &client.ip, settings, now).await?;
    let by_account = load(db, realm, RESET_ACCOUNT, &account, settings, now).await?;
    let locked_until = by_address.locked_until.max(by_account.locked_until);
    if locked_until > now {
        audit::record(
            db,
            realm,
            AuditKind::PasswordResetRequested,
            "throttled",
            client,
            Subject::email(email),
        )
        .await;
        return Err(AppError::TooManyAttempts { retry_after_seconds: locked_until - now });
    }
    let on_account =
        Failure { realm, kind: RESET_ACCOUNT, subject: &account, allowed: settings.reset_account_requests };
    fail(db, settings, on_account, by_account, client, now).await?;
    let on_address =
        Failure { realm, kind: RESET_ADDRESS, subject: &client.ip, allowed: settings.reset_address_requests };
    fail(db, settings, on_address, by_address, client, now).await
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
    fn locks_start_after_the_allowed_failures_and_double_up_to_the_cap() {
        let s = settings();
        assert_eq!(lock_for(&s, 5, 4), None);
        assert_eq!(lock_for(&s, 5, 5), Some(30));
        assert_eq!(lock_for(&s, 5, 6), Some(60));
        assert_eq!(lock_for(&s, 5, 8), Some(240));
        assert_eq!(lock_for(&s, 5, 40), Some(900));
        assert_eq!(lock_for(&s, 5, i64::MAX), Some(900));
    }

    #[test]
    fn a_quiet_counter_starts_over() {
        let s = settings();
        let old = Counter { failures: 9, locked_until: 100, updated_at: 100 };
        assert_eq!(current(Some(old), &s, 100 + 901), Counter::default());
        assert_eq!(current(Some(old), &s, 150), old);
    }
}
