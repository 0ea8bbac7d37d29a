//! Console pages.

pub mod account_page;
pub mod admins_page;
pub mod audit_page;
pub mod collections_page;
pub mod console_page;
pub mod login_page;
pub mod password_reset_page;
pub mod resident_page;
pub mod rewards_page;
pub mod sessions_page;
pub mod setup_page;
pub mod users_page;

pub use account_page::StaffAccountPage;
pub use admins_page::AdminsPage;
pub use audit_page::AuditPage;
pub use collections_page::CollectionsPage;
pub use console_page::ConsolePage;
pub use login_page::AdminLoginPage;
pub use password_reset_page::{StaffPasswordResetConfirmPage, StaffPasswordResetPage};
pub use resident_page::ResidentDetailPage;
pub use rewards_page::StaffRewardsPage;
pub use sessions_page::SessionsPage;
pub use setup_page::SetupPage;
pub use users_page::UsersPage;
