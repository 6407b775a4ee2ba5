//! `gocua member add|edit|remove|relations`.

use gocua_core::catalog::consent_notice;
use gocua_core::consent_rule::ConsentGiven;
use gocua_core::input::MemberInput;
use gocua_core::model::{ConsentMethod, Gender, Relation, ResidenceType};
use gocua_core::validate::validate_member_input;
use gocua_core::{Error, MemberField};
use serde_json::json;

use super::{Ctx, household_id, member_id};
use crate::error::Result;
use crate::labels::Label;
use crate::parse;
use crate::{MemberAddArgs, MemberEditArgs};

/// An optional value typed on creation: blank is the same as absent.
fn given(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

pub fn add(ctx: &mut Ctx, a: MemberAddArgs) -> Result<()> {
    let relation: Relation = parse::code(&a.relation)?;
    let residence: ResidenceType = parse::code(&a.residence)?;
    let birth = given(a.birth).map(|b| parse::birth(&b)).transpose()?;
    let gender = given(a.gender)
        .map(|g| parse::code::<Gender>(&g))
        .transpose()?;
    let mut reg = ctx.open()?;
    let hid = household_id(&reg, &a.household)?;
    let input = MemberInput {
        full_name: a.name,
        birth,
        gender,
        relation,
        id_number: given(a.id_number),
        phone: given(a.phone),
        residence,
    };
    let saved = match &a.consent {
        // Without consent the register refuses a birth date, ID number or phone, clearly.
        None => reg.add_member(&hid, input)?,
        Some(purposes) => {
            let h = reg.household(&hid)?;
            let consent = ConsentGiven {
                purposes: parse::purposes(purposes)?,
                notice_version: a
                    .notice
                    .clone()
                    .unwrap_or_else(|| consent_notice::VERSION.to_owned()),
                method: parse::code::<ConsentMethod>(&a.consent_method)?,
                guardian: a
                    .guardian
                    .as_deref()
                    .map(|g| member_id(&h, g))
                    .transpose()?,
            };
            reg.add_member_with_consent(&hid, input, &consent)?
        }
    };
    ctx.created(saved.value.as_str(), &saved.warnings);
    Ok(())
}

pub fn edit(ctx: &mut Ctx, a: MemberEditArgs) -> Result<()> {
    let mut fields = Vec::new();
    if let Some(name) = a.name {
        fields.push(MemberField::FullName(name));
    }
    if let Some(r) = &a.relation {
        fields.push(MemberField::Relation(parse::code(r)?));
    }
    if let Some(b) = parse::change(a.birth, a.clear_birth) {
        fields.push(MemberField::Birth(b.map(|b| parse::birth(&b)).transpose()?));
    }
    if let Some(g) = parse::change(a.gender, a.clear_gender) {
        fields.push(MemberField::Gender(g.map(|g| parse::code(&g)).transpose()?));
    }
    if let Some(v) = parse::change(a.id_number, a.clear_id_number) {
        fields.push(MemberField::IdNumber(v));
    }
    if let Some(v) = parse::change(a.phone, a.clear_phone) {
        fields.push(MemberField::Phone(v));
    }
    if let Some(r) = &a.residence {
        fields.push(MemberField::Residence(parse::code(r)?));
    }
    if fields.is_empty() {
        return Err(crate::error::CliError::usage(
            "không có gì để sửa; xem: gocua member edit --help",
            "nothing to change; see: gocua member edit --help",
        ));
    }
    let mut reg = ctx.open()?;
    let hid = household_id(&reg, &a.household)?;
    let household = reg.household(&hid)?;
    let mid = member_id(&household, &a.member)?;
    let Some(m) = household.members.get(&mid) else {
        return Err(Error::NotFound {
            what: "member",
            id: mid.0,
        }
        .into());
    };

    // Check all changes together first: one bad value must not leave the member half-edited.
    let mut input = MemberInput::from(m);
    for f in &fields {
        match f {
            MemberField::FullName(v) => input.full_name = v.clone(),
            MemberField::Birth(v) => input.birth = *v,
            MemberField::Gender(v) => input.gender = *v,
            MemberField::Relation(v) => input.relation = *v,
            MemberField::IdNumber(v) => input.id_number = v.clone(),
            MemberField::Phone(v) => input.phone = v.clone(),
            MemberField::Residence(v) => input.residence = *v,
        }
    }
    let (_, report) = validate_member_input(&input, ctx.today());
    if report.has_errors() {
        return Err(Error::Validation(report).into());
    }

    // Each save re-checks the whole member: the last one's warnings describe the end state.
    let mut warnings = Vec::new();
    for f in fields {
        warnings = reg.set_member_field(&hid, &mid, f)?.warnings;
    }
    ctx.saved(&warnings);
    Ok(())
}

pub fn remove(ctx: &mut Ctx, household: &str, member: &str) -> Result<()> {
    let mut reg = ctx.open()?;
    let hid = household_id(&reg, household)?;
    let h = reg.household(&hid)?;
    let mid = member_id(&h, member)?;
    reg.remove_member(&hid, &mid)?;
    ctx.saved(&[]);
    if h.head.as_ref() == Some(&mid) {
        let s = ctx.out.t(
            "Lưu ý: người này là chủ hộ; hãy chọn chủ hộ mới bằng: gocua household edit HỘ --head THÀNH_VIÊN",
            "Note: this was the head of household; choose a new head with: gocua household edit HOUSEHOLD --head MEMBER",
        );
        ctx.out.note(s);
    }
    Ok(())
}

pub fn relations(ctx: &mut Ctx) -> Result<()> {
    let lang = ctx.out.lang;
    if ctx.out.json {
        let v: Vec<_> = Relation::ALL
            .iter()
            .map(
                |r| json!({ "code": r.code(), "label_vi": r.label_vi(), "label_en": r.label_en() }),
            )
            .collect();
        ctx.out.json_value(&json!(v));
        return Ok(());
    }
    for r in Relation::ALL {
        ctx.out.line(format!("{:<20} {}", r.code(), r.label(lang)));
    }
    Ok(())
}
