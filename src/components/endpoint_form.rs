//! `ActionForm` for a server function known only as a [`FormEndpoint`]
//! (what the pieces written once for both realms post to).

use leptos::prelude::*;

use crate::api::realm_endpoints::FormEndpoint;

/// `<form class=class>` posting `children`'s fields through `action`.
#[component]
pub fn EndpointForm<S: FormEndpoint>(
    action: ServerAction<S>,
    class: &'static str,
    children: Children,
) -> impl IntoView {
    S::action_form(action, class, children)
}
