use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

use crate::{
    api::user::{barangays, Register},
    components::{submission_error, Field, FieldError, FormError, PublicLayout},
};

/// `/register`: a new resident asks for an account (pending until approved).
#[component]
pub fn RegisterPage() -> impl IntoView {
    let register = ServerAction::<Register>::new();
    let barangays = Resource::new(|| (), |_| barangays());
    let error = submission_error(register.value());
    let done = move || matches!(register.value().get(), Some(Ok(())));
    let invalid = move |field: &'static str| move || error.get().and_then(|e| e.for_field(field)).is_some();
    view! {
        <Title text="Create an account" />
        <PublicLayout>
            <section class="auth-card">
                <p class="eyebrow">"Resident portal"</p>
                <h1>"Create an account"</h1>
                {move || if done() {
                    Either::Left(view! {
                        <div class="notice success" role="status">
                            <p><strong>"Check your email to continue."</strong></p>
                            <p>"We sent a message to the address you gave. A new account is waiting for approval by the CENRO office; you can sign in once it has been approved."</p>
                        </div>
                        <p><a class="button" href="/login">"Go to sign-in"</a></p>
                    })
                } else {
                    Either::Right(view! {
                        <ActionForm action=register attr:class="stack">
                            <FormError error />
                            <Field id="name" label="Name" error name="name">
                                <input id="name" name="name" autocomplete="name" required maxlength="100"
                                    aria-invalid=move || invalid("name")().to_string() />
                            </Field>
                            <Field id="email" label="Email" error name="email">
                                <input id="email" type="email" name="email" autocomplete="email" required maxlength="254"
                                    aria-invalid=move || invalid("email")().to_string() />
                            </Field>
                            <div class="field">
                                <label for="password">"Password"</label>
                                <input id="password" type="password" name="password" autocomplete="new-password"
                                    required minlength="12" maxlength="128" aria-describedby="password-hint"
                                    aria-invalid=move || invalid("password")().to_string() />
                                <p class="hint" id="password-hint">"12 to 128 characters. A few words you will remember make a good password."</p>
                                <FieldError error field="password" />
                            </div>
                            <Field id="barangay" label="Barangay" error name="barangay">
                                <select id="barangay" name="barangay" required
                                    aria-invalid=move || invalid("barangay")().to_string()>
                                    <option value="">"Choose your barangay"</option>
                                    <Suspense>
                                        {move || Suspend::new(async move {
                                            barangays.await.unwrap_or_default().into_iter().map(|b| view! {
                                                <option value=b.id.to_string()>{b.name}</option>
                                            }).collect_view()
                                        })}
                                    </Suspense>
                                </select>
                            </Field>
                            <button type="submit" class="primary wide" disabled=move || register.pending().get()>
                                "Create account"
                            </button>
                        </ActionForm>
                        <p class="aside">"Already registered? " <a href="/login">"Sign in"</a></p>
                    })
                }}
            </section>
        </PublicLayout>
    }
}
