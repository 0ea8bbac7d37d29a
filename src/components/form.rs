//! Form feedback.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;

/// The error of a form's last submission: the action's, once it ran in the
/// browser; before that, the one a plain (no-WASM) post was sent back with
/// in the `form_error` query parameter.
pub fn submission_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Send + Sync + Clone + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    let query = use_query_map();
    Signal::derive(move || match value.get() {
        Some(result) => result.err(),
        None => query.read().get("form_error").and_then(|raw| serde_json::from_str(&raw).ok()),
    })
}

/// The error of the last submission, unless it belongs to a single field.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| !matches!(e, AppError::Invalid { .. }))
            .map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })
    }
}

/// The message for one field, shown under it.
#[component]
pub fn FieldError(#[prop(into)] error: Signal<Option<AppError>>, field: &'static str) -> impl IntoView {
    move || {
        error
            .get()
            .and_then(|e| e.for_field(field))
            .map(|m| view! { <p class="field-error" id=format!("{field}-error")>{m}</p> })
    }
}
