//! What every page of the dashboard shares: its state ([`Dash`]), the signed-in coordinator
//! ([`signed_in`]), errors ([`PageError`]), rendering and small formatting helpers. The pages
//! (one file each) use this; the router in `mod.rs` uses the pages.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use minijinja::Environment;
use serde::Serialize;

use super::i18n::{self, Lang};
use crate::store::query::DashboardStore;
use crate::store::query::{AuditEntry, CoordinatorLogin, WebSession};

use crate::hub::{Hub, secret_hash};

/// The dashboard's state: the hub, whether it is served over TLS, and the templates.
pub struct Dash {
    pub hub: Arc<Hub>,
    pub tls: bool,
    env: Environment<'static>,
    /// How long a sign-in lasts.
    pub session_ttl: chrono::Duration,
    /// Failed sign-ins per client address and per coordinator id ([`SIGN_IN_FAILURES`]
    /// within [`SIGN_IN_WINDOW`]).
    pub sign_in_limit: crate::limit::FailureLimiter,
}

pub type D = Arc<Dash>;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("error.html", include_str!("../../templates/error.html")),
    (
        "overview.html",
        include_str!("../../templates/overview.html"),
    ),
    ("sync.html", include_str!("../../templates/sync.html")),
    ("print.html", include_str!("../../templates/print.html")),
    (
        "activity.html",
        include_str!("../../templates/activity.html"),
    ),
    ("map.html", include_str!("../../templates/map.html")),
    ("areas.html", include_str!("../../templates/areas.html")),
    ("team.html", include_str!("../../templates/team.html")),
    ("import.html", include_str!("../../templates/import.html")),
    ("bundles.html", include_str!("../../templates/bundles.html")),
    (
        "province.html",
        include_str!("../../templates/province.html"),
    ),
    (
        "range_form.html",
        include_str!("../../templates/range_form.html"),
    ),
    ("device.html", include_str!("../../templates/device.html")),
    (
        "sessions.html",
        include_str!("../../templates/sessions.html"),
    ),
    ("quality.html", include_str!("../../templates/quality.html")),
    ("merge.html", include_str!("../../templates/merge.html")),
    (
        "households.html",
        include_str!("../../templates/households.html"),
    ),
    (
        "household.html",
        include_str!("../../templates/household.html"),
    ),
    ("devices.html", include_str!("../../templates/devices.html")),
    ("erasure.html", include_str!("../../templates/erasure.html")),
    ("exports.html", include_str!("../../templates/exports.html")),
    ("audit.html", include_str!("../../templates/audit.html")),
];

/// A device's (or any record's) id as people read it in a list: its first 8 characters, enough
/// to tell a commune's phones apart (32 hex characters were read by nobody); the whole id stays
/// in links and data attributes.
pub fn short_id(id: String) -> String {
    gocua_core::screens::position_text::short_id(&id)
}

impl Dash {
    pub fn new(hub: Arc<Hub>, tls: bool) -> Self {
        let mut env = Environment::new();
        env.add_filter("short_id", short_id);
        for (name, source) in TEMPLATES {
            if let Err(e) = env.add_template(name, source) {
                // A broken template is a build defect; every page then shows the error page.
                tracing::error!(template = name, error = %e, "dashboard template");
            }
        }
        Self {
            hub,
            tls,
            env,
            session_ttl: chrono::Duration::hours(8),
            sign_in_limit: crate::limit::FailureLimiter::new(SIGN_IN_FAILURES, SIGN_IN_WINDOW),
        }
    }

    pub fn store(&self) -> &dyn DashboardStore {
        // The router is only built for stores that have a dashboard.
        self.hub
            .store()
            .dashboard()
            .expect("router built only for stores with a dashboard")
    }

    /// The hub's clock (a test's fixed one too), so a page and the sync agree on the day.
    pub fn now(&self) -> DateTime<Utc> {
        self.hub.now()
    }

    /// Renders a template with the page's common context.
    pub fn render(
        &self,
        name: &str,
        lang: Lang,
        who: Option<&Signed>,
        ctx: minijinja::Value,
    ) -> Result<String, PageError> {
        let tmpl = self.env.get_template(name).map_err(|e| {
            tracing::error!(template = name, error = %e, "dashboard template");
            PageError::Internal
        })?;
        tmpl.render(minijinja::context! {
            t => i18n::strings(lang),
            lang => lang.code(),
            other_lang => lang.other().code(),
            who => who.map(|s| minijinja::context! {
                id => s.coordinator.coordinator_id.clone(),
                name => s.coordinator.name.clone(),
                commune => s.coordinator.commune.clone(),
                commune_name => gocua_core::catalog::admin_units::commune(&s.coordinator.commune)
                    .or_else(|| gocua_core::catalog::admin_units::province(&s.coordinator.commune))
                    .map(|u| u.name.clone()),
                csrf => s.session.csrf.clone(),
                read_only => s.coordinator.role != crate::store::Role::Editor,
                province => s.coordinator.role == crate::store::Role::Province,
            }),
            ..ctx
        })
        .map_err(|e| {
            tracing::error!(template = name, error = %e, "dashboard template");
            PageError::Internal
        })
    }

    pub fn audit(&self, who: &Signed, action: &str, target: &str, outcome: &str) {
        let entry = AuditEntry {
            at: self
                .now()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            coordinator_id: who.coordinator.coordinator_id.clone(),
            commune: who.coordinator.commune.clone(),
            action: action.to_owned(),
            target: target.to_owned(),
            outcome: outcome.to_owned(),
        };
        if let Err(e) = self.store().audit(&entry) {
            tracing::error!(code = e.code(), error = %e, "dashboard audit not written");
        }
    }
}

/// A signed-in coordinator.
#[derive(Debug, Clone)]
pub struct Signed {
    pub coordinator: CoordinatorLogin,
    pub session: WebSession,
}

/// Why a page is not shown: each gets a clear page, and nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageError {
    /// No session cookie: go to the sign-in page.
    SignIn,
    /// A session cookie that is unknown or past its time.
    Expired,
    /// A form without the right CSRF token.
    Forged,
    /// Another commune's data.
    OtherCommune,
    /// A change asked for by a coordinator who may only read.
    ReadOnly,
    NotFound,
    /// Input that cannot be used, with a bilingual message.
    Invalid(String, String),
    /// The document changed while the coordinator looked at it.
    Stale,
    Internal,
}

impl From<crate::store::StoreError> for PageError {
    fn from(e: crate::store::StoreError) -> Self {
        tracing::error!(code = e.code(), error = %e, "dashboard store error");
        PageError::Internal
    }
}

impl PageError {
    fn status(&self) -> StatusCode {
        match self {
            PageError::SignIn => StatusCode::SEE_OTHER,
            PageError::Expired => StatusCode::UNAUTHORIZED,
            PageError::Forged => StatusCode::FORBIDDEN,
            PageError::OtherCommune => StatusCode::FORBIDDEN,
            PageError::ReadOnly => StatusCode::FORBIDDEN,
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Invalid(..) => StatusCode::BAD_REQUEST,
            PageError::Stale => StatusCode::CONFLICT,
            PageError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn key(&self) -> &'static str {
        match self {
            PageError::SignIn | PageError::Expired => "err_expired",
            PageError::Forged => "err_forged",
            PageError::OtherCommune => "err_other_commune",
            PageError::ReadOnly => "err_read_only",
            PageError::NotFound => "err_not_found",
            PageError::Invalid(..) => "err_invalid",
            PageError::Stale => "err_stale",
            PageError::Internal => "err_internal",
        }
    }
}

/// The page for an error, in the reader's language.
pub fn error_page(d: &Dash, lang: Lang, who: Option<&Signed>, e: &PageError) -> Response {
    if *e == PageError::SignIn {
        return redirect("/dashboard/login");
    }
    let detail = match (e, lang) {
        (PageError::Invalid(vi, _), Lang::Vi) => Some(vi.clone()),
        (PageError::Invalid(_, en), Lang::En) => Some(en.clone()),
        _ => None,
    };
    let html = d.render(
        "error.html",
        lang,
        if *e == PageError::Expired { None } else { who },
        minijinja::context! { kind => e.key(), detail => detail, status => e.status().as_u16() },
    );
    match html {
        Ok(html) => html_response(e.status(), html),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "lỗi máy chủ / hub error").into_response(),
    }
}

pub fn html_response(status: StatusCode, html: String) -> Response {
    let mut resp = (status, html).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    resp
}

impl From<crate::admin::AdminError> for PageError {
    fn from(e: crate::admin::AdminError) -> Self {
        use crate::admin::AdminError;
        match e {
            AdminError::Store(e) => PageError::from(e),
            AdminError::NotFound(_) => PageError::NotFound,
            AdminError::Invalid { vi, en } => PageError::Invalid(vi, en),
        }
    }
}

pub fn redirect(to: &str) -> Response {
    let mut resp = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// A cookie value from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

pub fn lang_of(headers: &HeaderMap) -> Lang {
    match cookie(headers, "gocua_lang").as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    }
}

/// Parses a form body; a malformed body is an empty form (and fails its CSRF check).
pub fn form(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

/// A form missing a value, or with one that cannot be read.
pub fn bad_form() -> PageError {
    PageError::Invalid(
        "Thiếu hoặc sai thông tin trong biểu mẫu.".into(),
        "The form is missing a value or has a wrong one.".into(),
    )
}

pub fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Runs a page's work on the blocking pool (SQLite, document reads).
pub async fn blocking(f: impl FnOnce() -> Response + Send + 'static) -> Response {
    // The request's span (its id) follows the work onto the blocking thread.
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(f))
        .await
        .unwrap_or_else(|_| (StatusCode::INTERNAL_SERVER_ERROR, "hub error").into_response())
}

/// A page for a signed-in coordinator: `f` gets the session and the language.
pub async fn page(
    d: D,
    headers: HeaderMap,
    f: impl FnOnce(&Dash, &Signed, Lang) -> Result<Response, PageError> + Send + 'static,
) -> Response {
    blocking(move || {
        let lang = lang_of(&headers);
        match signed_in(&d, &headers) {
            // A province's follower has one page: no commune's page is theirs.
            Ok(who) if who.coordinator.role == crate::store::Role::Province => {
                redirect("/dashboard/province")
            }
            Ok(who) => f(&d, &who, lang).unwrap_or_else(|e| error_page(&d, lang, Some(&who), &e)),
            Err(e) => error_page(&d, lang, None, &e),
        }
    })
    .await
}

/// The province follower's page: refused to a commune's coordinator.
pub async fn province_page(
    d: D,
    headers: HeaderMap,
    f: impl FnOnce(&Dash, &Signed, Lang) -> Result<Response, PageError> + Send + 'static,
) -> Response {
    blocking(move || {
        let lang = lang_of(&headers);
        match signed_in(&d, &headers) {
            Ok(who) if who.coordinator.role != crate::store::Role::Province => {
                redirect("/dashboard/")
            }
            Ok(who) => f(&d, &who, lang).unwrap_or_else(|e| error_page(&d, lang, Some(&who), &e)),
            Err(e) => error_page(&d, lang, None, &e),
        }
    })
    .await
}

/// A form post that changes the commune's data: the CSRF token is checked, then the
/// coordinator's role (a viewer changes nothing), before `f` runs.
pub async fn action(
    d: D,
    headers: HeaderMap,
    body: Bytes,
    f: impl FnOnce(&Dash, &Signed, Lang, &[(String, String)]) -> Result<Response, PageError>
    + Send
    + 'static,
) -> Response {
    checked_post(d, headers, body, true, f).await
}

/// A form post about the coordinator's own session or settings (signing out, the stale
/// threshold), open to every role: the CSRF token is checked before `f` runs.
pub async fn own_action(
    d: D,
    headers: HeaderMap,
    body: Bytes,
    f: impl FnOnce(&Dash, &Signed, Lang, &[(String, String)]) -> Result<Response, PageError>
    + Send
    + 'static,
) -> Response {
    checked_post(d, headers, body, false, f).await
}

async fn checked_post(
    d: D,
    headers: HeaderMap,
    body: Bytes,
    editors_only: bool,
    f: impl FnOnce(&Dash, &Signed, Lang, &[(String, String)]) -> Result<Response, PageError>
    + Send
    + 'static,
) -> Response {
    blocking(move || {
        let lang = lang_of(&headers);
        let form = form(&body);
        let csrf = field(&form, "csrf").unwrap_or("");
        match poster(&d, &headers, csrf, editors_only) {
            Ok(who) => {
                f(&d, &who, lang, &form).unwrap_or_else(|e| error_page(&d, lang, Some(&who), &e))
            }
            Err((who, e)) => error_page(&d, lang, who.as_deref(), &e),
        }
    })
    .await
}

/// Who sent a post with the CSRF token `csrf`: signed in, the token of their session, and an
/// editor when `editors_only`. Refusals are audited.
pub fn poster(
    d: &Dash,
    headers: &HeaderMap,
    csrf: &str,
    editors_only: bool,
) -> Result<Signed, (Option<Box<Signed>>, PageError)> {
    let who = signed_in(d, headers).map_err(|e| (None, e))?;
    if !same(csrf, &who.session.csrf) {
        d.audit(&who, "form.refused", "csrf", "refused");
        return Err((Some(Box::new(who)), PageError::Forged));
    }
    if editors_only && who.coordinator.role != crate::store::Role::Editor {
        d.audit(&who, "form.refused", "read_only", "refused");
        return Err((Some(Box::new(who)), PageError::ReadOnly));
    }
    Ok(who)
}

/// Renders a page as a 200 answer.
pub fn ok_page(
    d: &Dash,
    name: &str,
    lang: Lang,
    who: &Signed,
    ctx: minijinja::Value,
) -> Result<Response, PageError> {
    Ok(html_response(
        StatusCode::OK,
        d.render(name, lang, Some(who), ctx)?,
    ))
}

/// The core's one masking rule (an ID number keeps 4 digits, a phone 3), for lists and exports.
pub use gocua_core::screens::mask::{mask_id_number, mask_phone};

/// The core's screens speak the same two languages as the dashboard.
pub fn screens_lang(lang: Lang) -> gocua_core::screens::Lang {
    gocua_core::screens::Lang::from_code(lang.pick("vi", "en"))
}

/// "3 giờ trước" / "3 h ago".
pub fn ago(t: Option<&str>, now: DateTime<Utc>, lang: Lang) -> Option<(String, i64)> {
    let t = DateTime::parse_from_rfc3339(t?).ok()?.with_timezone(&Utc);
    let secs = (now - t).num_seconds().max(0);
    let (n, vi, en) = if secs < 60 {
        (secs, "giây", "s")
    } else if secs < 3600 {
        (secs / 60, "phút", "min")
    } else if secs < 86_400 {
        (secs / 3600, "giờ", "h")
    } else {
        (secs / 86_400, "ngày", "d")
    };
    let text = match lang {
        Lang::Vi => format!("{n} {vi} trước"),
        Lang::En => format!("{n} {en} ago"),
    };
    Some((text, secs))
}

/// A time for people: `2026-11-23 14:05` (UTC+7, the hub's people are in Vietnam).
pub fn local_time(t: &str) -> String {
    DateTime::parse_from_rfc3339(t)
        .map(|t| {
            crate::time::local(t.with_timezone(&Utc))
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| t.to_owned())
}

/// A number with thousands separators in the reader's convention.
pub fn num(n: u64, lang: Lang) -> String {
    let s = n.to_string();
    let sep = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// State extractor alias for handlers.
pub type St = State<D>;

/// A serialisable view for a template.
pub fn ser<T: Serialize>(v: T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(v))
}

pub(super) const SESSION_COOKIE: &str = "gocua_session";

/// Failed sign-ins allowed per client address, and per coordinator id, within
/// [`SIGN_IN_WINDOW`]; beyond, every attempt is refused (429) without checking the password.
pub const SIGN_IN_FAILURES: u32 = 5;
pub const SIGN_IN_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Compares two secrets in time independent of where they differ.
pub fn same(a: &str, b: &str) -> bool {
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.bytes()
        .zip(b.bytes())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// The coordinator of the request's session cookie.
pub fn signed_in(d: &Dash, headers: &HeaderMap) -> Result<Signed, PageError> {
    let token = cookie(headers, SESSION_COOKIE).ok_or(PageError::SignIn)?;
    if token.is_empty() || token.len() > 128 {
        return Err(PageError::Expired);
    }
    let store = d.store();
    let session = store
        .session(&secret_hash(&token))?
        .ok_or(PageError::Expired)?;
    if session.expires_at <= d.now() {
        store.delete_session(&session.token_hash)?;
        return Err(PageError::Expired);
    }
    let coordinator = store
        .coordinator_login(&session.coordinator_id)?
        .ok_or(PageError::Expired)?;
    Ok(Signed {
        coordinator,
        session,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_id_is_shortened_for_lists_only_when_long() {
        assert_eq!(
            super::short_id("fab1c8e689b34da0891380b15c03e8d8".into()),
            "fab1c8e6…"
        );
        assert_eq!(super::short_id("dev-a".into()), "dev-a");
    }
}
