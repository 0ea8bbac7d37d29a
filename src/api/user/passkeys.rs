//! A resident's passkeys: the panel of the account page, "Sign in with a
//! passkey", and a passkey as the second step of a sign-in. Touches only
//! the user-realm session.

use leptos::prelude::*;

use crate::{
    error::AppError,
    wire::passkeys::{PasskeyChallenge, PasskeyPanel},
};
#[cfg(feature = "ssr")]
use crate::{realm::UserRealm, server::passkeys::endpoints};

/// The signed-in account's passkeys.
#[server(prefix = "/api/user", endpoint = "passkeys")]
pub async fn passkeys() -> Result<PasskeyPanel, AppError> {
    endpoints::panel::<UserRealm>().await
}

/// Begins adding a passkey named `name`.
#[server(prefix = "/api/user", endpoint = "passkey_add_begin")]
pub async fn passkey_add_begin(name: String) -> Result<PasskeyChallenge, AppError> {
    endpoints::add_begin::<UserRealm>(&name).await
}

/// Adds the passkey the browser made (`credential`: its JSON).
#[server(prefix = "/api/user", endpoint = "passkey_add")]
pub async fn passkey_add(token: String, credential: String) -> Result<(), AppError> {
    endpoints::add::<UserRealm>(&token, &credential).await
}

/// Removes one of the account's passkeys.
#[server(prefix = "/api/user", endpoint = "passkey_remove")]
pub async fn passkey_remove(id: String, sign_out_others: Option<String>) -> Result<(), AppError> {
    endpoints::remove::<UserRealm>(&id, sign_out_others.is_some()).await
}

/// Begins a sign-in with a passkey (no email asked).
#[server(prefix = "/api/user", endpoint = "passkey_sign_in_begin")]
pub async fn passkey_sign_in_begin() -> Result<PasskeyChallenge, AppError> {
    endpoints::sign_in_begin::<UserRealm>().await
}

/// Signs in with the passkey's answer; returns where to go next.
#[server(prefix = "/api/user", endpoint = "passkey_sign_in")]
pub async fn passkey_sign_in(
    token: String,
    credential: String,
    next: Option<String>,
) -> Result<String, AppError> {
    endpoints::sign_in::<UserRealm>(&token, &credential, next.as_deref()).await
}

/// Begins the second step of a sign-in with one of the account's passkeys.
#[server(prefix = "/api/user", endpoint = "second_step_passkey_begin")]
pub async fn second_step_passkey_begin() -> Result<PasskeyChallenge, AppError> {
    endpoints::second_step_begin::<UserRealm>().await
}

/// Finishes the second step with the passkey's answer; returns where to go.
#[server(prefix = "/api/user", endpoint = "second_step_passkey")]
pub async fn second_step_passkey(token: String, credential: String) -> Result<String, AppError> {
    endpoints::second_step::<UserRealm>(&token, &credential).await
}
