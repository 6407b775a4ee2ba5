//! Activity per volunteer (issue 17): households registered, later visits and checklist items
//! achieved in a range of days, the last day anything of theirs was recorded, and their devices
//! with those that have not synced within the coordinator's threshold. The range is chosen with
//! `from` and `to` (Vietnam's days); the last four weeks by default.

use super::date_range::{DateRange, RangeQuery};
use super::i18n::{Lang, t};
use super::page::{D, Dash, PageError, Signed, html_response, page, short_id};
use super::svg;
use super::sync_report::{is_stale, stale_hours};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use gocua_core::text::vietnamese_order;

/// The default range: the last 28 days, today included.
const DEFAULT_DAYS: i64 = 28;

pub fn html(d: &Dash, who: &Signed, lang: Lang, q: &RangeQuery) -> Result<String, PageError> {
    let now = d.now();
    let today = crate::time::local_date(now);
    let DateRange {
        from, to, notice, ..
    } = q.read(today, DEFAULT_DAYS);
    let commune = &who.coordinator.commune;
    let threshold = stale_hours(d, who)?;
    let devices = d.store().devices(commune, now)?;
    let mut rows = d.store().activity(commune, from, to)?;
    // Volunteers with a device and nothing recorded are listed too: they are the ones to call.
    for dv in &devices {
        if !rows.iter().any(|r| r.volunteer_id == dv.volunteer_id) {
            rows.push(crate::store::query::ActivityRow {
                volunteer_id: dv.volunteer_id.clone(),
                ..Default::default()
            });
        }
    }
    rows.sort_by_cached_key(|r| vietnamese_order(&r.volunteer_id));
    let span = (to - from).num_days() + 1;
    let views: Vec<_> = rows
        .into_iter()
        .map(|r| {
            let mut daily = vec![0u64; span as usize];
            for (day, a, b, c) in &r.days {
                if let Ok(day) = NaiveDate::parse_from_str(day, "%Y-%m-%d") {
                    let i = (day - from).num_days();
                    if (0..span).contains(&i) {
                        daily[i as usize] += a + b + c;
                    }
                }
            }
            let idle_days = r
                .last_day
                .as_deref()
                .and_then(|l| NaiveDate::parse_from_str(l, "%Y-%m-%d").ok())
                .map(|l| (today - l).num_days().max(0));
            let own: Vec<_> = devices
                .iter()
                .filter(|dv| dv.volunteer_id == r.volunteer_id && !dv.revoked)
                .map(|dv| {
                    minijinja::context! {
                        id => short_id(dv.device_id.clone()), full => dv.device_id.clone(),
                        stale => is_stale(dv, now, threshold),
                    }
                })
                .collect();
            minijinja::context! {
                volunteer => r.volunteer_id, registered => r.registered, visits => r.visits,
                items => r.items_done, last_day => r.last_day, idle_days => idle_days,
                spark => svg::sparkline(&daily), devices => own,
            }
        })
        .collect();
    d.render(
        "activity.html",
        lang,
        Some(who),
        minijinja::context! {
            page => "activity", from => from.to_string(), to => to.to_string(),
            range => minijinja::context! { from => from.to_string(), to => to.to_string() },
            range_action => "/dashboard/activity",
            rows => views, threshold => threshold, notice => notice.map(|n| t(lang, n)),
        },
    )
}

pub async fn get(State(d): State<D>, Query(q): Query<RangeQuery>, headers: HeaderMap) -> Response {
    page(d, headers, move |d, who, lang| {
        html(d, who, lang, &q).map(|h| html_response(StatusCode::OK, h))
    })
    .await
}
