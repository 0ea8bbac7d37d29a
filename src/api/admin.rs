//! Server functions of the admin (staff) realm, under `/api/admin/`. Every
//! one checks the admin session and the role on the server.

pub mod audit;
pub mod passkeys;
pub mod password;
pub mod programme;
pub mod residents;
pub mod session;
pub mod sessions;
pub mod setup;
pub mod staff;
pub mod two_step;

pub use audit::{audit_log, AuditLog};
pub use passkeys::{
    staff_passkey_add, staff_passkey_add_begin, staff_passkey_remove, staff_passkey_sign_in,
    staff_passkey_sign_in_begin, staff_passkeys, staff_second_step_passkey, staff_second_step_passkey_begin,
    StaffPasskeyAdd, StaffPasskeyAddBegin, StaffPasskeyRemove, StaffPasskeySignIn, StaffPasskeySignInBegin,
    StaffPasskeys, StaffSecondStepPasskey, StaffSecondStepPasskeyBegin,
};
pub use password::{
    staff_change_password, staff_password_reset_link, staff_request_password_reset, staff_reset_password,
    StaffChangePassword, StaffPasswordResetLink, StaffRequestPasswordReset, StaffResetPassword,
};
pub use programme::{
    cancel_redemption, collection_schedules, correct_points, fulfil_redemption, programme_figures,
    recent_collections, record_collection, redemption_list, resident_detail, reward_catalogue, save_reward,
    save_waste_type, set_collection_day, waste_types, CancelRedemption, CollectionSchedules, CorrectPoints,
    FulfilRedemption, ProgrammeFiguresFn, RecentCollections, RecordCollection, RedemptionList,
    ResidentDetailFn, RewardCatalogue, SaveReward, SaveWasteType, SetCollectionDay, WasteTypes,
};
pub use residents::{
    approve_resident, pending_residents, reactivate_resident, reject_resident, resident_list,
    suspend_resident, ApproveResident, PendingResidents, ReactivateResident, RejectResident, ResidentList,
    SuspendResident,
};
pub use session::{
    admin_login, admin_logout, current_admin, staff_keep_alive, staff_session_status, AdminLogin,
    AdminLogout, CurrentAdmin, StaffKeepAlive, StaffSessionStatus,
};
pub use sessions::{
    all_sessions, revoke_account_sessions, revoke_realm_sessions, revoke_session, staff_end_other_sessions,
    staff_end_session, staff_sessions, AllSessions, RevokeAccountSessions, RevokeRealmSessions,
    RevokeSession, StaffEndOtherSessions, StaffEndSession, StaffSessions,
};
pub use setup::{set_up, setup_available, SetUp, SetupAvailable};
pub use staff::{
    change_staff_role, create_staff, reactivate_staff, reset_staff_two_step, staff_list, suspend_staff,
    take_created_staff, unlock_staff, ChangeStaffRole, CreateStaff, ReactivateStaff, ResetStaffTwoStep,
    StaffList, SuspendStaff, TakeCreatedStaff, UnlockStaff,
};
pub use two_step::{
    staff_second_step, staff_second_step_pending, staff_two_step, staff_two_step_begin,
    staff_two_step_cancel, staff_two_step_codes_saved, staff_two_step_confirm, staff_two_step_disable,
    staff_two_step_recovery_codes, StaffSecondStep, StaffSecondStepPending, StaffTwoStep, StaffTwoStepBegin,
    StaffTwoStepCancel, StaffTwoStepCodesSaved, StaffTwoStepConfirm, StaffTwoStepDisable,
    StaffTwoStepRecoveryCodes,
};
