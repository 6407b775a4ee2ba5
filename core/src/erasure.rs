//! Erasure (the right to deletion) and consent withdrawal on the device.
//!
//! - [`Register::erase_household`] drops the household's document, query rows and sync state at
//!   once and keeps a tombstone (id and epoch only); the request goes to the hub at the next sync,
//!   which erases its copy and tells every other device of the area to drop theirs.
//! - [`Register::erase_member`] replaces the household's document by a fresh one without the
//!   member (no history: see `doc::rewrite`); the hub rewrites its own copy at the next sync and
//!   every device, this one included, then takes the hub's rewritten document whole.
//! - Until the hub confirmed an erasure, the household cannot be edited here (an edit would be
//!   discarded when the hub's rewrite arrives).
//! - A person whose consent is withdrawn: nothing new is recorded about them (member fields can
//!   only be cleared, checklist items not set); consent can be given again.
//!
//! After each erasure the full-text index is rewritten and the WAL checkpointed away; with
//! `secure_delete` the freed pages are zeroed. See docs/SECURITY.md.

use crate::doc::{ChangeContext, Edit};
use crate::error::{Error, Result};
use crate::model::{ConsentAction, Household, HouseholdId, MemberId};
use crate::register::Register;
use crate::store::Store;
use crate::validate::{Issue, IssueKind, Report};

pub use crate::store::erase::EraseState;
use crate::store::erase::{
    count_erase_requests, erase_state, has_erase_request, request_household_erasure,
    request_member_erasure, set_erase_state,
};
use crate::store::sync_state::has_shared_heads;

fn refused(field: &str, vi: &str, en: &str) -> Error {
    Error::Validation(Report {
        issues: vec![Issue::error(IssueKind::InvalidValue, field, vi, en)],
    })
}

impl Register {
    /// Erases a whole household from this device now, and from the hub and every other device
    /// at the next sync. Only a tombstone (the id) is kept, so the household is never taken back
    /// from a stale copy.
    pub fn erase_household(&mut self, id: &HouseholdId) -> Result<()> {
        self.household(id)?;
        let now = self.sync_now();
        let epoch = erase_state(self.sync_store().conn(), id.as_str())?
            .map(|s| s.epoch)
            .unwrap_or(0);
        self.sync_store_mut().write(|tx| {
            Store::purge(tx, id.as_str())?;
            set_erase_state(tx, id.as_str(), EraseState { epoch, gone: true })?;
            request_household_erasure(tx, id.as_str(), now)
        })?;
        self.sync_store_mut().scrub()
    }

    /// Erases one member's personal data: the household's document is rewritten without them
    /// (their fields, checklist and consent events; the head pointer if it was them), with no
    /// history. The hub does the same to its copy at the next sync.
    pub fn erase_member(&mut self, household: &HouseholdId, member: &MemberId) -> Result<()> {
        let doc = self
            .sync_store()
            .load(household)?
            .ok_or_else(|| Error::NotFound {
                what: "household",
                id: household.0.clone(),
            })?;
        if !doc.read()?.members.contains_key(member) {
            return Err(Error::NotFound {
                what: "member",
                id: member.0.clone(),
            });
        }
        let identity = self.identity().clone();
        let now = self.sync_now();
        let ctx = ChangeContext {
            volunteer: identity.volunteer,
            device: identity.device,
            at: now,
        };
        let mut fresh = doc.rewritten_without(Some(member), &ctx)?;
        // A household the hub never had is pushed as the rewritten document; one it has is
        // rewritten by the hub and comes back whole (pushing this lineage would mix the two).
        let shared = has_shared_heads(self.sync_store().conn(), household.as_str())?;
        self.sync_store_mut().write(|tx| {
            Store::purge(tx, household.as_str())?;
            Store::replace_with_snapshot(tx, household.as_str(), &fresh.save())?;
            Store::save(tx, &mut fresh, !shared)?;
            request_member_erasure(tx, household.as_str(), member.as_str(), now)
        })?;
        self.sync_store_mut().scrub()
    }

    /// Erasures recorded on this device and not yet confirmed by the hub.
    pub fn pending_erasures(&self) -> Result<u32> {
        count_erase_requests(self.sync_store().conn())
    }

    /// Whether a household was erased whole (a tombstone is kept).
    pub fn is_erased(&self, id: &HouseholdId) -> Result<bool> {
        Ok(erase_state(self.sync_store().conn(), id.as_str())?.is_some_and(|s| s.gone))
    }

    /// Refuses an edit of a household whose erasure awaits the hub, and any recording about a
    /// person whose consent is withdrawn.
    pub(crate) fn check_may_edit(&self, h: &Household, edit: &Edit) -> Result<()> {
        if has_erase_request(self.sync_store().conn(), h.id.as_str())? {
            return Err(refused(
                "household",
                "Hộ đang chờ xoá dữ liệu: đồng bộ trước khi sửa.",
                "An erasure of this household awaits the hub: sync before editing it.",
            ));
        }
        let member = match edit {
            Edit::SetMember { member, field } if field_sets_value(field) => member,
            Edit::SetChecklist { member, .. } => member,
            _ => return Ok(()),
        };
        let withdrawn = h
            .consents
            .iter()
            .rev()
            .find(|c| &c.member == member)
            .is_some_and(|c| c.action == ConsentAction::Withdrawn);
        if withdrawn {
            return Err(refused(
                "consent",
                "Người này đã rút lại đồng ý: không ghi thêm thông tin về họ.",
                "This person withdrew consent: nothing more is recorded about them.",
            ));
        }
        Ok(())
    }
}

fn field_sets_value(field: &crate::doc::MemberField) -> bool {
    use crate::doc::MemberField as F;
    match field {
        F::IdNumber(v) | F::Phone(v) => v.is_some(),
        F::Birth(v) => v.is_some(),
        F::Gender(v) => v.is_some(),
        F::FullName(_) | F::Relation(_) | F::Residence(_) => true,
    }
}
