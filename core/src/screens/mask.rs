//! One masking rule for every list and card: an ID number shows its last 4 digits (DOMAIN.md),
//! a phone its last 3. Only the member's own screen shows them whole.

/// `079201001234` -> `********1234`. Anything shorter than 5 characters is masked whole.
pub fn mask_id_number(s: &str) -> String {
    mask_keeping(s, 4)
}

/// `0912345678` -> `*******678`. Anything shorter than 4 characters is masked whole.
pub fn mask_phone(s: &str) -> String {
    mask_keeping(s, 3)
}

fn mask_keeping(s: &str, keep: usize) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let shown = if chars.len() > keep { keep } else { 0 };
    let hidden = chars.len() - shown;
    "*".repeat(hidden) + &chars[hidden..].iter().collect::<String>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_digits_only() {
        assert_eq!(mask_id_number("079201001234"), "********1234");
        assert_eq!(mask_phone("0912345678"), "*******678");
        assert_eq!(mask_id_number("123"), "***");
        assert_eq!(mask_phone(""), "");
    }
}
