//! Each realm's mirrored server functions, named by one trait, so the
//! browser's sign-in, password and account pieces are written once for both
//! realms. Leptos server functions cannot be generic: the thin per-realm
//! wrappers in `api/user/` and `api/admin/` stay, and the realm marker names
//! them.

use std::{future::Future, pin::Pin};

use leptos::{
    prelude::*,
    server_fn::{client::Client, codec::PostUrl, request::ClientReq, Http, ServerFn},
};
use serde::de::DeserializeOwned;

use super::{admin, user};
use crate::{
    error::AppError,
    live::SessionCheck,
    realm::{AdminRealm, Realm, RealmMarker, UserRealm},
    wire::SessionInfo,
};

/// A realm's endpoints for the pages and panels both realms share.
pub trait RealmEndpoints: RealmMarker {
    type Login: FormEndpoint;
    type Logout: FormEndpoint;
    type ChangePassword: FormEndpoint;
    type RequestPasswordReset: FormEndpoint;
    type ResetPassword: FormEndpoint;
    /// Signs one of the account's own sessions out (`key`).
    type EndSession: FormEndpoint;
    type EndOtherSessions: FormEndpoint;

    /// The account's own signed-in sessions.
    fn own_sessions() -> impl Future<Output = Result<Vec<SessionInfo>, AppError>> + Send + 'static;
    /// The email whose password the reset link opened in this browser resets.
    fn password_reset_link() -> impl Future<Output = Result<String, AppError>> + Send + 'static;
    /// How the realm session stands (never extends it).
    fn session_status() -> impl Future<Output = Result<SessionCheck, AppError>> + Send + 'static;
    /// "Stay signed in": the new idle deadline.
    fn keep_alive() -> impl Future<Output = Result<i64, AppError>> + Send + 'static;
}

impl RealmEndpoints for UserRealm {
    type Login = user::Login;
    type Logout = user::Logout;
    type ChangePassword = user::ChangePassword;
    type RequestPasswordReset = user::RequestPasswordReset;
    type ResetPassword = user::ResetPassword;
    type EndSession = user::EndMySession;
    type EndOtherSessions = user::EndOtherSessions;

    fn own_sessions() -> impl Future<Output = Result<Vec<SessionInfo>, AppError>> + Send + 'static {
        user::my_sessions()
    }
    fn password_reset_link() -> impl Future<Output = Result<String, AppError>> + Send + 'static {
        user::password_reset_link()
    }
    fn session_status() -> impl Future<Output = Result<SessionCheck, AppError>> + Send + 'static {
        user::resident_session_status()
    }
    fn keep_alive() -> impl Future<Output = Result<i64, AppError>> + Send + 'static {
        user::resident_keep_alive()
    }
}

impl RealmEndpoints for AdminRealm {
    type Login = admin::AdminLogin;
    type Logout = admin::AdminLogout;
    type ChangePassword = admin::StaffChangePassword;
    type RequestPasswordReset = admin::StaffRequestPasswordReset;
    type ResetPassword = admin::StaffResetPassword;
    type EndSession = admin::StaffEndSession;
    type EndOtherSessions = admin::StaffEndOtherSessions;

    fn own_sessions() -> impl Future<Output = Result<Vec<SessionInfo>, AppError>> + Send + 'static {
        admin::staff_sessions()
    }
    fn password_reset_link() -> impl Future<Output = Result<String, AppError>> + Send + 'static {
        admin::staff_password_reset_link()
    }
    fn session_status() -> impl Future<Output = Result<SessionCheck, AppError>> + Send + 'static {
        admin::staff_session_status()
    }
    fn keep_alive() -> impl Future<Output = Result<i64, AppError>> + Send + 'static {
        admin::staff_keep_alive()
    }
}

/// A server function a plain form posts to (URL-encoded, answering `()` or
/// an [`AppError`]). It holds the bounds `ActionForm` needs in one place:
/// generic code asks for `S: FormEndpoint` and renders through
/// [`FormEndpoint::action_form`] (Rust does not carry the bounds on the
/// client's form data type over to users of the trait).
pub trait FormEndpoint: ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static {
    /// `<ActionForm action attr:class=class>children</ActionForm>`.
    fn action_form(action: ServerAction<Self>, class: &'static str, children: Children) -> AnyView;
}

impl<S, P> FormEndpoint for S
where
    S: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, P>, Output = (), Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    <<S::Client as Client<AppError>>::Request as ClientReq<AppError>>::FormData:
        From<leptos::web_sys::FormData>,
    S::Client: Client<AppError>,
{
    fn action_form(action: ServerAction<Self>, class: &'static str, children: Children) -> AnyView {
        view! { <ActionForm action attr:class=class>{children()}</ActionForm> }.into_any()
    }
}

/// A call to one of a realm's endpoints.
pub type Call<T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send>>;

/// The calls of a page frame that knows its realm only at run time (the
/// live session watcher): [`session_calls`] is the one place that turns the
/// realm into its endpoints.
pub trait SessionCalls: Sync {
    fn session_status(&self) -> Call<SessionCheck>;
    fn keep_alive(&self) -> Call<i64>;
}

impl<R: RealmEndpoints + Sync> SessionCalls for R {
    fn session_status(&self) -> Call<SessionCheck> {
        Box::pin(R::session_status())
    }
    fn keep_alive(&self) -> Call<i64> {
        Box::pin(R::keep_alive())
    }
}

/// The session calls of `realm`.
pub fn session_calls(realm: Realm) -> &'static dyn SessionCalls {
    match realm {
        Realm::User => &UserRealm,
        Realm::Admin => &AdminRealm,
    }
}
