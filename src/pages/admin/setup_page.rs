use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

use crate::{
    api::admin::{setup_available, SetUp},
    components::{submission_error, Field, FormError, PublicLayout},
};

/// `/admin/setup`: creates the first super admin with the one-time code the
/// server printed at start.
#[component]
pub fn SetupPage() -> impl IntoView {
    let setup = ServerAction::<SetUp>::new();
    let available = Resource::new(move || setup.version().get(), |_| setup_available());
    let error = submission_error(setup.value());
    view! {
        <Title text="Set up Eko" />
        <PublicLayout>
            <section class="auth-card staff">
                <p class="eyebrow">"Staff console"</p>
                <h1>"Set up Eko"</h1>
                <Suspense>
                    {move || Suspend::new(async move {
                        if matches!(available.await, Ok(false)) {
                            Either::Left(view! {
                                <p class="notice">"Eko is already set up. Sign in, or ask a super admin for an account."</p>
                                <p><a class="button" href="/admin/login">"Staff sign-in"</a></p>
                            })
                        } else {
                            Either::Right(view! {
                                <p class="lede">"Create the first super admin. The setup code is printed in the server log at start, and works once."</p>
                                <ActionForm action=setup attr:class="stack">
                                    <FormError error />
                                    <Field id="code" label="Setup code" error name="code">
                                        <input id="code" name="code" autocomplete="one-time-code" required maxlength="64" />
                                    </Field>
                                    <Field id="name" label="Name" error name="name">
                                        <input id="name" name="name" autocomplete="name" required maxlength="100" />
                                    </Field>
                                    <Field id="email" label="Email" error name="email">
                                        <input id="email" type="email" name="email" autocomplete="username" required maxlength="254" />
                                    </Field>
                                    <Field id="password" label="Password" error name="password">
                                        <input id="password" type="password" name="password" autocomplete="new-password" required minlength="12" maxlength="128" />
                                    </Field>
                                    <button type="submit" class="primary wide">"Create super admin"</button>
                                </ActionForm>
                            })
                        }
                    })}
                </Suspense>
            </section>
        </PublicLayout>
    }
}
