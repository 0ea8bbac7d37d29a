//! Server functions of the user (resident) realm, under `/api/user/`.

pub mod account;
pub mod passkeys;
pub mod password;
pub mod programme;
pub mod session;
pub mod sessions;
pub mod two_step;

pub use account::{barangays, current_resident, register, Barangays, CurrentResident, Register};
pub use passkeys::{
    passkey_add, passkey_add_begin, passkey_remove, passkey_sign_in, passkey_sign_in_begin, passkeys,
    second_step_passkey, second_step_passkey_begin, PasskeyAdd, PasskeyAddBegin, PasskeyRemove,
    PasskeySignIn, PasskeySignInBegin, Passkeys, SecondStepPasskey, SecondStepPasskeyBegin,
};
pub use password::{
    change_password, password_reset_link, request_password_reset, reset_password, ChangePassword,
    PasswordResetLink, RequestPasswordReset, ResetPassword,
};
pub use programme::{
    redeem_reward, resident_dashboard, rewards_overview, RedeemReward, ResidentDashboardFn, RewardsOverviewFn,
};
pub use session::{
    login, logout, resident_keep_alive, resident_session_status, Login, Logout, ResidentKeepAlive,
    ResidentSessionStatus,
};
pub use sessions::{
    end_my_session, end_other_sessions, my_sessions, EndMySession, EndOtherSessions, MySessions,
};
pub use two_step::{
    second_step, second_step_pending, two_step, two_step_begin, two_step_cancel, two_step_codes_saved,
    two_step_confirm, two_step_disable, two_step_recovery_codes, SecondStep, SecondStepPending, TwoStep,
    TwoStepBegin, TwoStepCancel, TwoStepCodesSaved, TwoStepConfirm, TwoStepDisable, TwoStepRecoveryCodes,
};
