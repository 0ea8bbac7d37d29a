//! Changing a password while signed in.

use std::time::Duration;

use eko::{domain::AdminRole, realm::Realm};
use reqwest::StatusCode;

use crate::helpers::{spawn_app, PASSWORD};

const NEW: &str = "a brand new river song";

fn change<'a>(
    current: &'a str,
    new: &'a str,
    confirm: &'a str,
    others: bool,
) -> Vec<(&'static str, &'a str)> {
    let mut form = vec![("current_password", current), ("new_password", new), ("confirm_password", confirm)];
    if others {
        form.push(("sign_out_others", "on"));
    }
    form
}

#[tokio::test]
async fn a_password_change_keeps_this_session_with_a_new_id_and_ends_the_others_on_request() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let staff = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let (laptop, phone) = (app.browser(), app.browser());
    laptop.sign_in(Realm::User, &email).await;
    laptop.sign_in(Realm::Admin, &staff).await;
    phone.sign_in(Realm::User, &email).await;
    let mut phone_stream = phone.open_stream("/api/user/events").await;
    phone_stream.next_event(Duration::from_secs(3)).await.unwrap();
    let (before, admin_before) = (laptop.cookie("eko_user").unwrap(), laptop.cookie("eko_admin").unwrap());

    let reply = laptop.post("/api/user/change_password", &change(PASSWORD, NEW, NEW, true)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    assert_ne!(laptop.cookie("eko_user").unwrap(), before, "the session id rotates");
    assert_eq!(laptop.whoami(Realm::User).await.as_deref(), Some(email.as_str()));
    assert_eq!(laptop.cookie("eko_admin").unwrap(), admin_before, "the other realm is not touched");
    assert_eq!(laptop.whoami(Realm::Admin).await.as_deref(), Some(staff.as_str()));
    let (name, data) = phone_stream.next_event(Duration::from_secs(3)).await.unwrap().unwrap();
    assert_eq!((name.as_str(), data.as_str()), ("ended", "password_changed"));
    assert_eq!(phone.whoami(Realm::User).await, None);

    // The old id works a few seconds more (requests already on their way),
    // then never again.
    let replay = crate::helpers::Browser::new(&app.address);
    replay.set_cookie("eko_user", &before);
    tokio::time::sleep(Duration::from_secs(eko::server::auth::store::RENEWAL_GRACE_SECONDS as u64 + 2)).await;
    assert_eq!(replay.whoami(Realm::User).await, None);
    assert_eq!(laptop.whoami(Realm::User).await.as_deref(), Some(email.as_str()));

    let fresh = app.browser();
    assert_eq!(fresh.sign_in(Realm::User, &email).await.status, StatusCode::UNAUTHORIZED, "old password");
    assert_eq!(fresh.sign_in_with(Realm::User, &email, NEW).await.status, StatusCode::OK);
}

#[tokio::test]
async fn without_the_option_other_sessions_stay_signed_in() {
    let app = spawn_app().await;
    let staff = app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await;
    let (desk, other) = (app.browser(), app.browser());
    desk.sign_in(Realm::Admin, &staff).await;
    other.sign_in(Realm::Admin, &staff).await;
    let reply = desk.post("/api/admin/change_password", &change(PASSWORD, NEW, NEW, false)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(other.whoami(Realm::Admin).await.as_deref(), Some(staff.as_str()));
    assert_eq!(desk.whoami(Realm::Admin).await.as_deref(), Some(staff.as_str()));
}

#[tokio::test]
async fn a_wrong_current_password_a_weak_or_mismatched_new_one_change_nothing() {
    let app = spawn_app().await;
    let email = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &email).await;
    for (form, field) in [
        (change("not my password", NEW, NEW, true), "current_password"),
        (change(PASSWORD, "short", "short", true), "new_password"),
        (change(PASSWORD, "123456789012345", "123456789012345", true), "new_password"),
        (change(PASSWORD, NEW, "a brand new river sonG", true), "confirm_password"),
        (change(PASSWORD, PASSWORD, PASSWORD, true), "new_password"),
    ] {
        let reply = browser.post("/api/user/change_password", &form).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
        assert!(reply.body.contains(field), "{} should name {field}", reply.body);
    }
    assert_eq!(app.browser().sign_in(Realm::User, &email).await.status, StatusCode::OK, "password unchanged");
    let missing = browser.post("/api/user/change_password", &[("current_password", PASSWORD)]).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    let anonymous = app.browser().post("/api/user/change_password", &change(PASSWORD, NEW, NEW, true)).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
