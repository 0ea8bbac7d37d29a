//! Passkeys as the account and sign-in pages see them.

use serde::{Deserialize, Serialize};

/// One of the account's passkeys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyInfo {
    pub id: i64,
    pub name: String,
    pub created: String,
    /// Never used to sign in when None.
    pub last_used: Option<String>,
}

/// The account page's passkey panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyPanel {
    /// False when the site address cannot carry passkeys (an IP address
    /// other than the loopback one): the panel says so.
    pub available: bool,
    pub passkeys: Vec<PasskeyInfo>,
    /// Removing one now leaves the account without any second factor: the
    /// page offers to end its other sessions as well.
    pub last_factor: bool,
    /// The last one cannot be removed (staff, when the office requires a
    /// second factor and no authenticator app is set up).
    pub keep_last: bool,
}

/// A WebAuthn ceremony begun by the server: the options for the browser's
/// `navigator.credentials` call (WebAuthn's JSON form) and the token that
/// finishes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyChallenge {
    pub token: String,
    pub options: String,
}

/// How a sign-in waiting for its second step can finish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondStepWays {
    /// A code from the authenticator app, or a recovery code.
    pub code: bool,
    /// One of the account's passkeys.
    pub passkey: bool,
}
