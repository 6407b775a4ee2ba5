//! Merging received changes into a stored document, shared by the device and the hub.
//!
//! Automerge's `load` accepts changes whose dependencies are missing (it queues them) when the
//! stored bytes start with a whole document, and `save` then silently drops them. A receiver that
//! stored such a merge would report changes as stored that are not: so every merge here checks
//! for missing dependencies first and answers [`MergeError::MissingDeps`] instead.

use automerge::{AutoCommit, ChangeHash};

use super::wire::Head;
use crate::doc::HouseholdDoc;
/// A receiver passes a new document pushed as its one change on as it came.
pub use crate::doc::is_whole_as_one_change;
use crate::model::{DeviceId, Household, HouseholdId};

/// The result of merging received changes into a document.
#[derive(Debug)]
pub struct Merged {
    /// The whole merged document, compacted.
    pub snapshot: Vec<u8>,
    /// Heads before and after the merge.
    pub heads_before: Vec<Head>,
    pub heads: Vec<Head>,
    /// Whether the received changes added anything.
    pub changed: bool,
    /// The household as read from the merged document (validated shape).
    pub household: Household,
    /// The merged document, loaded once from `snapshot`: read more from it (its conflicts)
    /// without loading the snapshot again.
    pub doc: HouseholdDoc,
    /// The household before the merge, if the document existed.
    pub before: Option<Household>,
    /// The actors (hex) of the changes the merge added: who claims to have made them.
    pub new_actors: Vec<String>,
    /// Entries of the document's actor table (actor hex -> `volunteer|device`) the merge added
    /// or changed: the names history shows for those actors.
    pub actor_entries_changed: Vec<(String, String)>,
}

/// The actor (hex) every change a device makes carries (`doc::actor_for`).
pub fn device_actor_hex(device: &DeviceId) -> String {
    crate::doc::actor_for(device).to_hex_string()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("corrupt: {0}")]
    Corrupt(String),
    #[error("changes depend on changes the receiver does not have")]
    MissingDeps,
    #[error("changes belong to another household")]
    WrongId,
}

fn heads_of(doc: &mut AutoCommit) -> Vec<Head> {
    doc.get_heads().into_iter().map(|h| h.0).collect()
}

/// Merges `incoming` (Automerge changes or a saved document) into `existing` (the stored bytes
/// of document `id`, or `None` for a document new to the receiver).
pub fn merge_changes(
    id: &HouseholdId,
    existing: Option<&[u8]>,
    incoming: &[u8],
) -> Result<Merged, MergeError> {
    let mut doc = match existing {
        Some(bytes) => AutoCommit::load(bytes)
            .map_err(|e| MergeError::Corrupt(format!("stored document: {e}")))?,
        None => AutoCommit::new(),
    };
    let before = match existing {
        Some(_) => Some(HouseholdDoc::read_doc(&doc).map_err(corrupt)?),
        None => None,
    };
    let hashes_before = doc.get_heads();
    let heads_before = heads_of(&mut doc);
    let entries_before = crate::doc::actor_entries(&doc);
    doc.load_incremental(incoming)
        .map_err(|e| MergeError::Corrupt(e.to_string()))?;
    if !doc.get_missing_deps(&[]).is_empty() {
        return Err(MergeError::MissingDeps);
    }
    let heads = heads_of(&mut doc);
    if heads.is_empty() {
        return Err(MergeError::Corrupt("empty document".into()));
    }
    let changed = heads != heads_before;
    // Metadata from the change graph: whole changes would be rebuilt from the ops.
    let mut new_actors: Vec<String> = doc
        .get_changes_meta(&hashes_before)
        .iter()
        .map(|c| c.actor.to_hex_string())
        .collect();
    new_actors.sort();
    new_actors.dedup();
    let actor_entries_changed = crate::doc::actor_entries(&doc)
        .into_iter()
        .filter(|(k, v)| entries_before.get(k) != Some(v))
        .collect();
    let snapshot = doc.save();
    // Missing dependencies were refused above, so the snapshot holds exactly this document.
    let (merged, household) = HouseholdDoc::checked(doc).map_err(corrupt)?;
    if &household.id != id {
        return Err(MergeError::WrongId);
    }
    Ok(Merged {
        snapshot,
        heads_before,
        heads,
        changed,
        household,
        doc: merged,
        before,
        new_actors,
        actor_entries_changed,
    })
}

fn corrupt(e: crate::Error) -> MergeError {
    MergeError::Corrupt(e.to_string())
}

/// The changes of a saved document after `known` heads (the whole document when `known` is
/// empty; all its changes when the heads are unknown to it), and its heads.
pub fn changes_after(saved: &[u8], known: &[Head]) -> Result<(Vec<u8>, Vec<Head>), MergeError> {
    let mut doc = AutoCommit::load(saved).map_err(|e| MergeError::Corrupt(e.to_string()))?;
    let known: Vec<ChangeHash> = known.iter().map(|h| ChangeHash(*h)).collect();
    // Nothing known: the whole document in the smallest form for a batch compressed as a whole.
    let changes = if known.is_empty() {
        crate::doc::whole_for_batch(&mut doc)
    } else {
        doc.save_after(&known)
    };
    Ok((changes, heads_of(&mut doc)))
}

/// The sender's heads of a document just merged from `incoming`: those it sent, or, when it left
/// them out because `incoming` is the whole document, the document's own: the merged heads when
/// the receiver had no copy (`had_copy` false), else read from `incoming` alone.
pub fn sender_heads(
    sent: &[Head],
    had_copy: bool,
    merged: &Merged,
    incoming: &[u8],
) -> Result<Vec<Head>, MergeError> {
    if !sent.is_empty() {
        return Ok(sent.to_vec());
    }
    if !had_copy {
        return Ok(merged.heads.clone());
    }
    let mut doc = AutoCommit::load(incoming).map_err(|e| MergeError::Corrupt(e.to_string()))?;
    Ok(heads_of(&mut doc))
}

/// Heads encoded as one blob (32 bytes each), for storage.
pub fn heads_to_blob(heads: &[Head]) -> Vec<u8> {
    heads.concat()
}

pub fn heads_from_blob(blob: &[u8]) -> Vec<Head> {
    blob.chunks_exact(32)
        .map(|c| c.try_into().expect("32-byte chunk"))
        .collect()
}
