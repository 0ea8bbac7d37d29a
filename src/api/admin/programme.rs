//! The programme in the console: collections and points, waste types and
//! schedules, rewards and redemptions, figures. Each function checks the
//! caller's role on the server (every staff function checks the role).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::endpoint;
use crate::{
    error::AppError,
    wire::{
        programme::{
            CollectionView, ProgrammeFigures, RedemptionView, ResidentDetail, RewardView, ScheduleDay,
            WasteTypeView,
        },
        Page,
    },
};

/// The console's programme figures and chart. Any staff role (the recent
/// staff actions as the role may see them).
#[server(name = ProgrammeFiguresFn, prefix = "/api/admin", endpoint = "programme_figures")]
pub async fn programme_figures() -> Result<ProgrammeFigures, AppError> {
    endpoint::as_admin(
        |_| true,
        move |staff| async move { crate::server::dashboards::figures(&staff.state, &staff.admin).await },
    )
    .await
}

/// Records a collection (`kg` with up to two decimals) and credits the
/// points; returns the points credited. Operations managers, super admins.
#[server(prefix = "/api/admin", endpoint = "record_collection")]
pub async fn record_collection(
    resident_id: String,
    waste_type_id: String,
    kg: String,
    idempotency_key: Option<String>,
) -> Result<i64, AppError> {
    endpoint::as_admin(
        |r| r.can_run_collections(),
        move |staff| async move {
            crate::server::collections::record_collection(
                &staff,
                &resident_id,
                &waste_type_id,
                &kg,
                idempotency_key.as_deref(),
            )
            .await
        },
    )
    .await
}

/// Adds or takes away points with a reason (a new ledger entry).
/// Operations managers, super admins.
#[server(prefix = "/api/admin", endpoint = "correct_points")]
pub async fn correct_points(
    resident_id: String,
    delta: String,
    note: String,
    idempotency_key: Option<String>,
) -> Result<i64, AppError> {
    endpoint::as_admin(
        |r| r.can_run_collections(),
        move |staff| async move {
            let key = idempotency_key.as_deref();
            crate::server::collections::correct_points(&staff, &resident_id, &delta, &note, key).await
        },
    )
    .await
}

/// Recent collections of everyone, a page at a time. Staff who see residents.
#[server(prefix = "/api/admin", endpoint = "collections")]
pub async fn recent_collections(page: Option<i64>) -> Result<Page<CollectionView>, AppError> {
    endpoint::as_admin(
        |r| r.can_view_residents(),
        move |staff| async move {
            crate::server::collections::recent_collections(
                &staff.state,
                crate::server::paging::PageRequest::parse(page)?,
            )
            .await
        },
    )
    .await
}

/// One resident: profile, balance, ledger (paged), collections, redemptions.
#[server(name = ResidentDetailFn, prefix = "/api/admin", endpoint = "resident_detail")]
pub async fn resident_detail(resident_id: i64, page: Option<i64>) -> Result<ResidentDetail, AppError> {
    endpoint::as_admin(
        |r| r.can_view_residents(),
        move |staff| async move {
            crate::server::collections::resident_detail(
                &staff,
                resident_id,
                crate::server::paging::PageRequest::parse(page)?,
            )
            .await
        },
    )
    .await
}

/// All waste types. Any staff role.
#[server(prefix = "/api/admin", endpoint = "waste_types")]
pub async fn waste_types() -> Result<Vec<WasteTypeView>, AppError> {
    endpoint::as_admin(
        |_| true,
        move |staff| async move { crate::server::reference::waste_types(&staff.state).await },
    )
    .await
}

/// Adds (no `waste_type_id`) or edits a waste type. Operations managers,
/// super admins.
#[server(prefix = "/api/admin", endpoint = "save_waste_type")]
pub async fn save_waste_type(
    waste_type_id: Option<String>,
    name: String,
    points_per_kg: String,
    active: Option<String>,
) -> Result<(), AppError> {
    endpoint::as_admin(
        |r| r.can_run_collections(),
        move |staff| async move {
            crate::server::reference::save_waste_type(
                &staff,
                waste_type_id.as_deref(),
                &name,
                &points_per_kg,
                active.is_some(),
            )
            .await
        },
    )
    .await
}

/// Every barangay's collection days. Any staff role.
#[server(prefix = "/api/admin", endpoint = "collection_schedules")]
pub async fn collection_schedules() -> Result<Vec<ScheduleDay>, AppError> {
    endpoint::as_admin(
        |_| true,
        move |staff| async move { crate::server::reference::schedules(&staff.state).await },
    )
    .await
}

/// Collects a barangay on a weekday (with a note), or stops (`collected`
/// absent). Operations managers, super admins.
#[server(prefix = "/api/admin", endpoint = "set_collection_day")]
pub async fn set_collection_day(
    barangay_id: String,
    weekday: String,
    collected: Option<String>,
    note: Option<String>,
) -> Result<(), AppError> {
    endpoint::as_admin(
        |r| r.can_run_collections(),
        move |staff| async move {
            let note = collected.map(|_| note.unwrap_or_default());
            crate::server::reference::set_schedule(&staff, &barangay_id, &weekday, note.as_deref()).await
        },
    )
    .await
}

/// The whole catalogue, offered or not. Any staff role.
#[server(prefix = "/api/admin", endpoint = "rewards")]
pub async fn reward_catalogue() -> Result<Vec<RewardView>, AppError> {
    endpoint::as_admin(
        |_| true,
        move |staff| async move { crate::server::rewards::all_rewards(&staff.state).await },
    )
    .await
}

/// Adds (no `reward_id`) or edits a reward. Content & rewards managers,
/// super admins.
#[server(prefix = "/api/admin", endpoint = "save_reward")]
pub async fn save_reward(
    reward_id: Option<String>,
    name: String,
    description: Option<String>,
    cost_points: String,
    stock: String,
    active: Option<String>,
) -> Result<(), AppError> {
    endpoint::as_admin(
        |r| r.can_manage_rewards(),
        move |staff| async move {
            let form = crate::server::rewards::RewardForm {
                reward_id: reward_id.as_deref(),
                name: &name,
                description: description.as_deref().unwrap_or_default(),
                cost_points: &cost_points,
                stock: &stock,
                active: active.is_some(),
            };
            crate::server::rewards::save_reward(&staff, form).await
        },
    )
    .await
}

/// Redemptions, newest first, by status (`open`, `fulfilled`,
/// `cancelled`, or all). Content & rewards managers, super admins.
#[server(prefix = "/api/admin", endpoint = "redemptions")]
pub async fn redemption_list(
    status: Option<String>,
    page: Option<i64>,
) -> Result<Page<RedemptionView>, AppError> {
    endpoint::as_admin(
        |r| r.can_manage_rewards(),
        move |staff| async move {
            let filter = crate::domain::RedemptionFilter::parse(status.as_deref().unwrap_or_default())
                .ok_or(AppError::BadRequest)?;
            crate::server::rewards::redemptions(
                &staff.state,
                filter,
                crate::server::paging::PageRequest::parse(page)?,
            )
            .await
        },
    )
    .await
}

/// Marks an open redemption as handed over.
#[server(prefix = "/api/admin", endpoint = "fulfil_redemption")]
pub async fn fulfil_redemption(
    redemption_id: String,
    idempotency_key: Option<String>,
) -> Result<(), AppError> {
    close_redemption(redemption_id, true, idempotency_key).await
}

/// Cancels an open redemption: points and stock go back.
#[server(prefix = "/api/admin", endpoint = "cancel_redemption")]
pub async fn cancel_redemption(
    redemption_id: String,
    idempotency_key: Option<String>,
) -> Result<(), AppError> {
    close_redemption(redemption_id, false, idempotency_key).await
}

/// Hands over (`fulfil`) or cancels an open redemption as the signed-in
/// staff member, who must manage rewards.
#[cfg(feature = "ssr")]
async fn close_redemption(
    redemption_id: String,
    fulfil: bool,
    idempotency_key: Option<String>,
) -> Result<(), AppError> {
    endpoint::as_admin(
        |r| r.can_manage_rewards(),
        move |staff| async move {
            let key = idempotency_key.as_deref();
            crate::server::rewards::close_redemption(&staff, &redemption_id, fulfil, key).await
        },
    )
    .await
}
