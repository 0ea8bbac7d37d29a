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

/// Signs in to the user realm as if from `from` (the app trusts 127.0.0.1
/// as its proxy); the status.
async fn sign_in_from(app: &crate::helpers::TestApp, from: &str, email: &str, password: &str) -> StatusCode {
    reqwest::Client::new()
        .post(format!("{}/api/user/login", app.address))
        .header("x-forwarded-for", from)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
        .status()
}

async fn count_rows(app: &crate::helpers::TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(app.db().pool()).await.unwrap()
}

#[tokio::test]
async fn sixty_parallel_wrong_passwords_count_every_guess_and_the_right_one_from_there_is_refused() {
    let app = spawn_app_with(|s| {
        s.throttle = ThrottleSettings {
            base_lock: Duration::from_secs(60),
            max_lock: Duration::from_secs(600),
            ..tight(5, 1000)
        };
        s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let email = app.approved_resident("ana@example.ph").await;
    let attacker = "203.0.113.5";
    let guesses = futures::future::join_all((0..60).map(|n| {
        let (app, email) = (&app, email.clone());
        async move { sign_in_from(app, attacker, &email, &format!("wrong guess number {n}")).await }
    }))
    .await;
    assert!(guesses.iter().all(|s| *s == StatusCode::UNAUTHORIZED), "{guesses:?}");
    // Only the allowance got as far as a password check: those failures
    // are audited one by one, the rest were refused without one.
    let checked = count_rows(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE kind = 'sign_in_failed' AND outcome = 'refused'").await;
    assert_eq!(checked, 5, "exactly the allowance of guesses was checked");
    // The right password from the guessing address is refused…
    assert_eq!(sign_in_from(&app, attacker, &email, PASSWORD).await, StatusCode::UNAUTHORIZED);
    // …but the owner elsewhere gets in: a lock is never the owner's.
    assert_eq!(sign_in_from(&app, "198.51.100.7", &email, PASSWORD).await, StatusCode::OK);
}

#[tokio::test]
async fn parallel_guesses_from_one_address_over_many_accounts_are_all_counted() {
    let app = spawn_app_with(|s| {
        s.throttle = ThrottleSettings {
            base_lock: Duration::from_secs(60),
            max_lock: Duration::from_secs(600),
            ..tight(100, 10)
        }
    })
    .await;
    let email = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    let replies =
        futures::future::join_all((0..40).map(|n| {
            let browser = browser.clone();
            async move {
                browser.sign_in_with(Realm::User, &format!("guess{n}@example.ph"), PASSWORD).await.status
            }
        }))
        .await;
    let told_to_wait = replies.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(told_to_wait, 30, "{replies:?}");
    assert_eq!(browser.sign_in(Realm::User, &email).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn guessing_one_account_from_many_addresses_slows_the_answers_but_the_owner_still_gets_in() {
    let app = spawn_app_with(|s| {
        s.throttle = tight(3, 1000);
        s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let email = app.approved_resident("ana@example.ph").await;
    for n in 0..5 {
        sign_in_from(&app, &format!("203.0.113.{n}"), &email, "not the password at all").await;
    }
    // Five attempts against an allowance of three: this answer waits (a
    // lower bound only; the exact wait is policy, see README).
    let started = std::time::Instant::now();
    let owner = sign_in_from(&app, "198.51.100.7", &email, PASSWORD).await;
    assert_eq!(owner, StatusCode::OK, "the right password is never refused for others' guesses");
    assert!(started.elapsed() >= Duration::from_millis(900), "answer came after {:?}", started.elapsed());
    let slowed = count_rows(
        &app,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE kind = 'lockout' AND outcome = 'slowed'",
    )
    .await;
    assert_eq!(slowed, 1);
}

#[tokio::test]
async fn a_locked_address_is_audited_once_per_lock_however_often_it_knocks() {
    let app = spawn_app_with(|s| {
        s.throttle = ThrottleSettings {
            base_lock: Duration::from_secs(60),
            max_lock: Duration::from_secs(600),
            ..tight(100, 2)
        }
    })
    .await;
    let browser = app.browser();
    for n in 0..2 {
        browser.sign_in_with(Realm::User, &format!("guess{n}@example.ph"), PASSWORD).await;
    }
    for n in 0..50 {
        let reply = browser.sign_in_with(Realm::User, &format!("more{n}@example.ph"), PASSWORD).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    }
    let refusals = count_rows(
        &app,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE kind = 'sign_in_failed' AND outcome = 'address_locked'",
    )
    .await;
    assert_eq!(refusals, 1, "one 'still locked' record per lock period");
    let total = count_rows(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log").await;
    assert!(total <= 4, "{total} audit rows for 52 requests");
}

#[tokio::test]
async fn guessing_the_current_password_with_a_stolen_session_is_throttled_and_audited() {
    let app = spawn_app_with(|s| {
        s.throttle = ThrottleSettings {
            base_lock: Duration::from_secs(60),
            max_lock: Duration::from_secs(600),
            ..tight(5, 1000)
        }
    })
    .await;
    let email = app.approved_resident("ana@example.ph").await;
    let thief = app.browser();
    assert_eq!(thief.sign_in(Realm::User, &email).await.status, StatusCode::OK);
    let change = |current: &'static str| {
        let thief = thief.clone();
        async move {
            thief
                .post(
                    "/api/user/change_password",
                    &[
                        ("current_password", current),
                        ("new_password", "a completely new passphrase"),
                        ("confirm_password", "a completely new passphrase"),
                    ],
                )
                .await
                .status
        }
    };
    let mut answers = Vec::new();
    for _ in 0..25 {
        answers.push(change("not the current password").await);
    }
    assert_eq!(answers.iter().filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY).count(), 5, "{answers:?}");
    assert_eq!(answers.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count(), 20, "{answers:?}");
    // Locked: even the right current password waits for the lock to lift.
    assert_eq!(change(PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
    let lockouts = count_rows(
        &app,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE kind = 'lockout' AND outcome = 'locked'",
    )
    .await;
    assert!(lockouts >= 1);
    let wrong = count_rows(
        &app,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE kind = 'password_change_failed' AND outcome = 'refused'",
    )
    .await;
    assert_eq!(wrong, 5);
}
