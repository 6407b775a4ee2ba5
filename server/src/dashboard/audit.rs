//! The audit log of every coordinator action in the commune, newest first.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::i18n::{audit_action, audit_outcome};
use super::page::{D, local_time, ok_page, page};

pub async fn get(State(d): State<D>, headers: HeaderMap) -> Response {
    page(d, headers, |d, who, lang| {
        let rows: Vec<_> = d
            .store()
            .audit_log(&who.coordinator.commune, 500)?
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
            minijinja::context! { page => "audit", rows => rows },
        )
    })
    .await
}
