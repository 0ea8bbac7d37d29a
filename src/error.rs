//! The one error type server functions return. Every variant is safe to show
//! to a visitor: internal causes are logged on the server and never sent.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No valid session in the realm the request belongs to.
    #[error("Please sign in to continue.")]
    Unauthenticated,
    /// Signed in, but the role does not allow this.
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("Choose your own password first: the one you were given is temporary.")]
    PasswordChangeRequired,
    /// Staff must turn on two-step sign-in before using the console.
    #[error("Set up two-step sign-in first: staff accounts need it.")]
    TwoStepSetupRequired,
    /// One answer for every failed sign-in (no account enumeration).
    #[error("The email or password is incorrect, or the account is not active yet.")]
    InvalidCredentials,
    /// A form field failed validation; the message names the rule.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// The request conflicts with existing data (e.g. a duplicate email).
    #[error("{0}")]
    Conflict(String),
    /// The thing asked for does not exist (or is not visible to this account).
    #[error("{0}")]
    NotFound(String),
    /// Too many failed attempts from this client address; try later.
    #[error("Too many attempts. Please wait {retry_after_seconds} seconds and try again.")]
    TooManyAttempts { retry_after_seconds: i64 },
    /// Too many password checks at once: the server sheds load (503).
    #[error("The server is busy. Please try again in {retry_after_seconds} seconds.")]
    Busy { retry_after_seconds: i64 },
    /// The request itself was malformed (missing or undecodable arguments).
    #[error("The request could not be understood. Please reload the page and try again.")]
    BadRequest,
    /// The browser could not reach the server.
    #[error("Could not reach the server. Check your connection and try again.")]
    Network,
    /// Something failed on our side; details are in the server log.
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid { field: field.to_owned(), message: message.into() }
    }

    /// The HTTP status the error is answered with.
    pub const fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::InvalidCredentials => 401,
            AppError::Forbidden | AppError::PasswordChangeRequired | AppError::TwoStepSetupRequired => 403,
            AppError::Invalid { .. } => 422,
            AppError::Conflict(_) => 409,
            AppError::NotFound(_) => 404,
            AppError::BadRequest => 400,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Network | AppError::Busy { .. } => 503,
            AppError::Internal => 500,
        }
    }

    /// Seconds the client should wait before trying again, if it should.
    pub const fn retry_after(&self) -> Option<i64> {
        match self {
            AppError::TooManyAttempts { retry_after_seconds } | AppError::Busy { retry_after_seconds } => {
                Some(*retry_after_seconds)
            }
            _ => None,
        }
    }

    /// The message for a given form field, if this error is about it.
    pub fn for_field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid { field, message } if field == name => Some(message.clone()),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            ServerFnErrorErr::Request(_) => AppError::Network,
            _ => AppError::Internal,
        };
        // On the server, argument errors happen before our code runs: make
        // sure they are still answered with the right status, not a 500.
        #[cfg(feature = "ssr")]
        crate::server::endpoint::set_error_status(&error);
        error
    }
}
