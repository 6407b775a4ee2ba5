//! The device side of a sync (docs/sync-protocol.md): enrolment, then push, pull and finish.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::error::SyncError;
use super::merge::{MergeError, merge_changes, sender_heads};
use super::resume::{Traffic, send_sync};
use super::state::{self, Peer, Rejected};
use super::transport::Transport;
use super::wire::*;
use crate::doc::HouseholdDoc;
use crate::model::HouseholdId;
use crate::register::Register;
use crate::store::Store;
use crate::text::fold;

/// Where a sync is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Deciding which documents changed.
    Preparing,
    /// Sending changed documents (done/total: documents).
    Sending,
    /// Storing what the hub sent (done/total: documents of the area changed on the hub).
    Receiving,
    /// Telling the hub everything is stored.
    Finishing,
    Done,
}

/// Receives progress; called on the syncing thread.
pub trait Progress: Send + Sync {
    fn on_progress(&self, phase: Phase, done: u64, total: u64);
}

/// Ignores progress.
pub struct NoProgress;

impl Progress for NoProgress {
    fn on_progress(&self, _: Phase, _: u64, _: u64) {}
}

impl<F: Fn(Phase, u64, u64) + Send + Sync> Progress for F {
    fn on_progress(&self, phase: Phase, done: u64, total: u64) {
        self(phase, done, total)
    }
}

/// Cancels a sync from another thread. The sync stops at the next safe point: what was stored
/// stays stored and consistent; the report says `Cancelled`, never success.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Knobs of a sync.
pub struct SyncOptions<'a> {
    pub progress: &'a dyn Progress,
    pub cancel: CancelToken,
    /// Changes sent per request, before compression. Smaller batches take more round trips.
    pub batch_bytes: usize,
    /// Requests lost on the way (the link dropped or stalled after the hub was reached) that are
    /// tried again within the same sync before it gives up. Over HTTP a cut request resumes
    /// where the hub's copy of it ends, and a cut after which the hub holds more does not count;
    /// otherwise the same work is sent again with half the batch.
    pub retries: u32,
}

impl Default for SyncOptions<'_> {
    fn default() -> Self {
        Self {
            progress: &NoProgress,
            cancel: CancelToken::new(),
            // About 0.4 MB compressed: under the request timeout on EDGE (50 kbit/s), where a
            // 4 MiB batch never finished.
            batch_bytes: 1024 * 1024,
            retries: 4,
        }
    }
}

/// What a sync did. `outcome` is `Success` only when the hub durably stored everything this
/// device sent and this device stored everything it was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReport {
    pub outcome: SessionOutcome,
    pub session: Option<u64>,
    pub round_trips: u32,
    /// Body bytes (compressed) sent and received.
    pub bytes_up: u64,
    pub bytes_down: u64,
    /// Documents the hub stored from this device.
    pub pushed: u32,
    /// Documents changed on this device by what the hub sent.
    pub pulled: u32,
    /// Documents the hub refused, with its reasons; they stay pending.
    pub rejected: Vec<Rejected>,
    /// Documents still to sync after this one.
    pub pending_after: u32,
    /// Households dropped here because they were erased (whole, or rewritten by an erasure).
    pub erased: u32,
}

/// The result of an enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub hub_id: String,
    pub device_id: String,
    pub area: AreaInfo,
}

/// The sync status of a register, for a status screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    pub hub_url: String,
    pub hub_id: String,
    pub area: AreaInfo,
    pub pending: u32,
    pub last_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_success_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_error: Option<String>,
    pub rejected: Vec<Rejected>,
}

fn check_status(resp: &super::transport::Response) -> Result<(), SyncError> {
    if resp.status == 200 {
        Ok(())
    } else {
        Err(SyncError::from_hub(resp.status, &resp.body))
    }
}

impl Register {
    /// Exchanges a pairing code for a device token and stores the enrolment (hub, area and its
    /// hamlets). A previous enrolment is replaced.
    pub fn sync_enrol(
        &mut self,
        hub_url: &str,
        transport: &dyn Transport,
        code: &str,
        pin_sha256: Option<String>,
    ) -> Result<Enrolment, SyncError> {
        let identity = self.identity().clone();
        let req = EnrolRequest {
            protocol: PROTOCOL_VERSION,
            code: code.trim().to_owned(),
            device_id: identity.device.0.clone(),
            volunteer_id: identity.volunteer.0.clone(),
            commune_code: identity.commune_code.clone(),
        };
        let body = serde_json::to_vec(&req).map_err(|e| SyncError::Protocol(e.to_string()))?;
        let resp = transport.post(PATH_ENROL, None, "application/json", body)?;
        check_status(&resp)?;
        let answer: EnrolResponse = serde_json::from_slice(&resp.body)
            .map_err(|e| SyncError::Protocol(format!("enrol answer: {e}")))?;
        if answer.area.commune_code != identity.commune_code
            || answer.device_id != identity.device.0
        {
            return Err(SyncError::Mismatch(
                "the hub answered for another commune or device".into(),
            ));
        }
        let peer = Peer {
            peer_id: answer.hub_id.clone(),
            url: hub_url.trim_end_matches('/').to_owned(),
            token: answer.token,
            device_id: answer.device_id.clone(),
            area: answer.area.clone(),
            pin_sha256,
            cursor: 0,
            enrolled_at: self.sync_now(),
            last_attempt_at: None,
            last_success_at: None,
            last_error: None,
        };
        self.sync_store_mut().write(|tx| {
            state::save_peer(tx, &peer)?;
            for h in &peer.area.hamlets {
                tx.execute(
                    "INSERT OR REPLACE INTO hamlets (commune, hamlet_id, name, name_fold) VALUES (?1, ?2, ?3, ?4)",
                    params![peer.area.commune_code, h.id, h.name, fold(&h.name)],
                )?;
            }
            Ok(())
        })?;
        Ok(Enrolment {
            hub_id: answer.hub_id,
            device_id: answer.device_id,
            area: answer.area,
        })
    }

    /// The hub this register is enrolled with, if any.
    pub fn sync_peer(&self) -> Result<Option<Peer>, SyncError> {
        Ok(state::load_peer(self.sync_store().conn())?)
    }

    /// The sync status for a status screen; `None` when not enrolled.
    pub fn sync_status(&self) -> Result<Option<SyncStatus>, SyncError> {
        let Some(peer) = self.sync_peer()? else {
            return Ok(None);
        };
        Ok(Some(SyncStatus {
            hub_url: peer.url,
            hub_id: peer.peer_id,
            area: peer.area,
            pending: self.pending_count()?,
            last_attempt_at: peer.last_attempt_at,
            last_success_at: peer.last_success_at,
            last_error: peer.last_error,
            rejected: state::rejects(self.sync_store().conn())?,
        }))
    }

    /// Runs one sync with the enrolled hub over `transport`.
    pub fn sync_with(
        &mut self,
        transport: &dyn Transport,
        options: &SyncOptions<'_>,
    ) -> Result<SyncReport, SyncError> {
        let peer = self.sync_peer()?.ok_or(SyncError::NotEnrolled)?;
        let mut run = Run {
            report: empty_report(),
            session: None,
        };
        let result = self.run_sync(&peer, transport, options, &mut run);
        let now = self.sync_now();
        match &result {
            Ok(report) => {
                let error = match report.outcome {
                    SessionOutcome::Success => None,
                    SessionOutcome::Partial => Some("partial"),
                    SessionOutcome::Cancelled => Some("cancelled"),
                    SessionOutcome::Failed => Some("failed"),
                };
                self.sync_store_mut()
                    .write(|tx| state::record_attempt(tx, &peer.peer_id, now, error))?;
            }
            Err(e) => {
                let kind = e.kind();
                // Best effort: the hub records the failure if it can still be reached.
                if let (Some(session), false) = (
                    run.session,
                    matches!(
                        e,
                        SyncError::Network(_)
                            | SyncError::Interrupted(_)
                            | SyncError::CertificateMismatch
                    ),
                ) {
                    let outcome = if matches!(e, SyncError::Cancelled) {
                        SessionOutcome::Cancelled
                    } else {
                        SessionOutcome::Failed
                    };
                    let cursor = self
                        .sync_peer()
                        .ok()
                        .flatten()
                        .map(|p| p.cursor)
                        .unwrap_or(peer.cursor);
                    let pending = self.pending_count().unwrap_or(0);
                    let fin = FinishRequest {
                        protocol: PROTOCOL_VERSION,
                        session,
                        outcome,
                        cursor,
                        pending_docs: pending,
                        error: Some(kind.into()),
                    };
                    let _ =
                        transport.post(PATH_FINISH, Some(&peer.token), CONTENT_TYPE, encode(&fin));
                }
                let _ = self
                    .sync_store_mut()
                    .write(|tx| state::record_attempt(tx, &peer.peer_id, now, Some(kind)));
            }
        }
        result
    }

    fn run_sync(
        &mut self,
        peer: &Peer,
        transport: &dyn Transport,
        options: &SyncOptions<'_>,
        run: &mut Run,
    ) -> Result<SyncReport, SyncError> {
        let progress = options.progress;
        progress.on_progress(Phase::Preparing, 0, 0);
        let pending = state::pending(self.sync_store().conn())?;
        let pending_before = pending.len() as u32;
        let mut queue: VecDeque<(String, i64, bool)> = pending
            .into_iter()
            .map(|(id, seq)| (id, seq, false))
            .collect();
        let total_push = queue.len() as u64;
        let mut sent_docs = 0u64;
        let mut received_docs = 0u64;
        let mut cursor = peer.cursor;
        let mut resend: Vec<String> = Vec::new();
        let mut finished_by_hub;
        let commune = self.identity().commune_code.clone();
        // Erasures recorded here go with the first request; the hub applies them before pushes.
        let mut erase = crate::erasure::erase_requests(self.sync_store().conn())?;
        let mut scrub = false;
        let mut batch_limit = options.batch_bytes;
        let mut interrupted = 0u32;

        loop {
            if options.cancel.is_cancelled() {
                return Err(SyncError::Cancelled);
            }
            // Build one batch of changes after the shared heads.
            let mut push = Vec::new();
            let mut meta = Vec::new();
            let mut batch_bytes = 0usize;
            let mut epochs = Vec::new();
            while let Some((id, seq, full)) = queue.pop_front() {
                if !push.is_empty() && batch_bytes >= batch_limit {
                    queue.push_front((id, seq, full));
                    break;
                }
                let hid = HouseholdId(id.clone());
                let Some(mut doc) = self.sync_store().load(&hid)? else {
                    // Marked pending but gone (should not happen): drop the mark.
                    self.sync_store_mut()
                        .write(|tx| state::clear_pending(tx, &id, seq))?;
                    continue;
                };
                let shared = if full {
                    Vec::new()
                } else {
                    state::shared_heads(self.sync_store().conn(), &peer.peer_id, &id)?
                };
                // A document the hub has never seen goes in Automerge's document format (columnar,
                // actors and keys once per document) rather than as its changes one by one; after
                // that only the changes past the shared heads travel.
                let changes = if shared.is_empty() {
                    doc.save_for_batch()
                } else {
                    doc.changes_since(&shared)
                };
                let heads = doc.heads();
                if changes.is_empty() {
                    // The hub already has every change of this document.
                    self.sync_store_mut()
                        .write(|tx| state::clear_pending(tx, &id, seq))?;
                    sent_docs += 1;
                    continue;
                }
                batch_bytes += changes.len();
                if let Some(state) = crate::erasure::erase_state(self.sync_store().conn(), &id)?
                    && state.epoch > 0
                {
                    epochs.push(DocEpoch {
                        id: id.clone(),
                        epoch: state.epoch,
                        gone: state.gone,
                    });
                }
                push.push(PushDoc {
                    id: id.clone(),
                    // A whole document carries its heads already.
                    heads: if shared.is_empty() {
                        Vec::new()
                    } else {
                        heads.clone()
                    },
                    changes,
                });
                meta.push((id, seq, heads, full));
            }

            let req = SyncRequest {
                protocol: PROTOCOL_VERSION,
                session: run.session,
                cursor,
                pending_docs: pending_before,
                push,
                resend: std::mem::take(&mut resend),
                erase: std::mem::take(&mut erase),
                epochs,
            };
            let body = encode(&req);
            run.report.round_trips += 1;
            progress.on_progress(Phase::Sending, sent_docs, total_push);
            let mut traffic = Traffic::default();
            let sent = send_sync(
                transport,
                &peer.token,
                body,
                options.retries,
                &mut interrupted,
                &options.cancel,
                &mut traffic,
            );
            run.report.bytes_up += traffic.sent;
            run.report.bytes_down += traffic.received;
            let resp = match sent {
                Ok(resp) => resp,
                Err(SyncError::Interrupted(_)) if interrupted < options.retries => {
                    // Nothing of this exchange was stored here; whatever the hub stored it will
                    // acknowledge again (pushes are idempotent, the cursor has not moved). Send the
                    // same work again in smaller requests, so a link that drops long transfers
                    // still lets the sync finish.
                    interrupted += 1;
                    batch_limit = (batch_limit / 2).max(MIN_BATCH_BYTES);
                    for (id, seq, _, full) in meta.into_iter().rev() {
                        queue.push_front((id, seq, full));
                    }
                    resend = req.resend;
                    erase = req.erase;
                    pause_before_retry(interrupted, &options.cancel);
                    continue;
                }
                Err(e) => return Err(e),
            };
            check_status(&resp)?;
            let answer: SyncResponse =
                decode(&resp.body).map_err(|e| SyncError::Protocol(e.to_string()))?;
            if answer.results.len() != meta.len()
                || answer.results.iter().zip(&meta).any(|(r, m)| r.id != m.0)
            {
                return Err(SyncError::Protocol(
                    "results do not match the documents sent".into(),
                ));
            }
            run.session = Some(answer.session);
            run.report.session = Some(answer.session);

            // Store everything of this answer in one local transaction.
            let now = self.sync_now();
            let mut requeue = Vec::new();
            let mut next_resend = Vec::new();
            let mut pulled = 0u32;
            let mut pushed = 0u32;
            let mut rejected = Vec::new();
            let mut erased = 0u32;
            let peer_id = peer.peer_id.clone();
            self.sync_store_mut().write(|tx| {
                for (result, (id, seq, heads, full)) in answer.results.iter().zip(&meta) {
                    match &result.outcome {
                        PushOutcome::Stored => {
                            state::set_shared_heads(tx, &peer_id, id, heads)?;
                            state::clear_pending(tx, id, *seq)?;
                            state::clear_reject(tx, &peer_id, id)?;
                            pushed += 1;
                        }
                        PushOutcome::NeedFull if !*full => requeue.push((id.clone(), *seq, true)),
                        PushOutcome::NeedFull => {
                            let r = Rejected { doc_id: id.clone(), code: "missing_deps".into(), message: "máy chủ thiếu lịch sử tài liệu / the hub lacks the document's history".into() };
                            state::set_reject(tx, &peer_id, id, &r.code, &r.message, now)?;
                            rejected.push(r);
                        }
                        PushOutcome::Rejected { code, message_vi, message_en } => {
                            let r = Rejected { doc_id: id.clone(), code: code.clone(), message: format!("{message_vi} / {message_en}") };
                            state::set_reject(tx, &peer_id, id, &r.code, &r.message, now)?;
                            rejected.push(r);
                        }
                        PushOutcome::Erased { epoch, gone } => {
                            // The hub erased this household after the copy held here: drop it,
                            // with any change made to it here; take the rewritten one whole.
                            Store::purge(tx, id)?;
                            crate::erasure::set_erase_state(tx, id, crate::EraseState { epoch: *epoch, gone: *gone })?;
                            if !*gone {
                                next_resend.push(id.clone());
                            }
                            erased += 1;
                        }
                    }
                }
                // Erasures the hub applied (this device's own requests among them): drop every
                // copy older than the erasure, before storing what the hub sent.
                for notice in &answer.erased {
                    let local = crate::erasure::erase_state(tx, &notice.id)?;
                    let newer = match local {
                        None => true,
                        Some(l) => notice.epoch > l.epoch || (notice.gone && !l.gone),
                    };
                    let requested = crate::erasure::has_erase_request(tx, &notice.id)?;
                    if newer || requested {
                        Store::purge(tx, &notice.id)?;
                        crate::erasure::set_erase_state(tx, &notice.id, crate::EraseState { epoch: notice.epoch, gone: notice.gone })?;
                        erased += 1;
                    }
                }
                // The hub answered, so it handled the erasure requests sent.
                for e in &req.erase {
                    tx.execute(
                        "DELETE FROM erase_requests WHERE doc_id = ?1 AND member_id = ?2",
                        params![e.id, e.member.as_deref().unwrap_or("")],
                    )?;
                }
                for doc in &answer.pull {
                    let hid = HouseholdId(doc.id.clone());
                    if !crate::model::is_valid_id(&doc.id) {
                        return Err(crate::Error::Internal("hub sent an invalid document id".into()));
                    }
                    if crate::erasure::erase_state(tx, &doc.id)?.is_some_and(|s| s.gone) {
                        continue;
                    }
                    let existing = state::stored_bytes(tx, &doc.id)?;
                    match merge_changes(&hid, existing.as_deref(), &doc.changes) {
                        Ok(merged) => {
                            // A whole document comes without its heads.
                            let hub_heads = sender_heads(&doc.heads, existing.is_some(), &merged, &doc.changes)
                                .map_err(|e| crate::Error::CorruptDocument(format!("from hub, {}: {e}", doc.id)))?;
                            if merged.household.area.commune_code != commune {
                                // Never store a household of another commune, whatever the hub says.
                                continue;
                            }
                            if merged.changed {
                                let mut stored = HouseholdDoc::load(&merged.snapshot)?;
                                tx.execute("DELETE FROM doc_chunks WHERE doc_id = ?1", [&doc.id])?;
                                tx.execute(
                                    "INSERT INTO doc_chunks (doc_id, seq, is_snapshot, bytes) VALUES (?1, 1, 1, ?2)",
                                    params![doc.id, merged.snapshot],
                                )?;
                                Store::save(tx, &mut stored, false)?;
                                pulled += 1;
                            }
                            state::set_shared_heads(tx, &peer_id, &doc.id, &hub_heads)?;
                        }
                        Err(MergeError::MissingDeps) => next_resend.push(doc.id.clone()),
                        Err(e) => return Err(crate::Error::CorruptDocument(format!("from hub, {}: {e}", doc.id))),
                    }
                }
                // Advance the cursor only when every pulled document is complete; otherwise the
                // same range is asked again with the incomplete ones to be resent whole.
                if next_resend.is_empty() {
                    state::set_cursor(tx, &peer_id, answer.cursor)?;
                }
                Ok(())
            })?;
            if next_resend.is_empty() {
                cursor = answer.cursor;
            } else if req.resend.iter().any(|id| next_resend.contains(id)) {
                return Err(SyncError::Protocol(
                    "a document resent whole is still incomplete".into(),
                ));
            }
            if erased > 0 || !req.erase.is_empty() {
                scrub = true;
            }
            run.report.erased += erased;
            run.report.pushed += pushed;
            run.report.pulled += pulled;
            run.report.rejected.extend(rejected);
            sent_docs += answer.results.len() as u64;
            received_docs += answer.pull.len() as u64;
            progress.on_progress(Phase::Sending, sent_docs.min(total_push), total_push);
            progress.on_progress(
                Phase::Receiving,
                received_docs,
                received_docs + u64::from(answer.more),
            );
            queue.extend(requeue);
            resend = next_resend;
            finished_by_hub = answer.finished;
            if queue.is_empty() && !answer.more && resend.is_empty() {
                break;
            }
        }

        if scrub {
            self.sync_store_mut().scrub()?;
        }
        let pending_after = self.pending_count()?;
        run.report.pending_after = pending_after;
        run.report.outcome = if run.report.rejected.is_empty() {
            SessionOutcome::Success
        } else {
            SessionOutcome::Partial
        };
        if options.cancel.is_cancelled() {
            return Err(SyncError::Cancelled);
        }
        if !finished_by_hub {
            progress.on_progress(Phase::Finishing, 0, 1);
            let fin = FinishRequest {
                protocol: PROTOCOL_VERSION,
                session: run.session.expect("a session after a round trip"),
                outcome: run.report.outcome,
                cursor,
                pending_docs: pending_after,
                error: None,
            };
            let body = encode(&fin);
            run.report.bytes_up += body.len() as u64;
            run.report.round_trips += 1;
            let resp = transport.post(PATH_FINISH, Some(&peer.token), CONTENT_TYPE, body)?;
            run.report.bytes_down += resp.body.len() as u64;
            check_status(&resp)?;
        }
        progress.on_progress(Phase::Done, 1, 1);
        Ok(run.report.clone())
    }
}

/// The smallest batch a retry shrinks to: a few households, still worth a round trip.
const MIN_BATCH_BYTES: usize = 16 * 1024;

/// Waits a little longer after each interrupted request (a link that just dropped often needs a
/// moment), waking early when the sync is cancelled.
pub(super) fn pause_before_retry(attempt: u32, cancel: &CancelToken) {
    let until =
        std::time::Instant::now() + std::time::Duration::from_millis(250 * u64::from(attempt));
    while std::time::Instant::now() < until && !cancel.is_cancelled() {
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

struct Run {
    report: SyncReport,
    session: Option<u64>,
}

fn empty_report() -> SyncReport {
    SyncReport {
        outcome: SessionOutcome::Failed,
        session: None,
        round_trips: 0,
        bytes_up: 0,
        bytes_down: 0,
        pushed: 0,
        pulled: 0,
        rejected: Vec::new(),
        pending_after: 0,
        erased: 0,
    }
}
