//! Import of the commune's existing lists (issue 17), in two steps: the coordinator uploads a
//! file and reads each row's verdict (a dry run: nothing is written), then imports it. The file
//! is kept in the store between the two (any hub process may take the second step) and checked
//! again then, against the commune as it is at that moment (`crate::import`).

use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Duration;

use super::i18n::{Lang, t};
use super::page::{
    D, Dash, PageError, Signed, action, blocking, error_page, field, lang_of, ok_page, page, poster,
};
use super::upload::read_upload;
use crate::hub::secret_hash;
use crate::import::{self, RowStatus, table};

/// How long a checked file waits for its import.
fn pending_ttl() -> Duration {
    Duration::hours(1)
}

/// Rows listed on the page: those with something to say first, then the others.
const ROWS_SHOWN: usize = 500;

fn render(
    d: &Dash,
    who: &Signed,
    lang: Lang,
    checked: Option<(import::ImportReport, Option<String>)>,
    done: Option<String>,
) -> Result<Response, PageError> {
    let pick = |(vi, en): &(String, String)| lang.pick(vi, en).to_owned();
    let report = checked.map(|(r, token)| {
        let mut rows: Vec<&import::RowReport> = r.rows.iter().collect();
        rows.sort_by_key(|row| (row.messages.is_empty(), row.line));
        let rows: Vec<_> = rows
            .into_iter()
            .take(ROWS_SHOWN)
            .map(|row| {
                let status = match row.status {
                    RowStatus::New => "import_new",
                    RowStatus::AlreadyImported => "import_already",
                    RowStatus::AlreadyRegistered => "import_registered",
                    RowStatus::Error => "import_error",
                };
                minijinja::context! {
                    line => row.line, key => row.household_key.clone(), status => status,
                    status_label => t(lang, status),
                    messages => row.messages.iter().map(pick).collect::<Vec<_>>(),
                }
            })
            .collect();
        minijinja::context! {
            rows => rows, shown => ROWS_SHOWN.min(r.rows.len()), total_rows => r.rows.len(),
            notes => r.notes.iter().map(pick).collect::<Vec<_>>(),
            households_new => r.households_new, members_new => r.members_new,
            skipped => r.households_skipped, errors => r.errors, token => token,
        }
    });
    ok_page(
        d,
        "import.html",
        lang,
        who,
        minijinja::context! { page => "import", report => report, done => done },
    )
}

pub async fn get(State(d): State<D>, headers: HeaderMap) -> Response {
    page(d, headers, |d, who, lang| render(d, who, lang, None, None)).await
}

pub async fn template() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"gocua-mau-nhap-ho.csv\"",
            ),
        ],
        import::template_csv(),
    )
        .into_response()
}

/// Step one: the uploaded file checked, each row's verdict shown, nothing written.
pub async fn check(State(d): State<D>, headers: HeaderMap, multipart: Multipart) -> Response {
    let upload = read_upload(multipart, "file", 1, table::MAX_FILE_BYTES).await;
    blocking(move || {
        let lang = lang_of(&headers);
        let csrf = upload.as_ref().map(|u| u.csrf.as_str()).unwrap_or("");
        let who = match poster(&d, &headers, csrf, true) {
            Ok(who) => who,
            Err((who, e)) => return error_page(&d, lang, who.as_deref(), &e),
        };
        let result = (|| {
            let Some(upload) = upload else {
                return Err(super::page::bad_form());
            };
            let file = upload.files.first();
            if file.is_some_and(|f| f.too_large) {
                d.audit(&who, "import.check", "too_large", "refused");
                let u = table::too_large();
                return Err(PageError::Invalid(u.vi, u.en));
            }
            // No file chosen reads as an empty one: the table's own message says so.
            let bytes = file.map(|f| f.bytes.as_slice()).unwrap_or_default();
            let table = table::read(bytes).map_err(|u| {
                d.audit(&who, "import.check", "unreadable", "refused");
                PageError::Invalid(u.vi, u.en)
            })?;
            let commune = &who.coordinator.commune;
            let coordinator = &who.coordinator.coordinator_id;
            let plan = import::plan(
                d.hub.store().as_ref(),
                coordinator,
                commune,
                &table,
                d.now(),
            )?;
            let token = if plan.report.can_import() {
                let token = hex::encode(rand::random::<[u8; 16]>());
                d.hub.store().put_pending_import(
                    &secret_hash(&token),
                    coordinator,
                    bytes,
                    d.now(),
                    d.now() - pending_ttl(),
                )?;
                Some(token)
            } else {
                None
            };
            let summary = format!(
                "{} new, {} skipped, {} errors",
                plan.report.households_new, plan.report.households_skipped, plan.report.errors
            );
            d.audit(&who, "import.check", &summary, "ok");
            render(&d, &who, lang, Some((plan.report, token)), None)
        })();
        result.unwrap_or_else(|e| {
            let status = match &e {
                PageError::Invalid(..) => StatusCode::BAD_REQUEST,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            let mut r = error_page(&d, lang, Some(&who), &e);
            if status == StatusCode::BAD_REQUEST {
                *r.status_mut() = status;
            }
            r
        })
    })
    .await
}

/// Step two: the kept file checked again and imported, all of it or nothing.
pub async fn apply(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, lang, form| {
        let token = field(form, "token").unwrap_or("");
        let coordinator = &who.coordinator.coordinator_id;
        let store = d.hub.store();
        let Some(file) =
            store.take_pending_import(&secret_hash(token), coordinator, d.now() - pending_ttl())?
        else {
            return Err(PageError::Invalid(
                "Tệp đã kiểm tra không còn (đã nhập, hoặc quá một giờ): hãy tải lên lại.".into(),
                "The checked file is gone (imported already, or over an hour ago): upload it again."
                    .into(),
            ));
        };
        let table = table::read(&file).map_err(|u| PageError::Invalid(u.vi, u.en))?;
        let plan = import::plan(
            store.as_ref(),
            coordinator,
            &who.coordinator.commune,
            &table,
            d.now(),
        )?;
        if !plan.report.can_import() {
            // Something changed since the check: show the new verdict, import nothing.
            return render(d, who, lang, Some((plan.report, None)), None);
        }
        let n = import::apply(store.as_ref(), coordinator, &plan, d.now())?;
        d.audit(who, "import.apply", &format!("{n} households"), "ok");
        let done = t(lang, "import_done").replace("{n}", &n.to_string());
        render(d, who, lang, None, Some(done))
    })
    .await
}
