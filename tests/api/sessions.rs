//! Realm X's own session rules: rotation, server-side sign-out, no
//! resurrection, cookies, persistence.

use std::time::Duration;

use eko::{
    domain::AdminRole,
    realm::Realm,
    server::{auth::RealmStore, config::Settings, events::EventBus},
};
use reqwest::StatusCode;
use tower_sessions::{
    session::{Id, Record},
    SessionStore,
};

use crate::helpers::{cookie_name, spawn_app, spawn_app_with, Browser, TestApp};

async fn signed_in_account(app: &TestApp, realm: Realm) -> String {
    match realm {
        Realm::User => app.approved_resident("ana@example.ph").await,
        Realm::Admin => app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await,
    }
}

#[tokio::test]
async fn every_sign_in_issues_a_new_session_id_and_ends_the_old_one() {
    for realm in Realm::ALL {
        let app = spawn_app().await;
        let email = signed_in_account(&app, realm).await;
        let browser = app.browser();
        browser.sign_in(realm, &email).await;
        let first = browser.cookie(cookie_name(realm)).unwrap();
        browser.sign_in(realm, &email).await;
        let second = browser.cookie(cookie_name(realm)).unwrap();
        assert_ne!(first, second, "{realm:?} session id must rotate on sign-in");

        let replay = Browser::new(&app.address);
        replay.set_cookie(cookie_name(realm), &first);
        assert_eq!(replay.whoami(realm).await, None, "{realm:?}: the pre-sign-in id must be dead");
        assert_eq!(browser.whoami(realm).await.as_deref(), Some(email.as_str()));
    }
}

#[tokio::test]
async fn a_session_id_planted_before_sign_in_is_not_kept() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    let planted = Id::default().to_string();
    browser.set_cookie("eko_user", &planted);
    browser.sign_in(Realm::User, &email).await;
    assert_ne!(browser.cookie("eko_user").unwrap(), planted);
}

#[tokio::test]
async fn sign_out_deletes_the_session_on_the_server_so_a_replayed_cookie_is_refused() {
    for realm in Realm::ALL {
        let app = spawn_app().await;
        let email = signed_in_account(&app, realm).await;
        let browser = app.browser();
        browser.sign_in(realm, &email).await;
        let cookie = browser.cookie(cookie_name(realm)).unwrap();

        let reply = browser.sign_out(realm).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.set_cookies.iter().any(|c| c.starts_with(&format!("{}=", cookie_name(realm)))
            && c.to_ascii_lowercase().contains("max-age=0")));
        assert_eq!(browser.cookie(cookie_name(realm)), None);

        let replay = Browser::new(&app.address);
        replay.set_cookie(cookie_name(realm), &cookie);
        assert_eq!(replay.whoami(realm).await, None);
        let page = replay.open_home(realm).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert!(page.location.unwrap().starts_with(realm.login_path()));
    }
}

#[tokio::test]
async fn sign_out_needs_a_post() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &email).await;
    let reply = browser.get("/api/user/logout").await;
    assert!(reply.status.is_client_error(), "GET sign-out answered {}", reply.status);
    assert_eq!(browser.whoami(Realm::User).await.as_deref(), Some(email.as_str()));
}

#[tokio::test]
async fn signing_out_without_a_session_is_not_an_error() {
    let app = spawn_app().await;
    let reply = app.browser().sign_out(Realm::Admin).await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn a_late_save_from_an_in_flight_request_cannot_revive_a_deleted_session() {
    // The exact interleaving: a request loaded the session, then sign-out
    // deleted it, then the request saves what it had.
    let app = spawn_app().await;
    let store =
        RealmStore::new(app.db().clone(), EventBus::default(), Realm::User, Duration::from_secs(3600));
    let mut record = Record {
        id: Id::default(),
        data: [("account_id".to_owned(), serde_json::json!(7))].into_iter().collect(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    store.create(&mut record).await.unwrap();
    let in_flight = store.load(&record.id).await.unwrap().expect("live session loads");

    store.delete(&record.id).await.unwrap();
    store.save(&in_flight).await.unwrap();

    assert!(store.load(&record.id).await.unwrap().is_none(), "the late save must not re-create the row");
}

#[tokio::test]
async fn a_late_save_cannot_revive_an_expired_session() {
    let app = spawn_app().await;
    let store =
        RealmStore::new(app.db().clone(), EventBus::default(), Realm::Admin, Duration::from_secs(3600));
    let mut record = Record {
        id: Id::default(),
        data: Default::default(),
        // Stored in whole seconds: two seconds keep it live for the load
        // below however late in its second it was created.
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::seconds(2),
    };
    store.create(&mut record).await.unwrap();
    let in_flight = store.load(&record.id).await.unwrap().expect("live session loads");
    tokio::time::sleep(Duration::from_millis(3100)).await;
    let mut extended = in_flight.clone();
    extended.expiry_date = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    store.save(&extended).await.unwrap();
    assert!(store.load(&record.id).await.unwrap().is_none());
}

#[tokio::test]
async fn requests_racing_a_sign_out_do_not_bring_the_session_back() {
    let app = spawn_app_with(|s| s.session_touch_interval = Duration::ZERO).await;
    let email = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &email).await;
    let cookie = browser.cookie("eko_user").unwrap();

    let mut racers = Vec::new();
    for _ in 0..20 {
        let tab = Browser::new(&app.address);
        tab.set_cookie("eko_user", &cookie);
        racers.push(tokio::spawn(async move { tab.open_home(Realm::User).await.status }));
    }
    browser.sign_out(Realm::User).await;
    for racer in racers {
        assert!(racer.await.unwrap().as_u16() < 500);
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let replay = Browser::new(&app.address);
    replay.set_cookie("eko_user", &cookie);
    assert_eq!(replay.whoami(Realm::User).await, None);
}

#[tokio::test]
async fn session_cookies_are_http_only_lax_host_wide_and_persistent() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let reply = app.browser().sign_in(Realm::User, &email).await;
    let cookie = reply.set_cookies.iter().find(|c| c.starts_with("eko_user=")).expect("cookie set");
    let lower = cookie.to_ascii_lowercase();
    assert!(lower.contains("httponly"));
    assert!(lower.contains("samesite=lax"));
    assert!(lower.contains("path=/"));
    assert!(!lower.contains("domain="));
    assert!(lower.contains("max-age="), "a persistent cookie survives a browser restart");
    assert!(!lower.contains("secure"), "development mode serves plain http");
    // 128 bits, base64url
    let value = cookie.split(';').next().unwrap().trim_start_matches("eko_user=");
    assert_eq!(value.len(), 22);
}

#[tokio::test]
async fn production_mode_uses_secure_host_prefixed_cookies() {
    let app = spawn_app_with(|s| {
        s.production = true;
        s.site_url = "https://eko.example.ph".into();
        s.argon2 = Default::default();
    })
    .await;
    let email = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let reply = app.browser().sign_in(Realm::Admin, &email).await;
    let cookie =
        reply.set_cookies.iter().find(|c| c.starts_with("__Host-eko_admin=")).expect("prefixed cookie");
    assert!(cookie.to_ascii_lowercase().contains("secure"));
    assert!(!cookie.to_ascii_lowercase().contains("domain="));
}

#[tokio::test]
async fn production_mode_refuses_an_http_site_url() {
    let mut settings = Settings::development();
    settings.production = true;
    settings.site_url = "http://eko.example.ph".into();
    assert!(settings.validate().is_err());
}

#[tokio::test]
async fn sessions_live_in_the_database_and_work_on_another_instance() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &email).await;
    let cookie = browser.cookie("eko_user").unwrap();

    // A second server over the same database (a restart, or a second instance).
    let second = app.second_instance().await;
    let elsewhere = Browser::new(&second.address);
    elsewhere.set_cookie("eko_user", &cookie);
    assert_eq!(elsewhere.whoami(Realm::User).await.as_deref(), Some(email.as_str()));
    second.stop().await;
}

#[tokio::test]
async fn a_session_loads_with_the_row_of_its_own_realms_account() {
    let app = spawn_app().await;
    let resident = app.approved_resident("ana@example.ph").await;
    let staff = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    for (realm, table, email) in [(Realm::User, "residents", &resident), (Realm::Admin, "admins", &staff)] {
        let id: i64 = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE email = $1"))
            .bind(email)
            .fetch_one(app.db().pool())
            .await
            .unwrap();
        let store = RealmStore::new(app.db().clone(), EventBus::default(), realm, Duration::from_secs(3600));
        let expiry_date = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
        let mut signed_in = Record {
            id: Id::default(),
            data: [("account_id".to_owned(), serde_json::json!(id))].into_iter().collect(),
            expiry_date,
        };
        let mut anonymous = Record { id: Id::default(), data: Default::default(), expiry_date };
        store.create(&mut signed_in).await.unwrap();
        store.create(&mut anonymous).await.unwrap();

        let loaded = store.load(&signed_in.id).await.unwrap().expect("live session loads");
        let row = &loaded.data["account_row"];
        assert_eq!(row["id"], id, "{realm:?}");
        assert_eq!(row["email"], email.as_str(), "{realm:?}: the realm's own account, not the other's");
        assert!(row.get("password_hash").is_none(), "{realm:?}: no password hash in a session");
        let loaded = store.load(&anonymous.id).await.unwrap().expect("live session loads");
        assert!(!loaded.data.contains_key("account_row"), "{realm:?}: nobody is signed in with it");
    }
}

#[tokio::test]
async fn the_account_row_read_with_a_session_is_never_stored_with_it() {
    // Every request saves its session again (touch interval zero).
    let app = spawn_app_with(|s| s.session_touch_interval = Duration::ZERO).await;
    let resident = app.approved_resident("ana@example.ph").await;
    let staff = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &resident).await;
    browser.sign_in(Realm::Admin, &staff).await;
    // The touch writes the time in whole seconds: a save needs a new one.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for realm in Realm::ALL {
        for _ in 0..2 {
            assert_eq!(browser.open_home(realm).await.status, StatusCode::OK, "{realm:?}");
        }
    }
    let stored: Vec<(String, i64)> =
        sqlx::query_as("SELECT data, last_seen_at FROM sessions").fetch_all(app.db().pool()).await.unwrap();
    assert_eq!(stored.len(), 2);
    for (data, last_seen_at) in stored {
        assert!(data.contains(&format!("\"last_seen\":{last_seen_at}")), "saved after the pages: {data}");
        assert!(data.contains("account_id"), "{data}");
        assert!(!data.contains("account_row") && !data.contains("$argon2"), "stored: {data}");
    }
}
