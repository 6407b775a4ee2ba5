//! Households: search without diacritics, and a household's page: members (ID numbers masked),
//! checklist, consent, visits, digital address and its card, and the history of who changed
//! what, when, on which device.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use gocua_core::commune_view::{for_commune, shared_with_commune};
use gocua_core::digital_address::card_payload;
use gocua_core::model::{ChecklistItem, Household};
use gocua_core::screens::field_edit::{HOUSEHOLD_TEXT_KEYS, MEMBER_TEXT_KEYS};
use gocua_core::screens::history::change_text;
use gocua_core::screens::labels;
use gocua_core::text::fold;
use serde::Serialize;

use super::clock_fix;
use super::i18n::{Lang, t};
use super::page::{
    D, Dash, PageError, Signed, local_time, mask_id_number, num, ok_page, page, screens_lang,
};
use super::quality::load_own;
use super::svg;

const PAGE: u32 = 50;

#[derive(serde::Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    page: Option<u32>,
}

pub async fn list(
    State(d): State<D>,
    Query(q): Query<SearchQuery>,
    headers: HeaderMap,
) -> Response {
    page(d, headers, move |d, who, lang| {
        let query = q.q.unwrap_or_default();
        let query: String = query.chars().take(100).collect();
        let p = q.page.unwrap_or(0).min(10_000);
        let hamlets = d.store().hamlet_names(&who.coordinator.commune)?;
        let (rows, total) =
            d.store()
                .households(&who.coordinator.commune, &fold(&query), PAGE, p * PAGE)?;
        let rows: Vec<_> = rows
            .into_iter()
            .map(|r| {
                let hamlet = hamlets
                    .iter()
                    .find(|(id, _)| *id == r.hamlet)
                    .map(|(_, n)| n.clone())
                    .unwrap_or(r.hamlet.clone());
                minijinja::context! {
                    doc_id => r.doc_id, head => r.head_name, hamlet => hamlet, address => r.address,
                    members => r.members, five => r.five_skills, active => r.active,
                    conflicts => r.conflicts, warnings => r.warnings,
                }
            })
            .collect();
        ok_page(
            d,
            "households.html",
            lang,
            who,
            minijinja::context! {
                page => "households", q => query, rows => rows, total => num(total, lang),
                prev => p.checked_sub(1), next => ((p + 1) * PAGE < total as u32).then_some(p + 1),
            },
        )
    })
    .await
}

#[derive(Serialize)]
pub(super) struct MemberView {
    id: String,
    name: String,
    birth: String,
    gender: String,
    relation: String,
    id_number: String,
    phone: String,
    residence: String,
    head: bool,
    /// Consent in force to share with the commune; otherwise only counted.
    shared: bool,
    consent: String,
    consent_detail: String,
}

/// The members of `h` as the commune may see them (`h` is `commune_view::for_commune`'s): a person
/// who has not consented to sharing is a row that says so, with nothing personal.
pub(super) fn members(h: &Household, lang: Lang) -> Vec<MemberView> {
    h.current_members()
        .map(|m| {
            let shared = shared_with_commune(h, &m.id);
            let consent = match h.current_consent(&m.id) {
                None => t(lang, "no_consent").to_owned(),
                Some(p) => [
                    (p.local_register, "consent_local"),
                    (p.setup_help, "consent_help"),
                    (p.share_with_commune, "consent_share"),
                ]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, k)| t(lang, k))
                .collect::<Vec<_>>()
                .join(", "),
            };
            let last = h.consents.iter().rev().find(|c| c.member == m.id);
            MemberView {
                id: m.id.0.clone(),
                name: if shared {
                    m.full_name.clone()
                } else {
                    t(lang, "not_shared").to_owned()
                },
                shared,
                birth: m.birth.map(|b| b.to_code()).unwrap_or_default(),
                gender: m
                    .gender
                    .map(|g| lang.pick(g.label_vi(), g.label_en()).to_owned())
                    .unwrap_or_default(),
                relation: lang
                    .pick(m.relation.label_vi(), m.relation.label_en())
                    .to_owned(),
                id_number: m
                    .id_number
                    .as_deref()
                    .map(mask_id_number)
                    .unwrap_or_default(),
                phone: m.phone.clone().unwrap_or_default(),
                residence: lang
                    .pick(m.residence.label_vi(), m.residence.label_en())
                    .to_owned(),
                head: h.head.as_ref() == Some(&m.id),
                consent,
                consent_detail: last
                    .map(|c| {
                        format!(
                            "{} · {} · {} · {} · v{}",
                            lang.pick(c.action.label_vi(), c.action.label_en()),
                            lang.pick(c.method.label_vi(), c.method.label_en()),
                            c.volunteer,
                            local_time(&c.at.to_rfc3339()),
                            c.notice_version
                        )
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The warnings of the household as the commune sees it, each with the member it is about.
fn warnings_of(
    h: &Household,
    lang: Lang,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<minijinja::Value> {
    crate::projection::warnings(h, now)
        .into_iter()
        .map(|(member, issue)| {
            let who = member
                .and_then(|m| h.members.get(&gocua_core::model::MemberId(m)))
                .map(|m| m.full_name.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or_default();
            minijinja::context! {
                who => who,
                field => gocua_core::screens::labels::issue_field_label(&issue.field, screens_lang(lang)),
                message => lang.pick(&issue.message_vi, &issue.message_en).to_owned(),
            }
        })
        .collect()
}

/// What the edit form offers: the household, then each member who shares with the commune
/// (the others' personal fields are corrected on a phone only).
fn edit_targets(h: &Household, lang: Lang) -> (Vec<minijinja::Value>, Vec<minijinja::Value>) {
    let mut targets = vec![minijinja::context! { id => "", label => t(lang, "household") }];
    targets.extend(
        h.current_members()
            .filter(|m| shared_with_commune(h, &m.id))
            .map(|m| minijinja::context! { id => m.id.0.clone(), label => m.full_name.clone() }),
    );
    let sl = screens_lang(lang);
    let mut keys: Vec<minijinja::Value> = HOUSEHOLD_TEXT_KEYS
        .iter()
        .map(|k| minijinja::context! { key => *k, label => labels::household_key_label(k, sl).unwrap_or_else(|| (*k).to_owned()), member => false })
        .collect();
    keys.extend(MEMBER_TEXT_KEYS.iter().map(|k| {
        minijinja::context! { key => *k, label => labels::member_key_label(k, sl).unwrap_or_else(|| (*k).to_owned()), member => true }
    }));
    (targets, keys)
}

fn render(
    d: &Dash,
    who: &Signed,
    lang: Lang,
    id: &str,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let (mut doc, seq, hamlet) = load_own(d, who, id)?;
    let whole = doc.read().map_err(|_| PageError::Internal)?;
    let h = for_commune(&whole);
    let history = doc.history().map_err(|_| PageError::Internal)?;
    let conflicts = doc.conflicts().map(|c| c.len()).unwrap_or(0);
    let hamlets = d.store().hamlet_names(&who.coordinator.commune)?;
    let hamlet_options: Vec<_> = hamlets
        .iter()
        .map(|(id, name)| minijinja::context! { id => id, name => name, current => *id == hamlet })
        .collect();
    let hamlet_name = hamlets
        .into_iter()
        .find(|(h, _)| *h == hamlet)
        .map(|(_, n)| n)
        .unwrap_or(hamlet);
    // The checklist per person, for the people who share; the others are counted only.
    let current: Vec<_> = h
        .current_members()
        .filter(|m| shared_with_commune(&h, &m.id))
        .collect();
    let not_shared = h.current_members().count() - current.len();
    let checklist: Vec<_> = ChecklistItem::ALL
        .iter()
        .map(|item| {
            let cells: Vec<_> = current
                .iter()
                .map(|m| match m.checklist.get(item) {
                    Some(e) => minijinja::context! {
                        status => lang.pick(e.status.label_vi(), e.status.label_en()),
                        code => e.status.code(),
                        achieved => e.status.is_achieved(),
                        by => format!("{} · {}", e.set_by, local_time(&e.set_at.to_rfc3339())),
                    },
                    None => minijinja::context! { status => "—", code => "", achieved => false, by => "" },
                })
                .collect();
            minijinja::context! {
                label => lang.pick(item.label_vi(), item.label_en()),
                five => ChecklistItem::FIVE_SKILLS.contains(item),
                cells => cells,
            }
        })
        .collect();
    let visits: Vec<_> = h
        .visits
        .iter()
        .rev()
        .map(|v| {
            minijinja::context! {
                date => v.date.to_string(),
                outcome => lang.pick(v.outcome.label_vi(), v.outcome.label_en()),
                volunteer => v.volunteer.0.clone(),
                note => v.note.clone(),
                follow_up => v.follow_up_on.map(|d| d.to_string()),
            }
        })
        .collect();
    let history: Vec<_> = history
        .iter()
        .rev()
        .map(|e| {
            minijinja::context! {
                at => e.at.map(|a| local_time(&a.to_rfc3339())).unwrap_or_default(),
                volunteer => e.volunteer.as_ref().map(|v| v.0.clone()),
                device => e.device.as_ref().map(|v| v.0.clone()),
                what => change_text(&e.what, &h, screens_lang(lang)),
            }
        })
        .collect();
    let payload = card_payload(&h.id, h.digital_address.plus_code.as_deref());
    let da = &h.digital_address;
    let address = h.address.one_line();
    let (targets, keys) = edit_targets(&h, lang);
    ok_page(
        d,
        "household.html",
        lang,
        who,
        minijinja::context! {
            page => "households",
            id => h.id.0.clone(),
            head => h.head_member().map(|m| m.full_name.clone()).filter(|n| !n.is_empty()),
            not_shared => not_shared,
            hamlet => hamlet_name,
            address => address,
            lifecycle => lang.pick(h.lifecycle.label_vi(), h.lifecycle.label_en()),
            merged_into => h.merged_into.as_ref().map(|m| m.0.clone()),
            notes => h.notes.clone(),
            five => h.has_member_with_5_skills(),
            conflicts => conflicts,
            members => super::page::ser(members(&h, lang)),
            member_names => current.iter().map(|m| m.full_name.clone()).collect::<Vec<_>>(),
            checklist => checklist,
            visits => visits,
            history => history,
            plus_code => da.plus_code.clone(),
            gps => da.gps.as_ref().map(|g| format!("{:.6}, {:.6} (±{:.0} m, {})", g.lat, g.lon, g.accuracy_m, lang.pick(g.source.label_vi(), g.source.label_en()))),
            official => da.official.as_ref().map(|o| format!("{} {}", o.scheme, o.code)),
            dataset => da.dataset_version.clone(),
            card_payload => payload.clone(),
            card_qr => svg::qr(&payload),
            created => format!("{} · {}", h.created_by, local_time(&h.created_at.to_rfc3339())),
            seq => seq,
            hamlet_options => hamlet_options,
            notice => notice.map(|n| t(lang, n)),
            warnings => warnings_of(&h, lang, d.now()),
            clock_offers => clock_fix::offers(d, &who.coordinator.commune, &h, lang)?
                .into_iter()
                .map(|(device, text)| minijinja::context! { device => device, text => text })
                .collect::<Vec<_>>(),
            edit_targets => targets,
            edit_keys => keys,
        },
    )
}

#[derive(serde::Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn show(
    State(d): State<D>,
    Path(id): Path<String>,
    Query(q): Query<Done>,
    headers: HeaderMap,
) -> Response {
    page(d, headers, move |d, who, lang| {
        let notice = match q.done.as_deref() {
            Some("edited") => Some("edited"),
            Some("moved") => Some("moved"),
            _ => None,
        };
        let result = render(d, who, lang, &id, notice);
        if matches!(result, Err(PageError::OtherCommune)) {
            d.audit(who, "household.view", &id, "refused_other_commune");
        }
        result
    })
    .await
}
