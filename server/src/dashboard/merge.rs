//! Merging two households found to be one: a page that shows both side by side (who registered
//! each and when, members, visits, what the merge would bring into the one kept), then the merge
//! itself (`gocua_core::merge`): the kept household receives the union, the other is marked
//! merged into it, and the phones of the area receive both at their next sync.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use gocua_core::commune_view::for_commune;
use gocua_core::merge::{MergePlan, merge_plan};
use gocua_core::model::{Household, Lifecycle};

use super::households::members;
use super::i18n::{Lang, t};
use super::page::{
    D, Dash, PageError, Signed, action, bad_form, field, local_time, ok_page, page, redirect,
};
use super::quality::load_own;
use crate::hub::MergeRefusal;

#[derive(serde::Deserialize)]
pub struct Pair {
    a: String,
    b: String,
}

fn not_active() -> PageError {
    PageError::Invalid(
        "Một trong hai hộ không còn hoạt động (đã gộp hoặc đã chuyển đi).".into(),
        "One of the two households is no longer active (merged or moved away).".into(),
    )
}

fn synced_out() -> PageError {
    PageError::Invalid(
        "Không hoàn tác được: điện thoại đã nhận bản gộp, hoặc một trong hai hộ đã thay đổi sau đó.".into(),
        "Cannot be undone: a phone has received the merge, or one of the households changed since.".into(),
    )
}

/// What a plan brings, in words.
fn plan_text(plan: &MergePlan, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!(
            "Thêm {} thành viên, {} người trùng được gộp, {} mục hỗ trợ, {} lần thăm, {} lần đồng ý.",
            plan.members_added,
            plan.members_matched,
            plan.checklist_entries,
            plan.visits,
            plan.consents
        ),
        Lang::En => format!(
            "Adds {} members, merges {} people found in both, {} checklist items, {} visits, {} consents.",
            plan.members_added,
            plan.members_matched,
            plan.checklist_entries,
            plan.visits,
            plan.consents
        ),
    }
}

fn side(
    d: &Dash,
    who: &Signed,
    lang: Lang,
    h: &Household,
    seq: u64,
    into_other: &MergePlan,
) -> Result<minijinja::Value, PageError> {
    let seen = for_commune(h);
    let hamlet = d
        .store()
        .hamlet_names(&who.coordinator.commune)?
        .into_iter()
        .find(|(id, _)| *id == seen.area.hamlet_id)
        .map(|(_, n)| n)
        .unwrap_or(seen.area.hamlet_id.clone());
    let achieved = seen
        .current_members()
        .flat_map(|m| m.checklist.values())
        .filter(|e| e.status.is_achieved())
        .count();
    Ok(minijinja::context! {
        id => seen.id.0.clone(),
        seq => seq,
        head => seen.head_member().map(|m| m.full_name.clone()).filter(|n| !n.is_empty()),
        hamlet => hamlet,
        address => seen.address.one_line(),
        plus_code => seen.digital_address.plus_code.clone(),
        created_by => seen.created_by.0.clone(),
        created_at => local_time(&seen.created_at.to_rfc3339()),
        members => super::page::ser(members(&seen, lang)),
        visits => seen.visits.len(),
        achieved => achieved,
        // What keeping this one would bring into it from the other.
        keep_brings => plan_text(into_other, lang),
    })
}

/// Both households of the commune, active, and not the same one.
fn load_pair(
    d: &Dash,
    who: &Signed,
    a: &str,
    b: &str,
) -> Result<[(gocua_core::HouseholdDoc, u64, Household); 2], PageError> {
    if a == b {
        return Err(bad_form());
    }
    let load = |id: &str| -> Result<_, PageError> {
        let (doc, seq, _) = load_own(d, who, id)?;
        let h = doc.read().map_err(|_| PageError::Internal)?;
        if h.lifecycle != Lifecycle::Active {
            return Err(not_active());
        }
        Ok((doc, seq, h))
    };
    Ok([load(a)?, load(b)?])
}

pub async fn confirm(State(d): State<D>, Query(q): Query<Pair>, headers: HeaderMap) -> Response {
    page(d, headers, move |d, who, lang| {
        let [(_, seq_a, a), (_, seq_b, b)] = load_pair(d, who, &q.a, &q.b)?;
        let a_keeps = merge_plan(&a, &b);
        let b_keeps = merge_plan(&b, &a);
        ok_page(
            d,
            "merge.html",
            lang,
            who,
            minijinja::context! {
                page => "quality",
                a => side(d, who, lang, &a, seq_a, &a_keeps)?,
                b => side(d, who, lang, &b, seq_b, &b_keeps)?,
                confirm_text => t(lang, "merge_confirm"),
            },
        )
    })
    .await
}

/// The merge itself is the hub's (`Hub::merge_households`), as for `gocua-hub merge`.
pub async fn merge(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, _lang, form| {
        let (a, b) = (
            field(form, "a").ok_or_else(bad_form)?,
            field(form, "b").ok_or_else(bad_form)?,
        );
        let keep = field(form, "keep").ok_or_else(bad_form)?;
        let seq = |name: &str| -> Result<u64, PageError> {
            field(form, name)
                .and_then(|s| s.parse().ok())
                .ok_or_else(bad_form)
        };
        let (seq_a, seq_b) = (seq("seq_a")?, seq("seq_b")?);
        let (other, seen) = match keep {
            k if k == a => (b, (seq_a, seq_b)),
            k if k == b => (a, (seq_b, seq_a)),
            _ => return Err(bad_form()),
        };
        let target = format!("{other} -> {keep}");
        let result = d.hub.merge_households(
            &who.coordinator.coordinator_id,
            &who.coordinator.commune,
            keep,
            other,
            Some(seen),
        );
        let outcome = match &result {
            Ok(_) => "ok",
            Err(MergeRefusal::OtherCommune) => "refused_other_commune",
            Err(_) => "refused",
        };
        d.audit(who, "duplicate.merge", &target, outcome);
        result.map_err(|e| match e {
            MergeRefusal::NotFound => PageError::NotFound,
            MergeRefusal::OtherCommune => PageError::OtherCommune,
            MergeRefusal::NotActive => not_active(),
            MergeRefusal::Stale => PageError::Stale,
            MergeRefusal::Invalid(vi, en) => {
                PageError::Invalid(format!("Không gộp được: {vi}"), format!("Not merged: {en}"))
            }
            MergeRefusal::SyncedOut => synced_out(),
            MergeRefusal::Failed(_) => PageError::Internal,
        })?;
        Ok(redirect("/dashboard/quality?done=merged"))
    })
    .await
}

/// Undoes a merge no phone has received (`Hub::undo_merge`).
pub async fn undo(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, _lang, form| {
        let merge_id: i64 = field(form, "merge")
            .and_then(|m| m.parse().ok())
            .ok_or_else(bad_form)?;
        let result = d.hub.undo_merge(
            &who.coordinator.coordinator_id,
            &who.coordinator.commune,
            merge_id,
        );
        d.audit(
            who,
            "duplicate.unmerge",
            &merge_id.to_string(),
            if result.is_ok() { "ok" } else { "refused" },
        );
        result.map_err(|e| match e {
            MergeRefusal::NotFound | MergeRefusal::OtherCommune => PageError::NotFound,
            MergeRefusal::Failed(_) => PageError::Internal,
            _ => synced_out(),
        })?;
        Ok(redirect("/dashboard/quality?done=unmerged"))
    })
    .await
}
