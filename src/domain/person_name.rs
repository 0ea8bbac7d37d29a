use std::fmt;

/// A person's display name: trimmed, 1–100 characters, no control characters.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            return Err("Enter your name.".into());
        }
        if value.chars().count() > Self::MAX_CHARS {
            return Err(format!("Names can be at most {} characters.", Self::MAX_CHARS));
        }
        if value.chars().any(char::is_control) {
            return Err("The name contains characters that are not allowed.".into());
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonName({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::PersonName;

    #[test]
    fn names_collapse_whitespace() {
        assert_eq!(PersonName::parse("  Juan   dela  Cruz ").unwrap().as_str(), "Juan dela Cruz");
    }

    #[test]
    fn empty_long_or_control_names_are_rejected() {
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"a".repeat(101)).is_err());
        assert!(PersonName::parse("Ana\u{0007}").is_err());
    }
}
