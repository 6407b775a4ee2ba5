//! Overview: households, members, visits this week, per-hamlet progress toward "every
//! household has a member with the 5 basic digital skills", completion per checklist item, and
//! registrations and completed items over time.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Datelike;
use gocua_core::model::ChecklistItem;
use serde::Serialize;

use super::i18n::{Lang, t};
use super::page::{D, Dash, PageError, Signed, num, page};
use super::svg;

#[derive(Serialize)]
struct HamletView {
    hamlet_id: String,
    name: String,
    households: u64,
    with_five: u64,
    pct: u64,
    bar: String,
}

/// The overview's HTML (also used by the benchmark).
pub fn render(d: &Dash, who: &Signed, lang: Lang) -> Result<String, PageError> {
    let today = crate::time::local_date(d.now());
    let week_start = today - chrono::Duration::days(today.weekday().num_days_from_monday() as i64);
    let o = d.store().overview(&who.coordinator.commune, week_start)?;
    let hamlets: Vec<HamletView> = o
        .hamlets
        .iter()
        .map(|h| {
            let pct = (h.with_five_skills * 100)
                .checked_div(h.households)
                .unwrap_or(0);
            HamletView {
                hamlet_id: h.hamlet_id.clone(),
                name: h.name.clone(),
                households: h.households,
                with_five: h.with_five_skills,
                pct,
                bar: svg::progress_bar(
                    h.with_five_skills,
                    h.households,
                    &format!("{} / {} ({pct}%)", h.with_five_skills, h.households),
                ),
            }
        })
        .collect();
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
    let chart = svg::cumulative_chart(&[
        (t(lang, "registrations"), "#1f7a4d", &o.registrations),
        (t(lang, "completed_items"), "#2d6cdf", &o.completions),
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
            hamlets => super::page::ser(&hamlets),
            items_chart => svg::bar_chart(&items),
            time_chart => chart,
        },
    )
}

pub async fn get(State(d): State<D>, headers: HeaderMap) -> Response {
    page(d, headers, |d, who, lang| {
        let html = render(d, who, lang)?;
        Ok(super::page::html_response(axum::http::StatusCode::OK, html))
    })
    .await
}
