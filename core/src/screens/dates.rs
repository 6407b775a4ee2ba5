//! Birth dates as people type them: `1950`, `5/3/1950`, `05-03-1950`, `5-3-1950`, `5.3.1950`,
//! `1950-03-05`. Day first, as written in Vietnam. A bad date gets a sentence, never a panic.

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
    let parts: Vec<&str> = t.split(['/', '-', '.']).map(str::trim).collect();
    let numbers: Option<Vec<u32>> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    let Some(&[a, b, c]) = numbers.as_deref() else {
        return Err(bad());
    };
    // Year first only when the first part has four digits (the ISO form).
    let (year, month, day) = if parts[0].len() == 4 {
        (a, b, c)
    } else {
        (c, b, a)
    };
    if parts[if parts[0].len() == 4 { 0 } else { 2 }].len() != 4 {
        return Err(bad());
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
        .map(|d| Some(BirthDate::Date(d)))
        .ok_or_else(bad)
}

/// A birth date as the form shows it back: `1950` or `05/03/1950`.
pub fn show_birth(birth: BirthDate) -> String {
    match birth {
        BirthDate::Year(y) => format!("{y}"),
        BirthDate::Date(d) => d.format("%d/%m/%Y").to_string(),
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
