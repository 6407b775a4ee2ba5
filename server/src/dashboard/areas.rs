//! Areas and hamlets (issue 17): the commune's areas with their hamlets and households; an editor
//! creates an area, adds, renames, moves, merges and retires hamlets (`crate::hamlet_admin`).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::i18n::{Lang, t};
use super::page::{D, Dash, PageError, Signed, action, field, ok_page, page};
use crate::{admin, hamlet_admin};

fn render(
    d: &Dash,
    who: &Signed,
    lang: Lang,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let commune = &who.coordinator.commune;
    let store = d.hub.store();
    let mut areas = Vec::new();
    for a in d.store().areas(commune)? {
        let mut hamlets = Vec::new();
        for (id, name) in a.hamlets {
            let households = store.hamlet_docs(commune, &id)?.len();
            hamlets.push(minijinja::context! { id => id, name => name, households => households });
        }
        areas
            .push(minijinja::context! { area_id => a.area_id, name => a.name, hamlets => hamlets });
    }
    ok_page(
        d,
        "areas.html",
        lang,
        who,
        minijinja::context! { page => "areas", areas => areas, notice => notice },
    )
}

pub async fn get(State(d): State<D>, headers: HeaderMap) -> Response {
    page(d, headers, |d, who, lang| render(d, who, lang, None)).await
}

/// One form of the page: what it does, by its `op` field.
pub async fn post(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, lang, form| {
        let commune = who.coordinator.commune.clone();
        let store = d.hub.store();
        let store = store.as_ref();
        let get = |k: &str| field(form, k).unwrap_or("").trim().to_owned();
        let op = get("op");
        let hamlet = get("hamlet");
        let (target, result) = match op.as_str() {
            "create_area" => {
                let hamlets: Vec<String> = get("hamlets")
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect();
                let id = get("area_id");
                let taken = store.area(&id)?.is_some();
                let r = if taken {
                    Err(admin::AdminError::Invalid {
                        vi: "mã địa bàn này đã có".into(),
                        en: "this area id is already taken".into(),
                    })
                } else {
                    admin::create_area(store, &id, &get("name"), &commune, &hamlets)
                        .map(|a| format!("{} ({})", a.name, a.hamlets.len()))
                };
                (
                    id,
                    r.map(|what| t(lang, "area_created").replace("{what}", &what)),
                )
            }
            "add_hamlet" => {
                let area = get("area");
                let r = hamlet_admin::add_hamlet(store, &commune, &area, &get("name"))
                    .map(|h| t(lang, "hamlet_added").replace("{what}", &h.name));
                (area, r)
            }
            "rename_hamlet" => {
                let r = hamlet_admin::rename_hamlet(store, &commune, &hamlet, &get("name"))
                    .map(|h| t(lang, "hamlet_renamed").replace("{what}", &h.name));
                (hamlet, r)
            }
            "move_hamlet" => {
                let r = hamlet_admin::move_hamlet(store, &commune, &hamlet, &get("area"))
                    .map(|()| t(lang, "hamlet_moved").to_owned());
                (hamlet, r)
            }
            "merge_hamlet" => {
                let into = get("into");
                let r = hamlet_admin::merge_hamlet(
                    store,
                    &who.coordinator.coordinator_id,
                    &commune,
                    &hamlet,
                    &into,
                    d.now(),
                )
                .map(|m| {
                    t(
                        lang,
                        if m.left == 0 {
                            "hamlet_merged"
                        } else {
                            "hamlet_merge_partial"
                        },
                    )
                    .replace("{moved}", &m.moved.to_string())
                    .replace("{left}", &m.left.to_string())
                });
                (format!("{hamlet} -> {into}"), r)
            }
            "retire_hamlet" => {
                let r = hamlet_admin::retire_hamlet(store, &commune, &hamlet, d.now())
                    .map(|()| t(lang, "hamlet_retired").to_owned());
                (hamlet, r)
            }
            _ => return Err(super::page::bad_form()),
        };
        let action = format!("area.{op}");
        match result {
            Ok(notice) => {
                d.audit(who, &action, &target, "ok");
                render(d, who, lang, Some(notice))
            }
            Err(e) => {
                d.audit(who, &action, &target, "refused");
                Err(PageError::from(e))
            }
        }
    })
    .await
}
