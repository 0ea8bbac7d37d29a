//! What a realm page shows when its session ends while it is open: the
//! private content goes, a notice says why, and a sign-in form brings the
//! page back in place.

use leptos::{either::Either, prelude::*};
use leptos_router::hooks::use_location;

use super::{
    auth_card::{card_class, eyebrow},
    brand::Brand,
    sign_in_fields::sign_in_form,
};
use crate::{
    api::realm_endpoints::RealmEndpoints,
    live::{
        watcher::{LiveSession, LiveState},
        EndReason,
    },
    realm::{AdminRealm, Realm, UserRealm},
};

/// Renders `children` while the realm session lives, the ended notice
/// otherwise.
#[component]
pub fn LiveGate(live: LiveSession, children: ChildrenFn) -> impl IntoView {
    move || match live.state.get() {
        LiveState::Active => Either::Left(children()),
        // The frame knows its realm at run time; the notice's sign-in form
        // posts to that realm's endpoint.
        LiveState::Ended(reason) => Either::Right(untrack(|| match live.realm {
            Realm::User => session_ended::<UserRealm>(live, reason).into_any(),
            Realm::Admin => session_ended::<AdminRealm>(live, reason).into_any(),
        })),
    }
}

/// The notice of why the session ended and a sign-in form; after signing
/// in, the page comes back (and the realm's other tabs hear of it).
fn session_ended<R: RealmEndpoints>(live: LiveSession, reason: EndReason) -> impl IntoView {
    let location = use_location();
    let next = Signal::derive(move || format!("{}{}", location.pathname.get(), location.search.get()));
    let header = match R::REALM {
        Realm::User => "topbar realm-user",
        Realm::Admin => "topbar realm-admin",
    };
    view! {
        <header class=header>
            <div class="topbar-inner">
                <Brand subtitle=eyebrow(R::REALM) href=R::REALM.login_path() />
            </div>
        </header>
        <main class="page">
            <section class=card_class(R::REALM) data-testid="session-ended">
                <p class="eyebrow">{eyebrow(R::REALM)}</p>
                <p class="notice" role="alert" data-testid="session-notice">{reason.notice()}</p>
                <h1>"Sign in"</h1>
                {sign_in_form::<R>(next, false, move || live.restore())}
            </section>
        </main>
    }
}

/// The "your session is about to expire" notice with `Stay signed in`.
#[component]
pub fn ExpiryWarning(live: LiveSession) -> impl IntoView {
    move || {
        live.warning.get().map(|_| {
            view! {
                <div class="expiry-warning" role="status" data-testid="expiry-warning">
                    <p>"Your session is about to expire because of inactivity."</p>
                    <button type="button" class="small primary" on:click=move |_| live.stay_signed_in()>
                        "Stay signed in"
                    </button>
                </div>
            }
        })
    }
}

/// Calls `refetch` whenever the page's live session says the account's data
/// changed, or, with `directory`, anyone's sessions (must sit inside a realm
/// frame).
#[component]
pub fn RefreshOnLiveChange<F>(refetch: F, #[prop(default = false)] directory: bool) -> impl IntoView
where
    F: Fn() + Send + Sync + 'static,
{
    if let Some(live) = use_context::<LiveSession>() {
        Effect::watch(
            move || (live.refresh.get(), directory.then(|| live.directory.get())),
            move |_, _, _| refetch(),
            false,
        );
    }
}
