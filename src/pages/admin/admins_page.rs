//! `/admin/admins`: staff accounts (super admins).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{api::admin::current_admin, components::StaffFrame};

/// /admin/admins: staff accounts (super admins).
#[component]
pub fn AdminsPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    view! {
        <Title text="Staff" />
        <StaffFrame me>
            <div class="page-head">
                <h1>"Staff"</h1>
            </div>
        </StaffFrame>
    }
}
