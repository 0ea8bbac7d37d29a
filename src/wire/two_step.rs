//! Two-step sign-in as the account pages show it.

use serde::{Deserialize, Serialize};

/// Whether the account signs in in two steps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepStatus {
    pub enabled: bool,
    /// Unused recovery codes (0 when not enabled).
    pub recovery_codes_left: i64,
    /// The office requires a second factor of the account (staff).
    pub required: bool,
    /// The account has a passkey: a second factor besides the app (staff).
    pub passkey_factor: bool,
}

/// What set-up shows once: the key as a QR code and as text. The key is
/// never shown again after it is confirmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepSetup {
    /// `data:image/svg+xml;base64,…` of the `otpauth://` URL.
    pub qr_image: String,
    /// The key in groups of four characters, for typing in by hand.
    pub key: String,
}

/// The account page's two-step panel: how it stands, the key offered by a
/// set-up in progress in this browser, and new recovery codes to show once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepState {
    pub status: TwoStepStatus,
    pub setup: Option<TwoStepSetup>,
    pub new_recovery_codes: Option<Vec<String>>,
}
