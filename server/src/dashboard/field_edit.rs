//! A coordinator corrects one field of a household or of a member where the problem is seen:
//! the core parses and checks the text as a phone's form would (`screens::field_edit`), the
//! change is made by the hub's own actor in the coordinator's name, passes the whole-document
//! validators, reaches the phones of the area at their next sync, and is in the household's
//! history and the audit log.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use gocua_core::model::MemberId;
use gocua_core::screens::field_edit::correct_field;

use super::page::{D, PageError, action, bad_form, field, redirect, screens_lang};
use super::quality::{edit_outcome, hub_edit, seen_seq};

pub async fn edit(
    State(d): State<D>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    action(d, headers, body, move |d, who, lang, form| {
        let seq = seen_seq(form)?;
        let key = field(form, "key").ok_or_else(bad_form)?.to_owned();
        let value = field(form, "value").unwrap_or_default().to_owned();
        if value.chars().count() > 2_000 {
            return Err(bad_form());
        }
        let member = field(form, "member")
            .filter(|m| !m.is_empty())
            .map(|m| MemberId(m.to_owned()));
        let target = format!(
            "{id} {}{key}",
            member.as_ref().map(|m| format!("{m}.")).unwrap_or_default()
        );
        let now = d.now();
        let result = hub_edit(d, who, &id, seq, |doc| {
            let h = doc.read().map_err(|_| PageError::Internal)?;
            let fixed = correct_field(&h, member.as_ref(), &key, &value, now, screens_lang(lang))
                .map_err(|issues| match issues.first() {
                Some(first) => PageError::Invalid(
                    format!("Không lưu được: {}", first.message_vi),
                    format!("Not saved: {}", first.message_en),
                ),
                None => bad_form(),
            })?;
            Ok(vec![fixed.edit])
        });
        let outcome = edit_outcome(&result);
        d.audit(who, "household.edit", &target, outcome);
        result?;
        Ok(redirect(&format!(
            "/dashboard/households/{id}?done=edited#edit"
        )))
    })
    .await
}

/// Moves the household to another hamlet of the commune (how a hamlet is split: a new hamlet on
/// the Areas page, then its households moved here): a change on the hub in the coordinator's
/// name, checked like any other; the phones of both hamlets' areas follow at their next sync.
pub async fn move_hamlet(
    State(d): State<D>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    action(d, headers, body, move |d, who, _lang, form| {
        let seq = seen_seq(form)?;
        let hamlet = field(form, "hamlet").unwrap_or("").to_owned();
        let known = d
            .store()
            .hamlet_names(&who.coordinator.commune)?
            .iter()
            .any(|(h, _)| *h == hamlet);
        let target = format!("{id} -> {hamlet}");
        if !known {
            d.audit(who, "household.move", &target, "refused");
            return Err(PageError::Invalid(
                "Xã không có thôn này.".into(),
                "The commune has no such hamlet.".into(),
            ));
        }
        let result = hub_edit(d, who, &id, seq, |_| {
            Ok(vec![gocua_core::Edit::SetHousehold {
                field: gocua_core::HouseholdField::Hamlet(hamlet.clone()),
            }])
        });
        let outcome = edit_outcome(&result);
        d.audit(who, "household.move", &target, outcome);
        result?;
        Ok(redirect(&format!("/dashboard/households/{id}?done=moved")))
    })
    .await
}
