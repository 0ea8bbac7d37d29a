//! Use cases of the user realm's accounts: registration, sign-in, review.

use secrecy::SecretString;

use super::{
    api::internal,
    auth::password::account_with_password,
    db::{self, residents::InsertResidentError},
    state::AppState,
};
use crate::{
    domain::{AccountStatus, Email, NewPassword, PersonName},
    error::AppError,
};

/// Registers a pending resident after validating every field.
#[tracing::instrument(skip_all)]
pub async fn register(
    state: &AppState,
    name: &str,
    email: &str,
    password: &str,
    barangay_id: &str,
) -> Result<i64, AppError> {
    let name = PersonName::parse(name).map_err(|m| AppError::invalid("name", m))?;
    let email = Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    let password =
        NewPassword::parse(password, &email, Some(&name)).map_err(|m| AppError::invalid("password", m))?;
    let barangay_id: i64 =
        barangay_id.trim().parse().map_err(|_| AppError::invalid("barangay", "Choose your barangay."))?;
    db::barangays::name(&state.db, barangay_id)
        .await
        .map_err(|e| internal("barangay lookup", e))?
        .ok_or_else(|| AppError::invalid("barangay", "Choose your barangay from the list."))?;
    let hash = state
        .passwords
        .hash(SecretString::from(password.expose().to_owned()))
        .await
        .map_err(|e| internal("password hashing", e))?;
    match db::residents::insert_pending(&state.db, &email, &name, barangay_id, &hash).await {
        Ok(id) => {
            tracing::info!(realm = "user", account_id = id, "resident registered, pending approval");
            Ok(id)
        }
        Err(InsertResidentError::DuplicateEmail) => Err(AppError::invalid(
            "email",
            "An account with this email already exists. Sign in, or use another email.",
        )),
        Err(InsertResidentError::Db(e)) => Err(internal("resident insert", e)),
    }
}

/// Checks a resident's credentials. Unknown email, wrong password, pending,
/// rejected or suspended account: one answer, and the same Argon2 work.
#[tracing::instrument(skip_all)]
pub async fn authenticate(state: &AppState, email: &str, password: &str) -> Result<i64, AppError> {
    let account = account_with_password(
        &state.passwords,
        email,
        password,
        async |email| db::residents::credentials(&state.db, email).await,
        |a| a.password_hash.clone(),
    )
    .await?;
    match account {
        Some(a) if a.status == AccountStatus::Approved => Ok(a.id),
        _ => {
            tracing::info!(realm = "user", "resident sign-in refused");
            Err(AppError::InvalidCredentials)
        }
    }
}

/// Approves or rejects a pending resident.
#[tracing::instrument(skip_all, fields(resident_id, admin_id))]
pub async fn review(
    state: &AppState,
    admin_id: i64,
    resident_id: i64,
    approve: bool,
    note: Option<&str>,
) -> Result<(), AppError> {
    let to = if approve { AccountStatus::Approved } else { AccountStatus::Rejected };
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 500) {
        return Err(AppError::invalid("reason", "Keep the reason under 500 characters."));
    }
    let done = db::residents::transition(&state.db, resident_id, AccountStatus::Pending, to, admin_id, note)
        .await
        .map_err(|e| internal("resident review", e))?;
    if !done {
        return Err(AppError::NotFound("That registration is no longer waiting for review.".into()));
    }
    if approve {
        db::programme::add_notification(&state.db, resident_id, "Your account was approved. Welcome to Eko!")
            .await
            .map_err(|e| internal("approval notice", e))?;
    }
    tracing::info!(realm = "admin", admin_id, resident_id, outcome = to.as_str(), "resident reviewed");
    Ok(())
}

/// Suspends an active resident: every session of theirs ends now, and their
/// open pages say why. Reactivation undoes it.
#[tracing::instrument(skip_all, fields(resident_id, admin_id))]
pub async fn set_suspended(
    state: &AppState,
    admin_id: i64,
    resident_id: i64,
    suspend: bool,
) -> Result<(), AppError> {
    let (from, to) = if suspend {
        (AccountStatus::Approved, AccountStatus::Suspended)
    } else {
        (AccountStatus::Suspended, AccountStatus::Approved)
    };
    let done = db::residents::transition(&state.db, resident_id, from, to, admin_id, None)
        .await
        .map_err(|e| internal("resident suspension", e))?;
    if !done {
        return Err(AppError::NotFound(format!(
            "That resident is not {} any more.",
            from.label().to_lowercase()
        )));
    }
    if suspend {
        db::sessions::delete_for_account(&state.db, crate::realm::Realm::User, resident_id)
            .await
            .map_err(|e| internal("end suspended resident's sessions", e))?;
        state.events.publish(
            crate::realm::Realm::User,
            resident_id,
            super::events::LiveEvent::AccountSessionsEnded { reason: crate::live::EndReason::Suspended },
        );
    }
    tracing::info!(realm = "admin", admin_id, resident_id, outcome = to.as_str(), "resident status changed");
    Ok(())
}

/// A staff decision about one resident.
#[derive(Clone, Debug)]
pub enum Decision {
    Approve,
    Reject(Option<String>),
    Suspend,
    Reactivate,
}

/// Takes a decision as the signed-in staff member (who must manage
/// residents) and audits it.
pub async fn decide(resident_id: i64, decision: Decision) -> Result<(), AppError> {
    use crate::{domain::AuditKind, realm::Realm, server::audit::Subject};
    let (state, session, admin) = super::api::require_admin(|role| role.can_manage_residents()).await?;
    let kind = match &decision {
        Decision::Approve => AuditKind::ResidentApproved,
        Decision::Reject(_) => AuditKind::ResidentRejected,
        Decision::Suspend => AuditKind::ResidentSuspended,
        Decision::Reactivate => AuditKind::ResidentReactivated,
    };
    match decision {
        Decision::Approve => review(&state, admin.id, resident_id, true, None).await?,
        Decision::Reject(reason) => review(&state, admin.id, resident_id, false, reason.as_deref()).await?,
        Decision::Suspend => set_suspended(&state, admin.id, resident_id, true).await?,
        Decision::Reactivate => set_suspended(&state, admin.id, resident_id, false).await?,
    }
    let subject = Subject { account_id: Some(resident_id), ..Subject::default() }.by_admin(admin.id);
    super::api::audit(&state, &session, Realm::User, kind, subject).await;
    Ok(())
}
