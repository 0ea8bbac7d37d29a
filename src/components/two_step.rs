//! Both realms' two-step sign-in pieces: the code page a sign-in goes to
//! after its password step, and the account page's panel (set up, recovery
//! codes, turn off).

use leptos::prelude::*;

use crate::{
    api::{realm_endpoints::FormEndpoint, two_step_endpoints::TwoStepEndpoints},
    components::{
        auth_card::AuthCard, endpoint_form::EndpointForm, live_gate::RefreshOnLiveChange,
        passkeys::passkey_second_step, submission_error, FieldError, FormError, SignOutOthers,
    },
    error::AppError,
    live::watcher::{announce, SIGNED_IN},
    wire::{
        passkeys::SecondStepWays,
        two_step::{TwoStepSetup, TwoStepState},
    },
};

/// The code field: six digits from the app, or a recovery code.
#[component]
fn CodeField(
    /// Unique on the page.
    id: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    label: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="text" name="code" autocomplete="one-time-code" required maxlength="24"
                autocapitalize="none" spellcheck="false" class="code-input" />
            <FieldError error field="code" />
        </div>
    }
}

/// `/login/code` and `/admin/login/code`: the second step of a sign-in.
pub fn second_step_page<R: TwoStepEndpoints>() -> impl IntoView {
    let pending = Resource::new(|| (), |_| R::second_step_pending());
    let verify = ServerAction::<R::SecondStep>::new();
    let error = submission_error(verify.value());
    Effect::new(move || {
        if matches!(verify.value().get(), Some(Ok(()))) {
            announce(R::REALM, SIGNED_IN);
        }
    });
    let login = R::REALM.login_path();
    let code_form = move || {
        view! {
            <p class="lede">"Open your authenticator app and enter the six-digit code it shows for Eko."</p>
            <EndpointForm action=verify class="stack">
                <FormError error />
                <CodeField id="code" error label="Code" />
                <button type="submit" class="primary wide" disabled=verify.pending()>
                    {move || if verify.pending().get() { "Checking…" } else { "Verify" }}
                </button>
            </EndpointForm>
            <p class="aside">"Lost your phone? Enter one of your recovery codes instead."</p>
        }
    };
    let form = move |ways: SecondStepWays| {
        view! {
            {ways.code.then(code_form)}
            {(!ways.code).then(|| view! {
                <p class="lede">"Confirm it is you with one of your passkeys."</p>
                <noscript><p class="notice">"Passkeys need JavaScript: turn it on for this site."</p></noscript>
            })}
            {ways.passkey.then(|| passkey_second_step::<R>(ways.code))}
            <p class="aside"><a href=login>"Start again"</a></p>
        }
    };
    view! {
        <AuthCard realm=R::REALM title="Two-step sign-in" heading="Confirm it is you">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match pending.await {
                        Ok(Some(ways)) => form(ways).into_any(),
                        _ => view! {
                            <p class="notice" role="status" data-testid="second-step-expired">
                                "This sign-in has timed out or was already finished."
                            </p>
                            <p><a class="button primary" href=login>"Sign in again"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </AuthCard>
    }
}

/// The QR code and key of a set-up in progress, and the form that
/// confirms it.
fn setup_form<R: TwoStepEndpoints>(
    setup: TwoStepSetup,
    confirm: ServerAction<R::Confirm>,
    cancel: ServerAction<R::Cancel>,
) -> impl IntoView {
    let error = submission_error(confirm.value());
    view! {
        <ol class="steps">
            <li>"Scan this code with an authenticator app (Google Authenticator, Microsoft Authenticator, 2FAS, Aegis…)."</li>
        </ol>
        <img class="qr" src=setup.qr_image alt="QR code to add Eko to your authenticator app" width="200" height="200" />
        <p class="hint">"Cannot scan? Type this key in the app instead:"</p>
        <p><code class="key" data-testid="two-step-key">{setup.key}</code></p>
        <ol class="steps" start="2">
            <li>"Enter the six-digit code the app now shows."</li>
        </ol>
        <EndpointForm action=confirm class="stack narrow">
            <FormError error />
            <CodeField id="two-step-confirm-code" error label="Code from the app" />
            <button type="submit" class="primary">"Turn on two-step sign-in"</button>
        </EndpointForm>
        <EndpointForm action=cancel class="inline">
            <button type="submit" class="small">"Cancel set-up"</button>
        </EndpointForm>
    }
}

/// New recovery codes, shown until their owner says they are saved.
fn recovery_codes<S: FormEndpoint>(list: Vec<String>, saved: ServerAction<S>) -> impl IntoView {
    view! {
        <div class="notice success" role="status" data-testid="recovery-codes">
            <p><strong>"Save these recovery codes now"</strong>
                " (print them, or keep them in a password manager). Each one signs you in once if you lose your phone. "
                "Once you say they are saved, they are not shown again."</p>
            <ol class="codes">
                {list.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ol>
            <EndpointForm action=saved class="inline">
                <button type="submit" class="small">"I have saved them"</button>
            </EndpointForm>
        </div>
    }
}

/// The account page's "Two-step sign-in" panel.
pub fn two_step_panel<R: TwoStepEndpoints>() -> impl IntoView {
    let begin = ServerAction::<R::Begin>::new();
    let cancel = ServerAction::<R::Cancel>::new();
    let confirm = ServerAction::<R::Confirm>::new();
    let renew = ServerAction::<R::RecoveryCodes>::new();
    let disable = ServerAction::<R::Disable>::new();
    let saved = ServerAction::<R::CodesSaved>::new();
    let begin_error = submission_error(begin.value());
    let renew_error = submission_error(renew.value());
    let disable_error = submission_error(disable.value());
    let state = Resource::new(
        move || {
            (
                begin.version().get(),
                cancel.version().get(),
                confirm.version().get(),
                renew.version().get(),
                disable.version().get(),
                saved.version().get(),
            )
        },
        |_| R::state(),
    );
    view! {
        <RefreshOnLiveChange refetch=move || state.refetch() />
        <section class="panel" data-testid="two-step-panel">
            <h2>"Two-step sign-in"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(s) if s.status.enabled => {
                            let left = s.status.recovery_codes_left;
                            let required = s.status.required;
                            let codes = s.new_recovery_codes.filter(|list| !list.is_empty());
                            view! {
                                {codes.map(|list| recovery_codes(list, saved))}
                                <p><span class="badge ok" data-testid="two-step-on">"On"</span>
                                    " Signing in asks for a code from your authenticator app. "
                                    {format!("{left} unused recovery code{}.", if left == 1 { "" } else { "s" })}
                                </p>
                                <details>
                                    <summary>"New recovery codes"</summary>
                                    <EndpointForm action=renew class="stack narrow">
                                        <FormError error=renew_error />
                                        <CodeField id="two-step-renew-code" error=renew_error label="Current code from the app" />
                                        <button type="submit">"Make new recovery codes"</button>
                                    </EndpointForm>
                                </details>
                                {(!required || s.status.passkey_factor).then(|| view! {
                                    <details>
                                        <summary>"Turn off two-step sign-in"</summary>
                                        <EndpointForm action=disable class="stack narrow">
                                            <FormError error=disable_error />
                                            <CodeField id="two-step-off-code" error=disable_error label="Current code from the app" />
                                            <SignOutOthers />
                                            <button type="submit" class="danger">"Turn off"</button>
                                        </EndpointForm>
                                    </details>
                                })}
                            }
                            .into_any()
                        }
                        Ok(TwoStepState { setup: Some(setup), .. }) => setup_form::<R>(setup, confirm, cancel).into_any(),
                        Ok(s) => view! {
                            {(s.status.required && !s.status.passkey_factor).then(|| view! {
                                <p class="notice" role="status" data-testid="two-step-required">
                                    <strong>"Set up two-step sign-in first."</strong>
                                    " Staff accounts need a second factor: an authenticator app (here) or a passkey (below). The console opens once one is set up."
                                </p>
                            })}
                            <p>"Protect your account with a code from an authenticator app on your phone, asked after your password."</p>
                            <EndpointForm action=begin class="stack narrow">
                                <FormError error=begin_error />
                                <button type="submit" class="primary">"Set up two-step sign-in"</button>
                            </EndpointForm>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
