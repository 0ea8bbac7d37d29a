//! Two-step sign-in: set-up, the code step, recovery codes, throttling,
//! the staff policy, a super admin's reset, and the isolation of realms.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use eko::{
    domain::AdminRole,
    realm::Realm,
    server::config::{Settings, ThrottleSettings, TwoFactorPolicy},
};
use reqwest::StatusCode;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::helpers::{cookie_name, spawn_app, spawn_app_with, wait_past, Browser, TestApp};

const STAFF: &str = "chief@cenro.example.ph";
const RESIDENT: &str = "ana@example.ph";

fn api(realm: Realm, name: &str) -> String {
    format!("/api/{}/{name}", realm.as_str())
}

/// An enrolled account's authenticator, as the test's "phone".
pub struct Phone {
    totp: TOTP,
}

impl Phone {
    pub fn from_key(key: &str) -> Self {
        let bytes = Secret::Encoded(key.replace(' ', "")).to_bytes().expect("base32 key");
        Self { totp: TOTP::new_unchecked(Algorithm::SHA1, 6, 0, 30, bytes, None, String::new()) }
    }

    /// The code `steps` time steps from now.
    pub fn code(&self, steps: i64) -> String {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        self.totp.generate((now + steps * 30) as u64)
    }
}

async fn state(browser: &Browser, realm: Realm) -> serde_json::Value {
    let reply = browser.post(&api(realm, "two_step"), &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// Sets up two-step sign-in for the signed-in account; returns its phone
/// and recovery codes. The confirming code used the current time step.
pub async fn enrol(browser: &Browser, realm: Realm) -> (Phone, Vec<String>) {
    let begun = browser.post(&api(realm, "two_step_begin"), &[]).await;
    assert_eq!(begun.status, StatusCode::OK, "{}", begun.body);
    let offered = state(browser, realm).await;
    let key = offered["setup"]["key"].as_str().expect("a key is offered").to_owned();
    assert!(offered["setup"]["qr_image"].as_str().unwrap().starts_with("data:image/svg+xml;base64,"));
    let phone = Phone::from_key(&key);
    let confirmed = browser.post(&api(realm, "two_step_confirm"), &[("code", &phone.code(0))]).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let on = state(browser, realm).await;
    assert_eq!(on["status"]["enabled"], true);
    assert!(on["setup"].is_null(), "the key is never shown again");
    let codes: Vec<String> = serde_json::from_value(on["new_recovery_codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);
    // Shown until their owner says they are saved (a reload keeps them)...
    let reloaded = state(browser, realm).await;
    assert_eq!(reloaded["new_recovery_codes"], on["new_recovery_codes"]);
    let saved = browser.post(&api(realm, "two_step_codes_saved"), &[]).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    // ...and never again after that.
    let again = state(browser, realm).await;
    assert!(again["new_recovery_codes"].is_null());
    assert_eq!(again["status"]["recovery_codes_left"], 10);
    (phone, codes)
}

async fn staff_with_two_step(app: &TestApp) -> (Phone, Vec<String>) {
    app.staff(STAFF, AdminRole::SuperAdmin).await;
    let browser = app.browser();
    browser.sign_in(Realm::Admin, STAFF).await;
    let enrolled = enrol(&browser, Realm::Admin).await;
    browser.sign_out(Realm::Admin).await;
    enrolled
}

pub async fn second_step(browser: &Browser, realm: Realm, code: &str) -> crate::helpers::Reply {
    browser.post(&api(realm, "second_step"), &[("code", code)]).await
}

#[tokio::test]
async fn the_password_step_alone_gives_no_access_and_a_code_completes_it_with_a_new_session_id() {
    let app = spawn_app().await;
    let (phone, _) = staff_with_two_step(&app).await;
    let browser = app.browser();

    let password = browser.sign_in(Realm::Admin, STAFF).await;
    assert!(password.status.is_redirection() || password.status == StatusCode::OK, "{}", password.body);
    assert_eq!(password.location.as_deref(), Some("/admin/login/code"));
    let pending_cookie = browser.cookie(cookie_name(Realm::Admin)).expect("a pending session");
    assert_eq!(browser.whoami(Realm::Admin).await, None);
    for path in
        ["/api/admin/staff", "/api/admin/programme_figures", "/api/admin/all_sessions", "/api/admin/two_step"]
    {
        let reply = browser.post(path, &[]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}: {}", reply.body);
    }
    assert!(browser.get("/admin").await.status.is_redirection());
    let pending: serde_json::Value =
        serde_json::from_str(&browser.post("/api/admin/second_step_pending", &[]).await.body).unwrap();
    assert_eq!(pending, serde_json::json!({ "code": true, "passkey": false }));

    let wrong = second_step(&browser, Realm::Admin, "000000").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert_eq!(browser.whoami(Realm::Admin).await, None);

    // The set-up used this step's code: the next step's is new.
    let done = second_step(&browser, Realm::Admin, &phone.code(1)).await;
    assert_eq!(done.location.as_deref(), Some("/admin"), "{}", done.body);
    assert_eq!(browser.whoami(Realm::Admin).await.as_deref(), Some(STAFF));
    assert_ne!(browser.cookie(cookie_name(Realm::Admin)).unwrap(), pending_cookie, "rotated on completion");
    assert_eq!(app.count("audit_log WHERE kind = 'two_step_failed'").await, 1);
}

#[tokio::test]
async fn a_code_works_once_and_one_step_of_drift_either_way_but_not_two() {
    let app = spawn_app().await;
    let (phone, _) = staff_with_two_step(&app).await;
    let sign_in = |code: String| {
        let browser = app.browser();
        async move {
            browser.sign_in(Realm::Admin, STAFF).await;
            let reply = second_step(&browser, Realm::Admin, &code).await;
            (reply.status, browser.whoami(Realm::Admin).await.is_some())
        }
    };
    for steps in [-2, 2] {
        let (status, signed_in) = sign_in(phone.code(steps)).await;
        assert_eq!((status, signed_in), (StatusCode::UNPROCESSABLE_ENTITY, false), "{steps} steps away");
    }
    // The set-up used this step: the one after is accepted, then never again.
    assert!(sign_in(phone.code(1)).await.1, "one step ahead is accepted");
    assert!(!sign_in(phone.code(1)).await.1, "a used code is refused");
    assert!(!sign_in(phone.code(0)).await.1, "so is an earlier step's");
}

#[tokio::test]
async fn parallel_use_of_one_code_signs_in_once() {
    let app = spawn_app().await;
    let (phone, _) = staff_with_two_step(&app).await;
    let code = phone.code(1);
    let mut browsers = Vec::new();
    for _ in 0..8 {
        let browser = app.browser();
        browser.sign_in(Realm::Admin, STAFF).await;
        browsers.push(browser);
    }
    let tries = browsers.iter().map(|b| second_step(b, Realm::Admin, &code));
    let replies = futures::future::join_all(tries).await;
    let done = replies.iter().filter(|r| r.location.as_deref() == Some("/admin")).count();
    assert_eq!(done, 1, "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_recovery_code_works_once() {
    let app = spawn_app().await;
    let (_, codes) = staff_with_two_step(&app).await;
    let browser = app.browser();
    browser.sign_in(Realm::Admin, STAFF).await;
    let done = second_step(&browser, Realm::Admin, &codes[3].to_uppercase()).await;
    assert_eq!(done.location.as_deref(), Some("/admin"), "{}", done.body);
    assert_eq!(state(&browser, Realm::Admin).await["status"]["recovery_codes_left"], 9);
    assert_eq!(app.count("audit_log WHERE kind = 'recovery_code_used'").await, 1);

    let again = app.browser();
    again.sign_in(Realm::Admin, STAFF).await;
    let reused = second_step(&again, Realm::Admin, &codes[3]).await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.whoami(Realm::Admin).await, None);
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_wrong_passwords_and_the_password_does_not_reset_the_count() {
    let app = spawn_app_with(|s: &mut Settings| {
        s.throttle = ThrottleSettings {
            account_attempts: 3,
            address_attempts: 100,
            base_lock: Duration::from_secs(60),
            ..ThrottleSettings::default()
        };
    })
    .await;
    let (phone, _) = staff_with_two_step(&app).await;
    let browser = app.browser();
    let mut statuses = Vec::new();
    for _ in 0..3 {
        // Each time the password is right again: that alone must not give
        // a fresh allowance of guesses.
        browser.sign_in(Realm::Admin, STAFF).await;
        statuses.push(second_step(&browser, Realm::Admin, "123456").await.status);
    }
    assert!(statuses.iter().all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY), "{statuses:?}");
    browser.sign_in(Realm::Admin, STAFF).await;
    let locked = second_step(&browser, Realm::Admin, &phone.code(1)).await;
    assert_ne!(locked.location.as_deref(), Some("/admin"), "locked even with the right code");
    assert_eq!(browser.whoami(Realm::Admin).await, None);
    assert!(app.count("audit_log WHERE kind = 'two_step_failed'").await >= 3);
}

#[tokio::test]
async fn the_pending_second_step_expires() {
    let app = spawn_app_with(|s: &mut Settings| s.second_step_timeout = Duration::from_secs(1)).await;
    let (phone, _) = staff_with_two_step(&app).await;
    let browser = app.browser();
    browser.sign_in(Realm::Admin, STAFF).await;
    wait_past(2).await;
    let late = second_step(&browser, Realm::Admin, &phone.code(1)).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", late.body);
    assert!(late.body.contains("timed out"), "{}", late.body);
    assert_eq!(browser.whoami(Realm::Admin).await, None);
}

#[tokio::test]
async fn when_required_staff_set_it_up_before_anything_else() {
    let app = spawn_app_with(|s: &mut Settings| s.staff_two_factor = TwoFactorPolicy::Required).await;
    app.staff(STAFF, AdminRole::SuperAdmin).await;
    let browser = app.browser();
    let signed_in = browser.sign_in(Realm::Admin, STAFF).await;
    assert_eq!(signed_in.location.as_deref(), Some("/admin/account?two_step=required"));
    let blocked = browser.post("/api/admin/staff", &[]).await;
    assert_eq!(blocked.status, StatusCode::FORBIDDEN, "{}", blocked.body);
    assert!(blocked.body.contains("TwoStepSetupRequired"), "{}", blocked.body);
    let me: serde_json::Value = serde_json::from_str(&browser.post("/api/admin/me", &[]).await.body).unwrap();
    assert_eq!(me["two_step_required"], true);

    let (_, codes) = enrol(&browser, Realm::Admin).await;
    assert_eq!(browser.post("/api/admin/staff", &[]).await.status, StatusCode::OK);
    // Required: it cannot be turned off, even with a right code.
    let off = browser.post("/api/admin/two_step_disable", &[("code", &codes[0])]).await;
    assert_eq!(off.status, StatusCode::CONFLICT, "{}", off.body);
    assert_eq!(state(&browser, Realm::Admin).await["status"]["enabled"], true);
}

#[tokio::test]
async fn a_super_admin_resets_a_lost_phone_and_the_members_sessions_end() {
    let app = spawn_app().await;
    app.staff(STAFF, AdminRole::SuperAdmin).await;
    let member_email = "ops@cenro.example.ph";
    app.staff(member_email, AdminRole::OperationsManager).await;
    let member = app.browser();
    member.sign_in(Realm::Admin, member_email).await;
    enrol(&member, Realm::Admin).await;
    // The member is also a resident in the same browser: untouched.
    app.approved_resident(member_email).await;
    member.sign_in(Realm::User, member_email).await;
    let user_cookie = member.cookie(cookie_name(Realm::User)).unwrap();

    let chief_browser = app.browser();
    chief_browser.sign_in(Realm::Admin, STAFF).await;
    let list: serde_json::Value =
        serde_json::from_str(&chief_browser.post("/api/admin/staff", &[]).await.body).unwrap();
    let member_row =
        list["items"].as_array().unwrap().iter().find(|m| m["email"] == member_email).unwrap().clone();
    assert_eq!(member_row["two_step"], true);
    let id = member_row["id"].as_i64().unwrap().to_string();
    let reset = chief_browser.post("/api/admin/reset_staff_two_step", &[("staff_id", &id)]).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert_eq!(member.whoami(Realm::Admin).await, None, "the member's staff session ended");
    assert_eq!(
        member.whoami(Realm::User).await.as_deref(),
        Some(member_email),
        "the resident session did not"
    );
    assert_eq!(member.cookie(cookie_name(Realm::User)).unwrap(), user_cookie);
    assert_eq!(app.count("audit_log WHERE kind = 'two_step_reset'").await, 1);

    // Password alone signs in now; the old recovery codes are gone.
    let again = member.sign_in(Realm::Admin, member_email).await;
    assert_eq!(again.location.as_deref(), Some("/admin"));
    assert_eq!(app.count("recovery_codes").await, 0);

    // Nothing left to reset.
    let own = chief_browser.post("/api/admin/reset_staff_two_step", &[("staff_id", &id)]).await;
    assert_eq!(own.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_resident_may_turn_it_on_and_off_and_staff_sign_in_is_not_touched_by_it() {
    let app = spawn_app().await;
    app.approved_resident(RESIDENT).await;
    app.staff(RESIDENT, AdminRole::SuperAdmin).await;
    let browser = app.browser();
    browser.sign_in(Realm::Admin, RESIDENT).await;
    let admin_cookie = browser.cookie(cookie_name(Realm::Admin)).unwrap();
    browser.sign_in(Realm::User, RESIDENT).await;
    let (phone, codes) = enrol(&browser, Realm::User).await;
    browser.sign_out(Realm::User).await;

    // Password step, a wrong code, the right code: the staff session in the
    // same browser stays as it was, cookie and all.
    let step = browser.sign_in(Realm::User, RESIDENT).await;
    assert_eq!(step.location.as_deref(), Some("/login/code"));
    assert!(!step.touches_cookie(cookie_name(Realm::Admin)));
    let wrong = second_step(&browser, Realm::User, "999999").await;
    assert!(!wrong.touches_cookie(cookie_name(Realm::Admin)));
    let done = second_step(&browser, Realm::User, &phone.code(1)).await;
    assert_eq!(done.location.as_deref(), Some("/dashboard"));
    assert!(!done.touches_cookie(cookie_name(Realm::Admin)));
    assert_eq!(browser.cookie(cookie_name(Realm::Admin)).unwrap(), admin_cookie);
    assert_eq!(browser.whoami(Realm::Admin).await.as_deref(), Some(RESIDENT));
    assert_eq!(browser.whoami(Realm::User).await.as_deref(), Some(RESIDENT));

    // The resident's factor is not the staff account's: staff sign-in
    // still takes the password alone.
    let staff = app.browser();
    assert_eq!(staff.sign_in(Realm::Admin, RESIDENT).await.location.as_deref(), Some("/admin"));

    // The last code used was one step ahead: a recovery code proves it.
    let off = browser.post("/api/user/two_step_disable", &[("code", &codes[0])]).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    browser.sign_out(Realm::User).await;
    assert_eq!(browser.sign_in(Realm::User, RESIDENT).await.location.as_deref(), Some("/dashboard"));
}

#[tokio::test]
async fn the_code_step_works_as_a_plain_form_post() {
    let app = spawn_app().await;
    let (phone, _) = staff_with_two_step(&app).await;
    let browser = app.browser();
    let step = browser
        .post_plain_form(
            "/api/admin/login",
            &[("email", STAFF), ("password", crate::helpers::PASSWORD)],
            "/admin/login",
        )
        .await;
    assert_eq!(step.location.as_deref(), Some("/admin/login/code"));
    let page = browser.get("/admin/login/code").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("autocomplete=\"one-time-code\""), "{}", page.body);
    let wrong =
        browser.post_plain_form("/api/admin/second_step", &[("code", "111111")], "/admin/login/code").await;
    assert!(wrong.location.as_deref().unwrap_or_default().starts_with("/admin/login/code?form_error="));
    let done = browser
        .post_plain_form("/api/admin/second_step", &[("code", &phone.code(1))], "/admin/login/code")
        .await;
    assert_eq!(done.location.as_deref(), Some("/admin"));
    assert_eq!(browser.whoami(Realm::Admin).await.as_deref(), Some(STAFF));
}
