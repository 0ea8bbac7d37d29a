//! The HTML shell, the root component and the router of both realms.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, SsrMode,
};

mod site_files;

use site_files::{HydrationScripts, SiteFiles};

use crate::pages::{
    admin::{
        AdminLoginRoute, AdminsRoute, AuditRoute, CollectionsRoute, ConsoleRoute, ResidentDetailRoute,
        SessionsRoute, SetupRoute, StaffAccountRoute, StaffPasswordResetConfirmRoute,
        StaffPasswordResetRoute, StaffRewardsRoute, StaffSecondStepRoute, UsersRoute,
    },
    home_page::HomePage,
    not_found_page::NotFoundPage,
    user::{
        AccountRoute, DashboardRoute, LoginPage, PasswordResetConfirmRoute, PasswordResetRoute,
        RegisterRoute, RewardsRoute, SecondStepRoute,
    },
};

/// The document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::security::content_security_policy(&options);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <link id="leptos" rel="stylesheet" href=SiteFiles::get(&options).stylesheet.as_str() />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Every page is rendered whole before the answer starts (`SsrMode::Async`):
/// its data is in the HTML, so a page reads complete without JavaScript (a
/// phone that has not loaded the wasm yet, a browser with script off), the
/// session cookie can still change with the response (a renewed id, a
/// one-shot value taken from the session), and the first byte waits only for
/// the page's own queries, a millisecond or two. Streamed out-of-order
/// rendering would show "Loading…" until script swaps the content in.
const WHOLE: SsrMode = SsrMode::Async;

/// Both realms' pages. Residents: `/login`, `/register`, `/dashboard`.
/// Staff: `/admin/login`, `/admin/setup`, `/admin`, `/admin/users`.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser: marks the document once the WASM has
    // taken over, for tests and styles that need to know.
    Effect::new(|| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Title formatter=|title: String| if title.is_empty() { "Eko".to_owned() } else { format!("{title} · Eko") } />
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("") view=HomePage ssr=WHOLE />
                <Route path=path!("login") view=LoginPage ssr=WHOLE />
                <Route path=path!("login/code") view={Lazy::<SecondStepRoute>::new()} ssr=WHOLE />
                <Route path=path!("register") view={Lazy::<RegisterRoute>::new()} ssr=WHOLE />
                <Route path=path!("dashboard") view={Lazy::<DashboardRoute>::new()} ssr=WHOLE />
                <Route path=path!("rewards") view={Lazy::<RewardsRoute>::new()} ssr=WHOLE />
                <Route path=path!("account") view={Lazy::<AccountRoute>::new()} ssr=WHOLE />
                <Route path=path!("password-reset") view={Lazy::<PasswordResetRoute>::new()} ssr=WHOLE />
                <Route path=path!("password-reset/confirm") view={Lazy::<PasswordResetConfirmRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin/login") view={Lazy::<AdminLoginRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin/login/code") view={Lazy::<StaffSecondStepRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin/setup") view={Lazy::<SetupRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin/password-reset") view={Lazy::<StaffPasswordResetRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin/password-reset/confirm") view={Lazy::<StaffPasswordResetConfirmRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin") view={Lazy::<ConsoleRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin/users") view={Lazy::<UsersRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin/users/:id") view={Lazy::<ResidentDetailRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin/collections") view={Lazy::<CollectionsRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin/rewards") view={Lazy::<StaffRewardsRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin/admins") view={Lazy::<AdminsRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin/sessions") view={Lazy::<SessionsRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin/audit") view={Lazy::<AuditRoute>::new()} ssr=WHOLE />
                <Route path=path!("admin/account") view={Lazy::<StaffAccountRoute>::new()} ssr=WHOLE />
            </Routes>
        </Router>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use std::collections::BTreeSet;

    use crate::realm::PAGES;

    #[tokio::test]
    async fn the_page_table_names_exactly_the_routes_of_the_router() {
        // The list is in axum's syntax (`{id}`), the table in the router's (`:id`).
        let routes: BTreeSet<String> = crate::server::startup::route_list()
            .into_iter()
            .map(|r| r.path().replace('{', ":").replace('}', ""))
            .collect();
        let table: BTreeSet<String> = PAGES.iter().map(|(path, _)| (*path).to_owned()).collect();
        assert_eq!(routes, table, "every route needs its entry in realm::PAGES (who may open it)");
    }
}
