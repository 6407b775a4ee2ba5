//! Dates a phone recorded while its clock ran ahead, corrected by the error the hub measured at
//! that phone's sync: the household's page offers it when a record lies in the hub's future,
//! the change (`Edit::ShiftTimes`) is the hub's, in the coordinator's name, in the household's
//! history ("Lùi 3 giờ các mốc thời gian máy … ghi") and the audit log, and reaches the phones.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use gocua_core::Edit;
use gocua_core::model::{DeviceId, Household};
use gocua_core::screens::sync_status::{CLOCK_SKEW_TOLERANCE_SECS, skew_duration};

use super::i18n::Lang;
use super::page::{D, Dash, PageError, action, bad_form, field, redirect, screens_lang};
use super::quality::{hub_edit, seen_seq};

/// Records later than this are in the hub's future.
fn limit(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::minutes(5)
}

/// The devices that recorded something of `h` in the hub's future.
fn devices_ahead(h: &Household, now: DateTime<Utc>) -> Vec<DeviceId> {
    let after = limit(now);
    let mut out: Vec<DeviceId> = h
        .visits
        .iter()
        .filter(|v| v.recorded_at > after)
        .map(|v| v.device.clone())
        .chain(
            h.consents
                .iter()
                .filter(|c| c.at > after)
                .map(|c| c.device.clone()),
        )
        .chain(
            h.members
                .values()
                .flat_map(|m| m.checklist.values())
                .filter(|e| e.set_at > after)
                .map(|e| e.device.clone()),
        )
        .collect();
    out.sort();
    out.dedup();
    out
}

/// What the household's page offers: (device, sentence) for each device whose records lie in the
/// hub's future and whose clock the hub measured ahead at its latest sync.
pub fn offers(
    d: &Dash,
    commune: &str,
    h: &Household,
    lang: Lang,
) -> Result<Vec<(String, String)>, PageError> {
    let ahead = devices_ahead(h, d.now());
    if ahead.is_empty() {
        return Ok(Vec::new());
    }
    let skews = d.store().devices(commune, d.now())?;
    Ok(ahead
        .into_iter()
        .filter_map(|dev| {
            let skew = skews
                .iter()
                .find(|r| r.device_id == dev.0)?
                .clock_skew_secs
                .filter(|s| *s > CLOCK_SKEW_TOLERANCE_SECS)?;
            let by = skew_duration(skew, screens_lang(lang));
            let short = gocua_core::screens::position_text::short_id(&dev.0);
            let text = match lang {
                Lang::Vi => format!("Lùi {by} các mốc thời gian máy {short} đã ghi (đồng hồ máy này nhanh {by} ở lần đồng bộ gần nhất)"),
                Lang::En => format!("Move the times device {short} recorded back {by} (its clock was {by} ahead at its latest sync)"),
            };
            Some((dev.0, text))
        })
        .collect())
}

pub async fn correct(
    State(d): State<D>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    action(d, headers, body, move |d, who, _lang, form| {
        let seq = seen_seq(form)?;
        let device = field(form, "device").ok_or_else(bad_form)?.to_owned();
        let skew = d
            .store()
            .devices(&who.coordinator.commune, d.now())?
            .into_iter()
            .find(|r| r.device_id == device)
            .and_then(|r| r.clock_skew_secs)
            .filter(|s| *s > CLOCK_SKEW_TOLERANCE_SECS)
            .ok_or_else(|| {
                PageError::Invalid(
                    "Không có độ lệch đồng hồ đo được cho máy này.".into(),
                    "No clock error was measured for this device.".into(),
                )
            })?;
        let now = d.now();
        let target = format!("{id} {device} {}", -skew);
        let result = hub_edit(d, who, &id, seq, |doc| {
            let h = doc.read().map_err(|_| PageError::Internal)?;
            if !devices_ahead(&h, now).iter().any(|x| x.0 == device) {
                return Err(PageError::Stale);
            }
            Ok(vec![Edit::ShiftTimes {
                device: DeviceId(device.clone()),
                secs: -skew,
                after: limit(now),
            }])
        });
        let outcome = if result.is_ok() { "ok" } else { "refused" };
        d.audit(who, "clock.correct", &target, outcome);
        result?;
        Ok(redirect(&format!("/dashboard/households/{id}?done=edited")))
    })
    .await
}
