//! A button in a table row that posts one action about that row.

use leptos::prelude::*;

use super::IdempotencyField;
use crate::api::realm_endpoints::FormEndpoint;

/// An inline `ActionForm` for `action`: the hidden `fields` that name the
/// row, and one button (`text`, with the accessible name `label`).
#[component]
pub fn RowAction<S: FormEndpoint>(
    action: ServerAction<S>,
    /// The hidden fields: name and value.
    fields: Vec<(&'static str, String)>,
    /// The button's classes.
    class: &'static str,
    /// The button's accessible name (what it does to which row).
    label: String,
    text: &'static str,
    /// A write done once per submission (see [`IdempotencyField`]).
    #[prop(optional)]
    idempotent: bool,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    S::action_form(
        action,
        "inline",
        Box::new(move || {
            view! {
                {idempotent.then(|| view! { <IdempotencyField action /> })}
                {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
                <button type="submit" class=class disabled=disabled aria-label=label>{text}</button>
            }
            .into_any()
        }),
    )
}
