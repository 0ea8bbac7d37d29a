use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::admin::{setup_available, AdminLogin},
    components::{submission_error, PublicLayout},
    pages::sign_in_fields::SignInFields,
};

/// `/admin/login`: staff sign in here.
#[component]
pub fn AdminLoginPage() -> impl IntoView {
    let login = ServerAction::<AdminLogin>::new();
    let error = submission_error(login.value());
    let setup = Resource::new(|| (), |_| setup_available());
    view! {
        <Title text="Staff sign-in" />
        <PublicLayout>
            <section class="auth-card staff">
                <p class="eyebrow">"Staff console"</p>
                <h1>"Sign in"</h1>
                <ActionForm action=login attr:class="stack">
                    <SignInFields error pending=login.pending().into() />
                </ActionForm>
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
