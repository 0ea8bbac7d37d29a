//! An account's own passkeys: the account page's panel, adding one,
//! removing one.

use super::*;

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
#[tracing::instrument(skip_all, fields(realm = R::REALM.as_str()))]
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
#[tracing::instrument(skip_all, fields(realm = R::REALM.as_str()))]
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
#[tracing::instrument(skip_all, fields(realm = R::REALM.as_str()))]
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
    // Checked and removed in one transaction: two removals at once cannot
    // both take a staff member's last factors.
    let keep_one = two_factor::required::<R>(state);
    match second_factors::remove_factor(&state.db, R::REALM, account.id, Factor::Passkey(id), keep_one)
        .await
        .map_err(fail("remove passkey"))?
    {
        Removal::Removed => {}
        Removal::Missing => return Err(gone()),
        Removal::LastFactor => {
            return Err(AppError::Conflict(
                "Staff accounts must keep a second factor: set up an authenticator app first.".into(),
            ))
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_squeezed_defaulted_and_bounded() {
        assert_eq!(parse_name("  Work   laptop ").unwrap(), "Work laptop");
        assert_eq!(parse_name("").unwrap(), "Passkey");
        assert!(parse_name(&"x".repeat(MAX_NAME_CHARS + 1)).is_err());
    }
}
