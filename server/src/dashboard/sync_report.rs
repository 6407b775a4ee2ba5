//! Sync report: per volunteer and device, the last successful sync and how long ago
//! (highlighted past the coordinator's threshold), pending changes the device reported, what
//! recent sessions moved, the last error in words; a session log per device.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::date_range::{DateRange, RangeQuery};
use super::i18n::{Lang, refusal_reason, sync_error, t};
use super::page::{
    D, Dash, PageError, Signed, ago, field, html_response, local_time, num, ok_page, own_action,
    page, redirect,
};
use crate::store::query::{DeviceRow, RefusalRow, SessionRow};

/// Hours without a successful sync before a device is highlighted, unless the coordinator set it.
pub const DEFAULT_STALE_HOURS: u32 = 24;

#[derive(Serialize)]
struct DeviceView {
    device_id: String,
    volunteer_id: String,
    area: String,
    revoked: bool,
    last_success: String,
    ago: String,
    stale: bool,
    pending: String,
    recent: String,
    last_error: String,
    /// "Clock 3 hours ahead" when the phone's clock was off at its latest sync.
    clock: String,
    /// Not synced since the hub was restored from a backup.
    behind_restore: bool,
}

#[derive(Serialize)]
struct SessionView {
    id: u64,
    device_id: String,
    volunteer_id: String,
    started: String,
    ended: String,
    outcome: String,
    outcome_class: &'static str,
    docs_up: u32,
    docs_down: u32,
    bytes: String,
    rejected: u32,
    pending: String,
    error: String,
    /// Each document the hub refused in the session, with the reason in words.
    refusals: Vec<RefusalView>,
}

#[derive(Serialize)]
struct RefusalView {
    doc_id: String,
    reason: String,
}

/// The refusals of one session, in words.
fn refusals_in(refusals: &[RefusalRow], session: u64, lang: Lang) -> Vec<RefusalView> {
    refusals
        .iter()
        .filter(|r| r.session_id == session)
        .map(|r| RefusalView {
            doc_id: r.doc_id.clone(),
            reason: refusal_reason(lang, &r.code),
        })
        .collect()
}

/// A size for people, with the language's decimal mark: "1,7 KB" in Vietnamese, "1.7 KB" in
/// English.
fn bytes(n: u64, lang: Lang) -> String {
    let text = if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MB", n as f64 / 1024.0 / 1024.0)
    };
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

fn outcome_words(lang: Lang, o: Option<&str>) -> (String, &'static str) {
    match o {
        Some("success") => (lang.pick("thành công", "success").into(), "ok"),
        Some("partial") => (lang.pick("một phần", "partial").into(), "warn"),
        Some("cancelled") => (lang.pick("đã huỷ", "cancelled").into(), "warn"),
        Some("failed") => (lang.pick("thất bại", "failed").into(), "bad"),
        Some(other) => (other.to_owned(), "warn"),
        None => (t(lang, "open_interrupted").into(), "warn"),
    }
}

fn session_views(rows: Vec<SessionRow>, refusals: &[RefusalRow], lang: Lang) -> Vec<SessionView> {
    rows.into_iter()
        .map(|s| {
            let refused = refusals_in(refusals, s.session_id, lang);
            let (outcome, class) = outcome_words(lang, s.outcome.as_deref());
            SessionView {
                id: s.session_id,
                device_id: s.device_id,
                volunteer_id: s.volunteer_id,
                started: local_time(&s.started_at),
                ended: s.ended_at.as_deref().map(local_time).unwrap_or_default(),
                outcome,
                outcome_class: class,
                docs_up: s.docs_up,
                docs_down: s.docs_down,
                bytes: format!(
                    "↑ {} · ↓ {}",
                    bytes(s.bytes_up, lang),
                    bytes(s.bytes_down, lang)
                ),
                rejected: s.rejected,
                pending: format!(
                    "{} → {}",
                    s.pending_before,
                    s.pending_after.map(|p| p.to_string()).unwrap_or("?".into())
                ),
                error: s
                    .error
                    .as_deref()
                    .map(|e| sync_error(lang, &format!("failed: {e}")))
                    .unwrap_or_default(),
                refusals: refused,
            }
        })
        .collect()
}

/// A device not revoked whose last successful sync is older than `threshold_hours` (or never).
pub fn is_stale(r: &DeviceRow, now: DateTime<Utc>, threshold_hours: u32) -> bool {
    !r.revoked
        && !r.paused
        && r.last_success_at
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .is_none_or(|t| {
                (now - t.with_timezone(&Utc)).num_seconds() > i64::from(threshold_hours) * 3600
            })
}

pub fn stale_hours(d: &Dash, who: &Signed) -> Result<u32, PageError> {
    Ok(d.store()
        .stale_hours(&who.coordinator.coordinator_id)?
        .unwrap_or(DEFAULT_STALE_HOURS))
}

/// The latest refusal of a device among `refusals` (newest session first).
fn latest_refusal<'a>(refusals: &'a [RefusalRow], device: &str) -> Option<&'a RefusalRow> {
    refusals.iter().find(|r| r.device_id == device)
}

/// The refusals still standing: those of each device's latest session. A refused household
/// stays pending on its phone and is sent again at every sync, so a refusal that is not in the
/// device's latest session was fixed (or the household left the phone).
pub fn outstanding_refusals(
    store: &dyn crate::store::DashboardStore,
    commune: &str,
) -> Result<Vec<RefusalRow>, PageError> {
    let refusals = store.refusals_of(commune, None, 2000)?;
    let mut latest: std::collections::HashMap<String, Option<u64>> = Default::default();
    let mut out = Vec::new();
    for r in refusals {
        let last = match latest.get(&r.device_id) {
            Some(l) => *l,
            None => {
                let l = store
                    .sessions_of(commune, Some(&r.device_id), ANY_TIME, 1)?
                    .first()
                    .map(|s| s.session_id);
                latest.insert(r.device_id.clone(), l);
                l
            }
        };
        if last == Some(r.session_id) {
            out.push(r);
        }
    }
    Ok(out)
}

/// Any time, as `sessions_of` bounds.
const ANY_TIME: (&str, &str) = ("", "~");
/// Days of the session log by default: the report's, and a device's.
const SESSION_DAYS: i64 = 7;
const DEVICE_SESSION_DAYS: i64 = 30;

/// A range's instants as the sessions' `started_at` is stored.
fn stored_bounds(range: &DateRange) -> (String, String) {
    let (start, end) = range.instants();
    (crate::time::ts(start), crate::time::ts(end))
}

/// The sync report's HTML (also used by the benchmark); its session log covers `q`'s days.
pub fn render(d: &Dash, who: &Signed, lang: Lang, q: &RangeQuery) -> Result<String, PageError> {
    let now = d.now();
    let threshold = stale_hours(d, who)?;
    let store = d.store();
    let commune = &who.coordinator.commune;
    let refusals = store.refusals_of(commune, None, 2000)?;
    let (generation, restored_at) = d.hub.store().lineage()?;
    let devices: Vec<DeviceView> = store
        .devices(commune, now - chrono::Duration::days(7))?
        .into_iter()
        .map(|r| {
            let ago = ago(r.last_success_at.as_deref(), now, lang);
            let stale = is_stale(&r, now, threshold);
            DeviceView {
                area: r.area_name,
                revoked: r.revoked,
                last_success: r
                    .last_success_at
                    .as_deref()
                    .map(local_time)
                    .unwrap_or_else(|| t(lang, "never").into()),
                ago: ago.map(|a| a.0).unwrap_or_default(),
                stale,
                pending: r
                    .pending_docs
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "?".into()),
                recent: format!(
                    "{} / {} / {}",
                    r.recent_sessions,
                    num(r.recent_docs, lang),
                    bytes(r.recent_bytes, lang)
                ),
                last_error: match (
                    r.last_error.as_deref(),
                    latest_refusal(&refusals, &r.device_id),
                ) {
                    // A partial sync says why, from the hub's own record of what it refused.
                    (Some(e), Some(refused)) if e.starts_with("partial") => format!(
                        "{}: {}",
                        sync_error(lang, e),
                        refusal_reason(lang, &refused.code)
                    ),
                    (Some(e), _) => sync_error(lang, e),
                    (None, _) => String::new(),
                },
                clock: clock_note(r.clock_skew_secs, lang),
                behind_restore: !r.revoked
                    && restored_at
                        .as_deref()
                        .is_some_and(|at| r.last_success_at.as_deref().is_none_or(|s| s < at)),
                device_id: r.device_id,
                volunteer_id: r.volunteer_id,
            }
        })
        .collect();
    let stale_count = devices.iter().filter(|d| d.stale).count();
    // Sealed bundles delivered in the last days (the Bundles page lists each).
    let since = now - chrono::Duration::days(SESSION_DAYS);
    let bundles = d.hub.store().bundles_received(commune, 1000)?;
    let recent = bundles.iter().filter(|b| b.received_at >= since);
    let (mut bundles_applied, mut bundles_refused) = (0u32, 0u32);
    for b in recent {
        if b.outcome == "applied" {
            bundles_applied += 1;
        } else {
            bundles_refused += 1;
        }
    }
    let range = q.read(crate::time::local_date(now), SESSION_DAYS);
    let (start, end) = stored_bounds(&range);
    let sessions = session_views(
        store.sessions_of(commune, None, (&start, &end), 200)?,
        &refusals,
        lang,
    );
    d.render(
        "sync.html",
        lang,
        Some(who),
        minijinja::context! {
            page => "sync",
            devices => super::page::ser(&devices),
            stale_count => stale_count,
            threshold => threshold,
            restored => restored_at.as_deref().map(local_time),
            generation => generation,
            behind_restore => devices.iter().filter(|d| d.behind_restore).map(|d| d.volunteer_id.clone()).collect::<Vec<_>>(),
            // A phone's first sync with a restored hub offers what it holds and sends what the
            // hub lacks (docs/sync-protocol.md, "Reconciliation"): synced since = refilled.
            refilled => devices.iter().filter(|d| !d.behind_restore && !d.revoked).map(|d| d.volunteer_id.clone()).collect::<Vec<_>>(),
            sessions => super::page::ser(&sessions),
            bundles_applied => bundles_applied, bundles_refused => bundles_refused,
            bundle_days => SESSION_DAYS,
            range => range.context(), range_action => "/dashboard/sync",
            notice => range.notice.map(|n| t(lang, n)),
        },
    )
}

pub async fn get(State(d): State<D>, Query(q): Query<RangeQuery>, headers: HeaderMap) -> Response {
    page(d, headers, move |d, who, lang| {
        Ok(html_response(StatusCode::OK, render(d, who, lang, &q)?))
    })
    .await
}

pub async fn threshold(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    own_action(d, headers, body, |d, who, _lang, form| {
        let hours: u32 = field(form, "hours")
            .and_then(|h| h.trim().parse().ok())
            .filter(|h| (1..=24 * 90).contains(h))
            .ok_or_else(|| {
                PageError::Invalid(
                    "Số giờ từ 1 đến 2160.".into(),
                    "Hours between 1 and 2160.".into(),
                )
            })?;
        d.store()
            .set_stale_hours(&who.coordinator.coordinator_id, hours)?;
        d.audit(who, "sync.threshold", &format!("{hours} h"), "ok");
        Ok(redirect("/dashboard/sync"))
    })
    .await
}

pub async fn device(
    State(d): State<D>,
    Path(id): Path<String>,
    Query(q): Query<RangeQuery>,
    headers: HeaderMap,
) -> Response {
    page(d, headers, move |d, who, lang| {
        let range = q.read(crate::time::local_date(d.now()), DEVICE_SESSION_DAYS);
        let (start, end) = stored_bounds(&range);
        if !gocua_core::model::is_valid_id(&id) {
            return Err(PageError::NotFound);
        }
        match d.store().device_commune(&id)? {
            None => return Err(PageError::NotFound),
            Some(c) if c != who.coordinator.commune => return Err(PageError::OtherCommune),
            Some(_) => {}
        }
        let refusals = d
            .store()
            .refusals_of(&who.coordinator.commune, Some(&id), 2000)?;
        let sessions = session_views(
            d.store()
                .sessions_of(&who.coordinator.commune, Some(&id), (&start, &end), 200)?,
            &refusals,
            lang,
        );
        ok_page(
            d,
            "device.html",
            lang,
            who,
            minijinja::context! {
                page => "sync", device_id => id.clone(), sessions => super::page::ser(&sessions),
                range => range.context(), range_action => format!("/dashboard/sync/device/{id}"),
                notice => range.notice.map(|n| t(lang, n)),
            },
        )
    })
    .await
}

/// The phone's clock error at its latest sync, when beyond the core's tolerance: dates it
/// records are wrong until the volunteer fixes the clock.
pub fn clock_note(skew: Option<i64>, lang: Lang) -> String {
    use gocua_core::screens::sync_status::{CLOCK_SKEW_TOLERANCE_SECS, skew_duration};
    match skew {
        Some(s) if s.abs() > CLOCK_SKEW_TOLERANCE_SECS => {
            let by = skew_duration(s, super::page::screens_lang(lang));
            match (lang, s > 0) {
                (Lang::Vi, true) => format!("Đồng hồ nhanh {by}"),
                (Lang::Vi, false) => format!("Đồng hồ chậm {by}"),
                (Lang::En, true) => format!("Clock {by} ahead"),
                (Lang::En, false) => format!("Clock {by} behind"),
            }
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_each_language() {
        assert_eq!(bytes(1741, Lang::Vi), "1,7 KB");
        assert_eq!(bytes(1741, Lang::En), "1.7 KB");
        assert_eq!(bytes(900, Lang::Vi), "900 B");
        assert_eq!(bytes(3 * 1024 * 1024 + 200_000, Lang::Vi), "3,2 MB");
    }
}
