//! `/admin/collections`: record collections; waste types and schedules.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{api::admin::current_admin, components::StaffFrame};

/// /admin/collections: record collections; waste types and schedules.
#[component]
pub fn CollectionsPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    view! {
        <Title text="Collections" />
        <StaffFrame me>
            <div class="page-head">
                <h1>"Collections"</h1>
            </div>
        </StaffFrame>
    }
}
