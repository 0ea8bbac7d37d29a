//! Changing a password while signed in, in either realm.

use secrecy::SecretString;

use super::{
    accounts::RealmAccounts,
    audit::Subject,
    auth::{throttle, RealmSession},
    db,
    endpoint::{self, audit, internal},
    state::AppState,
};
use crate::{
    domain::{AuditKind, Email, NewPassword, PersonName},
    error::AppError,
    live::EndReason,
};

/// What the change-password form sends.
#[derive(Debug)]
pub struct PasswordChange<'a> {
    pub current: &'a str,
    pub new: &'a str,
    pub confirm: &'a str,
    pub sign_out_others: bool,
}

/// Checks the current password, sets the new one, gives this session a new
/// id (it stays signed in) and, if asked, ends the account's other sessions
/// of this realm, whose open pages say the password was changed. The other
/// realm is not touched.
pub async fn change_password<R: RealmAccounts>(
    state: &AppState,
    session: &RealmSession<R>,
    account_id: i64,
    email: &str,
    name: &str,
    change: PasswordChange<'_>,
) -> Result<(), AppError> {
    let stored = R::password_hash(&state.db, account_id).await.map_err(|e| internal("password lookup", e))?;
    // Guessing the current password with a stolen session is throttled
    // like sign-in: counted first, locked past the allowance, audited.
    let throttle = &state.settings.throttle;
    let client = session.client();
    let admission =
        throttle::admit(&state.db, throttle, R::REALM, email, client, AuditKind::PasswordChangeFailed)
            .await?
            .map_err(throttle::Refusal::for_signed_in)?;
    let current_ok = match state.passwords.verify(SecretString::from(change.current.to_owned()), stored).await
    {
        Ok(ok) => ok,
        Err(err) => {
            admission.abandoned().await;
            return Err(crate::server::auth::password::work_failed("password verification", err));
        }
    };
    if !current_ok {
        admission.failed(client, AuditKind::PasswordChangeFailed).await;
        return Err(AppError::invalid("current_password", "That is not your current password."));
    }
    admission.succeeded().await?;
    let email_parsed = Email::parse(email).map_err(|_| AppError::Internal)?;
    let name_parsed = PersonName::parse(name).ok();
    let new = NewPassword::parse(change.new, &email_parsed, name_parsed.as_ref())
        .map_err(|m| AppError::invalid("new_password", m))?;
    if change.new != change.confirm {
        return Err(AppError::invalid("confirm_password", "The two new passwords are not the same."));
    }
    if change.new == change.current {
        return Err(AppError::invalid("new_password", "Choose a password different from the current one."));
    }
    let hash = state
        .passwords
        .hash(SecretString::from(new.expose().to_owned()))
        .await
        .map_err(|e| crate::server::auth::password::work_failed("password hashing", e))?;
    R::set_password_hash(&state.db, account_id, &hash).await.map_err(|e| internal("password update", e))?;
    db::resets::delete_for_account(&state.db, R::REALM, account_id)
        .await
        .map_err(|e| internal("reset links void", e))?;

    let mut ended = 0;
    if change.sign_out_others {
        let keep = session.id_hash().ok_or(AppError::Unauthenticated)?;
        ended = state
            .endings
            .end_others_of(R::REALM, account_id, &keep, EndReason::PasswordChanged)
            .await
            .map_err(|e| internal("end other sessions", e))?;
    }
    session.renew(account_id).await?;
    let subject = Subject::account(account_id, email).detail(format!("{ended} other session(s) signed out"));
    audit(state, session, R::REALM, AuditKind::PasswordChanged, subject).await;
    Ok(())
}

/// The `change_password` server function of realm `R`, with the form's
/// fields as posted, for the account signed in to this request.
pub async fn change_password_endpoint<R: RealmAccounts>(
    current_password: String,
    new_password: String,
    confirm_password: String,
    sign_out_others: Option<String>,
) -> Result<(), AppError> {
    endpoint::respond(
        async {
            let (state, session, account) = R::signed_in().await?;
            let change = PasswordChange {
                current: &current_password,
                new: &new_password,
                confirm: &confirm_password,
                sign_out_others: sign_out_others.is_some(),
            };
            change_password(&state, &session, account.id, &account.email, &account.name, change).await
        }
        .await,
    )
}
