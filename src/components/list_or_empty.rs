//! A list, or the sentence that stands in for it when there is nothing to
//! list.

use leptos::{either::Either, prelude::*};

/// `children(items)`, or `<p class="empty">` saying `empty` when there are
/// no items.
#[component]
pub fn ListOrEmpty<T, F, V>(
    items: Vec<T>,
    /// What the paragraph says in place of an empty list.
    #[prop(into)]
    empty: ViewFnOnce,
    children: F,
) -> impl IntoView
where
    T: 'static,
    F: FnOnce(Vec<T>) -> V + 'static,
    V: IntoView + 'static,
{
    if items.is_empty() {
        Either::Left(view! { <p class="empty">{empty.run()}</p> })
    } else {
        Either::Right(children(items))
    }
}
