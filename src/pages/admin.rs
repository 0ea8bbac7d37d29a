//! Console pages.

pub mod console_page;
pub mod login_page;
pub mod setup_page;
pub mod users_page;

pub use console_page::ConsolePage;
pub use login_page::AdminLoginPage;
pub use setup_page::SetupPage;
pub use users_page::UsersPage;
