//! Refilling a hub that lost writes (restored from a backup, rebuilt, or re-enrolled with): the
//! device offers what it holds, compactly (`super::offer`), the hub names what it lacks, and
//! the device marks those documents to go whole in the same sync. Its cursor goes back to 0 so
//! it also receives what it lacks; the erasures it knows of travel with the hub's proofs, so a
//! restored hub does not bring erased households back (docs/sync-protocol.md,
//! "Reconciliation").
//!
//! The need is a flag in the register (`meta.sync_reconcile`), set in the transaction that
//! learnt it (an enrolment of a register that holds households, an answer from another
//! generation or with a sequence behind the cursor) and cleared in the transaction that applies
//! the hub's answer: a reconciliation cut anywhere is done again at the next sync.

use super::error::SyncError;
use super::offer::{bucket_count, bucket_of, digests, fingerprint};
use super::shared::SharedRegister;
use super::state::{self, Peer};
use super::transport::Transport;
use super::wire::*;
use crate::register::Register;
use crate::store::Store;
use crate::store::erase;
use crate::store::sync_state::{forget_shared_heads, mark_pending};

/// Set to "1" while the hub must be offered what this register holds.
pub(crate) const META_RECONCILE: &str = "sync_reconcile";
/// The hub generation this register last synced with.
pub(crate) const META_HUB_GENERATION: &str = "hub_generation";

/// One document as offered: its id, heads and fingerprint, and whether the heads came from the
/// shared record (otherwise from the document itself).
struct Held {
    id: String,
    heads: Vec<Head>,
    fingerprint: [u8; 8],
    shared: bool,
}

/// What a reconciliation did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    /// Documents the register holds.
    pub offered: u32,
    /// Documents the hub lacked (marked to go whole).
    pub lacking: u32,
    /// Erasures the hub carried out again from this device's proofs.
    pub reinstated: u32,
    /// Bytes of the exchange's bodies, each way, and its round trips.
    pub bytes_up: u64,
    pub bytes_down: u64,
    pub round_trips: u32,
}

/// Whether this register must reconcile before its next push.
pub(crate) fn needed(reg: &Register) -> Result<bool, SyncError> {
    Ok(reg.sync_store().meta(META_RECONCILE)?.as_deref() == Some("1"))
}

/// What the register holds, at the heads the hub last acknowledged (a document pending since
/// goes up anyway; one without shared heads is read for its own).
fn holdings(reg: &Register, peer: &Peer) -> Result<Vec<Held>, SyncError> {
    let store = reg.sync_store();
    let mut held = Vec::new();
    for id in store.household_ids()? {
        let shared = state::shared_heads(store.conn(), &peer.peer_id, &id.0)?;
        let (heads, from_shared) = if shared.is_empty() {
            match store.load(&id)? {
                Some(mut doc) => (doc.heads(), false),
                None => continue,
            }
        } else {
            (shared, true)
        };
        held.push(Held {
            fingerprint: fingerprint(&id.0, &heads),
            id: id.0,
            heads,
            shared: from_shared,
        });
    }
    Ok(held)
}

fn post(
    transport: &dyn Transport,
    peer: &Peer,
    req: &ReconcileRequest,
    out: &mut Reconciled,
) -> Result<Option<ReconcileResponse>, SyncError> {
    let body = encode(req);
    out.bytes_up += body.len() as u64;
    out.round_trips += 1;
    let resp = transport.post(PATH_RECONCILE, Some(&peer.token), CONTENT_TYPE, body)?;
    out.bytes_down += resp.body.len() as u64;
    if resp.status == 404 {
        // A hub of before reconciliation: it cannot say what it lacks.
        return Ok(None);
    }
    if resp.status != 200 {
        return Err(SyncError::from_hub(resp.status, &resp.body));
    }
    decode(&resp.body)
        .map(Some)
        .map_err(|e| SyncError::Protocol(format!("reconcile answer: {e}")))
}

/// Offers the register's documents to the hub and marks what it lacks; resets the cursor.
pub(crate) fn reconcile<R: SharedRegister + ?Sized>(
    reg: &R,
    peer: &Peer,
    transport: &dyn Transport,
) -> Result<Reconciled, SyncError> {
    let (held, claims) = reg.with_register(|r| -> Result<_, SyncError> {
        let claims = erase::proven_erasures(r.sync_store().conn())?
            .into_iter()
            .filter_map(|(id, s, proof)| {
                Some(ErasureClaim {
                    erasure: DocEpoch {
                        id,
                        epoch: s.epoch,
                        gone: s.gone,
                    },
                    proof: proof.try_into().ok()?,
                })
            })
            .collect::<Vec<_>>();
        Ok((holdings(r, peer)?, claims))
    })?;
    let mut out = Reconciled {
        offered: held.len() as u32,
        ..Default::default()
    };
    let buckets = bucket_count(held.len());
    let step1 = ReconcileRequest {
        protocol: PROTOCOL_VERSION,
        buckets,
        digests: digests(held.iter().map(|h| (h.id.as_str(), h.fingerprint)), buckets),
        detail: Vec::new(),
        erasures: claims,
    };
    let lacking: Vec<usize> = match post(transport, peer, &step1, &mut out)? {
        // A hub of before reconciliation: it keeps what it was sent and refuses other phones'
        // changes (`forged_actor`), so sending everything whole would only leave it refused
        // and pending; nor can it say what it holds. The sync goes on as before reconciliation
        // existed: nothing is marked, no heads are taken as shared.
        None => {
            reg.with_register(|r| {
                r.sync_store_mut()
                    .write(|tx| Store::set_meta(tx, META_RECONCILE, "0"))
            })?;
            return Ok(out);
        }
        Some(answer) => {
            out.reinstated = answer.reinstated;
            lacking_positions(transport, peer, &held, buckets, &answer, &mut out)?
        }
    };
    out.lacking = lacking.len() as u32;
    let mut is_lacking = vec![false; held.len()];
    for &i in &lacking {
        is_lacking[i] = true;
    }
    reg.with_register(|r| {
        r.sync_store_mut().write(|tx| {
            for (h, lacks) in held.iter().zip(&is_lacking) {
                if *lacks {
                    forget_shared_heads(tx, &peer.peer_id, &h.id)?;
                    mark_pending(tx, &h.id)?;
                } else if !h.shared {
                    // The hub holds exactly these heads: later edits go as changes after them.
                    state::set_shared_heads(tx, &peer.peer_id, &h.id, &h.heads)?;
                }
            }
            state::set_cursor(tx, &peer.peer_id, 0)?;
            Store::set_meta(tx, META_RECONCILE, "0")?;
            Ok(())
        })
    })?;
    Ok(out)
}

/// Step 2: the fingerprints of the differing buckets, and which of them the hub lacks.
fn lacking_positions(
    transport: &dyn Transport,
    peer: &Peer,
    held: &[Held],
    buckets: u32,
    answer: &ReconcileResponse,
    out: &mut Reconciled,
) -> Result<Vec<usize>, SyncError> {
    if answer.differing.is_empty() {
        return Ok(Vec::new());
    }
    if answer.differing.iter().any(|&b| b >= buckets) {
        return Err(SyncError::Protocol("reconcile: unknown bucket".into()));
    }
    // Per differing bucket, the positions in `held` of its documents.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); answer.differing.len()];
    for (i, h) in held.iter().enumerate() {
        let b = bucket_of(&h.id, buckets);
        if let Ok(k) = answer.differing.binary_search(&b) {
            members[k].push(i);
        }
    }
    let step2 = ReconcileRequest {
        protocol: PROTOCOL_VERSION,
        buckets,
        digests: Vec::new(),
        detail: answer
            .differing
            .iter()
            .zip(&members)
            .map(|(&bucket, m)| BucketDetail {
                bucket,
                fingerprints: m.iter().map(|&i| held[i].fingerprint).collect(),
            })
            .collect(),
        erasures: Vec::new(),
    };
    let Some(second) = post(transport, peer, &step2, out)? else {
        return Err(SyncError::Protocol("reconcile: no second answer".into()));
    };
    if second.lacking.len() != members.len() {
        return Err(SyncError::Protocol(
            "reconcile: answers do not match the buckets sent".into(),
        ));
    }
    let mut lacking = Vec::new();
    for (m, lacks) in members.iter().zip(&second.lacking) {
        for &pos in lacks {
            let i = *m
                .get(pos as usize)
                .ok_or_else(|| SyncError::Protocol("reconcile: unknown position".into()))?;
            lacking.push(i);
        }
    }
    Ok(lacking)
}

/// Marks the register to reconcile at its next exchange with the hub.
pub(crate) fn mark_needed(tx: &rusqlite::Transaction<'_>) -> crate::Result<()> {
    Store::set_meta(tx, META_RECONCILE, "1")
}

/// Whether an answer's lineage says the hub lost writes this register saw: another generation
/// than the one last synced with, or a sequence behind the cursor the register sent.
pub(crate) fn lineage_changed(
    known_generation: Option<u32>,
    lineage: &HubLineage,
    cursor_sent: u64,
) -> bool {
    known_generation.is_some_and(|g| g != lineage.generation) || lineage.seq < cursor_sent
}
