//! The device side of a sync (docs/sync-protocol.md): enrolment, then push, pull and finish.

use serde::{Deserialize, Serialize};

use super::area::wipe_after_revocation;
use super::bundle;
use super::cancel::{CancelToken, pause_before_retry};
use super::carry;
use super::error::SyncError;
use super::plan::{Outbox, PLAN_SLICE_DOCS, Slice, apply_answer, plan_batch, read_answer};
use super::reconcile;
use super::resume::{Traffic, send_sync};
use super::shared::{Exclusive, SharedRegister};
use super::state::{self, Peer, Rejected};
use super::transport::Transport;
use super::wire::*;
use crate::register::Register;
use crate::store::{self, Store};

/// The register's meta key of the clock error measured at the latest sync.
const META_CLOCK_SKEW: &str = "clock_skew_secs";

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
    /// Households dropped here because the commune took their hamlet out of this device's area.
    pub left_area: u32,
    /// Erasure requests the hub filed for a coordinator's decision in this sync.
    pub erasures_filed: u32,
    /// Erasure requests a coordinator refused, learnt in this sync.
    pub erasures_refused: u32,
    /// This device's clock minus the hub's, in seconds, measured in this sync (`None` from a
    /// hub of before it). A phone whose clock is minutes off records wrong dates.
    pub clock_skew_secs: Option<i64>,
    /// Households the hub lacked and that went up again whole: it had been restored from a
    /// backup or rebuilt, and this device refilled it (docs/sync-protocol.md, "Reconciliation").
    pub refilled: u32,
    /// Other phones' sealed bundles this phone carried and delivered: applied by the hub, and
    /// refused (their phones seal again).
    pub bundles_delivered: u32,
    pub bundles_refused: u32,
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
    /// This device's clock minus the hub's at the latest sync that measured it, in seconds.
    pub clock_skew_secs: Option<i64>,
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
        // Households never sent anywhere are all pending and go up whole anyway: offering them
        // first cost a new phone's first sync two more round trips (1.2 s on EDGE) for nothing.
        let holds_settled = crate::store::sync_state::holds_settled(self.sync_store().conn())?;
        self.sync_store_mut().write(|tx| {
            state::save_peer(tx, &peer)?;
            for h in &peer.area.hamlets {
                store::save_hamlet(tx, &peer.area.commune_code, &h.id, &h.name)?;
            }
            // A new enrolment knows nothing of what the hub holds: a register with households
            // synced before (re-enrolled after a rebuilt hub, or moved to another hub) offers
            // them first.
            Store::delete_meta(tx, reconcile::META_HUB_GENERATION)?;
            if holds_settled {
                reconcile::mark_needed(tx)?;
            }
            Ok(())
        })?;
        // Sealed bundles need the hub's keys before the device leaves coverage; a hub that
        // cannot exchange them now is asked again at each sync.
        let _ = bundle::exchange_keys(&Exclusive::new(self), transport, &peer);
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
            clock_skew_secs: self
                .sync_store()
                .meta(META_CLOCK_SKEW)?
                .and_then(|s| s.parse().ok()),
        }))
    }

    /// Runs one sync with the enrolled hub over `transport`, holding the register throughout
    /// (`&mut`). A register shared between threads syncs with [`sync_shared`] instead, which
    /// holds it only to plan and to apply.
    pub fn sync_with(
        &mut self,
        transport: &dyn Transport,
        options: &SyncOptions<'_>,
    ) -> Result<SyncReport, SyncError> {
        sync_shared(&Exclusive::new(self), transport, options)
    }
}

/// Runs one sync with the enrolled hub over `transport`. The register is held only to plan each
/// request and to apply each answer (one transaction each), never while bytes are on the
/// network, and never while `options.progress` is called.
pub fn sync_shared<R: SharedRegister + ?Sized>(
    reg: &R,
    transport: &dyn Transport,
    options: &SyncOptions<'_>,
) -> Result<SyncReport, SyncError> {
    let peer = reg
        .with_register(|r| r.sync_peer())?
        .ok_or(SyncError::NotEnrolled)?;
    let mut run = Run {
        report: empty_report(),
        session: None,
    };
    let result = run_sync(reg, &peer, transport, options, &mut run);
    if matches!(result, Err(SyncError::Revoked)) {
        // The commune withdrew this device: it keeps nothing of the commune, then says so to
        // the hub (best effort: the wipe does not wait for it).
        let households = reg.with_register(wipe_after_revocation)?;
        let wiped = WipedRequest {
            protocol: PROTOCOL_VERSION,
            households,
        };
        let _ = transport.post(PATH_WIPED, Some(&peer.token), CONTENT_TYPE, encode(&wiped));
        return result;
    }
    match &result {
        Ok(report) => {
            let error = match report.outcome {
                SessionOutcome::Success => None,
                SessionOutcome::Partial => Some("partial"),
                SessionOutcome::Cancelled => Some("cancelled"),
                SessionOutcome::Failed => Some("failed"),
            };
            reg.with_register(|r| {
                let now = r.sync_now();
                r.sync_store_mut().write(|tx| {
                    state::record_attempt(tx, &peer.peer_id, now, error)?;
                    if let Some(skew) = report.clock_skew_secs {
                        Store::set_meta(tx, META_CLOCK_SKEW, &skew.to_string())?;
                    }
                    Ok(())
                })
            })?;
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
                let (cursor, pending) = reg.with_register(|r| {
                    let cursor = r
                        .sync_peer()
                        .ok()
                        .flatten()
                        .map(|p| p.cursor)
                        .unwrap_or(peer.cursor);
                    (cursor, r.pending_count().unwrap_or(0))
                });
                let fin = FinishRequest {
                    protocol: PROTOCOL_VERSION,
                    session,
                    outcome,
                    cursor,
                    pending_docs: pending,
                    error: Some(kind.into()),
                };
                let _ = transport.post(PATH_FINISH, Some(&peer.token), CONTENT_TYPE, encode(&fin));
            }
            let _ = reg.with_register(|r| {
                let now = r.sync_now();
                r.sync_store_mut()
                    .write(|tx| state::record_attempt(tx, &peer.peer_id, now, Some(kind)))
            });
        }
    }
    result
}

/// The sync's loop: plan a batch (register held), send it (register free), apply the answer
/// (register held, one transaction), until nothing is left either way; then finish.
fn run_sync<R: SharedRegister + ?Sized>(
    reg: &R,
    peer: &Peer,
    transport: &dyn Transport,
    options: &SyncOptions<'_>,
    run: &mut Run,
) -> Result<SyncReport, SyncError> {
    let progress = options.progress;
    progress.on_progress(Phase::Preparing, 0, 0);
    let mut cursor = peer.cursor;
    // Households leaving for the first time go as one change each (`crate::departure`).
    reg.with_register(|r| r.depart_pending())?;
    if reg.with_register(|r| reconcile::needed(r))? {
        cursor = refill(reg, peer, transport, run)?;
    }
    // Other phones' bundles first: the hub must hold their changes before this phone sends a
    // household that holds them.
    if reg.with_register(|r| carry::carries_any(r))? {
        let delivered = carry::deliver_carried(reg, transport)?;
        run.report.bundles_delivered = delivered.applied;
        run.report.bundles_refused = delivered.refused;
    }
    let mut outbox = reg.with_register(|r| Outbox::read(r, options.batch_bytes))?;
    let mut total_push = outbox.queue.len() as u64;
    let mut sent_docs = 0u64;
    let mut received_docs = 0u64;
    let mut scrub = false;
    let mut interrupted = 0u32;
    let finished_by_hub = loop {
        if options.cancel.is_cancelled() {
            return Err(SyncError::Cancelled);
        }
        // Planned a slice of documents per hold of the register, so that reads wait for one
        // slice at most, not for the whole batch.
        let first = Slice {
            docs: PLAN_SLICE_DOCS,
            already: 0,
        };
        let mut batch =
            reg.with_register(|r| plan_batch(r, peer, run.session, cursor, &mut outbox, first))?;
        while !outbox.queue.is_empty() && batch.bytes < outbox.batch_limit {
            let slice = Slice {
                docs: PLAN_SLICE_DOCS,
                already: batch.bytes,
            };
            let more = reg
                .with_register(|r| plan_batch(r, peer, run.session, cursor, &mut outbox, slice))?;
            batch.absorb(more);
        }
        sent_docs += batch.settled.len() as u64;
        run.report.round_trips += 1;
        batch.request.device_time = Some(reg.with_register(|r| r.sync_now()).timestamp());
        progress.on_progress(Phase::Sending, sent_docs.min(total_push), total_push);
        let mut traffic = Traffic::default();
        let sent = send_sync(
            transport,
            &peer.token,
            encode_push(&batch.request),
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
                // same work again in smaller requests, so a link that drops long transfers still
                // lets the sync finish.
                interrupted += 1;
                outbox.put_back(batch, MIN_BATCH_BYTES);
                pause_before_retry(interrupted, &options.cancel);
                continue;
            }
            Err(e) => return Err(e),
        };
        check_status(&resp)?;
        let answer = read_answer(&batch, &resp.body)?;
        run.session = Some(answer.session);
        run.report.session = Some(answer.session);
        if let (Some(hub), Some(device)) = (answer.hub_time, batch.request.device_time) {
            run.report.clock_skew_secs = Some(device.saturating_sub(hub));
        }

        let applied = reg.with_register(|r| apply_answer(r, peer, &batch, &answer))?;
        if let Some(c) = applied.cursor {
            cursor = c;
        }
        if applied.erased > 0 || applied.left_area > 0 {
            scrub = true;
        }
        run.report.left_area += applied.left_area;
        run.report.erasures_filed += applied.erase_filed;
        run.report.erasures_refused += applied.erase_refused;
        run.report.erased += applied.erased;
        run.report.pushed += applied.pushed;
        run.report.pulled += applied.pulled;
        run.report.rejected.extend(applied.rejected);
        sent_docs += answer.results.len() as u64;
        received_docs += answer.pull.len() as u64;
        progress.on_progress(Phase::Sending, sent_docs.min(total_push), total_push);
        progress.on_progress(
            Phase::Receiving,
            received_docs,
            received_docs + u64::from(answer.more),
        );
        outbox.queue.extend(applied.requeue);
        outbox.resend = applied.resend;
        if applied.reconcile {
            // The hub lost writes this device saw: offer what it holds, then send what it
            // lacks and take everything of the area again, in this same session.
            cursor = refill(reg, peer, transport, run)?;
            if answer.finished {
                // The hub closed that session; go on in a new one.
                run.session = None;
            }
            let resend = std::mem::take(&mut outbox.resend);
            outbox = reg.with_register(|r| Outbox::read(r, options.batch_bytes))?;
            // Erasure requests went with the first request; the hub has answered them.
            outbox.erase.clear();
            outbox.resend = resend;
            total_push = sent_docs + outbox.queue.len() as u64;
            continue;
        }
        if applied.widened && answer.finished {
            // The hub closed that session; ask for the joined hamlets in a new one.
            run.session = None;
        }
        if outbox.is_empty() && !answer.more && !applied.widened {
            break answer.finished;
        }
    };

    let pending_after = reg.with_register(|r| -> Result<u32, SyncError> {
        if scrub {
            r.sync_store_mut().scrub()?;
        }
        Ok(r.pending_count()?)
    })?;
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
    bundles_after_sync(reg, peer, transport, cursor, pending_after)?;
    progress.on_progress(Phase::Done, 1, 1);
    Ok(run.report.clone())
}

/// What a sync settles of sealed bundles: the bundle keys exchanged if they were not, the
/// answers applied from bundles acknowledged (each ends its session on the hub), and the sealed
/// bundles made moot when nothing is left pending.
fn bundles_after_sync<R: SharedRegister + ?Sized>(
    reg: &R,
    peer: &Peer,
    transport: &dyn Transport,
    cursor: u64,
    pending_after: u32,
) -> Result<(), SyncError> {
    let (keys_due, acks) = reg.with_register(|r| -> Result<_, SyncError> {
        let conn = r.sync_store().conn();
        Ok((
            bundle::keys_due(r)?,
            bundle::unacked_answers(conn, cursor, pending_after)?,
        ))
    })?;
    if keys_due {
        // Once a day at most (the area's phones, for handovers), and at once while the hub's
        // keys are missing: a failure is not the sync's, and the next sync tries again.
        let _ = bundle::exchange_keys(reg, transport, peer);
    }
    let mut acked = Vec::new();
    for ack in acks {
        let resp = transport.post(PATH_FINISH, Some(&peer.token), CONTENT_TYPE, encode(&ack))?;
        if resp.status == 200 {
            acked.push(ack.session);
        }
    }
    reg.with_register(|r| {
        let now = r.sync_now();
        r.sync_store_mut().write(|tx| {
            bundle::mark_acked(tx, &acked)?;
            if pending_after == 0 {
                bundle::settle_by_sync(tx, now)?;
            }
            Ok(())
        })
    })?;
    Ok(())
}

/// Reconciles with the hub (see `reconcile.rs`) and counts it in the report; the cursor is 0
/// after it.
fn refill<R: SharedRegister + ?Sized>(
    reg: &R,
    peer: &Peer,
    transport: &dyn Transport,
    run: &mut Run,
) -> Result<u64, SyncError> {
    let done = reconcile::reconcile(reg, peer, transport)?;
    run.report.refilled += done.lacking;
    run.report.bytes_up += done.bytes_up;
    run.report.bytes_down += done.bytes_down;
    run.report.round_trips += done.round_trips;
    Ok(0)
}

/// The smallest batch a retry shrinks to: a few households, still worth a round trip.
const MIN_BATCH_BYTES: usize = 16 * 1024;

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
        left_area: 0,
        erasures_filed: 0,
        erasures_refused: 0,
        clock_skew_secs: None,
        refilled: 0,
        bundles_delivered: 0,
        bundles_refused: 0,
    }
}
