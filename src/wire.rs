//! Wire types: what the server sends the browser (and the console's forms
//! send back), shared by the server functions (`crate::api`), the use cases
//! that build them (`crate::server`) and the pages that show them. They sit
//! below all three, so none of them imports upward.

pub mod passkeys;
pub mod programme;
pub mod two_step;

use serde::{Deserialize, Serialize};

use crate::domain::{AccountStatus, AdminRole};

/// A barangay, for the registration form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Barangay {
    pub id: i64,
    pub name: String,
}

/// The signed-in resident, as their pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentProfile {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub barangay: String,
    pub status: AccountStatus,
    pub member_since: String,
}

/// The signed-in staff member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffProfile {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: AdminRole,
    /// A temporary password that must be changed before anything else.
    pub must_change_password: bool,
    /// Two-step sign-in must be set up before anything else (the office
    /// requires it of staff).
    pub two_step_required: bool,
}

/// A registration waiting for review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingResident {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub barangay: String,
    pub registered: String,
}

/// One page of a list, with what the pager needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// The console's count of residents by status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleSummary {
    pub pending: i64,
    pub active_residents: i64,
    pub suspended_or_rejected: i64,
    pub can_review: bool,
}

/// A signed-in session, as the sessions lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// Opaque handle of the session (never the session id itself).
    pub key: String,
    pub realm: crate::realm::Realm,
    pub account_id: i64,
    pub account_email: String,
    pub created: String,
    pub last_seen: String,
    pub browser: String,
    pub client_ip: String,
    /// The session of the browser asking.
    pub current: bool,
}

/// A resident in the console's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub barangay: String,
    pub status: AccountStatus,
    pub since: String,
}

/// One line of the audit log, as `/admin/audit` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub at: String,
    pub realm: String,
    pub kind: String,
    pub outcome: String,
    pub account_email: String,
    pub client_ip: String,
    pub browser: String,
    pub detail: String,
}
