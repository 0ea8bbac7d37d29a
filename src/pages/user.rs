//! Resident pages.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use super::routes_in_chunk;

pub mod account_page;
pub mod dashboard_page;
pub mod login_page;
pub mod password_reset_page;
pub mod register_page;
pub mod rewards_page;
pub mod second_step_page;

pub use account_page::AccountPage;
pub use dashboard_page::DashboardPage;
pub use login_page::LoginPage;
pub use password_reset_page::{PasswordResetConfirmPage, PasswordResetPage};
pub use register_page::RegisterPage;
pub use rewards_page::RewardsPage;
pub use second_step_page::SecondStepPage;

/// The resident pages one can open signed out, but for `/login`: that one
/// is in the main wasm, so the first page a resident opens needs no chunk.
#[derive(Clone, Copy, Debug)]
pub enum SignedOutPage {
    Register,
    PasswordReset,
    PasswordResetConfirm,
    SecondStep,
}

/// The signed-out resident pages: one chunk.
#[leptos::lazy]
fn signed_out_page(page: SignedOutPage) -> AnyView {
    match page {
        SignedOutPage::Register => view! { <RegisterPage /> }.into_any(),
        SignedOutPage::PasswordReset => view! { <PasswordResetPage /> }.into_any(),
        SignedOutPage::PasswordResetConfirm => view! { <PasswordResetConfirmPage /> }.into_any(),
        SignedOutPage::SecondStep => view! { <SecondStepPage /> }.into_any(),
    }
}

/// The signed-in resident's pages.
#[derive(Clone, Copy, Debug)]
pub enum ResidentPage {
    Dashboard,
    Rewards,
    Account,
}

/// The signed-in resident's pages: one chunk.
#[leptos::lazy]
fn resident_page(page: ResidentPage) -> AnyView {
    match page {
        ResidentPage::Dashboard => view! { <DashboardPage /> }.into_any(),
        ResidentPage::Rewards => view! { <RewardsPage /> }.into_any(),
        ResidentPage::Account => view! { <AccountPage /> }.into_any(),
    }
}

routes_in_chunk! { signed_out_page, __preload_signed_out_page:
    RegisterRoute => SignedOutPage::Register, "`/register`";
    PasswordResetRoute => SignedOutPage::PasswordReset, "`/password-reset`";
    PasswordResetConfirmRoute => SignedOutPage::PasswordResetConfirm, "`/password-reset/confirm`";
    SecondStepRoute => SignedOutPage::SecondStep, "`/login/code`";
}

routes_in_chunk! { resident_page, __preload_resident_page:
    DashboardRoute => ResidentPage::Dashboard, "`/dashboard`";
    RewardsRoute => ResidentPage::Rewards, "`/rewards`";
    AccountRoute => ResidentPage::Account, "`/account`";
}
