//! Test harness: each test gets its own app on port 0 and its own database
//! (a fresh SQLite file, or a fresh PostgreSQL database when
//! `EKO_TEST_POSTGRES_URL` is set), and talks to it over real HTTP with a
//! small cookie jar per simulated browser.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use eko::{
    domain::AdminRole,
    realm::Realm,
    server::{
        config::{Argon2Cost, Settings},
        db::{self, Db},
        residents, staff,
        startup::Application,
        state::AppState,
    },
};
use reqwest::{header, redirect, StatusCode};

pub const PASSWORD: &str = "correct horse battery staple";

/// A running app with its own database.
pub struct TestApp {
    pub address: String,
    pub state: AppState,
    pub setup_code: Option<String>,
    /// Where this app's mail lands (one `.eml` file per message).
    pub outbox: std::path::PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    cleanup: Option<Cleanup>,
}

enum Cleanup {
    SqliteFile(std::path::PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

fn unique_name() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!(
        "eko_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
    )
}

/// Settings for tests: cheap hashing, default lifetimes, port 0.
pub fn test_settings() -> Settings {
    let mut s = Settings::development();
    s.listen = "127.0.0.1:0".parse().unwrap();
    s.argon2 = Argon2Cost { memory_kib: 256, iterations: 1, parallelism: 1 };
    // Tests register many residents from one address; the registration
    // throttle has tests of its own.
    s.throttle.register_address_attempts = 100_000;
    s.shutdown_drain = Duration::from_millis(300);
    s
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        eko::server::telemetry::init();
    }
    let mut settings = test_settings();
    let name = unique_name();
    let outbox = std::env::temp_dir().join(format!("{name}-outbox"));
    let cleanup = match std::env::var("EKO_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty()) {
        Some(admin_url) => {
            use sqlx::{Connection, Executor};
            let mut conn = sqlx::PgConnection::connect(&admin_url).await.expect("connect to PostgreSQL");
            conn.execute(format!(r#"CREATE DATABASE "{name}""#).as_str())
                .await
                .expect("create test database");
            let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
            settings.database_url = format!("{base}/{name}");
            Cleanup::PostgresDatabase { admin_url, name }
        }
        None => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            settings.database_url = format!("sqlite://{}?mode=rwc", path.display());
            Cleanup::SqliteFile(path)
        }
    };
    settings.mail.outbox = outbox.clone();
    configure(&mut settings);
    let app = Application::build(settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let setup_code = app.setup_code().map(str::to_owned);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    TestApp { address, state, setup_code, outbox, stop: Some(stop), cleanup: Some(cleanup) }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = std::fs::remove_dir_all(&self.outbox);
        match self.cleanup.take() {
            Some(Cleanup::SqliteFile(path)) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Some(Cleanup::PostgresDatabase { admin_url, name }) => {
                // Dropped from a plain thread: Drop cannot await.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                    rt.block_on(async {
                        use sqlx::{Connection, Executor};
                        if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                            let _ = conn
                                .execute(format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#).as_str())
                                .await;
                        }
                    });
                })
                .join();
            }
            None => {}
        }
    }
}

impl TestApp {
    /// Starts a graceful shutdown (as on SIGTERM).
    pub fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// The number of rows in `table`.
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"))
            .fetch_one(self.db().pool())
            .await
            .unwrap()
    }

    /// A second server on this app's database (another instance behind the
    /// proxy, or this one after a restart).
    pub async fn second_instance(&self) -> SecondInstance {
        let mut settings = (*self.state.settings).clone();
        settings.listen = "127.0.0.1:0".parse().unwrap();
        let second = Application::build(settings).await.expect("second instance builds");
        let address = format!("http://127.0.0.1:{}", second.port());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(second.run_until(async {
            let _ = stopped.await;
        }));
        SecondInstance { address, stop, server }
    }

    /// The messages in the outbox addressed to `email`, oldest first.
    pub fn mails_to(&self, email: &str) -> Vec<String> {
        let mut mails: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(&self.outbox)
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .filter_map(|e| {
                        let modified = e.metadata().ok()?.modified().ok()?;
                        Some((modified, std::fs::read_to_string(e.path()).ok()?))
                    })
                    .filter(|(_, text)| text.lines().any(|l| l.starts_with("To:") && l.contains(email)))
                    .collect()
            })
            .unwrap_or_default();
        mails.sort();
        mails.into_iter().map(|(_, text)| text).collect()
    }

    /// The password reset mails to `email`, oldest first (registration
    /// receipts and notices are left out).
    pub fn reset_mails_to(&self, email: &str) -> Vec<String> {
        self.mails_to(email).into_iter().filter(|m| m.contains("/confirm?token=")).collect()
    }

    /// Waits for the `n`th (1-based) reset mail to `email` and returns the reset
    /// link it carries, as a path on this app.
    pub async fn reset_link(&self, email: &str, n: usize) -> String {
        for _ in 0..100 {
            if let Some(mail) = self.reset_mails_to(email).get(n - 1) {
                let url = mail
                    .split_whitespace()
                    .find(|w| w.starts_with("http") && w.contains("/confirm?token="))
                    .expect("the mail carries a reset link");
                let site = &self.state.settings.site_url;
                return url.strip_prefix(site.as_str()).expect("the link is on the site URL").to_owned();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no reset mail number {n} to {email}");
    }

    /// A fresh browser (its own cookie jar) pointed at this app.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.address)
    }

    /// An approved resident; returns the email.
    pub async fn approved_resident(&self, email: &str) -> String {
        let id = self.pending_resident(email).await;
        let admin_id = 0;
        assert!(db::residents::transition(
            self.db(),
            id,
            eko::domain::AccountStatus::Pending,
            eko::domain::AccountStatus::Approved,
            admin_id,
            None
        )
        .await
        .unwrap());
        email.to_owned()
    }

    /// A pending resident; returns the id.
    pub async fn pending_resident(&self, email: &str) -> i64 {
        let client = eko::server::auth::realm_session::ClientInfo::default();
        match residents::register(&self.state, &client, "Maria Dela Paz", email, PASSWORD, "5").await {
            Ok(residents::Registered::Pending(id)) => id,
            other => panic!("registration of {email}: {other:?}"),
        }
    }

    /// A staff account with the role; returns the email.
    pub async fn staff(&self, email: &str, role: AdminRole) -> String {
        staff::create(self.db(), &self.state.passwords, email, "Jose Ramirez", PASSWORD, role, false)
            .await
            .expect("create staff");
        email.to_owned()
    }
}

/// A second running instance on the same database.
pub struct SecondInstance {
    pub address: String,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl SecondInstance {
    /// Stops it and waits until it has.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
    }
}

/// A response, reduced to what tests look at.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Reply {
    /// Names of the cookies this response set or removed.
    pub fn cookie_names(&self) -> Vec<String> {
        self.set_cookies.iter().filter_map(|c| c.split('=').next().map(str::to_owned)).collect()
    }

    pub fn touches_cookie(&self, name: &str) -> bool {
        self.cookie_names().iter().any(|n| n == name)
    }
}

/// One simulated browser: a cookie jar and a client that does not follow
/// redirects (tests look at them).
#[derive(Clone)]
pub struct Browser {
    base: String,
    client: reqwest::Client,
    jar: Arc<Mutex<BTreeMap<String, String>>>,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        let client = reqwest::Client::builder().redirect(redirect::Policy::none()).build().unwrap();
        Self { base: base.to_owned(), client, jar: Default::default() }
    }

    /// The same browser (same cookie jar) talking to another server, as
    /// after a restore or a move to another instance.
    pub fn pointed_at(&self, base: &str) -> Self {
        Self { base: base.to_owned(), client: self.client.clone(), jar: self.jar.clone() }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.jar.lock().unwrap().insert(name.to_owned(), value.to_owned());
    }

    pub fn remove_cookie(&self, name: &str) {
        self.jar.lock().unwrap().remove(name);
    }

    fn cookie_header(&self) -> String {
        self.jar.lock().unwrap().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let cookies = self.cookie_header();
        let request = if cookies.is_empty() { request } else { request.header(header::COOKIE, cookies) };
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let location =
            response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let set_cookies: Vec<String> = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        {
            let mut jar = self.jar.lock().unwrap();
            for cookie in &set_cookies {
                let pair = cookie.split(';').next().unwrap_or_default();
                let Some((name, value)) = pair.split_once('=') else { continue };
                let removed = cookie.to_ascii_lowercase().contains("max-age=0") || value.is_empty();
                if removed {
                    jar.remove(name);
                } else {
                    jar.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let body = response.text().await.unwrap_or_default();
        Reply { status, location, set_cookies, headers, body }
    }

    /// Opens a server-sent event stream with this browser's cookies.
    pub async fn open_stream(&self, path: &str) -> EventStream {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT, "text/event-stream")
            .send()
            .await
            .expect("stream opened");
        assert_eq!(response.status(), StatusCode::OK);
        EventStream { response, buffer: String::new() }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(format!("{}{path}", self.base))).await
    }

    /// A page load as a browser makes it after clicking a link on `from_path`.
    pub async fn get_from(&self, path: &str, from_path: &str) -> Reply {
        let request = self
            .client
            .get(format!("{}{path}", self.base))
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, format!("{}{from_path}", self.base));
        self.send(request).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        self.send(self.client.post(format!("{}{path}", self.base)).form(form)).await
    }

    /// A form post as a browser without WASM makes it: HTML accepted,
    /// coming from `from_path` on this site.
    pub async fn post_plain_form(&self, path: &str, form: &[(&str, &str)], from_path: &str) -> Reply {
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, format!("{}{from_path}", self.base))
            .form(form);
        self.send(request).await
    }

    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        self.send(
            self.client
                .post(format!("{}{path}", self.base))
                .header(header::CONTENT_TYPE, content_type)
                .body(body),
        )
        .await
    }

    pub async fn sign_in(&self, realm: Realm, email: &str) -> Reply {
        self.sign_in_with(realm, email, PASSWORD).await
    }

    pub async fn sign_in_with(&self, realm: Realm, email: &str, password: &str) -> Reply {
        let path = match realm {
            Realm::User => "/api/user/login",
            Realm::Admin => "/api/admin/login",
        };
        self.post(path, &[("email", email), ("password", password)]).await
    }

    pub async fn sign_out(&self, realm: Realm) -> Reply {
        self.post(&format!("/api/{}/logout", realm.as_str()), &[]).await
    }

    /// The email of the account this browser is signed in as in `realm`.
    pub async fn whoami(&self, realm: Realm) -> Option<String> {
        let reply = self.post(&format!("/api/{}/me", realm.as_str()), &[]).await;
        if reply.status != StatusCode::OK {
            return None;
        }
        let json: serde_json::Value = serde_json::from_str(&reply.body).expect("me returns JSON");
        json["email"].as_str().map(str::to_owned)
    }

    /// Fetches the realm's home page: 200 when signed in, else a redirect.
    pub async fn open_home(&self, realm: Realm) -> Reply {
        self.get(realm.home_path()).await
    }
}

/// Sleeps past a session deadline (deadlines are whole seconds).
pub async fn wait_past(seconds: u64) {
    tokio::time::sleep(Duration::from_millis(seconds * 1000 + 1100)).await;
}

/// The test servers run in development mode (no `__Host-` prefix).
pub fn cookie_name(realm: Realm) -> &'static str {
    realm.cookie_name(false)
}

/// The reading end of a server-sent event stream.
pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
}

impl EventStream {
    /// The next event as (name, data), `None` when the stream closed, or
    /// `Err(())` when nothing came within `wait`.
    pub async fn next_event(&mut self, wait: Duration) -> Result<Option<(String, String)>, ()> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut name = String::from("message");
                let mut data = Vec::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push(v.trim().to_owned());
                    }
                }
                if data.is_empty() && name == "message" {
                    continue; // keep-alive comment
                }
                return Ok(Some((name, data.join("\n"))));
            }
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Err(_) => return Err(()),
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                Ok(Ok(None)) | Ok(Err(_)) => return Ok(None),
            }
        }
    }
}
