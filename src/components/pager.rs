//! Previous / next links under a paged list.

use leptos::prelude::*;

/// "← Previous · Page 2 of 5 · Next →"; `link(n)` is the address of page
/// `n` (the list is paged on the server, so these are plain links).
#[component]
pub fn Pager<F>(
    current: i64,
    pages: i64,
    link: F,
    #[prop(default = "Pages")] label: &'static str,
) -> impl IntoView
where
    F: Fn(i64) -> String + 'static,
{
    (pages > 1).then(|| {
        let previous = (current > 1).then(|| link(current - 1));
        let next = (current < pages).then(|| link(current + 1));
        view! {
            <nav class="pager" aria-label=label>
                {previous.map(|href| view! { <a href=href>"← Previous"</a> })}
                <span>"Page " {current} " of " {pages}</span>
                {next.map(|href| view! { <a href=href>"Next →"</a> })}
            </nav>
        }
    })
}
