//! Brute-force throttling of sign-in (per account, per client address).

use std::time::Duration;

use eko::{domain::AdminRole, realm::Realm, server::config::ThrottleSettings};
use reqwest::StatusCode;

use crate::helpers::{spawn_app_with, PASSWORD};

fn tight(account_attempts: i64, address_attempts: i64) -> ThrottleSettings {
    ThrottleSettings {
        account_attempts,
        address_attempts,
        base_lock: Duration::from_secs(2),
        max_lock: Duration::from_secs(8),
        ..ThrottleSettings::default()
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_with_the_same_answer_and_the_lock_lifts() {
    let app = spawn_app_with(|s| s.throttle = tight(3, 100)).await;
    let email = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    assert_eq!(browser.sign_in(Realm::User, &email).await.status, StatusCode::OK, "works before any failure");
    let wrong = browser.sign_in_with(Realm::User, &email, "not the password at all").await;
    for _ in 0..2 {
        browser.sign_in_with(Realm::User, &email, "not the password at all").await;
    }
    // Locked: even the right password gets the generic answer, no session.
    let locked = browser.sign_in(Realm::User, &email).await;
    assert_eq!(locked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(locked.body, wrong.body);
    assert!(locked.set_cookies.is_empty());

    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert_eq!(browser.sign_in(Realm::User, &email).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_success_clears_the_accounts_counter() {
    let app = spawn_app_with(|s| s.throttle = tight(3, 100)).await;
    let email = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    for _ in 0..2 {
        browser.sign_in_with(Realm::User, &email, "not the password at all").await;
    }
    assert_eq!(browser.sign_in(Realm::User, &email).await.status, StatusCode::OK);
    for _ in 0..2 {
        browser.sign_in_with(Realm::User, &email, "not the password at all").await;
    }
    assert_eq!(browser.sign_in(Realm::User, &email).await.status, StatusCode::OK, "counting started over");
}

#[tokio::test]
async fn one_address_failing_on_many_accounts_is_told_to_wait_and_a_forged_forwarded_header_does_not_help() {
    let app = spawn_app_with(|s| s.throttle = tight(100, 3)).await;
    let email = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    for n in 0..3 {
        browser.sign_in_with(Realm::User, &format!("guess{n}@example.ph"), PASSWORD).await;
    }
    let reply = browser.sign_in(Realm::User, &email).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.body.contains("TooManyAttempts"));

    let client = reqwest::Client::new();
    let spoofed = client
        .post(format!("{}/api/user/login", app.address))
        .header("x-forwarded-for", "198.51.100.7")
        .form(&[("email", email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(spoofed.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_is_counted_on_its_own() {
    let app = spawn_app_with(|s| {
        s.throttle = tight(100, 2);
        s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let email = app.approved_resident("ana@example.ph").await;
    let client = reqwest::Client::new();
    let sign_in = |from: &'static str, password: &'static str| {
        let (client, url, email) = (client.clone(), format!("{}/api/user/login", app.address), email.clone());
        async move {
            client
                .post(url)
                .header("x-forwarded-for", from)
                .form(&[("email", email.as_str()), ("password", password)])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    sign_in("203.0.113.5", "wrong password one").await;
    sign_in("203.0.113.5", "wrong password two").await;
    assert_eq!(sign_in("203.0.113.5", PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sign_in("203.0.113.6", PASSWORD).await, StatusCode::OK);
}

#[tokio::test]
async fn a_lockout_in_one_realm_leaves_the_other_realm_alone() {
    let app = spawn_app_with(|s| s.throttle = tight(2, 2)).await;
    let email = app.approved_resident("ana@example.ph").await;
    let staff = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let browser = app.browser();
    for _ in 0..3 {
        browser.sign_in_with(Realm::User, &email, "not the password at all").await;
    }
    assert_ne!(browser.sign_in(Realm::User, &email).await.status, StatusCode::OK);
    assert_eq!(browser.sign_in(Realm::Admin, &staff).await.status, StatusCode::OK);
    assert_eq!(browser.whoami(Realm::Admin).await.as_deref(), Some(staff.as_str()));
}
