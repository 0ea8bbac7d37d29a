//! A button in a table row that posts one action about that row.

use leptos::{
    prelude::*,
    server_fn::{client::Client, codec::PostUrl, request::ClientReq, Http, ServerFn},
};
use serde::de::DeserializeOwned;

use super::IdempotencyField;
use crate::error::AppError;

/// An inline `ActionForm` for `action`: the hidden `fields` that name the
/// row, and one button (`text`, with the accessible name `label`).
#[component]
pub fn RowAction<S, P>(
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
) -> impl IntoView
where
    S: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, P>, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    <<S::Client as Client<AppError>>::Request as ClientReq<AppError>>::FormData:
        From<leptos::web_sys::FormData>,
    S::Output: Clone + Send + Sync + 'static,
    S::Client: Client<AppError>,
{
    view! {
        <ActionForm action attr:class="inline">
            {idempotent.then(|| view! { <IdempotencyField action /> })}
            {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
            <button type="submit" class=class disabled=disabled aria-label=label>{text}</button>
        </ActionForm>
    }
}
