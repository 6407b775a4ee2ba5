//! Turning command-line text into core values. Everything here fails with a usage error (exit 2)
//! that names what was expected, in the volunteer's language, and never echoes a long number.

use chrono::NaiveDate;
use gocua_core::model::{
    BirthDate, ChecklistItem, ChecklistStatus, ConsentMethod, ConsentPurposes, Gender, Lifecycle,
    OfficialCode, Relation, ResidenceType, SmartphoneAccess, Typed, VisitOutcome,
};

use crate::error::{CliError, Result};
use crate::output::shown;

/// A core value typed by code or label (`gocua_core::model::Typed`), with what it names for
/// error messages.
pub trait Coded: Typed {
    /// What the code names, for error messages.
    const WHAT: (&'static str, &'static str);
}

macro_rules! coded {
    ($($t:ty => $vi:literal, $en:literal;)+) => {$(
        impl Coded for $t {
            const WHAT: (&'static str, &'static str) = ($vi, $en);
        }
    )+};
}

coded! {
    Relation => "quan hệ với chủ hộ", "relation to the head";
    ChecklistItem => "mục danh sách", "checklist item";
    ChecklistStatus => "trạng thái", "checklist status";
    SmartphoneAccess => "loại điện thoại", "smartphone access";
    Gender => "giới tính", "gender";
    ResidenceType => "loại cư trú", "residence type";
    VisitOutcome => "kết quả thăm hộ", "visit outcome";
    ConsentMethod => "hình thức đồng ý", "consent method";
    Lifecycle => "tình trạng hộ", "household status";
}

/// The accepted codes, comma-separated (for help text and errors).
pub fn codes<T: Coded>() -> String {
    T::all()
        .iter()
        .map(|c| c.code())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses a value by its stable code or by its label in Vietnamese or English, forgiving case,
/// diacritics, surrounding spaces and `-` for `_` (phones autocorrect): `female`, `nữ`, `Nu`;
/// `done`, `Đã xong`; `chu_ho`, `Chủ hộ`, `head of household`.
pub fn code<T: Coded>(value: &str) -> Result<T> {
    T::from_typed(value).ok_or_else(|| {
        let (vi, en) = T::WHAT;
        CliError::usage(
            format!(
                "Mã {vi} không hợp lệ: '{}'. Các mã được chấp nhận: {}",
                shown(value),
                labelled::<T>(true)
            ),
            format!(
                "Unknown {en} code '{}'. Accepted codes: {}",
                shown(value),
                labelled::<T>(false)
            ),
        )
    })
}

/// The accepted codes with their labels: `female (Nữ)`.
pub fn labelled<T: Coded>(vi: bool) -> String {
    T::all()
        .iter()
        .map(|c| {
            format!(
                "{} ({})",
                c.code(),
                if vi { c.label_vi() } else { c.label_en() }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A calendar date as written in the field: `YYYY-MM-DD` or `DD/MM/YYYY`.
pub fn date(value: &str, option: &str) -> Result<NaiveDate> {
    let v = value.trim();
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%d/%m/%Y"))
        .map_err(|_| {
            CliError::usage(
                format!(
                    "Ngày không hợp lệ ở {option}: '{}'. Viết YYYY-MM-DD hoặc DD/MM/YYYY.",
                    shown(value)
                ),
                format!(
                    "Invalid date for {option}: '{}'. Write YYYY-MM-DD or DD/MM/YYYY.",
                    shown(value)
                ),
            )
        })
}

/// A date of birth: a year alone, `YYYY-MM-DD` or `DD/MM/YYYY`.
pub fn birth(value: &str) -> Result<BirthDate> {
    BirthDate::parse(value).ok_or_else(|| {
        CliError::usage(
            format!(
                "Ngày sinh không hợp lệ: '{}'. Viết YYYY, YYYY-MM-DD hoặc DD/MM/YYYY.",
                shown(value)
            ),
            format!(
                "Invalid date of birth '{}'. Write YYYY, YYYY-MM-DD or DD/MM/YYYY.",
                shown(value)
            ),
        )
    })
}

/// `SCHEME:CODE` (`VNPOST_10:0123456789`); the code itself stays opaque. Empty means none.
pub fn official(value: &str) -> Result<Option<OfficialCode>> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match v.split_once(':') {
        Some((scheme, code)) if !scheme.trim().is_empty() && !code.trim().is_empty() => {
            Ok(Some(OfficialCode {
                scheme: scheme.trim().to_uppercase(),
                code: code.trim().to_owned(),
            }))
        }
        _ => Err(CliError::usage(
            "Mã địa chỉ chính thức phải có dạng LOẠI:MÃ, ví dụ VNPOST_10:0123456789.",
            "The official address code must be SCHEME:CODE, e.g. VNPOST_10:0123456789.",
        )),
    }
}

pub const PURPOSE_CODES: &[&str] = &["local_register", "setup_help", "share_with_commune"];

/// Comma-separated consent purposes; each one the person chose, none implied.
pub fn purposes(value: &str) -> Result<ConsentPurposes> {
    let mut p = ConsentPurposes::default();
    for part in value
        .split(',')
        .map(|s| s.trim().to_lowercase().replace('-', "_"))
        .filter(|s| !s.is_empty())
    {
        match part.as_str() {
            "local_register" => p.local_register = true,
            "setup_help" => p.setup_help = true,
            "share_with_commune" => p.share_with_commune = true,
            _ => {
                return Err(CliError::usage(
                    format!(
                        "Mục đích không hợp lệ: '{}'. Các mã được chấp nhận: {}",
                        shown(&part),
                        PURPOSE_CODES.join(", ")
                    ),
                    format!(
                        "Unknown consent purpose '{}'. Accepted codes: {}",
                        shown(&part),
                        PURPOSE_CODES.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(p)
}

/// An optional text field of an edit: absent leaves it, `--clear-x` or an empty value clears
/// it, anything else sets it. `None` = unchanged, `Some(None)` = clear.
pub fn change(value: Option<String>, clear: bool) -> Option<Option<String>> {
    if clear {
        return Some(None);
    }
    value.map(|v| if v.trim().is_empty() { None } else { Some(v) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_forgive_case_and_dashes() {
        assert_eq!(code::<Relation>(" Chu-Ho ").ok(), Some(Relation::Head));
        assert!(code::<Relation>("boss").is_err());
    }

    #[test]
    fn unknown_code_lists_the_accepted_ones_without_long_numbers() {
        let Err(CliError::Usage(m)) = code::<ChecklistStatus>("012345678901") else {
            panic!()
        };
        assert!(m.en.contains("done") && m.vi.contains("not_asked"));
        assert!(!m.en.contains("012345678901"));
    }

    #[test]
    fn dates_in_both_forms() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(date("2026-03-05", "--date").ok(), Some(d));
        assert_eq!(date("05/03/2026", "--date").ok(), Some(d));
        assert!(date("2026-02-30", "--date").is_err());
    }

    #[test]
    fn official_codes_and_purposes() {
        assert!(official("VNPOST_10").is_err());
        assert_eq!(official(" ").ok(), Some(None));
        let p = purposes("local_register, setup-help").ok().unwrap();
        assert!(p.local_register && p.setup_help && !p.share_with_commune);
        assert!(purposes("everything").is_err());
    }

    #[test]
    fn change_distinguishes_keep_clear_and_set() {
        assert_eq!(change(None, false), None);
        assert_eq!(change(Some(" ".into()), false), Some(None));
        assert_eq!(change(Some("x".into()), true), Some(None));
        assert_eq!(change(Some("x".into()), false), Some(Some("x".into())));
    }
}
