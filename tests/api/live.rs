//! The per-realm server push: a stream opened with one realm's cookie hears
//! that session's and account's events only, and ends with its session.

use std::time::Duration;

use eko::{domain::AdminRole, realm::Realm};

use crate::helpers::{spawn_app, spawn_app_with, TestApp};

const SOON: Duration = Duration::from_secs(3);

async fn both_signed_in(app: &TestApp) -> crate::helpers::Browser {
    let resident = app.approved_resident("ana@example.ph").await;
    // (Super admins and security analysts also get the sessions directory
    // feed, a separate `directory` event; see the revocation tests.)
    let staff = app.staff("ops@cenro.example.ph", AdminRole::OperationsManager).await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &resident).await;
    browser.sign_in(Realm::Admin, &staff).await;
    browser
}

#[tokio::test]
async fn a_stream_starts_with_its_session_status() {
    let app = spawn_app().await;
    let browser = both_signed_in(&app).await;
    let mut stream = browser.open_stream("/api/user/events").await;
    let (name, data) = stream.next_event(SOON).await.unwrap().unwrap();
    assert_eq!(name, "hello");
    let status: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert!(status["expires_at"].as_i64().unwrap() > status["now"].as_i64().unwrap());
}

#[tokio::test]
async fn a_user_stream_never_hears_the_admin_realm_and_ends_with_its_own_sign_out() {
    let app = spawn_app().await;
    let browser = both_signed_in(&app).await;
    let mut user_stream = browser.open_stream("/api/user/events").await;
    assert_eq!(user_stream.next_event(SOON).await.unwrap().unwrap().0, "hello");

    browser.sign_out(Realm::Admin).await;
    assert!(user_stream.next_event(Duration::from_millis(800)).await.is_err(), "nothing for the user realm");

    browser.sign_out(Realm::User).await;
    let (name, data) = user_stream.next_event(SOON).await.unwrap().unwrap();
    assert_eq!((name.as_str(), data.as_str()), ("ended", "signed_out"));
    assert_eq!(user_stream.next_event(SOON).await, Ok(None), "the stream closes");
}

#[tokio::test]
async fn an_admin_stream_never_hears_the_user_realm_and_ends_with_its_own_sign_out() {
    let app = spawn_app().await;
    let browser = both_signed_in(&app).await;
    let mut admin_stream = browser.open_stream("/api/admin/events").await;
    assert_eq!(admin_stream.next_event(SOON).await.unwrap().unwrap().0, "hello");

    browser.sign_out(Realm::User).await;
    assert!(admin_stream.next_event(Duration::from_millis(800)).await.is_err());

    browser.sign_out(Realm::Admin).await;
    assert_eq!(admin_stream.next_event(SOON).await.unwrap().unwrap().0, "ended");
}

#[tokio::test]
async fn another_accounts_events_do_not_reach_a_stream() {
    let app = spawn_app().await;
    let ana = app.approved_resident("ana@example.ph").await;
    let ben = app.approved_resident("ben@example.ph").await;
    let ana_browser = app.browser();
    ana_browser.sign_in(Realm::User, &ana).await;
    let ben_browser = app.browser();
    ben_browser.sign_in(Realm::User, &ben).await;
    let mut ana_stream = ana_browser.open_stream("/api/user/events").await;
    ana_stream.next_event(SOON).await.unwrap();
    ben_browser.sign_out(Realm::User).await;
    assert!(ana_stream.next_event(Duration::from_millis(800)).await.is_err());
}

#[tokio::test]
async fn signing_in_over_a_session_ends_the_streams_of_the_replaced_session() {
    let app = spawn_app().await;
    let ana = app.approved_resident("ana@example.ph").await;
    let ben = app.approved_resident("ben@example.ph").await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &ana).await;
    let mut stream = browser.open_stream("/api/user/events").await;
    stream.next_event(SOON).await.unwrap();
    browser.sign_in(Realm::User, &ben).await;
    assert_eq!(stream.next_event(SOON).await.unwrap().unwrap().0, "ended");
}

#[tokio::test]
async fn expiry_is_pushed_at_the_deadline_without_any_request() {
    let app = spawn_app_with(|s| {
        s.user.idle = Duration::from_secs(2);
        s.user.absolute = Duration::from_secs(60);
    })
    .await;
    let browser = both_signed_in(&app).await;
    let mut stream = browser.open_stream("/api/user/events").await;
    stream.next_event(SOON).await.unwrap();
    let (name, data) = stream.next_event(Duration::from_secs(5)).await.unwrap().unwrap();
    assert_eq!((name.as_str(), data.as_str()), ("ended", "expired"));
    // the admin realm, same browser, is still signed in
    assert!(browser.whoami(Realm::Admin).await.is_some());
}

#[tokio::test]
async fn a_stream_opened_without_a_session_says_why_and_closes() {
    let app = spawn_app().await;
    let browser = app.browser();
    browser.set_cookie("eko_admin", "AAAAAAAAAAAAAAAAAAAAAA");
    let mut stream = browser.open_stream("/api/admin/events").await;
    let (name, data) = stream.next_event(SOON).await.unwrap().unwrap();
    assert_eq!((name.as_str(), data.as_str()), ("ended", "signed_out_elsewhere"));
    assert_eq!(stream.next_event(SOON).await, Ok(None));
}

/// Two tabs share a cookie. One signs out; the other's request left with
/// the cookie before the response removed it. The stream, the session check
/// and the page it asks for all say "signed out here", as the open pages
/// were told, never "from another device" (a scare for nothing).
#[tokio::test]
async fn a_request_that_left_before_this_browser_signed_out_hears_it_signed_out_here() {
    let app = spawn_app().await;
    let browser = both_signed_in(&app).await;
    let cookie = crate::helpers::cookie_name(Realm::User);
    let on_its_way = browser.cookie(cookie).unwrap();
    browser.sign_out(Realm::User).await;
    browser.set_cookie(cookie, &on_its_way);

    let mut stream = browser.open_stream("/api/user/events").await;
    let (name, data) = stream.next_event(SOON).await.unwrap().unwrap();
    assert_eq!((name.as_str(), data.as_str()), ("ended", "signed_out"));
    // (each answer removes the cookie; each request here left before that)
    browser.set_cookie(cookie, &on_its_way);
    let check: serde_json::Value =
        serde_json::from_str(&browser.post("/api/user/session", &[]).await.body).unwrap();
    assert_eq!(check, serde_json::json!({ "Ended": "signed_out_here" }));
    browser.set_cookie(cookie, &on_its_way);
    let page = browser.get("/dashboard").await;
    assert!(
        page.location.as_deref().is_some_and(|l| l.contains("reason=signed_out&")),
        "{:?}",
        page.location
    );

    // A cookie nobody signed out here still reads as ended elsewhere.
    browser.set_cookie(cookie, "AAAAAAAAAAAAAAAAAAAAAA");
    let mut stream = browser.open_stream("/api/user/events").await;
    assert_eq!(stream.next_event(SOON).await.unwrap().unwrap().1, "signed_out_elsewhere");
}

/// A stream whose session cannot be read (the database is failing) must
/// not tell the page its session ended: that signs a person out of a live
/// session. It answers 503, and the page's next try opens the stream.
#[tokio::test]
async fn a_stream_that_cannot_read_its_session_asks_the_page_to_try_again_instead_of_ending_it() {
    let app = spawn_app().await;
    let browser = both_signed_in(&app).await;
    let rename = |from: &str, to: &str| format!("ALTER TABLE {from} RENAME TO {to}");
    sqlx::query(&rename("sessions", "sessions_away")).execute(app.db().pool()).await.unwrap();
    let refused = browser.get("/api/user/events").await;
    sqlx::query(&rename("sessions_away", "sessions")).execute(app.db().pool()).await.unwrap();

    assert_eq!(refused.status, reqwest::StatusCode::SERVICE_UNAVAILABLE, "{}", refused.body);
    assert!(refused.headers.contains_key(reqwest::header::RETRY_AFTER));
    assert!(!refused.body.contains("ended"), "{}", refused.body);
    let mut stream = browser.open_stream("/api/user/events").await;
    assert_eq!(stream.next_event(SOON).await.unwrap().unwrap().0, "hello");
}

#[tokio::test]
async fn keep_alive_pushes_the_idle_deadline_back_and_session_status_does_not() {
    let app = spawn_app_with(|s| {
        s.admin.idle = Duration::from_secs(4);
        s.admin.absolute = Duration::from_secs(60);
    })
    .await;
    let staff = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let browser = app.browser();
    browser.sign_in(Realm::Admin, &staff).await;
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(800)).await;
        // asking is not activity
        let reply = browser.post("/api/admin/session", &[]).await;
        assert_eq!(reply.status, reqwest::StatusCode::OK);
    }
    tokio::time::sleep(Duration::from_millis(2600)).await;
    let status = browser.post("/api/admin/session", &[]).await.body;
    assert_eq!(status, r#"{"Ended":"expired"}"#);

    browser.sign_in(Realm::Admin, &staff).await;
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let reply = browser.post("/api/admin/keep_alive", &[]).await;
        assert_eq!(reply.status, reqwest::StatusCode::OK);
    }
    assert!(browser.post("/api/admin/session", &[]).await.body.contains("Active"));
}

#[tokio::test]
async fn a_graceful_shutdown_ends_open_streams_instead_of_waiting_for_them() {
    let mut app = spawn_app().await;
    let browser = both_signed_in(&app).await;
    let mut stream = browser.open_stream("/api/user/events").await;
    stream.next_event(SOON).await.unwrap();
    app.shut_down();
    assert_eq!(stream.next_event(SOON).await, Ok(None), "the stream ends; the browser reconnects elsewhere");
}

/// On PostgreSQL: a resident signed in on the first instance, whose page
/// streams from a second instance on the same database (its relay
/// listening). `None` on SQLite (one instance only).
async fn resident_watched_from_a_second_instance(
) -> Option<(TestApp, crate::helpers::Browser, crate::helpers::SecondInstance, crate::helpers::EventStream)> {
    let app = spawn_app().await;
    if app.db().backend() != eko::server::db::Backend::Postgres {
        eprintln!("skipped: needs EKO_TEST_POSTGRES_URL (instances share events through PostgreSQL)");
        return None;
    }
    let browser = both_signed_in(&app).await;
    let second = app.second_instance().await;
    let on_second = crate::helpers::Browser::new(&second.address);
    on_second.set_cookie("eko_user", &browser.cookie("eko_user").unwrap());
    let mut stream = on_second.open_stream("/api/user/events").await;
    assert_eq!(stream.next_event(SOON).await.unwrap().unwrap().0, "hello");
    tokio::time::sleep(Duration::from_millis(500)).await; // the relays are listening
    Some((app, browser, second, stream))
}

#[tokio::test]
async fn on_postgresql_an_event_on_one_instance_reaches_pages_connected_to_another() {
    let Some((_app, browser, second, mut stream)) = resident_watched_from_a_second_instance().await else {
        return;
    };

    browser.sign_out(Realm::User).await; // on the first instance

    let (name, data) = stream.next_event(SOON).await.unwrap().unwrap();
    assert_eq!((name.as_str(), data.as_str()), ("ended", "signed_out"));
    second.stop().await;
}

#[tokio::test]
async fn one_session_keeps_its_newest_streams_and_the_oldest_is_told_it_was_replaced() {
    let app = spawn_app().await;
    let browser = both_signed_in(&app).await;
    let limit = app.state.settings.streams.per_session;
    let mut oldest = browser.open_stream("/api/user/events").await;
    assert_eq!(oldest.next_event(SOON).await.unwrap().unwrap().0, "hello");
    let mut others = Vec::new();
    for _ in 0..limit {
        let mut stream = browser.open_stream("/api/user/events").await;
        assert_eq!(stream.next_event(SOON).await.unwrap().unwrap().0, "hello");
        others.push(stream);
    }
    assert_eq!(oldest.next_event(SOON).await.unwrap().unwrap().0, "replaced");
    assert_eq!(oldest.next_event(SOON).await, Ok(None), "the replaced stream closes");
    // The newest ones still hear their session.
    browser.sign_out(Realm::User).await;
    for stream in &mut others {
        assert_eq!(stream.next_event(SOON).await.unwrap().unwrap().0, "ended");
    }
}

#[tokio::test]
async fn one_address_cannot_hold_more_streams_than_its_share() {
    let app = spawn_app_with(|s| s.streams.per_address = 3).await;
    let mut open = Vec::new();
    for n in 0..3 {
        let email = app.approved_resident(&format!("ana{n}@example.ph")).await;
        let browser = app.browser();
        browser.sign_in(Realm::User, &email).await;
        open.push(browser.open_stream("/api/user/events").await);
    }
    let email = app.approved_resident("late@example.ph").await;
    let late = app.browser();
    late.sign_in(Realm::User, &email).await;
    let refused = late.get("/api/user/events").await;
    assert_eq!(refused.status, reqwest::StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers.contains_key("retry-after"));
    drop(open.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut stream = late.open_stream("/api/user/events").await;
    assert_eq!(stream.next_event(SOON).await.unwrap().unwrap().0, "hello");
}

#[tokio::test]
async fn a_stream_ends_quietly_at_its_maximum_age() {
    let app = spawn_app_with(|s| s.streams.max_age = Duration::from_secs(1)).await;
    let browser = both_signed_in(&app).await;
    let mut stream = browser.open_stream("/api/user/events").await;
    assert_eq!(stream.next_event(SOON).await.unwrap().unwrap().0, "hello");
    assert_eq!(stream.next_event(SOON).await, Ok(None), "closed without an `ended`: the browser reconnects");
    assert_eq!(browser.whoami(Realm::User).await.as_deref(), Some("ana@example.ph"));
}

#[tokio::test]
async fn a_security_analyst_demoted_while_streaming_stops_hearing_of_everyones_sessions() {
    let app = spawn_app().await;
    let chief = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let analyst = app.staff("analyst@cenro.example.ph", AdminRole::SecurityAnalyst).await;
    let resident = app.approved_resident("ana@example.ph").await;
    let (boss, watcher) = (app.browser(), app.browser());
    boss.sign_in(Realm::Admin, &chief).await;
    watcher.sign_in(Realm::Admin, &analyst).await;
    let mut stream = watcher.open_stream("/api/admin/events").await;
    assert_eq!(stream.next_event(SOON).await.unwrap().unwrap().0, "hello");
    app.browser().sign_in(Realm::User, &resident).await;
    assert_eq!(stream.next_event(SOON).await.unwrap().unwrap().0, "directory", "allowed: hears of sign-ins");

    let parsed = eko::domain::Email::parse(&analyst).unwrap();
    let analyst_id = eko::server::db::admins::find_by_email(app.db(), &parsed).await.unwrap().unwrap().id;
    let reply = boss
        .post(
            "/api/admin/change_staff_role",
            &[("staff_id", &analyst_id.to_string()), ("role", "operations_manager")],
        )
        .await;
    assert_eq!(reply.status, reqwest::StatusCode::OK, "{}", reply.body);
    // Drain what the change itself said (its own account changed).
    while let Ok(Some((name, _))) = stream.next_event(Duration::from_millis(500)).await {
        assert_ne!(name, "ended");
    }
    app.browser().sign_in(Realm::User, &resident).await;
    assert!(
        stream.next_event(Duration::from_millis(800)).await.is_err(),
        "demoted: no more news of other accounts' sessions"
    );
}

#[tokio::test]
async fn on_postgresql_pages_re_check_their_session_after_the_event_relay_was_cut() {
    let Some((app, _browser, second, mut stream)) = resident_watched_from_a_second_instance().await else {
        return;
    };

    // What the relay would have carried is lost: the session ends without
    // any notification, and the instances' LISTEN connections are cut.
    sqlx::query("DELETE FROM sessions WHERE realm = 'user'").execute(app.db().pool()).await.unwrap();
    let cut: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()",
    )
    .fetch_all(app.db().pool())
    .await
    .unwrap();
    assert!(!cut.is_empty(), "the relays' LISTEN connections were found");

    // Listening anew, the second instance has its open pages re-check.
    let (name, _) = stream.next_event(Duration::from_secs(8)).await.unwrap().unwrap();
    assert_eq!(name, "ended");
    second.stop().await;
}

#[tokio::test]
async fn on_shutdown_requests_on_kept_alive_connections_are_still_answered_and_told_to_close() {
    let mut app = spawn_app_with(|s| s.shutdown_drain = Duration::from_secs(2)).await;
    let client = reqwest::Client::builder().pool_max_idle_per_host(1).build().unwrap();
    let address = app.address.clone();
    let url = |path: &str| format!("{address}{path}");
    assert_eq!(client.get(url("/readyz")).send().await.unwrap().status(), reqwest::StatusCode::OK);
    assert!(client.get(url("/healthz")).send().await.unwrap().headers().get("connection").is_none());
    app.shut_down();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The idle kept-alive connection is still answered, and told to close.
    let answered = client.get(url("/healthz")).send().await.expect("answered while draining");
    assert_eq!(answered.status(), reqwest::StatusCode::OK);
    assert_eq!(answered.headers()["connection"], "close");
    let ready = client.get(url("/readyz")).send().await.expect("answered while draining");
    assert_eq!(ready.status(), reqwest::StatusCode::SERVICE_UNAVAILABLE, "proxies stop sending");
    // After the drain it stops accepting.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(reqwest::Client::new().get(url("/healthz")).send().await.is_err());
}
