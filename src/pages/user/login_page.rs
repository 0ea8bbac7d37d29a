use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::user::Login,
    components::{sign_in_fields::SignInFields, submission_error, PublicLayout},
    live::watcher::{announce, SIGNED_IN},
    realm::Realm,
};

/// `/login`: residents sign in here.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = submission_error(login.value());
    let query = use_query_map();
    let next = Signal::derive(move || query.read().get("next").unwrap_or_default());
    // Tabs of this realm showing a "signed out" notice come back.
    Effect::new(move || {
        if matches!(login.value().get(), Some(Ok(()))) {
            announce(Realm::User, SIGNED_IN);
        }
    });
    view! {
        <Title text="Sign in" />
        <PublicLayout>
            <section class="auth-card">
                <p class="eyebrow">"Resident portal"</p>
                <h1>"Sign in"</h1>
                <ActionForm action=login attr:class="stack">
                    <SignInFields error pending=login.pending().into() next />
                </ActionForm>
                <p class="aside"><a href="/password-reset">"Forgot your password?"</a></p>
                <p class="aside">"New to Eko? " <a href="/register">"Create an account"</a></p>
            </section>
        </PublicLayout>
    }
}
