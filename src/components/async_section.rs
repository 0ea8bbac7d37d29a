//! A part of a page that waits for one loaded value: "Loading…" while the
//! first load is in flight, the part once it is there, or the error.

use std::sync::Arc;

use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

use super::live_gate::RefreshOnLiveChange;
use crate::error::AppError;

/// How an error shows in place of the part: a form error by default.
pub type ErrorView = fn(AppError) -> AnyView;

/// `<p class="form-error" role="alert">`: the error as it is.
pub fn error_alert(error: AppError) -> AnyView {
    view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any()
}

/// `<p class="notice" role="alert">`: why the part is not shown.
pub fn notice_alert(message: impl Into<String>) -> AnyView {
    let message: String = message.into();
    view! { <p class="notice" role="alert">{message}</p> }.into_any()
}

/// Waits for `of` (keeping what was shown while it loads again) and shows
/// `children(value)`, or the error: `forbidden` as a notice when the role
/// may not see it, else through `on_error` ([`error_alert`] unless given).
#[component]
pub fn AsyncSection<T, F, V>(
    of: Resource<Result<T, AppError>>,
    /// Shown while the first load is in flight (`Loading…` unless given).
    #[prop(optional, into)]
    fallback: Option<ViewFnOnce>,
    /// The notice for `Forbidden`.
    #[prop(optional)]
    forbidden: Option<&'static str>,
    /// How any other error shows.
    #[prop(optional)]
    on_error: Option<ErrorView>,
    children: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let fallback = fallback.unwrap_or_else(|| (|| view! { <p class="loading">"Loading…"</p> }).into());
    let children = Arc::new(children);
    let on_error = on_error.unwrap_or(error_alert);
    view! {
        <Transition fallback>
            {move || {
                let children = Arc::clone(&children);
                Suspend::new(async move {
                    match (of.await, forbidden) {
                        (Ok(value), _) => children(value).into_any(),
                        (Err(AppError::Forbidden), Some(message)) => notice_alert(message),
                        (Err(error), _) => on_error(error),
                    }
                })
            }}
        </Transition>
    }
}

/// What a part of a page showed last. A resident page's frame draws the
/// page anew when a live change refetches the account; until the fresh
/// value arrives, the last one stays on screen instead of a "Loading…"
/// flash. Made by the page, outside its frame, so it outlives the redraw.
pub struct LastShown<T: Send + Sync + 'static>(StoredValue<Option<T>>);

impl<T: Send + Sync + 'static> Clone for LastShown<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for LastShown<T> {}

impl<T: Clone + Send + Sync + 'static> Default for LastShown<T> {
    fn default() -> Self {
        Self(StoredValue::new(None))
    }
}

impl<T: Clone + Send + Sync + 'static> LastShown<T> {
    /// The `fallback` of the part's `<Transition>`: the last value through
    /// `view`, or "Loading…" before there is one.
    pub fn or_loading<V: IntoView + 'static>(
        self,
        view: impl Fn(T) -> V + Send + Sync + 'static,
    ) -> impl Fn() -> AnyView + Send + Sync + 'static {
        move || match self.0.get_value() {
            Some(value) => view(value).into_any(),
            None => view! { <p class="loading">"Loading…"</p> }.into_any(),
        }
    }

    /// The loaded value through `view`, kept for the next reload; or the
    /// error.
    pub fn show<V: IntoView + 'static>(
        self,
        loaded: Result<T, AppError>,
        view: impl FnOnce(T) -> V,
    ) -> AnyView {
        match loaded {
            Ok(value) => {
                // Only a browser reloads in place; a server render ends here.
                if cfg!(feature = "hydrate") {
                    self.0.set_value(Some(value.clone()));
                }
                view(value).into_any()
            }
            Err(error) => error_alert(error),
        }
    }
}

/// A part of a resident page that follows the live session: `of` is
/// fetched again when the account's data changes, and while it reloads the
/// last value stays on screen (see [`LastShown`]). `show(value, stale)`
/// draws it; `stale` is true for the last value, shown while a fresh one
/// loads.
#[component]
pub fn LiveSection<T, F, V>(of: Resource<Result<T, AppError>>, shown: LastShown<T>, show: F) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T, bool) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let show = Arc::new(show);
    let last = Arc::clone(&show);
    view! {
        <RefreshOnLiveChange refetch=move || of.refetch() />
        <Transition fallback=shown.or_loading(move |value| last(value, true))>
            {move || {
                let show = Arc::clone(&show);
                Suspend::new(async move { shown.show(of.await, |value| show(value, false)) })
            }}
        </Transition>
    }
}
