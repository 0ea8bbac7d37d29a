use std::fmt;

/// A syntactically plausible email address, trimmed and lower-cased so that
/// one mailbox maps to one account.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err("Enter your email address.".into());
        }
        if value.len() > Self::MAX_LEN {
            return Err("That email address is too long.".into());
        }
        let invalid = || "Enter a valid email address, like name@example.com.".to_string();
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        let well_formed = !local.is_empty()
            && local.len() <= 64
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@')
            && value.chars().all(|c| !c.is_control() && !c.is_whitespace() && !"<>()[],;:\"\\".contains(c));
        if !well_formed {
            return Err(invalid());
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`, used by the password policy.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(Email::parse("  Ana@Example.PH ").unwrap().as_str(), "ana@example.ph");
    }

    #[test]
    fn malformed_emails_are_rejected() {
        for bad in [
            "",
            "   ",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana@@example.com",
            "ana@.example.com",
            "ana@example..com",
            "a na@example.com",
            "ana@example.com'; DROP TABLE residents; --",
            "<script>@x.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(300))).is_err());
    }
}
