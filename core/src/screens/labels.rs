//! One label for every field a person edits, and one way to show its value, shared by the
//! conflict cards, the CLI and the dashboard (they used to carry 10, 5 and 9 labels of their own).

use super::mask::{mask_id_number, mask_phone};
use super::view::{Lang, tr};
use crate::doc::{FieldPath, HOUSEHOLD_FIELDS, HouseholdField, MEMBER_FIELDS, MemberField};
use crate::doc::{household_key, member_key};
use crate::model::{Gender, GpsSource, Lifecycle, Relation, ResidenceType};

/// Every household key and every member key, in display order (for tests and pickers).
pub fn field_keys() -> (&'static [&'static str], &'static [&'static str]) {
    (HOUSEHOLD_FIELDS, MEMBER_FIELDS)
}

/// The label of a household key, or `None` for a key the document does not have.
pub fn household_key_label(key: &str, lang: Lang) -> Option<String> {
    let (vi, en) = match key {
        "hamlet" => ("Thôn/tổ dân phố", "Hamlet"),
        "street" => ("Đường", "Street"),
        "alley" => ("Ngõ/hẻm", "Alley"),
        "house_number" => ("Số nhà", "House number"),
        "gps" => ("Vị trí GPS", "GPS position"),
        "official_code" => ("Mã địa chỉ chính thức", "Official address code"),
        "head" => ("Chủ hộ", "Head of household"),
        "notes" => ("Ghi chú", "Notes"),
        "lifecycle" => ("Tình trạng hộ", "Household status"),
        "merged_into" => ("Đã gộp vào hộ", "Merged into household"),
        _ => return None,
    };
    Some(tr(lang, vi, en))
}

/// The label of a member key, or `None` for a key the document does not have.
pub fn member_key_label(key: &str, lang: Lang) -> Option<String> {
    let (vi, en) = match key {
        "full_name" => ("Họ và tên", "Full name"),
        "birth" => ("Ngày sinh", "Date of birth"),
        "gender" => ("Giới tính", "Gender"),
        "relation" => ("Quan hệ với chủ hộ", "Relation to the head"),
        "id_number" => ("Số định danh cá nhân", "Personal ID number"),
        "phone" => ("Số điện thoại", "Phone"),
        "residence" => ("Cư trú", "Residence"),
        "status" => ("Tình trạng thành viên", "Member status"),
        _ => return None,
    };
    Some(tr(lang, vi, en))
}

/// The label of a field path; an unknown key is shown as it is rather than hidden.
pub fn field_label(path: &FieldPath, lang: Lang) -> String {
    let label = match path.member {
        None => household_key_label(&path.key, lang),
        Some(_) => member_key_label(&path.key, lang),
    };
    label.unwrap_or_else(|| path.key.clone())
}

/// The label of a validator's field path (`member.birth`, `address.street`,
/// `digital_address.gps.lat`, `member.checklist.vneid_level2`): what a warnings list shows
/// instead of the path.
pub fn issue_field_label(field: &str, lang: Lang) -> String {
    if let Some(item) = field.strip_prefix("member.checklist.") {
        return crate::model::ChecklistItem::from_code(item)
            .map(|i| tr(lang, i.label_vi(), i.label_en()))
            .unwrap_or_else(|| field.to_owned());
    }
    let record = match field {
        "household.created_at" => Some(("Ngày đăng ký hộ", "Registered on")),
        "visit.date" => Some(("Lần thăm", "Visit")),
        "consent" => Some(("Đồng ý", "Consent")),
        "member.checklist" => Some(("Danh sách hỗ trợ", "Checklist")),
        _ => None,
    };
    if let Some((vi, en)) = record {
        return tr(lang, vi, en);
    }
    if let Some(key) = field.strip_prefix("member.") {
        return member_key_label(key, lang).unwrap_or_else(|| field.to_owned());
    }
    let key = match field.split('.').collect::<Vec<_>>().as_slice() {
        ["area", "hamlet_id"] => "hamlet",
        ["area", ..] => return tr(lang, "Địa bàn", "Area"),
        ["address", key] | ["household", key] => key,
        ["digital_address", "gps", ..] => "gps",
        ["digital_address", "official", ..] => "official_code",
        ["notes"] => "notes",
        _ => return field.to_owned(),
    };
    household_key_label(key, lang).unwrap_or_else(|| field.to_owned())
}

/// The label of a household field being edited.
pub fn household_field_label(field: &HouseholdField, lang: Lang) -> String {
    field_label(&FieldPath::household(household_key(field)), lang)
}

/// The label of a member field being edited.
pub fn member_field_label(field: &MemberField, lang: Lang) -> String {
    let key = member_key(field);
    member_key_label(key, lang).unwrap_or_else(|| key.to_owned())
}

/// A stored value as a person reads it, masked by its field's kind: an ID number keeps 4
/// digits, a phone 3, a GPS fix reads as coordinates, a code as its label.
pub fn field_value_text(path: &FieldPath, value: &str, lang: Lang) -> String {
    let coded = |vi: Option<&str>, en: Option<&str>| match (vi, en) {
        (Some(vi), Some(en)) => tr(lang, vi, en),
        _ => value.to_owned(),
    };
    match (path.member.is_some(), path.key.as_str()) {
        (true, "id_number") => mask_id_number(value),
        (true, "phone") => mask_phone(value),
        (true, "gender") => {
            let g = Gender::from_code(value);
            coded(g.map(Gender::label_vi), g.map(Gender::label_en))
        }
        (true, "relation") => {
            let r = Relation::from_code(value);
            coded(r.map(Relation::label_vi), r.map(Relation::label_en))
        }
        (true, "residence") => {
            let r = ResidenceType::from_code(value);
            coded(
                r.map(ResidenceType::label_vi),
                r.map(ResidenceType::label_en),
            )
        }
        (false, "lifecycle") => {
            let l = Lifecycle::from_code(value);
            coded(l.map(Lifecycle::label_vi), l.map(Lifecycle::label_en))
        }
        (false, "gps") => gps_text(value, lang).unwrap_or_else(|| value.to_owned()),
        _ => value.to_owned(),
    }
}

/// `lat,lon,accuracy_m,millis,source` as `21.03, 105.8 (±5 m, GPS)`.
fn gps_text(value: &str, lang: Lang) -> Option<String> {
    let parts: Vec<&str> = value.split(',').collect();
    let [lat, lon, acc, _, source] = parts[..] else {
        return None;
    };
    let source = match GpsSource::from_code(source)? {
        GpsSource::MapPin => tr(lang, "ghim bản đồ", "map pin"),
        GpsSource::Fix => "GPS".to_owned(),
    };
    Some(format!("{lat}, {lon} (±{acc} m, {source})"))
}
