//! Pure domain types: parsed once at the edge, trusted everywhere after.
//! No I/O here; compiled for the server and the browser alike.

pub mod account_status;
pub mod audit_kind;
pub mod email;
pub mod password;
pub mod person_name;
pub mod programme;
pub mod role;
pub mod user_agent;

pub use account_status::{AccountStatus, StaffStatus};
pub use audit_kind::{AuditKind, AuditOutcome};
pub use email::Email;
pub use password::NewPassword;
pub use person_name::PersonName;
pub use programme::{format_points, LedgerKind, RedemptionFilter, RedemptionStatus, Weight};
pub use role::AdminRole;
