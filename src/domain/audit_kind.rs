use serde::{Deserialize, Serialize};

/// How the action an audit entry records came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditOutcome {
    /// Done.
    Ok,
    /// A wrong password: the attempt was refused.
    Refused,
    /// A throttle counter locked.
    Locked,
    /// Refused while the client's address was locked.
    AddressLocked,
    /// Refused while the account was locked at that address.
    AccountLocked,
    /// Attempts from many addresses: answers slowed down.
    Slowed,
    /// A reset was asked for an email without an account.
    NoAccount,
    /// A reset link was sent.
    Sent,
    /// Too many reset requests: refused.
    Throttled,
    /// A registration for a taken email: its owner was mailed.
    Mailed,
}

impl AuditOutcome {
    pub const ALL: [AuditOutcome; 10] = [
        AuditOutcome::Ok,
        AuditOutcome::Refused,
        AuditOutcome::Locked,
        AuditOutcome::AddressLocked,
        AuditOutcome::AccountLocked,
        AuditOutcome::Slowed,
        AuditOutcome::NoAccount,
        AuditOutcome::Sent,
        AuditOutcome::Throttled,
        AuditOutcome::Mailed,
    ];

    /// The stored word (the audit page shows it as it is).
    pub const fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Ok => "ok",
            AuditOutcome::Refused => "refused",
            AuditOutcome::Locked => "locked",
            AuditOutcome::AddressLocked => "address_locked",
            AuditOutcome::AccountLocked => "account_locked",
            AuditOutcome::Slowed => "slowed",
            AuditOutcome::NoAccount => "no_account",
            AuditOutcome::Sent => "sent",
            AuditOutcome::Throttled => "throttled",
            AuditOutcome::Mailed => "mailed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == value)
    }
}

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
    PasswordChangeFailed,
    PasswordResetRequested,
    PasswordReset,
    StaffCreated,
    StaffRoleChanged,
    StaffSuspended,
    StaffReactivated,
    StaffUnlocked,
    CollectionRecorded,
    PointsCorrected,
    WasteTypeSaved,
    ScheduleSaved,
    RewardSaved,
    RewardRedeemed,
    RedemptionFulfilled,
    RedemptionCancelled,
    RegistrationForExistingEmail,
    TwoStepEnabled,
    TwoStepDisabled,
    TwoStepReset,
    TwoStepFailed,
    RecoveryCodeUsed,
    RecoveryCodesRenewed,
    PasskeyAdded,
    PasskeyRemoved,
    PasskeyRefused,
}

impl AuditKind {
    pub const ALL: [AuditKind; 40] = [
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
        AuditKind::PasswordChangeFailed,
        AuditKind::PasswordResetRequested,
        AuditKind::PasswordReset,
        AuditKind::StaffCreated,
        AuditKind::StaffRoleChanged,
        AuditKind::StaffSuspended,
        AuditKind::StaffReactivated,
        AuditKind::StaffUnlocked,
        AuditKind::CollectionRecorded,
        AuditKind::PointsCorrected,
        AuditKind::WasteTypeSaved,
        AuditKind::ScheduleSaved,
        AuditKind::RewardSaved,
        AuditKind::RewardRedeemed,
        AuditKind::RedemptionFulfilled,
        AuditKind::RedemptionCancelled,
        AuditKind::RegistrationForExistingEmail,
        AuditKind::TwoStepEnabled,
        AuditKind::TwoStepDisabled,
        AuditKind::TwoStepReset,
        AuditKind::TwoStepFailed,
        AuditKind::RecoveryCodeUsed,
        AuditKind::RecoveryCodesRenewed,
        AuditKind::PasskeyAdded,
        AuditKind::PasskeyRemoved,
        AuditKind::PasskeyRefused,
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
            AuditKind::PasswordChangeFailed => "password_change_failed",
            AuditKind::PasswordResetRequested => "password_reset_requested",
            AuditKind::PasswordReset => "password_reset",
            AuditKind::StaffCreated => "staff_created",
            AuditKind::StaffRoleChanged => "staff_role_changed",
            AuditKind::StaffSuspended => "staff_suspended",
            AuditKind::StaffReactivated => "staff_reactivated",
            AuditKind::StaffUnlocked => "staff_unlocked",
            AuditKind::CollectionRecorded => "collection_recorded",
            AuditKind::PointsCorrected => "points_corrected",
            AuditKind::WasteTypeSaved => "waste_type_saved",
            AuditKind::ScheduleSaved => "schedule_saved",
            AuditKind::RewardSaved => "reward_saved",
            AuditKind::RewardRedeemed => "reward_redeemed",
            AuditKind::RedemptionFulfilled => "redemption_fulfilled",
            AuditKind::RedemptionCancelled => "redemption_cancelled",
            AuditKind::RegistrationForExistingEmail => "registration_for_existing_email",
            AuditKind::TwoStepEnabled => "two_step_enabled",
            AuditKind::TwoStepDisabled => "two_step_disabled",
            AuditKind::TwoStepReset => "two_step_reset",
            AuditKind::TwoStepFailed => "two_step_failed",
            AuditKind::RecoveryCodeUsed => "recovery_code_used",
            AuditKind::RecoveryCodesRenewed => "recovery_codes_renewed",
            AuditKind::PasskeyAdded => "passkey_added",
            AuditKind::PasskeyRemoved => "passkey_removed",
            AuditKind::PasskeyRefused => "passkey_refused",
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
            AuditKind::PasswordChangeFailed => "Wrong current password",
            AuditKind::PasswordResetRequested => "Password reset requested",
            AuditKind::PasswordReset => "Password reset",
            AuditKind::StaffCreated => "Staff account created",
            AuditKind::StaffRoleChanged => "Staff role changed",
            AuditKind::StaffSuspended => "Staff suspended",
            AuditKind::StaffReactivated => "Staff reactivated",
            AuditKind::StaffUnlocked => "Staff sign-in unlocked",
            AuditKind::CollectionRecorded => "Collection recorded",
            AuditKind::PointsCorrected => "Points corrected",
            AuditKind::WasteTypeSaved => "Waste type saved",
            AuditKind::ScheduleSaved => "Collection schedule saved",
            AuditKind::RewardSaved => "Reward saved",
            AuditKind::RewardRedeemed => "Reward redeemed",
            AuditKind::RedemptionFulfilled => "Redemption fulfilled",
            AuditKind::RedemptionCancelled => "Redemption cancelled",
            AuditKind::RegistrationForExistingEmail => "Registration with an existing email",
            AuditKind::TwoStepEnabled => "Two-step sign-in turned on",
            AuditKind::TwoStepDisabled => "Two-step sign-in turned off",
            AuditKind::TwoStepReset => "Two-step sign-in reset by a super admin",
            AuditKind::TwoStepFailed => "Wrong sign-in code",
            AuditKind::RecoveryCodeUsed => "Recovery code used",
            AuditKind::RecoveryCodesRenewed => "New recovery codes",
            AuditKind::PasskeyAdded => "Passkey added",
            AuditKind::PasskeyRemoved => "Passkey removed",
            AuditKind::PasskeyRefused => "Passkey refused",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_outcomes_read_back_what_they_write_and_nothing_else() {
        for kind in AuditKind::ALL {
            assert_eq!(AuditKind::parse(kind.as_str()), Some(kind));
        }
        for outcome in AuditOutcome::ALL {
            assert_eq!(AuditOutcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(AuditOutcome::parse("OK"), None);
        assert_eq!(AuditOutcome::parse(""), None);
    }
}
