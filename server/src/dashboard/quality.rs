//! Data quality: duplicate candidates (same ID number or phone in two households, same Plus
//! Code and a similar head name), validation warnings, and conflicts to review side by side.
//! Each has an action; a resolution is a change to the household's document made on the hub,
//! which the devices of its area receive at their next sync.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gocua_core::commune_view::shared_with_commune;
use gocua_core::model::{DeviceId, VolunteerId};
use gocua_core::validate::{DuplicateClue, DuplicateRule, candidate_pairs, commune_centre};
use gocua_core::{ChangeContext, Edit, FieldPath, HouseholdDoc};
use serde::Serialize;

use super::i18n::{Lang, t};
use super::page::{
    D, Dash, PageError, Signed, action, bad_form, field, local_time, mask_id_number, mask_phone,
    ok_page, page, redirect, screens_lang,
};
use crate::hub::HubWriteRefused;
use crate::store::query::HouseholdRow;

#[derive(Serialize)]
struct HouseholdRef {
    doc_id: String,
    head: String,
    hamlet: String,
    address: String,
}

/// One candidate pair, with every rule that matched.
#[derive(Serialize)]
struct DuplicateView {
    key: String,
    rules: Vec<String>,
    /// The shared ID numbers and phones, masked.
    values: Vec<String>,
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

/// A household a device sent and the hub refused, until the device sends a fixed version.
#[derive(Serialize)]
struct RefusedView {
    doc_id: String,
    head: String,
    device_id: String,
    volunteer: String,
    reason: String,
}

/// A merge made on the hub, and whether it can still be undone.
#[derive(Serialize)]
struct MergeView {
    merge_id: i64,
    keep: String,
    keep_id: String,
    other: String,
    at: String,
    by: String,
    /// `undone`, `undoable` or `synced` (a phone has it).
    state: &'static str,
}

#[derive(Serialize)]
struct WarningView {
    doc_id: String,
    head: String,
    /// The member the warning is about (empty for the household).
    who: String,
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

/// The household's sequence number the form was drawn at (`seq`): what [`hub_edit`] checks.
pub fn seen_seq(form: &[(String, String)]) -> Result<u64, PageError> {
    field(form, "seq")
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad_form)
}

/// A hub edit's outcome as the audit log records it.
pub fn edit_outcome(result: &Result<(), PageError>) -> &'static str {
    match result {
        Ok(()) => "ok",
        Err(PageError::OtherCommune) => "refused_other_commune",
        Err(_) => "refused",
    }
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
        write_checked(d, who, doc_id, seq, &mut doc)
    })
}

/// Writes a household changed on the hub by a coordinator (called under `Hub::exclusive`, the
/// document loaded at `seq`): it passes the same whole-document rules as a device's push (an
/// invalid conflicting value cannot be chosen into the household), then gets a new sequence
/// number so the phones of its area receive it.
pub fn write_checked(
    d: &Dash,
    who: &Signed,
    doc_id: &str,
    seq: u64,
    doc: &mut HouseholdDoc,
) -> Result<(), PageError> {
    let by = format!("coordinator:{}", who.coordinator.coordinator_id);
    crate::hub::write_validated(d.hub.store().as_ref(), doc_id, seq, doc, &by, d.now()).map_err(
        |e| match e {
            HubWriteRefused::Invalid { vi, en } => {
                PageError::Invalid(format!("Không lưu được: {vi}"), format!("Not saved: {en}"))
            }
            HubWriteRefused::Stale => PageError::Stale,
            HubWriteRefused::Store(e) => PageError::from(e),
        },
    )
}

/// An ID number or phone held in more households than this is one row for all of them.
const MAX_PAIRED: usize = 3;

/// Whether a pair was dismissed: its key, or a key of the rules before pairs were listed once
/// (`id_number:a,b,c`, `phone:…`, `place:a,b`) naming both households.
fn is_dismissed(dismissed: &[String], a: &str, b: &str) -> bool {
    dismissed.iter().any(|k| {
        k.split_once(':').is_some_and(|(_, ids)| {
            let ids: Vec<&str> = ids.split(',').collect();
            ids.contains(&a) && ids.contains(&b)
        })
    })
}

/// The position a row's Plus Code stands for.
fn position(row: &HouseholdRow) -> Option<(f64, f64)> {
    row.plus_code
        .as_deref()
        .and_then(gocua_core::digital_address::decode_plus_code)
}

/// Candidate pairs, one row each with every rule that matched (the core's rules on the query
/// rows, and the same ID number or phone from the member index).
fn duplicate_pairs(
    store: &dyn crate::store::DashboardStore,
    commune: &str,
    lang: Lang,
    active: &[HouseholdRow],
    dismissed: &[String],
    names: &HashMap<String, String>,
) -> Result<Vec<DuplicateView>, PageError> {
    let mut pairs: BTreeMap<(String, String), (BTreeSet<DuplicateRule>, Vec<String>)> =
        BTreeMap::new();
    let mut out = Vec::new();
    let by_id: HashMap<&str, &HouseholdRow> =
        active.iter().map(|r| (r.doc_id.as_str(), r)).collect();
    for (kind, value, docs) in store.shared_identifiers(commune)? {
        let (rule, shown) = if kind == "phone" {
            (DuplicateRule::SamePhone, mask_phone(&value))
        } else {
            (DuplicateRule::SameIdNumber, mask_id_number(&value))
        };
        let mut docs = docs;
        docs.sort();
        if docs.len() > MAX_PAIRED {
            // A number many households give (a hamlet leader's phone): one row, not dozens.
            let key = format!("group:{}", docs.join(","));
            if !dismissed.contains(&key) {
                let households = docs
                    .iter()
                    .filter_map(|id| by_id.get(id.as_str()))
                    .map(|r| href(r, names))
                    .collect::<Vec<_>>();
                if households.len() > 1 {
                    out.push(DuplicateView {
                        key,
                        rules: vec![lang.pick(rule.label_vi(), rule.label_en()).to_owned()],
                        values: vec![shown],
                        households,
                    });
                }
            }
            continue;
        }
        for (i, a) in docs.iter().enumerate() {
            for b in &docs[i + 1..] {
                let entry = pairs.entry((a.clone(), b.clone())).or_default();
                entry.0.insert(rule);
                entry.1.push(shown.clone());
            }
        }
    }
    let clues: Vec<DuplicateClue> = active
        .iter()
        .map(|r| DuplicateClue {
            hamlet: r.hamlet.clone(),
            address: r.address.clone(),
            head_name: r.head_name.clone(),
            position: position(r),
        })
        .collect();
    for (i, j, rules) in candidate_pairs(&clues) {
        let (a, b) = (&active[i].doc_id, &active[j].doc_id);
        let key = if a < b {
            (a.clone(), b.clone())
        } else {
            (b.clone(), a.clone())
        };
        pairs.entry(key).or_default().0.extend(rules);
    }
    for ((a, b), (rules, values)) in pairs {
        if is_dismissed(dismissed, &a, &b) {
            continue;
        }
        // A pair with a household no longer active (merged, moved away) is settled.
        let (Some(ra), Some(rb)) = (by_id.get(a.as_str()), by_id.get(b.as_str())) else {
            continue;
        };
        out.push(DuplicateView {
            key: format!("pair:{a},{b}"),
            rules: rules
                .iter()
                .map(|r| lang.pick(r.label_vi(), r.label_en()).to_owned())
                .collect(),
            values,
            households: vec![href(ra, names), href(rb, names)],
        });
    }
    Ok(out)
}

/// Households whose position is far from the centre of the commune's registered positions.
fn far_from_commune(active: &[HouseholdRow], lang: Lang) -> Vec<WarningView> {
    let centre = commune_centre(active.iter().filter_map(position));
    active
        .iter()
        .filter_map(|r| {
            let issue = gocua_core::validate::far_from_commune(position(r)?, centre)?;
            Some(WarningView {
                doc_id: r.doc_id.clone(),
                head: r.head_name.clone().unwrap_or_default(),
                who: String::new(),
                field: gocua_core::screens::labels::issue_field_label(
                    &issue.field,
                    screens_lang(lang),
                ),
                message: lang.pick(&issue.message_vi, &issue.message_en).to_owned(),
            })
        })
        .collect()
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
    let active = store.active_households(commune)?;
    let duplicates = duplicate_pairs(store, commune, lang, &active, &dismissed, &names)?;
    let mut refused = Vec::new();
    let volunteers: HashMap<String, String> = store
        .devices(commune, d.now())?
        .into_iter()
        .map(|dv| (dv.device_id, dv.volunteer_id))
        .collect();
    for r in super::sync_report::outstanding_refusals(store, commune)? {
        let head = row(&r.doc_id)?
            .and_then(|h| h.head_name)
            .unwrap_or_default();
        refused.push(RefusedView {
            head,
            volunteer: volunteers.get(&r.device_id).cloned().unwrap_or_default(),
            reason: super::i18n::refusal_reason(lang, &r.code),
            doc_id: r.doc_id,
            device_id: r.device_id,
        });
    }
    let mut merges = Vec::new();
    for m in store.merges(commune, 20)? {
        let mut head = |id: &str| -> Result<String, PageError> {
            Ok(row(id)?
                .and_then(|r| r.head_name)
                .unwrap_or_else(|| gocua_core::screens::position_text::short_id(id)))
        };
        let state = if m.undone_at.is_some() {
            "undone"
        } else if d.hub.merge_undoable(&m).unwrap_or(false) {
            "undoable"
        } else {
            "synced"
        };
        merges.push(MergeView {
            merge_id: m.merge_id,
            keep: head(&m.keep_id)?,
            keep_id: m.keep_id.clone(),
            other: head(&m.other_id)?,
            at: local_time(&m.at),
            by: m.by.trim_start_matches("coordinator:").to_owned(),
            state,
        });
    }
    let found = store.warnings(commune, 200)?;
    // The member a warning is about, by name when the person shares with the commune.
    let member_names: HashMap<(String, String), String> =
        if found.iter().any(|w| w.member_id.is_some()) {
            store
                .members(commune)?
                .into_iter()
                .filter(|m| m.shared && !m.full_name.is_empty())
                .map(|m| ((m.doc_id, m.member_id), m.full_name))
                .collect()
        } else {
            HashMap::new()
        };
    let mut warnings: Vec<WarningView> = Vec::new();
    for w in found {
        let head = row(&w.doc_id)?
            .and_then(|r| r.head_name)
            .unwrap_or_default();
        let who = w
            .member_id
            .as_ref()
            .map(|m| {
                member_names
                    .get(&(w.doc_id.clone(), m.clone()))
                    .cloned()
                    .unwrap_or_else(|| t(lang, "member_not_shown").to_owned())
            })
            .unwrap_or_default();
        warnings.push(WarningView {
            doc_id: w.doc_id,
            head,
            who,
            field: gocua_core::screens::labels::issue_field_label(&w.field, screens_lang(lang)),
            message: lang.pick(&w.message_vi, &w.message_en).to_owned(),
        });
    }
    warnings.extend(far_from_commune(&active, lang));
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
            refused => super::page::ser(&refused),
            merges => super::page::ser(&merges),
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
            Some("merged") => Some("merged"),
            Some("unmerged") => Some("unmerged"),
            _ => None,
        };
        render(d, who, lang, notice)
    })
    .await
}

pub async fn resolve(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, _lang, form| {
        let doc_id = field(form, "household").ok_or_else(bad_form)?.to_owned();
        let path = FieldPath::from_str(field(form, "field").ok_or_else(bad_form)?).map_err(|_| bad_form())?;
        let value = field(form, "value").ok_or_else(bad_form)?.to_owned();
        let seq: u64 = field(form, "seq")
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad_form)?;
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

/// "Not a duplicate": the pair is kept off the list (on the hub; nothing changes on phones).
pub async fn dismiss(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, _lang, form| {
        let key = field(form, "key").ok_or_else(bad_form)?.to_owned();
        let docs: Vec<&str> = match key.split_once(':') {
            Some(("pair", ids)) if key.len() <= 300 => ids.split(',').collect(),
            Some(("group", ids)) if key.len() <= 4_000 => ids.split(',').collect(),
            _ => return Err(bad_form()),
        };
        let pair = key.starts_with("pair:");
        if (pair && docs.len() != 2)
            || docs.len() < 2
            || !docs.iter().all(|id| gocua_core::model::is_valid_id(id))
        {
            return Err(bad_form());
        }
        for id in &docs {
            load_own(d, who, id)?;
        }
        d.store().dismiss(&who.coordinator.commune, &key, d.now())?;
        d.audit(who, "duplicate.dismiss", &key, "ok");
        Ok(redirect("/dashboard/quality"))
    })
    .await
}
