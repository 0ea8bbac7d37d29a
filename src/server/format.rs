//! How times are shown: dates in Philippine time (UTC+8, no DST).

use time::{OffsetDateTime, UtcOffset};

const MANILA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

fn local(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH).to_offset(MANILA)
}

/// `Nov`, without building the month's full name first.
fn short_month(t: OffsetDateTime) -> &'static str {
    const NAMES: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    NAMES[usize::from(u8::from(t.month())) - 1]
}

/// `27 Nov 2026`
pub fn date(unix: i64) -> String {
    let t = local(unix);
    format!("{} {} {}", t.day(), short_month(t), t.year())
}

/// `27 Nov 2026, 14:05`
pub fn date_time(unix: i64) -> String {
    let t = local(unix);
    format!("{}, {:02}:{:02}", date(unix), t.hour(), t.minute())
}

/// `16 Nov`
pub fn day_month(unix: i64) -> String {
    let t = local(unix);
    format!("{} {}", t.day(), short_month(t))
}

/// `Friday, 4 Dec`
pub fn weekday_day_month(unix: i64) -> String {
    format!("{}, {}", local(unix).weekday(), day_month(unix))
}

/// Midnight (Philippine time) of the day `unix` falls on.
pub fn local_midnight(unix: i64) -> i64 {
    let t = local(unix);
    unix - i64::from(t.hour()) * 3600 - i64::from(t.minute()) * 60 - i64::from(t.second())
}

/// ISO weekday (1 = Monday … 7 = Sunday) in Philippine time.
pub fn iso_weekday(unix: i64) -> i64 {
    i64::from(local(unix).weekday().number_from_monday())
}

/// Midnight of the Monday that starts the week `unix` falls in.
pub fn week_start(unix: i64) -> i64 {
    local_midnight(unix) - (iso_weekday(unix) - 1) * 24 * 3600
}

/// Midnight of the first day of the month `unix` falls in.
pub fn month_start(unix: i64) -> i64 {
    local_midnight(unix) - (i64::from(local(unix).day()) - 1) * 24 * 3600
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_shown_in_philippine_time() {
        // 2026-11-27 20:30 UTC is already the 28th in Manila.
        assert_eq!(super::date(1_795_811_400), "28 Nov 2026");
        assert_eq!(super::date_time(1_795_811_400), "28 Nov 2026, 04:30");
    }

    #[test]
    fn every_month_is_shown_by_its_first_three_letters() {
        for n in 1..=12u8 {
            let month = time::Month::try_from(n).unwrap();
            let day = time::Date::from_calendar_date(2026, month, 15)
                .unwrap()
                .midnight()
                .assume_offset(super::MANILA);
            assert_eq!(super::short_month(day), &month.to_string()[..3]);
        }
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first_in_manila() {
        let t = 1_795_811_400; // Saturday 28 Nov 2026, 04:30 in Manila
        assert_eq!(super::iso_weekday(t), 6);
        assert_eq!(super::date_time(super::week_start(t)), "23 Nov 2026, 00:00");
        assert_eq!(super::date_time(super::month_start(t)), "1 Nov 2026, 00:00");
        assert_eq!(super::weekday_day_month(t), "Saturday, 28 Nov");
    }
}
