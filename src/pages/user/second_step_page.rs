use leptos::prelude::*;

use crate::{components::two_step::second_step_page, realm::UserRealm};

/// `/login/code`: the code a resident with two-step sign-in enters after
/// their password.
#[component]
pub fn SecondStepPage() -> impl IntoView {
    second_step_page::<UserRealm>()
}
