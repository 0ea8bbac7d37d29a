//! A redemption's status as a badge.

use leptos::prelude::*;

use crate::domain::RedemptionStatus;

/// "Waiting to be handed over", "Handed over" or "Cancelled, points
/// returned", coloured by state.
#[component]
pub fn RedemptionBadge(status: RedemptionStatus) -> impl IntoView {
    let class = match status {
        RedemptionStatus::Open => "badge wait",
        RedemptionStatus::Fulfilled => "badge ok",
        RedemptionStatus::Cancelled => "badge",
    };
    view! { <span class=class>{status.label()}</span> }
}
