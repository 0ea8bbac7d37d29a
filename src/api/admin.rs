//! Server functions of the admin (staff) realm, under `/api/admin/`. Every
//! one checks the admin session and the role on the server.

pub mod console;
pub mod residents;
pub mod session;
pub mod setup;

pub use console::{console_summary, ConsoleSummaryFn};
pub use residents::{
    approve_resident, pending_residents, reject_resident, ApproveResident, PendingResidents, RejectResident,
};
pub use session::{admin_login, admin_logout, current_admin, AdminLogin, AdminLogout, CurrentAdmin};
pub use setup::{set_up, setup_available, SetUp, SetupAvailable};
