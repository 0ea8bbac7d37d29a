//! The programme's numbers: weights, points, rewards, weekdays. Points are
//! whole numbers; weights are kept as hundredths of a kilogram.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A weight in hundredths of a kilogram (`12.35 kg` is `1235`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Weight(pub i64);

impl Weight {
    /// The heaviest single collection a form accepts (a full cart).
    pub const MAX_KG: i64 = 1_000;

    /// Parses what staff type: `12`, `12.5`, `12.35` (a comma works too).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim().replace(',', ".");
        let invalid = || "Enter the weight in kilograms, like 12.35.".to_string();
        if raw.is_empty() {
            return Err("Enter the weight in kilograms.".into());
        }
        if raw.len() > 12 {
            return Err(invalid());
        }
        let (whole, fraction) = raw.split_once('.').unwrap_or((&raw, ""));
        if whole.is_empty() && fraction.is_empty()
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !fraction.chars().all(|c| c.is_ascii_digit())
        {
            return Err(invalid());
        }
        if fraction.len() > 2 {
            return Err("Use at most two decimals for the weight.".into());
        }
        let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| invalid())? };
        let hundredths: i64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
        let value = whole.checked_mul(100).and_then(|w| w.checked_add(hundredths)).ok_or_else(invalid)?;
        if value <= 0 {
            return Err("The weight must be more than zero.".into());
        }
        if value > Self::MAX_KG * 100 {
            return Err(format!("A single collection can be at most {} kg.", Self::MAX_KG));
        }
        Ok(Self(value))
    }

    /// Points earned at `points_per_kg`, rounded down to whole points.
    pub fn points_at(self, points_per_kg: i64) -> i64 {
        self.0.saturating_mul(points_per_kg) / 100
    }
}

impl fmt::Display for Weight {
    /// `12.35 kg`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02} kg", self.0 / 100, self.0 % 100)
    }
}

/// Formats a whole number of points with thousands separators: `12,450`.
pub fn format_points(points: i64) -> String {
    let digits = points.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if points < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Parses a whole number typed into a form field named `field`, within
/// `min..=max`.
pub fn parse_whole(raw: &str, field: &str, min: i64, max: i64) -> Result<i64, String> {
    let value: i64 =
        raw.trim().replace(',', "").parse().map_err(|_| format!("Enter the {field} as a whole number."))?;
    if value < min || value > max {
        return Err(format!(
            "The {field} must be between {} and {}.",
            format_points(min),
            format_points(max)
        ));
    }
    Ok(value)
}

/// ISO weekday names, 1 = Monday.
pub const WEEKDAYS: [&str; 7] =
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// The name of ISO weekday `n` (1–7).
pub fn weekday_name(n: i64) -> &'static str {
    WEEKDAYS.get((n - 1).clamp(0, 6) as usize).copied().unwrap_or("Monday")
}

/// What happened to a redemption.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RedemptionStatus {
    Open,
    Fulfilled,
    Cancelled,
}

impl RedemptionStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            RedemptionStatus::Open => "open",
            RedemptionStatus::Fulfilled => "fulfilled",
            RedemptionStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [RedemptionStatus::Open, RedemptionStatus::Fulfilled, RedemptionStatus::Cancelled]
            .into_iter()
            .find(|s| s.as_str() == value)
    }

    pub const fn label(self) -> &'static str {
        match self {
            RedemptionStatus::Open => "Waiting to be handed over",
            RedemptionStatus::Fulfilled => "Handed over",
            RedemptionStatus::Cancelled => "Cancelled, points returned",
        }
    }
}

/// A stored status (the database's `redemptions.status`); an unknown word is
/// an error, never a default.
impl TryFrom<String> for RedemptionStatus {
    type Error = String;

    fn try_from(value: String) -> Result<Self, String> {
        Self::parse(&value).ok_or_else(|| format!("unknown redemption status {value:?}"))
    }
}

/// Which redemptions a list shows: all of them, or those of one status.
/// On the wire and in SQL, all is the empty string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RedemptionFilter {
    All,
    Only(RedemptionStatus),
}

impl RedemptionFilter {
    pub const fn as_str(self) -> &'static str {
        match self {
            RedemptionFilter::All => "",
            RedemptionFilter::Only(status) => status.as_str(),
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "" => Some(RedemptionFilter::All),
            _ => RedemptionStatus::parse(value).map(RedemptionFilter::Only),
        }
    }
}

/// Why a resident's points changed, as the points ledger records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LedgerKind {
    /// Points credited for a collection.
    Collection,
    /// Points held for a redemption.
    Redemption,
    /// Points given back when a redemption was cancelled.
    Refund,
    /// A staff correction, either way.
    Correction,
}

impl LedgerKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            LedgerKind::Collection => "collection",
            LedgerKind::Redemption => "redemption",
            LedgerKind::Refund => "refund",
            LedgerKind::Correction => "correction",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [LedgerKind::Collection, LedgerKind::Redemption, LedgerKind::Refund, LedgerKind::Correction]
            .into_iter()
            .find(|k| k.as_str() == value)
    }
}

/// A stored kind (the database's `points_ledger.kind`); an unknown word is
/// an error, never a default.
impl TryFrom<String> for LedgerKind {
    type Error = String;

    fn try_from(value: String) -> Result<Self, String> {
        Self::parse(&value).ok_or_else(|| format!("unknown ledger kind {value:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_parse_to_hundredths_of_a_kilogram() {
        assert_eq!(Weight::parse("12.35"), Ok(Weight(1235)));
        assert_eq!(Weight::parse(" 12,5 "), Ok(Weight(1250)));
        assert_eq!(Weight::parse("7"), Ok(Weight(700)));
        assert_eq!(Weight::parse(".25"), Ok(Weight(25)));
        assert_eq!(Weight::parse("1000"), Ok(Weight(100_000)));
        for bad in ["", "0", "0.00", "-1", "1.234", "1000.01", "abc", "1e3", "12.3.4", ".", "99999999999999"]
        {
            assert!(Weight::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Weight(1235).to_string(), "12.35 kg");
    }

    #[test]
    fn points_are_whole_and_round_down() {
        assert_eq!(Weight(1235).points_at(10), 123);
        assert_eq!(Weight(99).points_at(1), 0);
        assert_eq!(Weight(100_000).points_at(25), 25_000);
    }

    #[test]
    fn points_read_with_thousands_separators() {
        assert_eq!(format_points(0), "0");
        assert_eq!(format_points(1234567), "1,234,567");
        assert_eq!(format_points(-1500), "-1,500");
    }

    #[test]
    fn whole_numbers_are_bounded() {
        assert_eq!(parse_whole("1,500", "cost", 1, 100_000), Ok(1500));
        assert!(parse_whole("0", "cost", 1, 10).is_err());
        assert!(parse_whole("2.5", "cost", 1, 10).is_err());
    }

    #[test]
    fn ledger_kinds_and_redemption_filters_read_back_what_they_write() {
        for k in [LedgerKind::Collection, LedgerKind::Redemption, LedgerKind::Refund, LedgerKind::Correction]
        {
            assert_eq!(LedgerKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(LedgerKind::parse("bonus"), None);
        assert!(LedgerKind::try_from("bonus".to_owned()).is_err());
        assert_eq!(RedemptionStatus::try_from("open".to_owned()), Ok(RedemptionStatus::Open));
        assert!(RedemptionStatus::try_from("Open".to_owned()).is_err());
        assert_eq!(RedemptionFilter::parse(""), Some(RedemptionFilter::All));
        assert_eq!(RedemptionFilter::parse("open"), Some(RedemptionFilter::Only(RedemptionStatus::Open)));
        assert_eq!(RedemptionFilter::parse("all"), None);
        for f in [RedemptionFilter::All, RedemptionFilter::Only(RedemptionStatus::Cancelled)] {
            assert_eq!(RedemptionFilter::parse(f.as_str()), Some(f));
        }
    }
}
