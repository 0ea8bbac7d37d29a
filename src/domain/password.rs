use std::fmt;

use super::{Email, PersonName};

/// A new password that satisfies the policy: 12–128 characters, not only
/// digits, not built from the email or name, not a common password. Never
/// truncated, never printed: `Debug` is redacted.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 128;

    /// Checks the policy: length, not only digits, not a common password
    /// (server side), not built from the account's own email or name.
    pub fn parse(raw: &str, email: &Email, name: Option<&PersonName>) -> Result<Self, String> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(format!("Use at least {} characters for your password.", Self::MIN_CHARS));
        }
        if chars > Self::MAX_CHARS {
            return Err(format!("Use at most {} characters for your password.", Self::MAX_CHARS));
        }
        if raw.chars().all(|c| c.is_ascii_digit()) {
            return Err("A password of only digits is too easy to guess.".into());
        }
        #[cfg(feature = "ssr")]
        if common::contains(raw) {
            return Err(
                "That password is on a list of commonly used passwords. Choose a less common one.".into()
            );
        }
        let lowered = raw.to_lowercase();
        let email_local = email.local_part();
        if lowered.contains(email.as_str()) || (email_local.len() >= 4 && lowered.contains(email_local)) {
            return Err("Your password must not contain your email address.".into());
        }
        if let Some(name) = name {
            let too_close = name
                .as_str()
                .to_lowercase()
                .split_whitespace()
                .filter(|part| part.chars().count() >= 4)
                .any(|part| lowered.contains(part) && lowered.chars().count() < part.chars().count() + 8);
            if too_close {
                return Err("Your password is too close to your name.".into());
            }
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The bundled list of 20,000 common passwords (Royce Williams' list, as
/// shipped with Django under the BSD licence), checked case-insensitively.
/// Server only: the browser bundle stays small.
#[cfg(feature = "ssr")]
mod common {
    use std::{collections::HashSet, sync::LazyLock};

    static LIST: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
        include_str!("password/common-passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    });

    pub fn contains(password: &str) -> bool {
        LIST.contains(password.trim().to_lowercase().as_str())
    }

    #[cfg(test)]
    pub fn len() -> usize {
        LIST.len()
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Email {
        Email::parse("maria.santos@example.ph").unwrap()
    }

    #[test]
    fn length_limits_are_enforced_in_characters() {
        assert!(NewPassword::parse("short-pass1", &email(), None).is_err());
        assert!(NewPassword::parse("twelve chars", &email(), None).is_ok());
        assert!(NewPassword::parse(&"ñ".repeat(128), &email(), None).is_ok());
        assert!(NewPassword::parse(&"ñ".repeat(129), &email(), None).is_err());
    }

    #[test]
    fn all_digit_passwords_are_rejected() {
        assert!(NewPassword::parse("123456789012", &email(), None).is_err());
    }

    #[test]
    fn passwords_built_from_the_email_or_name_are_rejected() {
        assert!(NewPassword::parse("maria.santos2024", &email(), None).is_err());
        let name = PersonName::parse("Maria Santos").unwrap();
        assert!(NewPassword::parse("Santos123456", &Email::parse("x@y.ph").unwrap(), Some(&name)).is_err());
        assert!(NewPassword::parse("blue heron over laguna bay", &email(), Some(&name)).is_ok());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn common_passwords_are_rejected_whatever_their_case() {
        assert!(common::len() >= 10_000);
        for common in ["administrator", "PASSWORD1234", "Qwertyuiop123", "  qwerty123456  "] {
            let err = NewPassword::parse(common, &email(), None).unwrap_err();
            assert!(err.contains("commonly used"), "{common}: {err}");
        }
        assert!(NewPassword::parse("kingfisher above the paddy", &email(), None).is_ok());
    }

    #[test]
    fn debug_never_shows_the_password() {
        let p = NewPassword::parse("correct horse battery", &email(), None).unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }
}
