//! Each realm's two-step sign-in server functions, named by one trait, so
//! the code page and the account panel are written once for both realms.

use std::future::Future;

use super::{admin, passkey_endpoints::PasskeyEndpoints, realm_endpoints::FormEndpoint, user};
use crate::{
    error::AppError,
    realm::{AdminRealm, UserRealm},
    wire::{passkeys::SecondStepWays, two_step::TwoStepState},
};

/// A realm's two-step endpoints.
pub trait TwoStepEndpoints: PasskeyEndpoints {
    /// The code step of a sign-in (`code`).
    type SecondStep: FormEndpoint;
    type Begin: FormEndpoint;
    type Cancel: FormEndpoint;
    /// Confirms the set-up (`code`).
    type Confirm: FormEndpoint;
    /// New recovery codes (`code`).
    type RecoveryCodes: FormEndpoint;
    /// The new recovery codes are saved (the page stops showing them).
    type CodesSaved: FormEndpoint;
    /// Turns it off (`code`, `sign_out_others`).
    type Disable: FormEndpoint;

    /// How a sign-in waiting for its second step in this browser can
    /// finish; None when none waits.
    fn second_step_pending() -> impl Future<Output = Result<Option<SecondStepWays>, AppError>> + Send + 'static;
    /// The account panel's state.
    fn state() -> impl Future<Output = Result<TwoStepState, AppError>> + Send + 'static;
}

impl TwoStepEndpoints for UserRealm {
    type SecondStep = user::SecondStep;
    type Begin = user::TwoStepBegin;
    type Cancel = user::TwoStepCancel;
    type Confirm = user::TwoStepConfirm;
    type RecoveryCodes = user::TwoStepRecoveryCodes;
    type CodesSaved = user::TwoStepCodesSaved;
    type Disable = user::TwoStepDisable;

    fn second_step_pending() -> impl Future<Output = Result<Option<SecondStepWays>, AppError>> + Send + 'static
    {
        user::second_step_pending()
    }
    fn state() -> impl Future<Output = Result<TwoStepState, AppError>> + Send + 'static {
        user::two_step()
    }
}

impl TwoStepEndpoints for AdminRealm {
    type SecondStep = admin::StaffSecondStep;
    type Begin = admin::StaffTwoStepBegin;
    type Cancel = admin::StaffTwoStepCancel;
    type Confirm = admin::StaffTwoStepConfirm;
    type RecoveryCodes = admin::StaffTwoStepRecoveryCodes;
    type CodesSaved = admin::StaffTwoStepCodesSaved;
    type Disable = admin::StaffTwoStepDisable;

    fn second_step_pending() -> impl Future<Output = Result<Option<SecondStepWays>, AppError>> + Send + 'static
    {
        admin::staff_second_step_pending()
    }
    fn state() -> impl Future<Output = Result<TwoStepState, AppError>> + Send + 'static {
        admin::staff_two_step()
    }
}
