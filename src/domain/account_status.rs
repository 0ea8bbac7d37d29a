use serde::{Deserialize, Serialize};

/// Where a resident's account stands. Only `Approved` residents can sign in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AccountStatus {
    Pending,
    Approved,
    Rejected,
    Suspended,
}

impl AccountStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Pending => "pending",
            AccountStatus::Approved => "approved",
            AccountStatus::Rejected => "rejected",
            AccountStatus::Suspended => "suspended",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Rejected, Self::Suspended]
            .into_iter()
            .find(|s| s.as_str() == value)
    }

    /// The status a residents list shows for its `status` filter: active
    /// (`approved`, the default when empty), `suspended` or `rejected`;
    /// anything else (pending registrations have their own list) is `None`.
    pub fn parse_list_filter(value: &str) -> Option<Self> {
        match value {
            "" => Some(AccountStatus::Approved),
            _ => Self::parse(value).filter(|s| *s != AccountStatus::Pending),
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            AccountStatus::Pending => "Pending approval",
            AccountStatus::Approved => "Active",
            AccountStatus::Rejected => "Rejected",
            AccountStatus::Suspended => "Suspended",
        }
    }
}

/// Whether a staff account may sign in. Stored as `active` / `suspended`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StaffStatus {
    Active,
    Suspended,
}

impl StaffStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            StaffStatus::Active => "active",
            StaffStatus::Suspended => "suspended",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Active, Self::Suspended].into_iter().find(|s| s.as_str() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back_what_they_write_and_nothing_else() {
        for s in [
            AccountStatus::Pending,
            AccountStatus::Approved,
            AccountStatus::Rejected,
            AccountStatus::Suspended,
        ] {
            assert_eq!(AccountStatus::parse(s.as_str()), Some(s));
        }
        for s in [StaffStatus::Active, StaffStatus::Suspended] {
            assert_eq!(StaffStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(AccountStatus::parse("Approved"), None);
        assert_eq!(StaffStatus::parse(""), None);
    }

    #[test]
    fn the_residents_list_filter_never_shows_pending_registrations() {
        assert_eq!(AccountStatus::parse_list_filter(""), Some(AccountStatus::Approved));
        assert_eq!(AccountStatus::parse_list_filter("suspended"), Some(AccountStatus::Suspended));
        assert_eq!(AccountStatus::parse_list_filter("rejected"), Some(AccountStatus::Rejected));
        assert_eq!(AccountStatus::parse_list_filter("pending"), None);
        assert_eq!(AccountStatus::parse_list_filter("active"), None);
    }
}
