//! Erasure requests: what devices filed for the commune's decision (docs/SECURITY.md), each with
//! the household and person it names, as far as that person's consent lets the commune see them;
//! approve (erased from the hub now, from every device at its next sync) or refuse. A coordinator
//! can also erase a household or a member on a request made at the commune office, from the
//! household's page. Every decision goes to both audit logs.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gocua_core::HouseholdDoc;
use gocua_core::commune_view::for_commune;
use gocua_core::model::{Household, MemberId, is_valid_id};

use super::i18n::{Lang, t};
use super::page::{D, Dash, PageError, Signed, action, field, local_time, ok_page, page};
use crate::store::{EraseDecision, EraseRequestRecord};

/// The household of a request as the commune may see it, when it is still on the hub.
fn household_seen(d: &Dash, id: &str) -> Option<Household> {
    let rec = d.hub.store().load_doc(id).ok()??;
    let h = HouseholdDoc::load(&rec.bytes).ok()?.read().ok()?;
    Some(for_commune(&h))
}

fn row(d: &Dash, lang: Lang, r: &EraseRequestRecord) -> minijinja::Value {
    let household = household_seen(d, &r.household);
    let head = household
        .as_ref()
        .and_then(|h| h.head_member())
        .map(|m| m.full_name.clone())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| t(lang, "not_shown").to_owned());
    let address = household
        .as_ref()
        .map(|h| h.address.one_line())
        .unwrap_or_default();
    let whom = match &r.member {
        None => t(lang, "whole_household").to_owned(),
        Some(m) => household
            .as_ref()
            .and_then(|h| h.members.get(&MemberId(m.clone())))
            .map(|m| m.full_name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| t(lang, "member_not_shown").to_owned()),
    };
    let decision = match r.decision {
        EraseDecision::Pending => t(lang, "erasure_pending"),
        EraseDecision::Approved => t(lang, "erasure_approved"),
        EraseDecision::Refused => t(lang, "erasure_refused"),
    };
    minijinja::context! {
        id => r.request_id, household => r.household.clone(), on_hub => household.is_some(),
        head => head, address => address, whom => whom, hamlet => r.hamlet.clone(),
        volunteer => r.volunteer_id.clone(), requested => local_time(&r.requested_at),
        pending => r.decision == EraseDecision::Pending, decision => decision,
        decided => r.decided_at.as_deref().map(local_time).unwrap_or_default(),
        decided_by => r.decided_by.clone().unwrap_or_default(),
    }
}

fn render(d: &Dash, who: &Signed, lang: Lang, notice: Option<&str>) -> Result<Response, PageError> {
    let requests = d
        .hub
        .store()
        .erase_requests(&who.coordinator.commune, 500)?;
    let (pending, decided): (Vec<_>, Vec<_>) = requests
        .iter()
        .partition(|r| r.decision == EraseDecision::Pending);
    let pending: Vec<_> = pending.into_iter().map(|r| row(d, lang, r)).collect();
    let decided: Vec<_> = decided.into_iter().map(|r| row(d, lang, r)).collect();
    ok_page(
        d,
        "erasure.html",
        lang,
        who,
        minijinja::context! {
            page => "erasure", pending => pending, decided => decided,
            notice => notice.map(|n| t(lang, n)),
        },
    )
}

pub async fn get(State(d): State<D>, headers: HeaderMap) -> Response {
    page(d, headers, |d, who, lang| render(d, who, lang, None)).await
}

fn hub_error(e: crate::hub::ApiError) -> PageError {
    match e.status {
        404 => PageError::NotFound,
        400 => PageError::Invalid(e.body.message_vi, e.body.message_en),
        _ => PageError::Internal,
    }
}

/// Approves or refuses one request (`decision` = `approve` | `refuse`).
pub async fn decide(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, lang, form| {
        let request: i64 = field(form, "request")
            .and_then(|r| r.parse().ok())
            .ok_or(PageError::NotFound)?;
        let approve = match field(form, "decision") {
            Some("approve") => true,
            Some("refuse") => false,
            _ => return Err(PageError::NotFound),
        };
        let decided = d
            .hub
            .decide_erasure(
                &who.coordinator.coordinator_id,
                &who.coordinator.commune,
                request,
                approve,
            )
            .map_err(hub_error)?;
        let verb = if approve {
            "erasure.approve"
        } else {
            "erasure.refuse"
        };
        d.audit(who, verb, &request.to_string(), decided.decision.code());
        let notice = if approve {
            "erasure_approved_ok"
        } else {
            "erasure_refused_ok"
        };
        render(d, who, lang, Some(notice))
    })
    .await
}

/// Erases a household or one member on a request made at the commune office.
pub async fn erase(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, lang, form| {
        let household = field(form, "household").unwrap_or("").to_owned();
        let member = field(form, "member")
            .filter(|m| !m.is_empty())
            .map(str::to_owned);
        if !is_valid_id(&household) || member.as_deref().is_some_and(|m| !is_valid_id(m)) {
            return Err(PageError::NotFound);
        }
        let actor = format!("coordinator:{}", who.coordinator.coordinator_id);
        let erased = d
            .hub
            .erase(
                &actor,
                &who.coordinator.commune,
                &household,
                member.as_deref(),
            )
            .map_err(hub_error)?;
        let target = crate::store::erase_target(&household, member.as_deref());
        match erased {
            Some(_) => {
                d.audit(who, "erasure.erase", &target, "ok");
                render(d, who, lang, Some("erased_ok"))
            }
            None => {
                d.audit(who, "erasure.erase", &target, "nothing");
                Err(PageError::NotFound)
            }
        }
    })
    .await
}
