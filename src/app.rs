//! The HTML shell, the root component and the router of both realms.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::pages::{
    admin::{
        AdminLoginPage, AdminsPage, AuditPage, CollectionsPage, ConsolePage, ResidentDetailPage,
        SessionsPage, SetupPage, StaffAccountPage, StaffPasswordResetConfirmPage, StaffPasswordResetPage,
        StaffRewardsPage, UsersPage,
    },
    home_page::HomePage,
    not_found_page::NotFoundPage,
    user::{
        AccountPage, DashboardPage, LoginPage, PasswordResetConfirmPage, PasswordResetPage, RegisterPage,
        RewardsPage,
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
        <Stylesheet id="leptos" href="/pkg/eko.css" />
        <Title formatter=|title: String| if title.is_empty() { "Eko".to_owned() } else { format!("{title} · Eko") } />
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("") view=HomePage />
                <Route path=path!("login") view=LoginPage />
                <Route path=path!("register") view=RegisterPage />
                <Route path=path!("dashboard") view=DashboardPage />
                <Route path=path!("rewards") view=RewardsPage />
                <Route path=path!("account") view=AccountPage />
                <Route path=path!("password-reset") view=PasswordResetPage />
                <Route path=path!("password-reset/confirm") view=PasswordResetConfirmPage />
                <Route path=path!("admin/login") view=AdminLoginPage />
                <Route path=path!("admin/setup") view=SetupPage />
                <Route path=path!("admin/password-reset") view=StaffPasswordResetPage />
                <Route path=path!("admin/password-reset/confirm") view=StaffPasswordResetConfirmPage />
                <Route path=path!("admin") view=ConsolePage />
                <Route path=path!("admin/users") view=UsersPage />
                <Route path=path!("admin/users/:id") view=ResidentDetailPage />
                <Route path=path!("admin/collections") view=CollectionsPage />
                <Route path=path!("admin/rewards") view=StaffRewardsPage />
                // Rendered whole before answering: the page takes a one-shot
                // value from the session, which must be saved with the response.
                <Route path=path!("admin/admins") view=AdminsPage ssr=SsrMode::Async />
                <Route path=path!("admin/sessions") view=SessionsPage />
                <Route path=path!("admin/audit") view=AuditPage />
                <Route path=path!("admin/account") view=StaffAccountPage />
            </Routes>
        </Router>
    }
}
