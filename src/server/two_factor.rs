//! Two-step sign-in: an authenticator app's six-digit codes (RFC 6238) and
//! one-time recovery codes, in either realm.
//!
//! The second step lives in the realm's own session: after the password
//! step the session holds only whose code is due (see
//! `RealmSession::begin_second_step`), nobody is signed in, and the other
//! realm's session is a different object. A code is accepted for its own
//! time step, the one before or the one after (a phone's clock drifts), and
//! only for a step later than the last accepted one, so none works twice.
//! Wrong codes count on the sign-in throttle of the account like wrong
//! passwords, and the password step alone never clears those counters.

use base64::Engine;
use totp_rs::{Algorithm, TOTP};

use super::{
    accounts::RealmAccounts,
    audit::Subject,
    auth::{realm_session::PendingSecondStep, throttle, RealmSession, SessionEndings},
    config::TwoFactorPolicy,
    db::{
        self,
        second_factors::{self, Factor, Removal},
    },
    endpoint::{self, audit, internal},
    events::LiveEvent,
    security::{random_code, sha256_hex},
    state::AppState,
};
use crate::{
    domain::AuditKind,
    error::AppError,
    live::EndReason,
    realm::{Realm, RealmMarker},
    wire::{
        passkeys::SecondStepWays,
        two_step::{TwoStepSetup, TwoStepState, TwoStepStatus},
    },
};

/// Seconds per code.
const STEP_SECONDS: u64 = 30;
const RECOVERY_CODE_COUNT: usize = 10;
/// No 0/o, 1/l/i: recovery codes are typed from paper.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

fn realm_issuer(realm: Realm) -> &'static str {
    // Distinct entries in the authenticator app for one email in both realms.
    match realm {
        Realm::User => "Eko",
        Realm::Admin => "Eko staff",
    }
}

fn totp(realm: Realm, key: &[u8], email: &str) -> Result<TOTP, AppError> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECONDS,
        key.to_vec(),
        Some(realm_issuer(realm).to_owned()),
        email.replace(':', ""),
    )
    .map_err(|e| internal("authenticator key", e))
}

fn decode_key(base32_key: &str) -> Result<Vec<u8>, AppError> {
    totp_rs::Secret::Encoded(base32_key.to_owned()).to_bytes().map_err(|_| {
        tracing::error!("stored authenticator key is not base32");
        AppError::Internal
    })
}

/// The time step of a six-digit `code`, within one step of `now`.
fn matching_step(totp: &TOTP, code: &str, now: u64) -> Option<i64> {
    let current = now / STEP_SECONDS;
    [current, current.saturating_sub(1), current + 1].into_iter().find_map(|step| {
        let expected = totp.generate(step * STEP_SECONDS);
        // Compared through hashes: equal-length digests, no early exit on
        // the first differing digit of the code itself.
        (sha256_hex(expected.as_bytes()) == sha256_hex(code.as_bytes())).then_some(step as i64)
    })
}

/// What a person typed, as a code: six digits, or a recovery code.
enum Typed {
    Totp(String),
    Recovery(String),
}

fn parse_code(raw: &str) -> Option<Typed> {
    let squeezed: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if squeezed.len() == 6 && squeezed.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Typed::Totp(squeezed));
    }
    let lower = squeezed.to_ascii_lowercase();
    (lower.len() == 10 && lower.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)))
        .then_some(Typed::Recovery(lower))
}

/// How a code was accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Accepted {
    Totp,
    Recovery,
}

/// Checks `raw` against the account's second factor and uses it up (its
/// time step, or the recovery code). None when it is wrong, reused or the
/// account has no second factor.
async fn accept_code(
    state: &AppState,
    realm: Realm,
    account_id: i64,
    raw: &str,
) -> Result<Option<Accepted>, AppError> {
    let fail = |e| internal("second factor", e);
    let Some(factor) = second_factors::find(&state.db, realm, account_id).await.map_err(fail)? else {
        return Ok(None);
    };
    match parse_code(raw) {
        Some(Typed::Totp(code)) => {
            let key = decode_key(&factor.totp_secret)?;
            let totp = totp(realm, &key, "")?;
            let Some(step) = matching_step(&totp, &code, db::now().max(0) as u64) else { return Ok(None) };
            let fresh = second_factors::claim_step(&state.db, realm, account_id, step).await.map_err(fail)?;
            Ok(fresh.then_some(Accepted::Totp))
        }
        Some(Typed::Recovery(code)) => {
            let used =
                second_factors::use_recovery_code(&state.db, realm, account_id, &sha256_hex(code.as_bytes()))
                    .await
                    .map_err(fail)?;
            Ok(used.then_some(Accepted::Recovery))
        }
        None => Ok(None),
    }
}

fn wrong_code() -> AppError {
    AppError::invalid(
        "code",
        "That code is not right. Check the time on your phone and try the current code.",
    )
}

fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    let codes: Vec<String> = (0..RECOVERY_CODE_COUNT).map(|_| random_code(RECOVERY_ALPHABET, 2, 5)).collect();
    let hashes = codes.iter().map(|c| sha256_hex(c.replace('-', "").as_bytes())).collect();
    (codes, hashes)
}

/// Whether realm `R`'s accounts must have a second factor.
pub fn required<R: RealmMarker>(state: &AppState) -> bool {
    R::REALM == Realm::Admin && state.settings.staff_two_factor == TwoFactorPolicy::Required
}

/// Whether the account has a second factor.
pub async fn enabled(state: &AppState, realm: Realm, account_id: i64) -> Result<bool, AppError> {
    second_factors::exists(&state.db, realm, account_id).await.map_err(|e| internal("second factor", e))
}

/// Whether a staff account's passkeys count as its second factor: for
/// staff, a passkey is one (a password sign-in then asks for it); for
/// residents, a passkey is another way to sign in, never a step they could
/// be locked out by (they have no super admin to reset it).
async fn passkey_factor<R: RealmMarker>(state: &AppState, account_id: i64) -> Result<bool, AppError> {
    if R::REALM != Realm::Admin {
        return Ok(false);
    }
    let n =
        db::passkeys::count(&state.db, R::REALM, account_id).await.map_err(|e| internal("passkeys", e))?;
    Ok(passkeys_are_a_factor(R::REALM, n))
}

/// The rule behind [`passkey_factor`], for a caller that has counted the
/// account's passkeys already.
fn passkeys_are_a_factor(realm: Realm, passkeys: i64) -> bool {
    realm == Realm::Admin && passkeys > 0
}

/// How a password sign-in of the account finishes its second step, if it
/// needs one.
pub async fn second_step_ways<R: RealmMarker>(
    state: &AppState,
    account_id: i64,
) -> Result<Option<SecondStepWays>, AppError> {
    let code = enabled(state, R::REALM, account_id).await?;
    let passkeys =
        db::passkeys::count(&state.db, R::REALM, account_id).await.map_err(|e| internal("passkeys", e))?;
    // A staff member's passkey is a second factor of its own; a
    // resident's only a way to finish a step the app asks for.
    if !code && !passkeys_are_a_factor(R::REALM, passkeys) {
        return Ok(None);
    }
    Ok(Some(SecondStepWays { code, passkey: passkeys > 0 && state.relying_party.available() }))
}

pub async fn status<R: RealmMarker>(state: &AppState, account_id: i64) -> Result<TwoStepStatus, AppError> {
    let fail = |e| internal("second factor status", e);
    let enabled = second_factors::exists(&state.db, R::REALM, account_id).await.map_err(fail)?;
    let recovery_codes_left = if enabled {
        second_factors::recovery_codes_left(&state.db, R::REALM, account_id).await.map_err(fail)?
    } else {
        0
    };
    Ok(TwoStepStatus {
        enabled,
        recovery_codes_left,
        required: required::<R>(state),
        passkey_factor: passkey_factor::<R>(state, account_id).await?,
    })
}

/// Offers a new authenticator key to this browser's session; nothing is
/// stored for the account until a code from the app confirms it (see
/// [`panel`] for how it is shown).
pub async fn begin_setup<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: i64,
) -> Result<(), AppError> {
    if enabled(state, R::REALM, account_id).await? {
        return Err(AppError::Conflict("Two-step sign-in is already on.".into()));
    }
    let key: [u8; 20] = rand::random();
    session.offer_setup_key(Some(&totp_rs::Secret::Raw(key.to_vec()).to_encoded().to_string())).await
}

/// The new recovery codes are saved: the page stops showing them.
pub async fn codes_saved<R: RealmMarker>(session: &RealmSession<R>) -> Result<(), AppError> {
    session.forget_recovery_codes().await
}

/// Gives up a set-up in progress in this browser.
pub async fn cancel_setup<R: RealmMarker>(session: &RealmSession<R>) -> Result<(), AppError> {
    session.offer_setup_key(None).await
}

/// The offered key as a QR code of its `otpauth://` URL and as text.
fn setup_view(realm: Realm, base32_key: &str, email: &str) -> Result<TwoStepSetup, AppError> {
    let totp = totp(realm, &decode_key(base32_key)?, email)?;
    let qr = qrcode::QrCode::new(totp.get_url().as_bytes()).map_err(|e| internal("QR code", e))?;
    let svg = qr.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build();
    let qr_image = format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg.as_bytes())
    );
    let key =
        base32_key.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
    Ok(TwoStepSetup { qr_image, key: key.join(" ") })
}

/// How long new recovery codes stay on this browser's account page, unless
/// their owner says sooner that they are saved.
const SHOW_CODES_SECONDS: i64 = 15 * 60;

/// What the account page's two-step panel shows. New recovery codes are
/// shown (in this browser only) until their owner says they are saved: a
/// reload or a live refresh of the page does not lose them.
pub async fn panel<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: i64,
    email: &str,
) -> Result<TwoStepState, AppError> {
    let status = status::<R>(state, account_id).await?;
    let setup = match session.offered_setup_key().await? {
        Some(key) if !status.enabled => Some(setup_view(R::REALM, &key, email)?),
        _ => None,
    };
    let new_recovery_codes =
        if status.enabled { session.recovery_codes(SHOW_CODES_SECONDS).await? } else { None };
    Ok(TwoStepState { status, setup, new_recovery_codes })
}

/// Confirms the offered key with a code from the app: two-step sign-in is
/// on, and the ten recovery codes are kept for the page to show once. The
/// account's open pages refresh.
pub async fn confirm_setup<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: i64,
    email: &str,
    code: &str,
) -> Result<(), AppError> {
    let Some(base32_key) = session.offered_setup_key().await? else {
        return Err(AppError::invalid(
            "code",
            "Start the set-up again: this page's key is no longer offered.",
        ));
    };
    let key = decode_key(&base32_key)?;
    let Some(Typed::Totp(code)) = parse_code(code) else {
        return Err(AppError::invalid("code", "Enter the six-digit code your app shows."));
    };
    let step = matching_step(&totp(R::REALM, &key, email)?, &code, db::now().max(0) as u64)
        .ok_or_else(wrong_code)?;
    let (codes, hashes) = new_recovery_codes();
    let stored = second_factors::insert(&state.db, R::REALM, account_id, &base32_key, step, &hashes)
        .await
        .map_err(|e| internal("store second factor", e))?;
    session.offer_setup_key(None).await?;
    if !stored {
        return Err(AppError::Conflict("Two-step sign-in is already on.".into()));
    }
    state.events.publish(R::REALM, account_id, LiveEvent::AccountChanged);
    session.keep_recovery_codes(&codes).await?;
    audit(state, session, R::REALM, AuditKind::TwoStepEnabled, Subject::account(account_id, email)).await;
    Ok(())
}

/// Checks and uses up a code of the account (the code step of a sign-in,
/// turning the second factor off, new recovery codes): counted on the
/// account's sign-in throttle first, a wrong one audited like a wrong
/// password.
async fn check_code<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: i64,
    email: &str,
    code: &str,
) -> Result<Accepted, AppError> {
    let client = session.client();
    let admission = throttle::admit(
        &state.db,
        &state.settings.throttle,
        R::REALM,
        email,
        client,
        AuditKind::TwoStepFailed,
    )
    .await?
    .map_err(throttle::Refusal::for_signed_in)?;
    match accept_code(state, R::REALM, account_id, code).await {
        Ok(Some(accepted)) => {
            admission.succeeded().await?;
            Ok(accepted)
        }
        Ok(None) => {
            admission.failed(client, AuditKind::TwoStepFailed).await;
            Err(wrong_code())
        }
        Err(e) => {
            admission.abandoned().await;
            Err(e)
        }
    }
}

/// New recovery codes (a current code or an unused recovery code proves
/// the owner); the old ones stop working.
pub async fn renew_recovery_codes<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: i64,
    email: &str,
    code: &str,
) -> Result<(), AppError> {
    check_code(state, session, account_id, email, code).await?;
    let (codes, hashes) = new_recovery_codes();
    let replaced = second_factors::replace_recovery_codes(&state.db, R::REALM, account_id, &hashes)
        .await
        .map_err(|e| internal("recovery codes", e))?;
    if !replaced {
        return Err(AppError::Conflict("Two-step sign-in is off.".into()));
    }
    state.events.publish(R::REALM, account_id, LiveEvent::AccountChanged);
    session.keep_recovery_codes(&codes).await?;
    audit(state, session, R::REALM, AuditKind::RecoveryCodesRenewed, Subject::account(account_id, email))
        .await;
    Ok(())
}

/// Turns two-step sign-in off (a current code proves the owner), and ends
/// the account's other sessions of this realm if asked. Staff may not when
/// the office requires it.
pub async fn disable<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: i64,
    email: &str,
    code: &str,
    sign_out_others: bool,
) -> Result<(), AppError> {
    if required::<R>(state) && !passkey_factor::<R>(state, account_id).await? {
        return Err(AppError::Conflict("Staff accounts must keep two-step sign-in.".into()));
    }
    check_code(state, session, account_id, email, code).await?;
    // Checked again with the account's factors held: a passkey removed at
    // the same moment cannot leave a staff member with none.
    let removed =
        second_factors::remove_factor(&state.db, R::REALM, account_id, Factor::App, required::<R>(state))
            .await
            .map_err(|e| internal("remove second factor", e))?;
    match removed {
        Removal::Removed => {}
        Removal::Missing => return Err(AppError::Conflict("Two-step sign-in is off.".into())),
        Removal::LastFactor => {
            return Err(AppError::Conflict("Staff accounts must keep two-step sign-in.".into()))
        }
    }
    let mut ended = 0;
    if sign_out_others {
        let keep = session.id_hash().ok_or(AppError::Unauthenticated)?;
        ended = state
            .endings
            .end_others_of(R::REALM, account_id, &keep, EndReason::SignedOutElsewhere)
            .await
            .map_err(|e| internal("end other sessions", e))?;
    }
    state.events.publish(R::REALM, account_id, LiveEvent::AccountChanged);
    let subject = Subject::account(account_id, email).detail(format!("{ended} other session(s) signed out"));
    audit(state, session, R::REALM, AuditKind::TwoStepDisabled, subject).await;
    Ok(())
}

/// Removes a staff member's second factors (a lost phone: the app's key,
/// recovery codes and passkeys) and ends their staff sessions: they sign in
/// with their password and set one up again. `None` when they had none
/// (nothing changed). The caller audits it, knowing who asked (a super
/// admin in the console, an operator's command).
pub async fn reset_staff(db: &db::Db, endings: &SessionEndings, staff_id: i64) -> sqlx::Result<Option<u64>> {
    let app = second_factors::delete(db, Realm::Admin, staff_id).await?;
    let passkeys = db::passkeys::delete_all(db, Realm::Admin, staff_id).await?;
    if !app && passkeys == 0 {
        return Ok(None);
    }
    endings.end_all_of(Realm::Admin, staff_id, EndReason::Revoked).await.map(Some)
}

/// Whether a sign-in waits for its second step in this browser (and has
/// not timed out).
pub async fn pending<R: RealmMarker>(
    state: &AppState,
    session: &RealmSession<R>,
) -> Result<Option<PendingSecondStep>, AppError> {
    let timeout = state.settings.second_step_timeout.as_secs() as i64;
    match session.pending_second_step().await? {
        Some(p) if db::now() - p.since <= timeout => Ok(Some(p)),
        Some(_) => {
            session.drop_second_step().await?;
            Ok(None)
        }
        None => Ok(None),
    }
}

pub fn timed_out() -> AppError {
    AppError::invalid("code", "This sign-in has timed out or was already finished. Sign in again.")
}

/// The second step of a sign-in: with a right code, the account is signed
/// in (a new session id again) and the browser goes where the password
/// step was headed. Wrong codes count on the account's sign-in throttle.
pub async fn complete_sign_in<R: RealmAccounts>(
    state: &AppState,
    session: &RealmSession<R>,
    code: &str,
) -> Result<String, AppError> {
    let pending = pending(state, session).await?.ok_or_else(timed_out)?;
    let fail = |e| internal("second step account", e);
    let Some(account) = R::usable_by_id(&state.db, pending.account_id).await.map_err(fail)? else {
        session.drop_second_step().await?;
        return Err(AppError::InvalidCredentials);
    };
    let accepted = check_code(state, session, account.id, &account.email, code).await?;
    session.sign_in(account.id, &account.email).await?;
    if accepted == Accepted::Recovery {
        let left = second_factors::recovery_codes_left(&state.db, R::REALM, account.id).await.unwrap_or(0);
        let subject = Subject::account(account.id, &account.email).detail(format!("{left} left"));
        audit(state, session, R::REALM, AuditKind::RecoveryCodeUsed, subject).await;
    }
    tracing::info!(realm = R::REALM.as_str(), account_id = account.id, "signed in (two steps)");
    Ok(pending.next)
}

/// `second_step_pending` of either realm: how the pending sign-in can
/// finish, or None when none is pending.
pub async fn pending_endpoint<R: RealmMarker>() -> Result<Option<SecondStepWays>, AppError> {
    let done = async {
        let state = endpoint::state()?;
        let session = endpoint::session::<R>().await?;
        match pending(&state, &session).await? {
            Some(p) => second_step_ways::<R>(&state, p.account_id).await,
            None => Ok(None),
        }
    };
    endpoint::respond(done.await)
}

/// `second_step` of either realm: signs in and sends the browser on.
pub async fn second_step_endpoint<R: RealmAccounts>(code: &str) -> Result<(), AppError> {
    let done = async {
        let state = endpoint::state()?;
        let session = endpoint::session::<R>().await?;
        let to = complete_sign_in(&state, &session, code).await?;
        leptos_axum::redirect(&to);
        Ok(())
    };
    endpoint::respond(done.await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_accepted_one_step_either_side_and_no_further() {
        let key = [7u8; 20];
        let t = totp(Realm::Admin, &key, "a@example.org").unwrap();
        let now = 1_795_811_400u64;
        let step = (now / STEP_SECONDS) as i64;
        for (offset, expected) in
            [(-2i64, None), (-1, Some(step - 1)), (0, Some(step)), (1, Some(step + 1)), (2, None)]
        {
            let code = t.generate((now as i64 + offset * STEP_SECONDS as i64) as u64);
            assert_eq!(matching_step(&t, &code, now), expected, "offset {offset}");
        }
    }

    #[test]
    fn typed_codes_are_read_as_six_digits_or_a_recovery_code() {
        assert!(matches!(parse_code(" 123 456 "), Some(Typed::Totp(c)) if c == "123456"));
        assert!(matches!(parse_code("ABCDE-FGHJK"), Some(Typed::Recovery(c)) if c == "abcdefghjk"));
        assert!(parse_code("12345").is_none());
        assert!(parse_code("abcde-fghj0").is_none());
        assert!(parse_code("").is_none());
    }

    #[test]
    fn recovery_codes_are_distinct_and_stored_only_as_hashes() {
        let (codes, hashes) = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODE_COUNT);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), codes.len());
        for (code, hash) in codes.iter().zip(&hashes) {
            assert!(
                matches!(parse_code(code), Some(Typed::Recovery(c)) if sha256_hex(c.as_bytes()) == *hash)
            );
        }
    }
}
