//! `gocua checklist set|guide|items`: the account set-up checklist and its guided scripts.

use gocua_core::catalog::onboarding;
use gocua_core::model::{ChecklistItem, ChecklistStatus, SmartphoneAccess};
use serde_json::json;

use super::{Ctx, household_id, member_id};
use crate::error::{CliError, Result};
use crate::labels::Label;
use crate::parse;

pub fn set(
    ctx: &mut Ctx,
    household: &str,
    member: &str,
    item: &str,
    status: &str,
    reason: Option<String>,
    smartphone: Option<&str>,
) -> Result<()> {
    let item: ChecklistItem = parse::code(item)?;
    let status: ChecklistStatus = parse::code(status)?;
    let smartphone = smartphone
        .map(parse::code::<SmartphoneAccess>)
        .transpose()?;
    let mut reg = ctx.open()?;
    let hid = household_id(&reg, household)?;
    let h = reg.household(&hid)?;
    let mid = member_id(&h, member)?;
    if h.members.get(&mid).is_some_and(|m| m.removed) {
        return Err(CliError::failed(
            "thành viên này không còn trong hộ.",
            "this member is no longer in the household.",
        ));
    }
    reg.set_checklist(&hid, &mid, item, status, reason, smartphone)?;
    ctx.saved(&[]);
    Ok(())
}

pub fn guide(ctx: &mut Ctx, item: &str) -> Result<()> {
    let item: ChecklistItem = parse::code(item)?;
    let g = onboarding::guide(item);
    let out = &mut ctx.out;
    if out.json {
        out.json_value(&serde_json::to_value(g).unwrap_or_default());
        return Ok(());
    }
    let lang = out.lang;
    out.line(format!(
        "{} ({})",
        lang.pick(&g.title_vi, &g.title_en),
        item.code()
    ));
    out.line(String::new());
    out.line(out.t("Các bước:", "Steps:"));
    for (n, s) in g.steps.iter().enumerate() {
        out.line(format!("  {}. {}", n + 1, lang.pick(&s.vi, &s.en)));
    }
    if !g.cautions.is_empty() {
        out.line(String::new());
        out.line(out.t("Lưu ý:", "Cautions:"));
        for c in &g.cautions {
            out.line(format!("  ! {}", lang.pick(&c.vi, &c.en)));
        }
    }
    Ok(())
}

pub fn items(ctx: &mut Ctx) -> Result<()> {
    let out = &mut ctx.out;
    let lang = out.lang;
    if out.json {
        let items: Vec<_> = ChecklistItem::ALL
            .iter()
            .map(
                |i| json!({ "code": i.code(), "label_vi": i.label_vi(), "label_en": i.label_en() }),
            )
            .collect();
        let statuses: Vec<_> = ChecklistStatus::ALL
            .iter()
            .map(
                |s| json!({ "code": s.code(), "label_vi": s.label_vi(), "label_en": s.label_en() }),
            )
            .collect();
        out.json_value(&json!({ "items": items, "statuses": statuses }));
        return Ok(());
    }
    out.line(out.t("Mục:", "Items:"));
    for i in ChecklistItem::ALL {
        let skill = if ChecklistItem::FIVE_SKILLS.contains(i) {
            out.t("  [5 kỹ năng số]", "  [5 digital skills]")
        } else {
            ""
        };
        out.line(format!("  {:<24} {}{skill}", i.code(), i.label(lang)));
    }
    out.line(out.t("Trạng thái:", "Statuses:"));
    for s in ChecklistStatus::ALL {
        out.line(format!("  {:<24} {}", s.code(), s.label(lang)));
    }
    Ok(())
}
