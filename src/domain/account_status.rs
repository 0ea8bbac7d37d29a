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

    pub const fn label(self) -> &'static str {
        match self {
            AccountStatus::Pending => "Pending approval",
            AccountStatus::Approved => "Active",
            AccountStatus::Rejected => "Rejected",
            AccountStatus::Suspended => "Suspended",
        }
    }
}
