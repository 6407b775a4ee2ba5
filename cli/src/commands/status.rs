//! `gocua status` and `gocua reindex`: what a coordinator asks when a phone misbehaves.

use gocua_core::SCHEMA_VERSION;
use gocua_core::catalog::{admin_units, onboarding};
use serde_json::json;

use super::Ctx;
use crate::error::Result;
use crate::lang::Lang;

pub fn status(ctx: &mut Ctx) -> Result<()> {
    let reg = ctx.open()?;
    let id = reg.identity().clone();
    let pending = reg.pending_count()?;
    let households = reg.household_ids()?.len();
    let integrity = reg.integrity_check()?;
    let hamlets = reg.hamlets(&id.commune_code)?.len();
    let sync_status = gocua_core::sync::status(&reg).map_err(super::hub::sync_error)?;
    let lang = ctx.out.lang;
    let commune = admin_units::commune(&id.commune_code);
    let commune_name = commune
        .map(|c| super::units::unit_name(c, lang))
        .unwrap_or_default();
    let province_name = commune
        .and_then(|c| c.province_code.as_deref())
        .and_then(admin_units::province)
        .map(|p| super::units::unit_name(p, lang))
        .unwrap_or_default();
    let out = &mut ctx.out;
    if out.json {
        out.json_value(&json!({
            "db": ctx.db.display().to_string(),
            "volunteer": id.volunteer,
            "device": id.device,
            "commune_code": id.commune_code,
            "commune_name": commune_name,
            "province_name": province_name,
            "hamlets": hamlets,
            "households": households,
            "pending_sync": pending,
            "sync": sync_status,
            "integrity": integrity,
            "schema_version": SCHEMA_VERSION,
            "admin_units_version": admin_units::DATASET_VERSION,
            "onboarding_version": onboarding::version(),
        }));
        return Ok(());
    }
    let ok = integrity == "ok";
    let lines = match lang {
        Lang::Vi => vec![
            format!("Sổ: {}", ctx.db.display()),
            format!("Tình nguyện viên: {}", id.volunteer),
            format!("Thiết bị: {}", id.device),
            format!(
                "Xã/phường: {commune_name} ({}), {province_name}",
                id.commune_code
            ),
            format!("Số thôn: {hamlets}; số hộ: {households}"),
            format!("Chờ đồng bộ: {pending} hộ"),
            format!(
                "Kiểm tra toàn vẹn: {}",
                if ok {
                    "tốt".to_owned()
                } else {
                    integrity.clone()
                }
            ),
            format!(
                "Phiên bản: lược đồ {SCHEMA_VERSION}, danh mục đơn vị hành chính {}, hướng dẫn {}",
                admin_units::DATASET_VERSION,
                onboarding::version()
            ),
        ],
        Lang::En => vec![
            format!("Register: {}", ctx.db.display()),
            format!("Volunteer: {}", id.volunteer),
            format!("Device: {}", id.device),
            format!(
                "Commune: {commune_name} ({}), {province_name}",
                id.commune_code
            ),
            format!("Hamlets: {hamlets}; households: {households}"),
            format!("Waiting for sync: {pending} households"),
            format!("Integrity check: {integrity}"),
            format!(
                "Versions: schema {SCHEMA_VERSION}, administrative units {}, onboarding guides {}",
                admin_units::DATASET_VERSION,
                onboarding::version()
            ),
        ],
    };
    for l in lines {
        out.line(l);
    }
    for l in super::hub::status_lines(sync_status.as_ref(), lang) {
        out.line(l);
    }
    if !ok {
        let s = out.t(
            "Cảnh báo: tệp sổ có lỗi; hãy sao lưu tệp và báo cho điều phối viên xã.",
            "Warning: the register file is damaged; back it up and tell the commune coordinator.",
        );
        out.note(s);
    }
    Ok(())
}

pub fn reindex(ctx: &mut Ctx) -> Result<()> {
    let mut reg = ctx.open()?;
    let n = reg.rebuild_indexes()?;
    let s = match ctx.out.lang {
        Lang::Vi => format!("Đã dựng lại chỉ mục cho {n} hộ."),
        Lang::En => format!("Rebuilt the indexes of {n} households."),
    };
    ctx.out.line(s);
    Ok(())
}
