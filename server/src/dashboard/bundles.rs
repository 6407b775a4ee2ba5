//! Sealed bundles at the dashboard (issue 19): a coordinator uploads the bundles a volunteer
//! brought from a hamlet without coverage (a USB stick, files shared to a computer), reads what
//! became of each delivery (by a carrier phone, here, or on the command line), and downloads
//! the answers to carry back. The hub checks each bundle whole before it reads it; an answer can
//! be opened only by its phone.

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gocua_core::bundle::{BundleError, MAX_BUNDLE_BYTES};
use gocua_core::sync::bundle_file_name;

use super::i18n::{Lang, t};
use super::page::{
    D, Dash, PageError, Signed, blocking, error_page, lang_of, ok_page, page, poster,
};
use super::upload::read_upload;
use crate::hub::Via;

/// Deliveries listed on the page, newest first.
const LISTED: u32 = 200;
/// Files taken from one upload.
const MAX_FILES: usize = 50;
/// The upload's body limit: a stick's worth of bundles (each a few hundred KB).
pub const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

/// The outcome of a delivery in the coordinator's words.
fn outcome_text(lang: Lang, code: &str) -> String {
    if code == "applied" {
        return t(lang, "bundle_applied").to_owned();
    }
    match BundleError::from_code(code) {
        Some(e) => {
            let (vi, en) = e.messages();
            lang.pick(&vi, &en).to_owned()
        }
        None => code.to_owned(),
    }
}

fn via_text(lang: Lang, via: &str) -> String {
    match via.split_once(':') {
        Some(("carrier", device)) => format!("{} {device}", t(lang, "bundle_via_carrier")),
        Some(("dashboard", login)) => format!("{} {login}", t(lang, "bundle_via_dashboard")),
        Some(("cli", login)) => format!("{} {login}", t(lang, "bundle_via_cli")),
        _ => via.to_owned(),
    }
}

fn render(
    d: &Dash,
    who: &Signed,
    lang: Lang,
    uploaded: Vec<minijinja::Value>,
) -> Result<Response, PageError> {
    let commune = &who.coordinator.commune;
    let store = d.store();
    let volunteers: std::collections::HashMap<String, String> = store
        .devices(commune, d.now())?
        .into_iter()
        .map(|r| (r.device_id, r.volunteer_id))
        .collect();
    let rows: Vec<_> = d
        .hub
        .store()
        .bundles_received(commune, LISTED)?
        .into_iter()
        .map(|r| {
            minijinja::context! {
                receipt => r.receipt_id,
                bundle => r.bundle_id.chars().take(12).collect::<String>(),
                at => super::page::local_time(&crate::time::ts(r.received_at)),
                device => r.device_id.chars().take(12).collect::<String>(),
                volunteer => volunteers.get(&r.device_id).cloned(),
                via => via_text(lang, &r.via),
                applied => r.outcome == "applied",
                outcome => outcome_text(lang, &r.outcome),
                households => r.households,
                answer => r.has_answer,
            }
        })
        .collect();
    ok_page(
        d,
        "bundles.html",
        lang,
        who,
        minijinja::context! {
            page => "bundles", rows => rows, uploaded => uploaded,
            max_files => MAX_FILES,
        },
    )
}

pub async fn get(State(d): State<D>, headers: HeaderMap) -> Response {
    page(d, headers, |d, who, lang| render(d, who, lang, Vec::new())).await
}

/// The upload: each file applied as its phone's sync (or refused with its reason).
pub async fn upload(State(d): State<D>, headers: HeaderMap, multipart: Multipart) -> Response {
    let upload = read_upload(multipart, "files", MAX_FILES, MAX_BUNDLE_BYTES).await;
    blocking(move || {
        let lang = lang_of(&headers);
        let csrf = upload.as_ref().map(|u| u.csrf.as_str()).unwrap_or("");
        let who = match poster(&d, &headers, csrf, true) {
            Ok(who) => who,
            Err((who, e)) => return error_page(&d, lang, who.as_deref(), &e),
        };
        let Some(upload) = upload.filter(|u| !u.files.is_empty()) else {
            return error_page(
                &d,
                lang,
                Some(&who),
                &PageError::Invalid(
                    "Chưa chọn tệp gói đồng bộ nào.".into(),
                    "No sync bundle file was chosen.".into(),
                ),
            );
        };
        let commune = who.coordinator.commune.clone();
        let via = Via::Dashboard(who.coordinator.coordinator_id.clone());
        let mut uploaded = Vec::new();
        for file in &upload.files {
            let (ok, text) = if file.too_large {
                let e = BundleError::Content("larger than 64 MiB".into());
                (false, outcome_text(lang, e.code()))
            } else {
                match d.hub.receive_in_commune(&file.bytes, &commune, &via) {
                    Ok(done) => (
                        true,
                        t(lang, "bundle_uploaded_applied")
                            .replace("{n}", &done.households.to_string())
                            .replace("{stored}", &done.stored.to_string())
                            .replace("{refused}", &done.rejected.to_string()),
                    ),
                    Err(e) => {
                        let (vi, en) = e.messages();
                        (false, lang.pick(&vi, &en).to_owned())
                    }
                }
            };
            uploaded.push(minijinja::context! { name => &file.name, ok => ok, text => text });
        }
        if upload.too_many {
            uploaded.push(minijinja::context! {
                name => "", ok => false,
                text => t(lang, "bundle_too_many").replace("{n}", &MAX_FILES.to_string()),
            });
        }
        render(&d, &who, lang, uploaded).unwrap_or_else(|e| error_page(&d, lang, Some(&who), &e))
    })
    .await
}

/// A delivery's sealed answer, to carry back to its phone.
pub async fn answer(State(d): State<D>, Path(receipt): Path<i64>, headers: HeaderMap) -> Response {
    page(d, headers, move |d, who, _lang| {
        let Some((_, bytes)) = d
            .hub
            .store()
            .bundle_answer(&who.coordinator.commune, receipt)?
        else {
            return Err(PageError::NotFound);
        };
        let name = bundle_file_name(&bytes).map_err(|_| PageError::NotFound)?;
        let mut resp = (StatusCode::OK, bytes).into_response();
        let h = resp.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(gocua_core::sync::bundle_wire::BUNDLE_CONTENT_TYPE),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        Ok(resp)
    })
    .await
}
