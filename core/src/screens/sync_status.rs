//! The sync status screen: what the last sync did, what is still waiting, what the hub refused
//! and why, as sentences in the volunteer's language (they were written in Kotlin and again in
//! Swift). Events are the sync's own results: the shell runs the sync and hands them over.

use serde::Serialize;

use super::view::{ActionView, Lang, NoticeLevel, tr};
use crate::error::Result;
use crate::register::Register;
use crate::sync::{Phase, Rejected, SessionOutcome, SyncError, SyncReport};

/// One household the hub refused, with the reason as a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusedView {
    pub household: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncStatusView {
    pub running: bool,
    /// The one sentence that sums it up; `severity` colours it.
    pub headline: String,
    pub severity: NoticeLevel,
    /// Further sentences (what was sent and received, what to do next).
    pub details: Vec<String>,
    pub pending: u32,
    pub pending_line: String,
    pub refused: Vec<RefusedView>,
    pub sync: ActionView,
    /// Whether an automatic sync should try again later (with its back-off): what is pending
    /// was not sent for a reason that may pass (no network, a hub error, a sync cut short). Not
    /// after a refusal a person must act on (revoked, not enrolled, another hub, an update).
    pub retry_later: bool,
}

/// What the shell reports.
pub enum SyncStatusEvent<'a> {
    Started,
    /// From the sync's [`crate::sync::Progress`] callback.
    Progress {
        phase: Phase,
        done: u64,
        total: u64,
    },
    Finished(&'a SyncReport),
    Failed(&'a SyncError),
}

enum Last {
    Never,
    Running(String),
    Done {
        headline: String,
        severity: NoticeLevel,
        details: Vec<String>,
        refused: Vec<RefusedView>,
        retry_later: bool,
    },
}

pub struct SyncStatusModel {
    lang: Lang,
    last: Last,
}

impl SyncStatusModel {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            last: Last::Never,
        }
    }

    pub fn handle(&mut self, reg: &Register, event: SyncStatusEvent<'_>) -> Result<SyncStatusView> {
        let lang = self.lang;
        self.last = match event {
            SyncStatusEvent::Started => Last::Running(tr(lang, "Đang đồng bộ…", "Syncing…")),
            SyncStatusEvent::Progress { phase, done, total } => {
                Last::Running(progress_sentence(phase, done, total, lang))
            }
            SyncStatusEvent::Finished(report) => {
                let (headline, severity) = outcome_sentence(report, lang);
                Last::Done {
                    headline,
                    severity,
                    details: report_details(report, lang),
                    refused: report.rejected.iter().map(|r| refused(r, lang)).collect(),
                    // Edits made during the sync, or a session the hub cut short; refused
                    // households wait for a person, not for another try.
                    retry_later: match report.outcome {
                        SessionOutcome::Success => reg.pending_count()? > 0,
                        SessionOutcome::Partial => false,
                        SessionOutcome::Cancelled | SessionOutcome::Failed => true,
                    },
                }
            }
            SyncStatusEvent::Failed(error) => Last::Done {
                headline: error_sentence(error, lang),
                severity: NoticeLevel::Error,
                details: vec![tr(
                    lang,
                    "Dữ liệu vẫn được giữ an toàn trên máy này.",
                    "Everything is still kept safely on this phone.",
                )],
                refused: Vec::new(),
                retry_later: worth_retrying(error),
            },
        };
        self.view(reg)
    }

    pub fn view(&self, reg: &Register) -> Result<SyncStatusView> {
        let lang = self.lang;
        let pending = reg.pending_count()?;
        let pending_line = match (pending, lang) {
            (0, _) => tr(
                lang,
                "Không còn gì chờ gửi.",
                "Nothing is waiting to be sent.",
            ),
            (n, Lang::Vi) => format!("{n} hộ đang chờ gửi lên máy chủ xã."),
            (1, Lang::En) => "1 household is waiting to be sent to the commune hub.".into(),
            (n, Lang::En) => format!("{n} households are waiting to be sent to the commune hub."),
        };
        let running = matches!(self.last, Last::Running(_));
        let (headline, severity, details, refused, retry_later) = match &self.last {
            Last::Never => (
                tr(lang, "Chưa đồng bộ lần nào.", "Not synced yet."),
                NoticeLevel::Info,
                Vec::new(),
                Vec::new(),
                false,
            ),
            Last::Running(line) => (
                line.clone(),
                NoticeLevel::Info,
                Vec::new(),
                Vec::new(),
                false,
            ),
            Last::Done {
                headline,
                severity,
                details,
                refused,
                retry_later,
            } => (
                headline.clone(),
                *severity,
                details.clone(),
                refused.clone(),
                *retry_later,
            ),
        };
        Ok(SyncStatusView {
            running,
            headline,
            severity,
            details,
            pending,
            pending_line,
            refused,
            sync: ActionView {
                id: "sync".into(),
                label: tr(lang, "Đồng bộ ngay", "Sync now"),
                enabled: !running,
            },
            retry_later,
        })
    }
}

/// `Đang gửi 3/10 hộ…` / `Sending 3 of 10 households…`.
/// How far a sync's phase is, 0 to 100, for a progress bar: 0 while the total is unknown.
pub fn progress_percent(done: u64, total: u64) -> u8 {
    (done.min(total).saturating_mul(100))
        .checked_div(total)
        .map_or(0, |p| p as u8)
}

fn progress_sentence(phase: Phase, done: u64, total: u64, lang: Lang) -> String {
    match (phase, lang) {
        (Phase::Preparing, _) => tr(lang, "Đang chuẩn bị…", "Preparing…"),
        (Phase::Sending, Lang::Vi) => format!("Đang gửi {done}/{total} hộ…"),
        (Phase::Sending, Lang::En) => format!("Sending {done} of {total} households…"),
        (Phase::Receiving, Lang::Vi) => format!("Đang nhận {done}/{total} hộ…"),
        (Phase::Receiving, Lang::En) => format!("Receiving {done} of {total} households…"),
        (Phase::Finishing | Phase::Done, _) => tr(lang, "Đang hoàn tất…", "Finishing…"),
    }
}

fn outcome_sentence(report: &SyncReport, lang: Lang) -> (String, NoticeLevel) {
    match report.outcome {
        SessionOutcome::Success => (
            tr(lang, "Đồng bộ xong.", "Sync complete."),
            NoticeLevel::Info,
        ),
        SessionOutcome::Partial => {
            let n = report.rejected.len();
            let text = match lang {
                Lang::Vi => format!("Đồng bộ xong, nhưng máy chủ xã từ chối {n} hộ."),
                Lang::En if n == 1 => {
                    "Sync finished, but the commune hub refused 1 household.".into()
                }
                Lang::En => format!("Sync finished, but the commune hub refused {n} households."),
            };
            (text, NoticeLevel::Warning)
        }
        SessionOutcome::Cancelled => (
            tr(lang, "Đã hủy đồng bộ.", "Sync cancelled."),
            NoticeLevel::Warning,
        ),
        SessionOutcome::Failed => (
            tr(lang, "Đồng bộ không thành công.", "The sync failed."),
            NoticeLevel::Error,
        ),
    }
}

/// What a sync did to this phone's households beyond sending and receiving (erasures, an area
/// narrowed, erasure requests filed or refused), one sentence each: the phone's sync screen and
/// the CLI say the same.
pub fn report_notes(report: &SyncReport, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if report.erased > 0 {
        out.push(match lang {
            Lang::Vi => format!("{} hộ đã được xoá theo yêu cầu xoá dữ liệu.", report.erased),
            Lang::En => format!("{} households were erased on request.", report.erased),
        });
    }
    if report.left_area > 0 {
        out.push(match lang {
            Lang::Vi => format!(
                "{} hộ không còn thuộc địa bàn của máy này và đã được xoá khỏi máy.",
                report.left_area
            ),
            Lang::En => format!(
                "{} households are no longer in this phone's area and were removed from it.",
                report.left_area
            ),
        });
    }
    if report.refilled > 0 {
        out.push(match lang {
            Lang::Vi => format!(
                "Máy chủ xã đã được khôi phục và thiếu {} hộ; máy này đã gửi lại các hộ đó.",
                report.refilled
            ),
            Lang::En => format!(
                "The commune hub was restored and lacked {} households; this phone sent them again.",
                report.refilled
            ),
        });
    }
    if report.bundles_delivered > 0 {
        out.push(match lang {
            Lang::Vi => format!(
                "Đã chuyển {} gói đồng bộ của máy khác lên máy chủ xã; trả lời của xã cần mang về cho các máy đó.",
                report.bundles_delivered
            ),
            Lang::En => format!(
                "Delivered {} other phones' sync bundles to the commune hub; carry the commune's answers back to those phones.",
                report.bundles_delivered
            ),
        });
    }
    if report.bundles_refused > 0 {
        out.push(match lang {
            Lang::Vi => format!(
                "Máy chủ xã từ chối {} gói đồng bộ mang hộ; các máy đó cần tạo gói mới.",
                report.bundles_refused
            ),
            Lang::En => format!(
                "The commune hub refused {} carried sync bundles; those phones must seal new ones.",
                report.bundles_refused
            ),
        });
    }
    if report.erasures_filed > 0 {
        out.push(match lang {
            Lang::Vi => format!(
                "Xã đã nhận {} yêu cầu xoá dữ liệu; cán bộ xã sẽ xem xét.",
                report.erasures_filed
            ),
            Lang::En => format!(
                "The commune received {} erasure requests; a commune officer will decide.",
                report.erasures_filed
            ),
        });
    }
    if let Some(line) = report
        .clock_skew_secs
        .and_then(|skew| clock_skew_sentence(skew, lang))
    {
        out.push(line);
    }
    if report.erasures_refused > 0 {
        out.push(match lang {
            Lang::Vi => format!(
                "Xã đã từ chối {} yêu cầu xoá dữ liệu; hỏi cán bộ xã lý do.",
                report.erasures_refused
            ),
            Lang::En => format!(
                "The commune refused {} erasure requests; ask the commune officer why.",
                report.erasures_refused
            ),
        });
    }
    out
}

/// A clock error beyond this is told: a few minutes of drift are normal between resyncs.
pub const CLOCK_SKEW_TOLERANCE_SECS: i64 = 5 * 60;

/// `3 ngày 2 giờ` / `3 days 2 hours`: a clock error, in its two largest units.
pub fn skew_duration(secs: i64, lang: Lang) -> String {
    // To the nearest minute: a clock 2 h 59 min 40 s ahead reads "3 hours".
    let s = (secs.unsigned_abs() + 30) / 60 * 60;
    let (d, h, m) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60);
    let parts: Vec<(u64, &str, &str)> = [
        (d, "ngày", "day"),
        (h, "giờ", "hour"),
        (m, "phút", "minute"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .take(2)
    .collect();
    parts
        .iter()
        .map(|(n, vi, en)| match lang {
            Lang::Vi => format!("{n} {vi}"),
            Lang::En => format!("{n} {en}{}", if *n == 1 { "" } else { "s" }),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the volunteer is told when the phone's clock is off by more than
/// [`CLOCK_SKEW_TOLERANCE_SECS`] (`skew` = phone minus hub): fix it, or dates come out wrong.
pub fn clock_skew_sentence(skew: i64, lang: Lang) -> Option<String> {
    if skew.abs() <= CLOCK_SKEW_TOLERANCE_SECS {
        return None;
    }
    let by = skew_duration(skew, lang);
    Some(match (lang, skew > 0) {
        (Lang::Vi, true) => format!(
            "Đồng hồ điện thoại đang nhanh {by} so với máy chủ xã. Hãy chỉnh ngày giờ của điện thoại (bật tự động) để ngày ghi nhận được đúng."
        ),
        (Lang::Vi, false) => format!(
            "Đồng hồ điện thoại đang chậm {by} so với máy chủ xã. Hãy chỉnh ngày giờ của điện thoại (bật tự động) để ngày ghi nhận được đúng."
        ),
        (Lang::En, true) => format!(
            "This phone's clock is {by} ahead of the commune hub. Set the phone's date and time (automatic) so that dates are recorded right."
        ),
        (Lang::En, false) => format!(
            "This phone's clock is {by} behind the commune hub. Set the phone's date and time (automatic) so that dates are recorded right."
        ),
    })
}

fn report_details(report: &SyncReport, lang: Lang) -> Vec<String> {
    let mut out = vec![match lang {
        Lang::Vi => format!(
            "Đã gửi {} hộ, đã nhận {} hộ thay đổi.",
            report.pushed, report.pulled
        ),
        Lang::En => format!(
            "Sent {} households, received {} changed.",
            report.pushed, report.pulled
        ),
    }];
    out.extend(report_notes(report, lang));
    if !report.rejected.is_empty() {
        out.push(tr(
            lang,
            "Các hộ bị từ chối vẫn ở trên máy; sửa theo lý do rồi đồng bộ lại.",
            "Refused households stay on this phone; fix them as the reason says, then sync again.",
        ));
    }
    out
}

/// A refusal's reason as a sentence: known codes in our words, anything else in the hub's.
fn refused(r: &Rejected, lang: Lang) -> RefusedView {
    let reason = match r.code.as_str() {
        "outside_area" => tr(
            lang,
            "Hộ này không thuộc địa bàn của máy này.",
            "This household is not in this phone's area.",
        ),
        "bad_epoch" | "missing_deps" => tr(
            lang,
            "Máy chủ cần gửi lại toàn bộ hộ; đồng bộ lại.",
            "The hub needs the whole household again; sync again.",
        ),
        "internal" => tr(
            lang,
            "Máy chủ xã gặp lỗi; thử lại sau.",
            "The commune hub had an error; try again later.",
        ),
        "corrupt" | "wrong_id" | "bad_id" | "duplicate" => tr(
            lang,
            "Dữ liệu hộ trên máy này bị hỏng; báo cán bộ xã.",
            "This household's data is damaged on this phone; tell the commune officer.",
        ),
        _ => tr(lang, &r.message_vi, &r.message_en),
    };
    RefusedView {
        household: r.doc_id.clone(),
        reason,
    }
}

/// A failed sync as a sentence that says what to do.
/// Whether a failed sync may succeed later by itself (the network, the hub, a cut): the rest
/// need a person (a new pairing, an update, the commune officer, the phone's storage).
pub fn worth_retrying(error: &SyncError) -> bool {
    matches!(
        error,
        SyncError::Network(_)
            | SyncError::Interrupted(_)
            | SyncError::Protocol(_)
            | SyncError::Hub(_)
            | SyncError::Cancelled
    )
}

pub fn error_sentence(error: &SyncError, lang: Lang) -> String {
    let (vi, en) = match error {
        SyncError::Network(_) | SyncError::Interrupted(_) => (
            "Không kết nối được máy chủ xã. Thử lại khi có sóng hoặc Wi-Fi.",
            "Cannot reach the commune hub. Try again with signal or Wi-Fi.",
        ),
        SyncError::NotEnrolled => (
            "Máy này chưa được ghép với máy chủ xã. Quét mã ghép của xã.",
            "This phone is not enrolled with a commune hub. Scan the commune's pairing code.",
        ),
        SyncError::Revoked => (
            "Xã đã thu hồi máy này: dữ liệu của xã trên máy đã được xoá. Liên hệ cán bộ xã để ghép lại.",
            "The commune withdrew this phone: the commune's data on it was erased. Contact the commune officer to pair it again.",
        ),
        SyncError::Paused => (
            "Xã đang tạm dừng máy này: chưa đồng bộ được, dữ liệu trên máy vẫn giữ nguyên. Hỏi cán bộ xã khi nào mở lại.",
            "The commune has paused this phone: it cannot sync for now, and its data stays on it. Ask the commune officer when it resumes.",
        ),
        SyncError::Unauthorized(_) => (
            "Máy chủ xã không nhận máy này. Liên hệ cán bộ xã.",
            "The commune hub does not accept this phone. Contact the commune officer.",
        ),
        SyncError::PairingInvalid => (
            "Mã ghép không hợp lệ, đã dùng hoặc hết hạn. Xin mã mới.",
            "The pairing code is invalid, used or expired. Ask for a new one.",
        ),
        SyncError::Mismatch(_) => (
            "Mã ghép không khớp với sổ trên máy này.",
            "The pairing code does not match the register on this phone.",
        ),
        SyncError::HubChanged => (
            "Máy chủ ở địa chỉ này không phải máy chủ xã đã ghép; máy này không gửi dữ liệu cho nó. Xin cán bộ xã mã ghép mới.",
            "The hub at this address is not the commune hub this phone enrolled with; nothing was sent to it. Ask the commune officer for a new pairing code.",
        ),
        SyncError::ProtocolVersion => (
            "Cần cập nhật ứng dụng để đồng bộ.",
            "Update the app to sync.",
        ),
        SyncError::Protocol(_) | SyncError::Hub(_) => (
            "Máy chủ xã trả lời không đúng. Thử lại sau.",
            "The commune hub answered wrongly. Try again later.",
        ),
        SyncError::Cancelled => ("Đã hủy đồng bộ.", "Sync cancelled."),
        SyncError::CertificateMismatch => (
            "Chứng chỉ máy chủ không đúng: có thể không phải máy chủ xã. Không đồng bộ; báo cán bộ xã.",
            "The hub's certificate is wrong: it may not be the commune's hub. Do not sync; tell the commune officer.",
        ),
        SyncError::BadHubAddress => (
            "Địa chỉ máy chủ xã phải bắt đầu bằng http:// hoặc https://. Quét lại mã ghép.",
            "The hub address must start with http:// or https://. Scan the pairing code again.",
        ),
        SyncError::BadPin => (
            "Mã ghim chứng chỉ trong mã ghép không đúng dạng. Xin mã ghép mới.",
            "The certificate pin in the pairing code is malformed. Ask for a new pairing code.",
        ),
        SyncError::Bundle(e) => {
            let (vi, en) = e.messages();
            return tr(lang, &vi, &en);
        }
        SyncError::Core(_) => (
            "Lỗi sổ trên máy này khi đồng bộ.",
            "The register on this phone failed during the sync.",
        ),
    };
    tr(lang, vi, en)
}
