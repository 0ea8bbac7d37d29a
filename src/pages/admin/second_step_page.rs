use leptos::prelude::*;

use crate::{components::two_step::second_step_page, realm::AdminRealm};

/// `/admin/login/code`: the code staff enter after their password.
#[component]
pub fn StaffSecondStepPage() -> impl IntoView {
    second_step_page::<AdminRealm>()
}
