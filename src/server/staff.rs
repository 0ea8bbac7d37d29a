//! Use cases of the admin realm's accounts: first super admin, sign-in.

use secrecy::SecretString;

use super::{
    auth::{password::account_with_password, Passwords},
    db::{
        self,
        admins::{AdminRow, InsertAdminError},
        Db,
    },
    endpoint::internal,
    state::AppState,
};
use crate::{
    domain::{AdminRole, Email, NewPassword, PersonName},
    error::AppError,
};

/// Creates a staff account (CLI and setup page). With `first_only`, it
/// succeeds only while no staff account exists.
pub async fn create(
    db: &Db,
    passwords: &Passwords,
    email: &str,
    name: &str,
    password: &str,
    role: AdminRole,
    first_only: bool,
) -> Result<i64, AppError> {
    let name = PersonName::parse(name).map_err(|m| AppError::invalid("name", m))?;
    let email = Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    let password =
        NewPassword::parse(password, &email, Some(&name)).map_err(|m| AppError::invalid("password", m))?;
    let hash = passwords
        .hash(SecretString::from(password.expose().to_owned()))
        .await
        .map_err(|e| super::auth::password::work_failed("password hashing", e))?;
    match db::admins::insert(db, &email, &name, role, &hash, false, first_only).await {
        Ok(id) => {
            tracing::info!(realm = "admin", account_id = id, role = role.as_str(), "staff account created");
            Ok(id)
        }
        Err(InsertAdminError::DuplicateEmail) => {
            Err(AppError::invalid("email", "A staff account with this email already exists."))
        }
        Err(InsertAdminError::AlreadySetUp) => Err(AppError::Conflict(
            "Eko is already set up. Sign in, or ask a super admin for an account.".into(),
        )),
        Err(InsertAdminError::Db(e)) => Err(internal("admin insert", e)),
    }
}

/// Creates the first super admin from the one-time setup code.
#[tracing::instrument(skip_all)]
pub async fn set_up_first_admin(
    state: &AppState,
    code: &str,
    email: &str,
    name: &str,
    password: &str,
) -> Result<i64, AppError> {
    if !state.setup_code.matches(code) {
        return Err(AppError::invalid("code", "That setup code is not valid, or it has already been used."));
    }
    let id = create(&state.db, &state.passwords, email, name, password, AdminRole::SuperAdmin, true).await?;
    state.setup_code.withdraw();
    Ok(id)
}

/// Checks a staff member's credentials; one answer for every failure.
#[tracing::instrument(skip_all)]
pub async fn authenticate(state: &AppState, email: &str, password: &str) -> Result<AdminRow, AppError> {
    let account = account_with_password(
        &state.passwords,
        email,
        password,
        async |email| db::admins::find_by_email(&state.db, email).await,
        |a| a.password_hash.clone(),
    )
    .await?;
    match account {
        Some(a) if a.active => Ok(a),
        _ => {
            tracing::info!(realm = "admin", "staff sign-in refused");
            Err(AppError::InvalidCredentials)
        }
    }
}
