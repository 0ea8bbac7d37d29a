//! View pieces shared by the pages of both realms, and the small kit the
//! console pages are composed of (an async section, a panel, a table, one
//! address builder, a resetting form).

pub mod account_panels;
pub mod async_section;
pub mod auth_card;
pub mod brand;
pub mod endpoint_form;
pub mod form;
pub mod href;
pub mod layout;
pub mod list_or_empty;
pub mod live_gate;
pub mod pager;
pub mod panel;
pub mod passkeys;
pub mod password_fields;
pub mod redemption_badge;
pub mod row_action;
pub mod sessions_table;
pub mod sign_in_fields;
pub mod two_step;
pub mod week_chart;

pub use async_section::{error_alert, notice_alert, AsyncSection};
pub use form::{
    report_outcome, reset_on_success, submission_error, url_form_error, Checkbox, Field, FieldError,
    FormError, IdempotencyField, Outcome, OutcomeNotice, PlainPostError, SignOutOthers,
};
pub use href::{href, page_param};
pub use layout::{PublicLayout, ResidentFrame, StaffFrame};
pub use list_or_empty::ListOrEmpty;
pub use pager::Pager;
pub use panel::{DataTable, Panel};
pub use redemption_badge::RedemptionBadge;
pub use row_action::RowAction;
pub use week_chart::WeekChart;
