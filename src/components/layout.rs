//! Page frames. Public pages get a light header; each realm's private pages
//! get a frame that loads that realm's signed-in account and shows it with a
//! `Sign out` button, or sends a signed-out visitor to the realm's sign-in.

use leptos::{either::Either, prelude::*};
use leptos_router::{
    components::{Redirect, A},
    hooks::use_location,
};

use super::{
    brand::Brand,
    href::href,
    live_gate::{ExpiryWarning, LiveGate},
};
use crate::{
    api::{admin::AdminLogout, realm_endpoints::FormEndpoint, user::Logout},
    error::AppError,
    live::{
        watcher::{provide_live_session, LiveSession},
        EndReason,
    },
    realm::Realm,
    wire::{ResidentProfile, StaffProfile},
};

/// Fetches the frame's account again whenever the live session says so.
fn refetch_on_refresh<T>(live: LiveSession, me: Resource<Result<T, AppError>>)
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    Effect::watch(move || live.refresh.get(), move |_, _, _| me.refetch(), false);
}

/// Frame of the public pages (home, sign-in, registration, setup).
#[component]
pub fn PublicLayout(children: Children) -> impl IntoView {
    view! {
        <Topbar class="topbar" subtitle="San Pedro City CENRO" home="/" nav_label="Main">
            <A href="/login">"Residents"</A>
            <A href="/admin/login">"Staff"</A>
        </Topbar>
        <main class="public">{children()}</main>
        <Footer />
    }
}

/// The header of every frame: the brand, the main links (`children`) and,
/// in a realm, who is signed in.
#[component]
fn Topbar(
    class: &'static str,
    subtitle: &'static str,
    home: &'static str,
    nav_label: &'static str,
    #[prop(optional)] signed_in: Option<AnyView>,
    children: Children,
) -> impl IntoView {
    view! {
        <header class=class>
            <div class="topbar-inner">
                <Brand subtitle href=home />
                <nav class="topnav" aria-label=nav_label>{children()}</nav>
                {signed_in}
            </div>
        </header>
    }
}

/// Who is signed in (with their role, where the realm has roles) and the
/// realm's `Sign out` button, which tells the live session first.
fn signed_in_as<L: FormEndpoint>(
    role: Option<&'static str>,
    email: String,
    logout: ServerAction<L>,
    live: LiveSession,
) -> AnyView {
    let button = Box::new(move || {
        view! { <button type="submit" class="ghost" on:click=move |_| live.leave()>"Sign out"</button> }
            .into_any()
    });
    view! {
        <div class="who">
            {role.map(|role| view! { <span class="who-role">{role}</span> })}
            <span class="who-email" data-testid="signed-in-email">{email}</span>
            {L::action_form(logout, "inline", button)}
        </div>
    }
    .into_any()
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="footer">
            <p>"Eko · Waste-collection rewards programme of the City Environment and Natural Resources Office, San Pedro City, Laguna"</p>
        </footer>
    }
}

/// When the realm's account cannot be loaded. In the browser, the live
/// session decides what to show: a request can race a session id change
/// (password change in this tab), so it asks again before showing the
/// "signed out" notice in place. On the server, a plain redirect to the
/// realm's sign-in page, remembering where the visitor was.
#[component]
fn SignInAgain(realm: Realm, error: AppError, live: LiveSession) -> impl IntoView {
    let location = use_location();
    match error {
        AppError::Unauthenticated if cfg!(feature = "hydrate") => {
            Effect::new(move || live.recheck());
            Either::Left(view! { <Loading /> }.into_any())
        }
        AppError::Unauthenticated => {
            let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
            let path = href(realm.login_path(), &[("reason", &EndReason::Ended.as_str()), ("next", &here)]);
            Either::Left(view! { <Redirect path /> }.into_any())
        }
        other => Either::Right(view! {
            <main class="page">
                <div class="panel">
                    <p class="form-error" role="alert">{other.to_string()}</p>
                </div>
            </main>
        }),
    }
}

#[component]
fn Loading() -> impl IntoView {
    view! { <main class="page"><p class="loading">"Loading…"</p></main> }
}

/// The skeleton both realms' frames share: the live session gate, the
/// account (or a redirect to the realm's sign-in), the realm's header, the
/// expiry warning and the page.
fn realm_frame<T, H, V>(
    realm: Realm,
    me: Resource<Result<T, AppError>>,
    children: ChildrenFn,
    header: H,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    H: Fn(T, LiveSession) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let live = provide_live_session(realm);
    refetch_on_refresh(live, me);
    let children = StoredValue::new(children);
    let header = StoredValue::new(header);
    view! {
        <LiveGate live>
            <Transition fallback=Loading>
                {move || {
                    let (children, header) = (children.get_value(), header.get_value());
                    Suspend::new(async move {
                        match me.await {
                            Ok(account) => Either::Left(view! {
                                {header(account, live)}
                                <ExpiryWarning live />
                                <main class="page">{children()}</main>
                                <Footer />
                            }),
                            Err(error) => Either::Right(view! { <SignInAgain realm error live /> }),
                        }
                    })
                }}
            </Transition>
        </LiveGate>
    }
}

/// Frame of the resident pages.
#[component]
pub fn ResidentFrame(me: Resource<Result<ResidentProfile, AppError>>, children: ChildrenFn) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    realm_frame(Realm::User, me, children, move |resident: ResidentProfile, live: LiveSession| {
        let signed_in = signed_in_as(None, resident.email, logout, live);
        view! {
            <Topbar class="topbar realm-user" subtitle="Resident portal" home="/dashboard" nav_label="Resident" signed_in>
                <A href="/dashboard">"Dashboard"</A>
                <A href="/rewards">"Rewards"</A>
                <A href="/account">"Account"</A>
            </Topbar>
        }
    })
}

/// Frame of the console pages.
#[component]
pub fn StaffFrame(me: Resource<Result<StaffProfile, AppError>>, children: ChildrenFn) -> impl IntoView {
    let logout = ServerAction::<AdminLogout>::new();
    let location = use_location();
    realm_frame(Realm::Admin, me, children, move |staff: StaffProfile, live: LiveSession| {
        // A temporary password is changed before anything else.
        // Then a second factor, when the office requires one.
        let on_account_page = location.pathname.get_untracked() == "/admin/account";
        let must_change = staff.must_change_password && !on_account_page;
        let must_set_up = !staff.must_change_password && staff.two_step_required && !on_account_page;
        let role = staff.role;
        let signed_in = signed_in_as(Some(role.label()), staff.email, logout, live);
        view! {
            {must_change.then(|| view! { <Redirect path="/admin/account?required=1" /> })}
            {must_set_up.then(|| view! { <Redirect path=Realm::Admin.two_step_setup_path() /> })}
            <Topbar class="topbar realm-admin" subtitle="Staff console" home="/admin" nav_label="Console" signed_in>
                <A href="/admin" exact=true>"Console"</A>
                {role.can_view_residents().then(|| view! { <A href="/admin/users">"Residents"</A> })}
                <A href="/admin/collections">"Collections"</A>
                <A href="/admin/rewards">"Rewards"</A>
                {role.can_manage_staff().then(|| view! { <A href="/admin/admins">"Staff"</A> })}
                {role.can_manage_sessions().then(|| view! {
                    <A href="/admin/sessions">"Sessions"</A>
                    <A href="/admin/audit">"Audit"</A>
                })}
                <A href="/admin/account">"Account"</A>
            </Topbar>
        }
    })
}
