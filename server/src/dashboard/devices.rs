//! Devices: the commune's devices (moved to another area, revoked), a pairing code with its
//! QR (SVG drawn on the hub) to enrol a phone, and the codes issued (cancelled while unused).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::Response;

use super::i18n::{Lang, t};
use super::page::{D, Dash, PageError, Signed, action, field, local_time, ok_page, page};
use super::svg;
use crate::admin;
use crate::store::PairingState;

/// Pairing codes listed on the page, newest first.
const PAIRINGS_SHOWN: u32 = 100;

fn render(
    d: &Dash,
    who: &Signed,
    lang: Lang,
    issued: Option<minijinja::Value>,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let store = d.store();
    let commune = &who.coordinator.commune;
    let areas = store.areas(commune)?;
    let devices: Vec<_> = store
        .devices(commune, d.now())?
        .into_iter()
        .map(|r| {
            minijinja::context! {
                device_id => r.device_id, volunteer_id => r.volunteer_id, area => r.area_name,
                area_id => r.area_id, paused => r.paused,
                revoked => r.revoked, enrolled => local_time(&r.enrolled_at),
                wiped => r.wiped_at.as_deref().map(local_time),
            }
        })
        .collect();
    let now = d.now();
    let pairings: Vec<_> = d
        .hub
        .store()
        .pairings(commune, PAIRINGS_SHOWN)?
        .into_iter()
        .map(|p| {
            let state = match p.state(now) {
                PairingState::Open => "pairing_open",
                PairingState::Used => "pairing_used",
                PairingState::Cancelled => "pairing_cancelled",
                PairingState::Expired => "pairing_expired",
            };
            minijinja::context! {
                reference => p.reference, volunteer_id => p.volunteer_id, area => p.area_name,
                issued_by => p.coordinator_id, issued => local_time(&p.created_at),
                expires => local_time(&p.expires_at), state => state,
                state_label => t(lang, state), used_by => p.used_by,
                cancelled_by => p.cancelled_by,
            }
        })
        .collect();
    let areas: Vec<_> = areas
        .into_iter()
        .map(|a| {
            minijinja::context! {
                area_id => a.area_id, name => a.name,
            }
        })
        .collect();
    ok_page(
        d,
        "devices.html",
        lang,
        who,
        minijinja::context! {
            page => "devices", areas => areas, devices => devices, pairings => pairings,
            issued => issued, notice => notice.map(|n| t(lang, n)),
        },
    )
}

pub async fn get(State(d): State<D>, headers: HeaderMap) -> Response {
    page(d, headers, |d, who, lang| render(d, who, lang, None, None)).await
}

pub async fn pair(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.len() < 200
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .map(str::to_owned);
    action(d, headers, body, move |d, who, lang, form| {
        let volunteer = field(form, "volunteer").unwrap_or("").trim().to_owned();
        let area = field(form, "area").unwrap_or("").to_owned();
        let hours: i64 = field(form, "hours")
            .and_then(|h| h.trim().parse().ok())
            .unwrap_or(24);
        // The area by its name on the page ("Thôn Bắc", not "bac").
        let area_name = match d
            .store()
            .areas(&who.coordinator.commune)?
            .into_iter()
            .find(|a| a.area_id == area)
        {
            Some(a) => a.name,
            None => {
                d.audit(who, "device.pair", &area, "refused");
                return Err(PageError::OtherCommune);
            }
        };
        let code = admin::issue_pairing(
            d.hub.store().as_ref(),
            &who.coordinator.coordinator_id,
            &volunteer,
            &area,
            admin::pairing_hours(hours).map_err(PageError::from)?,
            d.now(),
        )
        .map_err(PageError::from)?;
        let scheme = if d.tls { "https" } else { "http" };
        let url = format!("{scheme}://{}", host.as_deref().unwrap_or("127.0.0.1:7878"));
        let payload = admin::pairing_qr_payload(&url, &code);
        d.audit(who, "device.pair", &format!("{volunteer} @ {area}"), "ok");
        let issued = minijinja::context! {
            code => code, volunteer => volunteer, area => area_name, hours => hours,
            qr => svg::qr(&payload), payload => payload,
        };
        render(d, who, lang, Some(issued), None)
    })
    .await
}

pub async fn unpair(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, lang, form| {
        let reference = field(form, "reference").unwrap_or("").to_owned();
        let coordinator = &who.coordinator.coordinator_id;
        match admin::cancel_pairing(d.hub.store().as_ref(), coordinator, &reference, d.now()) {
            Ok(()) => d.audit(who, "device.unpair", &reference, "ok"),
            Err(e) => {
                d.audit(who, "device.unpair", &reference, "refused");
                return Err(PageError::from(e));
            }
        }
        render(d, who, lang, None, Some("pairing_cancelled_ok"))
    })
    .await
}

pub async fn revoke(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, lang, form| {
        let device = field(form, "device").unwrap_or("").to_owned();
        if !gocua_core::model::is_valid_id(&device) {
            return Err(PageError::NotFound);
        }
        match d.store().device_commune(&device)? {
            None => return Err(PageError::NotFound),
            Some(c) if c != who.coordinator.commune => {
                d.audit(who, "device.revoke", &device, "refused_other_commune");
                return Err(PageError::OtherCommune);
            }
            Some(_) => {}
        }
        admin::revoke(d.hub.store().as_ref(), &device, d.now()).map_err(PageError::from)?;
        d.audit(who, "device.revoke", &device, "ok");
        render(d, who, lang, None, Some("revoked_ok"))
    })
    .await
}

/// Gives a volunteer's device another area of the commune (`hamlet_admin::move_device`).
pub async fn move_to_area(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, lang, form| {
        let device = field(form, "device").unwrap_or("").to_owned();
        let area = field(form, "area").unwrap_or("").to_owned();
        let target = format!("{device} -> {area}");
        let commune = &who.coordinator.commune;
        match crate::hamlet_admin::move_device(d.hub.store().as_ref(), commune, &device, &area) {
            Ok(()) => d.audit(who, "device.move", &target, "ok"),
            Err(e) => {
                d.audit(who, "device.move", &target, "refused");
                return Err(PageError::from(e));
            }
        }
        render(d, who, lang, None, Some("device_moved"))
    })
    .await
}

/// Pauses a volunteer's device or resumes it (`op` = `pause` | `resume`).
pub async fn pause(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, lang, form| {
        let device = field(form, "device").unwrap_or("").to_owned();
        let pause = match field(form, "op") {
            Some("pause") => true,
            Some("resume") => false,
            _ => return Err(super::page::bad_form()),
        };
        let action = if pause {
            "device.pause"
        } else {
            "device.resume"
        };
        let commune = &who.coordinator.commune;
        let store = d.hub.store();
        match crate::hamlet_admin::pause_device(store.as_ref(), commune, &device, pause, d.now()) {
            Ok(()) => d.audit(who, action, &device, "ok"),
            Err(e) => {
                d.audit(who, action, &device, "refused");
                return Err(PageError::from(e));
            }
        }
        let notice = if pause {
            "device_paused"
        } else {
            "device_resumed"
        };
        render(d, who, lang, None, Some(notice))
    })
    .await
}
