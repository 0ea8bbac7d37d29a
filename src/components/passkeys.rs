//! Both realms' passkey pieces: "Sign in with a passkey" on the sign-in
//! page, "Use a passkey" on the second step of a sign-in, and the account
//! page's panel (add, list, remove).
//!
//! The browser's part is WebAuthn's JSON form (`parse…OptionsFromJSON`,
//! `toJSON`), called from the wasm bundle: no script file, nothing for the
//! content security policy to allow. Passkeys need JavaScript; the buttons
//! appear once the page is hydrated in a browser that can use them, and
//! everything else on these pages works without.

use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::passkey_endpoints::PasskeyEndpoints,
    components::{
        endpoint_form::EndpointForm, live_gate::RefreshOnLiveChange, submission_error, FormError,
        SignOutOthers,
    },
    error::AppError,
    live::watcher::{announce, SIGNED_IN},
    realm::{AdminRealm, Realm, UserRealm},
    wire::passkeys::{PasskeyChallenge, PasskeyInfo, PasskeyPanel},
};

/// The browser's WebAuthn calls.
#[cfg(feature = "hydrate")]
mod browser {
    use js_sys::{Function, Object, Promise, Reflect, JSON};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn get(target: &JsValue, name: &str) -> Result<JsValue, JsValue> {
        Reflect::get(target, &JsValue::from_str(name))
    }

    fn method(target: &JsValue, name: &str) -> Result<Function, JsValue> {
        get(target, name)?.dyn_into::<Function>()
    }

    /// Whether this browser can use passkeys with WebAuthn's JSON form,
    /// here: never at an IP address (browsers refuse them there; the site
    /// is reached by its name, `localhost` in development).
    pub fn supported() -> bool {
        let Some(window) = web_sys::window() else { return false };
        let host = window.location().hostname().unwrap_or_default();
        if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() {
            return false;
        }
        get(&window, "PublicKeyCredential").is_ok_and(|pkc| {
            !pkc.is_undefined()
                && method(&pkc, "parseCreationOptionsFromJSON").is_ok()
                && method(&pkc, "parseRequestOptionsFromJSON").is_ok()
        })
    }

    fn message(err: JsValue) -> String {
        let name = get(&err, "name").ok().and_then(|n| n.as_string()).unwrap_or_default();
        match name.as_str() {
            "NotAllowedError" | "AbortError" => {
                "The passkey prompt was closed or timed out. Try again.".into()
            }
            "InvalidStateError" => "This device already holds a passkey of this account.".into(),
            "SecurityError" => "Passkeys are not available at this address of the site.".into(),
            _ => "The browser could not use a passkey. Try again.".into(),
        }
    }

    /// `navigator.credentials.create` (`create`) or `.get` with the
    /// server's options; the credential's JSON.
    pub async fn ceremony(create: bool, options: &str) -> Result<String, String> {
        let run = async {
            let window: JsValue = web_sys::window().ok_or(JsValue::NULL)?.into();
            let pkc = get(&window, "PublicKeyCredential")?;
            let parse = if create { "parseCreationOptionsFromJSON" } else { "parseRequestOptionsFromJSON" };
            let public_key = method(&pkc, parse)?.call1(&pkc, &JSON::parse(options)?)?;
            let request = Object::new();
            Reflect::set(&request, &JsValue::from_str("publicKey"), &public_key)?;
            let credentials = get(&get(&window, "navigator")?, "credentials")?;
            let call = method(&credentials, if create { "create" } else { "get" })?;
            let promise: Promise = call.call1(&credentials, &request)?.dyn_into()?;
            let credential = JsFuture::from(promise).await?;
            let json = method(&credential, "toJSON")?.call0(&credential)?;
            JSON::stringify(&json)?.as_string().ok_or(JsValue::NULL)
        };
        run.await.map_err(message)
    }

    /// Opens `to` as a new page load (a fresh signed-in page).
    pub fn go(to: &str) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_href(to);
        }
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    pub fn supported() -> bool {
        false
    }
    pub async fn ceremony(_create: bool, _options: &str) -> Result<String, String> {
        Err("Passkeys work in the browser only.".into())
    }
    pub fn go(_to: &str) {}
}

/// None on the server and until hydrated; then whether passkeys work here.
fn passkeys_supported() -> ReadSignal<Option<bool>> {
    let (supported, set) = signal(None);
    Effect::new(move || set.set(Some(browser::supported())));
    supported
}

/// Runs a passkey ceremony: `begin` on the server, the browser's prompt,
/// `finish` on the server with the answer.
async fn ceremony<T, B, F, FFut>(create: bool, begin: B, finish: F) -> Result<T, String>
where
    B: std::future::Future<Output = Result<PasskeyChallenge, AppError>>,
    F: FnOnce(String, String) -> FFut,
    FFut: std::future::Future<Output = Result<T, AppError>>,
{
    let challenge = begin.await.map_err(|e| e.to_string())?;
    let credential = browser::ceremony(create, &challenge.options).await?;
    finish(challenge.token, credential).await.map_err(|e| e.to_string())
}

/// A button that runs a ceremony which signs in, then opens where the
/// server says.
fn sign_in_button<B, Fut>(label: &'static str, test_id: &'static str, run: B) -> impl IntoView
where
    B: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<String, String>> + 'static,
{
    let supported = passkeys_supported();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let click = move |_| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match run().await {
                Ok(to) => browser::go(&to),
                Err(message) => {
                    error.set(Some(message));
                    busy.set(false);
                }
            }
        });
    };
    move || {
        (supported.get() == Some(true)).then(|| {
            view! {
                <div class="passkey-sign-in">
                    {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                    <button type="button" class="wide" data-testid=test_id on:click=click disabled=busy>
                        {move || if busy.get() { "Waiting for your passkey…" } else { label }}
                    </button>
                </div>
            }
        })
    }
}

/// A sign-in with a passkey to realm `R`: where to go next.
async fn sign_in_flow<R: PasskeyEndpoints>(next: Option<String>) -> Result<String, String> {
    ceremony(false, R::sign_in_begin(), |token, credential| R::sign_in(token, credential, next)).await
}

/// The sign-in flow of either realm, loaded on first use (`cargo leptos
/// build --split` puts it in a chunk of its own): the resident's sign-in
/// page is in the main bundle every first visit downloads; the ceremony's
/// code is wanted only by those who click.
#[leptos::lazy]
async fn passkey_sign_in_flow(realm: Realm, next: Option<String>) -> Result<String, String> {
    match realm {
        Realm::User => sign_in_flow::<UserRealm>(next).await,
        Realm::Admin => sign_in_flow::<AdminRealm>(next).await,
    }
}

/// "Sign in with a passkey" under a realm's sign-in form.
pub fn passkey_sign_in<R: PasskeyEndpoints>(next: Signal<String>) -> impl IntoView {
    sign_in_button("Sign in with a passkey", "passkey-sign-in", move || async move {
        let next = Some(next.get_untracked()).filter(|n| !n.is_empty());
        let to = passkey_sign_in_flow(R::REALM, next).await?;
        announce(R::REALM, SIGNED_IN);
        Ok(to)
    })
}

/// "Use your passkey" on the second step of a sign-in ("… instead" when
/// a code would do too).
pub fn passkey_second_step<R: PasskeyEndpoints>(besides_code: bool) -> impl IntoView {
    let label = if besides_code { "Use a passkey instead" } else { "Use your passkey" };
    sign_in_button(label, "passkey-second-step", move || async move {
        let to = ceremony(false, R::second_step_begin(), R::second_step).await?;
        announce(R::REALM, SIGNED_IN);
        Ok(to)
    })
}

fn passkey_row<S: crate::api::realm_endpoints::FormEndpoint>(
    p: PasskeyInfo,
    remove: ServerAction<S>,
    last_factor: bool,
    keep_last: bool,
) -> impl IntoView {
    let used = p.last_used.unwrap_or_else(|| "never".into());
    view! {
        <li class="passkey" data-testid="passkey">
            <div>
                <strong>{p.name}</strong>
                <span class="hint">" Added " {p.created} " · last used " {used}</span>
            </div>
            {(!keep_last).then(|| view! {
                <EndpointForm action=remove class="inline">
                    <input type="hidden" name="id" value=p.id.to_string() />
                    {last_factor.then(|| view! { <SignOutOthers /> })}
                    <button type="submit" class="small danger">"Remove"</button>
                </EndpointForm>
            })}
        </li>
    }
}

/// The account page's "Passkeys" panel.
pub fn passkey_panel<R: PasskeyEndpoints>() -> impl IntoView {
    let remove = ServerAction::<R::Remove>::new();
    let remove_error = submission_error(remove.value());
    let added = RwSignal::new(0u32);
    let state = Resource::new(move || (remove.version().get(), added.get()), |_| R::panel());
    let supported = passkeys_supported();
    let name = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let add_error = RwSignal::new(None::<String>);
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        add_error.set(None);
        leptos::task::spawn_local(async move {
            let done = ceremony(true, R::add_begin(name.get_untracked()), R::add).await;
            match done {
                Ok(()) => {
                    name.set(String::new());
                    added.update(|n| *n += 1);
                }
                Err(message) => add_error.set(Some(message)),
            }
            busy.set(false);
        });
    };
    let add_form = move |available: bool| {
        match (available, supported.get()) {
        (false, _) => view! {
            <p class="hint">"Passkeys are not available at this address of the site."</p>
        }
        .into_any(),
        (true, Some(true)) => view! {
            <form class="stack narrow" on:submit=add data-testid="passkey-add">
                {move || add_error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <div class="field">
                    <label for="passkey-name">"Name of the new passkey"</label>
                    <input id="passkey-name" type="text" name="name" maxlength="60" placeholder="e.g. My phone"
                        autocomplete="off" bind:value=name />
                </div>
                <button type="submit" class="primary" disabled=busy>
                    {move || if busy.get() { "Waiting for your passkey…" } else { "Add a passkey" }}
                </button>
            </form>
        }
        .into_any(),
        (true, Some(false)) => view! {
            <p class="hint">
                "Passkeys cannot be added here: this browser, or this address of the site, does not support them. "
                "A current Chrome, Edge, Firefox or Safari at the site's name can."
            </p>
        }
        .into_any(),
        (true, None) => ().into_any(),
    }
    };
    view! {
        <RefreshOnLiveChange refetch=move || state.refetch() />
        <section class="panel" data-testid="passkeys-panel">
            <h2>"Passkeys"</h2>
            <p>"Sign in with your phone's or computer's screen lock (fingerprint, face, PIN) instead of typing your email and password."</p>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(PasskeyPanel { available, passkeys, last_factor, keep_last }) => view! {
                            <FormError error=remove_error />
                            {if passkeys.is_empty() {
                                view! { <p class="empty" data-testid="no-passkeys">"No passkeys yet."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="passkeys">
                                        {passkeys.into_iter().map(|p| passkey_row(p, remove, last_factor, keep_last)).collect_view()}
                                    </ul>
                                }
                                .into_any()
                            }}
                            {keep_last.then(|| view! {
                                <p class="hint">"Staff accounts keep a second factor: set up an authenticator app before removing your last passkey."</p>
                            })}
                            {move || add_form(available)}
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
