//! Personal identification number (CCCD): 12 digits, no check digit.
//!
//! Digits 1-3 name the province where the birth was registered (old 63-province list, since ID
//! numbers never change), digit 4 encodes century and gender, digits 5-6 the last two digits of
//! the birth year. Only the shape is an error; every cross-check is a warning, because the
//! member's recorded birth year or gender may be the wrong half of the disagreement.

use super::{Issue, IssueKind, Report};
use crate::model::{BirthDate, Gender};

const FIELD: &str = "member.id_number";

/// The 3-digit prefixes of the 63 provinces before the 2025 merger, sorted.
const PROVINCE_PREFIXES: [&str; 63] = [
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
    "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
    "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
    "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
    "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
];

/// Whether `prefix` (the first three digits of an ID number) is one of the 63 old-province codes.
pub fn known_province_prefix(prefix: &str) -> bool {
    PROVINCE_PREFIXES.binary_search(&prefix).is_ok()
}

/// The century/gender digit (4th digit) expected for a birth year and gender: 1900s male 0,
/// female 1; 2000s 2/3; 2100s 4/5; 2200s 6/7; 2300s 8/9. `None` outside 1900..=2399.
fn century_index(year: i32) -> Option<u8> {
    if (1900..2400).contains(&year) {
        u8::try_from(year / 100 - 19).ok()
    } else {
        None
    }
}

/// Checks a typed personal ID number. Spaces and dots are removed first; anything but exactly
/// 12 digits is an error (`IdNumberFormat`) and gives `None`. Otherwise returns the 12 digits,
/// with warnings for an unknown province prefix and for a 4th digit or digits 5-6 that disagree
/// with the member's birth year and gender (each cross-check skipped when that fact is unknown).
pub fn check_id_number(
    raw: &str,
    birth: Option<BirthDate>,
    gender: Option<Gender>,
    report: &mut Report,
) -> Option<String> {
    let id: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
        report.push(Issue::error(
            IssueKind::IdNumberFormat,
            FIELD,
            "Số định danh cá nhân phải gồm đúng 12 chữ số.",
            "The personal ID number must have exactly 12 digits.",
        ));
        return None;
    }

    if !known_province_prefix(&id[..3]) {
        report.push(Issue::warning(
            IssueKind::IdNumberUnknownProvince,
            FIELD,
            "Ba chữ số đầu của số định danh cá nhân không phải mã tỉnh đã biết. Hãy kiểm tra lại số.",
            "The first three digits of the personal ID number are not a known province code. Please check the number.",
        ));
    }

    let code = id.as_bytes()[3] - b'0';
    if let Some(birth) = birth {
        let year = birth.year();
        if century_index(year) != Some(code / 2) {
            report.push(Issue::warning(
                IssueKind::IdNumberCenturyMismatch,
                FIELD,
                "Chữ số thứ 4 của số định danh cá nhân không khớp với thế kỷ của năm sinh.",
                "The 4th digit of the personal ID number does not match the century of the birth year.",
            ));
        }
        let year_digits =
            i32::from(id.as_bytes()[4] - b'0') * 10 + i32::from(id.as_bytes()[5] - b'0');
        if year.rem_euclid(100) != year_digits {
            report.push(Issue::warning(
                IssueKind::IdNumberBirthYearMismatch,
                FIELD,
                "Chữ số thứ 5 và 6 của số định danh cá nhân không khớp với năm sinh.",
                "The 5th and 6th digits of the personal ID number do not match the birth year.",
            ));
        }
    }
    if let Some(gender) = gender {
        let id_gender = if code.is_multiple_of(2) {
            Gender::Male
        } else {
            Gender::Female
        };
        if id_gender != gender {
            report.push(Issue::warning(
                IssueKind::IdNumberGenderMismatch,
                FIELD,
                "Chữ số thứ 4 của số định danh cá nhân không khớp với giới tính.",
                "The 4th digit of the personal ID number does not match the gender.",
            ));
        }
    }

    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn check(
        raw: &str,
        birth: Option<BirthDate>,
        gender: Option<Gender>,
    ) -> (Option<String>, Report) {
        let mut report = Report::default();
        let out = check_id_number(raw, birth, gender, &mut report);
        for issue in &report.issues {
            assert_eq!(issue.field, FIELD);
            for value in [raw, out.as_deref().unwrap_or(raw)]
                .into_iter()
                .filter(|v| !v.trim().is_empty())
            {
                assert!(!issue.message_vi.contains(value) && !issue.message_en.contains(value));
            }
        }
        (out, report)
    }

    fn kinds(report: &Report) -> Vec<IssueKind> {
        report.issues.iter().map(|i| i.kind).collect()
    }

    #[test]
    fn prefix_list_is_sorted_and_complete() {
        assert!(PROVINCE_PREFIXES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(PROVINCE_PREFIXES.len(), 63);
        assert!(known_province_prefix("001"));
        assert!(known_province_prefix("079"));
        assert!(known_province_prefix("096"));
        assert!(!known_province_prefix("003"));
        assert!(!known_province_prefix("097"));
        assert!(!known_province_prefix("01"));
        assert!(!known_province_prefix(""));
    }

    #[test]
    fn accepts_valid_numbers() {
        let (out, report) = check(
            "001099012345",
            Some(BirthDate::Year(1999)),
            Some(Gender::Male),
        );
        assert_eq!(out.as_deref(), Some("001099012345"));
        assert!(report.is_empty(), "{report:?}");

        let born = NaiveDate::from_ymd_opt(2003, 5, 17).unwrap();
        let (out, report) = check(
            "079303001234",
            Some(BirthDate::Date(born)),
            Some(Gender::Female),
        );
        assert_eq!(out.as_deref(), Some("079303001234"));
        assert!(report.is_empty(), "{report:?}");

        // 1900s female, 2100s male.
        let (_, report) = check(
            "001165000001",
            Some(BirthDate::Year(1965)),
            Some(Gender::Female),
        );
        assert!(report.is_empty(), "{report:?}");
        let (_, report) = check(
            "001401000001",
            Some(BirthDate::Year(2101)),
            Some(Gender::Male),
        );
        assert!(report.is_empty(), "{report:?}");
    }

    #[test]
    fn strips_spaces_and_dots() {
        let (out, report) = check(
            " 001.099.012.345 ",
            Some(BirthDate::Year(1999)),
            Some(Gender::Male),
        );
        assert_eq!(out.as_deref(), Some("001099012345"));
        assert!(report.is_empty());
        let (out, _) = check("001 099 012 345", None, None);
        assert_eq!(out.as_deref(), Some("001099012345"));
    }

    #[test]
    fn rejects_bad_shapes() {
        for raw in [
            "",
            "00109901234",
            "0010990123456",
            "00109901234a",
            "O01099012345",
            "001-099-012-345",
            "００１０９９０１２３４５",
        ] {
            let (out, report) = check(raw, None, None);
            assert_eq!(out, None, "{raw}");
            assert_eq!(kinds(&report), vec![IssueKind::IdNumberFormat], "{raw}");
            assert!(report.has_errors());
        }
    }

    #[test]
    fn unknown_prefix_is_a_warning() {
        let (out, report) = check(
            "003099012345",
            Some(BirthDate::Year(1999)),
            Some(Gender::Male),
        );
        assert_eq!(out.as_deref(), Some("003099012345"));
        assert_eq!(kinds(&report), vec![IssueKind::IdNumberUnknownProvince]);
        assert!(!report.has_errors());
    }

    #[test]
    fn gender_mismatch_is_a_warning() {
        let (out, report) = check(
            "001099012345",
            Some(BirthDate::Year(1999)),
            Some(Gender::Female),
        );
        assert!(out.is_some());
        assert_eq!(kinds(&report), vec![IssueKind::IdNumberGenderMismatch]);
        assert!(!report.has_errors());
    }

    #[test]
    fn century_mismatch_is_a_warning() {
        // Code 2 means the 2000s, but the member was born in 1999.
        let (_, report) = check(
            "001299012345",
            Some(BirthDate::Year(1999)),
            Some(Gender::Male),
        );
        assert_eq!(kinds(&report), vec![IssueKind::IdNumberCenturyMismatch]);
        // Born before 1900: no digit fits.
        let (_, report) = check(
            "001099012345",
            Some(BirthDate::Year(1899)),
            Some(Gender::Male),
        );
        assert_eq!(kinds(&report), vec![IssueKind::IdNumberCenturyMismatch]);
        assert!(!report.has_errors());
    }

    #[test]
    fn birth_year_mismatch_is_a_warning() {
        let (_, report) = check(
            "001098012345",
            Some(BirthDate::Year(1999)),
            Some(Gender::Male),
        );
        assert_eq!(kinds(&report), vec![IssueKind::IdNumberBirthYearMismatch]);
        assert!(!report.has_errors());
    }

    #[test]
    fn unknown_birth_or_gender_skips_cross_checks() {
        let (_, report) = check("001399012345", None, None);
        assert!(report.is_empty());
        // Gender known, birth unknown: only the gender parity is checked.
        let (_, report) = check("001399012345", None, Some(Gender::Male));
        assert_eq!(kinds(&report), vec![IssueKind::IdNumberGenderMismatch]);
        // Birth known, gender unknown: century and year are checked, parity is not.
        let (_, report) = check("001399012345", Some(BirthDate::Year(2099)), None);
        assert!(report.is_empty());
        let (_, report) = check("001399012345", Some(BirthDate::Year(1998)), None);
        assert_eq!(
            kinds(&report),
            vec![
                IssueKind::IdNumberCenturyMismatch,
                IssueKind::IdNumberBirthYearMismatch
            ]
        );
    }
}
