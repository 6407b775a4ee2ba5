//! The coordinators' dashboard, served by the hub under `/dashboard/`: server-rendered pages
//! (minijinja templates in `server/templates/`), SVG charts drawn here, JavaScript only where it
//! helps. Vietnamese by default, English by a switch. A coordinator signs in (argon2), holds a
//! session cookie (HttpOnly, SameSite=Strict, Secure on TLS), sends a CSRF token with every
//! form, and sees only their own commune. Every action goes to the audit log.
//!
//! One file per page. Pages ask the query trait [`DashboardStore`] (`crate::store::query`), never
//! a backend, never SQL; its answers come from query tables derived from the documents
//! ([`crate::projection`]).

pub mod activity;
pub mod areas;
pub mod audit;
pub mod auth;
pub mod bundles;
pub mod clock_fix;
pub mod date_range;
pub mod devices;
pub mod erasure;
pub mod exports;
pub mod field_edit;
pub mod households;
pub mod i18n;
pub mod import;
pub mod map;
pub mod merge;
pub mod overview;
pub mod print;
pub mod province;
pub mod quality;
pub mod svg;
pub mod sync_report;
pub mod targets;
pub mod team;
pub mod upload;

mod page;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};

pub use crate::store::query::DashboardStore;
pub use page::*;

use crate::hub::Hub;

#[derive(serde::Deserialize)]
struct LangQuery {
    back: Option<String>,
}

async fn set_lang(Path(lang): Path<String>, Query(q): Query<LangQuery>) -> Response {
    let lang = if lang == "en" { "en" } else { "vi" };
    let back = q
        .back
        .filter(|b| b.starts_with("/dashboard") && !b.contains("//") && !b.contains('\\'))
        .unwrap_or_else(|| "/dashboard/".into());
    let mut resp = redirect(&back);
    if let Ok(v) = HeaderValue::from_str(&format!(
        "gocua_lang={lang}; Path=/dashboard; Max-Age=31536000; SameSite=Strict"
    )) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

/// Bytes of an upload read at most (the import's own limit is far lower).
const UPLOAD_READ_LIMIT: usize = 256 * 1024 * 1024;

/// The dashboard's routes; empty when the hub's store has no dashboard queries.
pub fn router(hub: Arc<Hub>, tls: bool) -> Router {
    if hub.store().dashboard().is_none() {
        return Router::new();
    }
    let d: D = Arc::new(Dash::new(hub, tls));
    Router::new()
        .route("/dashboard", get(|| async { redirect("/dashboard/") }))
        .route("/dashboard/", get(overview::get))
        .route("/dashboard/login", get(auth::login_form).post(auth::login))
        .route("/dashboard/logout", post(auth::logout))
        .route("/dashboard/lang/{lang}", get(set_lang))
        .route("/dashboard/sync", get(sync_report::get))
        .route("/dashboard/sync/threshold", post(sync_report::threshold))
        .route("/dashboard/sync/device/{id}", get(sync_report::device))
        .route("/dashboard/quality", get(quality::get))
        .route("/dashboard/quality/resolve", post(quality::resolve))
        .route("/dashboard/quality/dismiss", post(quality::dismiss))
        .route(
            "/dashboard/quality/merge",
            get(merge::confirm).post(merge::merge),
        )
        .route("/dashboard/quality/unmerge", post(merge::undo))
        .route("/dashboard/households", get(households::list))
        .route("/dashboard/households/{id}", get(households::show))
        .route("/dashboard/households/{id}/edit", post(field_edit::edit))
        .route(
            "/dashboard/households/{id}/hamlet",
            post(field_edit::move_hamlet),
        )
        .route("/dashboard/households/{id}/clock", post(clock_fix::correct))
        .route("/dashboard/devices", get(devices::get))
        .route("/dashboard/devices/pair", post(devices::pair))
        .route("/dashboard/devices/revoke", post(devices::revoke))
        .route("/dashboard/devices/unpair", post(devices::unpair))
        .route("/dashboard/targets", post(targets::post))
        .route("/dashboard/areas", get(areas::get).post(areas::post))
        .route("/dashboard/devices/move", post(devices::move_to_area))
        .route("/dashboard/devices/pause", post(devices::pause))
        .route("/dashboard/team", get(team::get).post(team::post))
        .route(
            "/dashboard/import",
            get(import::get).post(import::check).layer(
                // A file over the import's limit is read to the end (up to this) and dropped, so
                // the browser receives the page that says so.
                axum::extract::DefaultBodyLimit::max(UPLOAD_READ_LIMIT),
            ),
        )
        .route(
            "/dashboard/bundles",
            get(bundles::get)
                .post(bundles::upload)
                .layer(axum::extract::DefaultBodyLimit::max(bundles::UPLOAD_LIMIT)),
        )
        .route("/dashboard/bundles/{receipt}/answer", get(bundles::answer))
        .route("/dashboard/import/template.csv", get(import::template))
        .route("/dashboard/province", get(province::get))
        .route("/dashboard/import/apply", post(import::apply))
        .route("/dashboard/team/password", post(team::password))
        .route("/dashboard/activity", get(activity::get))
        .route("/dashboard/map", get(map::get))
        .route("/dashboard/print/hamlet/{hamlet}", get(print::hamlet))
        .route("/dashboard/print/household/{id}", get(print::household))
        .route("/dashboard/erasure", get(erasure::get))
        .route("/dashboard/erasure/decide", post(erasure::decide))
        .route("/dashboard/erasure/erase", post(erasure::erase))
        .route("/dashboard/exports", get(exports::get))
        .route("/dashboard/exports/{file}", get(exports::download))
        .route("/dashboard/audit", get(audit::get))
        .route(
            "/dashboard/static/app.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "max-age=3600"),
                    ],
                    include_str!("../../templates/app.js"),
                )
            }),
        )
        .route(
            "/dashboard/static/app.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, "max-age=3600"),
                    ],
                    include_str!("../../templates/app.css"),
                )
            }),
        )
        // Forms only: a sign-in form is read before anyone is known, so it must stay small.
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
        .with_state(d)
}
