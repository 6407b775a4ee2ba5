//! Vietnamese phone numbers, normalised to national form (`0...`).
//!
//! Numbers move between carriers, so the carrier is never inferred from the prefix: only the
//! kind of line (mobile or landline) is reported.

use serde::{Deserialize, Serialize};

use super::{Issue, IssueKind, Report};

const FIELD: &str = "member.phone";

/// The kind of line a valid number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    Mobile,
    Landline,
}

/// Whether `d` (ASCII digits) matches `^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-46-9])\d{7}$`.
fn is_mobile(d: &[u8]) -> bool {
    if d.len() != 10 || d[0] != b'0' {
        return false;
    }
    let second = d[2];
    match d[1] {
        b'3' => (b'2'..=b'9').contains(&second),
        b'5' => matches!(second, b'2' | b'5' | b'6' | b'8' | b'9'),
        b'7' => second == b'0' || (b'6'..=b'9').contains(&second),
        b'8' => (b'1'..=b'9').contains(&second),
        b'9' => second != b'5',
        _ => false,
    }
}

/// Whether `d` (ASCII digits) is a landline number: 11 digits starting `02`.
fn is_landline(d: &[u8]) -> bool {
    d.len() == 11 && d.starts_with(b"02")
}

/// Normalises a typed phone number to national form and tells its kind.
///
/// Spaces, dots, dashes and parentheses are removed; an international prefix `+84`, `0084` or
/// `84` becomes `0` (a trunk `0` typed after it, as in `+84 (0) 912...`, is kept once). The
/// result must be a mobile number (`^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-46-9])\d{7}$`) or a
/// landline (11 digits starting `02`); anything else is an error (`PhoneFormat`) and gives `None`.
pub fn normalize_phone(raw: &str, report: &mut Report) -> Option<(String, PhoneKind)> {
    let compact: String = raw
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '.' | '-' | '(' | ')')))
        .collect();
    let national = ["+84", "0084", "84"]
        .iter()
        .find_map(|prefix| compact.strip_prefix(prefix))
        .map(|rest| {
            if rest.starts_with('0') {
                rest.to_owned()
            } else {
                format!("0{rest}")
            }
        })
        .unwrap_or(compact);

    let digits = national.as_bytes();
    if digits.iter().all(u8::is_ascii_digit) {
        if is_mobile(digits) {
            return Some((national, PhoneKind::Mobile));
        }
        if is_landline(digits) {
            return Some((national, PhoneKind::Landline));
        }
    }
    report.push(Issue::error(
        IssueKind::PhoneFormat,
        FIELD,
        "Số điện thoại không hợp lệ: số di động gồm 10 chữ số (ví dụ 09xx xxx xxx), số cố định gồm 11 chữ số bắt đầu bằng 02.",
        "The phone number is not valid: a mobile number has 10 digits (for example 09xx xxx xxx), a landline has 11 digits starting with 02.",
    ));
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalize(raw: &str) -> (Option<(String, PhoneKind)>, Report) {
        let mut report = Report::default();
        let out = normalize_phone(raw, &mut report);
        for issue in &report.issues {
            assert_eq!(issue.field, FIELD);
            if !raw.is_empty() {
                assert!(!issue.message_vi.contains(raw) && !issue.message_en.contains(raw));
            }
        }
        (out, report)
    }

    fn ok(raw: &str) -> (String, PhoneKind) {
        let (out, report) = normalize(raw);
        assert!(report.is_empty(), "{raw}: {report:?}");
        out.unwrap_or_else(|| panic!("{raw} rejected"))
    }

    fn rejected(raw: &str) {
        let (out, report) = normalize(raw);
        assert_eq!(out, None, "{raw}");
        assert_eq!(report.issues.len(), 1, "{raw}");
        assert_eq!(report.issues[0].kind, IssueKind::PhoneFormat);
        assert!(report.has_errors());
    }

    #[test]
    fn international_forms_become_national() {
        assert_eq!(
            ok("+84 912 345 678"),
            ("0912345678".into(), PhoneKind::Mobile)
        );
        assert_eq!(ok("84912345678"), ("0912345678".into(), PhoneKind::Mobile));
        assert_eq!(
            ok("0084 912 345 678"),
            ("0912345678".into(), PhoneKind::Mobile)
        );
        assert_eq!(
            ok("+84 (0) 912-345-678"),
            ("0912345678".into(), PhoneKind::Mobile)
        );
        // 84 + 321234567 is 0321234567: a mobile number in the 032 range.
        assert_eq!(ok("84321234567"), ("0321234567".into(), PhoneKind::Mobile));
        assert_eq!(
            ok("+84 24 3823 4567"),
            ("02438234567".into(), PhoneKind::Landline)
        );
    }

    #[test]
    fn accepts_national_forms() {
        assert_eq!(ok("0912.345.678"), ("0912345678".into(), PhoneKind::Mobile));
        assert_eq!(
            ok("(091) 234-5678"),
            ("0912345678".into(), PhoneKind::Mobile)
        );
        assert_eq!(
            ok("02438234567"),
            ("02438234567".into(), PhoneKind::Landline)
        );
        assert_eq!(
            ok("028 3823 4567"),
            ("02838234567".into(), PhoneKind::Landline)
        );
    }

    #[test]
    fn mobile_prefixes_follow_the_rule() {
        for p in [
            "032", "039", "052", "055", "056", "058", "059", "070", "076", "079", "081", "089",
            "090", "094", "096", "099",
        ] {
            assert_eq!(ok(&format!("{p}1234567")).1, PhoneKind::Mobile, "{p}");
        }
        for p in [
            "031", "030", "050", "051", "053", "054", "057", "071", "075", "080", "095", "010",
            "012", "060",
        ] {
            rejected(&format!("{p}1234567"));
        }
    }

    #[test]
    fn rejects_everything_else() {
        rejected("");
        rejected("0123456789");
        rejected("0241234567"); // 10 digits starting 02: a landline needs 11
        rejected("091234567"); // too short
        rejected("09123456789"); // too long for a mobile, not 02
        rejected("0912 345 67a");
        rejected("912345678"); // no trunk 0
        rejected("+1 912 345 678");
        rejected("+84+912345678");
        rejected("0912/345/678");
        rejected("０９１２３４５６７８"); // full-width digits
    }

    #[test]
    fn kind_serialises_snake_case() {
        assert_eq!(
            serde_json::to_string(&PhoneKind::Mobile).unwrap(),
            "\"mobile\""
        );
        assert_eq!(
            serde_json::to_string(&PhoneKind::Landline).unwrap(),
            "\"landline\""
        );
    }
}
