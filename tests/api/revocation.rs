//! Sessions pages and revocation: an account's own sessions, and staff
//! ending sessions of one session, one account or one realm.

use std::time::Duration;

use eko::{domain::AdminRole, realm::Realm};
use reqwest::StatusCode;

use crate::helpers::{spawn_app, TestApp};

async fn sessions_of(browser: &crate::helpers::Browser, path: &str) -> Vec<serde_json::Value> {
    let reply = browser.post(path, &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

async fn analyst(app: &TestApp) -> crate::helpers::Browser {
    let email = app.staff("analyst@cenro.example.ph", AdminRole::SecurityAnalyst).await;
    let browser = app.browser();
    browser.sign_in(Realm::Admin, &email).await;
    browser
}

#[tokio::test]
async fn a_resident_sees_each_signed_in_browser_with_this_one_marked() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let (laptop, phone) = (app.browser(), app.browser());
    laptop.sign_in(Realm::User, &email).await;
    phone.sign_in(Realm::User, &email).await;
    let list = sessions_of(&laptop, "/api/user/sessions").await;
    assert_eq!(list.len(), 2);
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
}

#[tokio::test]
async fn signing_out_other_sessions_keeps_this_one_and_the_other_realm() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let staff = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let (laptop, phone) = (app.browser(), app.browser());
    laptop.sign_in(Realm::User, &email).await;
    laptop.sign_in(Realm::Admin, &staff).await;
    phone.sign_in(Realm::User, &email).await;
    let mut phone_stream = phone.open_stream("/api/user/events").await;
    phone_stream.next_event(Duration::from_secs(3)).await.unwrap();

    let reply = laptop.post("/api/user/end_other_sessions", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);

    assert_eq!(phone.whoami(Realm::User).await, None);
    let (name, data) = phone_stream.next_event(Duration::from_secs(3)).await.unwrap().unwrap();
    assert_eq!((name.as_str(), data.as_str()), ("ended", "signed_out_elsewhere"));
    assert_eq!(laptop.whoami(Realm::User).await.as_deref(), Some(email.as_str()));
    assert_eq!(laptop.whoami(Realm::Admin).await.as_deref(), Some(staff.as_str()));
}

#[tokio::test]
async fn a_resident_cannot_end_someone_elses_session() {
    let app = spawn_app().await;
    let ana = app.approved_resident("ana@example.ph").await;
    let ben = app.approved_resident("ben@example.ph").await;
    let (ana_browser, ben_browser) = (app.browser(), app.browser());
    ana_browser.sign_in(Realm::User, &ana).await;
    ben_browser.sign_in(Realm::User, &ben).await;
    let ben_key =
        sessions_of(&ben_browser, "/api/user/sessions").await[0]["key"].as_str().unwrap().to_owned();

    let reply = ana_browser.post("/api/user/end_session", &[("key", &ben_key)]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(ben_browser.whoami(Realm::User).await.as_deref(), Some(ben.as_str()));

    let bad = ana_browser.post("/api/user/end_session", &[("key", "'; DELETE FROM sessions; --")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(ben_browser.whoami(Realm::User).await.as_deref(), Some(ben.as_str()));
}

#[tokio::test]
async fn a_security_analyst_revokes_a_residents_session_and_its_open_page_hears_why() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let resident = app.browser();
    resident.sign_in(Realm::User, &email).await;
    let mut stream = resident.open_stream("/api/user/events").await;
    stream.next_event(Duration::from_secs(3)).await.unwrap();
    let console = analyst(&app).await;

    let page: serde_json::Value =
        serde_json::from_str(&console.post("/api/admin/all_sessions", &[]).await.body).unwrap();
    assert_eq!(page["total"], 2, "both realms are listed");
    let row =
        page["items"].as_array().unwrap().iter().find(|s| s["account_email"] == email.as_str()).unwrap();
    let key = row["key"].as_str().unwrap();

    let reply = console.post("/api/admin/revoke_session", &[("realm", "user"), ("key", key)]).await;
    assert_eq!(reply.status, StatusCode::OK);
    let (name, data) = stream.next_event(Duration::from_secs(3)).await.unwrap().unwrap();
    assert_eq!((name.as_str(), data.as_str()), ("ended", "revoked"));
    // A page asked for afterwards hears the same reason on its sign-in page.
    let page = resident.get("/dashboard").await;
    assert!(page.location.as_deref().is_some_and(|l| l.contains("reason=revoked&")), "{:?}", page.location);
    assert_eq!(resident.whoami(Realm::User).await, None);
    assert!(console.whoami(Realm::Admin).await.is_some());
}

#[tokio::test]
async fn revoking_a_realm_signs_out_every_resident_and_no_staff() {
    let app = spawn_app().await;
    let ana = app.approved_resident("ana@example.ph").await;
    let ben = app.approved_resident("ben@example.ph").await;
    let chief = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let shared = app.browser();
    shared.sign_in(Realm::User, &ana).await;
    shared.sign_in(Realm::Admin, &chief).await;
    let other = app.browser();
    other.sign_in(Realm::User, &ben).await;
    let console = analyst(&app).await;

    assert_eq!(
        console.post("/api/admin/revoke_realm_sessions", &[("realm", "user")]).await.status,
        StatusCode::OK
    );
    assert_eq!(shared.whoami(Realm::User).await, None);
    assert_eq!(other.whoami(Realm::User).await, None);
    assert_eq!(shared.whoami(Realm::Admin).await.as_deref(), Some(chief.as_str()));
    assert!(console.whoami(Realm::Admin).await.is_some());
}

#[tokio::test]
async fn revoking_an_account_ends_all_its_sessions_only() {
    let app = spawn_app().await;
    let ana = app.approved_resident("ana@example.ph").await;
    let ben = app.approved_resident("ben@example.ph").await;
    let (a1, a2, b) = (app.browser(), app.browser(), app.browser());
    a1.sign_in(Realm::User, &ana).await;
    a2.sign_in(Realm::User, &ana).await;
    b.sign_in(Realm::User, &ben).await;
    let ana_id = sessions_of(&a1, "/api/user/sessions").await[0]["account_id"].as_i64().unwrap();
    let console = analyst(&app).await;
    let reply = console
        .post("/api/admin/revoke_account_sessions", &[("realm", "user"), ("account_id", &ana_id.to_string())])
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(a1.whoami(Realm::User).await, None);
    assert_eq!(a2.whoami(Realm::User).await, None);
    assert_eq!(b.whoami(Realm::User).await.as_deref(), Some(ben.as_str()));
}

#[tokio::test]
async fn only_super_admins_and_security_analysts_manage_sessions() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let resident = app.browser();
    resident.sign_in(Realm::User, &email).await;
    for role in [AdminRole::OperationsManager, AdminRole::ContentRewardsManager] {
        let staff = app.staff(&format!("{}@cenro.example.ph", role.as_str()), role).await;
        let console = app.browser();
        console.sign_in(Realm::Admin, &staff).await;
        assert_eq!(console.post("/api/admin/all_sessions", &[]).await.status, StatusCode::FORBIDDEN);
        let revoke = console.post("/api/admin/revoke_realm_sessions", &[("realm", "user")]).await;
        assert_eq!(revoke.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(resident.whoami(Realm::User).await.as_deref(), Some(email.as_str()));
    let chief = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let console = app.browser();
    console.sign_in(Realm::Admin, &chief).await;
    assert_eq!(console.post("/api/admin/all_sessions", &[("realm", "user")]).await.status, StatusCode::OK);
    let bad = console.post("/api/admin/all_sessions", &[("realm", "root")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_sessions_directory_is_told_of_every_sign_in_and_other_staff_are_not() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let console = analyst(&app).await;
    let ops_email = app.staff("ops@cenro.example.ph", AdminRole::OperationsManager).await;
    let ops = app.browser();
    ops.sign_in(Realm::Admin, &ops_email).await;
    let mut directory = console.open_stream("/api/admin/events").await;
    directory.next_event(Duration::from_secs(3)).await.unwrap();
    let mut ops_stream = ops.open_stream("/api/admin/events").await;
    ops_stream.next_event(Duration::from_secs(3)).await.unwrap();

    app.browser().sign_in(Realm::User, &email).await;

    // Only that the list is stale: no account, no session id, no realm data.
    let (name, data) = directory.next_event(Duration::from_secs(3)).await.unwrap().unwrap();
    assert_eq!((name.as_str(), data.as_str()), ("directory", "sessions"));
    assert!(ops_stream.next_event(Duration::from_millis(800)).await.is_err(), "no directory for this role");
}

#[tokio::test]
async fn suspending_a_resident_ends_their_sessions_at_once_and_keeps_their_browsers_staff_session() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let chief = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let shared = app.browser();
    shared.sign_in(Realm::User, &email).await;
    shared.sign_in(Realm::Admin, &chief).await;
    let mut stream = shared.open_stream("/api/user/events").await;
    stream.next_event(Duration::from_secs(3)).await.unwrap();
    let id = sessions_of(&shared, "/api/user/sessions").await[0]["account_id"].as_i64().unwrap();

    let ops_email = app.staff("ops@cenro.example.ph", AdminRole::OperationsManager).await;
    let ops = app.browser();
    ops.sign_in(Realm::Admin, &ops_email).await;
    let reply = ops.post("/api/admin/suspend_resident", &[("resident_id", &id.to_string())]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let (name, data) = stream.next_event(Duration::from_secs(3)).await.unwrap().unwrap();
    assert_eq!((name.as_str(), data.as_str()), ("ended", "suspended"));
    assert_eq!(shared.whoami(Realm::User).await, None);
    assert_eq!(shared.whoami(Realm::Admin).await.as_deref(), Some(chief.as_str()));
    assert_eq!(shared.sign_in(Realm::User, &email).await.status, StatusCode::UNAUTHORIZED);

    let again = ops.post("/api/admin/suspend_resident", &[("resident_id", &id.to_string())]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let back = ops.post("/api/admin/reactivate_resident", &[("resident_id", &id.to_string())]).await;
    assert_eq!(back.status, StatusCode::OK);
    assert_eq!(shared.sign_in(Realm::User, &email).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_security_analyst_sees_residents_but_cannot_suspend_them() {
    let app = spawn_app().await;
    app.approved_resident("ana@example.ph").await;
    let console = analyst(&app).await;
    let list = console.post("/api/admin/residents", &[]).await;
    assert_eq!(list.status, StatusCode::OK);
    let page: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    let id = page["items"][0]["id"].as_i64().unwrap();
    let reply = console.post("/api/admin/suspend_resident", &[("resident_id", &id.to_string())]).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let bad = console.post("/api/admin/residents", &[("status", "everyone")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_session_revoked_while_its_password_change_is_in_flight_stays_ended() {
    let app = spawn_app().await;
    let staff = analyst(&app).await;
    let new = "a brand new passphrase";
    // Several timings of "change my password" against "end all of this
    // account's sessions": whichever comes first, the session ends.
    for round in 0..16u64 {
        let email = app.approved_resident(&format!("ana{round}@example.ph")).await;
        let parsed = eko::domain::Email::parse(&email).unwrap();
        let account_id =
            eko::server::db::residents::credentials(app.db(), &parsed).await.unwrap().unwrap().id.to_string();
        let browser = app.browser();
        assert_eq!(browser.sign_in(Realm::User, &email).await.status, StatusCode::OK);
        let form = [
            ("current_password", crate::helpers::PASSWORD),
            ("new_password", new),
            ("confirm_password", new),
        ];
        let change = browser.post("/api/user/change_password", &form);
        let revoke = async {
            tokio::time::sleep(Duration::from_millis(round % 8 * 4)).await;
            staff
                .post("/api/admin/revoke_account_sessions", &[("realm", "user"), ("account_id", &account_id)])
                .await
        };
        let (changed, revoked) = tokio::join!(change, revoke);
        assert_eq!(revoked.status, StatusCode::OK);
        assert_eq!(
            browser.whoami(Realm::User).await,
            None,
            "round {round}: the password change answered {} and its new cookie still works",
            changed.status
        );
    }
}

#[tokio::test]
async fn renewing_a_session_id_keeps_its_absolute_deadline() {
    let app = crate::helpers::spawn_app_with(|s| {
        s.user.idle = Duration::from_secs(5);
        s.user.absolute = Duration::from_secs(5);
    })
    .await;
    let email = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &email).await;
    let passwords = [
        crate::helpers::PASSWORD,
        "a first new passphrase",
        "a second new passphrase",
        "a third new passphrase",
    ];
    for pair in passwords.windows(2) {
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let reply = browser
            .post(
                "/api/user/change_password",
                &[("current_password", pair[0]), ("new_password", pair[1]), ("confirm_password", pair[1])],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(browser.whoami(Realm::User).await.as_deref(), Some(email.as_str()));
    }
    // Three renewals later, the session still ends five seconds after sign-in.
    crate::helpers::wait_past(2).await;
    assert_eq!(browser.whoami(Realm::User).await, None);
}
