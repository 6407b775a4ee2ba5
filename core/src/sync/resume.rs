//! The device's side of resumable sync requests (docs/sync-protocol.md, "A cut request
//! resumes"). On a link that drops long transfers, a cut request costs only the bytes in flight:
//! the device asks the hub how much of the request it holds and sends the rest; cut while
//! receiving the answer, it asks for the rest of the answer.

use super::cancel::{CancelToken, pause_before_retry};
use super::error::SyncError;
use super::transport::{Response, Transport};
use super::wire::{CONTENT_TYPE, PATH_SYNC, PATH_SYNC_UPLOAD, UploadStatus};

/// However much each attempt gets through, one exchange stops after this many cuts.
const MAX_CUTS: u32 = 64;

/// What one exchange cost on the link (bodies only).
#[derive(Debug, Default, Clone, Copy)]
pub struct Traffic {
    pub sent: u64,
    pub received: u64,
}

/// Sends one sync request body and returns the hub's answer. A cut that made no progress
/// counts against `retries` (shared with the caller through `cuts`); a cut after which the hub
/// holds more than before does not, up to [`MAX_CUTS`].
pub fn send_sync(
    transport: &dyn Transport,
    token: &str,
    body: Vec<u8>,
    retries: u32,
    cuts: &mut u32,
    cancel: &CancelToken,
    traffic: &mut Traffic,
) -> Result<Response, SyncError> {
    if !transport.resumable() {
        traffic.sent += body.len() as u64;
        let resp = transport.post(PATH_SYNC, Some(token), CONTENT_TYPE, body)?;
        traffic.received += resp.body.len() as u64;
        return Ok(resp);
    }
    let upload = format!("{:016x}", uuid::Uuid::new_v4().as_u64_pair().0);
    let length = body.len();
    // What the hub holds of the request, and what arrived here of its answer.
    let mut held = 0usize;
    let mut answer = Vec::new();
    let mut cuts_here = 0u32;
    loop {
        if cancel.is_cancelled() {
            return Err(SyncError::Cancelled);
        }
        let path = if held < length {
            answer.clear();
            format!("{PATH_SYNC}?upload={upload}&length={length}&offset={held}")
        } else {
            format!(
                "{PATH_SYNC}?upload={upload}&length={length}&offset={length}&answer_from={}",
                answer.len()
            )
        };
        // Where this attempt starts: a cut after which the hub or this device holds more made
        // progress.
        let start = (held, answer.len());
        let part = body[held..].to_vec();
        traffic.sent += part.len() as u64;
        let before = answer.len();
        let result = transport.post_into(&path, Some(token), CONTENT_TYPE, part, &mut answer);
        traffic.received += (answer.len() - before) as u64;
        let cut = match result {
            Ok(409) if is_offset_error(&answer) => {
                SyncError::Interrupted("resumed at the wrong place".into())
            }
            Ok(status) => {
                return Ok(Response {
                    status,
                    body: answer,
                });
            }
            Err(e @ SyncError::Interrupted(_)) => e,
            Err(e) => return Err(e),
        };
        // Ask where the hub is; a cut of this small request is a cut like any other.
        let mut status_body = Vec::new();
        let status = loop {
            cuts_here += 1;
            if cuts_here > MAX_CUTS {
                return Err(cut);
            }
            pause_before_retry(cuts_here.min(4), cancel);
            status_body.clear();
            match transport.post_into(
                &format!("{PATH_SYNC_UPLOAD}?upload={upload}"),
                Some(token),
                "application/json",
                Vec::new(),
                &mut status_body,
            ) {
                Ok(200) => break status_body.clone(),
                // A hub that cannot resume: the caller sends the work again in smaller requests.
                Ok(404) => return Err(cut),
                // Refused (revoked, unknown token): the hub may have closed the cut request
                // before reading it, so this is the first clear answer.
                Ok(status) => return Err(SyncError::from_hub(status, &status_body)),
                Err(SyncError::Interrupted(_)) => {
                    if *cuts >= retries {
                        return Err(cut);
                    }
                    *cuts += 1;
                }
                Err(e) => return Err(e),
            }
        };
        traffic.received += status.len() as u64;
        let status: UploadStatus = serde_json::from_slice(&status)
            .map_err(|_| SyncError::Protocol("upload status".into()))?;
        held = usize::try_from(status.offset)
            .ok()
            .filter(|&o| o <= length)
            .ok_or_else(|| SyncError::Protocol("upload status beyond the request".into()))?;
        // `held == length`: handled, or being handled; the next request asks for the answer
        // (the hub waits for it), whether `answered` says it is ready yet or not.
        if held < length {
            answer.clear();
        }
        if (held, answer.len()) <= start {
            // No progress since the last cut.
            if *cuts >= retries {
                return Err(cut);
            }
            *cuts += 1;
        }
    }
}

/// The hub's answer to a request that did not continue where its copy ends.
fn is_offset_error(body: &[u8]) -> bool {
    serde_json::from_slice::<super::wire::ErrorBody>(body).is_ok_and(|e| e.code == "upload_offset")
}
