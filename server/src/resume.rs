//! The HTTP side of resumable sync requests (docs/sync-protocol.md, "A cut request resumes"):
//! the body of `PATH_SYNC?upload=ID&length=N&offset=K` is staged as it arrives
//! ([`crate::upload::Uploads`]), so bytes that reached the hub before a cut are never sent
//! twice; `PATH_SYNC_UPLOAD?upload=ID` says how far the hub got.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::IntoResponse;
use gocua_core::sync::wire::{CONTENT_TYPE, PATH_SYNC, UploadStatus};
use http_body_util::BodyExt;

use crate::api::{MAX_REQUEST, answer, bearer, reply};
use crate::hub::{ApiError, Hub};
use crate::store::DeviceRecord;
use crate::upload::{Begin, ResumeQuery, Stage, StageError};

/// How long a request for an answer waits for the hub to finish handling the request.
const ANSWER_WAIT: Duration = Duration::from_secs(120);

/// `POST PATH_SYNC`, resumable when its query names an upload.
pub(crate) async fn sync(State(hub): State<Arc<Hub>>, req: Request) -> axum::response::Response {
    let token = bearer(req.headers());
    let query = match ResumeQuery::parse(req.uri().query(), MAX_REQUEST) {
        Ok(q) => q,
        Err(what) => return error(ApiError::bad_request(what)),
    };
    let Some(q) = query else {
        // A plain request: the token checked first, then the body read whole under the router's
        // body limit (a client without a token makes the hub read nothing).
        let device = match device(&hub, token.clone()).await {
            Ok(d) => d,
            Err(e) => return error(e),
        };
        // Held from before the body is read until the answer is made; a body that does not
        // announce its length is charged the most it may be.
        let announced = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(MAX_REQUEST)
            .min(MAX_REQUEST);
        let Some(_held) = hub.body_budget().try_hold(&device.device_id, announced) else {
            return error(busy());
        };
        return match Bytes::from_request(req, &()).await {
            Ok(bytes) => answer(hub, PATH_SYNC.to_owned(), token, bytes).await,
            Err(rejection) => crate::api::body_refused(rejection),
        };
    };
    if req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > q.length - q.offset)
    {
        return error(ApiError::bad_request("body longer than announced"));
    }
    // On a task of its own: when the link drops, hyper drops this handler's future, and the
    // exchange must still stage every byte that arrived (measured on the bench's flaky link:
    // handled inline, two cuts of three left nothing staged).
    match tokio::spawn(exchange(hub, token, q, req.into_body())).await {
        Ok(resp) => resp,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A resumable request: staged as it arrives, handled once whole.
async fn exchange(
    hub: Arc<Hub>,
    token: Option<String>,
    q: ResumeQuery,
    body: Body,
) -> axum::response::Response {
    let device = match device(&hub, token.clone()).await {
        Ok(d) => d,
        Err(e) => return error(e),
    };
    let uploads = hub.uploads();
    match uploads.begin(&device.device_id, &q.upload, q.length, q.offset) {
        Begin::Mismatch(_) => error(mismatch()),
        Begin::Answer(a) => rest_of(&a, q.answer_from),
        Begin::Wait => {
            let deadline = tokio::time::Instant::now() + ANSWER_WAIT;
            while tokio::time::Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(50)).await;
                match uploads.stage(&device.device_id, &q.upload) {
                    Some(Stage::Answered(a)) => return rest_of(&a, q.answer_from),
                    Some(Stage::Handling) => continue,
                    _ => return error(mismatch()),
                }
            }
            error(ApiError::new(
                503,
                "busy",
                "máy chủ đang xử lý, thử lại sau",
                "the hub is still handling the request, try again later",
            ))
        }
        Begin::Append => {
            let mut body = body;
            while let Some(frame) = body.frame().await {
                // An error here is the link dropping: what arrived stays staged.
                let Ok(frame) = frame else {
                    return error(ApiError::bad_request("body cut"));
                };
                let Ok(chunk) = frame.into_data() else {
                    continue;
                };
                if let Err(e) = uploads.append(&device.device_id, &q.upload, &chunk) {
                    return error(match e {
                        StageError::Gone => mismatch(),
                        StageError::TooLong => ApiError::bad_request("body longer than announced"),
                        StageError::Full => busy(),
                    });
                }
            }
            let Some(whole) = uploads.take_complete(&device.device_id, &q.upload) else {
                return error(mismatch());
            };
            // Handled and its answer staged on the blocking thread, so that a connection that
            // closes meanwhile (and drops this future) still leaves the answer to be asked for.
            let device_id = device.device_id.clone();
            let upload = q.upload.clone();
            let handled = tokio::task::spawn_blocking(move || {
                let resp = hub.handle(PATH_SYNC, token.as_deref(), &whole);
                let kept = (resp.status == 200).then(|| Arc::new(resp.body.clone()));
                hub.uploads().finish(&device_id, &upload, kept);
                resp
            })
            .await;
            match handled {
                Ok(resp) => reply(resp, CONTENT_TYPE),
                Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }
    }
}

/// `POST PATH_SYNC_UPLOAD?upload=ID`: how far the hub got with the device's exchange.
pub(crate) async fn upload_status(
    State(hub): State<Arc<Hub>>,
    uri: Uri,
    headers: HeaderMap,
) -> axum::response::Response {
    let upload = uri
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("upload="))
        .filter(|id| crate::upload::valid_upload_id(id))
        .map(str::to_owned);
    let Some(upload) = upload else {
        return error(ApiError::bad_request("upload id"));
    };
    let device = match device(&hub, bearer(&headers)).await {
        Ok(d) => d,
        Err(e) => return error(e),
    };
    let (offset, answered) = hub.uploads().status(&device.device_id, &upload);
    let status = UploadStatus {
        offset: offset as u64,
        answered,
    };
    match serde_json::to_vec(&status) {
        Ok(body) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
        Err(_) => error(ApiError::internal()),
    }
}

pub(crate) async fn device(
    hub: &Arc<Hub>,
    token: Option<String>,
) -> Result<DeviceRecord, ApiError> {
    let hub = hub.clone();
    tokio::task::spawn_blocking(move || hub.authenticate(token.as_deref()))
        .await
        .map_err(|_| ApiError::internal())?
}

/// The answer from byte `from` (what the device lacks of it).
fn rest_of(answer: &Arc<Vec<u8>>, from: usize) -> axum::response::Response {
    match answer.get(from..) {
        Some(rest) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, CONTENT_TYPE)],
            Bytes::copy_from_slice(rest),
        )
            .into_response(),
        None => error(ApiError::bad_request("answer_from")),
    }
}

fn mismatch() -> ApiError {
    ApiError::new(
        409,
        "upload_offset",
        "phần gửi tiếp không khớp với phần máy chủ đã nhận, hỏi lại vị trí",
        "the request does not continue where the hub's copy ends: ask where it ends",
    )
}

fn busy() -> ApiError {
    ApiError::new(
        503,
        "busy",
        "máy chủ đang bận, thử lại sau",
        "the hub is busy, try again later",
    )
}

fn error(e: ApiError) -> axum::response::Response {
    reply(e.into_response(), crate::api::JSON)
}
