//! The card of the signed-out pages of a realm (sign-in, password reset)
//! and the realm's words on it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{components::PublicLayout, realm::Realm};

/// The line above a realm's sign-in heading.
pub fn eyebrow(realm: Realm) -> &'static str {
    match realm {
        Realm::User => "Resident portal",
        Realm::Admin => "Staff console",
    }
}

/// The classes of a realm's sign-in card.
pub fn card_class(realm: Realm) -> &'static str {
    match realm {
        Realm::User => "auth-card",
        Realm::Admin => "auth-card staff",
    }
}

/// The card around a realm's signed-out page, titled `title` (and headed
/// `heading`, when that differs).
#[component]
pub fn AuthCard(
    realm: Realm,
    title: &'static str,
    #[prop(optional)] heading: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <Title text=title />
        <PublicLayout>
            <section class=card_class(realm)>
                <p class="eyebrow">{eyebrow(realm)}</p>
                <h1>{heading.unwrap_or(title)}</h1>
                {children()}
            </section>
        </PublicLayout>
    }
}
