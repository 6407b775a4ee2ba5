//! `gocua household show` and `gocua household history`: everything recorded about one
//! household, as its members would see it, with personal numbers masked unless `--full`.

use std::collections::HashMap;

use gocua_core::catalog::admin_units;
use gocua_core::digital_address;
use gocua_core::model::{BirthDate, ChecklistItem, Household, Member, MemberId, Relation};
use gocua_core::text::fold;
use gocua_core::{HistoryEntry, Register};
use serde_json::{Value, json};

use super::{Ctx, conflicts, household_id};
use crate::error::Result;
use crate::labels::{self, Label};
use crate::lang::Lang;
use crate::output::{Out, local_time as time};
use gocua_core::screens::mask::{mask_id_number, mask_phone};

fn birth_text(b: BirthDate, lang: Lang) -> String {
    match (b, lang) {
        (BirthDate::Year(y), _) => format!("{y}"),
        (BirthDate::Date(d), Lang::Vi) => d.format("%d/%m/%Y").to_string(),
        (BirthDate::Date(d), Lang::En) => d.format("%Y-%m-%d").to_string(),
    }
}

/// A personal number, masked by the core's rule unless `--full`.
fn personal(v: Option<&String>, full: bool, mask: fn(&str) -> String) -> Option<String> {
    v.map(|v| if full { v.clone() } else { mask(v) })
}

/// Current members, head first, then by name; removed members are listed apart.
fn ordered(h: &Household) -> Vec<&Member> {
    let mut members: Vec<&Member> = h.members.values().collect();
    members.sort_by_key(|m| {
        (
            m.removed,
            h.head.as_ref() != Some(&m.id),
            fold(&m.full_name),
            m.id.clone(),
        )
    });
    members
}

fn name_of(h: &Household, id: &MemberId) -> String {
    h.members
        .get(id)
        .map(|m| m.full_name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// Area names from the catalog and the commune's hamlet list.
struct AreaNames {
    province: String,
    commune: String,
    hamlet: String,
}

fn area_names(reg: &Register, h: &Household, lang: Lang) -> Result<AreaNames> {
    let unit = |u: Option<&admin_units::AdminUnit>, code: &str| {
        u.map(|u| super::units::unit_name(u, lang))
            .unwrap_or_else(|| code.to_owned())
    };
    let hamlets: HashMap<String, String> = reg
        .hamlets(&h.area.commune_code)?
        .into_iter()
        .map(|x| (x.id, x.name))
        .collect();
    Ok(AreaNames {
        province: unit(
            admin_units::province(&h.area.province_code),
            &h.area.province_code,
        ),
        commune: unit(
            admin_units::commune(&h.area.commune_code),
            &h.area.commune_code,
        ),
        hamlet: hamlets
            .get(&h.area.hamlet_id)
            .cloned()
            .unwrap_or_else(|| h.area.hamlet_id.clone()),
    })
}

fn member_json(h: &Household, m: &Member, full: bool) -> Value {
    let checklist: Vec<Value> = m
        .checklist
        .iter()
        .map(|(item, e)| {
            json!({
                "item": item.code(),
                "status": e.status.code(),
                "reason": e.reason,
                "smartphone": e.smartphone.map(|s| s.code()),
                "set_by": e.set_by,
                "set_at": e.set_at,
                "device": e.device,
            })
        })
        .collect();
    let consent = h
        .current_consent(&m.id)
        .map(|p| serde_json::to_value(p).unwrap_or_default());
    json!({
        "id": m.id,
        "full_name": m.full_name,
        "is_head": h.head.as_ref() == Some(&m.id),
        "relation": m.relation.code(),
        "birth": m.birth.map(BirthDate::to_code),
        "gender": m.gender.map(|g| g.code()),
        "id_number": personal(m.id_number.as_ref(), full, mask_id_number),
        "phone": personal(m.phone.as_ref(), full, mask_phone),
        "residence": m.residence.code(),
        "removed": m.removed,
        "consent": consent,
        "checklist": checklist,
    })
}

fn household_json(
    reg: &Register,
    h: &Household,
    full: bool,
    history: Option<&[HistoryEntry]>,
    lang: Lang,
) -> Result<Value> {
    let names = area_names(reg, h, lang)?;
    let conflicts = reg.conflicts(&h.id)?;
    let plus = h.digital_address.plus_code.as_deref();
    let mut v = json!({
        "id": h.id,
        "lifecycle": h.lifecycle.code(),
        "merged_into": h.merged_into,
        "area": {
            "province_code": h.area.province_code,
            "province_name": names.province,
            "commune_code": h.area.commune_code,
            "commune_name": names.commune,
            "hamlet_id": h.area.hamlet_id,
            "hamlet_name": names.hamlet,
            "dataset_version": h.digital_address.dataset_version,
        },
        "address": serde_json::to_value(&h.address).unwrap_or_default(),
        "gps": serde_json::to_value(&h.digital_address.gps).unwrap_or_default(),
        "plus_code": plus,
        "official_code": serde_json::to_value(&h.digital_address.official).unwrap_or_default(),
        "card_payload": digital_address::card_payload(&h.id, plus),
        "notes": h.notes,
        "head": h.head,
        "has_member_with_5_skills": h.has_member_with_5_skills(),
        "created_at": h.created_at,
        "created_by": h.created_by,
        "members": ordered(h).into_iter().map(|m| member_json(h, m, full)).collect::<Vec<_>>(),
        "consents": serde_json::to_value(&h.consents).unwrap_or_default(),
        "visits": serde_json::to_value(&h.visits).unwrap_or_default(),
        "conflicts": conflicts::json(&conflicts, h, full, lang),
    });
    if let Some(entries) = history {
        v["history"] = serde_json::to_value(entries).unwrap_or_default();
    }
    Ok(v)
}

fn address_text(h: &Household, lang: Lang) -> String {
    let a = &h.address;
    let parts: Vec<String> = [
        (a.house_number.as_ref(), lang.pick("số nhà", "house")),
        (a.alley.as_ref(), lang.pick("ngõ/hẻm", "alley")),
        (a.street.as_ref(), lang.pick("đường", "street")),
    ]
    .into_iter()
    .filter_map(|(v, label)| v.map(|v| format!("{label} {v}")))
    .collect();
    if parts.is_empty() {
        "-".to_owned()
    } else {
        parts.join(", ")
    }
}

fn member_lines(out: &mut Out, h: &Household, m: &Member, full: bool) {
    let lang = out.lang;
    // The relation already says "head" unless the head was set later by hand.
    let is_head = h.head.as_ref() == Some(&m.id) && m.relation != Relation::Head;
    let head = if is_head {
        out.t(" [chủ hộ]", " [head]")
    } else {
        ""
    };
    out.line(format!(
        "  {}  {}{head} — {}",
        m.id,
        m.full_name,
        m.relation.label(lang)
    ));
    let mut facts = Vec::new();
    if let Some(b) = m.birth {
        facts.push(format!("{} {}", out.t("sinh", "born"), birth_text(b, lang)));
    }
    if let Some(g) = m.gender {
        facts.push(g.label(lang).to_owned());
    }
    facts.push(m.residence.label(lang).to_owned());
    if let Some(n) = personal(m.id_number.as_ref(), full, mask_id_number) {
        facts.push(format!("CCCD {n}"));
    }
    if let Some(p) = personal(m.phone.as_ref(), full, mask_phone) {
        facts.push(format!("{} {p}", out.t("ĐT", "phone")));
    }
    out.line(format!("      {}", facts.join(" · ")));
    let consent = match h.current_consent(&m.id) {
        Some(p) => labels::purposes(&p, lang),
        None if h.consents.iter().any(|c| c.member == m.id) => {
            out.t("đã rút lại đồng ý", "consent withdrawn").to_owned()
        }
        None => out.t("chưa ghi nhận", "none recorded").to_owned(),
    };
    out.line(format!("      {}: {consent}", out.t("Đồng ý", "Consent")));
    let achieved = m
        .checklist
        .values()
        .filter(|e| e.status.is_achieved())
        .count();
    out.line(format!(
        "      {} ({achieved}/{} {}):",
        out.t("Danh sách cài đặt", "Set-up checklist"),
        ChecklistItem::ALL.len(),
        out.t("đã đạt", "achieved")
    ));
    if m.checklist.is_empty() {
        out.line(format!(
            "        {}",
            out.t("(chưa ghi mục nào)", "(nothing recorded yet)")
        ));
    }
    // In checklist order, not code order: the order a volunteer walks through.
    for item in ChecklistItem::ALL {
        let Some(e) = m.checklist.get(item) else {
            continue;
        };
        let mut line = format!("        {}: {}", item.label(lang), e.status.label(lang));
        if let Some(s) = e.smartphone {
            line.push_str(&format!(" ({})", s.label(lang)));
        }
        if let Some(r) = &e.reason {
            line.push_str(&format!(" — {}: {r}", out.t("lý do", "reason")));
        }
        line.push_str(&format!("  [{}, {}]", e.set_by, time(e.set_at)));
        out.line(line);
    }
}

fn history_lines(out: &mut Out, entries: &[HistoryEntry], h: &Household) {
    let lang = out.lang.screens();
    for e in entries {
        let at = e.at.map(time).unwrap_or_else(|| "?".into());
        let who = e
            .volunteer
            .as_ref()
            .map(|v| v.to_string())
            .unwrap_or_else(|| "?".into());
        let what = gocua_core::screens::history::change_text(&e.what, h, lang);
        out.line(format!("  {at}  {who}  {what}"));
    }
}

pub fn show(ctx: &mut Ctx, typed: &str, with_history: bool, full: bool) -> Result<()> {
    let reg = ctx.open()?;
    let hid = household_id(&reg, typed)?;
    let h = reg.household(&hid)?;
    let history = if with_history {
        Some(reg.history(&hid)?)
    } else {
        None
    };
    let out = &mut ctx.out;
    let lang = out.lang;
    if out.json {
        let v = household_json(&reg, &h, full, history.as_deref(), lang)?;
        out.json_value(&v);
        return Ok(());
    }
    let names = area_names(&reg, &h, lang)?;
    out.line(format!("{} {}", out.t("Hộ gia đình", "Household"), h.id));
    let mut status = h.lifecycle.label(lang).to_owned();
    if let Some(other) = &h.merged_into {
        status.push_str(&format!(" → {other}"));
    }
    out.line(format!("{}: {status}", out.t("Tình trạng", "Status")));
    out.line(format!(
        "{}: {}, {}, {}  ({} / {} / {})",
        out.t("Khu vực", "Area"),
        names.hamlet,
        names.commune,
        names.province,
        h.area.province_code,
        h.area.commune_code,
        h.area.hamlet_id
    ));
    out.line(format!(
        "{}: {}",
        out.t("Địa chỉ", "Address"),
        address_text(&h, lang)
    ));
    let da = &h.digital_address;
    match &da.gps {
        Some(g) => out.line(format!(
            "{}: {}, {} (±{} m, {}, {})",
            out.t("Vị trí", "Position"),
            g.lat,
            g.lon,
            g.accuracy_m,
            g.source.label(lang),
            time(g.fixed_at)
        )),
        None => out.line(format!("{}: -", out.t("Vị trí", "Position"))),
    }
    out.line(format!(
        "Plus Code: {}",
        da.plus_code.as_deref().unwrap_or("-")
    ));
    if let Some(o) = &da.official {
        out.line(format!(
            "{}: {}:{}",
            out.t("Mã địa chỉ chính thức", "Official address code"),
            o.scheme,
            o.code
        ));
    }
    out.line(format!(
        "{}: {}",
        out.t("Thẻ hộ (nội dung QR)", "Household card (QR payload)"),
        digital_address::card_payload(&h.id, da.plus_code.as_deref())
    ));
    if let Some(n) = &h.notes {
        out.line(format!("{}: {n}", out.t("Ghi chú", "Notes")));
    }
    let skills = if h.has_member_with_5_skills() {
        out.t("có", "yes")
    } else {
        out.t("chưa", "not yet")
    };
    out.line(format!(
        "{}: {skills}",
        out.t(
            "Có người đủ 5 kỹ năng số",
            "Member with the 5 digital skills"
        )
    ));
    out.line(format!(
        "{}: {}, {}",
        out.t("Tạo bởi", "Created by"),
        h.created_by,
        time(h.created_at)
    ));

    let members = ordered(&h);
    let current = members.iter().filter(|m| !m.removed).count();
    out.line(String::new());
    out.line(format!("{} ({current}):", out.t("Thành viên", "Members")));
    if h.head.is_none() && current > 0 {
        out.line(format!(
            "  {}",
            out.t("(chưa có chủ hộ)", "(no head of household set)")
        ));
    }
    for m in members.iter().filter(|m| !m.removed) {
        member_lines(out, &h, m, full);
    }
    let removed: Vec<&&Member> = members.iter().filter(|m| m.removed).collect();
    if !removed.is_empty() {
        out.line(format!("{}:", out.t("Đã rời hộ", "Left the household")));
        for m in removed {
            out.line(format!("  {}  {}", m.id, m.full_name));
        }
    }

    if !h.consents.is_empty() {
        out.line(String::new());
        out.line(format!(
            "{} ({}):",
            out.t("Sự kiện đồng ý", "Consent events"),
            h.consents.len()
        ));
        for c in &h.consents {
            let mut line = format!(
                "  {}  {}: {}",
                time(c.at),
                name_of(&h, &c.member),
                c.action.label(lang)
            );
            if c.action == gocua_core::model::ConsentAction::Given {
                line.push_str(&format!(" ({})", labels::purposes(&c.purposes, lang)));
            }
            line.push_str(&format!(
                "; {} {}; {}; {}",
                out.t("thông báo", "notice"),
                c.notice_version,
                c.method.label(lang),
                c.volunteer
            ));
            if let Some(g) = &c.guardian {
                line.push_str(&format!(
                    "; {}: {}",
                    out.t("người giám hộ", "guardian"),
                    name_of(&h, g)
                ));
            }
            out.line(line);
        }
    }

    out.line(String::new());
    out.line(format!(
        "{} ({}):",
        out.t("Lần thăm", "Visits"),
        h.visits.len()
    ));
    for v in &h.visits {
        let mut line = format!("  {}  {} — {}", v.date, v.outcome.label(lang), v.volunteer);
        if let Some(f) = v.follow_up_on {
            line.push_str(&format!("; {} {f}", out.t("hẹn lại", "follow up on")));
        }
        if let Some(n) = &v.note {
            line.push_str(&format!("; {n}"));
        }
        out.line(line);
    }

    let conflicts = reg.conflicts(&hid)?;
    out.line(String::new());
    if conflicts.is_empty() {
        out.line(format!(
            "{}: {}",
            out.t("Xung đột", "Conflicts"),
            out.t("không có", "none")
        ));
    } else {
        out.line(format!(
            "{} ({}):",
            out.t("Xung đột", "Conflicts"),
            conflicts.len()
        ));
        for l in conflicts::lines(&conflicts, &h, full, lang) {
            out.line(l);
        }
    }

    if let Some(entries) = &history {
        out.line(String::new());
        out.line(format!(
            "{} ({}):",
            out.t("Lịch sử thay đổi", "Change history"),
            entries.len()
        ));
        history_lines(out, entries, &h);
    }
    Ok(())
}

pub fn history(ctx: &mut Ctx, typed: &str) -> Result<()> {
    let reg = ctx.open()?;
    let hid = household_id(&reg, typed)?;
    let entries = reg.history(&hid)?;
    if ctx.out.json {
        ctx.out
            .json_value(&serde_json::to_value(&entries).unwrap_or_default());
        return Ok(());
    }
    let h = reg.household(&hid)?;
    history_lines(&mut ctx.out, &entries, &h);
    Ok(())
}
