use serde::{Deserialize, Serialize};

/// What an audit log entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditKind {
    SignIn,
    SignInFailed,
    Lockout,
    SignOut,
    OwnSessionsEnded,
    SessionRevoked,
    AccountSessionsRevoked,
    RealmSessionsRevoked,
    ResidentApproved,
    ResidentRejected,
    ResidentSuspended,
    ResidentReactivated,
    FirstAdminCreated,
    PasswordChanged,
}

impl AuditKind {
    pub const ALL: [AuditKind; 14] = [
        AuditKind::SignIn,
        AuditKind::SignInFailed,
        AuditKind::Lockout,
        AuditKind::SignOut,
        AuditKind::OwnSessionsEnded,
        AuditKind::SessionRevoked,
        AuditKind::AccountSessionsRevoked,
        AuditKind::RealmSessionsRevoked,
        AuditKind::ResidentApproved,
        AuditKind::ResidentRejected,
        AuditKind::ResidentSuspended,
        AuditKind::ResidentReactivated,
        AuditKind::FirstAdminCreated,
        AuditKind::PasswordChanged,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            AuditKind::SignIn => "sign_in",
            AuditKind::SignInFailed => "sign_in_failed",
            AuditKind::Lockout => "lockout",
            AuditKind::SignOut => "sign_out",
            AuditKind::OwnSessionsEnded => "own_sessions_ended",
            AuditKind::SessionRevoked => "session_revoked",
            AuditKind::AccountSessionsRevoked => "account_sessions_revoked",
            AuditKind::RealmSessionsRevoked => "realm_sessions_revoked",
            AuditKind::ResidentApproved => "resident_approved",
            AuditKind::ResidentRejected => "resident_rejected",
            AuditKind::ResidentSuspended => "resident_suspended",
            AuditKind::ResidentReactivated => "resident_reactivated",
            AuditKind::FirstAdminCreated => "first_admin_created",
            AuditKind::PasswordChanged => "password_changed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub const fn label(self) -> &'static str {
        match self {
            AuditKind::SignIn => "Sign-in",
            AuditKind::SignInFailed => "Failed sign-in",
            AuditKind::Lockout => "Lockout",
            AuditKind::SignOut => "Sign-out",
            AuditKind::OwnSessionsEnded => "Own sessions signed out",
            AuditKind::SessionRevoked => "Session revoked",
            AuditKind::AccountSessionsRevoked => "Account's sessions revoked",
            AuditKind::RealmSessionsRevoked => "Realm's sessions revoked",
            AuditKind::ResidentApproved => "Resident approved",
            AuditKind::ResidentRejected => "Resident rejected",
            AuditKind::ResidentSuspended => "Resident suspended",
            AuditKind::ResidentReactivated => "Resident reactivated",
            AuditKind::FirstAdminCreated => "First super admin created",
            AuditKind::PasswordChanged => "Password changed",
        }
    }
}
