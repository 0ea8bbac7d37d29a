//! A bounded, seeded fuzz of every server function: hostile and random
//! forms from an anonymous visitor, a resident and a super admin. No answer
//! is a server error, and a refused request changes nothing stored.

use eko::{domain::AdminRole, realm::Realm, server::config::ThrottleSettings};
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
use reqwest::Method;

use crate::helpers::{spawn_app_with, Browser, TestApp};

const SEED: u64 = 0x0ec0_2026;
const REQUESTS: usize = 2500;

/// Argument names the server functions take (and some they do not).
const NAMES: [&str; 40] = [
    "account",
    "account_id",
    "active",
    "barangay",
    "barangay_id",
    "code",
    "collected",
    "confirm_password",
    "cost_points",
    "current_password",
    "delta",
    "description",
    "email",
    "key",
    "kg",
    "kind",
    "name",
    "new_password",
    "next",
    "note",
    "page",
    "password",
    "points_per_kg",
    "realm",
    "reason",
    "redemption_id",
    "resident_id",
    "reward_id",
    "role",
    "search",
    "sign_out_others",
    "staff_id",
    "status",
    "stock",
    "waste_type_id",
    "weekday",
    "idempotency_key",
    "x",
    "email\u{0}",
    "",
];

/// Values that have broken servers before, and ordinary ones so that deeper
/// code runs too.
const VALUES: [&str; 44] = [
    "",
    " ",
    "0",
    "1",
    "2",
    "3",
    "-1",
    "999999999999999999999",
    "1e9",
    "NaN",
    "0.01",
    "1000.01",
    "12.345",
    "on",
    "true",
    "user",
    "admin",
    "super_admin",
    "root",
    "open",
    "fulfilled",
    "/dashboard",
    "/dashboard/../..//x",
    "//evil.example",
    "ana@example.ph",
    "chief@cenro.example.ph",
    "a\u{0}b@example.ph",
    "nul\u{0}",
    "esc\u{1b}[31m",
    "bell\u{7}",
    "del\u{7f}",
    "c1\u{85}",
    "'; DROP TABLE residents; --",
    "\" OR 1=1 --",
    "<script>alert(1)</script>",
    "%00",
    "😀 emoji",
    "Ünïcödé naïve",
    "\u{202e}rtl",
    "line\nbreak",
    "tab\tbed",
    "correct horse battery staple",
    "a completely new passphrase",
    "\u{fffd}",
];

/// A fingerprint of what is stored: counts and sums of every programme and
/// account table (audit rows, throttle counters and sessions may change).
async fn stored(app: &TestApp) -> Vec<i64> {
    let queries = [
        "SELECT CAST(COUNT(*) AS BIGINT) FROM residents",
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM residents",
        "SELECT CAST(COALESCE(SUM(LENGTH(name) + LENGTH(email) + LENGTH(status) + LENGTH(password_hash)), 0) AS BIGINT) FROM residents",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM admins",
        "SELECT CAST(COALESCE(SUM(LENGTH(role) + LENGTH(status) + LENGTH(password_hash)), 0) AS BIGINT) FROM admins",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM collections",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM points_ledger",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM rewards",
        "SELECT CAST(COALESCE(SUM(stock), 0) AS BIGINT) FROM rewards",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM redemptions",
        "SELECT CAST(COALESCE(SUM(LENGTH(status)), 0) AS BIGINT) FROM redemptions",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM waste_types",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM collection_schedules",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM notifications",
    ];
    let mut out = Vec::with_capacity(queries.len());
    for q in queries {
        out.push(sqlx::query_scalar::<_, i64>(q).fetch_one(app.db().pool()).await.unwrap());
    }
    out
}

fn value(rng: &mut StdRng) -> String {
    let base = *VALUES.choose(rng).unwrap();
    match rng.gen_range(0..10) {
        0 => base.repeat(rng.gen_range(2..50)),
        1 => format!("{base}{}", char::from_u32(rng.gen_range(0..32)).unwrap()),
        _ => base.to_owned(),
    }
}

#[tokio::test]
async fn a_seeded_fuzz_of_every_server_function_gets_no_server_error_and_refusals_change_nothing() {
    let app = spawn_app_with(|s| {
        s.throttle = ThrottleSettings {
            account_attempts: 1_000_000,
            address_attempts: 1_000_000,
            reset_account_requests: 1_000_000,
            reset_address_requests: 1_000_000,
            ..ThrottleSettings::default()
        };
    })
    .await;
    let resident = app.approved_resident("ana@example.ph").await;
    let chief = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let browsers = [app.browser(), app.browser(), app.browser()];
    let sign_in = |browsers: &[Browser; 3]| {
        let (r, c) = (browsers[1].clone(), browsers[2].clone());
        let (resident, chief) = (resident.clone(), chief.clone());
        async move {
            r.sign_in(Realm::User, &resident).await;
            c.sign_in(Realm::Admin, &chief).await;
        }
    };
    sign_in(&browsers).await;

    let mut paths: Vec<&'static str> = leptos::server_fn::axum::server_fn_paths()
        .filter(|(_, method)| *method == Method::POST)
        .map(|(path, _)| path)
        .collect();
    paths.sort_unstable();
    assert!(paths.len() >= 60, "every server function is fuzzed ({} found)", paths.len());

    let mut rng = StdRng::seed_from_u64(SEED);
    let (mut refused, mut accepted) = (0, 0);
    for n in 0..REQUESTS {
        if n % 100 == 0 {
            sign_in(&browsers).await; // a fuzzed sign-out or revocation should not end the run's depth
        }
        let path = *paths.choose(&mut rng).unwrap();
        let browser = browsers.choose(&mut rng).unwrap();
        let form: Vec<(String, String)> = (0..rng.gen_range(0..6))
            .map(|_| (NAMES.choose(&mut rng).unwrap().to_string(), value(&mut rng)))
            .collect();
        let form_ref: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let before = stored(&app).await;
        let reply = browser.post(path, &form_ref).await;
        assert!(
            reply.status.as_u16() < 500,
            "request {n}: {path} {form:?} answered {} {}",
            reply.status,
            reply.body
        );
        if reply.status.is_client_error() {
            refused += 1;
            assert_eq!(
                stored(&app).await,
                before,
                "request {n}: refused {path} {form:?} changed stored data"
            );
        } else {
            accepted += 1;
        }
    }
    assert!(refused > REQUESTS / 2 && accepted > 50, "refused {refused}, accepted {accepted}");
    // Nothing with a control character was stored anywhere.
    for (table, column) in [
        ("audit_log", "account_email"),
        ("audit_log", "detail"),
        ("sign_in_throttle", "subject"),
        ("residents", "name"),
        ("residents", "COALESCE(review_note, '')"),
    ] {
        let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT {column} FROM {table}"))
            .fetch_all(app.db().pool())
            .await
            .unwrap();
        assert!(
            rows.iter().all(|text| !text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))),
            "{table}.{column} holds a control character"
        );
    }
}
