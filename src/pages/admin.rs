//! Console pages.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use super::routes_in_chunk;

pub mod account_page;
pub mod admins_page;
pub mod audit_page;
pub mod collections_page;
pub mod console_page;
pub mod login_page;
pub mod password_reset_page;
pub mod resident_page;
pub mod rewards_page;
pub mod second_step_page;
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
pub use second_step_page::StaffSecondStepPage;
pub use sessions_page::SessionsPage;
pub use setup_page::SetupPage;
pub use users_page::UsersPage;

/// The staff pages one can open signed out.
#[derive(Clone, Copy, Debug)]
pub enum SignedOutPage {
    Login,
    Setup,
    PasswordReset,
    PasswordResetConfirm,
    SecondStep,
}

/// The signed-out staff pages: one chunk.
#[leptos::lazy]
fn staff_signed_out_page(page: SignedOutPage) -> AnyView {
    match page {
        SignedOutPage::Login => view! { <AdminLoginPage /> }.into_any(),
        SignedOutPage::Setup => view! { <SetupPage /> }.into_any(),
        SignedOutPage::PasswordReset => view! { <StaffPasswordResetPage /> }.into_any(),
        SignedOutPage::PasswordResetConfirm => view! { <StaffPasswordResetConfirmPage /> }.into_any(),
        SignedOutPage::SecondStep => view! { <StaffSecondStepPage /> }.into_any(),
    }
}

/// The console's pages.
#[derive(Clone, Copy, Debug)]
pub enum StaffPage {
    Console,
    Users,
    ResidentDetail,
    Collections,
    Rewards,
    Admins,
    Sessions,
    Audit,
    Account,
}

/// The console's pages: one chunk, never fetched by a resident.
#[leptos::lazy]
fn staff_page(page: StaffPage) -> AnyView {
    match page {
        StaffPage::Console => view! { <ConsolePage /> }.into_any(),
        StaffPage::Users => view! { <UsersPage /> }.into_any(),
        StaffPage::ResidentDetail => view! { <ResidentDetailPage /> }.into_any(),
        StaffPage::Collections => view! { <CollectionsPage /> }.into_any(),
        StaffPage::Rewards => view! { <StaffRewardsPage /> }.into_any(),
        StaffPage::Admins => view! { <AdminsPage /> }.into_any(),
        StaffPage::Sessions => view! { <SessionsPage /> }.into_any(),
        StaffPage::Audit => view! { <AuditPage /> }.into_any(),
        StaffPage::Account => view! { <StaffAccountPage /> }.into_any(),
    }
}

routes_in_chunk! { staff_signed_out_page, __preload_staff_signed_out_page:
    AdminLoginRoute => SignedOutPage::Login, "`/admin/login`";
    SetupRoute => SignedOutPage::Setup, "`/admin/setup`";
    StaffPasswordResetRoute => SignedOutPage::PasswordReset, "`/admin/password-reset`";
    StaffPasswordResetConfirmRoute => SignedOutPage::PasswordResetConfirm, "`/admin/password-reset/confirm`";
    StaffSecondStepRoute => SignedOutPage::SecondStep, "`/admin/login/code`";
}

routes_in_chunk! { staff_page, __preload_staff_page:
    ConsoleRoute => StaffPage::Console, "`/admin`";
    UsersRoute => StaffPage::Users, "`/admin/users`";
    ResidentDetailRoute => StaffPage::ResidentDetail, "`/admin/users/:id`";
    CollectionsRoute => StaffPage::Collections, "`/admin/collections`";
    StaffRewardsRoute => StaffPage::Rewards, "`/admin/rewards`";
    AdminsRoute => StaffPage::Admins, "`/admin/admins`";
    SessionsRoute => StaffPage::Sessions, "`/admin/sessions`";
    AuditRoute => StaffPage::Audit, "`/admin/audit`";
    StaffAccountRoute => StaffPage::Account, "`/admin/account`";
}
