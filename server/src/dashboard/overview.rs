//! Overview: households, members, visits this week, per-hamlet progress toward "every
//! household has a member with the 5 basic digital skills", completion per checklist item, and
//! registrations and completed items over time.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Datelike;
use gocua_core::model::ChecklistItem;
use gocua_core::text::vietnamese_order;
use serde::Serialize;

use super::date_range::RangeQuery;
use super::i18n::{Lang, t};
use super::page::{D, Dash, PageError, Signed, num, page};
use super::svg;
use crate::store::query::HamletProgress;

#[derive(Serialize)]
struct HamletView {
    hamlet_id: String,
    name: String,
    households: u64,
    expected: Option<u64>,
    /// Registered of expected, in percent (more than 100 when the list was short).
    complete_pct: Option<u64>,
    with_five: u64,
    pct: u64,
    members: u64,
    vneid_level2: u64,
    vneid_level2_pct: u64,
    public_service: u64,
    public_service_pct: u64,
    cashless: u64,
    cashless_pct: u64,
    bar: String,
    /// Registrations of the last weeks, as bars and as numbers.
    trend: String,
    weekly: Vec<u64>,
}

fn pct(n: u64, of: u64) -> u64 {
    (n * 100).checked_div(of).unwrap_or(0)
}

/// The hamlets, what lags first: the least complete against its expected households (hamlets
/// without a target after those with one), then the fewest households with the five skills,
/// then in Vietnamese order.
fn hamlet_views(hamlets: &[HamletProgress]) -> Vec<HamletView> {
    let mut views: Vec<HamletView> = hamlets
        .iter()
        .map(|h| {
            let five_pct = pct(h.with_five_skills, h.households);
            HamletView {
                hamlet_id: h.hamlet_id.clone(),
                name: h.name.clone(),
                households: h.households,
                expected: h.expected,
                complete_pct: h.expected.map(|e| pct(h.households, e)),
                with_five: h.with_five_skills,
                pct: five_pct,
                members: h.members,
                vneid_level2: h.vneid_level2,
                vneid_level2_pct: pct(h.vneid_level2, h.members),
                public_service: h.public_service,
                public_service_pct: pct(h.public_service, h.members),
                cashless: h.cashless,
                cashless_pct: pct(h.cashless, h.members),
                trend: svg::bars(&h.weekly, 9.0),
                weekly: h.weekly.clone(),
                bar: svg::progress_bar(
                    h.with_five_skills,
                    h.households,
                    &format!("{} / {} ({five_pct}%)", h.with_five_skills, h.households),
                ),
            }
        })
        .collect();
    views.sort_by_cached_key(|v| {
        (
            v.complete_pct.is_none(),
            v.complete_pct,
            v.pct,
            vietnamese_order(&v.name),
        )
    });
    views
}

/// The range form's days before the coordinator chooses (the chart shows the whole campaign).
const CHART_DEFAULT_DAYS: i64 = 28;

/// The overview's HTML (also used by the benchmark); its time chart covers `q`'s days if chosen.
pub fn render(d: &Dash, who: &Signed, lang: Lang, q: &RangeQuery) -> Result<String, PageError> {
    let today = crate::time::local_date(d.now());
    let week_start = today - chrono::Duration::days(today.weekday().num_days_from_monday() as i64);
    let o = d.store().overview(&who.coordinator.commune, week_start)?;
    let hamlets = hamlet_views(&o.hamlets);
    let items: Vec<(String, u64, u64)> = ChecklistItem::ALL
        .iter()
        .map(|item| {
            let n = o
                .items_achieved
                .iter()
                .find(|(code, _)| code == item.code())
                .map(|(_, n)| *n)
                .unwrap_or(0);
            (
                lang.pick(item.label_vi(), item.label_en()).to_owned(),
                n,
                o.members,
            )
        })
        .collect();
    // The time chart over the chosen days (the whole campaign by default).
    let range = q.read(today, CHART_DEFAULT_DAYS);
    let within = |series: &[(chrono::NaiveDate, u64)]| -> Vec<(chrono::NaiveDate, u64)> {
        series
            .iter()
            .filter(|(day, _)| !range.chosen || range.contains(*day))
            .copied()
            .collect()
    };
    let chart = svg::cumulative_chart(&[
        (
            t(lang, "registrations"),
            "#1f7a4d",
            &within(&o.registrations),
        ),
        (
            t(lang, "completed_items"),
            "#2d6cdf",
            &within(&o.completions),
        ),
    ]);
    d.render(
        "overview.html",
        lang,
        Some(who),
        minijinja::context! {
            page => "overview",
            households => num(o.households, lang),
            households_raw => o.households,
            members => num(o.members, lang),
            members_raw => o.members,
            visits_week => num(o.visits_this_week, lang),
            visits_week_raw => o.visits_this_week,
            with_five => num(o.with_five_skills, lang),
            with_five_raw => o.with_five_skills,
            to_verify => num(o.to_verify, lang), to_verify_raw => o.to_verify,
            hamlets => super::page::ser(&hamlets),
            items_chart => svg::bar_list(&items),
            time_chart => chart,
            range => range.context(), range_action => "/dashboard/",
            notice => range.notice.map(|n| t(lang, n)),
        },
    )
}

pub async fn get(State(d): State<D>, Query(q): Query<RangeQuery>, headers: HeaderMap) -> Response {
    page(d, headers, move |d, who, lang| {
        let html = render(d, who, lang, &q)?;
        Ok(super::page::html_response(axum::http::StatusCode::OK, html))
    })
    .await
}
