//! Person names: Unicode NFC, letters of any script.

use unicode_normalization::char::is_combining_mark;

use super::{Issue, IssueKind, Report};
use crate::text;

/// Longest name accepted, in characters (Unicode scalar values, after NFC).
const MAX_NAME_CHARS: usize = 100;

/// Whether `c` may appear in a name: a letter of any script, a combining mark, a space, an
/// apostrophe (ASCII `'` or the typographic `’` that phone keyboards substitute), a hyphen or a
/// period.
fn allowed(c: char) -> bool {
    c.is_alphabetic() || is_combining_mark(c) || matches!(c, ' ' | '\'' | '\u{2019}' | '-' | '.')
}

/// Normalises a typed name with [`text::nfc`] (NFC, whitespace trimmed and collapsed) and checks
/// it: empty is `Required`, more than 100 characters is `TooLong`, and anything but letters,
/// combining marks, spaces, apostrophes, hyphens and periods (digits, emoji, symbols) is
/// `InvalidCharacters`, as is a name with no letter at all. All are errors, reported on `field`;
/// returns the NFC name only when there are none.
pub fn normalize_name(raw: &str, field: &str, report: &mut Report) -> Option<String> {
    let name = text::nfc(raw);
    if name.is_empty() {
        report.push(Issue::error(
            IssueKind::Required,
            field,
            "Vui lòng nhập họ và tên.",
            "Please enter the full name.",
        ));
        return None;
    }
    let mut ok = true;
    if name.chars().count() > MAX_NAME_CHARS {
        report.push(Issue::error(
            IssueKind::TooLong,
            field,
            "Họ và tên không được dài quá 100 ký tự.",
            "The full name must not be longer than 100 characters.",
        ));
        ok = false;
    }
    if !name.chars().all(allowed) || !name.chars().any(char::is_alphabetic) {
        report.push(Issue::error(
            IssueKind::InvalidCharacters,
            field,
            "Họ và tên chỉ được gồm chữ cái, dấu cách, dấu nháy đơn, dấu gạch nối và dấu chấm.",
            "The full name may contain only letters, spaces, apostrophes, hyphens and periods.",
        ));
        ok = false;
    }
    ok.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELD: &str = "member.full_name";

    fn normalize(raw: &str) -> (Option<String>, Report) {
        let mut report = Report::default();
        let out = normalize_name(raw, FIELD, &mut report);
        for issue in &report.issues {
            assert_eq!(issue.field, FIELD);
            let typed = text::nfc(raw);
            if !typed.is_empty() {
                assert!(!issue.message_vi.contains(&typed) && !issue.message_en.contains(&typed));
            }
        }
        (out, report)
    }

    fn kinds(report: &Report) -> Vec<IssueKind> {
        report.issues.iter().map(|i| i.kind).collect()
    }

    #[test]
    fn accepts_vietnamese_names() {
        for name in [
            "Nguyễn Văn A",
            "Đặng Thị Hoà",
            "Hồ Thị Hòa",
            "Lê-Nguyễn Minh Khôi",
            "Ma Seo Chứ",
            "H'Hen Niê",
            "Y Sơn Niê",
            "Trần Th. Bình",
            "O’Brien",
        ] {
            let (out, report) = normalize(name);
            assert!(report.is_empty(), "{name}: {report:?}");
            assert_eq!(out.as_deref(), Some(name));
        }
        // Other scripts are letters too.
        let (out, _) = normalize("张伟");
        assert_eq!(out.as_deref(), Some("张伟"));
    }

    #[test]
    fn decomposed_input_is_composed_and_trimmed() {
        let decomposed = "  Nguye\u{0302}\u{0303}n   Va\u{0306}n  A ";
        let (out, report) = normalize(decomposed);
        assert!(report.is_empty(), "{report:?}");
        assert_eq!(out.as_deref(), Some("Nguyễn Văn A"));
        assert_eq!(out.unwrap().chars().count(), "Nguyễn Văn A".chars().count());
    }

    #[test]
    fn empty_is_required() {
        for raw in ["", "   ", "\t\n"] {
            let (out, report) = normalize(raw);
            assert_eq!(out, None);
            assert_eq!(kinds(&report), vec![IssueKind::Required]);
        }
    }

    #[test]
    fn rejects_digits_and_symbols() {
        for raw in [
            "Nguyễn Văn A1",
            "Nguyễn_Văn",
            "Lê Thị 🙂",
            "Trần@Bình",
            "Phạm, Hùng",
            "---",
            ". '",
        ] {
            let (out, report) = normalize(raw);
            assert_eq!(out, None, "{raw}");
            assert_eq!(kinds(&report), vec![IssueKind::InvalidCharacters], "{raw}");
            assert!(report.has_errors());
        }
    }

    #[test]
    fn length_is_counted_in_characters() {
        let exactly = "Ễ".repeat(MAX_NAME_CHARS);
        let (out, report) = normalize(&exactly);
        assert!(report.is_empty());
        assert_eq!(out, Some(exactly));

        let (out, report) = normalize(&"a".repeat(MAX_NAME_CHARS + 1));
        assert_eq!(out, None);
        assert_eq!(kinds(&report), vec![IssueKind::TooLong]);

        let (_, report) = normalize(&format!("{}1", "a".repeat(MAX_NAME_CHARS)));
        assert_eq!(
            kinds(&report),
            vec![IssueKind::TooLong, IssueKind::InvalidCharacters]
        );
    }
}
