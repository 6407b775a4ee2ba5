//! What the hub's HTTP layer shares with the resumable sync requests (`resume.rs`) and the
//! dashboard: the request size bound, the bearer token, the hub's answers as HTTP, and the
//! client's address.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use gocua_core::sync::bundle_wire::{BUNDLE_CONTENT_TYPE, PATH_BUNDLE, PATH_KEYS};
use gocua_core::sync::wire::{CONTENT_TYPE, PATH_ENROL};

use crate::hub::Hub;

/// The largest request body accepted (compressed).
pub(crate) use crate::budget::MAX_BODY as MAX_REQUEST;

/// The device's bearer token, if any.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned)
}

/// Hands a whole request to the hub (on a blocking thread) and turns its answer into HTTP.
pub(crate) async fn answer(
    hub: Arc<Hub>,
    path: String,
    token: Option<String>,
    body: Bytes,
) -> axum::response::Response {
    // What a success is: JSON for enrolment and keys, a sealed bundle for a delivered bundle.
    let success_type = match path.as_str() {
        PATH_ENROL | PATH_KEYS => JSON,
        PATH_BUNDLE => BUNDLE_CONTENT_TYPE,
        _ => CONTENT_TYPE,
    };
    // The request's span (its id) follows the work onto the blocking thread.
    let span = tracing::Span::current();
    let answer = tokio::task::spawn_blocking(move || {
        span.in_scope(|| hub.handle(&path, token.as_deref(), &body))
    })
    .await;
    match answer {
        Ok(resp) => reply(resp, success_type),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// An answer of the hub as HTTP: sync bodies are postcard + zstd, the rest JSON.
/// Refuses a request whose announced body is larger than the hub reads, from its headers alone:
/// nothing of the body is read (a client could otherwise make the hub read 32 MiB to refuse it).
pub(crate) async fn refuse_oversized(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_REQUEST as u64) {
        let error = crate::hub::ApiError::new(
            413,
            "too_large",
            "yêu cầu quá lớn",
            "the request is too large",
        );
        return reply(error.into_response(), JSON);
    }
    next.run(req).await
}

/// The protocol's JSON error for a body the hub would not read whole (over its limit, or cut):
/// a device reads its code like any other refusal.
pub(crate) fn body_refused(
    rejection: axum::extract::rejection::BytesRejection,
) -> axum::response::Response {
    let error = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        crate::hub::ApiError::new(
            413,
            "too_large",
            "yêu cầu quá lớn",
            "the request is too large",
        )
    } else {
        crate::hub::ApiError::bad_request("body")
    };
    reply(error.into_response(), JSON)
}

/// The content type of errors, enrolment and keys.
pub(crate) const JSON: &str = "application/json";

pub(crate) fn reply(
    resp: gocua_core::sync::Response,
    success_type: &'static str,
) -> axum::response::Response {
    let content_type = if resp.status == 200 {
        success_type
    } else {
        JSON
    };
    let status = StatusCode::from_u16(resp.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut answer = (status, [(header::CONTENT_TYPE, content_type)], resp.body).into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        answer.headers_mut().insert(
            header::RETRY_AFTER,
            header::HeaderValue::from(crate::budget::RETRY_AFTER_SECS),
        );
    }
    answer
}

/// The client's address of a connection (the dashboard's sign-in limit keys on it). Handlers
/// read it as `ConnectInfo<ClientAddr>`; it is absent when the router is used without [`serve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub SocketAddr);

/// Request ids: a number per process, in every log line of the request (its span).
static NEXT_REQUEST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Runs a request in a span `request{id, method, path}` and logs its status and duration. The
/// path is the route's (ids of records at most), never its query string, headers or body: no
/// personal data and no token reaches the log.
pub(crate) async fn traced(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use tracing::Instrument;
    let id = NEXT_REQUEST.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let span = tracing::info_span!("request", id, method = %req.method(), path = req.uri().path());
    async move {
        let started = std::time::Instant::now();
        let resp = next.run(req).await;
        let status = resp.status().as_u16();
        let ms = started.elapsed().as_millis() as u64;
        if status >= 500 {
            tracing::warn!(status, ms, "answered");
        } else {
            tracing::debug!(status, ms, "answered");
        }
        resp
    }
    .instrument(span)
    .await
}
