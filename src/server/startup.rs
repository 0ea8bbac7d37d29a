//! Builds the application: database, state, the two realm session layers,
//! hardening, and the Leptos routes; binds the listener (port 0 in tests).

use std::{
    sync::{Arc, LazyLock},
    time::Duration,
};

use anyhow::Context;
use axum::{
    extract::State,
    http::{HeaderName, StatusCode},
    middleware,
    routing::get,
    Router,
};
use leptos::{config::LeptosOptions, prelude::*};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

use super::{
    auth::{guard::guard_private_pages, realm_session, Passwords, RealmStore},
    config::Settings,
    db::{self, Db},
    events::EventBus,
    mail::Mailer,
    password_reset,
    security::{self, RandomRequestId, SiteOrigin},
    session_stream,
    setup::SetupCode,
    state::AppState,
};
use crate::{
    app::{shell, App},
    realm::{AdminRealm, Realm, RealmMarker, UserRealm},
};

/// A built, bound, not yet running server.
pub struct Application {
    listener: TcpListener,
    port: u16,
    router: Router,
    state: AppState,
    setup_code: Option<String>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        settings.validate()?;
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("cannot listen on {}", settings.listen))?;
        let addr = listener.local_addr()?;
        let db = Db::connect_with(&settings.database_url, settings.db_max_connections).await?;
        let passwords = Passwords::new(settings.argon2)?;
        let mailer = Mailer::from_settings(&settings.mail)?;
        if settings.production && settings.mail.smtp_url.is_none() {
            tracing::warn!(
                outbox = %settings.mail.outbox.display(),
                "production mode without EKO_SMTP_URL: mail is only written to the outbox folder"
            );
        }
        let setup = SetupCode::default();
        let setup_code = if settings.offer_setup_code
            && db::admins::count(&db).await.context("cannot count staff accounts")? == 0
        {
            Some(setup.issue())
        } else {
            None
        };
        let leptos_options = LeptosOptions::builder()
            .output_name("eko")
            .site_root(settings.site_root.as_str())
            .site_pkg_dir("pkg")
            .hash_files(site_files_are_hashed())
            .site_addr(addr)
            .env(if settings.production { leptos::config::Env::PROD } else { leptos::config::Env::DEV })
            .build();
        let settings_streams = settings.streams;
        let relying_party = super::passkeys::RelyingParty::from_site_url(&settings.site_url)
            .context("EKO_SITE_URL cannot be a WebAuthn relying party")?;
        let events = EventBus::default();
        let state = AppState::new(super::state::Shared {
            endings: super::auth::SessionEndings::new(db.clone(), events.clone()),
            events,
            db,
            settings: Arc::new(settings),
            passwords,
            setup_code: setup,
            leptos_options,
            mailer,
            streams: super::stream_limits::OpenStreams::new(settings_streams),
            draining: Default::default(),
            relying_party,
        });
        let router = router(state.clone());
        Ok(Self { listener, port: addr.port(), router, state, setup_code })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The one-time setup code on offer (tests and the start-up banner).
    pub fn setup_code(&self) -> Option<&str> {
        self.setup_code.as_deref()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes in-flight requests.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `stop` resolves.
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let state = self.state.clone();
        if let Some(code) = &self.setup_code {
            // Printed, not logged: it is meant for the operator's eyes once.
            eprintln!(
                "\n  No staff account exists yet.\n  Create the first super admin at {}/admin/setup with the one-time setup code:\n\n      {code}\n\n  (or run: eko create-admin --email … --name …)\n",
                state.settings.site_url.trim_end_matches('/')
            );
        }
        tracing::info!(
            address = %format!("http://{}", self.listener.local_addr()?),
            mail = %state.mailer.describe(),
            "Eko is listening"
        );
        let purge = tokio::spawn(purge_expired_sessions(state.db.clone()));
        let relay = (state.db.backend() == db::Backend::Postgres).then(|| {
            tokio::spawn(crate::server::events::relay_through_postgres(
                state.events.clone(),
                state.db.pool().clone(),
                state.settings.database_url.clone(),
            ))
        });
        let (events, draining, drain) =
            (state.events.clone(), state.draining.clone(), state.settings.shutdown_drain);
        let stop = async move {
            stop.await;
            // First drain: keep answering, but every response closes its
            // connection (clients stop reusing kept-alive ones) and /readyz
            // says 503 (proxies stop sending). A request racing the stop on
            // an idle kept-alive connection is answered rather than lost.
            draining.store(true, std::sync::atomic::Ordering::SeqCst);
            // Open event streams would hold the graceful shutdown forever.
            events.close_all();
            tokio::time::sleep(drain).await;
            // Then stop accepting and finish what is in flight.
        };
        super::serve::serve(self.listener, self.router, state.settings.header_read_timeout, stop).await;
        purge.abort();
        if let Some(relay) = relay {
            relay.abort();
        }
        state.db.close().await;
        tracing::info!("Eko stopped");
        Ok(())
    }
}

fn session_layers<R: RealmMarker>(
    state: &AppState,
) -> (SessionManagerLayer<RealmStore>, Arc<realm_session::RealmSessionConfig>) {
    let settings = &state.settings;
    let realm: Realm = R::REALM;
    let lifetimes = settings.lifetimes(realm);
    let store = RealmStore::new(state.db.clone(), state.events.clone(), realm, lifetimes.absolute);
    let idle = time::Duration::try_from(lifetimes.idle).unwrap_or(time::Duration::DAY);
    let manager = SessionManagerLayer::new(store.clone())
        .with_name(settings.cookie_name(realm))
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.production)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle));
    let config = Arc::new(realm_session::RealmSessionConfig {
        store,
        cookie_name: settings.cookie_name(realm),
        touch_every: settings.session_touch_interval.min(lifetimes.idle / 10),
        idle: lifetimes.idle,
        events: state.events.clone(),
        db: state.db.clone(),
        trusted_proxies: settings.trusted_proxies.clone(),
    });
    (manager, config)
}

/// The app's pages as axum routes, worked out once per process.
///
/// Leptos finds the routes by rendering the whole app with every resource
/// held back, and the switch that holds them back is one flag for the whole
/// process (`leptos_server`'s `SuppressResourceLoad`, leptos-rs/leptos#4773).
/// A page that another thread starts rendering meanwhile never loads its
/// data: its request hangs for good. Once per process, before any server
/// built here has answered anything, nothing can render alongside it; a
/// second server in the same process (a test's, or another instance) reuses
/// the list.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));
    ROUTES.clone()
}

/// The full router: pages and server functions of both realms, behind both
/// realm session layers and the hardening layers.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let (user_manager, user_config) = session_layers::<UserRealm>(&state);
    let (admin_manager, admin_config) = session_layers::<AdminRealm>(&state);
    let request_id = HeaderName::from_static("x-request-id");
    let context_state = state.clone();
    let leptos_options = state.leptos_options.clone();

    // Pages and server-function answers, compressed when the browser asks.
    // Only these and the static files: the compression layer wraps every
    // body it passes in a type as large as its largest encoder's state
    // (brotli, ~5 KiB), boxed, which an open event stream would carry for
    // its whole life; streams are never compressed anyway.
    let pages = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_state.clone());
            },
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(CompressionLayer::new());

    let routes = Router::new()
        // The site's static files: precompressed copies when the browser
        // takes them (compressed on the fly where a build has none), and
        // conditional requests (304) for revalidation.
        .nest_service(
            "/pkg",
            tower::Layer::layer(
                &CompressionLayer::new(),
                tower_http::services::ServeDir::new(format!("{}/pkg", state.settings.site_root))
                    .precompressed_br()
                    .precompressed_gzip(),
            ),
        )
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route(crate::live::stream_path(Realm::User), get(session_stream::events::<UserRealm>))
        .route(crate::live::stream_path(Realm::Admin), get(session_stream::events::<AdminRealm>))
        .merge(pages)
        .with_state(state.clone());

    // The layers wrap the router as a whole, outermost first. Added with
    // `Router::layer` they would wrap each route's boxed handler one by one,
    // and as every layer clones what it wraps for each request (tower's
    // ready-service pattern), a request then cloned the whole boxed chain
    // once per layer: ~180 boxed clones and 27 copies of the Leptos options
    // per page. Around the router, a clone is a handful of small values and
    // the router's reference count.
    let layered = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(request_id.clone(), RandomRequestId))
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = req.uri().path(), request_id = id)
        }))
        .layer(middleware::from_fn_with_state(state.draining.clone(), close_connections_while_draining))
        .layer(middleware::from_fn(security::cache_policy))
        .layer(middleware::from_fn_with_state(state.settings.production, security::security_headers))
        .layer(RequestBodyLimitLayer::new(state.settings.body_limit))
        // The limit wraps the body in its own type; the layers below and
        // the router take axum's body (`Router::layer` did this itself).
        .map_request(|req: axum::http::Request<_>| req.map(axum::body::Body::new))
        .layer(middleware::from_fn(security::refuse_control_characters))
        .layer(middleware::from_fn_with_state(
            SiteOrigin::from_site_url(&state.settings.site_url),
            security::refuse_cross_origin,
        ))
        .layer(user_manager)
        .layer(middleware::from_fn_with_state(user_config, realm_session::adopt::<UserRealm>))
        .layer(admin_manager)
        .layer(middleware::from_fn_with_state(admin_config, realm_session::adopt::<AdminRealm>))
        .layer(middleware::from_fn_with_state(state.clone(), password_reset::capture_link))
        // innermost: the guard sees both realm sessions
        .layer(middleware::from_fn(guard_private_pages))
        .service(routes);
    Router::new().fallback_service(layered)
}

/// Whether the build gave the site's wasm, JS and CSS content-hashed names:
/// cargo-leptos then writes `hash.txt` beside the server binary (and
/// `make release` copies it into the release folder), which Leptos reads to
/// name the files in each page.
fn site_files_are_hashed() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").is_file()))
        .unwrap_or(false)
}

async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.draining.load(std::sync::atomic::Ordering::SeqCst) {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    }
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(err) => {
            tracing::error!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// While the server drains before stopping, every response tells the client
/// to close its connection.
async fn close_connections_while_draining(
    State(draining): State<Arc<std::sync::atomic::AtomicBool>>,
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let mut res = next.run(req).await;
    if draining.load(std::sync::atomic::Ordering::SeqCst) {
        res.headers_mut()
            .insert(axum::http::header::CONNECTION, axum::http::HeaderValue::from_static("close"));
    }
    res
}

/// Forgets sessions a day after they expired (kept that long so a returning
/// visitor is told "expired" rather than "ended"), expired reset links and
/// quiet throttle counters.
async fn purge_expired_sessions(db: Db) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        match db::sessions::purge_expired(&db, db::now() - 24 * 3600).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(purged = n, "expired sessions purged"),
            Err(err) => tracing::warn!(error = %err, "session purge failed"),
        }
        if let Err(err) = db::resets::purge_expired(&db, db::now()).await {
            tracing::warn!(error = %err, "reset link purge failed");
        }
        if let Err(err) = db::idempotency::purge(&db, db::now() - 24 * 3600).await {
            tracing::warn!(error = %err, "idempotency key purge failed");
        }
        // Throttle counters quiet for a day (unknown emails are counted too).
        if let Err(err) = db::throttle::purge_quiet(&db, db::now() - 24 * 3600).await {
            tracing::warn!(error = %err, "throttle counter purge failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
