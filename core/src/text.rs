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

/// A sort key in Vietnamese dictionary order: letters in the Vietnamese alphabet (a ă â b c d đ
/// e ê g h i k l m n o ô ơ p q r s t u ư v x y, the foreign f j w z in their Latin places), case
/// ignored, tone marks only where the letters are equal (ngang, huyền, hỏi, ngã, sắc, nặng), and
/// runs of digits as numbers ("Tổ 2" before "Tổ 10"). Byte order put "Đông" after "Yên".
pub fn vietnamese_order(s: &str) -> (Vec<u32>, Vec<u8>) {
    const ALPHABET: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";
    const SPACE: u32 = 1;
    const NUMBER: u32 = 10;
    const LETTER: u32 = 1_000;
    const OTHER: u32 = 2_000_000;
    let chars: Vec<char> = s.nfd().flat_map(char::to_lowercase).collect();
    let (mut primary, mut tones) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if let Some(d) = c.to_digit(10) {
            let mut n = u64::from(d);
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                n = (n * 10 + u64::from(d)).min(u64::from(u32::MAX));
                i += 1;
            }
            primary.extend([NUMBER, n as u32]);
            continue;
        }
        if c.is_whitespace() {
            if primary.last() != Some(&SPACE) {
                primary.push(SPACE);
            }
            continue;
        }
        let (mut letter, mut tone) = (c, 0u8);
        while let Some(&mark) = chars.get(i).filter(|m| is_combining_mark(**m)) {
            i += 1;
            match (letter, mark) {
                ('a', '\u{0306}') => letter = 'ă',
                ('a', '\u{0302}') => letter = 'â',
                ('e', '\u{0302}') => letter = 'ê',
                ('o', '\u{0302}') => letter = 'ô',
                ('o', '\u{031B}') => letter = 'ơ',
                ('u', '\u{031B}') => letter = 'ư',
                (_, '\u{0300}') => tone = 1,
                (_, '\u{0309}') => tone = 2,
                (_, '\u{0303}') => tone = 3,
                (_, '\u{0301}') => tone = 4,
                (_, '\u{0323}') => tone = 5,
                _ => {}
            }
        }
        match ALPHABET.chars().position(|a| a == letter) {
            Some(p) => {
                primary.push(LETTER + p as u32);
                tones.push(tone);
            }
            None => primary.push(OTHER.saturating_add(letter as u32)),
        }
    }
    (primary, tones)
}

/// Keeps only the digits of `s` (for phone and ID search keys).
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_order_follows_the_alphabet_then_tones_then_numbers() {
        let mut names = vec![
            "Tổ 10",
            "Thôn Yên",
            "Thôn Đông",
            "Tổ 2",
            "thôn ấp",
            "Thôn Ăn",
            "Thôn An",
            "Thôn Bắc",
            "Thôn Dương",
            "Thôn Án",
            "Thôn Àn",
        ];
        names.sort_by_key(|n| vietnamese_order(n));
        assert_eq!(
            names,
            [
                "Thôn An",
                "Thôn Àn",
                "Thôn Án",
                "Thôn Ăn",
                "thôn ấp",
                "Thôn Bắc",
                "Thôn Dương",
                "Thôn Đông",
                "Thôn Yên",
                "Tổ 2",
                "Tổ 10",
            ]
        );
        // Composed and decomposed input sort the same.
        assert_eq!(vietnamese_order("Ho\u{0300}a"), vietnamese_order("Hòa"));
    }

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
