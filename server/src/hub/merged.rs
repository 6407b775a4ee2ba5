//! Merging two households found to be one, on a coordinator's order: the kept household receives
//! the union of both (`gocua_core::merge`), the other is marked merged into it, and the phones of
//! the area receive both at their next sync.
//!
//! A household merged into another (by a coordinator, or on a phone) can still receive changes from a phone that was offline during the merge: a visit, a checklist item, a
//! new member typed into the old record. They are carried into the kept household as soon as
//! they are stored, by the same idempotent plan as the merge itself (`gocua_core::merge`), so
//! nothing done at the door after a merge is lost or counted twice.

use chrono::{DateTime, Utc};
use gocua_core::merge::{apply_plan, merge_plan};
use gocua_core::model::{DeviceId, Lifecycle, VolunteerId};
use gocua_core::{ChangeContext, HouseholdDoc};

use super::{ApiError, Hub, area_contains, check_document, write_of};
use crate::store::query::MergeRecord;
use crate::store::{DeviceRecord, DocRecord, DocWrite, StoreError};

/// Why a merge was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeRefusal {
    NotFound,
    OtherCommune,
    /// One of the two is merged, moved away or dissolved already (or they are the same).
    NotActive,
    /// One of the two changed since the coordinator compared them.
    Stale,
    /// A phone received the merge (or a household changed since): it can no longer be undone.
    SyncedOut,
    /// The merged household would break a rule of the validators (Vietnamese, English).
    Invalid(String, String),
    Failed(ApiError),
}

impl From<ApiError> for MergeRefusal {
    fn from(e: ApiError) -> Self {
        MergeRefusal::Failed(e)
    }
}

impl From<StoreError> for MergeRefusal {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::ChangedMeanwhile { .. } => MergeRefusal::Stale,
            e => MergeRefusal::Failed(e.into()),
        }
    }
}

/// What a merge brought into the kept household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeDone {
    pub members_added: usize,
    pub members_matched: usize,
    pub visits: usize,
}

fn read(rec: &DocRecord) -> Result<(HouseholdDoc, gocua_core::model::Household), MergeRefusal> {
    HouseholdDoc::load(&rec.bytes)
        .and_then(|d| d.read().map(|h| (d, h)))
        .map_err(|_| MergeRefusal::Failed(ApiError::internal()))
}

impl Hub {
    /// Merges `other` into `keep`, two active households of `commune`, on the order of
    /// `coordinator` (recorded as `coordinator:<id>`). `seen` holds the sequence numbers of
    /// (keep, other) the coordinator compared: refused as stale if either changed since.
    ///
    /// The kept household is written first: a crash in between leaves both active with
    /// nothing lost, and merging again copies nothing twice.
    pub fn merge_households(
        &self,
        coordinator: &str,
        commune: &str,
        keep: &str,
        other: &str,
        seen: Option<(u64, u64)>,
    ) -> Result<MergeDone, MergeRefusal> {
        if keep == other
            || !gocua_core::model::is_valid_id(keep)
            || !gocua_core::model::is_valid_id(other)
        {
            return Err(MergeRefusal::NotFound);
        }
        let Some(dashboard) = self.store.dashboard() else {
            return Err(MergeRefusal::Failed(ApiError::internal()));
        };
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.now();
        let load = |id: &str| -> Result<DocRecord, MergeRefusal> {
            let rec = self.store.load_doc(id)?.ok_or(MergeRefusal::NotFound)?;
            if rec.commune != commune {
                return Err(MergeRefusal::OtherCommune);
            }
            Ok(rec)
        };
        let (krec, orec) = (load(keep)?, load(other)?);
        if seen.is_some_and(|(k, o)| (k, o) != (krec.seq, orec.seq)) {
            return Err(MergeRefusal::Stale);
        }
        let ((mut kdoc, kh), (mut odoc, oh)) = (read(&krec)?, read(&orec)?);
        if kh.lifecycle != Lifecycle::Active || oh.lifecycle != Lifecycle::Active {
            return Err(MergeRefusal::NotActive);
        }
        let author = ChangeContext {
            volunteer: VolunteerId(coordinator.to_owned()),
            device: DeviceId(self.store.hub_id()?),
            at: now,
        };
        let by = format!("coordinator:{coordinator}");
        let (keep_before, other_before) = (kdoc.heads(), odoc.heads());
        let plan = merge_plan(&kh, &oh);
        let failed = |_| MergeRefusal::Failed(ApiError::internal());
        if !plan.is_empty() {
            apply_plan(&mut kdoc, &plan, &author).map_err(failed)?;
            let write = checked_write(keep, &mut kdoc, krec.seq, now)?;
            dashboard.write_hub_doc(&write, &by, now)?;
        }
        for e in gocua_core::merge::mark_merged(&oh, &kh.id) {
            odoc.apply(&e, &author).map_err(failed)?;
        }
        let write = checked_write(other, &mut odoc, orec.seq, now)?;
        dashboard.write_hub_doc(&write, &by, now)?;
        let seq_of = |id: &str| -> Result<u64, MergeRefusal> {
            Ok(self.store.load_doc(id)?.map_or(0, |r| r.seq))
        };
        dashboard.record_merge(&MergeRecord {
            merge_id: 0,
            commune: commune.to_owned(),
            keep_id: keep.to_owned(),
            other_id: other.to_owned(),
            keep_heads: keep_before,
            other_heads: other_before,
            keep_seq: seq_of(keep)?,
            other_seq: seq_of(other)?,
            at: crate::time::ts(now),
            by: by.clone(),
            undone_at: None,
        })?;
        self.store
            .audit(now, &by, "household.merge", &format!("{other} -> {keep}"))?;
        Ok(MergeDone {
            members_added: plan.members_added,
            members_matched: plan.members_matched,
            visits: plan.visits,
        })
    }

    /// Whether a merge can still be undone: not undone, neither household written since (no
    /// phone's change, no carried one), and no phone of the commune has received either
    /// version the merge wrote. `Ok(false)` says it was synced out.
    pub fn merge_undoable(&self, m: &MergeRecord) -> Result<bool, MergeRefusal> {
        if m.undone_at.is_some() {
            return Ok(false);
        }
        let Some(dashboard) = self.store.dashboard() else {
            return Ok(false);
        };
        let mut docs = Vec::new();
        for (id, seq) in [(&m.keep_id, m.keep_seq), (&m.other_id, m.other_seq)] {
            match self.store.load_doc(id)? {
                Some(rec) if rec.seq == seq => docs.push((id, rec)),
                _ => return Ok(false),
            }
        }
        let devices = dashboard.devices(&m.commune, chrono::DateTime::<Utc>::MIN_UTC)?;
        for (id, rec) in docs {
            let (mut doc, _) = read(&rec)?;
            let mut heads = doc.heads();
            heads.sort();
            for d in &devices {
                let mut held = self.store.device_heads(&d.device_id, id)?;
                held.sort();
                if held == heads {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// Undoes merge `merge_id` of `commune` while no phone has received it: both households
    /// return to the versions they had before (the kept one without what the merge copied,
    /// the other active again), each as a new version the phones receive at their next sync.
    pub fn undo_merge(
        &self,
        coordinator: &str,
        commune: &str,
        merge_id: i64,
    ) -> Result<(), MergeRefusal> {
        let Some(dashboard) = self.store.dashboard() else {
            return Err(MergeRefusal::Failed(ApiError::internal()));
        };
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.now();
        let m = dashboard
            .merges(commune, 10_000)?
            .into_iter()
            .find(|m| m.merge_id == merge_id)
            .ok_or(MergeRefusal::NotFound)?;
        if !self.merge_undoable(&m)? {
            return Err(MergeRefusal::SyncedOut);
        }
        let by = format!("coordinator:{coordinator}");
        for (id, before) in [(&m.keep_id, &m.keep_heads), (&m.other_id, &m.other_heads)] {
            let rec = self.store.load_doc(id)?.ok_or(MergeRefusal::NotFound)?;
            let (mut doc, _) = read(&rec)?;
            let mut earlier = doc.at_heads(before).map_err(|_| MergeRefusal::SyncedOut)?;
            let write = write_of(id, &mut earlier, Some(rec.seq), now)
                .map_err(|_| MergeRefusal::Failed(ApiError::internal()))?;
            dashboard.write_hub_doc(&write, &by, now)?;
        }
        dashboard.merge_undone(merge_id, now)?;
        self.store.audit(
            now,
            &by,
            "household.unmerge",
            &format!("{} -> {}", m.other_id, m.keep_id),
        )?;
        Ok(())
    }

    /// Carries what the writes of a device's push brought to merged households into the
    /// households they were merged into; called under the write lock, after the push is
    /// durable. A failure is logged and leaves the push stored: the next change carries it.
    pub(super) fn carry_into_kept(
        &self,
        device: &DeviceRecord,
        writes: &[DocWrite],
        now: DateTime<Utc>,
    ) {
        for w in writes {
            let Some(keep) = &w.rows.household.merged_into else {
                continue;
            };
            match self.carry_one(device, &w.id, keep, now) {
                Ok(n) if n > 0 => {
                    tracing::info!(doc = w.id, steps = n, "carried into the kept household")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(
                    doc = w.id,
                    code = e.body.code,
                    "late change of a merged household not carried"
                ),
            }
        }
    }

    /// The number of edits carried from `other_id` into `keep_id`.
    fn carry_one(
        &self,
        device: &DeviceRecord,
        other_id: &str,
        keep_id: &str,
        now: DateTime<Utc>,
    ) -> Result<usize, ApiError> {
        let (Some(other), Some(keep)) = (
            self.store.load_doc(other_id)?,
            self.store.load_doc(keep_id)?,
        ) else {
            return Ok(0);
        };
        // Only into a household the device could have edited itself: a merge mark is data from
        // a phone, and must not move people into a household outside its area.
        if keep_id == other_id || !area_contains(&device.area, &keep.commune, &keep.hamlet) {
            return Ok(0);
        }
        let Some(dashboard) = self.store.dashboard() else {
            return Ok(0);
        };
        let read = |bytes: &[u8]| {
            HouseholdDoc::load(bytes)
                .and_then(|d| d.read().map(|h| (d, h)))
                .map_err(|_| ApiError::internal())
        };
        let (_, oh) = read(&other.bytes)?;
        let (mut kept, kh) = read(&keep.bytes)?;
        if kh.lifecycle != Lifecycle::Active {
            return Ok(0);
        }
        let plan = merge_plan(&kh, &oh);
        if plan.is_empty() {
            return Ok(0);
        }
        let author = ChangeContext {
            volunteer: VolunteerId("hub".into()),
            device: DeviceId(self.store.hub_id()?),
            at: now,
        };
        apply_plan(&mut kept, &plan, &author).map_err(|_| ApiError::internal())?;
        let h = kept.read().map_err(|_| ApiError::internal())?;
        let size = kept.save().len();
        if let Some(refused) = check_document(&mut kept, &h, size, now) {
            tracing::warn!(doc = keep_id, outcome = ?refused, "merge carry refused by the validators");
            return Ok(0);
        }
        let write =
            write_of(keep_id, &mut kept, Some(keep.seq), now).map_err(|_| ApiError::internal())?;
        dashboard.write_hub_doc(&write, "hub:merge", now)?;
        Ok(plan.steps.len())
    }
}

/// The write of a household changed by a merge, after the whole-document validators a
/// device's push passes.
fn checked_write(
    id: &str,
    doc: &mut HouseholdDoc,
    seq: u64,
    now: DateTime<Utc>,
) -> Result<DocWrite, MergeRefusal> {
    let failed = |_| MergeRefusal::Failed(ApiError::internal());
    let h = doc.read().map_err(failed)?;
    let size = doc.save().len();
    if let Some(refused) = check_document(doc, &h, size, now) {
        let (vi, en) = match refused {
            gocua_core::sync::wire::PushOutcome::Rejected {
                message_vi,
                message_en,
                ..
            } => (message_vi, message_en),
            _ => (String::new(), String::new()),
        };
        return Err(MergeRefusal::Invalid(vi, en));
    }
    write_of(id, doc, Some(seq), now).map_err(failed)
}
