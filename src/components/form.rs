//! Form feedback.

use leptos::prelude::*;

use crate::error::AppError;

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
