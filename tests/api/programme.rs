//! The programme: collections credit points through the ledger, rewards are
//! redeemed atomically, every admin function checks the role, and bad input
//! changes nothing.

use std::time::Duration;

use eko::{domain::AdminRole, realm::Realm, server::db};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{spawn_app, Browser, TestApp, PASSWORD};

async fn staff_browser(app: &TestApp, email: &str, role: AdminRole) -> Browser {
    app.staff(email, role).await;
    let browser = app.browser();
    assert_eq!(browser.sign_in(Realm::Admin, email).await.status, StatusCode::OK);
    browser
}

async fn resident_id(app: &TestApp, email: &str) -> i64 {
    let email = eko::domain::Email::parse(email).unwrap();
    db::residents::credentials(app.db(), &email).await.unwrap().unwrap().id
}

async fn json(browser: &Browser, path: &str, form: &[(&str, &str)]) -> Value {
    let reply = browser.post(path, form).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// The id of the waste type with this name.
async fn waste_type(browser: &Browser, name: &str) -> String {
    let types = json(browser, "/api/admin/waste_types", &[]).await;
    let found = types.as_array().unwrap().iter().find(|t| t["name"] == name).expect("seeded waste type");
    found["id"].to_string()
}

/// Records `kg` of the named waste type for a resident; the points credited.
async fn record(browser: &Browser, resident: i64, waste: &str, kg: &str) -> i64 {
    let waste = waste_type(browser, waste).await;
    let form = [("resident_id", resident.to_string()), ("waste_type_id", waste), ("kg", kg.to_owned())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    json(browser, "/api/admin/record_collection", &form).await.as_i64().unwrap()
}

async fn new_reward(browser: &Browser, name: &str, cost: &str, stock: &str) -> String {
    let form = [("name", name), ("cost_points", cost), ("stock", stock), ("active", "on")];
    let reply = browser.post("/api/admin/save_reward", &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let all = json(browser, "/api/admin/rewards", &[]).await;
    all.as_array().unwrap().iter().find(|r| r["name"] == name).unwrap()["id"].to_string()
}

async fn balance_and_ledger(app: &TestApp, resident: i64) -> (i64, i64) {
    db::ledger::balance_and_ledger_sum(app.db(), resident).await.unwrap()
}

#[tokio::test]
async fn a_collection_credits_whole_points_through_the_ledger_and_the_resident_sees_it_live() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let id = resident_id(&app, &email).await;
    let ops = staff_browser(&app, "ops@cenro.example.ph", AdminRole::OperationsManager).await;
    let resident = app.browser();
    resident.sign_in(Realm::User, &email).await;
    let mut stream = resident.open_stream("/api/user/events").await;
    stream.next_event(Duration::from_secs(3)).await.unwrap();

    let credited = record(&ops, id, "PET bottles", "12.35").await; // 10 points per kg
    assert_eq!(credited, 123, "12.35 kg × 10 points, rounded down");
    let (name, _) = stream.next_event(Duration::from_secs(3)).await.unwrap().unwrap();
    assert_eq!(name, "changed", "the resident's open pages refresh");

    let dashboard = json(&resident, "/api/user/dashboard", &[]).await;
    assert_eq!(dashboard["points"], 123);
    assert_eq!(dashboard["recent_collections"][0]["centikg"], 1235);
    assert!(dashboard["notifications"][0]["message"].as_str().unwrap().contains("+123 points"));
    assert_eq!(balance_and_ledger(&app, id).await, (123, 123));

    // A correction is a new entry; history is never edited.
    let correction = [("resident_id", id.to_string()), ("delta", "-23".into()), ("note", "Wet paper".into())];
    let correction: Vec<(&str, &str)> = correction.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(json(&ops, "/api/admin/correct_points", &correction).await, 100);
    let detail = json(&ops, "/api/admin/resident_detail", &[("resident_id", &id.to_string())]).await;
    let kinds: Vec<&str> =
        detail["ledger"]["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["correction", "collection"]);
    assert_eq!(detail["collections"][0]["points"], 123, "the collection itself is unchanged");
    // Never below zero.
    let id_text = id.to_string();
    let too_much = [("resident_id", id_text.as_str()), ("delta", "-101"), ("note", "Too much")];
    let reply = ops.post("/api/admin/correct_points", &too_much).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(balance_and_ledger(&app, id).await, (100, 100));
}

#[tokio::test]
async fn twenty_concurrent_redemptions_of_a_one_stock_reward_give_exactly_one() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let id = resident_id(&app, &email).await;
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    assert_eq!(record(&chief, id, "E-waste", "100").await, 2500);
    let solar = new_reward(&chief, "Solar lamp", "100", "1").await;

    let resident = app.browser();
    resident.sign_in(Realm::User, &email).await;
    let attempts = (0..20).map(|_| {
        let (resident, solar) = (resident.clone(), solar.clone());
        tokio::spawn(async move {
            resident.post("/api/user/redeem", &[("reward_id", solar.as_str())]).await.status
        })
    });
    let statuses: Vec<StatusCode> =
        futures::future::join_all(attempts).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT), "{statuses:?}");
    let catalogue = json(&chief, "/api/admin/rewards", &[]).await;
    assert_eq!(catalogue[0]["stock"], 0);
    assert_eq!(balance_and_ledger(&app, id).await, (2400, 2400));
}

#[tokio::test]
async fn concurrent_redemptions_never_overspend_points() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let id = resident_id(&app, &email).await;
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    assert_eq!(record(&chief, id, "Paper and cardboard", "70").await, 350); // 5 per kg
    let bag = new_reward(&chief, "Eco bag", "100", "50").await;
    let resident = app.browser();
    resident.sign_in(Realm::User, &email).await;
    let attempts = (0..12).map(|_| {
        let (resident, bag) = (resident.clone(), bag.clone());
        tokio::spawn(
            async move { resident.post("/api/user/redeem", &[("reward_id", bag.as_str())]).await.status },
        )
    });
    let statuses: Vec<StatusCode> =
        futures::future::join_all(attempts).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 3, "{statuses:?}");
    assert_eq!(balance_and_ledger(&app, id).await, (50, 50));
    let overview = json(&resident, "/api/user/rewards", &[]).await;
    assert_eq!(overview["points"], 50);
    assert_eq!(overview["redemptions"]["items"].as_array().unwrap().len(), 3);
    assert_eq!(
        (overview["redemptions"]["total"].as_i64(), overview["open_redemptions"].as_i64()),
        (Some(3), Some(3))
    );
    assert_eq!(overview["rewards"][0]["stock"], 47);
}

#[tokio::test]
async fn cancelling_returns_points_and_stock_and_a_redemption_closes_once() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let id = resident_id(&app, &email).await;
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let rewards = staff_browser(&app, "rewards@cenro.example.ph", AdminRole::ContentRewardsManager).await;
    assert_eq!(record(&chief, id, "Metal cans", "20").await, 300); // 15 per kg
    let tumbler = new_reward(&rewards, "Tumbler", "120", "5").await;
    let resident = app.browser();
    resident.sign_in(Realm::User, &email).await;
    for _ in 0..2 {
        assert_eq!(
            resident.post("/api/user/redeem", &[("reward_id", &tumbler)]).await.status,
            StatusCode::OK
        );
    }
    assert_eq!(balance_and_ledger(&app, id).await, (60, 60));
    let open = json(&rewards, "/api/admin/redemptions", &[("status", "open")]).await;
    let ids: Vec<String> = open["items"].as_array().unwrap().iter().map(|r| r["id"].to_string()).collect();
    assert_eq!(ids.len(), 2);
    let waiting = |page: Value| page["open_redemptions"].as_i64();
    assert_eq!(waiting(json(&resident, "/api/user/dashboard", &[]).await), Some(2));

    assert_eq!(
        rewards.post("/api/admin/cancel_redemption", &[("redemption_id", &ids[0])]).await.status,
        StatusCode::OK
    );
    assert_eq!(balance_and_ledger(&app, id).await, (180, 180), "points returned");
    assert_eq!(json(&rewards, "/api/admin/rewards", &[]).await[0]["stock"], 4, "stock returned");
    assert_eq!(
        waiting(json(&resident, "/api/user/rewards", &[]).await),
        Some(1),
        "a cancelled one is not waiting"
    );
    assert_eq!(
        rewards.post("/api/admin/fulfil_redemption", &[("redemption_id", &ids[1])]).await.status,
        StatusCode::OK
    );
    for (path, id) in [
        ("/api/admin/fulfil_redemption", &ids[1]),
        ("/api/admin/cancel_redemption", &ids[1]),
        ("/api/admin/cancel_redemption", &ids[0]),
    ] {
        assert_eq!(rewards.post(path, &[("redemption_id", id)]).await.status, StatusCode::CONFLICT, "{path}");
    }
    assert_eq!(balance_and_ledger(&app, id).await, (180, 180));
    let dashboard = json(&resident, "/api/user/dashboard", &[]).await;
    assert!(dashboard["notifications"][0]["message"].as_str().unwrap().contains("handed over"));
    assert_eq!(waiting(dashboard), Some(0), "a handed-over one is not waiting");
}

/// A form as name/value pairs.
type Form<'a> = Vec<(&'a str, &'a str)>;

/// What each role may do: (path, form, allowed for super admin, operations,
/// content & rewards, security analyst).
#[tokio::test]
async fn every_admin_function_checks_the_role_on_the_server() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let id = resident_id(&app, &email).await.to_string();
    let roles = [
        AdminRole::SuperAdmin,
        AdminRole::OperationsManager,
        AdminRole::ContentRewardsManager,
        AdminRole::SecurityAnalyst,
    ];
    let mut browsers = Vec::new();
    for (n, role) in roles.into_iter().enumerate() {
        browsers.push(staff_browser(&app, &format!("staff{n}@cenro.example.ph"), role).await);
    }
    let glass = waste_type(&browsers[0], "Glass bottles").await;
    let record = vec![("resident_id", id.as_str()), ("waste_type_id", glass.as_str()), ("kg", "1")];
    let correct = vec![("resident_id", id.as_str()), ("delta", "1"), ("note", "test")];
    let reward = vec![("name", "Seedling kit"), ("cost_points", "10"), ("stock", "3"), ("active", "on")];
    let waste = vec![("name", "Used cooking oil"), ("points_per_kg", "8"), ("active", "on")];
    let day = vec![("barangay_id", "3"), ("weekday", "7"), ("collected", "on"), ("note", "Sunday run")];
    let staff =
        vec![("email", "new.staff@cenro.example.ph"), ("name", "New Staff"), ("role", "security_analyst")];
    // [super admin, operations, content & rewards, security analyst]
    let matrix: Vec<(&str, Form, [bool; 4])> = vec![
        ("/api/admin/programme_figures", vec![], [true, true, true, true]),
        ("/api/admin/waste_types", vec![], [true, true, true, true]),
        ("/api/admin/collection_schedules", vec![], [true, true, true, true]),
        ("/api/admin/rewards", vec![], [true, true, true, true]),
        ("/api/admin/record_collection", record, [true, true, false, false]),
        ("/api/admin/correct_points", correct, [true, true, false, false]),
        ("/api/admin/save_waste_type", waste, [true, true, false, false]),
        ("/api/admin/set_collection_day", day, [true, true, false, false]),
        ("/api/admin/collections", vec![], [true, true, false, true]),
        ("/api/admin/resident_detail", vec![("resident_id", id.as_str())], [true, true, false, true]),
        ("/api/admin/residents", vec![], [true, true, false, true]),
        ("/api/admin/save_reward", reward, [true, false, true, false]),
        ("/api/admin/redemptions", vec![], [true, false, true, false]),
        ("/api/admin/staff", vec![], [true, false, false, false]),
        ("/api/admin/create_staff", staff, [true, false, false, false]),
        ("/api/admin/audit_log", vec![], [true, false, false, true]),
        ("/api/admin/all_sessions", vec![], [true, false, false, true]),
    ];
    for (path, form, allowed) in matrix {
        // The refused roles go first, so a refused write is proven to change nothing.
        let mut order: Vec<usize> = (0..4).collect();
        order.sort_by_key(|&i| allowed[i]);
        for i in order {
            let reply = browsers[i].post(path, &form).await;
            if allowed[i] {
                // Allowed: done, or refused for its content (a name taken by
                // the role before), never for the role.
                let ok = reply.status.is_success() || reply.status == StatusCode::UNPROCESSABLE_ENTITY;
                assert!(ok, "{path} as {:?}: {} {}", roles[i], reply.status, reply.body);
            } else {
                assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path} as {:?}: {}", roles[i], reply.body);
            }
        }
    }
    // Residents are another realm: their session opens no console function.
    let resident = app.browser();
    resident.sign_in(Realm::User, &email).await;
    assert_eq!(resident.post("/api/admin/waste_types", &[]).await.status, StatusCode::UNAUTHORIZED);
    let record = [("resident_id", id.as_str()), ("waste_type_id", glass.as_str()), ("kg", "1")];
    assert_eq!(resident.post("/api/admin/record_collection", &record).await.status, StatusCode::UNAUTHORIZED);
    // Two allowed roles each recorded 1 kg of glass (4 points) and added 1.
    assert_eq!(balance_and_ledger(&app, id.parse().unwrap()).await, (10, 10));
}

#[tokio::test]
async fn bad_input_in_programme_forms_gets_a_field_error_and_changes_nothing() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let id = resident_id(&app, &email).await.to_string();
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let pet = waste_type(&chief, "PET bottles").await;
    let huge = "9".repeat(5000);
    for (kg, field) in [
        ("", "kg"),
        ("0", "kg"),
        ("-3", "kg"),
        ("1.234", "kg"),
        ("1000.01", "kg"),
        ("abc", "kg"),
        (huge.as_str(), "kg"),
        ("1; DROP TABLE residents", "kg"),
    ] {
        let reply = chief
            .post(
                "/api/admin/record_collection",
                &[("resident_id", &id), ("waste_type_id", &pet), ("kg", kg)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{kg:.20}");
        assert!(reply.body.contains(field), "{}", reply.body);
    }
    for (resident, waste, field) in [
        ("999", pet.as_str(), "resident_id"),
        ("x", pet.as_str(), "resident_id"),
        (id.as_str(), "999", "waste_type_id"),
        (id.as_str(), "", "waste_type_id"),
    ] {
        let reply = chief
            .post(
                "/api/admin/record_collection",
                &[("resident_id", resident), ("waste_type_id", waste), ("kg", "2")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{resident}/{waste}: {}", reply.body);
        assert!(reply.body.contains(field), "{}", reply.body);
    }
    let binary = chief
        .post_raw(
            "/api/admin/record_collection",
            "application/x-www-form-urlencoded",
            b"resident_id=\xff&waste_type_id=1&kg=2".to_vec(),
        )
        .await;
    assert!(binary.status.is_client_error(), "{binary:?}");
    assert_eq!(balance_and_ledger(&app, id.parse().unwrap()).await, (0, 0));
    assert_eq!(json(&chief, "/api/admin/collections", &[]).await["total"], 0);

    for (cost, stock, name, field) in [
        ("0", "1", "Bag", "cost_points"),
        ("1.5", "1", "Bag", "cost_points"),
        ("10", "-1", "Bag", "stock"),
        ("10", "1", "", "name"),
        ("10", "1", &"x".repeat(81), "name"),
    ] {
        let reply = chief
            .post("/api/admin/save_reward", &[("name", name), ("cost_points", cost), ("stock", stock)])
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:.10} {cost} {stock}");
        assert!(reply.body.contains(field), "{}", reply.body);
    }
    assert_eq!(json(&chief, "/api/admin/rewards", &[]).await.as_array().unwrap().len(), 0);
    let dup =
        chief.post("/api/admin/save_waste_type", &[("name", "PET bottles"), ("points_per_kg", "3")]).await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (barangay, weekday) in [("3", "8"), ("3", "0"), ("99", "2"), ("<b>", "2")] {
        let reply = chief
            .post(
                "/api/admin/set_collection_day",
                &[("barangay_id", barangay), ("weekday", weekday), ("collected", "on")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{barangay} {weekday}");
    }
    let resident = app.browser();
    resident.sign_in(Realm::User, &email).await;
    for reward in ["", "0", "999", "1 OR 1=1"] {
        let reply = resident.post("/api/user/redeem", &[("reward_id", reward)]).await;
        assert!(
            reply.status == StatusCode::UNPROCESSABLE_ENTITY || reply.status == StatusCode::CONFLICT,
            "{reward}: {}",
            reply.status
        );
    }
}

#[tokio::test]
async fn staff_created_with_a_temporary_password_must_change_it_before_anything_else() {
    let app = spawn_app().await;
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let created = json(
        &chief,
        "/api/admin/create_staff",
        &[("email", "ops@cenro.example.ph"), ("name", "Ramon Villanueva"), ("role", "operations_manager")],
    )
    .await;
    let temporary = created["temporary_password"].as_str().unwrap().to_owned();
    assert!(temporary.len() >= 16);
    let list = json(&chief, "/api/admin/staff", &[]).await;
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["email"] == "ops@cenro.example.ph" && s["must_change_password"] == true));
    assert!(!list.to_string().contains(&temporary), "the password is shown once only");

    let ops = app.browser();
    let reply = ops.sign_in_with(Realm::Admin, "ops@cenro.example.ph", &temporary).await;
    assert_eq!(
        reply.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/admin/account?required=1")
    );
    let blocked = ops.post("/api/admin/waste_types", &[]).await;
    assert_eq!(blocked.status, StatusCode::FORBIDDEN);
    assert!(blocked.body.contains("PasswordChangeRequired"));
    assert_eq!(json(&ops, "/api/admin/me", &[]).await["must_change_password"], true);
    let change = [
        ("current_password", temporary.as_str()),
        ("new_password", "my own console passphrase"),
        ("confirm_password", "my own console passphrase"),
    ];
    assert_eq!(ops.post("/api/admin/change_password", &change).await.status, StatusCode::OK);
    assert_eq!(ops.post("/api/admin/waste_types", &[]).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_new_role_holds_from_the_staff_members_next_request() {
    let app = spawn_app().await;
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let ops = staff_browser(&app, "ops@cenro.example.ph", AdminRole::OperationsManager).await;
    let ops_id = json(&ops, "/api/admin/me", &[]).await["id"].to_string();
    assert_eq!(ops.post("/api/admin/collections", &[]).await.status, StatusCode::OK);
    assert_eq!(ops.post("/api/admin/redemptions", &[]).await.status, StatusCode::FORBIDDEN);

    let change = [("staff_id", ops_id.as_str()), ("role", "content_rewards_manager")];
    assert_eq!(chief.post("/api/admin/change_staff_role", &change).await.status, StatusCode::OK);
    // Same session, no new sign-in: the account read with it is the new one.
    assert_eq!(ops.post("/api/admin/collections", &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(ops.post("/api/admin/redemptions", &[]).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_last_super_admin_stays_and_a_suspended_staff_member_is_signed_out() {
    let app = spawn_app().await;
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let chief_id = json(&chief, "/api/admin/me", &[]).await["id"].to_string();
    let demote = chief
        .post("/api/admin/change_staff_role", &[("staff_id", &chief_id), ("role", "security_analyst")])
        .await;
    assert_eq!(demote.status, StatusCode::CONFLICT);
    assert_eq!(
        chief.post("/api/admin/suspend_staff", &[("staff_id", &chief_id)]).await.status,
        StatusCode::CONFLICT
    );

    let ops = staff_browser(&app, "ops@cenro.example.ph", AdminRole::OperationsManager).await;
    let ops_id = json(&ops, "/api/admin/me", &[]).await["id"].to_string();
    assert_eq!(chief.post("/api/admin/suspend_staff", &[("staff_id", &ops_id)]).await.status, StatusCode::OK);
    assert_eq!(ops.whoami(Realm::Admin).await, None);
    assert_eq!(
        app.browser().sign_in(Realm::Admin, "ops@cenro.example.ph").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        chief.post("/api/admin/reactivate_staff", &[("staff_id", &ops_id)]).await.status,
        StatusCode::OK
    );
    assert_eq!(app.browser().sign_in(Realm::Admin, "ops@cenro.example.ph").await.status, StatusCode::OK);
    assert_eq!(
        chief.post("/api/admin/change_staff_role", &[("staff_id", &ops_id), ("role", "root")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Unlock lifts a sign-in lock at once.
    for _ in 0..5 {
        app.browser().sign_in_with(Realm::Admin, "ops@cenro.example.ph", "wrong password here").await;
    }
    assert_eq!(
        app.browser().sign_in(Realm::Admin, "ops@cenro.example.ph").await.status,
        StatusCode::UNAUTHORIZED,
        "locked"
    );
    assert_eq!(chief.post("/api/admin/unlock_staff", &[("staff_id", &ops_id)]).await.status, StatusCode::OK);
    assert_eq!(
        app.browser().sign_in_with(Realm::Admin, "ops@cenro.example.ph", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_console_figures_count_this_months_kilograms_and_twelve_weeks() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let id = resident_id(&app, &email).await;
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    for kg in ["1.50", "2.25"] {
        record(&chief, id, "PET bottles", kg).await;
    }
    app.pending_resident("ben@example.ph").await;
    app.pending_resident("cora@example.ph").await;
    let figures = json(&chief, "/api/admin/programme_figures", &[]).await;
    let residents = &figures["residents"];
    assert_eq!(
        (&residents["pending"], &residents["active_residents"], &residents["suspended_or_rejected"]),
        (&2.into(), &1.into(), &0.into())
    );
    assert_eq!(residents["can_review"], true);
    assert_eq!(figures["centikg_this_month"], 375);
    assert_eq!(figures["points_issued"], 15 + 22);
    let weekly = figures["weekly"].as_array().unwrap();
    assert_eq!(weekly.len(), 12);
    assert_eq!(weekly[11]["centikg"], 375, "this week is the last bar");
    assert!(figures["recent_actions"][0]["kind"].as_str().unwrap().contains("Collection recorded"));
}

#[tokio::test]
async fn the_demo_command_fills_a_fresh_database_once() {
    let app = spawn_app().await;
    let summary = eko::server::demo::fill(app.db(), &app.state.passwords).await.unwrap();
    assert!(summary.contains("residents"), "{summary}");
    let residents: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM residents").fetch_one(app.db().pool()).await.unwrap();
    assert!(residents >= 50);
    // Every balance equals its ledger.
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM residents").fetch_all(app.db().pool()).await.unwrap();
    for id in ids {
        let (balance, ledger) = balance_and_ledger(&app, id).await;
        assert_eq!(balance, ledger, "resident {id}");
        assert!(balance >= 0);
    }
    let staff = app.browser();
    staff
        .sign_in_with(Realm::Admin, "carmen.reyes@cenro.sanpedro.example", eko::server::demo::STAFF_PASSWORD)
        .await;
    let figures = json(&staff, "/api/admin/programme_figures", &[]).await;
    assert!(figures["points_issued"].as_i64().unwrap() > 0);
    // The chart's weeks and the month's total, kept per day as the demo
    // recorded its collections, agree with the collections themselves.
    use eko::server::format::{month_start, week_start};
    let now = eko::server::db::now();
    let start = week_start(now) - 11 * 7 * 24 * 3600;
    let sum_from = |from: i64, until: i64| {
        let db = app.db().clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(COALESCE(SUM(centikg), 0) AS BIGINT) FROM collections \
                 WHERE recorded_at >= $1 AND recorded_at < $2",
            )
            .bind(from)
            .bind(until)
            .fetch_one(db.pool())
            .await
            .unwrap()
        }
    };
    let weekly = figures["weekly"].as_array().unwrap();
    for (n, week) in weekly.iter().enumerate() {
        let from = start + n as i64 * 7 * 24 * 3600;
        assert_eq!(week["centikg"].as_i64().unwrap(), sum_from(from, from + 7 * 24 * 3600).await, "week {n}");
    }
    assert!(weekly.iter().filter(|w| w["centikg"].as_i64().unwrap() > 0).count() >= 6, "{weekly:?}");
    assert_eq!(figures["centikg_this_month"].as_i64().unwrap(), sum_from(month_start(now), i64::MAX).await);
    assert!(eko::server::demo::fill(app.db(), &app.state.passwords).await.is_err(), "not twice");
}

#[tokio::test]
async fn without_javascript_the_temporary_password_is_shown_once_after_the_redirect() {
    let app = spawn_app().await;
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let form =
        [("email", "ops@cenro.example.ph"), ("name", "Ramon Villanueva"), ("role", "operations_manager")];
    let reply = chief.post_plain_form("/api/admin/create_staff", &form, "/admin/admins").await;
    assert!(reply.status.is_redirection(), "{reply:?}");
    let page = chief.get("/admin/admins").await;
    assert!(page.body.contains("temporary-password-value"), "the page shows it");
    let at = page.body.find("temporary-password-value").unwrap();
    let password = page.body[at..].split('>').nth(1).unwrap().split('<').next().unwrap();
    assert_eq!(password.len(), 19);
    assert_eq!(
        app.browser().sign_in_with(Realm::Admin, "ops@cenro.example.ph", password).await.status,
        StatusCode::OK
    );
    let again = chief.get("/admin/admins").await;
    assert!(!again.body.contains(password), "only once");
}

#[tokio::test]
async fn pages_show_their_errors_in_place_and_a_good_plain_post_drops_an_old_error() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let id = resident_id(&app, &email).await.to_string();
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    // A full page load from a link (Referer, HTML) whose data is refused is
    // answered in place, never redirected as if it were a form post.
    // (Its status is 200 or 404 depending on whether the refusal arrives
    // before the streamed response starts; either way, not a redirect.)
    let missing = chief.get_from("/admin/users/999999", "/admin/users").await;
    assert!(!missing.status.is_redirection() && missing.location.is_none(), "{missing:?}");
    assert!(missing.body.contains("There is no such resident."));
    let analyst = staff_browser(&app, "analyst@cenro.example.ph", AdminRole::SecurityAnalyst).await;
    let refused = analyst.get_from("/admin/admins", "/admin").await;
    assert_eq!(refused.location, None);

    // A plain post that fails comes back with its error; the next good one
    // comes back without it.
    let from = "/admin/users/1?page=1";
    let bad = chief
        .post_plain_form(
            "/api/admin/correct_points",
            &[("resident_id", &id), ("delta", "x"), ("note", "n")],
            from,
        )
        .await;
    let back = bad.location.unwrap();
    assert!(back.contains("form_error"), "{back}");
    let good = chief
        .post_plain_form(
            "/api/admin/correct_points",
            &[("resident_id", &id), ("delta", "5"), ("note", "n")],
            &back,
        )
        .await;
    assert_eq!(good.location.as_deref(), Some(from));
}

#[tokio::test]
async fn recent_staff_actions_on_the_console_follow_the_audit_log_rule() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let id = resident_id(&app, &email).await;
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    record(&chief, id, "PET bottles", "1.00").await;
    let analyst = staff_browser(&app, "analyst@cenro.example.ph", AdminRole::SecurityAnalyst).await;
    let content = staff_browser(&app, "rewards@cenro.example.ph", AdminRole::ContentRewardsManager).await;
    let seen_by = |browser: Browser| async move {
        json(&browser, "/api/admin/programme_figures", &[]).await["recent_actions"]
            .as_array()
            .unwrap()
            .clone()
    };
    assert!(!seen_by(analyst).await.is_empty(), "security analysts read the audit log");
    assert!(seen_by(content.clone()).await.is_empty(), "others see only their own actions: none yet");
    new_reward(&content, "Eco bag", "50", "3").await;
    let own = seen_by(content).await;
    assert_eq!(own.len(), 1, "{own:?}");
    assert!(own[0]["kind"].as_str().unwrap().contains("Reward saved"));
}

#[tokio::test]
async fn two_super_admins_demoting_each_other_at_once_leave_one() {
    let app = spawn_app().await;
    let a = staff_browser(&app, "a@cenro.example.ph", AdminRole::SuperAdmin).await;
    let b = staff_browser(&app, "b@cenro.example.ph", AdminRole::SuperAdmin).await;
    let a_id = json(&a, "/api/admin/me", &[]).await["id"].to_string();
    let b_id = json(&b, "/api/admin/me", &[]).await["id"].to_string();
    let demote_b = [("staff_id", b_id.as_str()), ("role", "security_analyst")];
    let demote_a = [("staff_id", a_id.as_str()), ("role", "security_analyst")];
    let (x, y) = tokio::join!(
        a.post("/api/admin/change_staff_role", &demote_b),
        b.post("/api/admin/change_staff_role", &demote_a),
    );
    // The loser is refused: as the last super admin (409), or because it
    // was already demoted when its request was checked (403).
    let statuses = [x.status, y.status];
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert_eq!(db::admins::count_active_super_admins(app.db()).await.unwrap(), 1);
}

#[tokio::test]
async fn a_residents_dashboard_names_the_office_not_the_staff_member() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let id = resident_id(&app, &email).await;
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    record(&chief, id, "PET bottles", "1.00").await;
    let resident = app.browser();
    resident.sign_in(Realm::User, &email).await;
    let dashboard = json(&resident, "/api/user/dashboard", &[]).await;
    let recent = dashboard["recent_collections"].as_array().unwrap();
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0]["recorded_by"], "CENRO staff");
    assert!(!dashboard.to_string().contains("Jose Ramirez"), "no staff name reaches a resident");
}

/// One request to make: who, where, with what form.
type Job = (Browser, &'static str, Vec<(&'static str, String)>);

/// Runs `jobs` all at once and returns their statuses.
async fn all_at_once(jobs: Vec<Job>) -> Vec<StatusCode> {
    futures::future::join_all(jobs.into_iter().map(|(browser, path, form)| {
        tokio::spawn(async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = browser.post(path, &form).await;
            assert!(reply.status.is_success(), "{path}: {} {}", reply.status, reply.body);
            reply.status
        })
    }))
    .await
    .into_iter()
    .map(Result::unwrap)
    .collect()
}

#[tokio::test]
async fn eight_staff_writing_at_once_all_succeed_and_every_balance_matches_its_ledger() {
    let app = spawn_app().await;
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let waste = waste_type(&chief, "PET bottles").await;
    let mut workers = Vec::new();
    for n in 0..8 {
        workers.push(staff_browser(&app, &format!("ops{n}@cenro.example.ph"), AdminRole::SuperAdmin).await);
    }
    let mut residents = Vec::new();
    for n in 0..8 {
        let email = app.approved_resident(&format!("ana{n}@example.ph")).await;
        residents.push((resident_id(&app, &email).await, email));
    }
    // Record: eight collections at once (the same resident and others).
    let jobs = (0..8)
        .map(|n| {
            let form = vec![
                ("resident_id", residents[n % 2].0.to_string()),
                ("waste_type_id", waste.clone()),
                ("kg", "10".to_owned()),
            ];
            (workers[n].clone(), "/api/admin/record_collection", form)
        })
        .collect();
    all_at_once(jobs).await;
    // Correct: eight corrections at once.
    let jobs = (0..8)
        .map(|n| {
            let form = vec![
                ("resident_id", residents[n % 2].0.to_string()),
                ("delta", "-1".to_owned()),
                ("note", "weighing error".to_owned()),
            ];
            (workers[n].clone(), "/api/admin/correct_points", form)
        })
        .collect();
    all_at_once(jobs).await;
    // Approve: eight pending residents at once.
    let mut pending = Vec::new();
    for n in 0..8 {
        pending.push(app.pending_resident(&format!("new{n}@example.ph")).await.to_string());
    }
    let jobs = (0..8)
        .map(|n| {
            (workers[n].clone(), "/api/admin/approve_resident", vec![("resident_id", pending[n].clone())])
        })
        .collect();
    all_at_once(jobs).await;
    // Redeem: eight residents at once, then hand all eight over at once.
    let reward = new_reward(&chief, "Eco bag", "10", "100").await;
    for (id, _) in &residents {
        record(&chief, *id, "PET bottles", "5").await;
    }
    let mut resident_browsers = Vec::new();
    for (_, email) in &residents {
        let browser = app.browser();
        browser.sign_in(Realm::User, email).await;
        resident_browsers.push(browser);
    }
    let jobs = resident_browsers
        .iter()
        .map(|b| (b.clone(), "/api/user/redeem", vec![("reward_id", reward.clone())]))
        .collect();
    all_at_once(jobs).await;
    let open = json(&chief, "/api/admin/redemptions", &[("status", "open")]).await;
    let ids: Vec<String> = open["items"].as_array().unwrap().iter().map(|r| r["id"].to_string()).collect();
    assert_eq!(ids.len(), 8);
    let jobs = (0..8)
        .map(|n| {
            (workers[n].clone(), "/api/admin/fulfil_redemption", vec![("redemption_id", ids[n].clone())])
        })
        .collect();
    all_at_once(jobs).await;

    for (id, _) in &residents {
        let (balance, ledger) = balance_and_ledger(&app, *id).await;
        assert_eq!(balance, ledger, "resident {id}");
    }
    // Residents 0 and 1 got four 100-point collections and four -1 each.
    let (first, _) = balance_and_ledger(&app, residents[0].0).await;
    assert_eq!(first, 4 * 100 - 4 + 50 - 10);
    // The console's running total kept up with every collection recorded at once.
    let recorded: i64 = sqlx::query_scalar("SELECT CAST(SUM(points) AS BIGINT) FROM collections")
        .fetch_one(app.db().pool())
        .await
        .unwrap();
    assert_eq!(recorded, 8 * 100 + 8 * 50);
    assert_eq!(json(&chief, "/api/admin/programme_figures", &[]).await["points_issued"], recorded);
    // And so did the count of all collections that the staff list pages by.
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM collections").fetch_one(app.db().pool()).await.unwrap();
    assert_eq!(count, 16);
    assert_eq!(json(&chief, "/api/admin/collections", &[]).await["total"], count);
}

#[tokio::test]
async fn a_retried_write_with_its_idempotency_key_takes_effect_once_and_gets_the_same_answer() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let id = resident_id(&app, &email).await.to_string();
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let waste = waste_type(&chief, "PET bottles").await;
    let record = [
        ("resident_id", id.as_str()),
        ("waste_type_id", waste.as_str()),
        ("kg", "2.5"),
        ("idempotency_key", "record-4f1c2a9e7b"),
    ];
    // The same submission eight times at once (a double click, a retry on a
    // flaky connection), then once more later: one collection, one answer.
    let replies =
        futures::future::join_all((0..8).map(|_| chief.post("/api/admin/record_collection", &record))).await;
    assert!(replies.iter().all(|r| r.status == StatusCode::OK && r.body == "25"), "{replies:?}");
    assert_eq!(chief.post("/api/admin/record_collection", &record).await.body, "25");
    assert_eq!(app.count("collections").await, 1);
    assert_eq!(balance_and_ledger(&app, id.parse().unwrap()).await, (25, 25));

    // The same key on another instance of the same database (a restart, or
    // a second server behind the proxy): still the first answer.
    let second = app.second_instance().await;
    let elsewhere = chief.pointed_at(&second.address);
    let again = elsewhere.post("/api/admin/record_collection", &record).await;
    assert_eq!((again.status, again.body.as_str()), (StatusCode::OK, "25"));
    assert_eq!(app.count("collections").await, 1);
    second.stop().await;

    // A new key is a new collection.
    let next = [
        ("resident_id", id.as_str()),
        ("waste_type_id", waste.as_str()),
        ("kg", "2.5"),
        ("idempotency_key", "record-8d0b3c1f22"),
    ];
    assert_eq!(chief.post("/api/admin/record_collection", &next).await.status, StatusCode::OK);
    assert_eq!(app.count("collections").await, 2);

    // Corrections, redemptions and hand-overs likewise.
    let correct = [
        ("resident_id", id.as_str()),
        ("delta", "-5"),
        ("note", "scale"),
        ("idempotency_key", "correct-5a6b7c8d"),
    ];
    for _ in 0..3 {
        assert_eq!(chief.post("/api/admin/correct_points", &correct).await.body, "45");
    }
    let reward = new_reward(&chief, "Eco bag", "10", "5").await;
    let resident = app.browser();
    resident.sign_in(Realm::User, &email).await;
    let redeem = [("reward_id", reward.as_str()), ("idempotency_key", "redeem-1a2b3c4d")];
    for _ in 0..3 {
        assert_eq!(resident.post("/api/user/redeem", &redeem).await.status, StatusCode::OK);
    }
    assert_eq!(app.count("redemptions").await, 1);
    assert_eq!(balance_and_ledger(&app, id.parse().unwrap()).await, (35, 35));
    let open = json(&chief, "/api/admin/redemptions", &[("status", "open")]).await;
    let redemption = open["items"][0]["id"].to_string();
    let hand_over = [("redemption_id", redemption.as_str()), ("idempotency_key", "handover-9f8e7d6c")];
    for _ in 0..3 {
        let reply = chief.post("/api/admin/fulfil_redemption", &hand_over).await;
        assert_eq!(reply.status, StatusCode::OK, "a retried hand-over is not a conflict: {}", reply.body);
    }
    // A key that is not one of ours is refused, and changes nothing.
    let odd = [("resident_id", id.as_str()), ("delta", "5"), ("note", "x"), ("idempotency_key", "bad key!")];
    assert_eq!(chief.post("/api/admin/correct_points", &odd).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(balance_and_ledger(&app, id.parse().unwrap()).await, (35, 35));
}

#[tokio::test]
async fn pages_carry_their_data_in_the_html_without_waiting_for_script() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let id = resident_id(&app, &email).await;
    let ops = staff_browser(&app, "ops@cenro.example.ph", AdminRole::SuperAdmin).await;
    record(&ops, id, "PET bottles", "12.35").await;
    new_reward(&ops, "Eco bag", "100", "3").await;
    let resident = app.browser();
    resident.sign_in(Realm::User, &email).await;

    let dashboard = resident.get("/dashboard").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert_eq!(shown_balance(&dashboard.body).as_deref(), Some("123"), "the balance is in the HTML");
    for expected in ["Eco bag", "PET bottles", &email] {
        assert!(dashboard.body.contains(expected), "the dashboard's HTML has {expected:?}");
    }
    for page in ["/dashboard", "/rewards", "/account"] {
        let html = resident.get(page).await.body;
        assert!(!html.contains("Loading…"), "{page} is whole without script");
    }
    let staff_pages = ["/admin", "/admin/users", "/admin/collections", "/admin/rewards", "/admin/sessions"];
    for page in staff_pages.into_iter().chain([format!("/admin/users/{id}").as_str(), "/admin/audit"]) {
        let html = ops.get(page).await;
        assert_eq!(html.status, StatusCode::OK, "{page}");
        assert!(!html.body.contains("Loading…"), "{page} is whole without script");
        assert!(html.body.contains("ops@cenro.example.ph"), "{page} shows who is signed in");
    }
    let resident_page = ops.get(&format!("/admin/users/{id}")).await.body;
    assert_eq!(
        shown_balance(&resident_page).as_deref(),
        Some("123"),
        "the resident's balance is in the HTML"
    );
}

/// The text of the element marked `data-testid="points-balance"`.
fn shown_balance(html: &str) -> Option<String> {
    let at = html.find(r#"data-testid="points-balance""#)?;
    let rest = &html[at..];
    let text = &rest[rest.find('>')? + 1..];
    Some(text[..text.find('<')?].to_owned())
}

#[tokio::test]
async fn reward_and_collection_day_changes_show_on_the_residents_next_page() {
    // Rewards on offer and collection days are read through memory: a change
    // here shows on the next page at once, one made by another instance on
    // the same database within its time to live.
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await; // barangay 5
    let id = resident_id(&app, &email).await;
    let chief = staff_browser(&app, "chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    assert_eq!(record(&chief, id, "Metal cans", "20").await, 300);
    let resident = app.browser();
    resident.sign_in(Realm::User, &email).await;
    let offered = |page: Value| -> Vec<(String, i64)> {
        page["rewards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["name"].as_str().unwrap().to_owned(), r["stock"].as_i64().unwrap()))
            .collect()
    };
    let notes = |page: Value| -> Vec<String> {
        page["next_collections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["note"].as_str().unwrap().to_owned())
            .collect()
    };
    // Both read (and kept) before any change.
    assert_eq!(offered(json(&resident, "/api/user/rewards", &[]).await), vec![]);
    let before = notes(json(&resident, "/api/user/dashboard", &[]).await);
    assert!(!before.contains(&"Wednesday run".to_owned()));

    let tumbler = new_reward(&chief, "Tumbler", "120", "2").await;
    assert_eq!(offered(json(&resident, "/api/user/rewards", &[]).await), vec![("Tumbler".into(), 2)]);
    let dashboard = json(&resident, "/api/user/dashboard", &[]).await;
    assert_eq!(dashboard["affordable"][0]["name"], "Tumbler");
    assert_eq!(resident.post("/api/user/redeem", &[("reward_id", &tumbler)]).await.status, StatusCode::OK);
    assert_eq!(offered(json(&resident, "/api/user/rewards", &[]).await), vec![("Tumbler".into(), 1)]);
    let open = json(&chief, "/api/admin/redemptions", &[("status", "open")]).await;
    let redemption = open["items"][0]["id"].to_string();
    let cancel = chief.post("/api/admin/cancel_redemption", &[("redemption_id", &redemption)]).await;
    assert_eq!(cancel.status, StatusCode::OK);
    assert_eq!(offered(json(&resident, "/api/user/rewards", &[]).await), vec![("Tumbler".into(), 2)]);
    let edit = [
        ("reward_id", tumbler.as_str()),
        ("name", "Steel tumbler"),
        ("cost_points", "120"),
        ("stock", "0"),
        ("active", "on"),
    ];
    assert_eq!(chief.post("/api/admin/save_reward", &edit).await.status, StatusCode::OK);
    assert_eq!(offered(json(&resident, "/api/user/rewards", &[]).await), vec![], "out of stock is off offer");

    let day = [("barangay_id", "5"), ("weekday", "3"), ("collected", "on"), ("note", "Wednesday run")];
    assert_eq!(chief.post("/api/admin/set_collection_day", &day).await.status, StatusCode::OK);
    assert!(notes(json(&resident, "/api/user/dashboard", &[]).await).contains(&"Wednesday run".to_owned()));

    // Another instance changes the day: this one shows it within the TTL.
    let second = app.second_instance().await;
    let chief_there = chief.pointed_at(&second.address);
    let moved = [("barangay_id", "5"), ("weekday", "3"), ("collected", "on"), ("note", "Moved run")];
    assert_eq!(chief_there.post("/api/admin/set_collection_day", &moved).await.status, StatusCode::OK);
    let deadline = std::time::Instant::now() + db::cache::SHARED_TTL + Duration::from_secs(2);
    loop {
        let now_shown = notes(json(&resident, "/api/user/dashboard", &[]).await);
        if now_shown.contains(&"Moved run".to_owned()) && !now_shown.contains(&"Wednesday run".to_owned()) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still {now_shown:?} after the TTL");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
