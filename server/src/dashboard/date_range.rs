//! The range of days a report covers (issue 17: date filters on every report): `?from=&to=` as
//! the browser's date inputs send them, in Vietnam's days. Read forgivingly: a date that does not
//! read gives the report's default with a notice, a backwards range is swapped, a range longer
//! than a year is shortened.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::Deserialize;

/// The longest range a page reads (a year).
const MAX_DAYS: i64 = 366;

#[derive(Debug, Deserialize, Default, Clone)]
pub struct RangeQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Days `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `bad_range` when a typed date did not read.
    pub notice: Option<&'static str>,
    /// Whether the coordinator chose it (else it is the report's default).
    pub chosen: bool,
}

impl RangeQuery {
    /// The range asked for; by default the `default_days` days up to `today`.
    pub fn read(&self, today: NaiveDate, default_days: i64) -> DateRange {
        let parse = |s: &Option<String>| {
            s.as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d"))
        };
        let default_from = today - chrono::Duration::days(default_days - 1);
        let (from, to, notice, chosen) = match (parse(&self.from), parse(&self.to)) {
            (Some(Err(_)), _) | (_, Some(Err(_))) => {
                (default_from, today, Some("bad_range"), false)
            }
            (None, None) => (default_from, today, None, false),
            (from, to) => (
                from.and_then(Result::ok).unwrap_or(default_from),
                to.and_then(Result::ok).unwrap_or(today),
                None,
                true,
            ),
        };
        let (from, to) = if from > to { (to, from) } else { (from, to) };
        let from = from.max(to - chrono::Duration::days(MAX_DAYS - 1));
        DateRange {
            from,
            to,
            notice,
            chosen,
        }
    }
}

impl DateRange {
    pub fn contains(&self, day: NaiveDate) -> bool {
        (self.from..=self.to).contains(&day)
    }

    /// The instants the range covers, `[start, end)`: Vietnam's midnights (UTC+7, no DST).
    pub fn instants(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let midnight = |d: NaiveDate| {
            crate::time::VIETNAM
                .from_local_datetime(&d.and_time(NaiveTime::MIN))
                .single()
                .map(|t| t.to_utc())
                .unwrap_or_else(|| d.and_time(NaiveTime::MIN).and_utc())
        };
        (
            midnight(self.from),
            midnight(self.to + chrono::Duration::days(1)),
        )
    }

    /// The form's values: `?from=…&to=…` and the inputs' values.
    pub fn context(&self) -> minijinja::Value {
        minijinja::context! {
            from => self.from.to_string(), to => self.to.to_string(), chosen => self.chosen,
            query => format!("from={}&to={}", self.from, self.to),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_range_is_read_forgivingly_and_never_longer_than_a_year() {
        let today = day("2026-12-05");
        let q = |from: &str, to: &str| RangeQuery {
            from: Some(from.into()),
            to: Some(to.into()),
        };
        let r = RangeQuery::default().read(today, 28);
        assert_eq!(
            (r.from, r.to, r.notice, r.chosen),
            (day("2026-11-08"), today, None, false)
        );
        let r = q("2026-12-01", "2026-11-20").read(today, 28);
        assert_eq!(
            (r.from, r.to, r.chosen),
            (day("2026-11-20"), day("2026-12-01"), true)
        );
        let r = q("1/12/2026", "").read(today, 28);
        assert_eq!((r.from, r.notice), (day("2026-11-08"), Some("bad_range")));
        let r = q("2000-01-01", "2026-12-05").read(today, 28);
        assert_eq!(r.from, day("2025-12-05"));
    }

    #[test]
    fn a_days_instants_are_vietnams_midnights() {
        let r = RangeQuery {
            from: Some("2026-12-05".into()),
            to: Some("2026-12-05".into()),
        }
        .read(day("2026-12-06"), 7);
        let (start, end) = r.instants();
        assert_eq!(start.to_rfc3339(), "2026-12-04T17:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-12-05T17:00:00+00:00");
    }
}
