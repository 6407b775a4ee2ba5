//! `gocua units search|show`: the embedded administrative-unit catalog (34 provinces, 3,321
//! communes since 1 July 2025).

use gocua_core::catalog::admin_units::{self, AdminUnit};
use serde_json::json;

use super::Ctx;
use crate::error::{CliError, Result};
use crate::labels::Label;
use crate::lang::Lang;
use crate::output::shown;

fn unit_json(u: &AdminUnit) -> serde_json::Value {
    json!({
        "code": u.code,
        "province_code": u.province_code,
        "kind": u.kind.code(),
        "name": u.name,
        "name_en": u.name_en,
        "full_name": u.full_name,
    })
}

/// The unit's full name; in English the diacritic-free name with the kind ("Ba Dinh Ward").
pub fn unit_name(u: &AdminUnit, lang: Lang) -> String {
    match lang {
        Lang::Vi => u.full_name.clone(),
        Lang::En => format!("{} {}", u.name_en, u.kind.label(lang)),
    }
}

/// "00004  Phường Ba Đình, Thành phố Hà Nội".
fn unit_line(u: &AdminUnit, lang: Lang) -> String {
    let name = unit_name(u, lang);
    let province = u.province_code.as_deref().and_then(admin_units::province);
    match province {
        Some(p) => format!("{}  {name}, {}", u.code, unit_name(p, lang)),
        None => format!("{}  {name}", u.code),
    }
}

pub fn search(ctx: &mut Ctx, query: &str, limit: usize) -> Result<()> {
    let hits = admin_units::search(query, limit);
    let out = &mut ctx.out;
    if out.json {
        out.json_value(&json!(
            hits.iter().map(|u| unit_json(u)).collect::<Vec<_>>()
        ));
        return Ok(());
    }
    if hits.is_empty() {
        out.line(out.t("Không tìm thấy đơn vị nào.", "No unit found."));
    }
    for u in hits {
        out.line(unit_line(u, out.lang));
    }
    Ok(())
}

pub fn show(ctx: &mut Ctx, code: &str) -> Result<()> {
    let code = code.trim();
    let Some(u) = admin_units::province(code).or_else(|| admin_units::commune(code)) else {
        return Err(CliError::failed(
            format!(
                "mã '{}' không có trong danh mục đơn vị hành chính ({}).",
                shown(code),
                admin_units::DATASET_VERSION
            ),
            format!(
                "code '{}' is not in the administrative-unit catalog ({}).",
                shown(code),
                admin_units::DATASET_VERSION
            ),
        ));
    };
    let communes = if u.province_code.is_none() {
        admin_units::communes_of(&u.code)
    } else {
        Vec::new()
    };
    let out = &mut ctx.out;
    if out.json {
        let mut v = unit_json(u);
        v["communes"] = json!(communes.iter().map(|c| unit_json(c)).collect::<Vec<_>>());
        v["dataset_version"] = json!(admin_units::DATASET_VERSION);
        out.json_value(&v);
        return Ok(());
    }
    let lang = out.lang;
    out.line(unit_line(u, lang));
    out.line(format!("{}: {}", out.t("Loại", "Kind"), u.kind.label(lang)));
    if !communes.is_empty() {
        out.line(format!(
            "{} ({}):",
            out.t("Xã, phường, đặc khu", "Communes, wards, special zones"),
            communes.len()
        ));
        for c in communes {
            out.line(format!("  {}  {}", c.code, unit_name(c, lang)));
        }
    }
    Ok(())
}
