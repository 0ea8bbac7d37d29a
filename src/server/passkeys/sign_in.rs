//! Signing in with a passkey: both steps at once, or the second step after
//! a password.

use super::*;

/// Begins a sign-in with a passkey of this realm (the browser offers the
/// site's passkeys; no email is asked).
#[tracing::instrument(skip_all, fields(realm = R::REALM.as_str()))]
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
#[tracing::instrument(skip_all, fields(realm = R::REALM.as_str()))]
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
#[tracing::instrument(skip_all, fields(realm = R::REALM.as_str()))]
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
#[tracing::instrument(skip_all, fields(realm = R::REALM.as_str()))]
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
