//! The audit log: what is recorded, what never is, and who may read it.

use std::time::Duration;

use eko::{domain::AdminRole, realm::Realm, server::config::ThrottleSettings};
use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with, Browser, PASSWORD};

async fn entries(console: &Browser, filters: &[(&str, &str)]) -> Vec<serde_json::Value> {
    let reply = console.post("/api/admin/audit_log", filters).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let page: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn sign_ins_failures_and_sign_outs_are_recorded_without_secrets() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let analyst = app.staff("analyst@cenro.example.ph", AdminRole::SecurityAnalyst).await;
    let browser = app.browser();
    browser.sign_in_with(Realm::User, &email, "a wrong password here").await;
    browser.sign_in(Realm::User, &email).await;
    let cookie = browser.cookie("eko_user").unwrap();
    browser.sign_out(Realm::User).await;

    let console = app.browser();
    console.sign_in(Realm::Admin, &analyst).await;
    let user_entries = entries(&console, &[("realm", "user")]).await;
    let kinds: Vec<&str> = user_entries.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["Sign-out", "Sign-in", "Failed sign-in"], "newest first");
    for entry in &user_entries {
        assert_eq!(entry["account_email"], email.as_str());
        assert_eq!(entry["client_ip"], "127.0.0.1");
    }
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT account_email, user_agent, detail FROM audit_log")
            .fetch_all(app.db().pool())
            .await
            .unwrap();
    for (account, agent, detail) in rows {
        for secret in [PASSWORD, "a wrong password here", cookie.as_str()] {
            assert!(!account.contains(secret) && !agent.contains(secret) && !detail.contains(secret));
        }
    }
}

#[tokio::test]
async fn lockouts_and_staff_decisions_are_recorded_and_filterable() {
    let app = spawn_app_with(|s| {
        s.throttle = ThrottleSettings {
            account_attempts: 2,
            address_attempts: 100,
            base_lock: Duration::from_secs(30),
            max_lock: Duration::from_secs(60),
            ..ThrottleSettings::default()
        }
    })
    .await;
    let resident = app.approved_resident("ana@example.ph").await;
    let pending = app.pending_resident("new@example.ph").await;
    let chief = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let browser = app.browser();
    for _ in 0..2 {
        browser.sign_in_with(Realm::User, &resident, "a wrong password here").await;
    }
    let console = app.browser();
    console.sign_in(Realm::Admin, &chief).await;
    console.post("/api/admin/approve_resident", &[("resident_id", &pending.to_string())]).await;

    let lockouts = entries(&console, &[("kind", "lockout")]).await;
    assert_eq!(lockouts.len(), 1);
    assert_eq!(lockouts[0]["account_email"], resident.as_str());
    let approvals = entries(&console, &[("kind", "resident_approved")]).await;
    assert_eq!(approvals.len(), 1);
    assert_eq!(approvals[0]["account_email"], "new@example.ph");
    let by_account = entries(&console, &[("account", "new@")]).await;
    assert!(by_account.iter().all(|e| e["account_email"] == "new@example.ph"));
    let staff_only = entries(&console, &[("realm", "admin")]).await;
    assert!(staff_only.iter().all(|e| e["realm"] == "Staff"));
    assert!(staff_only.iter().any(|e| e["kind"] == "Sign-in" && e["account_email"] == chief.as_str()));
}

#[tokio::test]
async fn only_super_admins_and_security_analysts_read_the_audit_log() {
    let app = spawn_app().await;
    let ops = app.staff("ops@cenro.example.ph", AdminRole::OperationsManager).await;
    let console = app.browser();
    console.sign_in(Realm::Admin, &ops).await;
    assert_eq!(console.post("/api/admin/audit_log", &[]).await.status, StatusCode::FORBIDDEN);
    let resident = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &resident).await;
    assert_eq!(browser.post("/api/admin/audit_log", &[]).await.status, StatusCode::UNAUTHORIZED);

    let chief = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let console = app.browser();
    console.sign_in(Realm::Admin, &chief).await;
    for bad in [[("realm", "root")], [("kind", "'; DROP TABLE audit_log; --")]] {
        assert_eq!(console.post("/api/admin/audit_log", &bad).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(console.post("/api/admin/audit_log", &[("account", "%_\\")]).await.status, StatusCode::OK);
}
