//! The server binary's command line.

use std::{
    io::Write,
    process::{Command, Stdio},
};

use eko::realm::Realm;
use reqwest::StatusCode;

use crate::helpers::{spawn_app_with, PASSWORD};

const EKO: &str = env!("CARGO_BIN_EXE_eko");

#[test]
fn the_binary_answers_help() {
    let output = Command::new(EKO).arg("--help").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("create-admin"));
    assert!(text.contains("serve"));
}

fn sqlite_url(name: &str) -> (String, std::path::PathBuf) {
    let path = std::env::temp_dir().join(format!("eko_cli_{}_{name}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    (format!("sqlite://{}?mode=rwc", path.display()), path)
}

#[tokio::test]
async fn create_admin_makes_a_super_admin_who_can_sign_in() {
    let (url, path) = sqlite_url("create");
    let status = Command::new(EKO)
        .args(["create-admin", "--email", "chief@cenro.example.ph", "--name", "Carmen Reyes"])
        .env("DATABASE_URL", &url)
        .env("EKO_ADMIN_PASSWORD", PASSWORD)
        .env("EKO_ARGON2_MEMORY_KIB", "256")
        .env("EKO_ARGON2_ITERATIONS", "1")
        .status()
        .unwrap();
    assert!(status.success());

    let app = spawn_app_with(|s| s.database_url = url.clone()).await;
    assert!(app.setup_code.is_none(), "no setup code once an admin exists");
    let browser = app.browser();
    assert_eq!(browser.sign_in(Realm::Admin, "chief@cenro.example.ph").await.status, StatusCode::OK);
    drop(app);
    let _ = std::fs::remove_file(path);
}

#[test]
fn create_admin_reads_the_password_from_stdin_and_refuses_a_weak_one() {
    let (url, path) = sqlite_url("stdin");
    let mut child = Command::new(EKO)
        .args(["create-admin", "--email", "chief@cenro.example.ph", "--name", "Carmen Reyes"])
        .env("DATABASE_URL", &url)
        .env_remove("EKO_ADMIN_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("at least 12"));
    let _ = std::fs::remove_file(path);
}

#[tokio::test]
async fn reset_two_step_removes_a_staff_members_second_factor_and_ends_their_sessions() {
    let (url, path) = sqlite_url("reset_two_step");
    let app = spawn_app_with(|s| s.database_url = url.clone()).await;
    app.staff("chief@cenro.example.ph", eko::domain::AdminRole::SuperAdmin).await;
    let browser = app.browser();
    browser.sign_in(Realm::Admin, "chief@cenro.example.ph").await;
    crate::two_step::enrol(&browser, Realm::Admin).await;

    let reset = |email: &str| {
        Command::new(EKO)
            .args(["reset-two-step", "--email", email])
            .env("DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    let output = reset("chief@cenro.example.ph");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 staff session(s) ended"));
    assert_eq!(browser.whoami(Realm::Admin).await, None);
    assert_eq!(app.count("second_factors").await, 0);
    assert_eq!(app.count("audit_log WHERE kind = 'two_step_reset'").await, 1);
    // Password alone signs in again.
    assert_eq!(
        browser.sign_in(Realm::Admin, "chief@cenro.example.ph").await.location.as_deref(),
        Some("/admin")
    );

    // Nothing to reset, or no such account: a clear error, nothing changes.
    for email in ["chief@cenro.example.ph", "nobody@cenro.example.ph", "not an email"] {
        let output = reset(email);
        assert!(!output.status.success(), "{email}");
        assert!(!String::from_utf8_lossy(&output.stderr).is_empty());
    }
    drop(app);
    let _ = std::fs::remove_file(path);
}
