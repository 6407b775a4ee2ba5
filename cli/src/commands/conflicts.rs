//! `gocua conflicts` and `gocua resolve`: fields two devices edited differently while apart.
//! Every concurrent value is kept until a person picks one; nothing is silently lost.

use std::str::FromStr;

use gocua_core::model::Household;
use gocua_core::screens::labels::{field_label, field_value_text};
use gocua_core::{Conflict, FieldPath};
use serde_json::json;

use super::{Ctx, household_id, member_id};
use crate::error::{CliError, Result};
use crate::lang::Lang;
use crate::output::{local_time, shown};

/// Which of the conflicting values to keep.
pub enum Choice {
    Value(String),
    /// 1-based, in the order `gocua conflicts` lists them (the same on every device).
    Pick(usize),
    Clear,
}

/// A conflicting value as a person reads it, by the core's one rule (ID numbers and phones
/// masked, GPS as coordinates, codes as labels); `full` shows personal numbers whole.
pub fn value_text(field: &FieldPath, value: &str, full: bool, lang: Lang) -> String {
    if full && field.member.is_some() {
        return value.to_owned();
    }
    field_value_text(field, value, lang.screens())
}

/// `Họ và tên — member.<id>.full_name (Nguyễn Văn An)`: the label says what the field is, the
/// path is what `gocua resolve` takes, the member's name tells conflicts apart.
fn field_text(field: &FieldPath, household: &Household, lang: Lang) -> String {
    let label = field_label(field, lang.screens());
    match field.member.as_ref().and_then(|m| household.members.get(m)) {
        Some(m) => format!("{label} — {field} ({})", m.full_name),
        None => format!("{label} — {field}"),
    }
}
/// Lines describing conflicts; shared with `household show`.
pub fn lines(conflicts: &[Conflict], household: &Household, full: bool, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for c in conflicts {
        out.push(format!("  {}", field_text(&c.field, household, lang)));
        for (n, v) in c.values.iter().enumerate() {
            let who = v
                .volunteer
                .as_ref()
                .map(|v| v.to_string())
                .unwrap_or_else(|| "?".into());
            let at = v.at.map(local_time).unwrap_or_default();
            out.push(format!(
                "    [{}] {}  — {who} {at}",
                n + 1,
                value_text(&c.field, &v.value, full, lang)
            ));
        }
    }
    out
}

pub fn json(
    conflicts: &[Conflict],
    household: &Household,
    full: bool,
    lang: Lang,
) -> serde_json::Value {
    json!(conflicts
        .iter()
        .map(|c| json!({
            "field": c.field.to_string(),
            "label": field_label(&c.field, lang.screens()),
            "member_name": c.field.member.as_ref().and_then(|m| household.members.get(m)).map(|m| &m.full_name),
            "values": c.values.iter().enumerate().map(|(n, v)| json!({
                "pick": n + 1,
                "value": value_text(&c.field, &v.value, full, lang),
                "volunteer": v.volunteer,
                "device": v.device,
                "at": v.at,
            })).collect::<Vec<_>>(),
        }))
        .collect::<Vec<_>>())
}

pub fn list(ctx: &mut Ctx, typed: &str, full: bool) -> Result<()> {
    let reg = ctx.open()?;
    let hid = household_id(&reg, typed)?;
    let household = reg.household(&hid)?;
    let conflicts = reg.conflicts(&hid)?;
    let out = &mut ctx.out;
    let lang = out.lang;
    if out.json {
        out.json_value(&json(&conflicts, &household, full, lang));
        return Ok(());
    }
    if conflicts.is_empty() {
        out.line(out.t("Không có xung đột.", "No conflicts."));
        return Ok(());
    }
    out.line(format!(
        "{} ({}):",
        out.t("Xung đột", "Conflicts"),
        conflicts.len()
    ));
    for l in lines(&conflicts, &household, full, lang) {
        out.line(l);
    }
    out.line(out.t(
        "Chọn giá trị giữ lại: gocua resolve HỘ TRƯỜNG --pick SỐ (hoặc --clear)",
        "Keep a value with: gocua resolve HOUSEHOLD FIELD --pick N (or --clear)",
    ));
    Ok(())
}

/// Parses a field path, letting the member id inside it be a prefix.
fn field_path(household: &Household, typed: &str) -> Result<FieldPath> {
    let typed = typed.trim();
    let bad = || {
        CliError::usage(
            format!(
                "trường không hợp lệ: '{}'. Viết như gocua conflicts liệt kê, ví dụ household.street hoặc member.<mã>.full_name.",
                shown(typed)
            ),
            format!(
                "invalid field '{}'. Write it as gocua conflicts lists it, e.g. household.street or member.<id>.full_name.",
                shown(typed)
            ),
        )
    };
    let path = match typed
        .strip_prefix("member.")
        .and_then(|rest| rest.split_once('.'))
    {
        Some((member, key)) => format!("member.{}.{key}", member_id(household, member)?),
        None => typed.to_owned(),
    };
    FieldPath::from_str(&path).map_err(|_| bad())
}

pub fn resolve(ctx: &mut Ctx, typed: &str, field: &str, choice: Choice) -> Result<()> {
    let mut reg = ctx.open()?;
    let hid = household_id(&reg, typed)?;
    let household = reg.household(&hid)?;
    let field = field_path(&household, field)?;
    let conflicts = reg.conflicts(&hid)?;
    let Some(conflict) = conflicts.iter().find(|c| c.field == field) else {
        return Err(CliError::failed(
            format!("trường {field} không có xung đột nào để giải quyết."),
            format!("the field {field} has no conflict to resolve."),
        ));
    };
    let n = conflict.values.len();
    let value = match choice {
        Choice::Clear => None,
        Choice::Pick(k) => match k.checked_sub(1).and_then(|i| conflict.values.get(i)) {
            Some(v) => Some(v.value.clone()),
            None => {
                return Err(CliError::usage(
                    format!("--pick phải từ 1 đến {n}."),
                    format!("--pick must be from 1 to {n}."),
                ));
            }
        },
        // The typed value is not echoed back: it may be an ID number or a phone.
        Choice::Value(v) => match conflict.values.iter().find(|c| c.value == v.trim()) {
            Some(c) => Some(c.value.clone()),
            None => {
                return Err(CliError::failed(
                    format!(
                        "giá trị đã gõ không phải một trong {n} giá trị đang xung đột; dùng --pick SỐ."
                    ),
                    format!(
                        "the value typed is not one of the {n} conflicting values; use --pick N."
                    ),
                ));
            }
        },
    };
    reg.resolve_conflict(&hid, &field, value)?;
    ctx.saved(&[]);
    let left = reg.conflicts(&hid)?.len();
    if left > 0 {
        let s = match ctx.out.lang {
            Lang::Vi => format!("Còn {left} xung đột."),
            Lang::En => format!("{left} conflicts left."),
        };
        ctx.out.note(s);
    }
    Ok(())
}
