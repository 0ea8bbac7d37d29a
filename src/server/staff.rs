//! Use cases of the admin realm's accounts: first super admin, sign-in,
//! and the accounts super admins manage on `/admin/admins`.

use secrecy::SecretString;

use super::{
    audit::Subject,
    auth::{password::account_with_password, throttle, AdminSession, Passwords},
    db::{
        self,
        admins::{AdminRow, InsertAdminError},
        Db,
    },
    endpoint::{audit, internal, Staff},
    events::LiveEvent,
    input,
    paging::PageRequest,
    state::AppState,
};
use crate::{
    domain::{AdminRole, AuditKind, Email, NewPassword, PersonName},
    error::AppError,
    realm::Realm,
    wire::{
        programme::{CreatedStaff, StaffMember},
        Page,
    },
};

/// Staff accounts a page.
const PER_PAGE: i64 = 20;

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
    session: &AdminSession,
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
    let subject = Subject::account(id, email.trim().to_lowercase());
    audit(state, session, Realm::Admin, AuditKind::FirstAdminCreated, subject).await;
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

/// Staff accounts a page at a time, for super admins.
pub async fn list(
    state: &AppState,
    viewer: &AdminRow,
    page: PageRequest,
) -> Result<Page<StaffMember>, AppError> {
    let (limit, offset) = page.window(PER_PAGE);
    let (rows, total) =
        db::admins::list(&state.db, limit, offset).await.map_err(|e| internal("staff list", e))?;
    let mut items = Vec::with_capacity(rows.len());
    for a in rows {
        let locked = throttle::account_locked(&state.db, Realm::Admin, &a.email).await?;
        items.push(StaffMember {
            id: a.id,
            name: a.name,
            email: a.email,
            role: a.role,
            active: a.active,
            must_change_password: a.must_change_password,
            two_step: a.two_step,
            locked,
            is_you: a.id == viewer.id,
        });
    }
    Ok(page.of(items, PER_PAGE, total))
}

/// A readable one-time password: 16 letters and digits without look-alikes,
/// in groups of four (about 80 bits).
fn temporary_password() -> String {
    super::security::random_code(b"abcdefghjkmnpqrstuvwxyz23456789", 4, 4)
}

/// Creates a staff account with a temporary password, shown once; it must
/// be changed at first sign-in.
pub async fn create_with_temporary_password(
    staff: &Staff,
    email: &str,
    name: &str,
    role: &str,
) -> Result<CreatedStaff, AppError> {
    let Staff { state, session, admin } = staff;
    let name = PersonName::parse(name).map_err(|m| AppError::invalid("name", m))?;
    let email = Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    let role = AdminRole::parse(role).ok_or_else(|| AppError::invalid("role", "Choose a role."))?;
    let password = temporary_password();
    let hash = state
        .passwords
        .hash(SecretString::from(password.clone()))
        .await
        .map_err(|e| crate::server::auth::password::work_failed("password hashing", e))?;
    let id = match db::admins::insert(&state.db, &email, &name, role, &hash, true, false).await {
        Ok(id) => id,
        Err(InsertAdminError::DuplicateEmail) => {
            return Err(AppError::invalid("email", "A staff account with this email already exists."))
        }
        Err(InsertAdminError::AlreadySetUp) => return Err(AppError::Internal),
        Err(InsertAdminError::Db(e)) => return Err(internal("staff insert", e)),
    };
    let subject = Subject::account(id, email.as_str()).by_admin(admin.id).detail(role.label());
    audit(state, session, Realm::Admin, AuditKind::StaffCreated, subject).await;
    Ok(CreatedStaff { email: email.as_str().to_owned(), temporary_password: password })
}

/// What a super admin can change about another staff account.
#[derive(Clone, Debug)]
pub enum StaffChange {
    Role(String),
    Suspend,
    Reactivate,
    Unlock,
    /// Removes the member's second factor (a lost phone): their staff
    /// sessions end; they sign in with the password and set it up again.
    ResetTwoStep,
}

/// Applies a super admin's change to another staff account.
pub async fn change(staff: &Staff, staff_id: &str, change: StaffChange) -> Result<(), AppError> {
    let Staff { state, session, admin } = staff;
    let staff_id = input::id(staff_id, "staff_id", "a staff member")?;
    let target = db::admins::find(&state.db, staff_id)
        .await
        .map_err(|e| internal("staff lookup", e))?
        .ok_or_else(|| AppError::NotFound("There is no such staff member.".into()))?;
    let last_super_admin = || async {
        let supers =
            db::admins::count_active_super_admins(&state.db).await.map_err(|e| internal("count", e))?;
        Ok::<_, AppError>(target.role == AdminRole::SuperAdmin && target.active && supers <= 1)
    };
    let fail = |e| internal("staff change", e);
    let (kind, detail) = match change {
        StaffChange::Role(role) => {
            let role = AdminRole::parse(&role).ok_or_else(|| AppError::invalid("role", "Choose a role."))?;
            if role != AdminRole::SuperAdmin && last_super_admin().await? {
                return Err(AppError::Conflict("Eko needs at least one active super admin.".into()));
            }
            if !db::admins::set_role(&state.db, staff_id, role).await.map_err(fail)? {
                return Err(AppError::Conflict("Eko needs at least one active super admin.".into()));
            }
            (AuditKind::StaffRoleChanged, format!("{} → {}", target.role.label(), role.label()))
        }
        StaffChange::Suspend => {
            if target.id == admin.id {
                return Err(AppError::Conflict("You cannot suspend your own account.".into()));
            }
            if last_super_admin().await? {
                return Err(AppError::Conflict("Eko needs at least one active super admin.".into()));
            }
            if !db::admins::set_active(&state.db, staff_id, false).await.map_err(fail)? {
                return Err(AppError::Conflict("Eko needs at least one active super admin.".into()));
            }
            let ended = state
                .endings
                .end_all_of(Realm::Admin, staff_id, crate::live::EndReason::Suspended)
                .await
                .map_err(fail)?;
            (AuditKind::StaffSuspended, format!("{ended} session(s) ended"))
        }
        StaffChange::Reactivate => {
            db::admins::set_active(&state.db, staff_id, true).await.map_err(fail)?;
            (AuditKind::StaffReactivated, String::new())
        }
        StaffChange::Unlock => {
            throttle::clear_account(&state.db, Realm::Admin, &target.email).await?;
            (AuditKind::StaffUnlocked, String::new())
        }
        StaffChange::ResetTwoStep => {
            if target.id == admin.id {
                return Err(AppError::Conflict(
                    "Another super admin resets your two-step sign-in; or sign in with a recovery code."
                        .into(),
                ));
            }
            let Some(ended) =
                super::two_factor::reset_staff(&state.db, &state.endings, staff_id).await.map_err(fail)?
            else {
                return Err(AppError::Conflict("That staff member has no two-step sign-in to reset.".into()));
            };
            (AuditKind::TwoStepReset, format!("{ended} session(s) ended"))
        }
    };
    state.events.publish(Realm::Admin, staff_id, LiveEvent::AccountChanged);
    let subject = Subject::account(staff_id, &target.email).by_admin(admin.id).detail(detail);
    audit(state, session, Realm::Admin, kind, subject).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_passwords_pass_the_policy() {
        let email = Email::parse("new.staff@cenro.example.ph").unwrap();
        for _ in 0..20 {
            let p = temporary_password();
            assert_eq!(p.len(), 19);
            assert!(crate::domain::NewPassword::parse(&p, &email, None).is_ok(), "{p}");
        }
    }
}
