//! Both realms' sign-in form (why the visitor is here, what went wrong, the
//! two fields) and sign-in page.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    api::{passkey_endpoints::PasskeyEndpoints, realm_endpoints::RealmEndpoints},
    components::{
        auth_card::AuthCard, endpoint_form::EndpointForm, passkeys::passkey_sign_in, submission_error, Field,
        FormError,
    },
    error::AppError,
    live::{
        watcher::{announce, SIGNED_IN},
        EndReason,
    },
};

/// A realm's sign-in page (`title` for the tab, `Sign in` for the heading):
/// the form with `next` from the query, "Sign in with a passkey", "Forgot
/// your password?", then `asides`.
pub fn sign_in_page<R: PasskeyEndpoints>(
    title: &'static str,
    asides: impl IntoView + 'static,
) -> impl IntoView {
    let query = use_query_map();
    let next = Signal::derive(move || query.read().get("next").unwrap_or_default());
    view! {
        <AuthCard realm=R::REALM title heading="Sign in">
            {sign_in_form::<R>(next, true, || ())}
            {passkey_sign_in::<R>(next)}
            <p class="aside"><a href=R::REALM.password_reset_path()>"Forgot your password?"</a></p>
            {asides}
        </AuthCard>
    }
}

/// A realm's sign-in form. On success the realm's other tabs hear of it
/// (those showing a "signed out" notice come back), then `on_signed_in`.
pub fn sign_in_form<R: RealmEndpoints>(
    next: Signal<String>,
    show_reason: bool,
    on_signed_in: impl Fn() + 'static,
) -> impl IntoView {
    let login = ServerAction::<R::Login>::new();
    let error = submission_error(login.value());
    Effect::new(move || {
        if matches!(login.value().get(), Some(Ok(()))) {
            announce(R::REALM, SIGNED_IN);
            on_signed_in();
        }
    });
    view! {
        <EndpointForm action=login class="stack">
            <SignInFields error pending=login.pending().into() next show_reason />
        </EndpointForm>
    }
}

/// The reason notice, the error and the `Email` / `Password` fields with the
/// `Sign in` button. The enclosing `ActionForm` decides which realm.
#[component]
pub fn SignInFields(
    #[prop(into)] error: Signal<Option<AppError>>,
    pending: Signal<bool>,
    /// Where to go after signing in (a page of the realm).
    #[prop(into)]
    next: Signal<String>,
    /// Show why the visitor was sent here (`reason` in the query).
    #[prop(default = true)]
    show_reason: bool,
) -> impl IntoView {
    let query = use_query_map();
    let reason = move || {
        if !show_reason {
            return None;
        }
        query.read().get("reason").and_then(|r| EndReason::parse(&r))
    };
    view! {
        {move || reason().map(|r| {
            let class = if r.is_own_doing() { "notice success" } else { "notice" };
            view! { <p class=class role="status" data-testid="sign-in-reason">{r.sign_in_message()}</p> }
        })}
        <FormError error />
        <input type="hidden" name="next" prop:value=next />
        <Field id="email" label="Email">
            <input id="email" type="email" name="email" autocomplete="username" required maxlength="254" />
        </Field>
        <Field id="password" label="Password">
            <input id="password" type="password" name="password" autocomplete="current-password" required maxlength="1024" />
        </Field>
        <button type="submit" class="primary wide" disabled=pending>
            {move || if pending.get() { "Signing in…" } else { "Sign in" }}
        </button>
    }
}
