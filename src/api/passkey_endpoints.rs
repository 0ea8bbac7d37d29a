//! Each realm's passkey server functions, named by one trait, so the
//! account panel, the sign-in button and the second step's passkey button
//! are written once for both realms.

use std::future::Future;

use super::{admin, realm_endpoints::FormEndpoint, realm_endpoints::RealmEndpoints, user};
use crate::{
    error::AppError,
    realm::{AdminRealm, UserRealm},
    wire::passkeys::{PasskeyChallenge, PasskeyPanel},
};

/// A realm's passkey endpoints.
pub trait PasskeyEndpoints: RealmEndpoints {
    /// Removes one (`id`, `sign_out_others`).
    type Remove: FormEndpoint;

    fn panel() -> impl Future<Output = Result<PasskeyPanel, AppError>> + Send + 'static;
    fn add_begin(name: String) -> impl Future<Output = Result<PasskeyChallenge, AppError>> + Send + 'static;
    fn add(token: String, credential: String) -> impl Future<Output = Result<(), AppError>> + Send + 'static;
    fn sign_in_begin() -> impl Future<Output = Result<PasskeyChallenge, AppError>> + Send + 'static;
    fn sign_in(
        token: String,
        credential: String,
        next: Option<String>,
    ) -> impl Future<Output = Result<String, AppError>> + Send + 'static;
    fn second_step_begin() -> impl Future<Output = Result<PasskeyChallenge, AppError>> + Send + 'static;
    fn second_step(
        token: String,
        credential: String,
    ) -> impl Future<Output = Result<String, AppError>> + Send + 'static;
}

impl PasskeyEndpoints for UserRealm {
    type Remove = user::PasskeyRemove;

    fn panel() -> impl Future<Output = Result<PasskeyPanel, AppError>> + Send + 'static {
        user::passkeys()
    }
    fn add_begin(name: String) -> impl Future<Output = Result<PasskeyChallenge, AppError>> + Send + 'static {
        user::passkey_add_begin(name)
    }
    fn add(token: String, credential: String) -> impl Future<Output = Result<(), AppError>> + Send + 'static {
        user::passkey_add(token, credential)
    }
    fn sign_in_begin() -> impl Future<Output = Result<PasskeyChallenge, AppError>> + Send + 'static {
        user::passkey_sign_in_begin()
    }
    fn sign_in(
        token: String,
        credential: String,
        next: Option<String>,
    ) -> impl Future<Output = Result<String, AppError>> + Send + 'static {
        user::passkey_sign_in(token, credential, next)
    }
    fn second_step_begin() -> impl Future<Output = Result<PasskeyChallenge, AppError>> + Send + 'static {
        user::second_step_passkey_begin()
    }
    fn second_step(
        token: String,
        credential: String,
    ) -> impl Future<Output = Result<String, AppError>> + Send + 'static {
        user::second_step_passkey(token, credential)
    }
}

impl PasskeyEndpoints for AdminRealm {
    type Remove = admin::StaffPasskeyRemove;

    fn panel() -> impl Future<Output = Result<PasskeyPanel, AppError>> + Send + 'static {
        admin::staff_passkeys()
    }
    fn add_begin(name: String) -> impl Future<Output = Result<PasskeyChallenge, AppError>> + Send + 'static {
        admin::staff_passkey_add_begin(name)
    }
    fn add(token: String, credential: String) -> impl Future<Output = Result<(), AppError>> + Send + 'static {
        admin::staff_passkey_add(token, credential)
    }
    fn sign_in_begin() -> impl Future<Output = Result<PasskeyChallenge, AppError>> + Send + 'static {
        admin::staff_passkey_sign_in_begin()
    }
    fn sign_in(
        token: String,
        credential: String,
        next: Option<String>,
    ) -> impl Future<Output = Result<String, AppError>> + Send + 'static {
        admin::staff_passkey_sign_in(token, credential, next)
    }
    fn second_step_begin() -> impl Future<Output = Result<PasskeyChallenge, AppError>> + Send + 'static {
        admin::staff_second_step_passkey_begin()
    }
    fn second_step(
        token: String,
        credential: String,
    ) -> impl Future<Output = Result<String, AppError>> + Send + 'static {
        admin::staff_second_step_passkey(token, credential)
    }
}
