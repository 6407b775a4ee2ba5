//! Enrolling a phone with its commune hub. The pairing payload is the coordinator's QR text,
//! `GOCUA-PAIR:1:<code>:<hub url>` (as the dashboard writes it), or a link any camera app opens,
//! `gocua://pair?hub=<url, percent-encoded>&code=<code>&pin=<sha-256 hex>&commune=<5 digits>`,
//! whose `pin` (the hub certificate's SHA-256) and `commune` are optional. The commune is also
//! searched in the core's catalog. The model does no network I/O: once nothing is missing,
//! `ready` holds what the shell hands to the sync module's `enrol`.

use super::common::{Field, action, notice, option};
use super::sync_status::error_sentence;
use super::view::{ActionView, FieldView, Lang, Notice, NoticeLevel, tr};
use crate::catalog::admin_units;
use crate::sync::SyncError;
use crate::sync::wire::AreaInfo;
use crate::text::nfc;

const QR_PREFIX: &str = "GOCUA-PAIR:1:";
const LINK_PREFIX: &str = "gocua://pair?";
/// Communes offered for a search.
const COMMUNE_OPTIONS: usize = 10;

/// What a pairing payload carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    pub hub_url: String,
    pub code: String,
    /// SHA-256 of the hub's certificate, 64 lowercase hex digits.
    pub pin_sha256: Option<String>,
    pub commune_code: Option<String>,
}

/// Everything `sync::enrol` needs, with the register's identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolRequest {
    pub pairing: Pairing,
    pub commune_code: String,
    pub volunteer_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrolEvent {
    /// What was typed or pasted into a field of the view: `pairing` (a pairing payload),
    /// `commune` (the commune search) or `volunteer`. Other keys change nothing.
    Set { key: String, value: String },
    /// A scanned QR text or an opened link.
    Payload(String),
    /// One of a field's options picked: `commune` (a commune the search found, by its code).
    /// Other keys change nothing.
    Choose { key: String, code: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolView {
    pub title: String,
    pub fields: Vec<FieldView>,
    /// What is still missing, one sentence each.
    pub missing: Vec<String>,
    pub actions: Vec<ActionView>,
    pub notices: Vec<Notice>,
    pub ready: Option<EnrolRequest>,
    /// True once the hub accepted this phone: the shell goes on to the area.
    pub enrolled: bool,
}

#[derive(Default)]
pub struct EnrolModel {
    lang: Lang,
    payload: String,
    payload_error: Option<Notice>,
    pairing: Option<Pairing>,
    commune_query: String,
    commune: Option<String>,
    volunteer: String,
    /// What the hub answered to the last attempt.
    outcome: Option<Notice>,
    enrolled: bool,
}

/// Why a payload was refused: a sentence for the pairing field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadError {
    NotAPairing,
    BadHubUrl,
    MissingCode,
    /// A code with a space or line break inside: the hub never writes one in a QR or link.
    BadCode,
    BadPin,
    BadCommune,
}

impl PayloadError {
    pub fn text(self, lang: Lang) -> String {
        let (vi, en) = match self {
            PayloadError::NotAPairing => (
                "Đây không phải mã ghép của gocua. Hãy quét mã QR trên trang của cán bộ xã.",
                "This is not a gocua pairing code. Scan the QR code on the coordinator's page.",
            ),
            PayloadError::BadHubUrl => (
                "Địa chỉ máy chủ xã trong mã ghép không hợp lệ.",
                "The hub address in the pairing code is not valid.",
            ),
            PayloadError::MissingCode => {
                ("Mã ghép thiếu mã số ghép.", "The pairing code has no code.")
            }
            PayloadError::BadCode => (
                "Mã số ghép không hợp lệ (có khoảng trắng).",
                "The pairing code's code is not valid (it holds a space).",
            ),
            PayloadError::BadPin => (
                "Mã ghim chứng chỉ phải gồm 64 chữ số hệ 16.",
                "The certificate pin must be 64 hexadecimal digits.",
            ),
            PayloadError::BadCommune => (
                "Mã xã trong mã ghép không có trong danh mục.",
                "The commune code in the pairing code is not in the catalog.",
            ),
        };
        tr(lang, vi, en)
    }
}

/// Parses a pairing payload (QR text or `gocua://pair?` link).
pub fn parse_pairing(text: &str) -> Result<Pairing, PayloadError> {
    let s = text.trim();
    let pairing = if let Some(rest) = s.strip_prefix(QR_PREFIX) {
        let (code, url) = rest.split_once(':').ok_or(PayloadError::MissingCode)?;
        Pairing {
            hub_url: url.to_owned(),
            code: code.to_owned(),
            pin_sha256: None,
            commune_code: None,
        }
    } else if let Some(query) = s
        .get(..LINK_PREFIX.len())
        .filter(|p| p.eq_ignore_ascii_case(LINK_PREFIX))
        .map(|_| &s[LINK_PREFIX.len()..])
    {
        // A URI's scheme and host are case-insensitive: a camera app may send `GOCUA://PAIR?`.
        let mut p = Pairing {
            hub_url: String::new(),
            code: String::new(),
            pin_sha256: None,
            commune_code: None,
        };
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = percent_decode(v).ok_or(PayloadError::NotAPairing)?;
            match k {
                "hub" => p.hub_url = v,
                "code" => p.code = v,
                "pin" => p.pin_sha256 = Some(v.to_ascii_lowercase()).filter(|v| !v.is_empty()),
                "commune" => p.commune_code = Some(v).filter(|v| !v.is_empty()),
                _ => {}
            }
        }
        p
    } else {
        return Err(PayloadError::NotAPairing);
    };
    let url_ok = (pairing.hub_url.starts_with("https://")
        || pairing.hub_url.starts_with("http://"))
        && pairing.hub_url.len() > "https://".len()
        && !pairing.hub_url.chars().any(char::is_whitespace);
    if !url_ok {
        return Err(PayloadError::BadHubUrl);
    }
    if pairing.code.trim().is_empty() {
        return Err(PayloadError::MissingCode);
    }
    if pairing.code.trim().chars().any(char::is_whitespace) {
        return Err(PayloadError::BadCode);
    }
    if pairing
        .pin_sha256
        .as_ref()
        .is_some_and(|p| p.len() != 64 || !p.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(PayloadError::BadPin);
    }
    if pairing
        .commune_code
        .as_deref()
        .is_some_and(|c| admin_units::commune(c).is_none())
    {
        return Err(PayloadError::BadCommune);
    }
    Ok(pairing)
}

/// `%XX` and `+` decoding of a query value; `None` when it is not valid UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The warning for a hub reached over plain HTTP on another machine without a pinned
/// certificate: names, ID numbers and phones would cross the network readable. A hub on this
/// machine (`localhost`, `127.x`, `[::1]`) is not warned about.
pub fn plain_http_warning(hub_url: &str, pinned: bool, lang: Lang) -> Option<Notice> {
    let rest = hub_url.trim().strip_prefix("http://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let name = if host.starts_with('[') {
        host.split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or("").to_owned()
    };
    let loopback =
        name.eq_ignore_ascii_case("localhost") || name.starts_with("127.") || name == "[::1]";
    (!pinned && !loopback).then(|| {
        notice(
            "no_tls",
            NoticeLevel::Warning,
            lang,
            "Máy chủ xã không dùng kết nối mã hoá (http): thông tin của người dân sẽ đi qua mạng mà không được bảo vệ. Hãy dùng địa chỉ https của cán bộ xã.",
            "The hub does not use an encrypted connection (http): people's data would cross the network unprotected. Use the coordinator's https address.",
        )
    })
}

impl EnrolModel {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            ..Self::default()
        }
    }

    pub fn handle(&mut self, event: EnrolEvent) -> EnrolView {
        if !self.enrolled {
            self.outcome = None;
        }
        match event {
            EnrolEvent::Set { key, value } => match key.as_str() {
                "pairing" => self.take_payload(&value),
                "commune" => self.commune_query = value,
                "volunteer" => self.volunteer = nfc(value.trim()),
                _ => {}
            },
            EnrolEvent::Payload(text) => self.take_payload(&text),
            EnrolEvent::Choose { key, code } => {
                if key == "commune" && admin_units::commune(&code).is_some() {
                    self.commune = Some(code);
                }
            }
        }
        self.view()
    }

    fn take_payload(&mut self, text: &str) {
        self.payload = text.trim().to_owned();
        match parse_pairing(text) {
            Ok(p) => {
                if let Some(c) = &p.commune_code {
                    self.commune = Some(c.clone());
                }
                self.pairing = Some(p);
                self.payload_error = None;
            }
            Err(e) => {
                self.pairing = None;
                self.payload_error = Some(notice(
                    "pairing_invalid",
                    NoticeLevel::Error,
                    self.lang,
                    &e.text(Lang::Vi),
                    &e.text(Lang::En),
                ));
            }
        }
    }

    /// The hub accepted this phone into `area`.
    pub fn enrolled(&mut self, area: &AreaInfo) -> EnrolView {
        let n = area.hamlets.len();
        let (vi, en) = (
            format!("Đã ghép máy. Địa bàn: {} ({n} thôn/tổ).", area.name),
            format!(
                "Enrolled. Area: {} ({n} {}).",
                area.name,
                if n == 1 { "hamlet" } else { "hamlets" }
            ),
        );
        self.outcome = Some(notice("enrolled", NoticeLevel::Info, self.lang, &vi, &en));
        self.enrolled = true;
        self.view()
    }

    /// The enrolment failed: what happened and what to do, never the raw error.
    pub fn failed(&mut self, error: &SyncError) -> EnrolView {
        let text = error_sentence(error, self.lang);
        self.outcome = Some(Notice {
            code: "enrol_failed".into(),
            severity: NoticeLevel::Error,
            text,
        });
        self.view()
    }

    pub fn view(&self) -> EnrolView {
        let lang = self.lang;
        let volunteer_ok = !self.volunteer.is_empty()
            && self
                .volunteer
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let mut missing = Vec::new();
        if self.pairing.is_none() {
            missing.push(tr(
                lang,
                "Quét mã QR ghép hoặc mở đường dẫn ghép của cán bộ xã.",
                "Scan the pairing QR code or open the coordinator's pairing link.",
            ));
        }
        if self.commune.is_none() {
            missing.push(tr(
                lang,
                "Chọn xã/phường nơi tổ làm việc.",
                "Choose the commune the team works in.",
            ));
        }
        if !volunteer_ok {
            missing.push(tr(
                lang,
                "Nhập mã tình nguyện viên (chữ không dấu, số, '-' và '_').",
                "Type the volunteer id (unaccented letters, digits, '-' and '_').",
            ));
        }
        let commune_options = admin_units::search(&self.commune_query, COMMUNE_OPTIONS * 2)
            .into_iter()
            .filter(|u| !u.kind.is_province_level())
            .take(COMMUNE_OPTIONS)
            .map(|u| {
                let province = u.province_code.as_deref().and_then(admin_units::province);
                let label = match province {
                    Some(p) => format!("{}, {}", u.full_name, p.name),
                    None => u.full_name.clone(),
                };
                option(
                    &u.code,
                    &label,
                    self.commune.as_deref() == Some(u.code.as_str()),
                )
            })
            .collect();
        let commune_label = self
            .commune
            .as_deref()
            .and_then(admin_units::commune)
            .map(|u| u.full_name.clone())
            .unwrap_or_default();
        let field = |key, vi, en, value: String| Field {
            key,
            label: tr(lang, vi, en),
            value,
            hint: String::new(),
            required: true,
        };
        let pairing = FieldView {
            paste: true,
            ..field("pairing", "Mã ghép", "Pairing code", self.payload.clone())
                .view(self.payload_error.clone().into_iter().collect())
        };
        let fields = vec![
            pairing,
            field("commune", "Xã/phường", "Commune", commune_label)
                .view(Vec::new())
                .search(commune_options),
            field(
                "volunteer",
                "Mã tình nguyện viên",
                "Volunteer id",
                self.volunteer.clone(),
            )
            .view(Vec::new()),
        ];
        let ready = match (&self.pairing, &self.commune) {
            (Some(p), Some(c)) if volunteer_ok => Some(EnrolRequest {
                pairing: p.clone(),
                commune_code: c.clone(),
                volunteer_id: self.volunteer.clone(),
            }),
            _ => None,
        };
        let notices = self
            .pairing
            .as_ref()
            .and_then(|p| plain_http_warning(&p.hub_url, p.pin_sha256.is_some(), lang))
            .into_iter()
            .chain(self.outcome.clone())
            .collect();
        EnrolView {
            title: tr(lang, "Ghép máy với xã", "Enrol this phone"),
            fields,
            missing,
            actions: vec![action(
                "enrol",
                lang,
                "Ghép máy",
                "Enrol",
                ready.is_some() && !self.enrolled,
            )],
            notices,
            ready,
            enrolled: self.enrolled,
        }
    }
}
