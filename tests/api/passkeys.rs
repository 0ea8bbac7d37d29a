//! Passkeys, end to end over HTTP with a software authenticator: adding
//! one, signing in with it (no email, no password), a staff passkey as
//! both steps and as the second step, single-use ceremonies under parallel
//! replay, removal, bad input, and the realms kept apart.

use std::collections::BTreeMap;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64, Engine};
use eko::{domain::AdminRole, realm::Realm, server::config::TwoFactorPolicy};
use p256::ecdsa::{signature::Signer, Signature, SigningKey};
use reqwest::StatusCode;
use serde_cbor_2::Value as Cbor;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::{cookie_name, spawn_app, spawn_app_with, Browser, TestApp};

const STAFF: &str = "chief@cenro.example.ph";
const RESIDENT: &str = "ana@example.ph";
/// The test apps' site URL is http://127.0.0.1:3000: browsers need a name,
/// so the relying party is `localhost` on that port.
const ORIGIN: &str = "http://localhost:3000";
const RP_ID: &str = "localhost";

fn api(realm: Realm, name: &str) -> String {
    format!("/api/{}/{name}", realm.as_str())
}

/// A passkey held by a software authenticator (P-256, "none" attestation,
/// user verification done): what a phone's screen lock would answer.
#[derive(Clone)]
pub struct SoftPasskey {
    key: SigningKey,
    credential_id: Vec<u8>,
    user_handle: Vec<u8>,
    counter: u32,
}

fn client_data(kind: &str, challenge: &str) -> Vec<u8> {
    json!({ "type": kind, "challenge": challenge, "origin": ORIGIN, "crossOrigin": false })
        .to_string()
        .into_bytes()
}

fn rp_id_hash() -> Vec<u8> {
    Sha256::digest(RP_ID.as_bytes()).to_vec()
}

impl SoftPasskey {
    /// Answers `navigator.credentials.create` for these options (WebAuthn's
    /// JSON form, as the server sends them): the new passkey and the
    /// browser's JSON answer.
    fn create(options: &Value, seed: u8) -> (Self, String) {
        assert_eq!(options["rp"]["id"], RP_ID);
        assert_eq!(options["authenticatorSelection"]["residentKey"], "required", "discoverable");
        assert_eq!(options["authenticatorSelection"]["userVerification"], "required");
        let key = SigningKey::from_slice(&[seed; 32]).expect("a P-256 key");
        let credential_id: Vec<u8> = (0..16).map(|i| seed.wrapping_mul(31).wrapping_add(i)).collect();
        let user_handle = B64.decode(options["user"]["id"].as_str().unwrap()).unwrap();
        let point = key.verifying_key().to_sec1_point(false);
        let sec1 = point.as_bytes();
        let cose = Cbor::Map(BTreeMap::from([
            (Cbor::Integer(1), Cbor::Integer(2)),
            (Cbor::Integer(3), Cbor::Integer(-7)),
            (Cbor::Integer(-1), Cbor::Integer(1)),
            (Cbor::Integer(-2), Cbor::Bytes(sec1[1..33].to_vec())),
            (Cbor::Integer(-3), Cbor::Bytes(sec1[33..65].to_vec())),
        ]));
        let mut auth_data = rp_id_hash();
        auth_data.push(0x45); // user present, user verified, attested credential
        auth_data.extend(0u32.to_be_bytes());
        auth_data.extend([0u8; 16]); // AAGUID
        auth_data.extend((credential_id.len() as u16).to_be_bytes());
        auth_data.extend(&credential_id);
        auth_data.extend(serde_cbor_2::to_vec(&cose).unwrap());
        let attestation = Cbor::Map(BTreeMap::from([
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(BTreeMap::new())),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]));
        let challenge = options["challenge"].as_str().unwrap();
        let answer = json!({
            "id": B64.encode(&credential_id),
            "rawId": B64.encode(&credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": B64.encode(client_data("webauthn.create", challenge)),
                "attestationObject": B64.encode(serde_cbor_2::to_vec(&attestation).unwrap()),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        });
        (Self { key, credential_id, user_handle, counter: 0 }, answer.to_string())
    }

    /// Answers `navigator.credentials.get` for these options.
    fn assert(&mut self, options: &Value) -> String {
        assert_eq!(options["rpId"], RP_ID);
        assert_eq!(options["userVerification"], "required");
        self.counter += 1;
        let mut auth_data = rp_id_hash();
        auth_data.push(0x05); // user present, user verified
        auth_data.extend(self.counter.to_be_bytes());
        let client = client_data("webauthn.get", options["challenge"].as_str().unwrap());
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": B64.encode(&self.credential_id),
            "rawId": B64.encode(&self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": B64.encode(&client),
                "authenticatorData": B64.encode(&auth_data),
                "signature": B64.encode(signature.to_der().as_bytes()),
                "userHandle": B64.encode(&self.user_handle),
            },
            "clientExtensionResults": {},
        })
        .to_string()
    }
}

/// A ceremony begun by the server: (token, options).
async fn begin(browser: &Browser, path: &str, form: &[(&str, &str)]) -> (String, Value) {
    let reply = browser.post(path, form).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    let challenge: Value = serde_json::from_str(&reply.body).unwrap();
    let options = serde_json::from_str(challenge["options"].as_str().unwrap()).unwrap();
    (challenge["token"].as_str().unwrap().to_owned(), options)
}

/// Adds a passkey named `name` to the account signed in to `realm`.
pub async fn add_passkey(browser: &Browser, realm: Realm, name: &str, seed: u8) -> SoftPasskey {
    let (token, options) = begin(browser, &api(realm, "passkey_add_begin"), &[("name", name)]).await;
    let (passkey, answer) = SoftPasskey::create(&options, seed);
    let added = browser.post(&api(realm, "passkey_add"), &[("token", &token), ("credential", &answer)]).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    passkey
}

async fn panel(browser: &Browser, realm: Realm) -> Value {
    let reply = browser.post(&api(realm, "passkeys"), &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// Signs in to `realm` with the passkey; the reply of the finishing call.
pub async fn passkey_sign_in(
    browser: &Browser,
    realm: Realm,
    passkey: &mut SoftPasskey,
) -> crate::helpers::Reply {
    let (token, options) = begin(browser, &api(realm, "passkey_sign_in_begin"), &[]).await;
    assert_eq!(options["allowCredentials"].as_array().map_or(0, Vec::len), 0, "discoverable: no email asked");
    let answer = passkey.assert(&options);
    browser.post(&api(realm, "passkey_sign_in"), &[("token", &token), ("credential", &answer)]).await
}

async fn resident_with_passkey(app: &TestApp) -> SoftPasskey {
    app.approved_resident(RESIDENT).await;
    let browser = app.browser();
    browser.sign_in(Realm::User, RESIDENT).await;
    let passkey = add_passkey(&browser, Realm::User, "  My   phone ", 7).await;
    let listed = panel(&browser, Realm::User).await;
    assert_eq!(listed["passkeys"].as_array().unwrap().len(), 1);
    assert_eq!(listed["passkeys"][0]["name"], "My phone");
    assert!(listed["passkeys"][0]["last_used"].is_null());
    assert_eq!(listed["last_factor"], true);
    passkey
}

#[tokio::test]
async fn a_resident_signs_in_with_a_passkey_alone_and_the_staff_realm_refuses_that_passkey() {
    let app = spawn_app().await;
    let mut passkey = resident_with_passkey(&app).await;
    app.staff(RESIDENT, AdminRole::SuperAdmin).await; // the same person is staff too
    assert_eq!(app.count("audit_log WHERE kind = 'passkey_added'").await, 1);

    let browser = app.browser();
    let sessions_before = app.count("sessions").await;
    let (_, _) = begin(&browser, "/api/user/passkey_sign_in_begin", &[]).await;
    assert_eq!(browser.cookie(cookie_name(Realm::User)), None, "beginning creates no session");
    assert_eq!(app.count("sessions").await, sessions_before);

    let done = passkey_sign_in(&browser, Realm::User, &mut passkey).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body, "\"/dashboard\"");
    assert_eq!(browser.whoami(Realm::User).await.as_deref(), Some(RESIDENT));
    assert!(panel(&browser, Realm::User).await["passkeys"][0]["last_used"].is_string());

    // The same passkey on the staff sign-in page: refused, nobody signed in
    // to the console, the resident session untouched.
    let user_cookie = browser.cookie(cookie_name(Realm::User));
    let refused = passkey_sign_in(&browser, Realm::Admin, &mut passkey).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("does not sign in to a staff account"), "{}", refused.body);
    assert_eq!(browser.whoami(Realm::Admin).await, None);
    assert_eq!(browser.cookie(cookie_name(Realm::User)), user_cookie);
    assert_eq!(browser.whoami(Realm::User).await.as_deref(), Some(RESIDENT));
    assert_eq!(app.count("audit_log WHERE kind = 'passkey_refused' AND realm = 'admin'").await, 1);

    // A ceremony begun in one realm cannot be finished in the other.
    let (token, options) = begin(&browser, "/api/user/passkey_sign_in_begin", &[]).await;
    let answer = passkey.assert(&options);
    let crossed =
        browser.post("/api/admin/passkey_sign_in", &[("token", &token), ("credential", &answer)]).await;
    assert_eq!(crossed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(crossed.body.contains("expired"), "{}", crossed.body);
    assert_eq!(browser.whoami(Realm::Admin).await, None);
}

#[tokio::test]
async fn a_passkey_answer_signs_in_once_even_when_replayed_in_parallel() {
    let app = spawn_app().await;
    let mut passkey = resident_with_passkey(&app).await;
    let browser = app.browser();
    let (token, options) = begin(&browser, "/api/user/passkey_sign_in_begin", &[]).await;
    let answer = passkey.assert(&options);
    let browsers: Vec<Browser> = (0..8).map(|_| app.browser()).collect();
    let form = [("token", token.as_str()), ("credential", answer.as_str())];
    let tries = browsers.iter().map(|b| b.post("/api/user/passkey_sign_in", &form));
    let replies = futures::future::join_all(tries).await;
    let done = replies.iter().filter(|r| r.status == StatusCode::OK).count();
    assert_eq!(done, 1, "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    let mut signed_in = 0;
    for b in &browsers {
        signed_in += usize::from(b.whoami(Realm::User).await.is_some());
    }
    assert_eq!(signed_in, 1);

    // A copy of the key that lags behind (its signature counter is not
    // past the last one seen) is refused: a cloned authenticator.
    let mut clone = passkey.clone();
    clone.counter -= 1;
    let refused = passkey_sign_in(&app.browser(), Realm::User, &mut clone).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let fresh = passkey_sign_in(&app.browser(), Realm::User, &mut passkey).await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);
}

#[tokio::test]
async fn a_staff_passkey_is_both_steps_and_the_second_step_of_a_password_sign_in() {
    let app = spawn_app_with(|s| s.staff_two_factor = TwoFactorPolicy::Required).await;
    app.staff(STAFF, AdminRole::SuperAdmin).await;
    let browser = app.browser();
    browser.sign_in(Realm::Admin, STAFF).await;
    assert_eq!(browser.post("/api/admin/staff", &[]).await.status, StatusCode::FORBIDDEN, "a factor first");
    let mut passkey = add_passkey(&browser, Realm::Admin, "Office key", 9).await;
    assert_eq!(browser.post("/api/admin/staff", &[]).await.status, StatusCode::OK, "a passkey is a factor");
    let listed = panel(&browser, Realm::Admin).await;
    assert_eq!(listed["keep_last"], true, "required: the last factor stays");
    let kept =
        browser.post("/api/admin/passkey_remove", &[("id", &listed["passkeys"][0]["id"].to_string())]).await;
    assert_eq!(kept.status, StatusCode::CONFLICT, "{}", kept.body);
    browser.sign_out(Realm::Admin).await;

    // Both steps at once.
    let quick = app.browser();
    let done = passkey_sign_in(&quick, Realm::Admin, &mut passkey).await;
    assert_eq!(done.body, "\"/admin\"", "{}", done.body);
    assert_eq!(quick.post("/api/admin/staff", &[]).await.status, StatusCode::OK);

    // A password sign-in asks for the passkey as its second step.
    let two = app.browser();
    let password = two.sign_in(Realm::Admin, STAFF).await;
    assert_eq!(password.location.as_deref(), Some("/admin/login/code"));
    assert_eq!(two.whoami(Realm::Admin).await, None);
    let ways: Value =
        serde_json::from_str(&two.post("/api/admin/second_step_pending", &[]).await.body).unwrap();
    assert_eq!(ways, json!({ "code": false, "passkey": true }));
    let (token, options) = begin(&two, "/api/admin/second_step_passkey_begin", &[]).await;
    assert_eq!(options["allowCredentials"].as_array().unwrap().len(), 1, "this account's passkeys only");
    let answer = passkey.assert(&options);
    let pending_cookie = two.cookie(cookie_name(Realm::Admin));
    let finished =
        two.post("/api/admin/second_step_passkey", &[("token", &token), ("credential", &answer)]).await;
    assert_eq!(finished.body, "\"/admin\"", "{}", finished.body);
    assert_eq!(two.whoami(Realm::Admin).await.as_deref(), Some(STAFF));
    assert_ne!(two.cookie(cookie_name(Realm::Admin)), pending_cookie, "a new session id");

    // A super admin's reset removes the passkey and ends the sessions.
    let other = "second@cenro.example.ph";
    app.staff(other, AdminRole::SuperAdmin).await;
    let id = app.state.db.clone();
    let staff_id: i64 = sqlx::query_scalar("SELECT id FROM admins WHERE email = $1")
        .bind(STAFF)
        .fetch_one(id.pool())
        .await
        .unwrap();
    let ended =
        eko::server::two_factor::reset_staff(&app.state.db, &app.state.endings, staff_id).await.unwrap();
    assert_eq!(ended, Some(2));
    assert_eq!(app.count("passkeys").await, 0);
    assert_eq!(quick.whoami(Realm::Admin).await, None);
    let refused = passkey_sign_in(&app.browser(), Realm::Admin, &mut passkey).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn removing_the_last_passkey_can_end_the_other_sessions_and_it_signs_in_no_more() {
    let app = spawn_app().await;
    let mut passkey = resident_with_passkey(&app).await;
    let here = app.browser();
    here.sign_in(Realm::User, RESIDENT).await;
    let elsewhere = app.browser();
    elsewhere.sign_in(Realm::User, RESIDENT).await;
    let id = panel(&here, Realm::User).await["passkeys"][0]["id"].to_string();
    let removed = here.post("/api/user/passkey_remove", &[("id", &id), ("sign_out_others", "on")]).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(here.whoami(Realm::User).await.as_deref(), Some(RESIDENT));
    assert_eq!(elsewhere.whoami(Realm::User).await, None);
    assert!(panel(&here, Realm::User).await["passkeys"].as_array().unwrap().is_empty());
    let again = here.post("/api/user/passkey_remove", &[("id", &id)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let refused = passkey_sign_in(&app.browser(), Realm::User, &mut passkey).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("audit_log WHERE kind = 'passkey_removed'").await, 1);
}

#[tokio::test]
async fn bad_passkey_input_gets_clear_errors_and_changes_nothing() {
    let app = spawn_app().await;
    app.approved_resident(RESIDENT).await;
    let anonymous = app.browser();
    let signed_out = anonymous.post("/api/user/passkey_add_begin", &[("name", "x")]).await;
    assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED);

    let browser = app.browser();
    browser.sign_in(Realm::User, RESIDENT).await;
    let long = browser.post("/api/user/passkey_add_begin", &[("name", &"n".repeat(61))]).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.body.contains("name"), "{}", long.body);

    let (token, _) = begin(&browser, "/api/user/passkey_add_begin", &[("name", "Laptop")]).await;
    for (token, credential, expect) in [
        (token.as_str(), "not json", "could not be read"),
        (token.as_str(), "{}", "expired"), // the first try used the ceremony up
        ("no-such-token", "{}", "expired"),
    ] {
        let reply =
            browser.post("/api/user/passkey_add", &[("token", token), ("credential", credential)]).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
        assert!(reply.body.contains(expect), "{expect}: {}", reply.body);
    }
    let (token, options) = begin(&browser, "/api/user/passkey_sign_in_begin", &[]).await;
    let forged = json!({ "id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {
        "clientDataJSON": B64.encode(client_data("webauthn.get", options["challenge"].as_str().unwrap())),
        "authenticatorData": "AAAA", "signature": "AAAA", "userHandle": B64.encode([1u8; 16]) } });
    let reply = anonymous
        .post("/api/user/passkey_sign_in", &[("token", &token), ("credential", &forged.to_string())])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(anonymous.whoami(Realm::User).await, None);
    assert_eq!(
        browser.post("/api/user/passkey_remove", &[("id", "abc")]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.count("passkeys").await, 0);

    // A flood of ceremonies from one address is turned away.
    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(anonymous.post("/api/user/passkey_sign_in_begin", &[]).await.status);
    }
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
}

#[tokio::test]
async fn two_removals_at_once_cannot_take_a_staff_members_last_factor() {
    let app = spawn_app_with(|s| s.staff_two_factor = TwoFactorPolicy::Required).await;
    app.staff(STAFF, AdminRole::SuperAdmin).await;
    let browser = app.browser();
    browser.sign_in(Realm::Admin, STAFF).await;
    add_passkey(&browser, Realm::Admin, "Laptop", 21).await;
    add_passkey(&browser, Realm::Admin, "Phone", 22).await;
    let listed = panel(&browser, Realm::Admin).await;
    let ids: Vec<String> =
        listed["passkeys"].as_array().unwrap().iter().map(|p| p["id"].to_string()).collect();
    assert_eq!(ids.len(), 2);
    let forms: Vec<[(&str, &str); 1]> = ids.iter().map(|id| [("id", id.as_str())]).collect();
    let removals = forms.iter().map(|form| browser.post("/api/admin/passkey_remove", form));
    let replies = futures::future::join_all(removals).await;
    let statuses: Vec<StatusCode> = replies.iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 1, "{statuses:?}");
    assert_eq!(app.count("passkeys").await, 1);
    assert_eq!(browser.post("/api/admin/staff", &[]).await.status, StatusCode::OK, "still has a factor");
}
