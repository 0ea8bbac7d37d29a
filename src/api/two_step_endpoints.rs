//! Each realm's two-step sign-in server functions, named by one trait, so
//! the code page and the account panel are written once for both realms.

use std::future::Future;

use super::{admin, realm_endpoints::FormEndpoint, realm_endpoints::RealmEndpoints, user};
use crate::{
    error::AppError,
    realm::{AdminRealm, UserRealm},
    wire::two_step::TwoStepState,
};

/// A realm's two-step endpoints.
pub trait TwoStepEndpoints: RealmEndpoints {
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

    /// Whether a sign-in waits for its code in this browser.
    fn second_step_pending() -> impl Future<Output = Result<bool, AppError>> + Send + 'static;
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

    fn second_step_pending() -> impl Future<Output = Result<bool, AppError>> + Send + 'static {
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

    fn second_step_pending() -> impl Future<Output = Result<bool, AppError>> + Send + 'static {
        admin::staff_second_step_pending()
    }
    fn state() -> impl Future<Output = Result<TwoStepState, AppError>> + Send + 'static {
        admin::staff_two_step()
    }
}
