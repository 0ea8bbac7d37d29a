//! The server binary's command line: serve (default), create an admin,
//! migrate, demo data.

use std::{io::BufRead, process::ExitCode};

use clap::{Parser, Subcommand};

use super::{auth::Passwords, config::Settings, db::Db, staff, startup::Application, telemetry};
use crate::domain::AdminRole;

#[derive(Debug, Parser)]
#[command(name = "eko", version, about = "Eko: the waste-collection rewards portal (residents and staff)")]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve,
    /// Create a staff account without prompting (e.g. the first super admin).
    /// The password is read from EKO_ADMIN_PASSWORD, or else from the first
    /// line of standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// super_admin, operations_manager, content_rewards_manager or security_analyst
        #[arg(long, default_value = "super_admin")]
        role: String,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Write a consistent copy of the SQLite database to FILE while the
    /// server keeps serving (PostgreSQL: use pg_dump).
    Backup {
        /// Where the copy goes; must not exist yet.
        file: std::path::PathBuf,
    },
    /// Remove a staff member's two-step sign-in (a lost phone, no recovery
    /// codes, no other super admin to reset it from the console) and end
    /// their staff sessions. They sign in with their password and set it up
    /// again.
    ResetTwoStep {
        #[arg(long)]
        email: String,
    },
    /// Fill a fresh database with demo data (staff of every role, residents,
    /// twelve weeks of collections, rewards, redemptions) and print how to
    /// sign in.
    Demo,
}

/// Parses the command line and runs it.
pub async fn run() -> ExitCode {
    return_freed_memory_to_the_system();
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    telemetry::init();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await,
        Command::CreateAdmin { email, name, role } => create_admin(&email, &name, &role).await,
        Command::Migrate => migrate().await,
        Command::Backup { file } => backup(&file).await,
        Command::ResetTwoStep { email } => reset_two_step(&email).await,
        Command::Demo => demo().await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Each password hash takes ~19 MiB. glibc's malloc raises its mmap
/// threshold after the first such buffer is freed, so later ones come from
/// its heaps and stay with the process after a burst (gigabytes, seen in a
/// review). A fixed 1 MiB threshold keeps large buffers in their own
/// mappings, which go back to the system when freed. The `eko` binary
/// allocates with jemalloc (src/main.rs), which returns such buffers by
/// itself; glibc's malloc still serves SQLite's C code, and everything when
/// the library runs without that binary (the tests).
fn return_freed_memory_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes glibc's allocator tuning (it takes the
    // allocator's own lock); the parameter and value are valid.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

async fn serve() -> anyhow::Result<()> {
    let app = Application::build(Settings::from_env()?).await?;
    app.run_until_stopped().await
}

async fn migrate() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    Db::connect(&settings.database_url).await?.close().await;
    println!("Database is up to date.");
    Ok(())
}

async fn backup(file: &std::path::Path) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let bytes = super::db::backup(&settings.database_url, file).await?;
    println!("Backed up the database to {} ({bytes} bytes).", file.display());
    Ok(())
}

async fn demo() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    if settings.production {
        // The demo's staff passwords are printed and published in the README.
        anyhow::bail!(
            "eko demo is refused in production mode (EKO_PRODUCTION=true): its passwords are public"
        );
    }
    let db = Db::connect(&settings.database_url).await?;
    let passwords = Passwords::new(settings.argon2)?;
    let result = super::demo::fill(&db, &passwords).await;
    db.close().await;
    println!("{}", result?);
    Ok(())
}

async fn reset_two_step(email: &str) -> anyhow::Result<()> {
    use crate::{
        domain::{AuditKind, AuditOutcome, Email},
        realm::Realm,
        server::{
            audit::{self, Subject},
            auth::{realm_session::ClientInfo, SessionEndings},
            db,
            events::EventBus,
            two_factor,
        },
    };
    let email = Email::parse(email).map_err(anyhow::Error::msg)?;
    let settings = Settings::from_env()?;
    let db = Db::connect(&settings.database_url).await?;
    let done = async {
        let admin = db::admins::find_by_email(&db, &email)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no staff account has the email {}", email.as_str()))?;
        // Their pages on a running server find the sessions gone at their
        // next request or check (this process has no open pages to tell).
        let endings = SessionEndings::new(db.clone(), EventBus::default());
        let Some(ended) = two_factor::reset_staff(&db, &endings, admin.id).await? else {
            anyhow::bail!("{} has no two-step sign-in to reset", admin.email);
        };
        let operator = ClientInfo { ip: "command line".into(), user_agent: "eko reset-two-step".into() };
        let subject = Subject::account(admin.id, &admin.email).detail(format!("{ended} session(s) ended"));
        audit::record(&db, Realm::Admin, AuditKind::TwoStepReset, AuditOutcome::Ok, &operator, subject).await;
        println!("Two-step sign-in of {} removed; {ended} staff session(s) ended.", admin.email);
        Ok(())
    };
    let result = done.await;
    db.close().await;
    result
}

async fn create_admin(email: &str, name: &str, role: &str) -> anyhow::Result<()> {
    let role = AdminRole::parse(role).ok_or_else(|| {
        anyhow::anyhow!(
            "unknown role {role:?}; use one of: {}",
            AdminRole::ALL.map(|r| r.as_str()).join(", ")
        )
    })?;
    let password = match std::env::var("EKO_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let settings = Settings::from_env()?;
    let db = Db::connect(&settings.database_url).await?;
    let passwords = Passwords::new(settings.argon2)?;
    let result = staff::create(&db, &passwords, email, name, &password, role, false).await;
    db.close().await;
    match result {
        Ok(id) => {
            println!("Created {} {} (id {id}).", role.label().to_lowercase(), email.trim());
            Ok(())
        }
        Err(err) => anyhow::bail!("{err}"),
    }
}
