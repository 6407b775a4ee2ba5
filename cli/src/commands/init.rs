//! `gocua init`: a register belongs to one volunteer in one commune, on one device.

use gocua_core::Register;
use gocua_core::catalog::admin_units;
use gocua_core::model::VolunteerId;

use super::Ctx;
use crate::error::{CliError, Result};

pub fn run(ctx: &mut Ctx, volunteer: &str, commune: &str) -> Result<()> {
    if ctx.db.exists() {
        let p = ctx.db.display();
        return Err(CliError::failed(
            format!("đã có sổ ở '{p}'; không tạo đè. Chọn tệp khác bằng --db."),
            format!(
                "a register already exists at '{p}'; it is not overwritten. Choose another file with --db."
            ),
        ));
    }
    let commune = commune.trim();
    let keys = ctx.keys()?;
    let reg = Register::create_encrypted(
        &ctx.db,
        VolunteerId(volunteer.trim().to_owned()),
        commune,
        &keys,
    )?;
    let id = reg.identity();
    let unit = admin_units::commune(&id.commune_code);
    let province = unit
        .and_then(|u| u.province_code.as_deref())
        .and_then(admin_units::province);
    let name =
        |u: Option<&admin_units::AdminUnit>| u.map(|u| u.full_name.clone()).unwrap_or_default();
    let line = match ctx.out.lang {
        crate::lang::Lang::Vi => format!(
            "Đã tạo sổ '{}': tình nguyện viên {}, {} ({}), {}, thiết bị {}.",
            ctx.db.display(),
            id.volunteer,
            name(unit),
            id.commune_code,
            name(province),
            id.device
        ),
        crate::lang::Lang::En => format!(
            "Created register '{}': volunteer {}, {} ({}), {}, device {}.",
            ctx.db.display(),
            id.volunteer,
            name(unit),
            id.commune_code,
            name(province),
            id.device
        ),
    };
    ctx.out.line(line);
    Ok(())
}
