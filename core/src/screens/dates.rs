//! Dates as people type them: birth dates `1950`, `5/3/1950`, `05-03-1950`, `5-3-1950`,
//! `5.3.1950`, `1950-03-05`, and calendar dates (a follow-up) in the same forms without the
//! year-only one. Day first, as written in Vietnam. A bad date gets a sentence, never a panic.

use chrono::NaiveDate;

use super::view::{Lang, tr};
use crate::model::BirthDate;

/// Parses a typed birth date; blank is `Ok(None)`. The error is the field message to show.
pub fn parse_birth(text: &str, lang: Lang) -> Result<Option<BirthDate>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || {
        tr(
            lang,
            "Ngày sinh chưa đúng. Ghi năm (1950) hoặc ngày/tháng/năm (5/3/1950).",
            "The birth date is not valid. Type a year (1950) or day/month/year (5/3/1950).",
        )
    };
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        return t
            .parse()
            .map(|y| Some(BirthDate::Year(y)))
            .map_err(|_| bad());
    }
    parse_day(t)
        .map(|d| Some(BirthDate::Date(d)))
        .ok_or_else(bad)
}

/// A calendar date typed day first (`12/1/2027`, `12-01-2027`, `12.1.2027`) or in the ISO form
/// (`2027-01-12`); blank is `Ok(None)`. The error is the field message to show.
pub fn parse_date(text: &str, lang: Lang) -> Result<Option<NaiveDate>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse_day(t).map(Some).ok_or_else(|| {
        tr(
            lang,
            "Ngày chưa đúng. Ghi ngày/tháng/năm, ví dụ 12/1/2027.",
            "The date is not valid. Type day/month/year, e.g. 12/1/2027.",
        )
    })
}

/// A date as the forms show it: `05/03/1950`.
pub fn show_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Day, month and four-digit year separated by `/`, `-` or `.`, day first unless the year
/// comes first (the ISO form).
fn parse_day(t: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = t.split(['/', '-', '.']).map(str::trim).collect();
    let numbers: Option<Vec<u32>> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    let &[a, b, c] = numbers.as_deref()? else {
        return None;
    };
    // Year first only when the first part has four digits (the ISO form).
    let year_first = parts[0].len() == 4;
    let (year, month, day) = if year_first { (a, b, c) } else { (c, b, a) };
    if parts[if year_first { 0 } else { 2 }].len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// A birth date as the form shows it back: `1950` or `05/03/1950`.
pub fn show_birth(birth: BirthDate) -> String {
    match birth {
        BirthDate::Year(y) => format!("{y}"),
        BirthDate::Date(d) => show_date(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<BirthDate> {
        Some(BirthDate::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap()))
    }

    #[test]
    fn every_written_form_parses_day_first() {
        assert_eq!(
            parse_birth("1950", Lang::Vi),
            Ok(Some(BirthDate::Year(1950)))
        );
        assert_eq!(parse_birth("5/3/1950", Lang::Vi), Ok(date(1950, 3, 5)));
        assert_eq!(parse_birth("05-03-1950", Lang::Vi), Ok(date(1950, 3, 5)));
        // Threw GocuaException.InvalidInput on Android's UI thread.
        assert_eq!(parse_birth("5-3-1950", Lang::Vi), Ok(date(1950, 3, 5)));
        assert_eq!(parse_birth("1950-03-05", Lang::Vi), Ok(date(1950, 3, 5)));
        assert_eq!(parse_birth("  ", Lang::Vi), Ok(None));
    }

    #[test]
    fn bad_dates_get_a_sentence() {
        for bad in [
            "31/2/1950",
            "5/3/50",
            "abc",
            "5//1950",
            "1/2/3/4",
            "99999999999",
        ] {
            let e = parse_birth(bad, Lang::En).unwrap_err();
            assert!(e.contains("not valid"), "{bad}");
        }
    }
}
