use leptos::prelude::*;

use crate::{components::sign_in_fields::sign_in_page, realm::UserRealm};

/// `/login`: residents sign in here.
#[component]
pub fn LoginPage() -> impl IntoView {
    let asides = view! { <p class="aside">"New to Eko? " <a href="/register">"Create an account"</a></p> };
    sign_in_page::<UserRealm>("Sign in", asides)
}
