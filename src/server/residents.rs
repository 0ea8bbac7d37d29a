//! Use cases of the user realm's accounts: registration, sign-in, review.

use secrecy::SecretString;

use super::{
    audit::{self, Subject},
    auth::{password::account_with_password, realm_session::ClientInfo, throttle},
    db::{self, residents::InsertResidentError},
    endpoint::{self, internal, Staff},
    events::LiveEvent,
    mail::Mail,
    state::AppState,
};
use crate::{
    domain::{AccountStatus, AuditKind, AuditOutcome, Email, NewPassword, PersonName},
    error::AppError,
    realm::Realm,
};

/// Tells the resident's open pages that their data changed.
pub fn data_changed(state: &AppState, resident_id: i64) {
    state.events.publish(Realm::User, resident_id, LiveEvent::AccountChanged);
}

/// What a registration did. The browser is told the same for both
/// ("check your email"): whether an email has an account is not its to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registered {
    /// A new pending resident with this id.
    Pending(i64),
    /// The email already had an account: its owner was mailed instead.
    EmailTaken,
}

/// Registers a pending resident after validating every field. Throttled per
/// client address (it costs a password hash). An email that already has an
/// account gets the same answer after the same work; its owner is mailed
/// that someone tried, with a pointer to the password reset.
#[tracing::instrument(skip_all)]
pub async fn register(
    state: &AppState,
    client: &ClientInfo,
    name: &str,
    email: &str,
    password: &str,
    barangay_id: &str,
) -> Result<Registered, AppError> {
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
    throttle::registration(&state.db, &state.settings.throttle, client).await?;
    let hash = state
        .passwords
        .hash(SecretString::from(password.expose().to_owned()))
        .await
        .map_err(|e| crate::server::auth::password::work_failed("password hashing", e))?;
    let outcome = match db::residents::insert_pending(&state.db, &email, &name, barangay_id, &hash).await {
        Ok(id) => {
            tracing::info!(realm = "user", account_id = id, "resident registered, pending approval");
            Registered::Pending(id)
        }
        Err(InsertResidentError::DuplicateEmail) => {
            let subject = Subject::email(email.as_str());
            audit::record(
                &state.db,
                Realm::User,
                AuditKind::RegistrationForExistingEmail,
                AuditOutcome::Mailed,
                client,
                subject,
            )
            .await;
            Registered::EmailTaken
        }
        Err(InsertResidentError::Db(e)) => return Err(internal("resident insert", e)),
    };
    let mail = registration_mail(&state.settings.site_url, outcome, name.as_str(), email.as_str());
    let mailer = state.mailer.clone();
    tokio::spawn(async move {
        if let Err(err) = mailer.send(mail).await {
            tracing::error!(realm = "user", error = %format!("{err:#}"), "registration mail failed");
        }
    });
    Ok(outcome)
}

/// The mail a registration sends: a receipt to a new resident, or a
/// warning to the owner of an existing account.
fn registration_mail(site_url: &str, outcome: Registered, name: &str, email: &str) -> Mail {
    let site = site_url.trim_end_matches('/');
    let (subject, text) = match outcome {
        Registered::Pending(_) => (
            "Your Eko registration",
            format!(
                "Thank you for registering for the Eko waste-collection rewards programme.\n\n\
                 Your account is waiting for approval by the CENRO office. You can sign in at\n\
                 {site}/login once it has been approved.\n"
            ),
        ),
        Registered::EmailTaken => (
            "Someone tried to register with your email",
            format!(
                "Someone tried to create an Eko account with this email address, which already\n\
                 has one. If it was you, sign in at {site}/login; if you forgot your password,\n\
                 ask for a new one at {site}{reset}.\n\n\
                 If it was not you, you can ignore this message: nothing was changed.\n",
                reset = Realm::User.password_reset_path()
            ),
        ),
    };
    let body = format!(
        "Hello {name},\n\n{text}\n-- \n\
         Eko, City Environment and Natural Resources Office, San Pedro City\n"
    );
    Mail { to_name: name.to_owned(), to_email: email.to_owned(), subject: subject.to_owned(), body }
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
async fn review(
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
        db::ledger::add_notification(&state.db, resident_id, "Your account was approved. Welcome to Eko!")
            .await
            .map_err(|e| internal("approval notice", e))?;
    }
    tracing::info!(realm = "admin", admin_id, resident_id, outcome = to.as_str(), "resident reviewed");
    Ok(())
}

/// Suspends an active resident: every session of theirs ends now, and their
/// open pages say why. Reactivation undoes it.
#[tracing::instrument(skip_all, fields(resident_id, admin_id))]
async fn set_suspended(
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
        state
            .endings
            .end_all_of(crate::realm::Realm::User, resident_id, crate::live::EndReason::Suspended)
            .await
            .map_err(|e| internal("end suspended resident's sessions", e))?;
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

/// Takes a decision as `admin` (already checked: a role that manages
/// residents) and audits it.
pub async fn decide(staff: &Staff, resident_id: i64, decision: Decision) -> Result<(), AppError> {
    let Staff { state, session, admin } = staff;
    let kind = match &decision {
        Decision::Approve => AuditKind::ResidentApproved,
        Decision::Reject(_) => AuditKind::ResidentRejected,
        Decision::Suspend => AuditKind::ResidentSuspended,
        Decision::Reactivate => AuditKind::ResidentReactivated,
    };
    match decision {
        Decision::Approve => review(state, admin.id, resident_id, true, None).await?,
        Decision::Reject(reason) => review(state, admin.id, resident_id, false, reason.as_deref()).await?,
        Decision::Suspend => set_suspended(state, admin.id, resident_id, true).await?,
        Decision::Reactivate => set_suspended(state, admin.id, resident_id, false).await?,
    }
    let subject = Subject { account_id: Some(resident_id), ..Subject::default() }.by_admin(admin.id);
    endpoint::audit(state, session, Realm::User, kind, subject).await;
    Ok(())
}
