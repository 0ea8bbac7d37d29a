//! Wire types of the programme (the rewards programme): what the resident pages and the
//! console show of waste types, schedules, collections, points and rewards.
//! Points are whole numbers; weights are hundredths of a kilogram; times
//! are already formatted for people.

use serde::{Deserialize, Serialize};

use super::{AuditEntryView, Page};
use crate::domain::{AccountStatus, AdminRole, RedemptionStatus};

/// A kind of waste and what a kilogram of it earns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WasteTypeView {
    pub id: i64,
    pub name: String,
    pub points_per_kg: i64,
    pub active: bool,
}

/// One weekday on which a barangay is collected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleDay {
    pub barangay_id: i64,
    pub barangay: String,
    /// 1 = Monday … 7 = Sunday.
    pub weekday: i64,
    pub note: String,
}

/// An upcoming collection day of the resident's barangay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextCollection {
    /// "Today", "Tomorrow", or e.g. "Friday, 4 Dec".
    pub label: String,
    pub days_away: i64,
    pub note: String,
}

/// A recorded collection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionView {
    pub id: i64,
    pub resident_id: i64,
    pub resident_name: String,
    pub waste_type: String,
    /// Hundredths of a kilogram.
    pub centikg: i64,
    pub points: i64,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// One change of a resident's points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntryView {
    pub id: i64,
    pub delta: i64,
    /// `collection`, `redemption`, `refund` or `correction`.
    pub kind: String,
    pub note: String,
    pub at: String,
}

/// A reward of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardView {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub cost_points: i64,
    pub stock: i64,
    pub active: bool,
}

/// A reward a resident redeemed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedemptionView {
    pub id: i64,
    pub resident_id: i64,
    pub resident_name: String,
    pub resident_email: String,
    pub reward: String,
    pub cost_points: i64,
    pub status: RedemptionStatus,
    pub created_at: String,
    pub decided_at: Option<String>,
}

/// A message for the resident (approval, collection, redemption).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub message: String,
    pub at: String,
}

/// Everything `/dashboard` shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentDashboard {
    pub name: String,
    pub barangay: String,
    pub points: i64,
    pub recent_collections: Vec<CollectionView>,
    pub next_collections: Vec<NextCollection>,
    /// Rewards in stock the resident can afford now, cheapest first.
    pub affordable: Vec<RewardView>,
    pub notifications: Vec<NotificationView>,
    pub open_redemptions: i64,
}

/// What `/rewards` shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardsOverview {
    pub points: i64,
    pub rewards: Vec<RewardView>,
    /// The resident's redemptions, newest first, one page.
    pub redemptions: Page<RedemptionView>,
    /// How many are waiting to be handed over.
    pub open_redemptions: i64,
}

/// A resident as the console's detail page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentDetail {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub barangay: String,
    pub status: AccountStatus,
    pub since: String,
    pub points: i64,
    pub ledger: Page<LedgerEntryView>,
    pub collections: Vec<CollectionView>,
    pub redemptions: Vec<RedemptionView>,
    /// Whether the viewer may record collections and correct points.
    pub can_record: bool,
}

/// Kilograms collected in one week (for the console chart).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekTotal {
    /// e.g. "16 Nov".
    pub label: String,
    pub centikg: i64,
}

/// The programme's figures on the console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeFigures {
    pub residents: crate::wire::ConsoleSummary,
    pub points_issued: i64,
    pub centikg_this_month: i64,
    pub open_redemptions: i64,
    /// The last 12 weeks, oldest first, the current week last.
    pub weekly: Vec<WeekTotal>,
    pub recent_actions: Vec<AuditEntryView>,
}

/// A staff account on `/admin/admins`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: AdminRole,
    pub active: bool,
    pub must_change_password: bool,
    /// Signs in in two steps.
    pub two_step: bool,
    /// Sign-in is locked by the throttle right now.
    pub locked: bool,
    /// The staff member viewing the list.
    pub is_you: bool,
}

/// A new staff account and its one-time temporary password (shown once).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedStaff {
    pub email: String,
    pub temporary_password: String,
}
