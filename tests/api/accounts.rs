//! Registration, sign-in rules, approval and the first super admin.

use eko::{domain::AdminRole, realm::Realm, server::db};
use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with, PASSWORD};

fn registration<'a>(email: &'a str, password: &'a str, barangay: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![("name", "Maria Dela Paz"), ("email", email), ("password", password), ("barangay", barangay)]
}

#[tokio::test]
async fn a_registration_creates_a_pending_account_that_cannot_sign_in_yet() {
    let app = spawn_app().await;
    let browser = app.browser();
    let reply = browser.post("/api/user/register", &registration("new@example.ph", PASSWORD, "3")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.set_cookies.is_empty(), "registration signs nobody in");
    assert_eq!(
        db::residents::count_by_status(app.db(), eko::domain::AccountStatus::Pending).await.unwrap(),
        1
    );

    let login = browser.sign_in(Realm::User, "new@example.ph").await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn invalid_registrations_are_refused_with_a_message_and_change_nothing() {
    let app = spawn_app().await;
    let browser = app.browser();
    let too_long = "x".repeat(129);
    let cases = [
        registration("not-an-email", PASSWORD, "3"),
        registration("ok@example.ph", "too short", "3"),
        registration("ok@example.ph", &too_long, "3"),
        registration("ok@example.ph", "123456789012345", "3"),
        registration("ok@example.ph", PASSWORD, "999"),
        registration("ok@example.ph", PASSWORD, "'; DROP TABLE residents; --"),
        vec![("name", ""), ("email", "ok@example.ph"), ("password", PASSWORD), ("barangay", "3")],
        vec![
            ("name", "<script>alert(1)</script>\u{0000}"),
            ("email", "ok@example.ph"),
            ("password", PASSWORD),
            ("barangay", "3"),
        ],
    ];
    for form in cases {
        let reply = browser.post("/api/user/register", &form).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{form:?} → {}", reply.body);
        assert!(reply.body.contains("Invalid"), "{}", reply.body);
    }
    for status in [eko::domain::AccountStatus::Pending, eko::domain::AccountStatus::Approved] {
        assert_eq!(db::residents::count_by_status(app.db(), status).await.unwrap(), 0);
    }
}

#[tokio::test]
async fn registering_a_taken_email_answers_like_a_new_one_and_mails_the_owner_instead() {
    let app = spawn_app().await;
    let browser = app.browser();
    let first = browser.post("/api/user/register", &registration("dup@example.ph", PASSWORD, "3")).await;
    let again = browser.post("/api/user/register", &registration("DUP@Example.PH", PASSWORD, "4")).await;
    let fresh = browser.post("/api/user/register", &registration("fresh@example.ph", PASSWORD, "4")).await;
    assert_eq!(first.status, StatusCode::OK);
    // The same answer: nothing tells whether the email has an account.
    assert_eq!((again.status, &again.body), (fresh.status, &fresh.body));
    assert_eq!(
        db::residents::count_by_status(app.db(), eko::domain::AccountStatus::Pending).await.unwrap(),
        2,
        "the taken email made no second account"
    );
    // The owner hears of it; the new registrant gets a receipt.
    let mut owner_mails = Vec::new();
    for _ in 0..100 {
        owner_mails = app.mails_to("dup@example.ph");
        if owner_mails.len() == 2 && !app.mails_to("fresh@example.ph").is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(owner_mails.len(), 2, "a receipt, then the warning");
    assert!(owner_mails
        .iter()
        .any(|m| m.contains("Someone tried to register") && m.contains("/password-reset")));
    assert!(app.mails_to("fresh@example.ph")[0].contains("waiting for approval"));
}

#[tokio::test]
async fn registrations_from_one_address_are_throttled_even_in_parallel() {
    let app = spawn_app_with(|s| s.throttle.register_address_attempts = 3).await;
    let browser = app.browser();
    let replies = futures::future::join_all((0..12).map(|n| {
        let browser = browser.clone();
        async move {
            let email = format!("burst{n}@example.ph");
            browser.post("/api/user/register", &registration(&email, PASSWORD, "3")).await.status
        }
    }))
    .await;
    let accepted = replies.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = replies.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((accepted, refused), (3, 9), "{replies:?}");
    assert_eq!(
        db::residents::count_by_status(app.db(), eko::domain::AccountStatus::Pending).await.unwrap(),
        3
    );
}

#[tokio::test]
async fn every_failed_sign_in_gets_the_same_answer() {
    let app = spawn_app().await;
    let approved = app.approved_resident("ok@example.ph").await;
    app.pending_resident("pending@example.ph").await;
    let browser = app.browser();
    let answers = [
        browser.sign_in_with(Realm::User, "nobody@example.ph", PASSWORD).await,
        browser.sign_in_with(Realm::User, &approved, "wrong password here").await,
        browser.sign_in_with(Realm::User, "pending@example.ph", PASSWORD).await,
        browser.sign_in_with(Realm::User, "not an email", PASSWORD).await,
    ];
    for answer in &answers {
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert_eq!(answer.body, answers[0].body);
        assert!(answer.set_cookies.is_empty());
    }
}

#[tokio::test]
async fn a_resident_cannot_sign_in_to_the_console_and_staff_cannot_sign_in_as_residents() {
    let app = spawn_app().await;
    let resident = app.approved_resident("ana@example.ph").await;
    let staff = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let browser = app.browser();
    assert_eq!(browser.sign_in(Realm::Admin, &resident).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(browser.sign_in(Realm::User, &staff).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_in_sends_the_browser_back_only_to_a_page_of_its_own_realm() {
    let app = spawn_app().await;
    let resident = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    let reply = browser
        .post(
            "/api/user/login",
            &[("email", resident.as_str()), ("password", PASSWORD), ("next", "https://evil.example/")],
        )
        .await;
    assert_eq!(reply.location.as_deref(), Some("/dashboard"));
    let reply = browser
        .post(
            "/api/user/login",
            &[("email", resident.as_str()), ("password", PASSWORD), ("next", "/dashboard?tab=1")],
        )
        .await;
    assert_eq!(reply.location.as_deref(), Some("/dashboard?tab=1"));
}

#[tokio::test]
async fn an_operations_manager_approves_a_pending_resident_who_can_then_sign_in() {
    let app = spawn_app().await;
    let id = app.pending_resident("new@example.ph").await;
    let ops = app.staff("ops@cenro.example.ph", AdminRole::OperationsManager).await;
    let console = app.browser();
    console.sign_in(Realm::Admin, &ops).await;

    let list = console.post("/api/admin/pending_residents", &[]).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("new@example.ph"));

    let reply = console.post("/api/admin/approve_resident", &[("resident_id", &id.to_string())]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let again = console.post("/api/admin/approve_resident", &[("resident_id", &id.to_string())]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "a decision is made once");

    let resident = app.browser();
    assert_eq!(resident.sign_in(Realm::User, "new@example.ph").await.status, StatusCode::OK);
    assert_eq!(resident.whoami(Realm::User).await.as_deref(), Some("new@example.ph"));
}

#[tokio::test]
async fn a_rejected_resident_cannot_sign_in() {
    let app = spawn_app().await;
    let id = app.pending_resident("new@example.ph").await;
    let chief = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let console = app.browser();
    console.sign_in(Realm::Admin, &chief).await;
    let reply = console
        .post(
            "/api/admin/reject_resident",
            &[("resident_id", &id.to_string()), ("reason", "Not a San Pedro address")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(app.browser().sign_in(Realm::User, "new@example.ph").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn roles_without_resident_management_cannot_approve() {
    let app = spawn_app().await;
    let id = app.pending_resident("new@example.ph").await;
    for (email, role, can_list) in [
        ("analyst@cenro.example.ph", AdminRole::SecurityAnalyst, true),
        ("rewards@cenro.example.ph", AdminRole::ContentRewardsManager, false),
    ] {
        app.staff(email, role).await;
        let console = app.browser();
        console.sign_in(Realm::Admin, email).await;
        let approve = console.post("/api/admin/approve_resident", &[("resident_id", &id.to_string())]).await;
        assert_eq!(approve.status, StatusCode::FORBIDDEN, "{role:?}");
        let list = console.post("/api/admin/pending_residents", &[]).await;
        assert_eq!(list.status == StatusCode::OK, can_list, "{role:?} listing");
    }
    assert_eq!(
        db::residents::count_by_status(app.db(), eko::domain::AccountStatus::Pending).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn admin_server_functions_refuse_a_resident_session() {
    let app = spawn_app().await;
    let id = app.pending_resident("new@example.ph").await;
    let resident = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &resident).await;
    for path in ["/api/admin/me", "/api/admin/pending_residents", "/api/admin/programme_figures"] {
        assert_eq!(browser.post(path, &[]).await.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let approve = browser.post("/api/admin/approve_resident", &[("resident_id", &id.to_string())]).await;
    assert_eq!(approve.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_setup_code_creates_the_first_super_admin_once() {
    let app = spawn_app().await;
    let code = app.setup_code.clone().expect("a setup code is offered while no admin exists");
    let browser = app.browser();
    let form = |code: &str, email: &str| {
        vec![
            ("code", code.to_owned()),
            ("name", "Carmen Reyes".to_owned()),
            ("email", email.to_owned()),
            ("password", PASSWORD.to_owned()),
        ]
    };
    let wrong = browser
        .post("/api/admin/setup", &as_refs(&form("WRONG-CODE0-00000", "first@cenro.example.ph")))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);

    let ok = browser.post("/api/admin/setup", &as_refs(&form(&code, "first@cenro.example.ph"))).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(browser.whoami(Realm::Admin).await.as_deref(), Some("first@cenro.example.ph"));

    let again =
        app.browser().post("/api/admin/setup", &as_refs(&form(&code, "second@cenro.example.ph"))).await;
    assert!(again.status.is_client_error());
    assert_eq!(db::admins::count(app.db()).await.unwrap(), 1);
}

#[tokio::test]
async fn no_setup_code_is_offered_once_an_admin_exists() {
    let first = spawn_app().await;
    first.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let url = first.state.settings.database_url.clone();
    let second = spawn_app_with(|s| s.database_url = url).await;
    assert!(second.setup_code.is_none());
}

fn as_refs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn without_wasm_a_failed_sign_in_returns_to_the_form_with_its_message() {
    let app = spawn_app().await;
    let browser = app.browser();
    let reply = browser
        .post_plain_form(
            "/api/user/login",
            &[("email", "nobody@example.ph"), ("password", PASSWORD), ("next", "/dashboard")],
            "/login?next=%2Fdashboard",
        )
        .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let location = reply.location.unwrap();
    assert!(location.starts_with("/login?next=%2Fdashboard&form_error="), "{location}");
    let page = browser.get(&location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The email or password is incorrect"));
}

#[tokio::test]
async fn without_wasm_a_registration_error_is_shown_beside_its_field() {
    let app = spawn_app().await;
    let browser = app.browser();
    let reply = browser
        .post_plain_form("/api/user/register", &registration("bad-email", PASSWORD, "3"), "/register")
        .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let page = browser.get(&reply.location.unwrap()).await;
    assert!(page.body.contains("Enter a valid email address"), "{}", page.body);
}

#[tokio::test]
async fn without_wasm_a_successful_sign_in_lands_on_the_dashboard() {
    let app = spawn_app().await;
    let resident = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    let reply = browser
        .post_plain_form("/api/user/login", &[("email", resident.as_str()), ("password", PASSWORD)], "/login")
        .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.location.as_deref(), Some("/dashboard"));
    assert_eq!(browser.get("/dashboard").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_foreign_referer_is_never_used_as_a_return_address() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = client
        .post(format!("{}/api/user/login", app.address))
        .header("accept", "text/html")
        .header("referer", "https://evil.example/phish")
        .form(&[("email", "nobody@example.ph"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
    let redirects_to_evil =
        response.status().is_redirection() && location.as_deref().is_some_and(|l| l.contains("evil"));
    assert!(!redirects_to_evil, "{} {location:?}", response.status());
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
