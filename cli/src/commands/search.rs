//! `gocua search` and `gocua counts`: the reads a volunteer does before knocking on a door.

use std::collections::HashMap;

use gocua_core::catalog::admin_units;
use gocua_core::model::{ChecklistItem, ChecklistStatus};
use serde_json::json;

use super::{Ctx, hamlet};
use crate::error::Result;
use crate::labels::Label;

pub fn search(ctx: &mut Ctx, query: &str, limit: u32) -> Result<()> {
    let reg = ctx.open()?;
    let hits = reg.search(query, limit)?;
    let out = &mut ctx.out;
    if out.json {
        // Hits carry only the last 4 digits of an ID number, never the number.
        out.json_value(&serde_json::to_value(&hits).unwrap_or_default());
        return Ok(());
    }
    if hits.is_empty() {
        out.line(out.t("Không tìm thấy ai.", "Nobody found."));
        return Ok(());
    }
    let names: HashMap<String, String> = reg
        .hamlets(&reg.identity().commune_code)?
        .into_iter()
        .map(|h| (h.id, h.name))
        .collect();
    let lang = out.lang;
    for h in &hits {
        let hamlet = names.get(&h.hamlet_id).unwrap_or(&h.hamlet_id);
        let id = h
            .id_number_last4
            .as_ref()
            .map(|l| format!("  CCCD ••••••••{l}"))
            .unwrap_or_default();
        out.line(format!(
            "{}  {}  {}  |  {hamlet}{id}  ({}: {})",
            h.household,
            h.member,
            h.full_name,
            out.t("khớp", "matched"),
            h.matched.label(lang)
        ));
    }
    Ok(())
}

pub fn counts(ctx: &mut Ctx, hamlet_typed: Option<&str>) -> Result<()> {
    let reg = ctx.open()?;
    let commune = reg.identity().commune_code.clone();
    let hamlet = hamlet_typed.map(|h| hamlet(&reg, h)).transpose()?;
    let counts = reg.checklist_counts(&commune, hamlet.as_ref().map(|h| h.id.as_str()))?;
    let out = &mut ctx.out;
    if out.json {
        out.json_value(&json!({
            "commune_code": commune,
            "hamlet_id": hamlet.as_ref().map(|h| &h.id),
            "counts": serde_json::to_value(&counts).unwrap_or_default(),
        }));
        return Ok(());
    }
    let lang = out.lang;
    let area = match &hamlet {
        Some(h) => h.name.clone(),
        None => admin_units::commune(&commune)
            .map(|c| c.full_name.clone())
            .unwrap_or(commune.clone()),
    };
    out.line(format!(
        "{} — {}",
        out.t("Tiến độ danh sách cài đặt", "Account set-up progress"),
        area
    ));
    if counts.is_empty() {
        out.line(out.t("Chưa có mục nào được ghi.", "Nothing recorded yet."));
        return Ok(());
    }
    for item in ChecklistItem::ALL {
        let parts: Vec<String> = ChecklistStatus::ALL
            .iter()
            .filter_map(|s| {
                let n = counts
                    .iter()
                    .find(|c| c.item == *item && c.status == *s)?
                    .count;
                Some(format!("{} {n}", s.label(lang)))
            })
            .collect();
        if !parts.is_empty() {
            out.line(format!("  {}: {}", item.label(lang), parts.join(", ")));
        }
    }
    Ok(())
}
