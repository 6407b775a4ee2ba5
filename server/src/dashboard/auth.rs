//! Sign-in: argon2 password hashes, session cookies (HttpOnly, SameSite=Strict, Secure on TLS),
//! CSRF tokens, sign-out, and a limit on failed sign-ins per client address and per coordinator.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::net::IpAddr;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use super::i18n::Lang;
use super::page::{
    D, Dash, PageError, Signed, blocking, cookie, error_page, field, form, html_response, lang_of,
    redirect,
};
use super::page::{SESSION_COOKIE, same, signed_in};
use crate::hub::secret_hash;
use crate::store::StoreError;
use crate::store::query::WebSession;

const LOGIN_CSRF_COOKIE: &str = "gocua_login_csrf";

/// An argon2id hash (PHC string) of a password.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Sets a coordinator's dashboard password (the `add-coordinator --password-stdin` command).
pub fn set_password(
    store: &dyn crate::store::HubStore,
    coordinator: &str,
    password: &str,
) -> Result<(), String> {
    if password.chars().count() < 8 || password.len() > 1024 {
        return Err("mật khẩu từ 8 ký tự / a password needs at least 8 characters".into());
    }
    let dash = store.dashboard().ok_or("this store has no dashboard")?;
    let hash = hash_password(password)?;
    match dash.set_password(coordinator, &hash) {
        Ok(true) => Ok(()),
        Ok(false) => Err(format!("không có cán bộ / no coordinator {coordinator}")),
        Err(e) => Err(e.to_string()),
    }
}

fn random_hex<const N: usize>() -> String {
    hex::encode(rand::random::<[u8; N]>())
}

fn cookie_header(d: &Dash, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/dashboard; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if d.tls {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub(super) fn login_page(
    d: &Dash,
    lang: Lang,
    status: StatusCode,
    message: Option<&str>,
) -> Response {
    login_page_with(d, lang, status, message, &[])
}

fn login_page_with(
    d: &Dash,
    lang: Lang,
    status: StatusCode,
    message: Option<&str>,
    lines: &[String],
) -> Response {
    let csrf = random_hex::<16>();
    let html = d.render(
        "login.html",
        lang,
        None,
        minijinja::context! { csrf => csrf.clone(), message => message, lines => lines.to_vec() },
    );
    match html {
        Ok(html) => {
            let mut resp = html_response(status, html);
            resp.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(d, LOGIN_CSRF_COOKIE, &csrf, Some(1800)),
            );
            resp
        }
        Err(e) => error_page(d, lang, None, &e),
    }
}

pub async fn login_form(State(d): State<D>, headers: HeaderMap) -> Response {
    blocking(move || {
        let lang = lang_of(&headers);
        if signed_in(&d, &headers).is_ok() {
            return redirect("/dashboard/");
        }
        login_page(&d, lang, StatusCode::OK, None)
    })
    .await
}

/// The client's address, when the hub serves with connection info (`http::serve` does).
pub struct Peer(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<crate::api::ClientAddr>>()
                .map(|c| c.0.0.ip()),
        ))
    }
}

/// The limiter's key for a client address: the address itself for IPv4, its /64 network for
/// IPv6 (one subscriber holds a whole /64).
fn address_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => format!("addr:{v4}"),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("addr:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// The sign-in refusal, in both languages (the reader's first): when the next attempt is allowed.
fn too_many_lines(lang: Lang, wait: Duration) -> Vec<String> {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    let vi = format!("Quá nhiều lần đăng nhập sai, thử lại sau {minutes} phút.");
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    let en = format!("Too many failed sign-ins, try again in {minutes} {unit}.");
    match lang {
        Lang::Vi => vec![vi, en],
        Lang::En => vec![en, vi],
    }
}

pub async fn login(
    State(d): State<D>,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    blocking(move || {
        let lang = lang_of(&headers);
        let form = form(&body);
        let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
        if !same(field(&form, "csrf").unwrap_or(""), &expected) {
            return error_page(&d, lang, None, &PageError::Forged);
        }
        let id = field(&form, "coordinator").unwrap_or("").trim().to_owned();
        let password = field(&form, "password").unwrap_or("");
        let store = d.store();
        let valid_id = gocua_core::model::is_valid_id(&id);
        let account = if valid_id {
            match store.coordinator_login(&id) {
                Ok(a) => a,
                Err(e) => return error_page(&d, lang, None, &PageError::from(e)),
            }
        } else {
            None
        };
        // Failed sign-ins are limited per address and per coordinator: past the limit, the
        // password is not even checked (no guessing, and no argon2 work for the attacker).
        let address_key = peer.map(address_key);
        let coordinator_key = format!("coordinator:{id}");
        let wait = address_key
            .iter()
            .chain(valid_id.then_some(&coordinator_key))
            .filter_map(|k| d.sign_in_limit.blocked(k))
            .max();
        if let Some(wait) = wait {
            if let Some(a) = &account {
                let _ = store.audit(&crate::store::query::AuditEntry {
                    at: d.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    coordinator_id: a.coordinator_id.clone(),
                    commune: a.commune.clone(),
                    action: "sign_in".into(),
                    target: "-".into(),
                    outcome: "rate_limited".into(),
                });
            }
            let mut resp = login_page_with(
                &d,
                lang,
                StatusCode::TOO_MANY_REQUESTS,
                Some("rate_limited"),
                &too_many_lines(lang, wait),
            );
            if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return resp;
        }
        // Hash even for an unknown account, so the answer takes as long either way.
        let ok = match account.as_ref().and_then(|a| a.password_hash.as_deref()) {
            Some(hash) => verify_password(password, hash),
            None => {
                let _ = verify_password(password, DUMMY_HASH);
                false
            }
        };
        let Some(account) = account.filter(|_| ok) else {
            if let Some(k) = &address_key {
                d.sign_in_limit.fail(k);
            }
            if let Some(a) = store.coordinator_login(&id).ok().flatten() {
                // Only known accounts get a key of their own: the limiter's memory is not
                // filled by made-up ids.
                d.sign_in_limit.fail(&coordinator_key);
                let _ = store.audit(&crate::store::query::AuditEntry {
                    at: d.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    coordinator_id: a.coordinator_id,
                    commune: a.commune,
                    action: "sign_in".into(),
                    target: "-".into(),
                    outcome: "wrong_password".into(),
                });
            }
            return login_page(&d, lang, StatusCode::UNAUTHORIZED, Some("wrong_password"));
        };
        d.sign_in_limit.clear(&coordinator_key);
        let token = random_hex::<32>();
        let now = d.now();
        let session = WebSession {
            token_hash: secret_hash(&token),
            coordinator_id: account.coordinator_id.clone(),
            csrf: random_hex::<32>(),
            created_at: now,
            expires_at: now + d.session_ttl,
        };
        if let Err(e) = store.create_session(&session) {
            return error_page(&d, lang, None, &PageError::from(e));
        }
        let who = Signed {
            coordinator: account,
            session,
        };
        d.audit(&who, "sign_in", "-", "ok");
        let mut resp = redirect("/dashboard/");
        let h = resp.headers_mut();
        h.append(
            header::SET_COOKIE,
            cookie_header(&d, SESSION_COOKIE, &token, None),
        );
        h.append(
            header::SET_COOKIE,
            cookie_header(&d, LOGIN_CSRF_COOKIE, "", Some(0)),
        );
        resp
    })
    .await
}

pub async fn logout(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    super::page::own_action(d, headers, body, |d, who, lang, _| {
        d.store()
            .delete_session(&who.session.token_hash)
            .map_err(|e: StoreError| PageError::from(e))?;
        d.audit(who, "sign_out", "-", "ok");
        let mut resp = login_page(d, lang, StatusCode::OK, Some("signed_out"));
        resp.headers_mut().append(
            header::SET_COOKIE,
            cookie_header(d, SESSION_COOKIE, "", Some(0)),
        );
        Ok(resp)
    })
    .await
}

/// A valid argon2 hash of a random password, verified against when the account is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2bhsGyb1rsBmvmjG6BkDmeyx6ELPbiuXM9u9l+qw2tU";
