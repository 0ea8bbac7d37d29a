//! Route guards: each realm's private pages send a signed-out visitor to
//! that realm's sign-in page, with a reason, never an error page.

use std::time::Duration;

use eko::{domain::AdminRole, realm::Realm};
use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with, wait_past};

fn reason_of(location: &str) -> Option<String> {
    location.split(['?', '&']).find_map(|p| p.strip_prefix("reason=")).map(str::to_owned)
}

#[tokio::test]
async fn a_visitor_without_a_session_is_sent_to_the_realms_own_sign_in_page() {
    let app = spawn_app().await;
    let browser = app.browser();
    for (path, login) in
        [("/dashboard", "/login"), ("/admin", "/admin/login"), ("/admin/users", "/admin/login")]
    {
        let reply = browser.get(path).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
        let location = reply.location.unwrap();
        assert!(location.starts_with(&format!("{login}?")), "{path} → {location}");
        assert_eq!(reason_of(&location).as_deref(), Some("required"));
        assert!(location.contains(&format!("next={}", path.replace('/', "%2F"))), "{location}");
    }
}

#[tokio::test]
async fn public_pages_render_for_anyone() {
    let app = spawn_app().await;
    let browser = app.browser();
    for (path, text) in [
        ("/", "Recycle, earn points"),
        ("/login", "Sign in"),
        ("/register", "Create an account"),
        ("/admin/login", "Sign in"),
        ("/admin/setup", "Set up Eko"),
    ] {
        let reply = browser.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(reply.body.contains(text), "{path} should show {text:?}");
    }
    assert!(browser.get("/register").await.body.contains("Santo Niño"), "barangays are listed");
}

#[tokio::test]
async fn an_unknown_page_is_a_friendly_404() {
    let app = spawn_app().await;
    let reply = app.browser().get("/no/such/page").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("Page not found"));
}

#[tokio::test]
async fn a_corrupted_or_forged_cookie_leads_to_the_sign_in_page_with_a_friendly_reason() {
    let app = spawn_app().await;
    let browser = app.browser();
    for value in ["%%%garbage", "AAAAAAAAAAAAAAAAAAAAAA", &"x".repeat(4000)] {
        browser.set_cookie("eko_user", value);
        let reply = browser.get("/dashboard").await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(reason_of(&reply.location.unwrap()).as_deref(), Some("ended"));
        let login = browser.get("/login?reason=ended").await;
        assert_eq!(login.status, StatusCode::OK);
        assert!(login.body.contains("no longer valid"));
    }
}

#[tokio::test]
async fn an_expired_session_is_sent_to_sign_in_with_an_expiry_message() {
    let app = spawn_app_with(|s| {
        s.admin.idle = Duration::from_secs(1);
        s.admin.absolute = Duration::from_secs(60);
    })
    .await;
    let staff = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let browser = app.browser();
    browser.sign_in(Realm::Admin, &staff).await;
    assert_eq!(browser.get("/admin").await.status, StatusCode::OK);
    wait_past(1).await;
    let reply = browser.get("/admin/users").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let location = reply.location.unwrap();
    assert!(location.starts_with("/admin/login?"));
    assert_eq!(reason_of(&location).as_deref(), Some("expired"));
    let login = browser.get(&location).await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.body.contains("Your session expired"));
}

#[tokio::test]
async fn signed_in_pages_show_the_account_and_a_sign_out_button() {
    let app = spawn_app().await;
    let resident = app.approved_resident("ana@example.ph").await;
    let staff = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &resident).await;
    browser.sign_in(Realm::Admin, &staff).await;
    for (path, heading, email) in [
        ("/dashboard", "<h1>Dashboard</h1>", &resident),
        ("/admin", "<h1>Console</h1>", &staff),
        ("/admin/users", "<h1>Residents</h1>", &staff),
    ] {
        let reply = browser.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(reply.body.contains(heading), "{path} should have {heading}");
        assert!(reply.body.contains(email.as_str()), "{path} should show {email}");
        assert!(reply.body.contains("Sign out"), "{path} should offer Sign out");
    }
}

#[tokio::test]
async fn private_pages_are_not_cached() {
    let app = spawn_app().await;
    let resident = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &resident).await;
    let reply = browser.get("/dashboard").await;
    assert_eq!(reply.status, StatusCode::OK);
    // reqwest hides headers in Reply; fetch again for them
    let client = reqwest::Client::new();
    let response = client
        .get(format!("{}/dashboard", app.address))
        .header("cookie", format!("eko_user={}", browser.cookie("eko_user").unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
}
