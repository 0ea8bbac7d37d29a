//! Both realms' password forms: change, forgot, reset; the two reset pages.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    api::realm_endpoints::RealmEndpoints,
    components::{
        auth_card::AuthCard, endpoint_form::EndpointForm, submission_error, Field, FieldError, FormError,
        SignOutOthers,
    },
    error::AppError,
    realm::Realm,
};

/// `New password`, `Confirm new password` and the "sign out my other
/// sessions" option (ticked): what a password change and a reset share.
#[component]
fn NewPasswordPair(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <Field id="new_password" label="New password" error name="new_password">
            <input id="new_password" type="password" name="new_password" autocomplete="new-password" required minlength="12" maxlength="128" />
        </Field>
        <Field id="confirm_password" label="Confirm new password" error name="confirm_password">
            <input id="confirm_password" type="password" name="confirm_password" autocomplete="new-password" required minlength="12" maxlength="128" />
        </Field>
        <SignOutOthers />
    }
}

/// `Current password`, `New password`, `Confirm new password`, the "sign
/// out my other sessions" option (ticked) and `Change password`.
#[component]
pub fn ChangePasswordFields(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] done: Signal<bool>,
) -> impl IntoView {
    view! {
        {move || done.get().then(|| view! {
            <p class="notice success" role="status" data-testid="password-changed">"Your password was changed."</p>
        })}
        <FormError error />
        <Field id="current_password" label="Current password" error name="current_password">
            <input id="current_password" type="password" name="current_password" autocomplete="current-password" required maxlength="1024" />
        </Field>
        <NewPasswordPair error />
        <button type="submit" class="primary">"Change password"</button>
    }
}

/// The inside of both realms' "forgot password" forms: the `Email` field
/// and `Send reset link`; after sending, the same notice whether or not the
/// account exists.
#[component]
pub fn ResetRequestFields(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] sent: Signal<bool>,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        {move || sent.get().then(|| view! {
            <p class="notice success" role="status" data-testid="reset-sent">
                "If an account with that email exists, a link to choose a new password is on its way. "
                "It works once, for a limited time."
            </p>
        })}
        <FormError error />
        <Field id="email" label="Email" error name="email">
            <input id="email" type="email" name="email" autocomplete="username" required maxlength="254" />
        </Field>
        <button type="submit" class="primary wide" disabled=pending>
            {move || if pending.get() { "Sending…" } else { "Send reset link" }}
        </button>
    }
}

/// The inside of both realms' "set new password" forms (reached from a
/// reset link): `New password`, `Confirm new password`, the "sign out my
/// other sessions" option (ticked) and `Set new password`.
#[component]
pub fn NewPasswordFields(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <FormError error />
        <FieldError error field="token" />
        <NewPasswordPair error />
        <button type="submit" class="primary wide" disabled=pending>
            {move || if pending.get() { "Saving…" } else { "Set new password" }}
        </button>
    }
}

/// Whether the "forgot password" notice should show: the request went
/// through here, or a plain form post came back with `?sent`.
pub fn reset_sent<S>(value: S) -> Signal<bool>
where
    S: Get<Value = Option<Result<(), AppError>>> + Send + Sync + 'static,
{
    let query = use_query_map();
    Signal::derive(move || matches!(value.get(), Some(Ok(()))) || query.read().get("sent").is_some())
}

/// The "set new password" form once the link opened in this browser checks
/// out (`link` names its account), or why the link cannot be used.
#[component]
pub fn ResetLinkGate(
    realm: Realm,
    link: Resource<Result<String, AppError>>,
    #[prop(into)] form: ViewFn,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Checking your link…"</p> }>
            {move || {
                let form = form.clone();
                Suspend::new(async move {
                    match link.await {
                        Ok(email) => view! {
                            <p class="lead">"Choose a new password for " <strong data-testid="reset-email">{email}</strong> "."</p>
                            {form.run()}
                        }.into_any(),
                        Err(error) => {
                            let message = match &error {
                                AppError::Invalid { message, .. } => message.clone(),
                                other => other.to_string(),
                            };
                            view! {
                                <p class="notice" role="alert" data-testid="reset-link-problem">{message}</p>
                                <p class="aside"><a href=realm.password_reset_path()>"Ask for a new reset link"</a></p>
                            }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// A realm's "forgot password" page: `Send reset link`.
pub fn reset_request_page<R: RealmEndpoints>() -> impl IntoView {
    let request = ServerAction::<R::RequestPasswordReset>::new();
    let error = submission_error(request.value());
    let sent = reset_sent(request.value());
    view! {
        <AuthCard realm=R::REALM title="Reset your password">
            <p class="lead">"Enter your account's email and we will send you a link to choose a new password."</p>
            <EndpointForm action=request class="stack">
                <ResetRequestFields error sent pending=request.pending() />
            </EndpointForm>
            <p class="aside"><a href=R::REALM.login_path()>"Back to sign in"</a></p>
        </AuthCard>
    }
}

/// A realm's "set new password" page, for the reset link opened in this
/// browser.
pub fn reset_confirm_page<R: RealmEndpoints>() -> impl IntoView {
    let reset = ServerAction::<R::ResetPassword>::new();
    let error = submission_error(reset.value());
    let link = Resource::new(|| (), |_| R::password_reset_link());
    let form = move || {
        view! {
            <EndpointForm action=reset class="stack">
                <NewPasswordFields error pending=reset.pending() />
            </EndpointForm>
        }
    };
    view! {
        <AuthCard realm=R::REALM title="Set new password">
            <ResetLinkGate realm=R::REALM link form />
        </AuthCard>
    }
}
