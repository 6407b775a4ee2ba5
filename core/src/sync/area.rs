//! Minimal data on the phone (issue 16): the device keeps only the households of its area as the
//! hub holds it now, and nothing at all once the commune revoked it.
//!
//! - The hub sends the device's area in the first answer of each session. Households of hamlets
//!   that left the area are dropped as an erasure drops them (documents, query rows, sync state,
//!   then the full-text index and the WAL scrubbed). No tombstone is kept: if the hamlet comes
//!   back, so do they. Two kinds are kept instead, because they hold work the hub has not got:
//!   - a household of a hamlet merged into one of the area moves to it, as a change of this
//!     device, and is sent at the next round;
//!   - a household with changes not yet sent stays, still pending: the hub refuses it
//!     (`outside_area`, shown in the sync's report) until the coordinator gives the hamlet back,
//!     but the volunteer's work is never dropped unseen.
//! - Hamlets that joined the area are asked for from the start (cursor 0; the hub sends only
//!   what the device lacks).
//! - A device the hub answers `revoked` (a lost phone, a volunteer who left) wipes its register:
//!   every household, the enrolment and its token, the hamlets; then tells the hub it did
//!   (`/v1/wiped`), which the coordinator sees on the devices page.

use std::collections::HashSet;

use rusqlite::Transaction;

use super::state;
use super::wire::{AreaInfo, MergedHamlet};
use crate::doc::{ChangeContext, Edit, HouseholdField};
use crate::error::Result;
use crate::model::HouseholdId;
use crate::register::Register;
use crate::store::{self, Store, sync_state};

/// What applying the hub's area did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AreaChange {
    /// Households dropped because their hamlet left the area.
    pub dropped: u32,
    /// Households moved from a merged hamlet into the one that took it.
    pub moved: u32,
    /// Households outside the area kept because they hold changes the hub has not got.
    pub kept: u32,
    /// Hamlets joined the area: ask the hub for the area's documents from the start.
    pub widened: bool,
}

/// Makes the stored area `area`: hamlets, households, and the enrolment's record of it. `ctx`
/// attributes the moves out of merged hamlets.
pub(crate) fn apply_area(
    tx: &Transaction<'_>,
    area: &AreaInfo,
    merged: &[MergedHamlet],
    ctx: &ChangeContext,
) -> Result<AreaChange> {
    let Some(peer) = state::load_peer(tx)? else {
        return Ok(AreaChange::default());
    };
    if &peer.area == area {
        return Ok(AreaChange::default());
    }
    let now: HashSet<(&str, &str)> = area
        .hamlets
        .iter()
        .map(|h| (area.commune_code.as_str(), h.id.as_str()))
        .collect();
    let before: HashSet<&str> = peer.area.hamlets.iter().map(|h| h.id.as_str()).collect();
    let widened = peer.area.commune_code != area.commune_code
        || area.hamlets.iter().any(|h| !before.contains(h.id.as_str()));
    let merged_into = |hamlet: &str| {
        merged
            .iter()
            .find(|m| m.from == hamlet)
            .map(|m| m.into.as_str())
            .filter(|into| now.contains(&(area.commune_code.as_str(), *into)))
    };
    let mut change = AreaChange {
        widened,
        ..AreaChange::default()
    };
    for (id, commune, hamlet) in store::household_places(tx)? {
        if now.contains(&(commune.as_str(), hamlet.as_str())) {
            continue;
        }
        if commune == area.commune_code
            && let Some(into) = merged_into(&hamlet)
        {
            move_household(tx, &id, into, ctx)?;
            change.moved += 1;
        } else if sync_state::pending_seq(tx, &id)?.is_some() {
            change.kept += 1;
        } else {
            Store::purge(tx, &id)?;
            change.dropped += 1;
        }
    }
    store::replace_hamlets(
        tx,
        &area.commune_code,
        area.hamlets
            .iter()
            .map(|h| (h.id.as_str(), h.name.as_str())),
    )?;
    state::set_area(tx, &peer.peer_id, area)?;
    Ok(change)
}

/// Moves a household into the hamlet that took its own, as a change of this device.
fn move_household(tx: &Transaction<'_>, id: &str, into: &str, ctx: &ChangeContext) -> Result<()> {
    let Some(mut doc) = store::load_in(tx, &HouseholdId(id.to_owned()))? else {
        return Ok(());
    };
    doc.apply(
        &Edit::SetHousehold {
            field: HouseholdField::Hamlet(into.to_owned()),
        },
        ctx,
    )?;
    Store::save(tx, &mut doc, true)?;
    Ok(())
}

/// Wipes the register of a revoked device: every household (as an erasure drops it, then the
/// index and WAL scrubbed), the erasure records, the enrolment and its token, the hamlets. The
/// register stays open and usable, empty and not enrolled.
pub(crate) fn wipe_after_revocation(reg: &mut Register) -> Result<u32> {
    let wiped = reg.sync_store_mut().write(|tx| {
        let places = store::household_places(tx)?;
        for (id, _, _) in &places {
            Store::purge(tx, id)?;
        }
        store::forget_enrolment(tx)?;
        Ok(places.len() as u32)
    })?;
    reg.sync_store_mut().scrub()?;
    Ok(wiped)
}
