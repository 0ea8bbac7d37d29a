use leptos::prelude::*;

use crate::{api::admin::setup_available, components::sign_in_fields::sign_in_page, realm::AdminRealm};

/// `/admin/login`: staff sign in here.
#[component]
pub fn AdminLoginPage() -> impl IntoView {
    let setup = Resource::new(|| (), |_| setup_available());
    let asides = view! {
        <Suspense>
            {move || Suspend::new(async move {
                matches!(setup.await, Ok(true)).then(|| view! {
                    <p class="aside">"First time? " <a href="/admin/setup">"Set up Eko with the setup code"</a></p>
                })
            })}
        </Suspense>
    };
    sign_in_page::<AdminRealm>("Staff sign-in", asides)
}
