//! Administration: coordinators, areas and hamlets, pairing codes, revocation. Used by the
//! `gocua-hub` commands and the demo.

use chrono::{DateTime, Duration, Utc};
use gocua_core::catalog::admin_units;
use gocua_core::model::is_valid_id;
use gocua_core::sync::wire::{AreaInfo, HamletInfo};
use gocua_core::text::{hamlet_id, nfc};

use crate::hub::{normalise_code, secret_hash};
use crate::store::{HubStore, Pairing, StoreError};

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
    let raw: String = (0..10)
        .map(|_| CODE_ALPHABET[rand::random_range(0..CODE_ALPHABET.len())] as char)
        .collect();
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

pub fn revoke(store: &dyn HubStore, device_id: &str, now: DateTime<Utc>) -> Result<(), AdminError> {
    if store.revoke_device(device_id, now)? {
        Ok(())
    } else {
        Err(AdminError::NotFound(format!("active device {device_id}")))
    }
}
