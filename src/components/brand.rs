//! The brand mark.

use leptos::prelude::*;

/// The brand mark, shared by every header.
#[component]
pub fn Brand(#[prop(into)] subtitle: String, href: &'static str) -> impl IntoView {
    view! {
        <a class="brand" href=href>
            <span class="brand-mark" aria-hidden="true">"♻"</span>
            <span class="brand-name">"Eko"</span>
            <span class="brand-sub">{subtitle}</span>
        </a>
    }
}
