//! The map (issue 17): the commune's households as points, from the Plus Code each carries,
//! coloured by progress (someone with the five skills, some items achieved, none) or by visits
//! (visited in the last 30 days, earlier, never), for the whole commune or one hamlet. Drawn on
//! the hub as SVG, so it reads without internet; points name the address, never a person.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use gocua_core::digital_address::decode_plus_code;
use gocua_core::text::vietnamese_order;
use gocua_core::validate::{FAR_FROM_COMMUNE_KM, commune_centre, distance_km};
use serde::Deserialize;

use super::i18n::{Lang, t};
use super::page::{D, Dash, PageError, Signed, html_response, page};
use super::svg::{self, MapPoint};

/// Days within which a visit counts as recent.
const RECENT_DAYS: i64 = 30;

#[derive(Deserialize, Default)]
pub struct MapQuery {
    hamlet: Option<String>,
    by: Option<String>,
}

/// The legend's colours.
const GREEN: &str = "#1f7a4d";
const AMBER: &str = "#d99a00";
const GREY: &str = "#8a96a0";
const RED: &str = "#c0392b";

pub fn html(d: &Dash, who: &Signed, lang: Lang, q: &MapQuery) -> Result<String, PageError> {
    let commune = &who.coordinator.commune;
    let by_visits = q.by.as_deref() == Some("visits");
    let today = crate::time::local_date(d.now());
    let mut hamlets = d.store().hamlet_names(commune)?;
    hamlets.sort_by_cached_key(|(_, name)| vietnamese_order(name));
    let hamlet = q
        .hamlet
        .as_deref()
        .filter(|h| hamlets.iter().any(|(id, _)| id == h));
    let names: HashMap<&str, &str> = hamlets
        .iter()
        .map(|(id, n)| (id.as_str(), n.as_str()))
        .collect();
    let marks: HashMap<String, _> = d
        .store()
        .household_marks(commune)?
        .into_iter()
        .map(|m| (m.doc_id.clone(), m))
        .collect();
    let (rows, _) = d.store().households(commune, "", u32::MAX, 0)?;
    let colours = if by_visits {
        [GREEN, AMBER, RED]
    } else {
        [GREEN, AMBER, GREY]
    };
    let mut points = Vec::new();
    let mut unplaced = 0u64;
    for r in rows
        .iter()
        .filter(|r| r.active && hamlet.is_none_or(|h| r.hamlet == h))
    {
        let Some((lat, lon)) = r.plus_code.as_deref().and_then(decode_plus_code) else {
            unplaced += 1;
            continue;
        };
        let mark = marks.get(&r.doc_id);
        let class = if by_visits {
            let last = mark
                .and_then(|m| m.last_visit.as_deref())
                .and_then(|v| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok());
            match last {
                Some(v) if (today - v).num_days() <= RECENT_DAYS => 0,
                Some(_) => 1,
                None => 2,
            }
        } else if r.five_skills {
            0
        } else if mark.is_some_and(|m| m.items_done > 0) {
            1
        } else {
            2
        };
        let hamlet_name = names.get(r.hamlet.as_str()).copied().unwrap_or("");
        points.push(MapPoint {
            lat,
            lon,
            colour: colours[class],
            title: [r.address.as_str(), hamlet_name]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            href: format!("/dashboard/households/{}", r.doc_id),
        });
    }
    // A position far from all the others (a fix taken in town, a typo) would shrink the commune
    // to a dot: it is left off the map and counted; the data-quality page lists it.
    let far = far_points(&mut points);
    let counts = colours.map(|c| points.iter().filter(|p| p.colour == c).count());
    let legend_keys = if by_visits {
        ["map_recent", "map_earlier", "map_never"]
    } else {
        ["map_five", "map_some", "map_none"]
    };
    let legend: Vec<_> = (0..3)
        .map(|i| {
            minijinja::context! {
                label => t(lang, legend_keys[i]), colour => colours[i], count => counts[i],
                class => ["green", "amber", if by_visits { "red" } else { "grey" }][i],
            }
        })
        .collect();
    d.render("map.html", lang, Some(who),
        minijinja::context! {
            page => "map", map => svg::map(&points), legend => legend, unplaced => unplaced, far => far,
            placed => points.len(), by => if by_visits { "visits" } else { "progress" },
            hamlet => hamlet, hamlets => hamlets.iter().map(|(id, n)| minijinja::context! { id => id, name => n }).collect::<Vec<_>>(),
        },
    )
}

/// Removes the points more than [`FAR_FROM_COMMUNE_KM`] from the commune's centre (the core's,
/// from all the positions), and says how many.
fn far_points(points: &mut Vec<MapPoint>) -> usize {
    let Some((lat, lon)) = commune_centre(points.iter().map(|p| (p.lat, p.lon))) else {
        return 0;
    };
    let before = points.len();
    points.retain(|p| distance_km(lat, lon, p.lat, p.lon) <= FAR_FROM_COMMUNE_KM);
    before - points.len()
}

pub async fn get(State(d): State<D>, Query(q): Query<MapQuery>, headers: HeaderMap) -> Response {
    page(d, headers, move |d, who, lang| {
        html(d, who, lang, &q).map(|h| html_response(StatusCode::OK, h))
    })
    .await
}
