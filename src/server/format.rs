//! How times are shown: dates in Philippine time (UTC+8, no DST).

use time::{OffsetDateTime, UtcOffset};

const MANILA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

fn local(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH).to_offset(MANILA)
}

/// `27 Nov 2026`
pub fn date(unix: i64) -> String {
    let t = local(unix);
    let month = t.month().to_string();
    format!("{} {} {}", t.day(), &month[..3], t.year())
}

/// `27 Nov 2026, 14:05`
pub fn date_time(unix: i64) -> String {
    let t = local(unix);
    format!("{}, {:02}:{:02}", date(unix), t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_shown_in_philippine_time() {
        // 2026-11-27 20:30 UTC is already the 28th in Manila.
        assert_eq!(super::date(1_795_811_400), "28 Nov 2026");
        assert_eq!(super::date_time(1_795_811_400), "28 Nov 2026, 04:30");
    }
}
