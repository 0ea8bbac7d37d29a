//! Resident pages.

pub mod account_page;
pub mod dashboard_page;
pub mod login_page;
pub mod password_reset_page;
pub mod register_page;
pub mod rewards_page;

pub use account_page::AccountPage;
pub use dashboard_page::DashboardPage;
pub use login_page::LoginPage;
pub use password_reset_page::{PasswordResetConfirmPage, PasswordResetPage};
pub use register_page::RegisterPage;
pub use rewards_page::RewardsPage;
