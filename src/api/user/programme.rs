//! The resident's side of the programme: dashboard figures, rewards.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::endpoint;
use crate::{
    error::AppError,
    wire::programme::{ResidentDashboard, RewardsOverview},
};

/// Everything `/dashboard` shows for the signed-in resident.
#[server(name = ResidentDashboardFn, prefix = "/api/user", endpoint = "dashboard")]
pub async fn resident_dashboard() -> Result<ResidentDashboard, AppError> {
    endpoint::as_resident(move |state, _, resident| async move {
        crate::server::dashboards::dashboard(&state, &resident).await
    })
    .await
}

/// The rewards the resident can redeem and their redemptions (paged).
#[server(name = RewardsOverviewFn, prefix = "/api/user", endpoint = "rewards")]
pub async fn rewards_overview(page: Option<i64>) -> Result<RewardsOverview, AppError> {
    endpoint::as_resident(move |state, _, resident| async move {
        crate::server::rewards::rewards_overview(
            &state,
            &resident,
            crate::server::paging::PageRequest::parse(page)?,
        )
        .await
    })
    .await
}

/// Redeems one unit of a reward: points held and stock taken at once.
#[server(prefix = "/api/user", endpoint = "redeem")]
pub async fn redeem_reward(reward_id: String, idempotency_key: Option<String>) -> Result<(), AppError> {
    endpoint::as_resident(move |state, session, resident| async move {
        crate::server::rewards::redeem(&state, &session, &resident, &reward_id, idempotency_key.as_deref())
            .await
    })
    .await
}
