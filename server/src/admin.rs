//! Administration: coordinators, areas and hamlets, pairing codes, revocation. Used by the
//! `gocua-hub` commands and the demo.

use chrono::{DateTime, Duration, Utc};
use gocua_core::catalog::admin_units;
use gocua_core::model::is_valid_id;
use gocua_core::sync::wire::{AreaInfo, HamletInfo};
use gocua_core::text::{hamlet_id, nfc};

use crate::hub::{normalise_code, secret_hash};
use crate::store::{
    HubStore, PAIRING_REFERENCE_LEN, Pairing, PairingRow, PairingState, Role, StoreError,
};

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The message in each language (no personal data), shown as it is: never parsed.
    #[error("dữ liệu không hợp lệ / invalid input: {vi} / {en}")]
    Invalid { vi: String, en: String },
    #[error("không tìm thấy / not found: {0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn invalid(vi: impl Into<String>, en: impl Into<String>) -> AdminError {
    AdminError::Invalid {
        vi: vi.into(),
        en: en.into(),
    }
}

pub fn add_coordinator(
    store: &dyn HubStore,
    id: &str,
    name: &str,
    commune: &str,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    if !is_valid_id(id) {
        return Err(invalid(
            "mã điều phối viên chỉ gồm chữ không dấu, số, '-' và '_'",
            "the coordinator id may only hold letters, digits, '-' and '_'",
        ));
    }
    if admin_units::commune(commune).is_none() {
        return Err(invalid(
            format!("mã xã {commune} không có trong danh mục"),
            format!("commune code {commune} is not in the catalog"),
        ));
    }
    store.add_coordinator(id, &nfc(name), commune, now)?;
    Ok(())
}

/// Adds a province's follower: they see the aggregates of the province's communes on this hub
/// (households, targets, indicators, devices), never a household or a person.
pub fn add_province_viewer(
    store: &dyn HubStore,
    id: &str,
    name: &str,
    province: &str,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    if !is_valid_id(id) {
        return Err(invalid(
            "mã cán bộ chỉ gồm chữ không dấu, số, '-' và '_'",
            "the id may only hold letters, digits, '-' and '_'",
        ));
    }
    if admin_units::province(province).is_none() {
        return Err(invalid(
            format!("mã tỉnh {province} không có trong danh mục"),
            format!("province code {province} is not in the catalog"),
        ));
    }
    store.add_coordinator(id, &nfc(name), province, now)?;
    if store.set_coordinator_role(id, Role::Province)? {
        Ok(())
    } else {
        Err(AdminError::NotFound(format!("coordinator {id}")))
    }
}

/// Makes a coordinator of a commune an `editor` (runs the campaign) or a `viewer` (reads the
/// dashboard and changes nothing).
pub fn set_role(store: &dyn HubStore, id: &str, role: &str) -> Result<(), AdminError> {
    let role = match role {
        "editor" => Role::Editor,
        "viewer" => Role::Viewer,
        _ => {
            return Err(invalid(
                "vai trò là editor (sửa) hoặc viewer (chỉ xem)",
                "the role is editor or viewer",
            ));
        }
    };
    if store.set_coordinator_role(id, role)? {
        Ok(())
    } else {
        Err(AdminError::NotFound(format!("coordinator {id}")))
    }
}

/// Creates (or replaces) an area of a commune with its hamlets, named as people write them; the
/// hamlet ids are derived from the names as the devices derive them.
pub fn create_area(
    store: &dyn HubStore,
    area_id: &str,
    name: &str,
    commune: &str,
    hamlets: &[String],
) -> Result<AreaInfo, AdminError> {
    if !is_valid_id(area_id) {
        return Err(invalid(
            "mã địa bàn chỉ gồm chữ không dấu, số, '-' và '_'",
            "the area id may only hold letters, digits, '-' and '_'",
        ));
    }
    let unit = admin_units::commune(commune).ok_or_else(|| {
        invalid(
            format!("mã xã {commune} không có trong danh mục"),
            format!("commune code {commune} is not in the catalog"),
        )
    })?;
    let province_code = unit
        .province_code
        .clone()
        .ok_or_else(|| invalid("xã không có tỉnh", "commune without province"))?;
    let mut list = Vec::new();
    for h in hamlets {
        let name = nfc(h.trim());
        let id = hamlet_id(&name);
        if id.is_empty() || name.chars().count() > 100 {
            return Err(invalid(
                "tên thôn phải có chữ hoặc số, tối đa 100 ký tự",
                "a hamlet name needs letters or digits, 100 characters at most",
            ));
        }
        list.push(HamletInfo { id, name });
    }
    let area = AreaInfo {
        area_id: area_id.to_owned(),
        name: nfc(name),
        province_code,
        commune_code: commune.to_owned(),
        hamlets: list,
    };
    store.put_area(&area)?;
    Ok(area)
}

/// Letters and digits that cannot be mistaken for one another when read aloud or typed.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// `len` random characters of [`CODE_ALPHABET`]: pairing codes, temporary passwords.
pub fn readable_code(len: usize) -> String {
    (0..len)
        .map(|_| CODE_ALPHABET[rand::random_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// A pairing code's validity from a number of hours as typed (a form, a command line): from 1 hour
/// to 30 days; anything else, however large, is a clear refusal rather than an overflow.
pub fn pairing_hours(hours: i64) -> Result<Duration, AdminError> {
    Duration::try_hours(hours)
        .filter(|d| *d > Duration::zero() && *d <= Duration::days(30))
        .ok_or_else(|| {
            invalid(
                "thời hạn mã ghép từ 1 giờ đến 720 giờ (30 ngày)",
                "a pairing code lasts between 1 and 720 hours (30 days)",
            )
        })
}

/// Issues a single-use pairing code, valid for `ttl`, bound to a volunteer and an area. Returns
/// the code as shown to people (`XXXX-XXXX-XX`); only its hash is stored.
pub fn issue_pairing(
    store: &dyn HubStore,
    coordinator: &str,
    volunteer: &str,
    area_id: &str,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<String, AdminError> {
    let commune = store
        .coordinator_commune(coordinator)?
        .ok_or_else(|| AdminError::NotFound(format!("coordinator {coordinator}")))?;
    let area = store
        .area(area_id)?
        .ok_or_else(|| AdminError::NotFound(format!("area {area_id}")))?;
    if area.commune_code != commune {
        return Err(invalid(
            "điều phối viên không quản lý xã của địa bàn này",
            "the coordinator does not manage this area's commune",
        ));
    }
    if !is_valid_id(volunteer) {
        return Err(invalid(
            "mã tình nguyện viên không hợp lệ",
            "invalid volunteer id",
        ));
    }
    if ttl <= Duration::zero() || ttl > Duration::days(30) {
        return Err(invalid(
            "thời hạn mã ghép từ 1 phút đến 30 ngày",
            "a pairing code lasts between 1 minute and 30 days",
        ));
    }
    let raw = readable_code(10);
    store.issue_pairing(&Pairing {
        code_hash: secret_hash(&normalise_code(&raw)),
        volunteer_id: volunteer.to_owned(),
        area_id: area_id.to_owned(),
        coordinator_id: coordinator.to_owned(),
        created_at: now,
        expires_at: now + ttl,
    })?;
    Ok(format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..10]))
}

/// The text a QR code of a pairing carries: the hub's address and the code.
pub fn pairing_qr_payload(hub_url: &str, code: &str) -> String {
    format!("GOCUA-PAIR:1:{code}:{hub_url}")
}

/// The most households a hamlet may be expected to have: a typo guard (the largest wards have
/// some tens of thousands).
pub const MAX_EXPECTED_HOUSEHOLDS: u32 = 100_000;

/// Sets how many households a hamlet of the coordinator's commune is expected to have (`None`
/// clears it). The hamlet is named by its id or by its name as people write it.
pub fn set_hamlet_target(
    store: &dyn HubStore,
    coordinator: &str,
    hamlet: &str,
    expected: Option<u32>,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let commune = store
        .coordinator_commune(coordinator)?
        .ok_or_else(|| AdminError::NotFound(format!("coordinator {coordinator}")))?;
    if expected.is_some_and(|n| n > MAX_EXPECTED_HOUSEHOLDS) {
        return Err(invalid(
            format!("số hộ dự kiến của một thôn tối đa {MAX_EXPECTED_HOUSEHOLDS}"),
            format!("a hamlet is expected to have at most {MAX_EXPECTED_HOUSEHOLDS} households"),
        ));
    }
    let id = hamlet_id(hamlet);
    if store.set_hamlet_target(&commune, &id, expected, coordinator, now)? {
        Ok(())
    } else {
        Err(invalid(
            "xã không có thôn này",
            "the commune has no such hamlet",
        ))
    }
}

/// The pairing codes of the coordinator's commune, newest first (at most `limit`).
pub fn pairings(
    store: &dyn HubStore,
    coordinator: &str,
    limit: u32,
) -> Result<Vec<PairingRow>, AdminError> {
    let commune = store
        .coordinator_commune(coordinator)?
        .ok_or_else(|| AdminError::NotFound(format!("coordinator {coordinator}")))?;
    Ok(store.pairings(&commune, limit)?)
}

/// The codes as a plain table for the command line, one line each, columns aligned.
pub fn pairing_table(rows: &[PairingRow], now: DateTime<Utc>) -> String {
    if rows.is_empty() {
        return "no pairing codes\n".to_owned();
    }
    let state = |r: &PairingRow| match r.state(now) {
        PairingState::Open => "open",
        PairingState::Used => "used",
        PairingState::Cancelled => "cancelled",
        PairingState::Expired => "expired",
    };
    let mut lines = vec![[
        "reference".to_owned(),
        "state".into(),
        "volunteer".into(),
        "area".into(),
        "issued by".into(),
        "issued".into(),
        "expires".into(),
        "used by".into(),
    ]];
    lines.extend(rows.iter().map(|r| {
        [
            r.reference.clone(),
            state(r).into(),
            r.volunteer_id.clone(),
            r.area_id.clone(),
            r.coordinator_id.clone(),
            r.created_at.clone(),
            r.expires_at.clone(),
            r.used_by.clone().unwrap_or_else(|| "-".into()),
        ]
    }));
    let widths: Vec<usize> = (0..8)
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Cancels an unused code of the coordinator's commune by its reference (as the list shows
/// it): a phone can no longer enrol with it.
pub fn cancel_pairing(
    store: &dyn HubStore,
    coordinator: &str,
    reference: &str,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let commune = store
        .coordinator_commune(coordinator)?
        .ok_or_else(|| AdminError::NotFound(format!("coordinator {coordinator}")))?;
    let reference = reference.trim().to_ascii_lowercase();
    let well_formed = reference.len() == PAIRING_REFERENCE_LEN
        && reference.bytes().all(|b| b.is_ascii_hexdigit());
    if well_formed && store.cancel_pairing(&commune, &reference, coordinator, now)? {
        Ok(())
    } else {
        Err(invalid(
            "không có mã ghép chưa dùng nào với số tham chiếu này trong xã",
            "no unused pairing code of this commune has this reference",
        ))
    }
}

pub fn revoke(store: &dyn HubStore, device_id: &str, now: DateTime<Utc>) -> Result<(), AdminError> {
    if store.revoke_device(device_id, now)? {
        Ok(())
    } else {
        Err(AdminError::NotFound(format!("active device {device_id}")))
    }
}
