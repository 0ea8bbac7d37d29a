//! `/admin/rewards`: the catalogue and the redemptions to hand over.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{api::admin::current_admin, components::StaffFrame};

/// /admin/rewards: the catalogue and the redemptions to hand over.
#[component]
pub fn StaffRewardsPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    view! {
        <Title text="Rewards" />
        <StaffFrame me>
            <div class="page-head">
                <h1>"Rewards"</h1>
            </div>
        </StaffFrame>
    }
}
