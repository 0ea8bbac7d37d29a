//! The isolation invariant (nothing in one realm changes the other): whatever happens in realm X, realm Y in
//! the same browser stays signed in as the same account, its cookie is not
//! touched, and its next request succeeds.

use std::time::Duration;

use eko::{domain::AdminRole, realm::Realm};
use reqwest::StatusCode;

use crate::{
    helpers::{cookie_name, spawn_app_with, wait_past, Browser, TestApp},
    passkeys::{add_passkey, passkey_sign_in},
    two_step::{enrol, second_step},
};

#[derive(Clone, Copy, Debug)]
enum Action {
    SignIn,
    SignInAsAnother,
    SignOut,
    IdleExpiry,
    AbsoluteExpiry,
    CookieDeleted,
    CookieCorrupted,
    ConcurrentSignOuts,
    /// The password step of an account with two-step sign-in.
    SecondStepPending,
    /// That, then a wrong code.
    SecondStepWrongCode,
    /// That, then the right code.
    SecondStepDone,
    /// A super admin resets the second factor of the staff member signed
    /// in here (admin realm only).
    TwoStepReset,
    /// The second account of X signs in with its passkey.
    PasskeySignIn,
    /// The account signed in to X adds a passkey.
    PasskeyAdded,
    /// A passkey of realm Y's account is offered to X's sign-in (refused).
    PasskeyOfTheOtherRealm,
}

fn other(realm: Realm) -> Realm {
    match realm {
        Realm::User => Realm::Admin,
        Realm::Admin => Realm::User,
    }
}

struct Accounts {
    first: String,
    second: String,
}

async fn accounts(app: &TestApp, realm: Realm) -> Accounts {
    match realm {
        Realm::User => Accounts {
            first: app.approved_resident("ana@example.ph").await,
            second: app.approved_resident("ben@example.ph").await,
        },
        Realm::Admin => Accounts {
            first: app.staff("chief@cenro.example.ph", AdminRole::SuperAdmin).await,
            second: app.staff("ops@cenro.example.ph", AdminRole::OperationsManager).await,
        },
    }
}

async fn isolation_case(x: Realm, action: Action) {
    // Arrange: short lifetimes for realm X only when the action is expiry.
    let app = spawn_app_with(|s| {
        let lifetimes = match x {
            Realm::User => &mut s.user,
            Realm::Admin => &mut s.admin,
        };
        match action {
            Action::IdleExpiry => lifetimes.idle = Duration::from_secs(2),
            Action::AbsoluteExpiry => {
                lifetimes.idle = Duration::from_secs(2);
                lifetimes.absolute = Duration::from_secs(3);
            }
            _ => {}
        }
    })
    .await;
    let y = other(x);
    let xs = accounts(&app, x).await;
    let ys = accounts(&app, y).await;
    let browser = app.browser();
    let second_tab = browser.clone();

    assert_eq!(browser.sign_in(y, &ys.first).await.status, StatusCode::OK);
    if !matches!(action, Action::SignIn) {
        assert_eq!(browser.sign_in(x, &xs.first).await.status, StatusCode::OK);
    }
    let y_cookie = browser.cookie(cookie_name(y)).expect("realm Y has a cookie");
    // The second account of X signs in in two steps.
    let phone =
        if matches!(action, Action::SecondStepPending | Action::SecondStepWrongCode | Action::SecondStepDone)
        {
            let elsewhere = app.browser();
            elsewhere.sign_in(x, &xs.second).await;
            let (phone, _) = enrol(&elsewhere, x).await;
            Some(phone)
        } else {
            None
        };

    let mut passkey = match action {
        Action::PasskeySignIn => {
            let elsewhere = app.browser();
            elsewhere.sign_in(x, &xs.second).await;
            Some(add_passkey(&elsewhere, x, "Phone", 11).await)
        }
        Action::PasskeyOfTheOtherRealm => {
            let elsewhere = app.browser();
            elsewhere.sign_in(y, &ys.first).await;
            Some(add_passkey(&elsewhere, y, "Phone", 12).await)
        }
        _ => None,
    };

    // Act
    let replies = match action {
        Action::PasskeySignIn | Action::PasskeyOfTheOtherRealm => {
            vec![passkey_sign_in(&browser, x, passkey.as_mut().expect("a passkey")).await]
        }
        Action::PasskeyAdded => {
            add_passkey(&browser, x, "Laptop", 13).await;
            vec![browser.open_home(x).await]
        }
        Action::SignIn => vec![browser.sign_in(x, &xs.first).await],
        Action::SignInAsAnother => vec![browser.sign_in(x, &xs.second).await],
        Action::SignOut => vec![browser.sign_out(x).await],
        Action::IdleExpiry => {
            wait_past(2).await;
            vec![browser.open_home(x).await]
        }
        Action::AbsoluteExpiry => {
            // Busy all along (the idle deadline keeps moving), yet it ends.
            let mut replies = Vec::new();
            for _ in 0..9 {
                tokio::time::sleep(Duration::from_millis(500)).await;
                replies.push(browser.open_home(x).await);
            }
            replies
        }
        Action::CookieDeleted => {
            browser.remove_cookie(cookie_name(x));
            vec![browser.open_home(x).await]
        }
        Action::CookieCorrupted => {
            browser.set_cookie(cookie_name(x), "not-a-session-id%%");
            vec![browser.open_home(x).await]
        }
        Action::ConcurrentSignOuts => {
            let (a, b) = tokio::join!(browser.sign_out(x), second_tab.sign_out(x));
            vec![a, b]
        }
        Action::SecondStepPending => vec![browser.sign_in(x, &xs.second).await],
        Action::SecondStepWrongCode => {
            vec![browser.sign_in(x, &xs.second).await, second_step(&browser, x, "000000").await]
        }
        Action::SecondStepDone => {
            let code = phone.as_ref().expect("enrolled").code(1);
            vec![browser.sign_in(x, &xs.second).await, second_step(&browser, x, &code).await]
        }
        Action::TwoStepReset => {
            assert_eq!(x, Realm::Admin, "only staff factors are reset by someone else");
            let (_, _) = enrol(&browser, x).await;
            let deputy = app.staff("deputy@cenro.example.ph", AdminRole::SuperAdmin).await;
            let console = app.browser();
            console.sign_in(x, &deputy).await;
            let list: serde_json::Value =
                serde_json::from_str(&console.post("/api/admin/staff", &[]).await.body).unwrap();
            let id =
                list["items"].as_array().unwrap().iter().find(|m| m["email"] == xs.first.as_str()).unwrap()
                    ["id"]
                    .as_i64()
                    .unwrap();
            let reset =
                console.post("/api/admin/reset_staff_two_step", &[("staff_id", &id.to_string())]).await;
            assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
            vec![browser.open_home(x).await]
        }
    };

    // Assert: X itself went where the action says...
    for reply in &replies {
        assert!(reply.status.as_u16() < 500, "{action:?} in {x:?} answered {}", reply.status);
        assert!(!reply.touches_cookie(cookie_name(y)), "{action:?} in {x:?} touched realm Y's cookie");
    }
    let x_now = browser.whoami(x).await;
    match action {
        Action::SignIn => assert_eq!(x_now.as_deref(), Some(xs.first.as_str())),
        Action::PasskeyAdded | Action::PasskeyOfTheOtherRealm => {
            assert_eq!(x_now.as_deref(), Some(xs.first.as_str()))
        }
        Action::SignInAsAnother | Action::SecondStepDone | Action::PasskeySignIn => {
            assert_eq!(x_now.as_deref(), Some(xs.second.as_str()))
        }
        _ => assert_eq!(x_now, None, "{action:?} should leave realm {x:?} signed out"),
    }
    // ...and realm Y is exactly as it was.
    assert_eq!(browser.cookie(cookie_name(y)).as_deref(), Some(y_cookie.as_str()));
    assert_eq!(browser.whoami(y).await.as_deref(), Some(ys.first.as_str()));
    let page = browser.open_home(y).await;
    assert_eq!(page.status, StatusCode::OK, "realm Y's home page should open after {action:?} in {x:?}");
    // A fresh browser with only Y's cookie is still Y's account.
    let replay = Browser::new(&app.address);
    replay.set_cookie(cookie_name(y), &y_cookie);
    assert_eq!(replay.whoami(y).await.as_deref(), Some(ys.first.as_str()));
}

macro_rules! isolation_tests {
    ($($name:ident: $realm:expr, $action:expr;)*) => {$(
        #[tokio::test]
        async fn $name() {
            isolation_case($realm, $action).await;
        }
    )*};
}

isolation_tests! {
    user_sign_in_keeps_admin_signed_in: Realm::User, Action::SignIn;
    admin_sign_in_keeps_user_signed_in: Realm::Admin, Action::SignIn;
    user_sign_in_as_another_resident_keeps_admin_signed_in: Realm::User, Action::SignInAsAnother;
    admin_sign_in_as_another_staff_member_keeps_user_signed_in: Realm::Admin, Action::SignInAsAnother;
    user_sign_out_keeps_admin_signed_in: Realm::User, Action::SignOut;
    admin_sign_out_keeps_user_signed_in: Realm::Admin, Action::SignOut;
    user_idle_expiry_keeps_admin_signed_in: Realm::User, Action::IdleExpiry;
    admin_idle_expiry_keeps_user_signed_in: Realm::Admin, Action::IdleExpiry;
    user_absolute_expiry_keeps_admin_signed_in: Realm::User, Action::AbsoluteExpiry;
    admin_absolute_expiry_keeps_user_signed_in: Realm::Admin, Action::AbsoluteExpiry;
    deleted_user_cookie_keeps_admin_signed_in: Realm::User, Action::CookieDeleted;
    deleted_admin_cookie_keeps_user_signed_in: Realm::Admin, Action::CookieDeleted;
    corrupted_user_cookie_keeps_admin_signed_in: Realm::User, Action::CookieCorrupted;
    corrupted_admin_cookie_keeps_user_signed_in: Realm::Admin, Action::CookieCorrupted;
    two_concurrent_user_sign_outs_keep_admin_signed_in: Realm::User, Action::ConcurrentSignOuts;
    two_concurrent_admin_sign_outs_keep_user_signed_in: Realm::Admin, Action::ConcurrentSignOuts;
    user_second_step_pending_keeps_admin_signed_in: Realm::User, Action::SecondStepPending;
    admin_second_step_pending_keeps_user_signed_in: Realm::Admin, Action::SecondStepPending;
    user_wrong_code_keeps_admin_signed_in: Realm::User, Action::SecondStepWrongCode;
    admin_wrong_code_keeps_user_signed_in: Realm::Admin, Action::SecondStepWrongCode;
    user_second_step_keeps_admin_signed_in: Realm::User, Action::SecondStepDone;
    admin_second_step_keeps_user_signed_in: Realm::Admin, Action::SecondStepDone;
    admin_two_step_reset_keeps_user_signed_in: Realm::Admin, Action::TwoStepReset;
    user_passkey_sign_in_keeps_admin_signed_in: Realm::User, Action::PasskeySignIn;
    admin_passkey_sign_in_keeps_user_signed_in: Realm::Admin, Action::PasskeySignIn;
    user_passkey_added_keeps_admin_signed_in: Realm::User, Action::PasskeyAdded;
    admin_passkey_added_keeps_user_signed_in: Realm::Admin, Action::PasskeyAdded;
    staff_passkey_refused_by_the_user_realm_keeps_admin_signed_in: Realm::User, Action::PasskeyOfTheOtherRealm;
    resident_passkey_refused_by_the_admin_realm_keeps_user_signed_in: Realm::Admin, Action::PasskeyOfTheOtherRealm;
}

#[tokio::test]
async fn a_forged_admin_cookie_carrying_a_user_session_id_is_refused() {
    // The same id presented under the other realm's cookie name names nothing there.
    let app = spawn_app_with(|_| {}).await;
    let resident = app.approved_resident("ana@example.ph").await;
    let browser = app.browser();
    browser.sign_in(Realm::User, &resident).await;
    let user_cookie = browser.cookie("eko_user").unwrap();
    browser.set_cookie("eko_admin", &user_cookie);
    assert_eq!(browser.whoami(Realm::Admin).await, None);
    assert_eq!(browser.whoami(Realm::User).await.as_deref(), Some(resident.as_str()));
}
