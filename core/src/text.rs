//! Text normalisation for Vietnamese: NFC for storage, a diacritic-free fold for search.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Unicode NFC with surrounding whitespace trimmed and inner runs of whitespace collapsed to one
/// space. Names arrive from keyboards in both composed and decomposed forms ("Hoà" and "Hòa"
/// also differ by where the tone mark sits, which NFC does not change: see [`fold`]).
pub fn nfc(s: &str) -> String {
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.nfc().collect()
}

/// Search key: lower case, tone and vowel marks removed, `đ` as `d`, whitespace collapsed.
/// "Nguyễn Văn A" and "nguyen van a" fold to the same key.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        last_space = false;
        out.extend(c.to_lowercase());
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The id the core derives from a hamlet name ("Thôn Đông" -> `thon-dong`), so the same hamlet
/// added on two devices, or on the hub, gets the same id.
pub fn hamlet_id(name: &str) -> String {
    fold(name)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Keeps only the digits of `s` (for phone and ID search keys).
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_diacritics_and_case() {
        assert_eq!(fold("Nguyễn Văn A"), "nguyen van a");
        assert_eq!(fold("  ĐẶNG   Thị  Hoà "), "dang thi hoa");
        assert_eq!(fold("Hòa"), fold("Hoà"));
    }

    #[test]
    fn nfc_composes_and_collapses_space() {
        let decomposed = "Nguye\u{0302}\u{0303}n  Va\u{0306}n";
        assert_eq!(nfc(decomposed), "Nguyễn Văn");
        assert_eq!(nfc(" a \t b "), "a b");
    }
}
