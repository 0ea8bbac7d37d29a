use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::{setup_available, AdminLogin},
    components::{sign_in_fields::SignInFields, submission_error, PublicLayout},
    live::watcher::{announce, SIGNED_IN},
    realm::Realm,
};

/// `/admin/login`: staff sign in here.
#[component]
pub fn AdminLoginPage() -> impl IntoView {
    let login = ServerAction::<AdminLogin>::new();
    let error = submission_error(login.value());
    let query = use_query_map();
    let next = Signal::derive(move || query.read().get("next").unwrap_or_default());
    // Tabs of this realm showing a "signed out" notice come back.
    Effect::new(move || {
        if matches!(login.value().get(), Some(Ok(()))) {
            announce(Realm::Admin, SIGNED_IN);
        }
    });
    let setup = Resource::new(|| (), |_| setup_available());
    view! {
        <Title text="Staff sign-in" />
        <PublicLayout>
            <section class="auth-card staff">
                <p class="eyebrow">"Staff console"</p>
                <h1>"Sign in"</h1>
                <ActionForm action=login attr:class="stack">
                    <SignInFields error pending=login.pending().into() next />
                </ActionForm>
                <p class="aside"><a href="/admin/password-reset">"Forgot your password?"</a></p>
                <Suspense>
                    {move || Suspend::new(async move {
                        matches!(setup.await, Ok(true)).then(|| view! {
                            <p class="aside">"First time? " <a href="/admin/setup">"Set up Eko with the setup code"</a></p>
                        })
                    })}
                </Suspense>
            </section>
        </PublicLayout>
    }
}
