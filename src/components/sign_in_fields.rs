//! The inside of both realms' sign-in forms: why the visitor is here, what
//! went wrong, and the two fields.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{components::FormError, error::AppError, live::EndReason};

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
        <div class="field">
            <label for="email">"Email"</label>
            <input id="email" type="email" name="email" autocomplete="username" required maxlength="254" />
        </div>
        <div class="field">
            <label for="password">"Password"</label>
            <input id="password" type="password" name="password" autocomplete="current-password" required maxlength="1024" />
        </div>
        <button type="submit" class="primary wide" disabled=pending>
            {move || if pending.get() { "Signing in…" } else { "Sign in" }}
        </button>
    }
}
