//! `gocua household add|edit|list|card`.

use chrono::Utc;
use gocua_core::catalog::admin_units;
use gocua_core::digital_address;
use gocua_core::input::HouseholdInput;
use gocua_core::model::{Address, Area, GpsFix, GpsSource, Lifecycle};
use gocua_core::validate::validate_household_input;
use gocua_core::{Error, HouseholdField};
use serde_json::json;

use super::{Ctx, hamlet, household_id, member_id};
use crate::error::{CliError, Result};
use crate::labels::Label;
use crate::parse;
use crate::{GpsArgs, HouseholdAddArgs, HouseholdEditArgs};

/// Accuracy assumed when none is typed: what a phone reports outdoors, and about how precisely
/// a pin lands on a zoomed-in map. The core needs a number; 0 would claim a perfect fix.
const DEFAULT_ACCURACY_M: f64 = 10.0;

fn gps_fix(g: &GpsArgs) -> Option<GpsFix> {
    Some(GpsFix {
        lat: g.lat?,
        lon: g.lon?,
        accuracy_m: g.accuracy.unwrap_or(DEFAULT_ACCURACY_M),
        fixed_at: Utc::now(),
        source: if g.pin {
            GpsSource::MapPin
        } else {
            GpsSource::Fix
        },
    })
}

/// An optional text typed on creation: blank is the same as absent.
fn text(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

pub fn add(ctx: &mut Ctx, a: HouseholdAddArgs) -> Result<()> {
    let mut reg = ctx.open()?;
    let hamlet = hamlet(&reg, &a.hamlet)?;
    let commune_code = reg.identity().commune_code.clone();
    // The province is never typed: it follows from the commune in the catalog.
    let province_code = admin_units::commune(&commune_code)
        .and_then(|c| c.province_code.clone())
        .unwrap_or_default();
    let official = match &a.official {
        Some(v) => parse::official(v)?,
        None => None,
    };
    let input = HouseholdInput {
        area: Area {
            province_code,
            commune_code,
            hamlet_id: hamlet.id,
        },
        address: Address {
            street: text(a.street),
            alley: text(a.alley),
            house_number: text(a.house_number),
        },
        gps: gps_fix(&a.gps),
        official,
        notes: text(a.notes),
    };
    let saved = reg.create_household(input)?;
    ctx.created(saved.value.as_str(), &saved.warnings);
    Ok(())
}

pub fn edit(ctx: &mut Ctx, a: HouseholdEditArgs) -> Result<()> {
    let mut reg = ctx.open()?;
    let id = household_id(&reg, &a.household)?;
    let current = reg.household(&id)?;
    let mut fields = Vec::new();
    if let Some(h) = &a.hamlet {
        fields.push(HouseholdField::Hamlet(hamlet(&reg, h)?.id));
    }
    if let Some(v) = parse::change(a.street, a.clear_street) {
        fields.push(HouseholdField::Street(v));
    }
    if let Some(v) = parse::change(a.alley, a.clear_alley) {
        fields.push(HouseholdField::Alley(v));
    }
    if let Some(v) = parse::change(a.house_number, a.clear_house_number) {
        fields.push(HouseholdField::HouseNumber(v));
    }
    if a.clear_gps {
        fields.push(HouseholdField::Gps(None));
    } else if let Some(fix) = gps_fix(&a.gps) {
        fields.push(HouseholdField::Gps(Some(fix)));
    }
    if a.clear_official {
        fields.push(HouseholdField::OfficialCode(None));
    } else if let Some(v) = &a.official {
        fields.push(HouseholdField::OfficialCode(parse::official(v)?));
    }
    if let Some(v) = parse::change(a.notes, a.clear_notes) {
        fields.push(HouseholdField::Notes(v));
    }
    if let Some(m) = &a.head {
        let m = member_id(&current, m)?;
        if current.members.get(&m).is_some_and(|m| m.removed) {
            return Err(CliError::failed(
                "thành viên này không còn trong hộ nên không làm chủ hộ được.",
                "this member has left the household and cannot be its head.",
            ));
        }
        fields.push(HouseholdField::Head(Some(m)));
    }
    if let Some(code) = &a.lifecycle {
        let l: Lifecycle = parse::code(code)?;
        if l == Lifecycle::Merged {
            return Err(CliError::usage(
                "để đánh dấu hộ trùng, dùng --merged-into HỘ_GIỮ_LẠI.",
                "to mark a duplicate household, use --merged-into KEPT_HOUSEHOLD.",
            ));
        }
        fields.push(HouseholdField::Lifecycle(l));
    }
    if let Some(other) = &a.merged_into {
        let other = household_id(&reg, other)?;
        if other == id {
            return Err(CliError::usage(
                "không gộp một hộ vào chính nó.",
                "a household cannot be merged into itself.",
            ));
        }
        fields.push(HouseholdField::MergedInto(Some(other)));
        fields.push(HouseholdField::Lifecycle(Lifecycle::Merged));
    }
    if fields.is_empty() {
        return Err(CliError::usage(
            "không có gì để sửa; xem: gocua household edit --help",
            "nothing to change; see: gocua household edit --help",
        ));
    }

    // Check every change together first, so that a bad value leaves the household untouched
    // instead of half-edited (the core saves one field per call).
    let mut input = HouseholdInput {
        area: current.area.clone(),
        address: current.address.clone(),
        gps: current.digital_address.gps.clone(),
        official: current.digital_address.official.clone(),
        notes: current.notes.clone(),
    };
    for f in &fields {
        match f {
            HouseholdField::Hamlet(v) => input.area.hamlet_id = v.clone(),
            HouseholdField::Street(v) => input.address.street = v.clone(),
            HouseholdField::Alley(v) => input.address.alley = v.clone(),
            HouseholdField::HouseNumber(v) => input.address.house_number = v.clone(),
            HouseholdField::Gps(v) => input.gps = v.clone(),
            HouseholdField::OfficialCode(v) => input.official = v.clone(),
            HouseholdField::Notes(v) => input.notes = v.clone(),
            _ => {}
        }
    }
    let (_, report) = validate_household_input(&input, Utc::now());
    if report.has_errors() {
        return Err(Error::Validation(report).into());
    }

    // Each save checks the whole household, so the last one's warnings describe the end state.
    let mut warnings = Vec::new();
    for f in fields {
        warnings = reg.set_household_field(&id, f)?.warnings;
    }
    ctx.saved(&warnings);
    Ok(())
}

pub fn list(ctx: &mut Ctx, hamlet_typed: &str, limit: u32, offset: u32) -> Result<()> {
    let reg = ctx.open()?;
    let h = hamlet(&reg, hamlet_typed)?;
    let rows = reg.list_hamlet(&reg.identity().commune_code, &h.id, limit, offset)?;
    let out = &mut ctx.out;
    if out.json {
        out.json_value(&serde_json::to_value(&rows).unwrap_or_default());
        return Ok(());
    }
    let lang = out.lang;
    let from = offset.saturating_add(1);
    let header = match lang {
        crate::lang::Lang::Vi => {
            format!("{} — {} hộ (từ vị trí {})", h.name, rows.len(), from)
        }
        crate::lang::Lang::En => format!("{} — {} households (from #{})", h.name, rows.len(), from),
    };
    out.line(header);
    for r in &rows {
        let head = r
            .head_name
            .clone()
            .unwrap_or_else(|| out.t("(chưa có chủ hộ)", "(no head yet)").to_owned());
        let address = if r.address.is_empty() {
            "-".to_owned()
        } else {
            r.address.clone()
        };
        let mut facts = vec![match lang {
            crate::lang::Lang::Vi => {
                format!("{} người, {} lần thăm", r.member_count, r.visit_count)
            }
            crate::lang::Lang::En => {
                format!("{} members, {} visits", r.member_count, r.visit_count)
            }
        }];
        if let Some(f) = &r.follow_up_on {
            facts.push(format!("{} {f}", out.t("hẹn lại", "follow up")));
        }
        if r.lifecycle != Lifecycle::Active {
            facts.push(r.lifecycle.label(lang).to_owned());
        }
        if r.conflict_count > 0 {
            facts.push(format!(
                "{} {}",
                r.conflict_count,
                out.t("xung đột", "conflicts")
            ));
        }
        if r.has_member_with_5_skills {
            facts.push(
                out.t("có người đủ 5 kỹ năng số", "has a member with the 5 skills")
                    .to_owned(),
            );
        }
        if r.pending_sync {
            facts.push(out.t("chờ đồng bộ", "not synced").to_owned());
        }
        out.line(format!(
            "{}  {head}  |  {address}  |  {}",
            r.id,
            facts.join(", ")
        ));
    }
    Ok(())
}

pub fn card(ctx: &mut Ctx, typed: &str) -> Result<()> {
    let reg = ctx.open()?;
    let id = household_id(&reg, typed)?;
    let h = reg.household(&id)?;
    let plus = h.digital_address.plus_code.as_deref();
    let payload = digital_address::card_payload(&id, plus);
    let out = &mut ctx.out;
    if out.json {
        out.json_value(&json!({ "household": id, "payload": payload, "plus_code": plus }));
        return Ok(());
    }
    out.line(format!(
        "{}: {payload}",
        out.t("Nội dung mã QR", "QR payload")
    ));
    let none = out.t(
        "(chưa có: cần vị trí GPS của hộ)",
        "(none: the household has no GPS position)",
    );
    out.line(format!("Plus Code: {}", plus.unwrap_or(none)));
    Ok(())
}
