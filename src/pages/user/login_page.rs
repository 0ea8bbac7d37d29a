use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::user::Login,
    components::{submission_error, PublicLayout},
    pages::sign_in_fields::SignInFields,
};

/// `/login`: residents sign in here.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = submission_error(login.value());
    view! {
        <Title text="Sign in" />
        <PublicLayout>
            <section class="auth-card">
                <p class="eyebrow">"Resident portal"</p>
                <h1>"Sign in"</h1>
                <ActionForm action=login attr:class="stack">
                    <SignInFields error pending=login.pending().into() />
                </ActionForm>
                <p class="aside">"New to Eko? " <a href="/register">"Create an account"</a></p>
            </section>
        </PublicLayout>
    }
}
