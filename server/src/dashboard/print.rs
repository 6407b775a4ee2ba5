//! Printable household cards of a hamlet (issue 17): each household's card and take-home sheet
//! as the phones draw it (`gocua_core::screens::card`: QR, Plus Code, address, each person's
//! progress and next steps, the cautions), for the browser's print. Only what the commune may
//! see: people who do not share with the commune are left off (`commune_view`).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use gocua_core::HouseholdDoc;
use gocua_core::commune_view::{for_commune, shared_with_commune};
use gocua_core::screens::card::card_view;
use serde::Deserialize;

use super::i18n::Lang;
use super::page::{D, Dash, PageError, Signed, html_response, page, screens_lang};

/// Cards on one printed page of the site (a hamlet of a few hundred households prints in a few
/// pages; each page stays quick to draw).
const CARDS_PER_PAGE: usize = 100;

#[derive(Deserialize)]
pub struct Paging {
    page: Option<usize>,
}

pub fn html(
    d: &Dash,
    who: &Signed,
    lang: Lang,
    hamlet: &str,
    page_no: usize,
) -> Result<String, PageError> {
    let commune = &who.coordinator.commune;
    let hamlet_name = d
        .store()
        .hamlet_names(commune)?
        .into_iter()
        .find(|(id, _)| id == hamlet)
        .map(|(_, n)| n)
        .ok_or(PageError::NotFound)?;
    let ids = d.store().hamlet_households(commune, hamlet)?;
    let pages = ids.len().div_ceil(CARDS_PER_PAGE).max(1);
    let page_no = page_no.clamp(1, pages);
    let mut cards = Vec::new();
    for id in ids
        .iter()
        .skip((page_no - 1) * CARDS_PER_PAGE)
        .take(CARDS_PER_PAGE)
    {
        if let Some(card) = card(d, commune, lang, id, &hamlet_name)? {
            cards.push(card);
        }
    }
    d.render(
        "print.html",
        lang,
        Some(who),
        minijinja::context! {
            page => "overview", hamlet => hamlet_name, hamlet_id => hamlet, cards => cards,
            page_no => page_no, pages => pages, households => ids.len(),
        },
    )
}

/// A household's card and take-home sheet, as the commune may see it; `None` when the hub has no
/// such household of the commune.
fn card(
    d: &Dash,
    commune: &str,
    lang: Lang,
    id: &str,
    hamlet_name: &str,
) -> Result<Option<minijinja::Value>, PageError> {
    let Some(rec) = d.hub.store().load_doc(id)? else {
        return Ok(None);
    };
    if rec.commune != commune {
        return Ok(None);
    }
    let whole = HouseholdDoc::load(&rec.bytes)
        .and_then(|doc| doc.read())
        .map_err(|_| PageError::Internal)?;
    let mut seen = for_commune(&whole);
    seen.members.retain(|m, _| shared_with_commune(&whole, m));
    let card =
        card_view(&seen, Some(hamlet_name), screens_lang(lang)).map_err(|_| PageError::Internal)?;
    Ok(Some(minijinja::context! {
        id => id, title => card.title, address => card.address_line,
        plus_code => card.plus_code, official_code => card.official_code,
        qr => card.qr.svg, members => card.members.into_iter().map(|m| minijinja::context! {
            name => m.name, progress => m.progress_line, next_steps => m.next_steps,
        }).collect::<Vec<_>>(),
        cautions => card.general_cautions,
    }))
}

/// One household's take-home sheet, printed from its page.
pub async fn household(State(d): State<D>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    page(d, headers, move |d, who, lang| {
        if !gocua_core::model::is_valid_id(&id) {
            return Err(PageError::NotFound);
        }
        let commune = &who.coordinator.commune;
        let (_, row) = d.store().household_row(&id)?.ok_or(PageError::NotFound)?;
        let hamlet_name = d
            .store()
            .hamlet_names(commune)?
            .into_iter()
            .find(|(h, _)| *h == row.hamlet)
            .map(|(_, n)| n)
            .unwrap_or(row.hamlet.clone());
        let card = card(d, commune, lang, &id, &hamlet_name)?.ok_or(PageError::OtherCommune)?;
        let html = d.render(
            "print.html",
            lang,
            Some(who),
            minijinja::context! {
                page => "households", hamlet => hamlet_name, hamlet_id => row.hamlet,
                cards => vec![card], page_no => 1, pages => 1, households => 1, single => true,
            },
        )?;
        Ok(html_response(StatusCode::OK, html))
    })
    .await
}

pub async fn hamlet(
    State(d): State<D>,
    Path(hamlet): Path<String>,
    Query(q): Query<Paging>,
    headers: HeaderMap,
) -> Response {
    page(d, headers, move |d, who, lang| {
        html(d, who, lang, &hamlet, q.page.unwrap_or(1)).map(|h| html_response(StatusCode::OK, h))
    })
    .await
}
