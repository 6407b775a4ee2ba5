//! The audit log of every coordinator action in the commune, newest first, in a range of days
//! (the last 30 by default).

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::date_range::RangeQuery;
use super::i18n::{audit_action, audit_outcome, t};
use super::page::{D, local_time, ok_page, page};

/// Days shown by default.
const DEFAULT_DAYS: i64 = 30;

/// The instant as the audit log stores it.
fn stored(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub async fn get(State(d): State<D>, Query(q): Query<RangeQuery>, headers: HeaderMap) -> Response {
    page(d, headers, move |d, who, lang| {
        let range = q.read(crate::time::local_date(d.now()), DEFAULT_DAYS);
        let (start, end) = range.instants();
        let rows: Vec<_> = d
            .store()
            .audit_between(&who.coordinator.commune, &stored(start), &stored(end), 500)?
            .into_iter()
            .map(|e| {
                minijinja::context! {
                    at => local_time(&e.at), who => e.coordinator_id,
                    action_text => audit_action(lang, &e.action), action => e.action,
                    target => e.target,
                    outcome_text => audit_outcome(lang, &e.outcome), outcome => e.outcome,
                }
            })
            .collect();
        ok_page(
            d,
            "audit.html",
            lang,
            who,
            minijinja::context! {
                page => "audit", rows => rows, range => range.context(),
                range_action => "/dashboard/audit", notice => range.notice.map(|n| t(lang, n)),
            },
        )
    })
    .await
}
