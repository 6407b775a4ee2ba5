//! Time, in one place. Stored and sent in UTC (RFC 3339 with milliseconds, [`ts`]); shown and
//! grouped by day in Vietnam's time, UTC+7 all year (no daylight saving), [`VIETNAM`].

use chrono::{DateTime, SecondsFormat, Utc};

pub use gocua_core::vietnam_time::{VIETNAM, local, local_date};

/// A time as the stores keep it: `2026-11-23T07:05:00.000Z`.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A stored time read back; the earliest time when unreadable.
pub fn parse_ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The day of a time in Vietnam, as charts group it: `2026-11-23`.
pub fn day(t: DateTime<Utc>) -> String {
    local_date(t).format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnam_day_starts_at_17_utc() {
        let t = DateTime::parse_from_rfc3339("2026-11-23T16:59:59Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(day(t), "2026-11-23");
        assert_eq!(day(t + chrono::Duration::seconds(1)), "2026-11-24");
        assert_eq!(parse_ts(&ts(t)), t);
    }
}
