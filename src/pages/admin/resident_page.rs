//! `/admin/users/`:id: one resident, their points ledger, collections and redemptions.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{api::admin::current_admin, components::StaffFrame};

/// /admin/users/:id: one resident, their points ledger, collections and redemptions.
#[component]
pub fn ResidentDetailPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    view! {
        <Title text="Resident" />
        <StaffFrame me>
            <div class="page-head">
                <h1>"Resident"</h1>
            </div>
        </StaffFrame>
    }
}
