use serde::{Deserialize, Serialize};

/// What a staff member may do (the four staff roles). Checked on the server for every
/// admin server function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AdminRole {
    SuperAdmin,
    OperationsManager,
    ContentRewardsManager,
    SecurityAnalyst,
}

impl AdminRole {
    pub const ALL: [AdminRole; 4] = [
        AdminRole::SuperAdmin,
        AdminRole::OperationsManager,
        AdminRole::ContentRewardsManager,
        AdminRole::SecurityAnalyst,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            AdminRole::SuperAdmin => "super_admin",
            AdminRole::OperationsManager => "operations_manager",
            AdminRole::ContentRewardsManager => "content_rewards_manager",
            AdminRole::SecurityAnalyst => "security_analyst",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    pub const fn label(self) -> &'static str {
        match self {
            AdminRole::SuperAdmin => "Super admin",
            AdminRole::OperationsManager => "Operations manager",
            AdminRole::ContentRewardsManager => "Content & rewards manager",
            AdminRole::SecurityAnalyst => "Security analyst",
        }
    }

    /// May see the resident list and approval queue.
    pub const fn can_view_residents(self) -> bool {
        !matches!(self, AdminRole::ContentRewardsManager)
    }

    /// May list and revoke the sessions of both realms.
    pub const fn can_manage_sessions(self) -> bool {
        matches!(self, AdminRole::SuperAdmin | AdminRole::SecurityAnalyst)
    }

    /// May read the audit log, and everyone's actions on the console
    /// (emails, addresses, browsers, notes).
    pub const fn can_read_audit(self) -> bool {
        self.can_manage_sessions()
    }

    /// May approve, reject, suspend residents and record collections.
    /// Records collections, corrects points, edits waste types and schedules.
    pub const fn can_run_collections(self) -> bool {
        matches!(self, AdminRole::SuperAdmin | AdminRole::OperationsManager)
    }

    /// Edits the rewards catalogue, fulfils and cancels redemptions.
    pub const fn can_manage_rewards(self) -> bool {
        matches!(self, AdminRole::SuperAdmin | AdminRole::ContentRewardsManager)
    }

    /// Creates staff, changes roles, suspends and unlocks staff.
    pub const fn can_manage_staff(self) -> bool {
        matches!(self, AdminRole::SuperAdmin)
    }

    pub const fn can_manage_residents(self) -> bool {
        matches!(self, AdminRole::SuperAdmin | AdminRole::OperationsManager)
    }
}

#[cfg(test)]
mod tests {
    use super::AdminRole;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in AdminRole::ALL {
            assert_eq!(AdminRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(AdminRole::parse("root"), None);
    }

    #[test]
    fn only_super_admins_and_operations_managers_manage_residents() {
        assert!(AdminRole::SuperAdmin.can_manage_residents());
        assert!(AdminRole::OperationsManager.can_manage_residents());
        assert!(!AdminRole::SecurityAnalyst.can_manage_residents());
        assert!(AdminRole::SecurityAnalyst.can_view_residents());
        assert!(!AdminRole::ContentRewardsManager.can_view_residents());
    }
}
