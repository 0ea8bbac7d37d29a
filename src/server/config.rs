//! Settings from the environment (and an optional `.env`). No secret has a
//! default in the repository.

use std::{net::SocketAddr, time::Duration};

use anyhow::{bail, Context};

use crate::realm::Realm;

/// How long sessions of one realm may live.
#[derive(Clone, Copy, Debug)]
pub struct RealmLifetimes {
    /// A session unused for this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, however busy.
    pub absolute: Duration,
}

/// Argon2id cost, set in one place for both realms.
#[derive(Clone, Copy, Debug)]
pub struct Argon2Cost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for Argon2Cost {
    /// OWASP's recommended Argon2id parameters (m=19 MiB, t=2, p=1).
    fn default() -> Self {
        Self { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 }
    }
}

/// Brute-force throttling of sign-in, per account and per client address.
#[derive(Clone, Copy, Debug)]
pub struct ThrottleSettings {
    /// Failures of one account allowed before it is locked for a while.
    pub account_attempts: i64,
    /// Failures from one address (any account) allowed before it is locked.
    pub address_attempts: i64,
    /// The first lock; each further failure after a lock doubles it…
    pub base_lock: Duration,
    /// …up to this. Quiet for this long, a counter starts over.
    pub max_lock: Duration,
    /// Password reset requests for one email allowed before a lock.
    pub reset_account_requests: i64,
    /// Password reset requests from one address allowed before a lock.
    pub reset_address_requests: i64,
    /// Registrations from one address allowed before a lock.
    pub register_address_attempts: i64,
}

/// Outgoing mail: SMTP when a URL is set, else `.eml` files in an outbox.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// The sender, e.g. `Eko <no-reply@eko.sanpedro.gov.ph>`.
    pub from: String,
    /// Folder that receives one `.eml` file per message when no SMTP URL is set.
    pub outbox: std::path::PathBuf,
    /// `smtps://user:pass@host:465`, `smtp://host:587?tls=required`, ….
    pub smtp_url: Option<SmtpUrl>,
}

/// An SMTP URL; it may hold a password, so `Debug` hides it.
#[derive(Clone)]
pub struct SmtpUrl(pub String);

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = self.0.split("://").next().unwrap_or("?");
        let host = self.0.rsplit('@').next().unwrap_or_default().split(['/', '?']).next().unwrap_or_default();
        write!(f, "SmtpUrl({scheme}://…@{host})")
    }
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        Self {
            account_attempts: 5,
            address_attempts: 20,
            reset_account_requests: 3,
            reset_address_requests: 10,
            register_address_attempts: 10,
            base_lock: Duration::from_secs(30),
            max_lock: Duration::from_secs(15 * 60),
        }
    }
}

/// The compiled site when `LEPTOS_SITE_ROOT` is not set: the `site` folder
/// next to the executable (the layout `make release` writes, so the folder
/// runs from anywhere), else cargo-leptos' `target/site` in a checkout.
fn default_site_root() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("site")))
        .filter(|site| site.join("pkg").is_dir())
        .map(|site| site.display().to_string())
        .unwrap_or_else(|| "target/site".into())
}

/// All settings of one server instance.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `sqlite://…` (default, a file under `data/`) or `postgres://…`.
    pub database_url: String,
    /// Most connections the pool opens (`None`: `db::default_pool_size`).
    pub db_max_connections: Option<u32>,
    /// Address to listen on; port 0 picks a free port (tests).
    pub listen: SocketAddr,
    /// Public base URL of the site, e.g. `https://eko.sanpedro.gov.ph`.
    pub site_url: String,
    /// Production mode: Secure + `__Host-` cookies, HSTS, strict checks.
    pub production: bool,
    pub user: RealmLifetimes,
    pub admin: RealmLifetimes,
    pub argon2: Argon2Cost,
    /// Sessions are re-saved (idle deadline pushed back) at most this often.
    pub session_touch_interval: Duration,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Directory of the compiled site: `LEPTOS_SITE_ROOT`, else `site/`
    /// beside the binary (a release folder), else `target/site` (a checkout).
    pub site_root: String,
    /// Print a one-time setup code while no staff account exists.
    pub offer_setup_code: bool,
    pub throttle: ThrottleSettings,
    /// Reverse proxies whose `X-Forwarded-For` is believed; the client
    /// address is otherwise the socket's.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub mail: MailSettings,
    /// How long a password reset link works.
    pub reset_link_lifetime: Duration,
    /// Bounds on open event streams.
    pub streams: super::stream_limits::StreamLimits,
    /// On SIGTERM, how long Eko keeps answering (each response with
    /// `Connection: close`, `/readyz` 503) before it stops accepting.
    pub shutdown_drain: Duration,
    /// How long a client may take to send a request's head
    /// (`EKO_HEADER_READ_TIMEOUT`); a connection that trickles it is closed.
    pub header_read_timeout: Duration,
    /// Whether staff must sign in in two steps (`EKO_STAFF_TWO_FACTOR`).
    pub staff_two_factor: TwoFactorPolicy,
    /// How long a sign-in waits for its code after the password step.
    pub second_step_timeout: Duration,
}

/// Whether staff must use two-step sign-in. Residents may always choose it
/// and are never required to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TwoFactorPolicy {
    /// A staff member without a second factor sets one up right after the
    /// password step and can do nothing else until done.
    Required,
    /// Each staff member chooses.
    Optional,
}

impl Settings {
    pub fn lifetimes(&self, realm: Realm) -> RealmLifetimes {
        match realm {
            Realm::User => self.user,
            Realm::Admin => self.admin,
        }
    }

    /// The realm's cookie name in the current mode.
    pub fn cookie_name(&self, realm: Realm) -> &'static str {
        realm.cookie_name(self.production)
    }

    /// Settings for a development machine; every field can be overridden.
    pub fn development() -> Self {
        Self {
            database_url: "sqlite://data/eko.db?mode=rwc".into(),
            db_max_connections: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            site_url: "http://127.0.0.1:3000".into(),
            production: false,
            user: RealmLifetimes {
                idle: Duration::from_secs(24 * 3600),
                absolute: Duration::from_secs(30 * 24 * 3600),
            },
            admin: RealmLifetimes {
                idle: Duration::from_secs(30 * 60),
                absolute: Duration::from_secs(12 * 3600),
            },
            argon2: Argon2Cost::default(),
            session_touch_interval: Duration::from_secs(60),
            body_limit: 64 * 1024,
            site_root: "target/site".into(),
            offer_setup_code: true,
            throttle: ThrottleSettings::default(),
            trusted_proxies: Vec::new(),
            mail: MailSettings {
                from: "Eko <no-reply@eko.localhost>".into(),
                outbox: "data/outbox".into(),
                smtp_url: None,
            },
            reset_link_lifetime: Duration::from_secs(3600),
            streams: super::stream_limits::StreamLimits::default(),
            shutdown_drain: Duration::from_secs(1),
            header_read_timeout: Duration::from_secs(30),
            staff_two_factor: TwoFactorPolicy::Optional,
            second_step_timeout: Duration::from_secs(300),
        }
    }

    /// Reads the environment: `DATABASE_URL`, `EKO_*`, and cargo-leptos'
    /// `LEPTOS_SITE_ADDR` / `LEPTOS_SITE_ROOT`.
    pub fn from_env() -> anyhow::Result<Self> {
        let mut s = Self::development();
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        if let Some(v) = var("DATABASE_URL") {
            s.database_url = v;
        }
        if let Some(v) = var("EKO_LISTEN").or_else(|| var("LEPTOS_SITE_ADDR")) {
            s.listen = v.parse().with_context(|| format!("invalid listen address {v:?}"))?;
        }
        s.site_url = var("EKO_SITE_URL").unwrap_or_else(|| format!("http://{}", s.listen));
        s.production = match var("EKO_PRODUCTION").as_deref() {
            None => false,
            Some("1" | "true" | "yes") => true,
            Some("0" | "false" | "no") => false,
            Some(other) => bail!("EKO_PRODUCTION must be true or false, not {other:?}"),
        };
        s.staff_two_factor = match var("EKO_STAFF_TWO_FACTOR").as_deref() {
            None if s.production => TwoFactorPolicy::Required,
            None => TwoFactorPolicy::Optional,
            Some("required") => TwoFactorPolicy::Required,
            Some("optional") => TwoFactorPolicy::Optional,
            Some(other) => bail!("EKO_STAFF_TWO_FACTOR must be required or optional, not {other:?}"),
        };
        let duration = |name: &str, default: Duration| -> anyhow::Result<Duration> {
            match var(name) {
                None => Ok(default),
                Some(v) => humantime::parse_duration(&v)
                    .with_context(|| format!("{name} must be a duration like 30m or 24h, not {v:?}")),
            }
        };
        s.user.idle = duration("EKO_USER_IDLE_TIMEOUT", s.user.idle)?;
        s.user.absolute = duration("EKO_USER_ABSOLUTE_TIMEOUT", s.user.absolute)?;
        s.admin.idle = duration("EKO_ADMIN_IDLE_TIMEOUT", s.admin.idle)?;
        s.admin.absolute = duration("EKO_ADMIN_ABSOLUTE_TIMEOUT", s.admin.absolute)?;
        s.session_touch_interval = duration("EKO_SESSION_TOUCH_INTERVAL", s.session_touch_interval)?;
        let number = |name: &str, default: u32| -> anyhow::Result<u32> {
            match var(name) {
                None => Ok(default),
                Some(v) => v.parse().with_context(|| format!("{name} must be a whole number, not {v:?}")),
            }
        };
        s.argon2.memory_kib = number("EKO_ARGON2_MEMORY_KIB", s.argon2.memory_kib)?;
        s.argon2.iterations = number("EKO_ARGON2_ITERATIONS", s.argon2.iterations)?;
        s.argon2.parallelism = number("EKO_ARGON2_PARALLELISM", s.argon2.parallelism)?;
        s.body_limit = number("EKO_BODY_LIMIT", s.body_limit as u32)? as usize;
        if var("EKO_DB_MAX_CONNECTIONS").is_some() {
            s.db_max_connections = Some(number("EKO_DB_MAX_CONNECTIONS", 0)?);
        }
        s.throttle.account_attempts =
            number("EKO_THROTTLE_ACCOUNT_ATTEMPTS", s.throttle.account_attempts as u32)? as i64;
        s.throttle.address_attempts =
            number("EKO_THROTTLE_ADDRESS_ATTEMPTS", s.throttle.address_attempts as u32)? as i64;
        s.throttle.base_lock = duration("EKO_THROTTLE_BASE_LOCK", s.throttle.base_lock)?;
        s.throttle.max_lock = duration("EKO_THROTTLE_MAX_LOCK", s.throttle.max_lock)?;
        s.throttle.reset_account_requests =
            number("EKO_THROTTLE_RESET_ACCOUNT_REQUESTS", s.throttle.reset_account_requests as u32)? as i64;
        s.throttle.reset_address_requests =
            number("EKO_THROTTLE_RESET_ADDRESS_REQUESTS", s.throttle.reset_address_requests as u32)? as i64;
        s.throttle.register_address_attempts =
            number("EKO_THROTTLE_REGISTER_ADDRESS_ATTEMPTS", s.throttle.register_address_attempts as u32)?
                as i64;
        s.reset_link_lifetime = duration("EKO_RESET_LINK_LIFETIME", s.reset_link_lifetime)?;
        s.streams.per_session = number("EKO_STREAMS_PER_SESSION", s.streams.per_session as u32)? as usize;
        s.streams.per_address = number("EKO_STREAMS_PER_ADDRESS", s.streams.per_address as u32)? as usize;
        s.streams.max_age = duration("EKO_STREAM_MAX_AGE", s.streams.max_age)?;
        s.shutdown_drain = duration("EKO_SHUTDOWN_DRAIN", s.shutdown_drain)?;
        s.header_read_timeout = duration("EKO_HEADER_READ_TIMEOUT", s.header_read_timeout)?;
        if let Some(v) = var("EKO_MAIL_FROM") {
            s.mail.from = v;
        }
        if let Some(v) = var("EKO_MAIL_OUTBOX") {
            s.mail.outbox = v.into();
        }
        s.mail.smtp_url = var("EKO_SMTP_URL").map(SmtpUrl);
        if let Some(v) = var("EKO_TRUSTED_PROXIES") {
            s.trusted_proxies = v
                .split(',')
                .map(|p| {
                    p.trim()
                        .parse()
                        .with_context(|| format!("EKO_TRUSTED_PROXIES: {p:?} is not an IP address"))
                })
                .collect::<anyhow::Result<_>>()?;
        }
        s.site_root = match var("LEPTOS_SITE_ROOT") {
            Some(v) => v,
            None => default_site_root(),
        };
        s.validate()?;
        Ok(s)
    }

    /// Refuses settings that are unsafe or make no sense.
    pub fn validate(&self) -> anyhow::Result<()> {
        if self.db_max_connections.is_some_and(|n| !(1..=1000).contains(&n)) {
            bail!("EKO_DB_MAX_CONNECTIONS must be between 1 and 1000");
        }
        for realm in Realm::ALL {
            let l = self.lifetimes(realm);
            if l.idle.is_zero() || l.absolute.is_zero() {
                bail!("{} session lifetimes must be longer than zero", realm.as_str());
            }
            if l.idle > l.absolute {
                bail!("the {} idle timeout must not exceed its absolute lifetime", realm.as_str());
            }
        }
        let t = &self.throttle;
        if t.account_attempts < 1
            || t.address_attempts < 1
            || t.base_lock.is_zero()
            || t.max_lock < t.base_lock
            || t.reset_account_requests < 1
            || t.reset_address_requests < 1
            || t.register_address_attempts < 1
        {
            bail!("the throttling settings are out of range");
        }
        if self.argon2.memory_kib < 8 * self.argon2.parallelism || self.argon2.iterations == 0 {
            bail!("the Argon2 cost settings are out of range");
        }
        if self.reset_link_lifetime < Duration::from_secs(60)
            || self.reset_link_lifetime > Duration::from_secs(7 * 24 * 3600)
        {
            bail!("EKO_RESET_LINK_LIFETIME must be between 1 minute and 7 days");
        }
        if self.shutdown_drain > Duration::from_secs(60) {
            bail!("EKO_SHUTDOWN_DRAIN must be at most 60s");
        }
        if self.header_read_timeout < Duration::from_secs(1)
            || self.header_read_timeout > Duration::from_secs(300)
        {
            bail!("EKO_HEADER_READ_TIMEOUT must be between 1s and 5m");
        }
        if self.streams.per_session == 0 || self.streams.per_address == 0 || self.streams.max_age.is_zero() {
            bail!("the event stream limits must be above zero");
        }
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            bail!("EKO_MAIL_FROM must be a mail address like `Eko <no-reply@example.ph>`");
        }
        if !(self.site_url.starts_with("http://") || self.site_url.starts_with("https://")) {
            bail!("EKO_SITE_URL must start with http:// or https://");
        }
        if self.production {
            if !self.site_url.starts_with("https://") {
                bail!("production mode needs an https:// EKO_SITE_URL (cookies are Secure)");
            }
            let weak = Argon2Cost::default();
            if self.argon2.memory_kib < weak.memory_kib || self.argon2.iterations < weak.iterations {
                bail!("production mode refuses an Argon2 cost below OWASP's recommendation");
            }
        }
        Ok(())
    }
}
