//! Data quality: duplicate candidates (same ID number or phone in two households, same Plus
//! Code and a similar head name), validation warnings, and conflicts to review side by side.
//! Each has an action; a resolution is a change to the household's document made on the hub,
//! which the devices of its area receive at their next sync.

use std::collections::HashMap;
use std::str::FromStr;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gocua_core::commune_view::shared_with_commune;
use gocua_core::model::{DeviceId, HouseholdId, Lifecycle, VolunteerId};
use gocua_core::text::fold;
use gocua_core::{ChangeContext, Edit, FieldPath, HouseholdDoc, HouseholdField};
use serde::Serialize;

use super::i18n::{Lang, t};
use super::page::{
    D, Dash, PageError, Signed, action, field, local_time, mask_id_number, mask_phone, ok_page,
    page, redirect, screens_lang,
};
use crate::store::StoreError;
use crate::store::query::HouseholdRow;

#[derive(Serialize)]
struct HouseholdRef {
    doc_id: String,
    head: String,
    hamlet: String,
    address: String,
}

#[derive(Serialize)]
struct DuplicateView {
    key: String,
    kind: String,
    value: String,
    households: Vec<HouseholdRef>,
}

#[derive(Serialize)]
struct ValueView {
    value: String,
    shown: String,
    who: String,
    device: String,
    at: String,
}

#[derive(Serialize)]
struct ConflictView {
    doc_id: String,
    seq: u64,
    head: String,
    hamlet: String,
    field: String,
    field_label: String,
    values: Vec<ValueView>,
}

#[derive(Serialize)]
struct WarningView {
    doc_id: String,
    head: String,
    field: String,
    message: String,
}

fn href(row: &HouseholdRow, names: &HashMap<String, String>) -> HouseholdRef {
    HouseholdRef {
        doc_id: row.doc_id.clone(),
        head: row.head_name.clone().unwrap_or_else(|| "—".into()),
        hamlet: names
            .get(&row.hamlet)
            .cloned()
            .unwrap_or(row.hamlet.clone()),
        address: row.address.clone(),
    }
}

/// Edit distance in characters (names are short).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Two head names that may be the same person written twice.
pub fn similar_names(a: &str, b: &str) -> bool {
    let (a, b) = (fold(a), fold(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    fn first_last(s: &str) -> (Option<&str>, Option<&str>) {
        (s.split(' ').next(), s.split(' ').next_back())
    }
    a == b || distance(&a, &b) <= 2 || first_last(&a) == first_last(&b)
}

/// The core's label of the field, after the member's name for a member field.
fn field_label(lang: Lang, path: &FieldPath, doc: &gocua_core::model::Household) -> String {
    let key = gocua_core::screens::labels::field_label(path, screens_lang(lang));
    match &path.member {
        None => format!("{}: {key}", t(lang, "household")),
        Some(m) => {
            let name = doc
                .members
                .get(m)
                .map(|m| m.full_name.clone())
                .unwrap_or_else(|| m.0.clone());
            format!("{name}: {key}")
        }
    }
}

/// A conflicting value by the core's one rule (masked by the field's kind).
fn shown(lang: Lang, path: &FieldPath, value: &str) -> String {
    gocua_core::screens::labels::field_value_text(path, value, screens_lang(lang))
}

/// Loads a household of the coordinator's commune from the hub: (doc, seq, hamlet).
pub fn load_own(
    d: &Dash,
    who: &Signed,
    doc_id: &str,
) -> Result<(HouseholdDoc, u64, String), PageError> {
    if !gocua_core::model::is_valid_id(doc_id) {
        return Err(PageError::NotFound);
    }
    let rec = d.hub.store().load_doc(doc_id)?.ok_or(PageError::NotFound)?;
    if rec.commune != who.coordinator.commune {
        return Err(PageError::OtherCommune);
    }
    let doc = HouseholdDoc::load(&rec.bytes).map_err(|_| PageError::Internal)?;
    Ok((doc, rec.seq, rec.hamlet))
}

/// Applies edits to a household on the hub, attributed to the coordinator, while no sync
/// merges documents; refused when the document changed since the coordinator saw it.
pub fn hub_edit(
    d: &Dash,
    who: &Signed,
    doc_id: &str,
    seen_seq: u64,
    check: impl FnOnce(&mut HouseholdDoc) -> Result<Vec<Edit>, PageError>,
) -> Result<(), PageError> {
    let hub_id = d.hub.store().hub_id()?;
    d.hub.exclusive(|| {
        let (mut doc, seq, _) = load_own(d, who, doc_id)?;
        if seq != seen_seq {
            return Err(PageError::Stale);
        }
        let edits = check(&mut doc)?;
        let ctx = ChangeContext {
            volunteer: VolunteerId(who.coordinator.coordinator_id.clone()),
            device: DeviceId(hub_id.clone()),
            at: d.now(),
        };
        for e in &edits {
            doc.apply(e, &ctx).map_err(|_| {
                PageError::Invalid(
                    "Không áp dụng được thay đổi.".into(),
                    "The change could not be applied.".into(),
                )
            })?;
        }
        // A write of the hub passes the same whole-document rules as a device's push: an
        // invalid conflicting value cannot be chosen into the household.
        let household = doc.read().map_err(|_| PageError::Internal)?;
        let size = doc.save().len();
        let report = gocua_core::validate::validate_document(&mut doc, &household, size, d.now());
        if let Some(issue) = report.errors().next() {
            return Err(PageError::Invalid(
                format!("Không lưu được: {}", issue.message_vi),
                format!("Not saved: {}", issue.message_en),
            ));
        }
        let write = crate::hub::write_of(doc_id, &mut doc, Some(seq), d.now())
            .map_err(|_| PageError::Internal)?;
        let by = format!("coordinator:{}", who.coordinator.coordinator_id);
        d.store()
            .write_hub_doc(&write, &by, d.now())
            .map_err(|e| match e {
                StoreError::ChangedMeanwhile { .. } => PageError::Stale,
                e => PageError::from(e),
            })
    })
}

pub fn render(
    d: &Dash,
    who: &Signed,
    lang: Lang,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let store = d.store();
    let commune = &who.coordinator.commune;
    let dismissed = store.dismissed(commune)?;
    let names: HashMap<String, String> = store.hamlet_names(commune)?.into_iter().collect();
    let mut rows = HashMap::new();
    let mut row = |id: &str| -> Result<Option<HouseholdRow>, PageError> {
        if let Some(r) = rows.get(id) {
            return Ok(Some(Clone::clone(r)));
        }
        let r = store.household_row(id)?.map(|(_, r)| r);
        if let Some(r) = &r {
            rows.insert(id.to_owned(), r.clone());
        }
        Ok(r)
    };
    let mut duplicates = Vec::new();
    for (kind, value, docs) in store.shared_identifiers(commune)? {
        let key = format!("{kind}:{}", docs.join(","));
        if dismissed.contains(&key) {
            continue;
        }
        let mut households = Vec::new();
        for id in &docs {
            if let Some(r) = row(id)? {
                households.push(href(&r, &names));
            }
        }
        duplicates.push(DuplicateView {
            key,
            kind: t(
                lang,
                if kind == "phone" {
                    "same_phone"
                } else {
                    "same_id"
                },
            )
            .into(),
            value: if kind == "phone" {
                mask_phone(&value)
            } else {
                mask_id_number(&value)
            },
            households,
        });
    }
    for (code, group) in store.shared_plus_codes(commune)? {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                let similar = match (&a.head_name, &b.head_name) {
                    (Some(x), Some(y)) => similar_names(x, y),
                    _ => false,
                };
                let key = format!("place:{},{}", a.doc_id, b.doc_id);
                if similar && !dismissed.contains(&key) {
                    duplicates.push(DuplicateView {
                        key,
                        kind: t(lang, "same_place").into(),
                        value: code.clone(),
                        households: vec![href(a, &names), href(b, &names)],
                    });
                }
            }
        }
    }
    let warnings: Vec<WarningView> = store
        .warnings(commune, 200)?
        .into_iter()
        .map(|w| {
            let head = row(&w.doc_id)
                .ok()
                .flatten()
                .and_then(|r| r.head_name)
                .unwrap_or_default();
            WarningView {
                doc_id: w.doc_id,
                head,
                field: w.field,
                message: lang.pick(&w.message_vi, &w.message_en).to_owned(),
            }
        })
        .collect();
    let mut conflicts = Vec::new();
    for r in store.conflicted(commune, 50)? {
        let Ok((mut doc, seq, _)) = load_own(d, who, &r.doc_id) else {
            continue;
        };
        let (Ok(h), Ok(found)) = (doc.read(), doc.conflicts()) else {
            continue;
        };
        // A conflict on a person who has not consented to sharing with the commune is settled
        // on a phone: its values are that person's data.
        let visible = found.into_iter().filter(|c| {
            c.field
                .member
                .as_ref()
                .is_none_or(|m| shared_with_commune(&h, m))
        });
        for c in visible {
            conflicts.push(ConflictView {
                doc_id: r.doc_id.clone(),
                seq,
                head: r.head_name.clone().unwrap_or_default(),
                hamlet: names.get(&r.hamlet).cloned().unwrap_or(r.hamlet.clone()),
                field: c.field.to_string(),
                field_label: field_label(lang, &c.field, &h),
                values: c
                    .values
                    .iter()
                    .map(|v| ValueView {
                        value: v.value.clone(),
                        shown: shown(lang, &c.field, &v.value),
                        who: v
                            .volunteer
                            .as_ref()
                            .map(|v| v.0.clone())
                            .unwrap_or_default(),
                        device: v.device.as_ref().map(|v| v.0.clone()).unwrap_or_default(),
                        at: v
                            .at
                            .map(|a| local_time(&a.to_rfc3339()))
                            .unwrap_or_default(),
                    })
                    .collect(),
            });
        }
    }
    ok_page(
        d,
        "quality.html",
        lang,
        who,
        minijinja::context! {
            page => "quality",
            notice => notice.map(|n| t(lang, n)),
            duplicates => super::page::ser(&duplicates),
            warnings => super::page::ser(&warnings),
            conflicts => super::page::ser(&conflicts),
        },
    )
}

#[derive(serde::Deserialize)]
pub struct Notice {
    done: Option<String>,
}

pub async fn get(
    State(d): State<D>,
    axum::extract::Query(q): axum::extract::Query<Notice>,
    headers: HeaderMap,
) -> Response {
    page(d, headers, move |d, who, lang| {
        let notice = match q.done.as_deref() {
            Some("resolved") => Some("resolved"),
            _ => None,
        };
        render(d, who, lang, notice)
    })
    .await
}

fn bad() -> PageError {
    PageError::Invalid(
        "Thiếu hoặc sai thông tin trong biểu mẫu.".into(),
        "The form is missing a value or has a wrong one.".into(),
    )
}

pub async fn resolve(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, _lang, form| {
        let doc_id = field(form, "household").ok_or_else(bad)?.to_owned();
        let path = FieldPath::from_str(field(form, "field").ok_or_else(bad)?).map_err(|_| bad())?;
        let value = field(form, "value").ok_or_else(bad)?.to_owned();
        let seq: u64 = field(form, "seq")
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        let target = format!("{doc_id} {path}");
        let result = hub_edit(d, who, &doc_id, seq, |doc| {
            if let Some(member) = &path.member {
                let h = doc.read().map_err(|_| PageError::Internal)?;
                if !shared_with_commune(&h, member) {
                    return Err(PageError::Invalid(
                        "Người này chưa đồng ý chia sẻ thông tin với xã: xung đột được giải quyết trên điện thoại.".into(),
                        "This person has not agreed to share with the commune: the conflict is settled on a phone.".into(),
                    ));
                }
            }
            let conflicts = doc.conflicts().map_err(|_| PageError::Internal)?;
            let known = conflicts
                .iter()
                .any(|c| c.field == path && c.values.iter().any(|v| v.value == value));
            if !known {
                return Err(PageError::Stale);
            }
            Ok(vec![Edit::ResolveConflict {
                field: path.clone(),
                value: Some(value.clone()),
            }])
        });
        match &result {
            Ok(()) => d.audit(who, "conflict.resolve", &target, "ok"),
            Err(PageError::OtherCommune) => {
                d.audit(who, "conflict.resolve", &target, "refused_other_commune")
            }
            Err(_) => d.audit(who, "conflict.resolve", &target, "refused"),
        }
        result?;
        Ok(redirect("/dashboard/quality?done=resolved"))
    })
    .await
}

/// "Not a duplicate" (kept on the hub), or "merge": the second household is marked as merged
/// into the first, a change that reaches the phones.
pub async fn dismiss(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, _lang, form| {
        let key = field(form, "key").ok_or_else(bad)?.to_owned();
        let valid = key.len() <= 300
            && key.split_once(':').is_some_and(|(k, v)| {
                ["id_number", "phone", "place"].contains(&k)
                    && v.split(',').all(gocua_core::model::is_valid_id)
            });
        if !valid {
            return Err(bad());
        }
        let docs: Vec<String> = key
            .split_once(':')
            .map(|(_, v)| v.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        for id in &docs {
            load_own(d, who, id)?;
        }
        match field(form, "merge_into") {
            None => {
                d.store().dismiss(&who.coordinator.commune, &key, d.now())?;
                d.audit(who, "duplicate.dismiss", &key, "ok");
            }
            Some(keep) => {
                let keep = keep.to_owned();
                if !docs.contains(&keep) || docs.len() != 2 {
                    return Err(bad());
                }
                let other = docs
                    .iter()
                    .find(|id| **id != keep)
                    .cloned()
                    .ok_or_else(bad)?;
                let (_, seq, _) = load_own(d, who, &other)?;
                hub_edit(d, who, &other, seq, |_| {
                    Ok(vec![
                        Edit::SetHousehold {
                            field: HouseholdField::MergedInto(Some(HouseholdId(keep.clone()))),
                        },
                        Edit::SetHousehold {
                            field: HouseholdField::Lifecycle(Lifecycle::Merged),
                        },
                    ])
                })?;
                d.store().dismiss(&who.coordinator.commune, &key, d.now())?;
                d.audit(who, "duplicate.merge", &format!("{other} -> {keep}"), "ok");
            }
        }
        Ok(redirect("/dashboard/quality"))
    })
    .await
}
