//! A household's first departure from this phone. Before a document leaves in any form for the
//! first time (a push, a sealed bundle, a handover, an export), a history made only on this
//! phone and never shared is squashed into one change: nobody else holds it, so nobody depends
//! on its steps, and the ~21 changes of a registration visit cost their metadata on every link
//! and every replica (W1's households: 426 B each in a push at zstd 9 against 363 B squashed,
//! `bench/src/bin/household_bytes.rs`). The document is named in `departed` in the same
//! transaction, so it is squashed once only: a push retried after a lost answer, or a bundle and
//! a sync carrying the same household, send one lineage.

use rusqlite::{OptionalExtension, Transaction};

use crate::doc::{ChangeContext, actor_for};
use crate::error::Result;
use crate::model::HouseholdId;
use crate::register::Register;
use crate::store::{Store, load_in, sync_state};

impl Register {
    /// Readies every pending document for leaving (see the module's note); returns how many
    /// were squashed.
    pub(crate) fn depart_pending(&mut self) -> Result<usize> {
        let pending = sync_state::pending(self.sync_store().conn())?;
        let ids: Vec<HouseholdId> = pending.into_iter().map(|(id, _)| HouseholdId(id)).collect();
        self.depart(&ids)
    }

    /// Readies `ids` for leaving; returns how many were squashed.
    pub(crate) fn depart(&mut self, ids: &[HouseholdId]) -> Result<usize> {
        let identity = self.identity().clone();
        self.sync_store_mut().write(|tx| {
            let mut squashed = 0;
            for id in ids {
                if squash_once(tx, id, &identity)? {
                    squashed += 1;
                }
            }
            Ok(squashed)
        })
    }
}

fn squash_once(tx: &Transaction<'_>, id: &HouseholdId, identity: &crate::Identity) -> Result<bool> {
    let named: Option<i64> = tx
        .query_row(
            "SELECT 1 FROM departed WHERE doc_id = ?1",
            [id.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    if named.is_some() {
        return Ok(false);
    }
    tx.execute("INSERT INTO departed (doc_id) VALUES (?1)", [id.as_str()])?;
    // Heads shared with a hub mean the hub holds this history (pulled, or pushed before).
    if sync_state::has_shared_heads(tx, id.as_str())? {
        return Ok(false);
    }
    let Some(mut doc) = load_in(tx, id)? else {
        return Ok(false);
    };
    if !doc.squashable_by(&actor_for(&identity.device)) {
        return Ok(false);
    }
    let ctx = ChangeContext {
        volunteer: identity.volunteer.clone(),
        device: identity.device.clone(),
        at: doc.last_change_at().unwrap_or_default(),
    };
    let mut one = doc.squashed(&ctx)?;
    // The squashed document must read exactly as the one it replaces; if not, it keeps its
    // history (still named, so it is never tried again with another result).
    if one.read()? != doc.read()? {
        return Ok(false);
    }
    Store::replace_with_snapshot(tx, id.as_str(), &one.save())?;
    Ok(true)
}
