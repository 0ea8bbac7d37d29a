//! `eko backup`: a consistent copy of a live SQLite database, taken while
//! the server keeps writing, restores every committed session, resident and
//! ledger entry.

use std::{
    process::Command,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use eko::{domain::AdminRole, realm::Realm};
use reqwest::StatusCode;

use crate::helpers::{spawn_app_with, Browser};

const EKO: &str = env!("CARGO_BIN_EXE_eko");

/// A folder of its own under the system temp dir, removed on drop.
struct Folder(std::path::PathBuf);

impl Folder {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("eko_backup_{}_{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    fn sqlite_url(&self, file: &str) -> String {
        format!("sqlite://{}?mode=rwc", self.0.join(file).display())
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn a_backup_taken_under_write_load_restores_every_committed_session_resident_and_ledger_entry() {
    let live = Folder::new("live");
    let live_url = live.sqlite_url("eko.db");
    let app = spawn_app_with(|s| s.database_url = live_url.clone()).await;

    // Arrange: a staff member and residents, all signed in.
    let staff_email = app.staff("ops@cenro.example.ph", AdminRole::OperationsManager).await;
    let staff = app.browser();
    assert_eq!(staff.sign_in(Realm::Admin, &staff_email).await.status, StatusCode::OK);
    let mut residents: Vec<(String, i64, Browser)> = Vec::new();
    for n in 0..5 {
        let email = app.approved_resident(&format!("resident{n}@example.ph")).await;
        let browser = app.browser();
        assert_eq!(browser.sign_in(Realm::User, &email).await.status, StatusCode::OK);
        let parsed = eko::domain::Email::parse(&email).unwrap();
        let id = eko::server::db::residents::credentials(app.db(), &parsed).await.unwrap().unwrap().id;
        residents.push((email, id, browser));
    }
    let waste_types: serde_json::Value =
        serde_json::from_str(&staff.post("/api/admin/waste_types", &[]).await.body).unwrap();
    let waste = waste_types[0]["id"].to_string();

    // A steady write load: collections recorded one after another.
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let load = {
        let (staff, acknowledged, stop) = (staff.clone(), acknowledged.clone(), stop.clone());
        let ids: Vec<i64> = residents.iter().map(|r| r.1).collect();
        tokio::spawn(async move {
            let mut n = 0usize;
            while !stop.load(Ordering::SeqCst) {
                let resident = ids[n % ids.len()].to_string();
                let form =
                    [("resident_id", resident.as_str()), ("waste_type_id", waste.as_str()), ("kg", "1.25")];
                let reply = staff.post("/api/admin/record_collection", &form).await;
                if reply.status == StatusCode::OK {
                    acknowledged.fetch_add(1, Ordering::SeqCst);
                }
                n += 1;
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;

    // Act: back up while the load runs.
    let committed_before = acknowledged.load(Ordering::SeqCst);
    let backup_file = live.0.join("backup.db");
    let output = {
        let (url, file) = (live_url.clone(), backup_file.clone());
        tokio::task::spawn_blocking(move || {
            Command::new(EKO).arg("backup").arg(&file).env("DATABASE_URL", url).output().unwrap()
        })
        .await
        .unwrap()
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::SeqCst);
    load.await.unwrap();
    assert!(output.status.success(), "backup failed: {}", String::from_utf8_lossy(&output.stderr));
    assert!(committed_before > 0, "the load was running when the backup started");
    assert!(
        acknowledged.load(Ordering::SeqCst) > committed_before,
        "the load kept running during the backup"
    );

    // Restore: the copy alone, in a fresh folder, under a new server.
    let restored_folder = Folder::new("restored");
    std::fs::copy(&backup_file, restored_folder.0.join("eko.db")).unwrap();
    let restored_url = restored_folder.sqlite_url("eko.db");
    let restored = spawn_app_with(|s| s.database_url = restored_url.clone()).await;

    // Assert: every session signed in before still works there…
    assert_eq!(
        staff.pointed_at(&restored.address).whoami(Realm::Admin).await.as_deref(),
        Some(staff_email.as_str())
    );
    for (email, _, browser) in &residents {
        assert_eq!(
            browser.pointed_at(&restored.address).whoami(Realm::User).await.as_deref(),
            Some(email.as_str())
        );
    }
    // …every resident is there, every collection acknowledged before the
    // backup began is in the copy, and balances equal their ledgers.
    assert_eq!(restored.count("residents").await, residents.len() as i64);
    let collections = restored.count("collections").await;
    assert!(
        collections as usize >= committed_before,
        "{collections} collections restored, {committed_before} were committed before the backup"
    );
    assert_eq!(restored.count("points_ledger").await, collections, "one ledger entry per collection");
    for (_, id, _) in &residents {
        let (balance, ledger) =
            eko::server::db::ledger::balance_and_ledger_sum(restored.db(), *id).await.unwrap();
        assert_eq!(balance, ledger, "resident {id}: balance equals the sum of the ledger");
    }
    drop(app);
}

#[test]
fn a_backup_refuses_to_overwrite_a_file_and_points_postgresql_to_pg_dump() {
    let folder = Folder::new("refusals");
    let existing = folder.0.join("existing.db");
    std::fs::write(&existing, b"keep me").unwrap();
    let output = Command::new(EKO)
        .arg("backup")
        .arg(&existing)
        .env("DATABASE_URL", folder.sqlite_url("eko.db"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("already exists"));
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");

    let output = Command::new(EKO)
        .arg("backup")
        .arg(folder.0.join("pg.dump"))
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("pg_dump"));
}
