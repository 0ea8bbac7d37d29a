//! Checks of form fields that have no domain type of their own (free text,
//! whole numbers in a range, ids), each failing with a message for its
//! field. Fields that do (emails, names, passwords, weights) parse into
//! their `crate::domain` type instead.

use crate::{domain::programme::parse_whole, error::AppError};

/// Trimmed free text of at most `max` characters, without control
/// characters but line breaks; `required` refuses an empty one.
pub fn text(raw: &str, field: &str, label: &str, max: usize, required: bool) -> Result<String, AppError> {
    let value = raw.trim();
    if required && value.is_empty() {
        return Err(AppError::invalid(field, format!("Enter the {label}.")));
    }
    if value.chars().count() > max {
        return Err(AppError::invalid(field, format!("Keep the {label} under {max} characters.")));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(AppError::invalid(
            field,
            format!("The {label} contains characters that are not allowed."),
        ));
    }
    Ok(value.to_owned())
}

/// A whole number from `min` to `max`.
pub fn whole(raw: &str, field: &str, label: &str, min: i64, max: i64) -> Result<i64, AppError> {
    parse_whole(raw, label, min, max).map_err(|m| AppError::invalid(field, m))
}

/// The id of a row the form chose (a positive number).
pub fn id(raw: &str, field: &str, what: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| AppError::invalid(field, format!("Choose {what}.")))
}
