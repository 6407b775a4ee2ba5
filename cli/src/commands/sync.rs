//! `gocua export` and `gocua import`: a household's whole document carried between devices as a
//! file (a USB stick, a Bluetooth transfer), merged without losing either side's edits.

use std::path::Path;

use super::{Ctx, household_id};
use crate::error::{CliError, Result};
use crate::lang::Lang;

/// Larger than any real household document; refuses to read a wrong file whole into memory.
const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

pub fn export(ctx: &mut Ctx, typed: &str, file: &Path) -> Result<()> {
    let mut reg = ctx.open()?;
    let hid = household_id(&reg, typed)?;
    let bytes = reg.export_document(&hid)?;
    std::fs::write(file, &bytes).map_err(|e| {
        CliError::failed(
            format!("không ghi được tệp '{}': {e}", file.display()),
            format!("could not write '{}': {e}", file.display()),
        )
    })?;
    let s = match ctx.out.lang {
        Lang::Vi => format!(
            "Đã xuất hộ {hid} ra '{}' ({} byte).",
            file.display(),
            bytes.len()
        ),
        Lang::En => format!(
            "Exported household {hid} to '{}' ({} bytes).",
            file.display(),
            bytes.len()
        ),
    };
    ctx.out.line(s);
    Ok(())
}

pub fn import(ctx: &mut Ctx, file: &Path) -> Result<()> {
    let unreadable = |e: std::io::Error| {
        CliError::failed(
            format!("không đọc được tệp '{}': {e}", file.display()),
            format!("could not read '{}': {e}", file.display()),
        )
    };
    let size = std::fs::metadata(file).map_err(unreadable)?.len();
    if size > MAX_DOCUMENT_BYTES {
        return Err(CliError::failed(
            format!("tệp '{}' quá lớn để là tài liệu hộ.", file.display()),
            format!(
                "'{}' is too large to be a household document.",
                file.display()
            ),
        ));
    }
    let bytes = std::fs::read(file).map_err(unreadable)?;
    let mut reg = ctx.open()?;
    let hid = reg.merge_document(&bytes)?;
    let conflicts = reg.conflicts(&hid)?.len();
    let s = match ctx.out.lang {
        Lang::Vi => format!("Đã hợp nhất hộ {hid}."),
        Lang::En => format!("Merged household {hid}."),
    };
    ctx.out.line(s);
    if conflicts > 0 {
        let s = match ctx.out.lang {
            Lang::Vi => format!(
                "Cảnh báo: hộ này có {conflicts} xung đột cần chọn; xem: gocua conflicts {hid}"
            ),
            Lang::En => format!(
                "Warning: this household has {conflicts} conflicts to settle; see: gocua conflicts {hid}"
            ),
        };
        ctx.out.note(s);
    }
    Ok(())
}
