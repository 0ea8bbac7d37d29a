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
    /// Fill a fresh database with demo data (staff of every role, residents,
    /// twelve weeks of collections, rewards, redemptions) and print how to
    /// sign in.
    Demo,
}

/// Parses the command line and runs it.
pub async fn run() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    telemetry::init();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await,
        Command::CreateAdmin { email, name, role } => create_admin(&email, &name, &role).await,
        Command::Migrate => migrate().await,
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

async fn demo() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let db = Db::connect(&settings.database_url).await?;
    let passwords = Passwords::new(settings.argon2)?;
    let result = super::demo::fill(&db, &passwords).await;
    db.close().await;
    println!("{}", result?);
    Ok(())
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
