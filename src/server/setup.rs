//! The one-time setup code that lets the first super admin be created on
//! `/admin/setup` while no staff account exists (there is no default admin).

use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

/// Holds the hash of the current setup code, if one is on offer.
#[derive(Clone, Debug, Default)]
pub struct SetupCode {
    hash: Arc<Mutex<Option<[u8; 32]>>>,
}

/// Unambiguous characters only (no 0/O, 1/I/L).
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

fn digest(code: &str) -> [u8; 32] {
    let normalized: String =
        code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    Sha256::digest(normalized.as_bytes()).into()
}

impl SetupCode {
    /// Issues a fresh code (returned once, for the operator's log).
    pub fn issue(&self) -> String {
        let code = super::security::random_code(ALPHABET, 3, 5);
        *self.hash.lock().unwrap_or_else(|p| p.into_inner()) = Some(digest(&code));
        code
    }

    /// Whether `code` is the code on offer (case and dashes don't matter).
    pub fn matches(&self, code: &str) -> bool {
        let offered = *self.hash.lock().unwrap_or_else(|p| p.into_inner());
        let given = digest(code);
        offered.is_some_and(|h| h.iter().zip(given.iter()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0)
    }

    /// Withdraws the code: it has been used (or an admin now exists).
    pub fn withdraw(&self) {
        *self.hash.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    pub fn is_offered(&self) -> bool {
        self.hash.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::SetupCode;

    #[test]
    fn a_code_matches_until_withdrawn() {
        let setup = SetupCode::default();
        assert!(!setup.matches("anything"));
        let code = setup.issue();
        assert!(setup.matches(&code));
        assert!(setup.matches(&code.to_lowercase().replace('-', "")));
        assert!(!setup.matches("ABCDE-FGHJK-MNPQR"));
        setup.withdraw();
        assert!(!setup.matches(&code));
    }
}
