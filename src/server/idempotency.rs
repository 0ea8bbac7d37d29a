//! Idempotent writes: the key a write form sends, checked, so that a form
//! sent twice (a double click, a retried request) writes once and answers
//! the second time as it did the first. The database side is
//! `db::idempotency`.

use super::{db::idempotency::IdempotencyKey, endpoint::internal};
use crate::{error::AppError, realm::Realm};

/// The idempotency key a write form sent, checked: at most one write per
/// key and account (see `db::idempotency`). Forms without one (older pages,
/// scripts) are served as before.
pub fn guard_key<'a>(
    raw: Option<&'a str>,
    realm: Realm,
    account_id: i64,
    endpoint: &'static str,
) -> Result<Option<IdempotencyKey<'a>>, AppError> {
    let Some(key) = raw.map(str::trim).filter(|k| !k.is_empty()) else { return Ok(None) };
    let well_formed = (8..=64).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed {
        return Err(AppError::invalid(
            "idempotency_key",
            "This form is out of date. Reload the page and try again.",
        ));
    }
    Ok(Some(IdempotencyKey { realm, account_id, endpoint, key }))
}

/// The answer a write gave the first time its key was used.
pub fn replayed<T: serde::de::DeserializeOwned>(answer: &str) -> Result<T, AppError> {
    serde_json::from_str(answer).map_err(|e| internal("idempotent replay", e))
}
