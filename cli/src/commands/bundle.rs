//! `gocua bundle`: sync without coverage (docs/sync-protocol.md, "Sealed bundles"). A volunteer
//! seals the work the hub lacks into one file; whoever carries it (another phone of the commune,
//! a USB stick to the commune office) brings back the hub's answer, which `bundle open` applies.
//! The same `bundle open` takes other phones' files to carry; `gocua sync` delivers them, and
//! `bundle hand-over` writes their answers out.

use std::path::Path;

use gocua_core::bundle::MAX_BUNDLE_BYTES;
use gocua_core::screens::bundles::received_sentence;
use gocua_core::sync::bundle_file_name;
use serde_json::json;

use super::Ctx;
use super::hub::{size, sync_error};
use crate::error::{CliError, Result};
use crate::lang::Lang;
use crate::output::{error_text, local_time};

fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()).map(|()| f));
    match f.as_mut() {
        Ok(_) => Ok(()),
        Err(e) => Err(CliError::failed(
            format!("không ghi được tệp '{}': {e}", path.display()),
            format!("could not write '{}': {e}", path.display()),
        )),
    }
}

fn read_bundle(path: &Path) -> Result<Vec<u8>> {
    let unreadable = |e: std::io::Error| {
        CliError::failed(
            format!("không đọc được tệp '{}': {e}", path.display()),
            format!("could not read '{}': {e}", path.display()),
        )
    };
    let len = std::fs::metadata(path).map_err(unreadable)?.len();
    if len > MAX_BUNDLE_BYTES as u64 {
        return Err(CliError::failed(
            format!("tệp '{}' quá lớn để là gói đồng bộ.", path.display()),
            format!("'{}' is too large to be a sync bundle.", path.display()),
        ));
    }
    std::fs::read(path).map_err(unreadable)
}

/// `gocua bundle seal --dir DIR`
pub fn seal(ctx: &mut Ctx, dir: &Path) -> Result<()> {
    let mut reg = ctx.open()?;
    let sealed = reg.bundle_seal().map_err(sync_error)?;
    let name = bundle_file_name(&sealed.bytes).map_err(|e| sync_error(e.into()))?;
    let path = dir.join(name);
    write_new(&path, &sealed.bytes)?;
    if ctx.out.json {
        ctx.out.json_value(&json!({
            "file": path,
            "id": sealed.id,
            "households": sealed.households,
            "erase_requests": sealed.erase_requests,
            "bytes": sealed.bytes.len(),
        }));
        return Ok(());
    }
    let lang = ctx.out.lang;
    let lines = match lang {
        Lang::Vi => [
            format!(
                "Đã đóng gói {} hộ và {} yêu cầu xoá vào '{}' ({}).",
                sealed.households,
                sealed.erase_requests,
                path.display(),
                size(sealed.bytes.len() as u64)
            ),
            "Gói đã mã hoá cho máy chủ xã: ai mang cũng không đọc được. Các hộ vẫn chờ đồng bộ đến khi có trả lời của xã.".to_owned(),
        ],
        Lang::En => [
            format!(
                "Sealed {} households and {} erasure requests into '{}' ({}).",
                sealed.households,
                sealed.erase_requests,
                path.display(),
                size(sealed.bytes.len() as u64)
            ),
            "The bundle is encrypted to the commune hub: whoever carries it cannot read it. The households stay pending until the commune's answer comes back.".to_owned(),
        ],
    };
    for l in lines {
        ctx.out.line(l);
    }
    Ok(())
}

/// `gocua bundle open FILE...`: each file applied (an answer to this register) or kept to
/// carry. Every file is tried; the command fails if any was refused.
pub fn open(ctx: &mut Ctx, files: &[std::path::PathBuf]) -> Result<()> {
    let mut reg = ctx.open()?;
    let lang = ctx.out.lang;
    let mut refused = 0usize;
    let mut results = Vec::new();
    for file in files {
        let outcome =
            read_bundle(file).and_then(|bytes| reg.bundle_receive(&bytes).map_err(sync_error));
        // The sentences of the phones' bundles screen: one wording on every device.
        let line = match &outcome {
            Ok(r) => format!(
                "{}: {}",
                file.display(),
                received_sentence(r, lang.screens())
            ),
            Err(e) => {
                refused += 1;
                format!("{}: {}", file.display(), error_text(e, lang))
            }
        };
        results.push(json!({ "file": file, "result": line }));
        if !ctx.out.json {
            ctx.out.line(line);
        }
    }
    if ctx.out.json {
        ctx.out.json_value(&json!(results));
    }
    if refused > 0 {
        return Err(CliError::failed(
            format!("{refused} tệp không dùng được (lý do ở trên)."),
            format!("{refused} files could not be used (reasons above)."),
        ));
    }
    Ok(())
}

/// `gocua bundle list`
pub fn list(ctx: &mut Ctx) -> Result<()> {
    let reg = ctx.open()?;
    let sealed = reg.bundle_list().map_err(sync_error)?;
    let carried = reg.bundle_carried().map_err(sync_error)?;
    if ctx.out.json {
        ctx.out
            .json_value(&json!({ "sealed": sealed, "carried": carried }));
        return Ok(());
    }
    let lang = ctx.out.lang;
    ctx.out
        .line(lang.pick("Gói đã đóng trên máy này:", "Bundles sealed here:"));
    if sealed.is_empty() {
        ctx.out.line(lang.pick("  (chưa có)", "  (none)"));
    }
    for b in &sealed {
        let state = match (&b.answered_at, b.answered_via.as_deref()) {
            (Some(at), Some("bundle")) => format!(
                "{} {}",
                lang.pick("đã có trả lời", "answered"),
                local_time(*at)
            ),
            (Some(at), _) => format!(
                "{} {}",
                lang.pick("đã đồng bộ qua mạng", "settled by a sync"),
                local_time(*at)
            ),
            (None, _) => lang.pick("chờ trả lời", "awaiting its answer").to_owned(),
        };
        ctx.out.line(format!(
            "  {}  {}  {} {}  {}  {}",
            &b.id[..12],
            local_time(b.created_at),
            b.households,
            lang.pick("hộ", "households"),
            size(b.bytes),
            state
        ));
    }
    ctx.out
        .line(lang.pick("Gói mang hộ máy khác:", "Bundles carried for other phones:"));
    if carried.is_empty() {
        ctx.out.line(lang.pick("  (chưa có)", "  (none)"));
    }
    for c in &carried {
        let what = if c.to_hub {
            lang.pick("lên xã, từ máy", "to the hub, from")
        } else {
            lang.pick("trả lời cho máy", "answer for")
        };
        let state = match (&c.done_at, c.outcome.as_deref()) {
            (None, _) if c.to_hub => lang.pick("chờ đồng bộ", "awaiting a sync").to_owned(),
            (None, _) => lang.pick("chờ mang về", "to hand back").to_owned(),
            (Some(at), Some(outcome)) => format!("{outcome} {}", local_time(*at)),
            (Some(at), None) => local_time(*at),
        };
        ctx.out
            .line(format!("  {}  {what} {}  {}", &c.id[..12], c.device, state));
    }
    Ok(())
}

/// `gocua bundle hand-over --dir DIR [--device ID]`: the answers carried for other phones,
/// written as files (to share or copy to them) and then dropped here.
pub fn hand_over(ctx: &mut Ctx, dir: &Path, device: Option<&str>) -> Result<()> {
    let mut reg = ctx.open()?;
    let answers = reg.bundle_answers_to_hand(device).map_err(sync_error)?;
    let mut written = Vec::new();
    for (id, for_device, bytes) in answers {
        let name = bundle_file_name(&bytes).map_err(|e| sync_error(e.into()))?;
        let path = dir.join(name);
        write_new(&path, &bytes)?;
        reg.bundle_handed(&id).map_err(sync_error)?;
        written.push((path, for_device));
    }
    if ctx.out.json {
        let files: Vec<_> = written
            .iter()
            .map(|(p, d)| json!({ "file": p, "device": d }))
            .collect();
        ctx.out.json_value(&json!(files));
        return Ok(());
    }
    let lang = ctx.out.lang;
    if written.is_empty() {
        ctx.out.line(lang.pick(
            "Không có trả lời nào cần mang về.",
            "No answers to hand back.",
        ));
    }
    for (path, for_device) in written {
        ctx.out.line(match lang {
            Lang::Vi => format!("Trả lời cho máy {for_device}: '{}'", path.display()),
            Lang::En => format!("Answer for phone {for_device}: '{}'", path.display()),
        });
    }
    Ok(())
}

/// `gocua bundle phones [--refresh]`: the area's phones a household can be handed to.
pub fn phones(ctx: &mut Ctx, refresh: bool) -> Result<()> {
    let mut reg = ctx.open()?;
    if refresh {
        gocua_core::sync::refresh_peers(&mut reg).map_err(sync_error)?;
    }
    let peers = reg.bundle_peers().map_err(sync_error)?;
    if ctx.out.json {
        let list: Vec<_> = peers
            .iter()
            .map(|p| json!({ "device": p.device_id, "volunteer": p.volunteer_id }))
            .collect();
        ctx.out.json_value(&json!(list));
        return Ok(());
    }
    let lang = ctx.out.lang;
    if peers.is_empty() {
        ctx.out.line(lang.pick(
            "Chưa biết máy nào khác trong địa bàn: chạy gocua bundle phones --refresh khi có sóng.",
            "No other phone of the area known yet: run gocua bundle phones --refresh with coverage.",
        ));
    }
    for p in peers {
        ctx.out
            .line(format!("  {}  {}", p.device_id, p.volunteer_id));
    }
    Ok(())
}

/// `gocua bundle hand HOUSEHOLD --to DEVICE --dir DIR`: one household sealed for another phone
/// of the area, with this register's own bundle to the hub inside.
pub fn hand(ctx: &mut Ctx, typed: &str, to: &str, dir: &Path) -> Result<()> {
    let mut reg = ctx.open()?;
    let hid = super::household_id(&reg, typed)?;
    let sealed = reg.bundle_hand_over(&hid, to.trim()).map_err(sync_error)?;
    let name = bundle_file_name(&sealed.bytes).map_err(|e| sync_error(e.into()))?;
    let path = dir.join(name);
    write_new(&path, &sealed.bytes)?;
    if ctx.out.json {
        ctx.out
            .json_value(&json!({ "file": path, "household": hid.0, "to": to }));
        return Ok(());
    }
    let line = match ctx.out.lang {
        Lang::Vi => format!(
            "Đã đóng gói hộ {hid} cho máy {to} vào '{}': chỉ máy đó mở được. Máy đó sẽ chuyển phần việc của sổ này lên xã khi có sóng.",
            path.display()
        ),
        Lang::En => format!(
            "Sealed household {hid} for phone {to} into '{}': only that phone can open it. It delivers this register's work to the commune when it has coverage.",
            path.display()
        ),
    };
    ctx.out.line(line);
    Ok(())
}
