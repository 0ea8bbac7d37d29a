//! `/rewards`: the rewards a resident can redeem, and their redemptions.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{api::user::current_resident, components::ResidentFrame};

/// /rewards: the rewards a resident can redeem, and their redemptions.
#[component]
pub fn RewardsPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_resident());
    view! {
        <Title text="Rewards" />
        <ResidentFrame me>
            <div class="page-head">
                <h1>"Rewards"</h1>
            </div>
        </ResidentFrame>
    }
}
