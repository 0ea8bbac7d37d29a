//! Bad input and hostile requests get a clear 4xx and change nothing.

use std::time::Duration;

use eko::{domain::AdminRole, realm::Realm, server::db};
use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with, PASSWORD};

#[tokio::test]
async fn malformed_server_function_arguments_are_a_400_not_a_500() {
    let app = spawn_app().await;
    let staff = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let browser = app.browser();
    browser.sign_in(Realm::Admin, &staff).await;
    let form = "application/x-www-form-urlencoded";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("/api/user/login", b"email=only".to_vec()),
        ("/api/user/login", vec![b'e', b'm', b'a', b'i', b'l', b'=', 0xff, 0xfe, b'&', b'p', b'=', 0xc3]),
        ("/api/user/register", b"name=a&email=b".to_vec()),
        ("/api/admin/approve_resident", b"resident_id=abc".to_vec()),
        ("/api/admin/approve_resident", b"resident_id=99999999999999999999999".to_vec()),
        ("/api/admin/pending_residents", b"page=-1".to_vec()),
    ];
    for (path, body) in cases {
        let reply = browser.post_raw(path, form, body.clone()).await;
        assert!(
            reply.status.is_client_error(),
            "{path} {:?} answered {}",
            String::from_utf8_lossy(&body),
            reply.status
        );
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413() {
    let app = spawn_app().await;
    let huge = format!("email=a%40b.ph&password={}", "x".repeat(200 * 1024));
    let reply = app
        .browser()
        .post_raw("/api/user/login", "application/x-www-form-urlencoded", huge.into_bytes())
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_cross_origin_post_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{}/api/user/register", app.address))
        .header("origin", "https://evil.example")
        .form(&[("name", "Mallory"), ("email", "m@example.ph"), ("password", PASSWORD), ("barangay", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = client
        .post(format!("{}/api/user/register", app.address))
        .header("sec-fetch-site", "cross-site")
        .form(&[("name", "Mallory"), ("email", "m@example.ph"), ("password", PASSWORD), ("barangay", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        db::residents::count_by_status(app.db(), eko::domain::AccountStatus::Pending).await.unwrap(),
        0
    );

    let same_origin = client
        .post(format!("{}/api/user/register", app.address))
        .header("origin", &app.address)
        .form(&[("name", "Maria"), ("email", "m@example.ph"), ("password", PASSWORD), ("barangay", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), StatusCode::OK);
}

#[tokio::test]
async fn responses_carry_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    let response = reqwest::get(format!("{}/login", app.address)).await.unwrap();
    let headers = response.headers();
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    assert!(headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert!(headers.get("referrer-policy").is_some());
    assert!(headers.get("x-request-id").is_some());
    assert!(headers.get("strict-transport-security").is_none(), "HSTS only in production");
}

#[tokio::test]
async fn health_and_readiness_probes_answer() {
    let app = spawn_app().await;
    let browser = app.browser();
    assert_eq!(browser.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(browser.get("/readyz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn text_written_into_a_form_error_link_never_reaches_the_page() {
    let app = spawn_app().await;
    let lure = r#"{"Conflict":"Your account is suspended. Call 0917 000 0000 and give your password"}"#;
    let encoded: String = url_encode(lure);
    for page in ["/login", "/register", "/admin/login", "/password-reset"] {
        let reply = app.browser().get(&format!("{page}?form_error={encoded}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        assert!(!reply.body.contains("Call 0917"), "{page} printed the URL's text");
    }
    // A genuine error round trip still shows its message.
    let browser = app.browser();
    let back = browser
        .post_plain_form(
            "/api/user/login",
            &[("email", "nobody@example.ph"), ("password", "wrong password here")],
            "/login",
        )
        .await;
    let page = browser.get(back.location.as_deref().unwrap()).await;
    assert!(page.body.contains("The email or password is incorrect"));
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn pages_on_a_kept_alive_connection_are_not_held_back_by_delayed_acks() {
    let app = spawn_app().await;
    // One connection, reused: the way a browser navigates.
    let client = reqwest::Client::builder().pool_max_idle_per_host(1).build().unwrap();
    let url = format!("{}/login", app.address);
    client.get(&url).send().await.unwrap().text().await.unwrap(); // warm up
    let started = std::time::Instant::now();
    for _ in 0..10 {
        let reply = client.get(&url).send().await.unwrap();
        assert_eq!(reply.status(), StatusCode::OK);
        reply.text().await.unwrap();
    }
    // A regression guard, not a benchmark: with Nagle's algorithm each
    // answer waited ~40 ms for the client's delayed ACK (≥ 400 ms here).
    let took = started.elapsed();
    assert!(took < Duration::from_millis(350), "10 pages took {took:?}");
}

#[tokio::test]
async fn a_body_refused_for_its_size_closes_its_connection_cleanly_and_the_next_request_works() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder().pool_max_idle_per_host(1).build().unwrap();
    let big = vec![b'a'; 200 * 1024];
    let refused = client
        .post(format!("{}/api/user/login", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(refused.headers()["connection"], "close");
    drop(refused);
    for _ in 0..3 {
        let next = client
            .get(format!("{}/healthz", app.address))
            .send()
            .await
            .expect("the next request is answered");
        assert_eq!(next.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn control_characters_are_refused_at_the_edge_with_a_clear_4xx_and_nothing_is_stored() {
    let app = spawn_app().await;
    let chief = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let pending = app.pending_resident("new@example.ph").await.to_string();
    let browser = app.browser();
    for realm in [Realm::User, Realm::Admin] {
        for email in ["ana\u{0}@example.ph", "ana\u{1b}@example.ph", "ana\u{7}@example.ph"] {
            let reply = browser.sign_in_with(realm, email, PASSWORD).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{realm:?} {email:?}: {}", reply.body);
            assert!(reply.body.contains("Control characters"), "{}", reply.body);
        }
    }
    let audit: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log")
        .fetch_one(app.db().pool())
        .await
        .unwrap();
    assert_eq!(audit, 0, "a refused request is not even audited with its bad text");
    browser.sign_in(Realm::Admin, &chief).await;
    let reject = browser
        .post(
            "/api/admin/reject_resident",
            &[("resident_id", pending.as_str()), ("reason", "late\u{0}\u{1b}\u{7}")],
        )
        .await;
    assert_eq!(reject.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        db::residents::count_by_status(app.db(), eko::domain::AccountStatus::Pending).await.unwrap(),
        1
    );
    // Line breaks and tabs are text, not control: a reason may have them.
    let ok = browser
        .post(
            "/api/admin/reject_resident",
            &[("resident_id", pending.as_str()), ("reason", "Two lines:\nnot a resident")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
}

#[tokio::test]
async fn static_files_and_pages_are_compressed_hashed_files_are_immutable_others_revalidate_and_private_pages_are_not_stored(
) {
    let site = std::env::temp_dir().join(format!("eko_site_{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/eko.css"), "body { color: #123; }\n".repeat(400)).unwrap();
    let app = spawn_app_with(|s| s.site_root = site.display().to_string()).await;
    let client = reqwest::Client::new(); // no automatic decompression: headers as sent
    let css = format!("{}/pkg/eko.css", app.address);
    let first = client.get(&css).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["content-encoding"], "br");
    assert_eq!(first.headers()["cache-control"], "public, no-cache");
    let modified = first.headers()["last-modified"].clone();
    let again = client.get(&css).header("if-modified-since", modified).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "a repeat visit revalidates and transfers nothing");

    // A release names its files by content: those are kept a year, unasked.
    std::fs::write(site.join("pkg/eko.kXB1w8aD_-S0DeEAWZUy9g.wasm"), vec![0u8; 4096]).unwrap();
    std::fs::write(site.join("pkg/eko.kXB1w8aD_-S0DeEAWZUy9g.wasm.gz"), b"compressed").unwrap();
    let wasm = client
        .get(format!("{}/pkg/eko.kXB1w8aD_-S0DeEAWZUy9g.wasm", app.address))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(wasm.headers()["content-encoding"], "gzip");
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");

    let page =
        client.get(format!("{}/login", app.address)).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(page.headers()["content-encoding"], "gzip");

    let email = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &email).await;
    let private = browser.get("/dashboard").await;
    assert_eq!(private.status, StatusCode::OK);
    assert_eq!(private.headers["cache-control"], "no-store");
    let _ = std::fs::remove_dir_all(site);
}

#[tokio::test]
async fn a_client_that_trickles_its_request_head_is_disconnected_after_the_header_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(|s| s.header_read_timeout = Duration::from_secs(1)).await;
    let host = app.address.trim_start_matches("http://");
    let mut slow = tokio::net::TcpStream::connect(host).await.unwrap();
    // A head that never ends: no blank line.
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: eko\r\nX-Slow: 1\r\n").await.unwrap();
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut rest)).await;
    let waited = started.elapsed();
    assert!(read.is_ok(), "the server still holds the connection after {waited:?}");
    assert!(waited >= Duration::from_millis(900), "closed after {waited:?}, before the timeout");
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"), "{}", String::from_utf8_lossy(&rest));
    // A client that sends its head in time is answered as ever.
    let mut quick = tokio::net::TcpStream::connect(host).await.unwrap();
    quick.write_all(b"GET /healthz HTTP/1.1\r\nHost: eko\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    quick.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn pages_render_while_another_server_is_built_in_the_same_process() {
    // Building a router once rendered the whole app with every resource held
    // back by a process-wide switch; a page rendering meanwhile on another
    // thread never got its data, and its request hung for good.
    let app = spawn_app().await;
    let resident = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &resident).await;
    let state = app.state.clone();
    let building = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let until = std::time::Instant::now() + Duration::from_secs(3);
            while std::time::Instant::now() < until {
                drop(eko::server::startup::router(state.clone()));
                tokio::task::yield_now().await;
            }
        });
    });
    let mut pages = 0;
    while !building.is_finished() {
        let page = tokio::time::timeout(Duration::from_secs(10), browser.open_home(Realm::User))
            .await
            .unwrap_or_else(|_| panic!("page {pages} never finished while a router was being built"));
        assert_eq!(page.status, StatusCode::OK);
        pages += 1;
    }
    building.join().unwrap();
    assert!(pages > 10, "only {pages} pages rendered alongside the builds");
}

#[tokio::test]
async fn on_postgresql_connections_the_database_dropped_while_idle_never_reach_a_request() {
    let app = spawn_app().await;
    if app.db().backend() != db::Backend::Postgres {
        eprintln!("skipped: needs EKO_TEST_POSTGRES_URL (a SQLite connection cannot be dropped by a server)");
        return;
    }
    let email = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &email).await;
    // Several pages at once: the pool holds several connections.
    let pages: Vec<_> = (0..6).map(|_| browser.get("/dashboard")).collect();
    for page in futures::future::join_all(pages).await {
        assert_eq!(page.status, StatusCode::OK);
    }
    // The server ends every connection of this database (a restart, an
    // idle timeout on the way), while they sit idle in the pool.
    let cut: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_all(app.db().pool())
    .await
    .unwrap();
    assert!(cut.len() >= 2, "the pool's idle connections were found: {}", cut.len());
    tokio::time::sleep(Duration::from_millis(2500)).await;

    for n in 0..12 {
        let page = browser.get("/dashboard").await;
        assert_eq!(page.status, StatusCode::OK, "page {n} after the connections were cut: {}", page.body);
    }
}

/// A pool of one connection serves every page and action of both realms,
/// also many at once: nothing holds a connection while it waits for
/// another (which, under load, starves a pool of any size).
#[tokio::test]
async fn a_pool_of_one_connection_serves_both_realms_also_in_parallel() {
    let app = spawn_app_with(|s| s.db_max_connections = Some(1)).await;
    let resident = app.approved_resident("ana@example.ph").await;
    let staff = app.staff("ops@cenro.example.ph", AdminRole::OperationsManager).await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &resident).await;
    browser.sign_in(Realm::Admin, &staff).await;
    let pages = ["/dashboard", "/rewards", "/account", "/admin", "/admin/users", "/admin/collections"];
    let mut requests = Vec::new();
    for round in 0..5 {
        for page in pages {
            let browser = browser.clone();
            requests.push(tokio::spawn(async move {
                let reply = tokio::time::timeout(Duration::from_secs(20), browser.get(page))
                    .await
                    .unwrap_or_else(|_| panic!("{page} (round {round}) waited for a connection for good"));
                (page, reply.status)
            }));
        }
    }
    for request in requests {
        let (page, status) = request.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{page}");
    }
    let stream =
        tokio::time::timeout(Duration::from_secs(20), browser.open_stream("/api/admin/events")).await;
    drop(stream.expect("the stream opened"));
    browser.sign_out(Realm::User).await;
    assert_eq!(browser.whoami(Realm::User).await, None);
    assert_eq!(browser.whoami(Realm::Admin).await.as_deref(), Some("ops@cenro.example.ph"));
}

#[test]
fn a_pool_size_outside_1_to_1000_is_refused() {
    let mut settings = eko::server::config::Settings::development();
    for bad in [0, 1001] {
        settings.db_max_connections = Some(bad);
        assert!(settings.validate().is_err(), "{bad}");
    }
    settings.db_max_connections = Some(4);
    assert!(settings.validate().is_ok());
}
