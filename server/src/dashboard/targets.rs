//! Expected households per hamlet, typed on the overview (issue 17): what "registered /
//! expected" and the order of the hamlet table are measured against.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::page::{D, PageError, action, redirect};
use crate::admin;

/// The form's fields are `h:<hamlet id>`; blank clears a hamlet's target. Every value and hamlet
/// is checked before any is saved, so a typo saves nothing.
pub async fn post(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, _lang, form| {
        let mut targets = Vec::new();
        for (key, value) in form {
            let Some(hamlet) = key.strip_prefix("h:") else {
                continue;
            };
            let value = value.trim();
            let expected = if value.is_empty() {
                None
            } else {
                match value.parse::<u32>() {
                    Ok(n) if n <= admin::MAX_EXPECTED_HOUSEHOLDS => Some(n),
                    _ => {
                        return Err(PageError::Invalid(
                            format!(
                                "Số hộ dự kiến là một số từ 0 đến {}.",
                                admin::MAX_EXPECTED_HOUSEHOLDS
                            ),
                            format!(
                                "Expected households is a number from 0 to {}.",
                                admin::MAX_EXPECTED_HOUSEHOLDS
                            ),
                        ));
                    }
                }
            };
            targets.push((hamlet.to_owned(), expected));
        }
        let known = d.store().hamlet_names(&who.coordinator.commune)?;
        if let Some((unknown, _)) = targets
            .iter()
            .find(|(h, _)| !known.iter().any(|(id, _)| id == h))
        {
            d.audit(who, "hamlet.target", unknown, "refused");
            return Err(PageError::Invalid(
                "Xã không có thôn này.".into(),
                "The commune has no such hamlet.".into(),
            ));
        }
        let coordinator = &who.coordinator.coordinator_id;
        for (hamlet, expected) in &targets {
            admin::set_hamlet_target(
                d.hub.store().as_ref(),
                coordinator,
                hamlet,
                *expected,
                d.now(),
            )?;
        }
        d.audit(
            who,
            "hamlet.target",
            &format!("{} hamlets", targets.len()),
            "ok",
        );
        Ok(redirect("/dashboard/#hamlets"))
    })
    .await
}
