//! What a realm page shows when its session ends while it is open: the
//! private content goes, a notice says why, and a sign-in form brings the
//! page back in place.

use leptos::{either::Either, prelude::*};
use leptos_router::hooks::use_location;

use super::{brand::Brand, sign_in_fields::SignInFields};
use crate::{
    api::{admin::AdminLogin, user::Login},
    components::submission_error,
    live::{
        watcher::{LiveSession, LiveState, SIGNED_IN},
        EndReason,
    },
    realm::Realm,
};

/// Renders `children` while the realm session lives, the ended notice
/// otherwise.
#[component]
pub fn LiveGate(live: LiveSession, children: ChildrenFn) -> impl IntoView {
    move || match live.state.get() {
        LiveState::Active => Either::Left(children()),
        LiveState::Ended(reason) => Either::Right(view! { <SessionEnded live reason /> }),
    }
}

#[component]
fn SessionEnded(live: LiveSession, reason: EndReason) -> impl IntoView {
    let location = use_location();
    let next = Signal::derive(move || format!("{}{}", location.pathname.get(), location.search.get()));
    let form = match live.realm {
        Realm::User => {
            let login = ServerAction::<Login>::new();
            signed_in_again(live, login.value());
            let error = submission_error(login.value());
            Either::Left(view! {
                <ActionForm action=login attr:class="stack">
                    <SignInFields error pending=login.pending().into() next show_reason=false />
                </ActionForm>
            })
        }
        Realm::Admin => {
            let login = ServerAction::<AdminLogin>::new();
            signed_in_again(live, login.value());
            let error = submission_error(login.value());
            Either::Right(view! {
                <ActionForm action=login attr:class="stack">
                    <SignInFields error pending=login.pending().into() next show_reason=false />
                </ActionForm>
            })
        }
    };
    let (eyebrow, class, header) = match live.realm {
        Realm::User => ("Resident portal", "auth-card", "topbar realm-user"),
        Realm::Admin => ("Staff console", "auth-card staff", "topbar realm-admin"),
    };
    view! {
        <header class=header>
            <div class="topbar-inner">
                <Brand subtitle=eyebrow href=live.realm.login_path() />
            </div>
        </header>
        <main class="page">
            <section class=class data-testid="session-ended">
                <p class="eyebrow">{eyebrow}</p>
                <p class="notice" role="alert" data-testid="session-notice">{reason.notice()}</p>
                <h1>"Sign in"</h1>
                {form}
            </section>
        </main>
    }
}

/// After a successful sign-in from the notice: the page comes back, and the
/// realm's other tabs hear of it.
fn signed_in_again<S>(live: LiveSession, value: S)
where
    S: Get<Value = Option<Result<(), crate::error::AppError>>> + Send + Sync + 'static,
{
    Effect::new(move || {
        if matches!(value.get(), Some(Ok(()))) {
            live.announce(SIGNED_IN);
            live.restore();
        }
    });
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
