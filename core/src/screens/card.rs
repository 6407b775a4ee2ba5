//! The household card and take-home sheet: what the household keeps after the visit. The QR is
//! drawn here (SVG, and a module matrix for shells that draw it themselves) from the digital
//! address's card payload; then the address, the Plus Code, each member's progress and next
//! steps with the anti-scam cautions. No ID number and no phone appear anywhere on it.

use qrcode::{Color, EcLevel, QrCode, Version};
use serde::Serialize;

use super::checklist::{next_steps, progress};
use super::view::{Lang, tr};
use crate::digital_address::card_payload;
use crate::error::{Error, Result};
use crate::model::{Household, HouseholdId};
use crate::register::Register;

/// How many ready next steps a member's part of the sheet lists (a sheet, not a manual).
const NEXT_STEPS_SHOWN: usize = 3;

/// The QR in the forms a shell may want.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QrView {
    /// The text encoded: [`card_payload`].
    pub payload: String,
    /// The QR version (1 to 40); the matrix is `17 + 4 × version` modules a side.
    pub version: u32,
    /// Rows of modules, `true` = dark, without the quiet zone (leave 4 modules blank around).
    pub modules: Vec<Vec<bool>>,
    /// A standalone SVG document with its quiet zone.
    pub svg: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardMemberView {
    pub name: String,
    pub progress_line: String,
    pub next_steps: Vec<String>,
    /// The cautions of those next steps, each once.
    pub cautions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardView {
    pub title: String,
    pub address_line: String,
    pub plus_code: Option<String>,
    /// The official address code (`SCHEME:code`), when the commune has one.
    pub official_code: Option<String>,
    pub qr: QrView,
    pub members: Vec<CardMemberView>,
    /// Said to every household, whatever its progress.
    pub general_cautions: Vec<String>,
    /// The whole take-home sheet as plain text (to print or share as a message).
    pub text: String,
}

pub struct HouseholdCardModel {
    household: HouseholdId,
    lang: Lang,
}

impl HouseholdCardModel {
    pub fn new(household: HouseholdId, lang: Lang) -> Self {
        Self { household, lang }
    }

    pub fn view(&self, reg: &Register) -> Result<CardView> {
        let h = reg.household(&self.household)?;
        let hamlet = reg
            .hamlets(&h.area.commune_code)?
            .into_iter()
            .find(|x| x.id == h.area.hamlet_id)
            .map(|x| x.name);
        card_view(&h, hamlet.as_deref(), self.lang)
    }
}

/// The card of a household already read (the hamlet's name looked up by the caller).
pub fn card_view(h: &Household, hamlet: Option<&str>, lang: Lang) -> Result<CardView> {
    let plus_code = h.digital_address.plus_code.clone();
    let qr = qr_view(card_payload(&h.id, plus_code.as_deref()))?;
    let address_line = [
        h.address.house_number.as_deref(),
        h.address.alley.as_deref(),
        h.address.street.as_deref(),
        hamlet,
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let members: Vec<CardMemberView> = h
        .current_members()
        .map(|m| {
            let steps: Vec<_> = next_steps(m, lang)
                .into_iter()
                .filter(|s| s.ready)
                .take(NEXT_STEPS_SHOWN)
                .collect();
            let mut cautions: Vec<String> = Vec::new();
            for c in steps.iter().flat_map(|s| s.cautions.iter()) {
                if !cautions.contains(c) {
                    cautions.push(c.clone());
                }
            }
            CardMemberView {
                name: m.full_name.clone(),
                progress_line: progress(m, lang).line,
                next_steps: steps.into_iter().map(|s| s.label).collect(),
                cautions,
            }
        })
        .collect();
    let general_cautions = vec![
        tr(
            lang,
            "Không bao giờ đọc mã OTP, mật khẩu hay mã PIN cho bất kỳ ai, kể cả người xưng là công an, cán bộ hay nhân viên ngân hàng.",
            "Never tell anyone an OTP, password or PIN, even someone who says they are police, an official or bank staff.",
        ),
        tr(
            lang,
            "Cơ quan nhà nước không gọi điện yêu cầu chuyển tiền hay cài ứng dụng lạ.",
            "Government offices never call asking you to transfer money or install an unknown app.",
        ),
        tr(
            lang,
            "Chỉ cài ứng dụng từ CH Play hoặc App Store; không bấm vào đường link lạ.",
            "Install apps only from Google Play or the App Store; do not tap unknown links.",
        ),
    ];
    let title = tr(lang, "Thẻ hộ gia đình", "Household card");
    let official_code = h
        .digital_address
        .official
        .as_ref()
        .map(|o| format!("{}:{}", o.scheme, o.code));
    let text = sheet_text(
        &title,
        &address_line,
        plus_code.as_deref(),
        &members,
        &general_cautions,
        lang,
    );
    Ok(CardView {
        title,
        address_line,
        plus_code,
        official_code,
        qr,
        members,
        general_cautions,
        text,
    })
}

/// Encodes the payload at medium error correction (a card gets creased and dirty).
pub fn qr_view(payload: String) -> Result<QrView> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| Error::Internal(format!("QR: {e}")))?;
    let width = code.width();
    let colors = code.to_colors();
    let modules = colors
        .chunks(width)
        .map(|row| row.iter().map(|&c| c == Color::Dark).collect())
        .collect();
    let version = match code.version() {
        Version::Normal(v) | Version::Micro(v) => v as u32,
    };
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .build();
    Ok(QrView {
        payload,
        version,
        modules,
        svg,
    })
}

fn sheet_text(
    title: &str,
    address: &str,
    plus_code: Option<&str>,
    members: &[CardMemberView],
    cautions: &[String],
    lang: Lang,
) -> String {
    let mut out = vec![title.to_owned(), address.to_owned()];
    if let Some(p) = plus_code {
        out.push(format!("Plus Code: {p}"));
    }
    for m in members {
        out.push(String::new());
        out.push(format!("{} — {}", m.name, m.progress_line));
        if !m.next_steps.is_empty() {
            out.push(format!(
                "{} {}",
                tr(lang, "Việc tiếp theo:", "Next steps:"),
                m.next_steps.join("; ")
            ));
        }
        for c in &m.cautions {
            out.push(format!("! {c}"));
        }
    }
    out.push(String::new());
    out.push(tr(lang, "Phòng tránh lừa đảo:", "Beware of scams:"));
    for c in cautions {
        out.push(format!("! {c}"));
    }
    out.join("\n")
}
