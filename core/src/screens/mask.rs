//! The one masking rule for personal numbers, shared by the phones, the CLI and the dashboard:
//! an ID number keeps its last 4 digits (DOMAIN.md), a phone its last 3. Everything before is
//! replaced by `•`, one per character, so the length still tells a 12-digit ID from a phone.

const HIDDEN: char = '•';

/// `001085012345` → `••••••••2345`.
pub fn mask_id_number(s: &str) -> String {
    keep_tail(s, 4)
}

/// `0912345678` → `•••••••678`.
pub fn mask_phone(s: &str) -> String {
    keep_tail(s, 3)
}

fn keep_tail(s: &str, keep: usize) -> String {
    let s = s.trim();
    let hidden = s.chars().count().saturating_sub(keep);
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < hidden { HIDDEN } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_number_keeps_its_last_four_digits() {
        assert_eq!(mask_id_number("001085012345"), "••••••••2345");
        assert_eq!(mask_id_number("123"), "123");
    }

    #[test]
    fn phone_keeps_its_last_three_digits() {
        assert_eq!(mask_phone("0912345678"), "•••••••678");
        assert_eq!(mask_phone(""), "");
    }
}
