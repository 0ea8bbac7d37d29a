//! The error a plain (no-WASM) form post is sent back to its page with.
//!
//! It travels in the page's URL (`?form_error=…`), so anyone could write
//! such a URL: a page must never show text from it that the server did not
//! put there. The value is sealed: the error as JSON, an expiry, and an
//! HMAC-SHA256 under a key that lives only in this process. A forged,
//! altered or stale value is ignored. (Behind several instances the page
//! may be served by another one, whose key differs: the message is then
//! simply not shown; the form is still there to try again.)

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::AppError;

/// How long a sealed error stays good: the redirect follows at once.
const LIFETIME_SECONDS: i64 = 300;

fn key() -> &'static [u8; 32] {
    static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        use rand::RngCore;
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        key
    })
}

fn mac(message: &str) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key()).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    mac
}

/// The URL value carrying `err` back to the form's page.
pub fn seal(err: &AppError) -> Option<String> {
    let json = serde_json::to_string(err).ok()?;
    let message = format!("{}.{}", URL_SAFE_NO_PAD.encode(json), super::db::now() + LIFETIME_SECONDS);
    let tag = URL_SAFE_NO_PAD.encode(mac(&message).finalize().into_bytes());
    Some(format!("{message}.{tag}"))
}

/// The error sealed in `value`, if this server sealed it and it is fresh.
pub fn open(value: &str) -> Option<AppError> {
    let (message, tag) = value.rsplit_once('.')?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    mac(message).verify_slice(&tag).ok()?;
    let (payload, expires_at) = message.split_once('.')?;
    if expires_at.parse::<i64>().ok()? < super::db::now() {
        return None;
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_error_opens_and_a_forged_or_altered_one_does_not() {
        let sealed = seal(&AppError::InvalidCredentials).unwrap();
        assert_eq!(open(&sealed), Some(AppError::InvalidCredentials));
        let forged =
            serde_json::to_string(&AppError::Conflict("Call 0917 and give your password".into())).unwrap();
        assert_eq!(open(&forged), None);
        let (message, tag) = sealed.rsplit_once('.').unwrap();
        let (_, expiry) = message.split_once('.').unwrap();
        let swapped = format!("{}.{expiry}.{tag}", URL_SAFE_NO_PAD.encode(forged));
        assert_eq!(open(&swapped), None);
        assert_eq!(open("garbage"), None);
    }
}
