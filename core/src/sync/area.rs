//! Minimal data on the phone (issue 16): the device keeps only the households of its area as the
//! hub holds it now, and nothing at all once the commune revoked it.
//!
//! - The hub sends the device's area in the first answer of each session. Households of hamlets
//!   that left the area are dropped as an erasure drops them (documents, query rows, sync state,
//!   then the full-text index and the WAL scrubbed), with any change not yet sent: the hub would
//!   refuse it (`outside_area`). No tombstone is kept: if the hamlet comes back, so do they.
//!   Hamlets that joined the area are asked for from the start (cursor 0; the hub sends only
//!   what the device lacks).
//! - A device the hub answers `revoked` (a lost phone, a volunteer who left) wipes its register:
//!   every household, the enrolment and its token, the hamlets; then tells the hub it did
//!   (`/v1/wiped`), which the coordinator sees on the devices page.

use std::collections::HashSet;

use rusqlite::Transaction;

use super::state;
use super::wire::AreaInfo;
use crate::error::Result;
use crate::register::Register;
use crate::store::{self, Store};

/// What applying the hub's area did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AreaChange {
    /// Households dropped because their hamlet left the area.
    pub dropped: u32,
    /// Hamlets joined the area: ask the hub for the area's documents from the start.
    pub widened: bool,
}

/// Makes the stored area `area`: hamlets, households, and the enrolment's record of it.
pub(crate) fn apply_area(tx: &Transaction<'_>, area: &AreaInfo) -> Result<AreaChange> {
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
    let mut dropped = 0;
    for (id, commune, hamlet) in store::household_places(tx)? {
        if !now.contains(&(commune.as_str(), hamlet.as_str())) {
            Store::purge(tx, &id)?;
            dropped += 1;
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
    Ok(AreaChange { dropped, widened })
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
