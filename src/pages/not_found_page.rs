use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::PublicLayout;

/// Any path no page claims.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <PublicLayout>
            <section class="auth-card">
                <h1>"Page not found"</h1>
                <p>"There is no page at this address."</p>
                <p><a href="/">"Go to the home page"</a></p>
            </section>
        </PublicLayout>
    }
}
