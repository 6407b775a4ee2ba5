//! Vietnam's calendar: UTC+7 all year, no daylight saving. Times are stored in UTC; the day a
//! visit happened, a follow-up falls due or an export is named after is Vietnam's day, so a
//! volunteer at 6:30 in the morning records today, not yesterday's UTC date.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Vietnam's offset from UTC, in seconds.
const VIETNAM_SECONDS: i32 = 7 * 3600;

/// Vietnam's time zone.
pub const VIETNAM: FixedOffset = match FixedOffset::east_opt(VIETNAM_SECONDS) {
    Some(z) => z,
    None => panic!("UTC+7 is a valid offset"),
};

/// A time in Vietnam.
pub fn local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&VIETNAM)
}

/// The day of a time in Vietnam.
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    local(t).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_turns_at_17_utc() {
        let t = DateTime::parse_from_rfc3339("2026-11-23T16:59:59Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(local_date(t).to_string(), "2026-11-23");
        assert_eq!(
            local_date(t + chrono::Duration::seconds(1)).to_string(),
            "2026-11-24"
        );
    }
}
