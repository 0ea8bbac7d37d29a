//! The data layer: one code path over SQLite (default) and PostgreSQL,
//! through sqlx's `Any` driver. All SQL of the application lives under here.
//!
//! Portability rules the queries follow: `$n` placeholders (sqlx binds them
//! by number on SQLite too), integers as BIGINT/i64, times as Unix seconds,
//! enums as TEXT, no booleans.

pub mod admins;
pub mod audit;
pub mod barangays;
pub mod cache;
pub mod collections;
pub mod dashboards;
pub mod flag;
pub mod idempotency;
pub mod ledger;
pub mod passkeys;
pub mod reference;
pub mod resets;
pub mod residents;
pub mod rewards;
pub mod second_factors;
pub mod sessions;
pub mod throttle;

use std::{path::Path, str::FromStr, sync::Arc, time::Duration};

use anyhow::Context;
use sqlx::{any::AnyPoolOptions, AnyPool};

/// A pooled PostgreSQL connection idle for longer than this is checked
/// with a round trip before a request gets it.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(2);

/// Where a read runs: the pool (`db.pool()`, a connection per statement) or
/// one connection held for several statements (`&mut *db.reader().await?`).
pub trait Reader<'c>: sqlx::Executor<'c, Database = sqlx::Any> {}

impl<'c, E: sqlx::Executor<'c, Database = sqlx::Any>> Reader<'c> for E {}

/// A realm's account as stored (`residents::ResidentRow`,
/// `admins::AdminRow`): what a session carries for one request and what
/// [`AccountRow::find`] reads afresh.
pub trait AccountRow: serde::de::DeserializeOwned + Send + Sized {
    fn id(&self) -> i64;
    fn find(db: &Db, id: i64) -> impl std::future::Future<Output = sqlx::Result<Option<Self>>> + Send;
}

/// Which database the URL points at; only migrations differ between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle on the database, cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// Reference data read through memory (`cache`); shared by the clones.
    cache: Arc<cache::ReferenceCache>,
}

impl Db {
    /// Connects, creating the SQLite file (and its folder) if needed, and
    /// applies pending migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        Self::connect_with(url, None).await
    }

    /// [`Self::connect`] with a pool of at most `max_connections` (`None`:
    /// [`default_pool_size`]).
    pub async fn connect_with(url: &str, max_connections: Option<u32>) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres://");
        };
        if backend == Backend::Sqlite {
            let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                .context("DATABASE_URL is not a valid SQLite URL")?;
            if let Some(dir) = options.get_filename().parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create the database folder {}", dir.display()))?;
            }
        }
        // sqlx pings every connection it hands out from the pool (and again
        // when it is given back), a round trip each time. A SQLite
        // connection is a file handle in this process: it cannot have been
        // dropped by a server or a network while idle, so it is never
        // checked before use. A PostgreSQL connection can be (a server
        // restart, a proxy's idle timeout), but not in the milliseconds
        // between two requests of a busy server: only one that sat idle for
        // a while is pinged first, and a dead one is closed and replaced
        // before the request sees it.
        let options = AnyPoolOptions::new()
            .test_before_acquire(false)
            .max_connections(max_connections.unwrap_or_else(|| default_pool_size(backend)))
            .acquire_timeout(Duration::from_secs(10));
        let options = match backend {
            Backend::Sqlite => options,
            Backend::Postgres => options.before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for > PING_WHEN_IDLE_FOR {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(true)
                })
            }),
        };
        let pool =
            options.connect(url).await.context("cannot connect to the database (check DATABASE_URL)")?;
        if backend == Backend::Sqlite {
            // WAL lets readers proceed while one writer commits; the mode is
            // stored in the file, so once is enough.
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        let db = Self { pool, backend, cache: Default::default() };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator.run(&self.pool).await.context("database migration failed")?;
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn cache(&self) -> &cache::ReferenceCache {
        &self.cache
    }

    /// A transaction that will write. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`), so it waits its turn behind other writers
    /// (busy timeout) instead of failing with "database is locked" when a
    /// transaction that began by reading tries to upgrade to writing.
    pub async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// One connection of the pool, held for several reads in a row (a
    /// page's queries). Each statement run on the pool takes a connection
    /// and gives it back, and sqlx checks every connection given back with
    /// a round trip of its own (on SQLite, a hand-off to the connection's
    /// thread and back); holding one connection pays that once.
    pub async fn reader(&self) -> sqlx::Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        self.pool.acquire().await
    }

    /// Cheap liveness probe for `/readyz`.
    pub async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The pool size when none is configured. SQLite: 8 (each connection is a
/// thread of this process reading the file). PostgreSQL: twice the
/// machine's cores, at least 4 and at most 16, PostgreSQL's own rule of
/// thumb: every connection is a backend process, and more of them running
/// than there are cores to run them only take turns. On the 2-core
/// benchmark machine, where the database shares the cores, 4 connections
/// instead of 16 took a quarter less of PostgreSQL's CPU per dashboard and
/// served 10-20 % more (bench/README.md, ninth round). A database across a
/// network holds each connection longer: `EKO_DB_MAX_CONNECTIONS` raises it.
pub fn default_pool_size(backend: Backend) -> u32 {
    match backend {
        Backend::Sqlite => 8,
        Backend::Postgres => {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
            (2 * cores).clamp(4, 16)
        }
    }
}

/// Current time as Unix seconds, the representation every table uses.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// True when an insert failed on a unique constraint.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// Writes a consistent copy of a live SQLite database to `target` with
/// `VACUUM INTO` (one read transaction: the server keeps serving, writers
/// are not blocked in WAL mode). The copy is written beside the target and
/// renamed into place, so an interrupted backup never leaves a file that
/// looks complete. PostgreSQL is backed up with `pg_dump` instead.
pub async fn backup(url: &str, target: &Path) -> anyhow::Result<u64> {
    use sqlx::{ConnectOptions, Connection};
    if !url.starts_with("sqlite:") {
        anyhow::bail!(
            "eko backup copies SQLite databases; back up PostgreSQL with \
             `pg_dump --format=custom --file=<file> \"$DATABASE_URL\"` (README: Backups)"
        );
    }
    if target.exists() {
        anyhow::bail!("{} already exists; choose a new file name", target.display());
    }
    let source = sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .context("DATABASE_URL is not a valid SQLite URL")?
        .create_if_missing(false);
    if !Path::new(source.get_filename()).exists() {
        anyhow::bail!("there is no database at {}", source.get_filename().display());
    }
    let partial = target.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let mut conn = source.connect().await.context("cannot open the database")?;
    sqlx::query("VACUUM INTO $1")
        .bind(partial.display().to_string())
        .execute(&mut conn)
        .await
        .with_context(|| format!("cannot write the backup to {}", partial.display()))?;
    conn.close().await?;
    // The copy must be a sound database before it takes the final name.
    let mut copy = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&partial)
        .read_only(true)
        .connect()
        .await
        .context("cannot open the backup copy")?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut copy).await?;
    copy.close().await?;
    if check != "ok" {
        let _ = std::fs::remove_file(&partial);
        anyhow::bail!("the backup copy failed SQLite's integrity check: {check}");
    }
    std::fs::rename(&partial, target)
        .with_context(|| format!("cannot move the backup to {}", target.display()))?;
    Ok(std::fs::metadata(target)?.len())
}

/// Path of the SQLite file, for tooling and messages.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    sqlx::sqlite::SqliteConnectOptions::from_str(url).ok().map(|o| Path::new(o.get_filename()).to_path_buf())
}
