//! One field of a household or a member corrected as text (the coordinator's dashboard, where a
//! problem is seen): the text is parsed and checked by the same rules as a phone's form, and
//! becomes the edit to apply, with the warnings to show. The personal fields of a person who has
//! not consented to sharing with the commune are not editable from outside the phone.

use chrono::{DateTime, NaiveDate, Utc};

use super::dates::parse_birth;
use super::view::Lang;
use crate::commune_view::shared_with_commune;
use crate::doc::{Edit, HouseholdField, MemberField};
use crate::input::{HouseholdInput, MemberInput};
use crate::model::{Gender, Household, MemberId, Relation, ResidenceType, Typed};
use crate::validate::{
    Issue, IssueKind, check_member_fits, validate_household_input, validate_member_input,
};

/// The household keys editable as text.
pub const HOUSEHOLD_TEXT_KEYS: [&str; 4] = ["street", "alley", "house_number", "notes"];
/// The member keys editable as text (codes for gender, relation and residence).
pub const MEMBER_TEXT_KEYS: [&str; 7] = [
    "full_name",
    "birth",
    "gender",
    "relation",
    "id_number",
    "phone",
    "residence",
];

/// An accepted correction: the edit and the warnings the value still carries.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldCorrection {
    pub edit: Edit,
    pub warnings: Vec<Issue>,
}

fn refused(field: &str, vi: &str, en: &str) -> Vec<Issue> {
    vec![Issue::error(IssueKind::InvalidValue, field, vi, en)]
}

fn blank_none(value: &str) -> Option<String> {
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The edit that sets `key` of the household (`member = None`) or of a member to `value` as
/// typed, checked at `now`; or the errors that refuse it. Only the field corrected can refuse
/// it: a position recorded by a phone whose clock ran ahead does not block fixing a street.
pub fn correct_field(
    h: &Household,
    member: Option<&MemberId>,
    key: &str,
    value: &str,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<FieldCorrection, Vec<Issue>> {
    match member {
        None => correct_household(h, key, value, now),
        Some(m) => correct_member(h, m, key, value, now.date_naive(), lang),
    }
}

fn correct_household(
    h: &Household,
    key: &str,
    value: &str,
    now: DateTime<Utc>,
) -> Result<FieldCorrection, Vec<Issue>> {
    let v = blank_none(value);
    let mut input = HouseholdInput::from(h);
    match key {
        "street" => input.address.street = v,
        "alley" => input.address.alley = v,
        "house_number" => input.address.house_number = v,
        "notes" => input.notes = v,
        _ => {
            return Err(refused(
                key,
                "Trường này không sửa được ở đây.",
                "This field cannot be corrected here.",
            ));
        }
    }
    let field_path = if key == "notes" {
        "notes".to_owned()
    } else {
        format!("address.{key}")
    };
    let (checked, report) = validate_household_input(&input, now);
    let errors: Vec<Issue> = report
        .errors()
        .filter(|i| i.field == field_path)
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    // The normalised value, as the phone's form would save it.
    let field = match key {
        "street" => HouseholdField::Street(checked.address.street),
        "alley" => HouseholdField::Alley(checked.address.alley),
        "house_number" => HouseholdField::HouseNumber(checked.address.house_number),
        _ => HouseholdField::Notes(checked.notes),
    };
    Ok(FieldCorrection {
        edit: Edit::SetHousehold { field },
        warnings: report
            .warnings()
            .filter(|i| i.field == field_path)
            .cloned()
            .collect(),
    })
}

fn correct_member(
    h: &Household,
    id: &MemberId,
    key: &str,
    value: &str,
    today: NaiveDate,
    lang: Lang,
) -> Result<FieldCorrection, Vec<Issue>> {
    let Some(m) = h.members.get(id).filter(|m| !m.removed) else {
        return Err(vec![Issue::error(
            IssueKind::UnknownMember,
            "member",
            "Không có người này trong hộ.",
            "This person is not in the household.",
        )]);
    };
    let personal = !matches!(key, "relation" | "residence");
    if personal && !shared_with_commune(h, id) {
        return Err(refused(
            &format!("member.{key}"),
            "Người này chưa đồng ý chia sẻ thông tin với xã: chỉ sửa được trên điện thoại.",
            "This person has not agreed to share with the commune: only a phone can correct it.",
        ));
    }
    let field_name = format!("member.{key}");
    let bad_code = || {
        refused(
            &field_name,
            "Giá trị không hợp lệ.",
            "The value is not valid.",
        )
    };
    let mut input = MemberInput::from(m);
    match key {
        "full_name" => input.full_name = value.to_owned(),
        "birth" => {
            input.birth =
                parse_birth(value, lang).map_err(|text| refused(&field_name, &text, &text))?
        }
        "gender" => {
            input.gender = match value.trim() {
                "" => None,
                code => Some(Gender::from_typed(code).ok_or_else(bad_code)?),
            }
        }
        "relation" => input.relation = Relation::from_typed(value).ok_or_else(bad_code)?,
        "residence" => input.residence = ResidenceType::from_typed(value).ok_or_else(bad_code)?,
        "id_number" => input.id_number = blank_none(value),
        "phone" => input.phone = blank_none(value),
        _ => {
            return Err(refused(
                &field_name,
                "Trường này không sửa được ở đây.",
                "This field cannot be corrected here.",
            ));
        }
    }
    let (checked, report) = validate_member_input(&input, today);
    let errors: Vec<Issue> = report.errors().cloned().collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let field = match key {
        "full_name" => MemberField::FullName(checked.full_name.clone()),
        "birth" => MemberField::Birth(checked.birth),
        "gender" => MemberField::Gender(checked.gender),
        "relation" => MemberField::Relation(checked.relation),
        "residence" => MemberField::Residence(checked.residence),
        "id_number" => MemberField::IdNumber(checked.id_number.clone()),
        _ => MemberField::Phone(checked.phone.clone()),
    };
    let mut warnings: Vec<Issue> = report.warnings().cloned().collect();
    warnings.extend(check_member_fits(h, Some(id), &checked));
    Ok(FieldCorrection {
        edit: Edit::SetMember {
            member: id.clone(),
            field,
        },
        warnings,
    })
}
