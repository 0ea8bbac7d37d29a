//! View pieces shared by the pages of both realms.

pub mod form;
pub mod layout;
pub mod live_gate;
pub mod pager;
pub mod redemption_badge;
pub mod sessions_table;
pub mod week_chart;

pub use form::{
    report_outcome, submission_error, url_form_error, FieldError, FormError, IdempotencyField, Outcome,
    OutcomeNotice,
};
pub use layout::{PublicLayout, ResidentFrame, StaffFrame};
pub use pager::Pager;
pub use redemption_badge::RedemptionBadge;
pub use week_chart::WeekChart;
