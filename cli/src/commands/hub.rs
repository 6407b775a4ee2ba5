//! `gocua enrol` and `gocua sync`: the register and the commune hub (docs/sync-protocol.md).
//!
//! The sync itself is the core's (`gocua_core::sync`), exactly as on the phones; this module
//! only draws its progress and says in words what it did. A sync that did not finish (network,
//! hub refusal, some households refused) exits with 1: nothing is lost, the next `gocua sync`
//! finishes the work.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use gocua_core::sync::{
    self, NoProgress, Phase, Progress, SessionOutcome, SyncError, SyncOptions, TlsOptions,
};
use serde_json::json;

use super::Ctx;
use crate::error::{CliError, Result};
use crate::lang::Lang;
use crate::output::local_time;

/// A sync error in the volunteer's words, with what to do about it.
pub fn sync_error(e: SyncError) -> CliError {
    match e {
        SyncError::Core(e) => CliError::Core(e),
        SyncError::Network(detail) | SyncError::Interrupted(detail) => {
            // The detail is the transport's technical text (English): the known ones translated.
            let vi = match detail.as_str() {
                "connection failed" => "không mở được kết nối",
                "timeout" => "hết thời gian chờ",
                other => other,
            };
            CliError::failed(
                format!(
                    "không kết nối được máy chủ xã ({vi}). Kiểm tra sóng/mạng và địa chỉ máy chủ rồi thử lại; chưa mất gì."
                ),
                format!(
                    "cannot reach the commune hub ({detail}). Check the signal or network and the hub address, then try again; nothing is lost."
                ),
            )
        }
        SyncError::NotEnrolled => CliError::failed(
            "sổ này chưa được ghép với máy chủ xã. Xin mã ghép từ cán bộ xã rồi chạy: gocua enrol ĐỊA_CHỈ_MÁY_CHỦ MÃ_GHÉP",
            "this register is not enrolled with a commune hub. Ask the commune coordinator for a pairing code, then run: gocua enrol HUB_URL CODE",
        ),
        SyncError::Revoked => CliError::failed(
            "thiết bị này đã bị xã thu hồi: dữ liệu của xã trong sổ này đã được xoá. Liên hệ cán bộ xã để ghép lại.",
            "this device was revoked by the commune: the commune's data in this register was erased. Contact the commune coordinator to enrol again.",
        ),
        SyncError::Unauthorized(_) => CliError::failed(
            "máy chủ xã không nhận thiết bị này. Xin mã ghép mới từ cán bộ xã và ghép lại: gocua enrol",
            "the commune hub does not know this device. Ask the coordinator for a new pairing code and enrol again: gocua enrol",
        ),
        SyncError::PairingInvalid => CliError::failed(
            "mã ghép không đúng, đã được dùng hoặc đã hết hạn. Xin mã mới từ cán bộ xã.",
            "the pairing code is wrong, already used or expired. Ask the coordinator for a new one.",
        ),
        SyncError::Mismatch(detail) => CliError::failed(
            format!(
                "mã ghép không dùng được cho sổ này: cấp cho tình nguyện viên hoặc xã khác, hoặc thiết bị đã được ghép ({detail})."
            ),
            format!(
                "the pairing code cannot be used for this register: issued for another volunteer or commune, or this device is already enrolled ({detail})."
            ),
        ),
        SyncError::ProtocolVersion => CliError::failed(
            "máy chủ xã dùng phiên bản giao thức khác; hãy cập nhật gocua.",
            "the commune hub speaks another protocol version; update gocua.",
        ),
        SyncError::Protocol(detail) => CliError::failed(
            format!("máy chủ xã trả lời không hợp lệ ({detail}); chưa mất gì, thử lại sau."),
            format!(
                "the commune hub sent an invalid answer ({detail}); nothing is lost, try again later."
            ),
        ),
        SyncError::Hub(detail) => CliError::failed(
            format!("máy chủ xã báo lỗi ({detail}); chưa mất gì, thử lại sau."),
            format!(
                "the commune hub reported an error ({detail}); nothing is lost, try again later."
            ),
        ),
        SyncError::Cancelled => CliError::failed(
            "đã hủy đồng bộ; phần đã lưu vẫn còn, chạy lại để đồng bộ nốt.",
            "sync cancelled; what was stored stays stored, run again to finish.",
        ),
        SyncError::CertificateMismatch => CliError::failed(
            "chứng chỉ của máy chủ không khớp mã ghim (--pin); có thể không phải máy chủ xã. Không gửi gì. Hỏi cán bộ xã mã ghim đúng.",
            "the hub's certificate does not match the pin (--pin); it may not be the commune hub. Nothing was sent. Ask the coordinator for the right pin.",
        ),
        SyncError::Bundle(b) => {
            let (vi, en) = b.messages();
            CliError::failed(vi, en)
        }
        // A variant added to the core later: its own (bilingual) text.
        #[allow(unreachable_patterns)]
        other => CliError::failed(other.to_string(), other.to_string()),
    }
}

pub fn enrol(ctx: &mut Ctx, hub_url: &str, code: &str, pin: Option<String>) -> Result<()> {
    let mut reg = ctx.open()?;
    let tls = TlsOptions {
        pin_sha256: pin.map(|p| p.trim().to_owned()),
        extra_root_pem: None,
    };
    if let Some(warning) = gocua_core::screens::enrol::plain_http_warning(
        hub_url,
        tls.pin_sha256.is_some(),
        ctx.out.lang.screens(),
    ) {
        ctx.out.note(warning.text);
    }
    let e = sync::enrol(&mut reg, hub_url.trim(), code, &tls).map_err(sync_error)?;
    let hamlets: Vec<String> = e
        .area
        .hamlets
        .iter()
        .map(|h| format!("{} ({})", h.name, h.id))
        .collect();
    if ctx.out.json {
        ctx.out.json_value(&json!({
            "enrolled": true,
            "hub_id": e.hub_id,
            "device_id": e.device_id,
            "area": e.area,
        }));
        return Ok(());
    }
    let lines = match ctx.out.lang {
        Lang::Vi => vec![
            format!(
                "Đã ghép với máy chủ xã {} (thiết bị {}).",
                e.hub_id, e.device_id
            ),
            format!(
                "Địa bàn: {} ({}), thôn: {}",
                e.area.name,
                e.area.area_id,
                hamlets.join(", ")
            ),
            "Đồng bộ bằng: gocua sync".to_owned(),
        ],
        Lang::En => vec![
            format!(
                "Enrolled with commune hub {} (device {}).",
                e.hub_id, e.device_id
            ),
            format!(
                "Area: {} ({}), hamlets: {}",
                e.area.name,
                e.area.area_id,
                hamlets.join(", ")
            ),
            "Sync with: gocua sync".to_owned(),
        ],
    };
    for l in lines {
        ctx.out.line(l);
    }
    Ok(())
}

fn phase_label(phase: Phase, lang: Lang) -> &'static str {
    match phase {
        Phase::Preparing => lang.pick("Chuẩn bị", "Preparing"),
        Phase::Sending => lang.pick("Đang gửi", "Sending"),
        Phase::Receiving => lang.pick("Đang nhận", "Receiving"),
        Phase::Finishing => lang.pick("Hoàn tất", "Finishing"),
        Phase::Done => lang.pick("Xong", "Done"),
    }
}

/// One line of the progress bar: `Đang gửi [#########...........]  45/100`.
pub fn bar_line(phase: Phase, done: u64, total: u64, lang: Lang) -> String {
    const WIDTH: u64 = 20;
    let label = phase_label(phase, lang);
    if total == 0 {
        return format!("{label:<10} [{}]", "-".repeat(WIDTH as usize));
    }
    let done = done.min(total);
    let filled = (done * WIDTH / total) as usize;
    format!(
        "{label:<10} [{}{}] {done:>5}/{total}",
        "#".repeat(filled),
        ".".repeat(WIDTH as usize - filled)
    )
}

/// Draws progress on stderr as it happens (the rest of the output is written at the end). On a
/// terminal the bar is redrawn in place; otherwise one line per phase, so logs stay short.
struct Bar {
    lang: Lang,
    tty: bool,
    last: Mutex<Option<(Phase, String)>>,
}

impl Bar {
    fn draw(&self, phase: Phase, done: u64, total: u64) {
        let line = bar_line(phase, done, total, self.lang);
        let Ok(mut last) = self.last.lock() else {
            return;
        };
        let mut err = std::io::stderr().lock();
        if self.tty {
            if last.as_ref().is_some_and(|(_, l)| *l == line) {
                return;
            }
            let _ = write!(err, "\r{line:<48}");
            if phase == Phase::Done {
                let _ = writeln!(err);
            }
        } else {
            if last.as_ref().is_some_and(|(p, _)| *p == phase) && phase != Phase::Done {
                // Same phase: print only its end.
                if done < total {
                    return;
                }
            }
            if last.as_ref().is_some_and(|(_, l)| *l == line) {
                return;
            }
            let _ = writeln!(err, "{line}");
        }
        let _ = err.flush();
        *last = Some((phase, line));
    }

    /// Ends a bar left mid-line by a failed sync.
    fn end(&self) {
        if self.tty
            && let Ok(last) = self.last.lock()
            && last.as_ref().is_some_and(|(p, _)| *p != Phase::Done)
        {
            let _ = writeln!(std::io::stderr());
        }
    }
}

pub fn run(ctx: &mut Ctx, quiet: bool) -> Result<()> {
    let mut reg = ctx.open()?;
    let lang = ctx.out.lang;
    let bar = Bar {
        lang,
        tty: std::io::stderr().is_terminal(),
        last: Mutex::new(None),
    };
    let draw = |phase: Phase, done: u64, total: u64| bar.draw(phase, done, total);
    let progress: &dyn Progress = if quiet || ctx.out.json {
        &NoProgress
    } else {
        &draw
    };
    let options = SyncOptions {
        progress,
        ..SyncOptions::default()
    };
    let result = sync::sync(&mut reg, &options);
    bar.end();
    let report = result.map_err(sync_error)?;

    if ctx.out.json {
        ctx.out.json_value(&json!({
            "outcome": report.outcome,
            "session": report.session,
            "round_trips": report.round_trips,
            "bytes_up": report.bytes_up,
            "bytes_down": report.bytes_down,
            "sent": report.pushed,
            "received": report.pulled,
            "rejected": report.rejected,
            "pending_after": report.pending_after,
            "erased": report.erased,
            "left_area": report.left_area,
            "erasures_filed": report.erasures_filed,
            "erasures_refused": report.erasures_refused,
            "refilled": report.refilled,
            "bundles_delivered": report.bundles_delivered,
            "bundles_refused": report.bundles_refused,
        }));
    } else {
        let lines = match lang {
            Lang::Vi => vec![
                match report.outcome {
                    SessionOutcome::Success => "Đồng bộ xong.".to_owned(),
                    _ => "Đồng bộ xong một phần: có hộ bị máy chủ từ chối.".to_owned(),
                },
                format!(
                    "Đã gửi {} hộ, đã nhận {} hộ; {} lượt trao đổi, {} lên / {} xuống.",
                    report.pushed,
                    report.pulled,
                    report.round_trips,
                    size(report.bytes_up),
                    size(report.bytes_down)
                ),
                format!("Còn chờ đồng bộ: {} hộ.", report.pending_after),
            ],
            Lang::En => vec![
                match report.outcome {
                    SessionOutcome::Success => "Sync finished.".to_owned(),
                    _ => "Sync partly finished: the hub refused some households.".to_owned(),
                },
                format!(
                    "Sent {} households, received {}; {} round trips, {} up / {} down.",
                    report.pushed,
                    report.pulled,
                    report.round_trips,
                    size(report.bytes_up),
                    size(report.bytes_down)
                ),
                format!(
                    "Still waiting for sync: {} households.",
                    report.pending_after
                ),
            ],
        };
        let notes = gocua_core::screens::sync_status::report_notes(&report, lang.screens());
        for l in lines.into_iter().chain(notes) {
            ctx.out.line(l);
        }
        for r in &report.rejected {
            let line = format!(
                "{} {}: {} ({})",
                lang.pick("Bị từ chối: hộ", "Refused: household"),
                r.doc_id,
                lang.pick(&r.message_vi, &r.message_en),
                r.code
            );
            ctx.out.line(line);
        }
    }
    if report.outcome != SessionOutcome::Success {
        return Err(CliError::failed(
            format!(
                "{} hộ bị máy chủ từ chối, vẫn chờ đồng bộ; sửa theo lý do trên rồi chạy lại: gocua sync",
                report.rejected.len()
            ),
            format!(
                "{} households were refused by the hub and still wait for sync; fix them as the reasons say, then run again: gocua sync",
                report.rejected.len()
            ),
        ));
    }
    Ok(())
}

/// Bytes for people: `850 B`, `12.3 KB`, `4.1 MB`.
pub fn size(bytes: u64) -> String {
    if bytes < 1000 {
        format!("{bytes} B")
    } else if bytes < 1_000_000 {
        format!("{:.1} KB", bytes as f64 / 1000.0)
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    }
}

/// The sync lines of `gocua status`.
pub fn status_lines(status: Option<&sync::SyncStatus>, lang: Lang) -> Vec<String> {
    let Some(s) = status else {
        return vec![
            lang.pick(
                "Máy chủ xã: chưa ghép (gocua enrol ĐỊA_CHỈ MÃ_GHÉP)",
                "Commune hub: not enrolled (gocua enrol HUB_URL CODE)",
            )
            .to_owned(),
        ];
    };
    let never = lang.pick("chưa bao giờ", "never");
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(local_time);
    let mut lines = vec![
        format!(
            "{}: {} ({}), {} {}",
            lang.pick("Máy chủ xã", "Commune hub"),
            s.hub_url,
            s.hub_id,
            lang.pick("địa bàn", "area"),
            s.area.name
        ),
        format!(
            "{}: {}",
            lang.pick("Đồng bộ thành công lần cuối", "Last successful sync"),
            when(s.last_success_at).unwrap_or_else(|| never.to_owned())
        ),
    ];
    if let Some(err) = &s.last_error {
        lines.push(format!(
            "{}: {} ({})",
            lang.pick("Lần đồng bộ cuối chưa xong", "Last sync did not finish"),
            error_kind_text(err, lang),
            when(s.last_attempt_at).unwrap_or_default()
        ));
    }
    for r in &s.rejected {
        lines.push(format!(
            "{} {}: {} ({})",
            lang.pick("Bị từ chối: hộ", "Refused: household"),
            r.doc_id,
            lang.pick(&r.message_vi, &r.message_en),
            r.code
        ));
    }
    lines
}

/// The kind of the last sync error (as the core records it) in words.
pub fn error_kind_text(kind: &str, lang: Lang) -> &str {
    match kind {
        "network" => lang.pick("không kết nối được máy chủ", "could not reach the hub"),
        "partial" => lang.pick(
            "có hộ bị máy chủ từ chối",
            "the hub refused some households",
        ),
        "cancelled" => lang.pick("đã hủy", "cancelled"),
        "revoked" => lang.pick("thiết bị bị thu hồi", "device revoked"),
        "unauthorized" => lang.pick("máy chủ không nhận thiết bị", "device not recognised"),
        "certificate" => lang.pick("chứng chỉ máy chủ không khớp", "hub certificate mismatch"),
        "protocol_version" => lang.pick("cần cập nhật ứng dụng", "app update needed"),
        "protocol" | "hub" => lang.pick("lỗi ở máy chủ", "hub error"),
        "local" => lang.pick("lỗi trên máy này", "error on this device"),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_fills_in_proportion_and_never_overflows() {
        let l = bar_line(Phase::Sending, 5, 10, Lang::En);
        assert!(l.contains("[##########..........]"), "{l}");
        let l = bar_line(Phase::Sending, 50, 10, Lang::En);
        assert!(l.contains("[####################]"), "{l}");
        let l = bar_line(Phase::Preparing, 0, 0, Lang::Vi);
        assert!(l.starts_with("Chuẩn bị"), "{l}");
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(999), "999 B");
        assert_eq!(size(12_345), "12.3 KB");
    }
}
