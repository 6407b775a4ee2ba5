//! Validation of a whole member or household as typed, returning a normalised copy and every
//! finding at once (a form shows all its problems, not the first one).

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use unicode_normalization::UnicodeNormalization;

use super::{
    Issue, IssueKind, Report, check_id_number, normalize_name, normalize_phone, validate_gps,
};
use crate::input::{HouseholdInput, MemberInput};
use crate::model::{Area, BirthDate, OfficialCode};
use crate::text;

/// Oldest age accepted for a date of birth, in years.
const MAX_AGE_YEARS: u32 = 130;
/// Longest address part (street, alley, house number), in characters.
const MAX_ADDRESS_PART_CHARS: usize = 200;
/// Longest household notes, in characters.
const MAX_NOTES_CHARS: usize = 2000;
/// Longest official digital-address code, in characters.
const MAX_OFFICIAL_CODE_CHARS: usize = 32;

/// Validates a member as typed, against `today` (the volunteer's local date).
///
/// Returns a normalised copy: the name in NFC with whitespace collapsed, the ID number as 12
/// digits, the phone in national form, and a blank ID number or phone as `None`. A field that
/// failed stays as typed. The report holds every issue: name rules ([`normalize_name`] on
/// `member.full_name`); a birth date in the future (`BirthDateInFuture`) or more than 130 years
/// before `today` (`BirthDateTooOld`) on `member.birth`; ID number rules ([`check_id_number`],
/// cross-checked against the birth year and gender unless the birth date itself failed); phone
/// rules ([`normalize_phone`]).
pub fn validate_member_input(input: &MemberInput, today: NaiveDate) -> (MemberInput, Report) {
    let mut report = Report::default();
    let mut out = input.clone();

    if let Some(name) = normalize_name(&input.full_name, "member.full_name", &mut report) {
        out.full_name = name;
    }

    let birth_ok = input
        .birth
        .is_none_or(|birth| check_birth(birth, today, &mut report));

    if let Some(raw) = &input.id_number {
        if is_blank(raw) {
            out.id_number = None;
        } else if let Some(id) = check_id_number(
            raw,
            input.birth.filter(|_| birth_ok),
            input.gender,
            &mut report,
        ) {
            out.id_number = Some(id);
        }
    }

    if let Some(raw) = &input.phone {
        if is_blank(raw) {
            out.phone = None;
        } else if let Some((phone, _kind)) = normalize_phone(raw, &mut report) {
            out.phone = Some(phone);
        }
    }

    (out, report)
}

/// Whether an optional field was left empty (only spaces or separators typed).
fn is_blank(raw: &str) -> bool {
    raw.chars()
        .all(|c| c.is_whitespace() || matches!(c, '.' | '-'))
}

/// Checks a birth date against `today`; returns whether it passed.
fn check_birth(birth: BirthDate, today: NaiveDate, report: &mut Report) -> bool {
    let (in_future, too_old) = match birth {
        BirthDate::Date(date) => {
            let oldest = today.checked_sub_months(Months::new(MAX_AGE_YEARS * 12));
            (date > today, oldest.is_some_and(|oldest| date < oldest))
        }
        // A year alone: every day of a year more than 130 years back is more than 130 years back.
        BirthDate::Year(year) => (
            year > today.year(),
            i64::from(year) < i64::from(today.year()) - i64::from(MAX_AGE_YEARS),
        ),
    };
    if in_future {
        report.push(Issue::error(
            IssueKind::BirthDateInFuture,
            "member.birth",
            "Ngày sinh không được ở trong tương lai.",
            "The date of birth cannot be in the future.",
        ));
    }
    if too_old {
        report.push(Issue::error(
            IssueKind::BirthDateTooOld,
            "member.birth",
            "Ngày sinh cách đây hơn 130 năm. Hãy kiểm tra lại.",
            "The date of birth is more than 130 years ago. Please check it.",
        ));
    }
    !(in_future || too_old)
}

/// Validates a new household as typed, against `now`.
///
/// Returns a normalised copy: area codes and hamlet id trimmed; address parts in NFC with
/// whitespace collapsed, blank ones as `None`; notes in NFC and trimmed (line breaks kept), blank
/// as `None`; the official code's scheme and code trimmed. A field that failed stays as typed.
/// The report holds every issue:
/// - `area.province_code` exactly 2 digits, `area.commune_code` exactly 5 digits,
///   `area.hamlet_id` not blank (`Required` when blank, `InvalidValue` otherwise);
/// - `address.street`, `address.alley`, `address.house_number` at most 200 characters and `notes`
///   at most 2000 (`TooLong`);
/// - the GPS fix, by [`validate_gps`];
/// - `digital_address.official.scheme` not blank and only `A-Z`, `0-9`, `_` (`Required` /
///   `InvalidValue`); `digital_address.official.code` not blank, only ASCII letters and digits
///   (`Required` / `InvalidCharacters`), at most 32 characters (`TooLong`).
pub fn validate_household_input(
    input: &HouseholdInput,
    now: DateTime<Utc>,
) -> (HouseholdInput, Report) {
    let mut report = Report::default();
    let mut out = input.clone();

    out.area = check_area(&input.area, &mut report);

    out.address.street = address_part(
        &input.address.street,
        "address.street",
        AddressPart::Street,
        &mut report,
    );
    out.address.alley = address_part(
        &input.address.alley,
        "address.alley",
        AddressPart::Alley,
        &mut report,
    );
    out.address.house_number = address_part(
        &input.address.house_number,
        "address.house_number",
        AddressPart::HouseNumber,
        &mut report,
    );

    if let Some(raw) = &input.notes {
        // Not `text::nfc`: that collapses line breaks, which notes may use.
        let notes: String = raw.trim().nfc().collect();
        if notes.is_empty() {
            out.notes = None;
        } else if notes.chars().count() > MAX_NOTES_CHARS {
            report.push(Issue::error(
                IssueKind::TooLong,
                "notes",
                "Ghi chú không được dài quá 2000 ký tự.",
                "The notes must not be longer than 2000 characters.",
            ));
        } else {
            out.notes = Some(notes);
        }
    }

    if let Some(fix) = &input.gps {
        validate_gps(fix, now, &mut report);
    }

    if let Some(official) = &input.official {
        out.official = Some(check_official(official, &mut report));
    }

    (out, report)
}

fn is_ascii_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks the area; returns it with each valid part trimmed and each failed part as typed.
fn check_area(area: &Area, report: &mut Report) -> Area {
    let mut out = area.clone();

    let province = area.province_code.trim();
    if province.is_empty() {
        report.push(Issue::error(
            IssueKind::Required,
            "area.province_code",
            "Vui lòng chọn tỉnh, thành phố.",
            "Please choose the province or city.",
        ));
    } else if !is_ascii_digits(province, 2) {
        report.push(Issue::error(
            IssueKind::InvalidValue,
            "area.province_code",
            "Mã tỉnh, thành phố phải gồm đúng 2 chữ số.",
            "The province code must have exactly 2 digits.",
        ));
    } else {
        out.province_code = province.to_owned();
    }

    let commune = area.commune_code.trim();
    if commune.is_empty() {
        report.push(Issue::error(
            IssueKind::Required,
            "area.commune_code",
            "Vui lòng chọn xã, phường hoặc đặc khu.",
            "Please choose the commune, ward or special zone.",
        ));
    } else if !is_ascii_digits(commune, 5) {
        report.push(Issue::error(
            IssueKind::InvalidValue,
            "area.commune_code",
            "Mã xã, phường, đặc khu phải gồm đúng 5 chữ số.",
            "The commune code must have exactly 5 digits.",
        ));
    } else {
        out.commune_code = commune.to_owned();
    }

    let hamlet = area.hamlet_id.trim();
    if hamlet.is_empty() {
        report.push(Issue::error(
            IssueKind::Required,
            "area.hamlet_id",
            "Vui lòng chọn thôn, bản, ấp hoặc tổ dân phố.",
            "Please choose the hamlet or residential group.",
        ));
    } else {
        out.hamlet_id = hamlet.to_owned();
    }

    out
}

#[derive(Clone, Copy)]
enum AddressPart {
    Street,
    Alley,
    HouseNumber,
}

/// Normalises one address part: NFC, whitespace collapsed, blank as `None`; too long is an
/// error and keeps the part as typed.
fn address_part(
    raw: &Option<String>,
    field: &str,
    part: AddressPart,
    report: &mut Report,
) -> Option<String> {
    let raw = raw.as_ref()?;
    let value = text::nfc(raw);
    if value.is_empty() {
        return None;
    }
    if value.chars().count() > MAX_ADDRESS_PART_CHARS {
        let (vi, en) = match part {
            AddressPart::Street => (
                "Tên đường không được dài quá 200 ký tự.",
                "The street name must not be longer than 200 characters.",
            ),
            AddressPart::Alley => (
                "Ngõ, ngách, hẻm, kiệt không được dài quá 200 ký tự.",
                "The alley must not be longer than 200 characters.",
            ),
            AddressPart::HouseNumber => (
                "Số nhà không được dài quá 200 ký tự.",
                "The house number must not be longer than 200 characters.",
            ),
        };
        report.push(Issue::error(IssueKind::TooLong, field, vi, en));
        return Some(raw.clone());
    }
    Some(value)
}

/// Checks an official digital-address code; returns it with each valid part trimmed and each
/// failed part as typed.
fn check_official(official: &OfficialCode, report: &mut Report) -> OfficialCode {
    let mut out = official.clone();

    let scheme = official.scheme.trim();
    if scheme.is_empty() {
        report.push(Issue::error(
            IssueKind::Required,
            "digital_address.official.scheme",
            "Vui lòng chọn loại mã địa chỉ số.",
            "Please choose the scheme of the digital address code.",
        ));
    } else if !scheme
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        report.push(Issue::error(
            IssueKind::InvalidValue,
            "digital_address.official.scheme",
            "Loại mã địa chỉ số chỉ được gồm chữ in hoa không dấu, chữ số và dấu gạch dưới.",
            "The scheme of the digital address code may contain only capital letters A to Z, digits and underscores.",
        ));
    } else {
        out.scheme = scheme.to_owned();
    }

    let code = official.code.trim();
    let mut code_ok = true;
    if code.is_empty() {
        report.push(Issue::error(
            IssueKind::Required,
            "digital_address.official.code",
            "Vui lòng nhập mã địa chỉ số.",
            "Please enter the digital address code.",
        ));
        code_ok = false;
    } else {
        if code.chars().count() > MAX_OFFICIAL_CODE_CHARS {
            report.push(Issue::error(
                IssueKind::TooLong,
                "digital_address.official.code",
                "Mã địa chỉ số không được dài quá 32 ký tự.",
                "The digital address code must not be longer than 32 characters.",
            ));
            code_ok = false;
        }
        if !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            report.push(Issue::error(
                IssueKind::InvalidCharacters,
                "digital_address.official.code",
                "Mã địa chỉ số chỉ được gồm chữ cái không dấu và chữ số.",
                "The digital address code may contain only letters A to Z and digits.",
            ));
            code_ok = false;
        }
    }
    if code_ok {
        out.code = code.to_owned();
    }

    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Address, Gender, GpsFix, GpsSource, Relation, ResidenceType};
    use crate::validate::Severity;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn member() -> MemberInput {
        MemberInput {
            full_name: "Nguyễn Văn An".into(),
            birth: Some(BirthDate::Year(1999)),
            gender: Some(Gender::Male),
            relation: Relation::Head,
            id_number: Some("001099012345".into()),
            phone: Some("0912345678".into()),
            residence: ResidenceType::Permanent,
        }
    }

    fn household() -> HouseholdInput {
        HouseholdInput {
            area: Area {
                province_code: "01".into(),
                commune_code: "00004".into(),
                hamlet_id: "thon-1".into(),
            },
            address: Address {
                street: Some("Đường Lê Lợi".into()),
                alley: Some("Ngõ 12".into()),
                house_number: Some("34B".into()),
            },
            gps: Some(GpsFix {
                lat: 21.0285,
                lon: 105.8542,
                accuracy_m: 8.0,
                fixed_at: now(),
                source: GpsSource::Fix,
            }),
            official: Some(OfficialCode {
                scheme: "VNPOST_10".into(),
                code: "1234567890".into(),
            }),
            notes: Some("Nhà có người già.\nHẹn chiều thứ Bảy.".into()),
        }
    }

    fn kinds(report: &Report) -> Vec<(IssueKind, &str, Severity)> {
        report
            .issues
            .iter()
            .map(|i| (i.kind, i.field.as_str(), i.severity))
            .collect()
    }

    fn assert_no_value_in_messages(report: &Report, values: &[&str]) {
        for issue in &report.issues {
            for value in values.iter().filter(|v| !v.trim().is_empty()) {
                assert!(
                    !issue.message_vi.contains(value) && !issue.message_en.contains(value),
                    "message of {:?} repeats a typed value",
                    issue.kind
                );
            }
        }
    }

    #[test]
    fn valid_member_passes_unchanged() {
        let (out, report) = validate_member_input(&member(), today());
        assert!(report.is_empty(), "{report:?}");
        assert_eq!(out, member());
    }

    #[test]
    fn member_is_normalised() {
        let mut input = member();
        input.full_name = "  Nguye\u{0302}\u{0303}n  Va\u{0306}n   An ".into();
        input.id_number = Some("001 099.012 345".into());
        input.phone = Some("+84 (912) 345-678".into());
        let (out, report) = validate_member_input(&input, today());
        assert!(report.is_empty(), "{report:?}");
        assert_eq!(out.full_name, "Nguyễn Văn An");
        assert_eq!(out.id_number.as_deref(), Some("001099012345"));
        assert_eq!(out.phone.as_deref(), Some("0912345678"));
    }

    #[test]
    fn blank_optional_fields_become_none() {
        let mut input = member();
        input.id_number = Some("  ".into());
        input.phone = Some("".into());
        let (out, report) = validate_member_input(&input, today());
        assert!(report.is_empty());
        assert_eq!(out.id_number, None);
        assert_eq!(out.phone, None);

        input.id_number = None;
        input.phone = None;
        input.birth = None;
        input.gender = None;
        let (out, report) = validate_member_input(&input, today());
        assert!(report.is_empty());
        assert_eq!(out, input);
    }

    #[test]
    fn failed_fields_stay_as_typed() {
        let mut input = member();
        input.full_name = "Nguyễn Văn A1".into();
        input.id_number = Some("00109901234".into());
        input.phone = Some("0123 456 789".into());
        let (out, report) = validate_member_input(&input, today());
        assert_eq!(out, input);
        assert_eq!(
            kinds(&report),
            vec![
                (
                    IssueKind::InvalidCharacters,
                    "member.full_name",
                    Severity::Error
                ),
                (
                    IssueKind::IdNumberFormat,
                    "member.id_number",
                    Severity::Error
                ),
                (IssueKind::PhoneFormat, "member.phone", Severity::Error),
            ]
        );
    }

    #[test]
    fn id_number_is_cross_checked_with_birth_and_gender() {
        let mut input = member();
        input.id_number = Some("079303001234".into());
        input.birth = Some(BirthDate::Date(
            NaiveDate::from_ymd_opt(2003, 7, 9).unwrap(),
        ));
        input.gender = Some(Gender::Female);
        let (_, report) = validate_member_input(&input, today());
        assert!(report.is_empty(), "{report:?}");

        input.gender = Some(Gender::Male);
        input.birth = Some(BirthDate::Year(1985));
        let (out, report) = validate_member_input(&input, today());
        assert_eq!(out.id_number.as_deref(), Some("079303001234"));
        assert!(!report.has_errors());
        assert_eq!(
            kinds(&report),
            vec![
                (
                    IssueKind::IdNumberCenturyMismatch,
                    "member.id_number",
                    Severity::Warning
                ),
                (
                    IssueKind::IdNumberBirthYearMismatch,
                    "member.id_number",
                    Severity::Warning
                ),
                (
                    IssueKind::IdNumberGenderMismatch,
                    "member.id_number",
                    Severity::Warning
                ),
            ]
        );
    }

    #[test]
    fn birth_date_limits() {
        let check = |birth: BirthDate| {
            let mut input = member();
            input.birth = Some(birth);
            input.id_number = None;
            let (_, report) = validate_member_input(&input, today());
            kinds(&report)
                .into_iter()
                .map(|(k, _, _)| k)
                .collect::<Vec<_>>()
        };
        let date = |y, m, d| BirthDate::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap());

        assert!(check(date(2026, 3, 1)).is_empty());
        assert_eq!(check(date(2026, 3, 2)), vec![IssueKind::BirthDateInFuture]);
        assert!(check(BirthDate::Year(2026)).is_empty());
        assert_eq!(
            check(BirthDate::Year(2027)),
            vec![IssueKind::BirthDateInFuture]
        );

        assert!(check(date(1896, 3, 1)).is_empty());
        assert_eq!(check(date(1896, 2, 29)), vec![IssueKind::BirthDateTooOld]);
        assert!(check(BirthDate::Year(1896)).is_empty());
        assert_eq!(
            check(BirthDate::Year(1895)),
            vec![IssueKind::BirthDateTooOld]
        );
        assert_eq!(
            check(BirthDate::Year(i32::MIN)),
            vec![IssueKind::BirthDateTooOld]
        );
    }

    #[test]
    fn invalid_birth_skips_id_cross_checks() {
        let mut input = member();
        input.birth = Some(BirthDate::Year(2099));
        let (_, report) = validate_member_input(&input, today());
        assert_eq!(
            kinds(&report),
            vec![(
                IssueKind::BirthDateInFuture,
                "member.birth",
                Severity::Error
            )]
        );
    }

    #[test]
    fn no_message_repeats_member_data() {
        let inputs = [
            ("Nguyễn Văn A1", "00109901234X", "0123456789"),
            ("Trần Thị Bình", "003299012345", "0241234567"),
            ("Lê Văn Cường", "079303001234", "+1 555 0100"),
            (&*"Phạm Thị Dung ".repeat(10), "12345", "84 123"),
        ];
        for (name, id, phone) in inputs {
            let input = MemberInput {
                full_name: name.into(),
                birth: Some(BirthDate::Year(1985)),
                gender: Some(Gender::Male),
                relation: Relation::Wife,
                id_number: Some(id.into()),
                phone: Some(phone.into()),
                residence: ResidenceType::Temporary,
            };
            let (_, report) = validate_member_input(&input, today());
            assert!(!report.is_empty());
            let id_tail = &id[id.len().saturating_sub(4)..];
            let name_nfc = text::nfc(name);
            assert_no_value_in_messages(
                &report,
                &[name, &name_nfc, id, id_tail, phone, &text::digits(phone)],
            );
        }
    }

    #[test]
    fn valid_household_is_normalised() {
        let (out, report) = validate_household_input(&household(), now());
        assert!(report.is_empty(), "{report:?}");
        assert_eq!(out, household());

        let mut input = household();
        input.area = Area {
            province_code: " 79 ".into(),
            commune_code: "26734 ".into(),
            hamlet_id: " ap-3".into(),
        };
        input.address = Address {
            street: Some("  Đu\u{031B}o\u{031B}\u{0300}ng   Nguye\u{0302}\u{0303}n Huệ ".into()),
            alley: Some("   ".into()),
            house_number: None,
        };
        input.notes = Some("  \n".into());
        input.official = Some(OfficialCode {
            scheme: " MPS_12 ".into(),
            code: " 012345678901 ".into(),
        });
        let (out, report) = validate_household_input(&input, now());
        assert!(report.is_empty(), "{report:?}");
        assert_eq!(
            out.area,
            Area {
                province_code: "79".into(),
                commune_code: "26734".into(),
                hamlet_id: "ap-3".into()
            }
        );
        assert_eq!(
            out.address,
            Address {
                street: Some("Đường Nguyễn Huệ".into()),
                alley: None,
                house_number: None
            }
        );
        assert_eq!(out.notes, None);
        assert_eq!(
            out.official,
            Some(OfficialCode {
                scheme: "MPS_12".into(),
                code: "012345678901".into()
            })
        );

        let mut input = household();
        input.notes = Some(" Ghi chu\u{0301} \n dòng hai ".into());
        let (out, _) = validate_household_input(&input, now());
        assert_eq!(out.notes.as_deref(), Some("Ghi chú \n dòng hai"));
    }

    #[test]
    fn household_area_rules() {
        let mut input = household();
        input.area = Area {
            province_code: "".into(),
            commune_code: " ".into(),
            hamlet_id: "".into(),
        };
        let (_, report) = validate_household_input(&input, now());
        assert_eq!(
            kinds(&report),
            vec![
                (IssueKind::Required, "area.province_code", Severity::Error),
                (IssueKind::Required, "area.commune_code", Severity::Error),
                (IssueKind::Required, "area.hamlet_id", Severity::Error),
            ]
        );

        for (province, commune) in [
            ("1", "0004"),
            ("001", "000044"),
            ("0a", "0000a"),
            ("０１", "００００４"),
        ] {
            input.area = Area {
                province_code: province.into(),
                commune_code: commune.into(),
                hamlet_id: "h".into(),
            };
            let (out, report) = validate_household_input(&input, now());
            assert_eq!(out.area, input.area);
            assert_eq!(
                kinds(&report),
                vec![
                    (
                        IssueKind::InvalidValue,
                        "area.province_code",
                        Severity::Error
                    ),
                    (
                        IssueKind::InvalidValue,
                        "area.commune_code",
                        Severity::Error
                    ),
                ],
                "{province} {commune}"
            );
        }
    }

    #[test]
    fn household_length_limits() {
        let mut input = household();
        input.address.street = Some("a".repeat(200));
        input.address.alley = Some("b".repeat(201));
        input.address.house_number = Some("1".repeat(201));
        input.notes = Some("ồ".repeat(2000));
        let (out, report) = validate_household_input(&input, now());
        assert_eq!(
            kinds(&report),
            vec![
                (IssueKind::TooLong, "address.alley", Severity::Error),
                (IssueKind::TooLong, "address.house_number", Severity::Error),
            ]
        );
        assert_eq!(out.address, input.address);
        assert_eq!(out.notes, input.notes);

        input.notes = Some("x".repeat(2001));
        let (out, report) = validate_household_input(&input, now());
        assert!(kinds(&report).contains(&(IssueKind::TooLong, "notes", Severity::Error)));
        assert_eq!(out.notes, input.notes);
    }

    #[test]
    fn household_gps_is_checked() {
        let mut input = household();
        let gps = input.gps.as_mut().unwrap();
        gps.lat = 48.85;
        gps.lon = 2.35;
        gps.accuracy_m = 120.0;
        let (out, report) = validate_household_input(&input, now());
        assert!(!report.has_errors());
        assert_eq!(
            kinds(&report),
            vec![
                (
                    IssueKind::GpsOutsideVietnam,
                    "digital_address.gps",
                    Severity::Warning
                ),
                (
                    IssueKind::GpsAccuracyPoor,
                    "digital_address.gps.accuracy_m",
                    Severity::Warning
                ),
            ]
        );
        assert_eq!(out.gps, input.gps);

        input.gps.as_mut().unwrap().lat = 95.0;
        let (_, report) = validate_household_input(&input, now());
        assert!(report.has_errors());
    }

    #[test]
    fn household_official_code_rules() {
        let check = |scheme: &str, code: &str| {
            let mut input = household();
            input.official = Some(OfficialCode {
                scheme: scheme.into(),
                code: code.into(),
            });
            let (out, report) = validate_household_input(&input, now());
            assert_no_value_in_messages(&report, &[scheme, code]);
            let issues: Vec<String> = report
                .issues
                .iter()
                .map(|i| format!("{}@{}", i.kind.code(), i.field))
                .collect();
            (out.official.unwrap(), issues)
        };
        assert!(check("VNPOST_10", "1234567890").1.is_empty());
        assert!(check("MPS_12", "AbC123").1.is_empty());
        assert_eq!(
            check("", " ").1,
            vec![
                "required@digital_address.official.scheme",
                "required@digital_address.official.code"
            ]
        );
        let (out, issues) = check("vnpost-10", "12345 67890");
        assert_eq!(
            issues,
            vec![
                "invalid_value@digital_address.official.scheme",
                "invalid_characters@digital_address.official.code"
            ]
        );
        assert_eq!(
            out,
            OfficialCode {
                scheme: "vnpost-10".into(),
                code: "12345 67890".into()
            }
        );
        assert!(check("MPS_12", &"9".repeat(32)).1.is_empty());
        assert_eq!(
            check("MPS_12", &"9".repeat(33)).1,
            vec!["too_long@digital_address.official.code"]
        );
        assert_eq!(
            check("MPS_12", "mã123").1,
            vec!["invalid_characters@digital_address.official.code"]
        );
    }

    #[test]
    fn no_message_repeats_household_data() {
        let input = HouseholdInput {
            area: Area {
                province_code: "123".into(),
                commune_code: "abcde".into(),
                hamlet_id: "".into(),
            },
            address: Address {
                street: Some("Đường Trần Hưng Đạo ".repeat(12)),
                alley: Some("Hẻm 45/6 ".repeat(30)),
                house_number: Some("Số 7 ".repeat(50)),
            },
            gps: Some(GpsFix {
                lat: 91.5,
                lon: 200.25,
                accuracy_m: -3.5,
                fixed_at: now(),
                source: GpsSource::MapPin,
            }),
            official: Some(OfficialCode {
                scheme: "vn post".into(),
                code: "ĐC-0099".into(),
            }),
            notes: Some("Bà Nguyễn Thị Lan, SĐT 0912345678. ".repeat(60)),
        };
        let (_, report) = validate_household_input(&input, now());
        assert_eq!(report.errors().count(), report.issues.len());
        assert!(report.issues.len() >= 11, "{report:?}");
        let notes = input.notes.clone().unwrap();
        assert_no_value_in_messages(
            &report,
            &[
                "123",
                "abcde",
                "Trần Hưng Đạo",
                "Hẻm 45/6",
                "Số 7",
                "91.5",
                "200.25",
                "-3.5",
                "vn post",
                "ĐC-0099",
                "Nguyễn Thị Lan",
                "0912345678",
                notes.trim(),
            ],
        );
    }
}
