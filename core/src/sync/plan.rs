//! The device's sync as steps that compute, and one step that applies (the samod shape, see
//! ARCHITECTURE.md "Our conventions"):
//!
//! - [`plan_batch`] reads the register and computes the next request: which documents go (only
//!   their changes after the heads shared with the hub), the erasure requests, the documents to
//!   be resent whole. It writes nothing.
//! - [`read_answer`] checks the hub's answer against the batch it answers. Pure.
//! - [`apply_answer`] stores everything of one answer in one local transaction: verdicts per
//!   document, erasures, the hub's documents merged with whatever the register holds **now**,
//!   and the cursor.
//!
//! The register may be edited between planning and applying (the register is not held while the
//! request is on the network, see `client.rs`): a pending mark is cleared only when its change
//! counter is the one planned, so an edit made meanwhile stays pending and goes up next; pulled
//! documents merge with the stored document as it is at apply time, so the edit is kept.

use std::collections::VecDeque;

use super::area::apply_area;
use super::error::SyncError;
use super::merge::{MergeError, merge_changes, sender_heads};
use super::reconcile::{META_HUB_GENERATION, lineage_changed, mark_needed};
use super::state::{self, Peer, Rejected};
use super::wire::*;
use crate::doc::ChangeContext;
use crate::model::HouseholdId;
use crate::register::Register;
use crate::store::Store;
use crate::store::erase::{self, EraseState, RequestState};
use crate::store::sync_state::{pending_seq, stored_doc_bytes};

/// A document waiting to go: id, its pending change counter when planned, and whether it goes
/// whole (the hub lacked its history).
#[derive(Debug, Clone)]
pub(crate) struct Queued {
    pub id: String,
    pub seq: i64,
    pub full: bool,
}

/// What is still to send in this sync.
pub(crate) struct Outbox {
    pub queue: VecDeque<Queued>,
    /// Open erasure requests, sent with the first request; the hub answers each one.
    pub erase: Vec<EraseRequest>,
    /// Documents to be resent whole by the hub.
    pub resend: Vec<String>,
    /// Changes per request, before compression.
    pub batch_limit: usize,
    /// Documents pending when the sync started.
    pub pending_before: u32,
}

impl Outbox {
    /// Everything pending in the register now.
    pub fn read(reg: &Register, batch_limit: usize) -> Result<Self, SyncError> {
        let conn = reg.sync_store().conn();
        let pending = state::pending(conn)?;
        Ok(Self {
            pending_before: pending.len() as u32,
            queue: pending
                .into_iter()
                .map(|(id, seq)| Queued {
                    id,
                    seq,
                    full: false,
                })
                .collect(),
            erase: erase::erase_requests(conn)?
                .into_iter()
                .map(|(id, member)| EraseRequest { id, member })
                .collect(),
            resend: Vec::new(),
            batch_limit,
        })
    }

    /// A request that was lost: its work goes back, in front, for smaller batches.
    pub fn put_back(&mut self, batch: Batch, smaller_than: usize) {
        self.batch_limit = (self.batch_limit / 2).max(smaller_than);
        for s in batch.sent.into_iter().rev() {
            self.queue.push_front(s.queued);
        }
        self.resend = batch.request.resend;
        self.erase = batch.request.erase;
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty() && self.resend.is_empty()
    }
}

/// A document of a batch: how it was queued and the heads it was sent at.
pub(crate) struct Sent {
    pub queued: Queued,
    pub heads: Vec<Head>,
}

/// One planned request.
pub(crate) struct Batch {
    pub request: SyncRequest,
    pub sent: Vec<Sent>,
    /// Pending marks to drop: documents gone or with nothing the hub lacks.
    pub settled: Vec<(String, i64)>,
    /// Bytes of changes in `request.push`.
    pub bytes: usize,
}

/// Documents planned per hold of the register: a batch of a week's work (80 documents) planned
/// in one hold kept a list read waiting 60 ms (`reads_during_sync`); in slices of this many, a
/// read waits for one slice at most.
pub(crate) const PLAN_SLICE_DOCS: usize = 8;

impl Batch {
    /// Appends the documents of a later slice of the same request.
    pub fn absorb(&mut self, more: Batch) {
        self.request.push.extend(more.request.push);
        self.request.resend.extend(more.request.resend);
        self.request.erase.extend(more.request.erase);
        self.request.epochs.extend(more.request.epochs);
        self.sent.extend(more.sent);
        self.settled.extend(more.settled);
        self.bytes += more.bytes;
    }
}

/// Takes the next batch off `outbox`: the changes of queued documents after the heads shared
/// with the hub, up to the batch limit (at least one document). Reads only.
pub(crate) fn plan_batch(
    reg: &Register,
    peer: &Peer,
    session: Option<u64>,
    cursor: u64,
    outbox: &mut Outbox,
    slice: Slice,
) -> Result<Batch, SyncError> {
    let store = reg.sync_store();
    let mut push = Vec::new();
    let mut sent = Vec::new();
    let mut settled = Vec::new();
    let mut epochs = Vec::new();
    let mut batch_bytes = slice.already;
    let mut loaded = 0usize;
    while let Some(q) = outbox.queue.pop_front() {
        let full = (!push.is_empty() || slice.already > 0) && batch_bytes >= outbox.batch_limit;
        if full || loaded >= slice.docs {
            outbox.queue.push_front(q);
            break;
        }
        loaded += 1;
        let Some(mut doc) = store.load(&HouseholdId(q.id.clone()))? else {
            // Marked pending but gone (erased meanwhile): drop the mark.
            settled.push((q.id, q.seq));
            continue;
        };
        // The counter as it is now: an edit since the outbox was read goes up in this batch.
        let seq = pending_seq(store.conn(), &q.id)?.unwrap_or(q.seq);
        let shared = if q.full {
            Vec::new()
        } else {
            state::shared_heads(store.conn(), &peer.peer_id, &q.id)?
        };
        // A document the hub has never seen goes whole, in its smallest form for the batch
        // (`doc::whole_for_batch`); after that only the changes past the shared heads travel.
        let changes = if shared.is_empty() {
            doc.save_for_batch()
        } else {
            doc.changes_since(&shared)
        };
        if changes.is_empty() {
            // The hub already has every change of this document.
            settled.push((q.id, seq));
            continue;
        }
        let heads = doc.heads();
        batch_bytes += changes.len();
        if let Some(s) = erase::erase_state(store.conn(), &q.id)?
            && s.epoch > 0
        {
            epochs.push(DocEpoch {
                id: q.id.clone(),
                epoch: s.epoch,
                gone: s.gone,
            });
        }
        push.push(PushDoc {
            id: q.id.clone(),
            // A whole document carries its heads already.
            heads: if shared.is_empty() {
                Vec::new()
            } else {
                heads.clone()
            },
            changes,
        });
        sent.push(Sent {
            queued: Queued { seq, ..q },
            heads,
        });
    }
    Ok(Batch {
        request: SyncRequest {
            protocol: PROTOCOL_VERSION,
            session,
            cursor,
            pending_docs: outbox.pending_before,
            push,
            resend: std::mem::take(&mut outbox.resend),
            erase: std::mem::take(&mut outbox.erase),
            epochs,
            // Set by the client as it sends (its clock, not the planner's).
            device_time: None,
            hub_tag: session.is_none().then(|| hub_tag(&peer.peer_id)),
        },
        sent,
        settled,
        bytes: batch_bytes - slice.already,
    })
}

/// How much of a batch one call plans: at most `docs` documents, on top of `already` bytes
/// planned by earlier calls for the same request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slice {
    pub docs: usize,
    pub already: usize,
}

/// Decodes the hub's answer and checks it answers `batch` (one verdict per document, in order).
pub(crate) fn read_answer(batch: &Batch, body: &[u8]) -> Result<SyncResponse, SyncError> {
    let answer = decode_sync_response(body).map_err(|e| SyncError::Protocol(e.to_string()))?;
    if answer.results.len() != batch.sent.len()
        || answer
            .results
            .iter()
            .zip(&batch.sent)
            .any(|(r, s)| r.id != s.queued.id)
    {
        return Err(SyncError::Protocol(
            "results do not match the documents sent".into(),
        ));
    }
    Ok(answer)
}

/// What applying one answer did.
#[derive(Default)]
pub(crate) struct Applied {
    pub pushed: u32,
    pub pulled: u32,
    pub erased: u32,
    pub rejected: Vec<Rejected>,
    /// Documents to send again whole (the hub lacked their history).
    pub requeue: Vec<Queued>,
    /// Documents the hub must resend whole.
    pub resend: Vec<String>,
    /// The cursor stored, when every pulled document was complete.
    pub cursor: Option<u64>,
    /// Households dropped because their hamlet left the device's area.
    pub left_area: u32,
    /// Hamlets joined the area: the cursor went back to the start, ask again.
    pub widened: bool,
    /// Erasure requests the hub filed for a coordinator, and ones refused.
    pub erase_filed: u32,
    pub erase_refused: u32,
    /// The hub lost writes this device saw (restored, rebuilt): reconcile before going on.
    pub reconcile: bool,
}

/// Stores everything of one answer in one local transaction.
pub(crate) fn apply_answer(
    reg: &mut Register,
    peer: &Peer,
    batch: &Batch,
    answer: &SyncResponse,
) -> Result<Applied, SyncError> {
    let now = reg.sync_now();
    let commune = reg.identity().commune_code.clone();
    let peer_id = peer.peer_id.as_str();
    let mut out = Applied::default();
    let known_generation: Option<u32> = reg
        .sync_store()
        .meta(META_HUB_GENERATION)?
        .and_then(|g| g.parse().ok());
    let ctx = ChangeContext {
        volunteer: reg.identity().volunteer.clone(),
        device: reg.identity().device.clone(),
        at: now,
    };
    reg.sync_store_mut().write(|tx| {
        if let Some(lineage) = &answer.lineage {
            if lineage_changed(known_generation, lineage, batch.request.cursor) {
                mark_needed(tx)?;
                out.reconcile = true;
            }
            Store::set_meta(tx, META_HUB_GENERATION, &lineage.generation.to_string())?;
        }
        // The area first: what the hub sends below is of the area as it is now.
        if let Some(area) = &answer.area {
            let change = apply_area(tx, area, &answer.merged_hamlets, &ctx)?;
            out.left_area = change.dropped;
            out.widened = change.widened;
        }
        for (id, seq) in &batch.settled {
            state::clear_pending(tx, id, *seq)?;
        }
        for (result, sent) in answer.results.iter().zip(&batch.sent) {
            let Queued { id, seq, full } = &sent.queued;
            if out.left_area > 0 && stored_doc_bytes(tx, id)?.is_none() {
                // Dropped above with its hamlet: whatever the hub said of it no longer applies.
                continue;
            }
            match &result.outcome {
                PushOutcome::Stored => {
                    // Erased here while on the network (the whole household, or a member: then
                    // the stored document is a new lineage): what was sent no longer describes
                    // it; the erasure request settles it at the next round.
                    let erased_meanwhile = erase::has_erase_request(tx, id)?
                        && !batch.request.erase.iter().any(|e| &e.id == id);
                    if erased_meanwhile || stored_doc_bytes(tx, id)?.is_none() {
                        continue;
                    }
                    state::set_shared_heads(tx, peer_id, id, &sent.heads)?;
                    state::clear_pending(tx, id, *seq)?;
                    state::clear_reject(tx, peer_id, id)?;
                    out.pushed += 1;
                }
                PushOutcome::NeedFull if !*full => out.requeue.push(Queued {
                    id: id.clone(),
                    seq: *seq,
                    full: true,
                }),
                PushOutcome::NeedFull => {
                    let r = Rejected {
                        doc_id: id.clone(),
                        code: "missing_deps".into(),
                        message_vi: "máy chủ thiếu lịch sử tài liệu".into(),
                        message_en: "the hub lacks the document's history".into(),
                    };
                    state::set_reject(tx, peer_id, &r, now)?;
                    out.rejected.push(r);
                }
                PushOutcome::Rejected {
                    code,
                    message_vi,
                    message_en,
                } => {
                    let r = Rejected {
                        doc_id: id.clone(),
                        code: code.clone(),
                        message_vi: message_vi.clone(),
                        message_en: message_en.clone(),
                    };
                    state::set_reject(tx, peer_id, &r, now)?;
                    out.rejected.push(r);
                }
                PushOutcome::Erased { epoch, gone } => {
                    // The hub erased this household after the copy held here: drop it, with any
                    // change made to it here; take the rewritten one whole.
                    Store::purge(tx, id)?;
                    erase::set_erase_state(
                        tx,
                        id,
                        EraseState {
                            epoch: *epoch,
                            gone: *gone,
                        },
                    )?;
                    if !*gone {
                        out.resend.push(id.clone());
                    }
                    out.erased += 1;
                }
            }
        }
        let mut pending_proofs = Vec::new();
        // Erasures the hub applied (this device's own requests among them): drop every copy
        // older than the erasure, before storing what the hub sent.
        for (i, notice) in answer.erased.iter().enumerate() {
            if let Some(proof) = answer.erased_proofs.get(i) {
                // Kept (once this device reaches that erasure, below) to tell a hub restored
                // from before it.
                pending_proofs.push((notice, proof));
            }
            let newer = match erase::erase_state(tx, &notice.id)? {
                None => true,
                Some(l) => notice.epoch > l.epoch || (notice.gone && !l.gone),
            };
            if newer || erase::has_erase_request(tx, &notice.id)? {
                Store::purge(tx, &notice.id)?;
                erase::set_erase_state(
                    tx,
                    &notice.id,
                    EraseState {
                        epoch: notice.epoch,
                        gone: notice.gone,
                    },
                )?;
                out.erased += 1;
            }
        }
        for (notice, proof) in pending_proofs.drain(..) {
            let state = EraseState {
                epoch: notice.epoch,
                gone: notice.gone,
            };
            erase::set_erase_proof(tx, &notice.id, state, proof)?;
        }
        // What became of the erasure requests sent (a hub of before the answers carried them
        // out at once).
        for e in &batch.request.erase {
            let state = match &answer.erase_answers {
                None => EraseRequestState::Erased,
                Some(answers) => match answers
                    .iter()
                    .find(|a| a.id == e.id && a.member == e.member)
                {
                    Some(a) => a.state,
                    None => continue,
                },
            };
            let member = e.member.as_deref();
            match state {
                EraseRequestState::Erased => erase::clear_erase_request(tx, &e.id, member)?,
                EraseRequestState::Pending => {
                    erase::set_request_state(tx, &e.id, member, RequestState::Filed)?;
                    out.erase_filed += 1;
                }
                EraseRequestState::Refused => {
                    erase::set_request_state(tx, &e.id, member, RequestState::Refused)?;
                    out.erase_refused += 1;
                }
            }
        }
        for doc in &answer.pull {
            let hid = HouseholdId(doc.id.clone());
            if !crate::model::is_valid_id(&doc.id) {
                return Err(crate::Error::Internal(
                    "hub sent an invalid document id".into(),
                ));
            }
            if erase::erase_state(tx, &doc.id)?.is_some_and(|s| s.gone) {
                continue;
            }
            // The document as stored now, edits made during the request included.
            let existing = stored_doc_bytes(tx, &doc.id)?;
            match merge_changes(&hid, existing.as_deref(), &doc.changes) {
                Ok(mut merged) => {
                    // A whole document comes without its heads.
                    let hub_heads =
                        sender_heads(&doc.heads, existing.is_some(), &merged, &doc.changes)
                            .map_err(|e| {
                                crate::Error::CorruptDocument(format!("from hub, {}: {e}", doc.id))
                            })?;
                    if merged.household.area.commune_code != commune {
                        // Never store a household of another commune, whatever the hub says.
                        continue;
                    }
                    if merged.changed {
                        // The merge's own document and household are the snapshot's: its query
                        // rows come from them, without loading or reading it again.
                        Store::save_merged(
                            tx,
                            &merged.snapshot,
                            &mut merged.doc,
                            &merged.household,
                        )?;
                        out.pulled += 1;
                    }
                    state::set_shared_heads(tx, peer_id, &doc.id, &hub_heads)?;
                }
                Err(MergeError::MissingDeps) => out.resend.push(doc.id.clone()),
                Err(e) => {
                    return Err(crate::Error::CorruptDocument(format!(
                        "from hub, {}: {e}",
                        doc.id
                    )));
                }
            }
        }
        // Advance the cursor only when every pulled document is complete; otherwise the same
        // range is asked again with the incomplete ones to be resent whole.
        if out.resend.is_empty() {
            let cursor = if out.widened { 0 } else { answer.cursor };
            state::set_cursor(tx, peer_id, cursor)?;
            out.cursor = Some(cursor);
        }
        Ok(())
    })?;
    if !out.resend.is_empty()
        && batch
            .request
            .resend
            .iter()
            .any(|id| out.resend.contains(id))
    {
        return Err(SyncError::Protocol(
            "a document resent whole is still incomplete".into(),
        ));
    }
    Ok(out)
}
