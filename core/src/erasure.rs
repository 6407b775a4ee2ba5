//! Erasure (the right to deletion) and consent withdrawal on the device.
//!
//! A device erases at once only what it alone holds: a household the hub never had (created
//! here and not yet synced). Anything the hub has is erased only on a coordinator's decision
//! (Law 91/2025/QH15 gives the person the right; the commune answers for honouring it, and a
//! lost or misused phone must not be able to wipe other volunteers' work):
//! - [`Register::erase_household`] / [`Register::erase_member`] on a household never shared
//!   drop the household (a tombstone of id and epoch stays) or rewrite it without the member
//!   (no history: see `doc::rewrite`) now;
//! - on a household the hub has, they record an erasure request, sent at each sync until the
//!   hub answers: filed for a coordinator (`gocua-hub erasure`, the dashboard), refused, or
//!   carried out, when the erasure reaches every device of the area as any erasure does.
//! - While a request is open, the household cannot be edited here (the erasure would discard
//!   the edit).
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

pub use crate::store::erase::{EraseState, RequestState};
use crate::store::erase::{
    count_erase_requests, erase_state, has_erase_request, request_household_erasure,
    request_member_erasure, requests_of, set_erase_state,
};
use crate::store::sync_state::has_shared_heads;

/// What an erasure did on this device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasureStep {
    /// Erased here now: the hub never had the household.
    Erased,
    /// Requested: the hub has the household; a coordinator decides, and the erasure then
    /// reaches this device at a sync.
    Requested,
}

/// An erasure request made on this device, as the volunteer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureRequest {
    /// `None`: the whole household.
    pub member: Option<MemberId>,
    pub state: RequestState,
}

fn refused(field: &str, vi: &str, en: &str) -> Error {
    Error::Validation(Report {
        issues: vec![Issue::error(IssueKind::InvalidValue, field, vi, en)],
    })
}

impl Register {
    /// Erases a whole household: here and now when the hub never had it (a tombstone, the id,
    /// is kept, so it is never taken back from a stale copy); otherwise requests the erasure
    /// from the commune.
    pub fn erase_household(&mut self, id: &HouseholdId) -> Result<ErasureStep> {
        self.household(id)?;
        let now = self.sync_now();
        if has_shared_heads(self.sync_store().conn(), id.as_str())? {
            self.sync_store_mut()
                .write(|tx| request_household_erasure(tx, id.as_str(), now))?;
            return Ok(ErasureStep::Requested);
        }
        let epoch = erase_state(self.sync_store().conn(), id.as_str())?
            .map(|s| s.epoch)
            .unwrap_or(0);
        // The request still goes: a push whose answer was lost may have reached the hub.
        self.sync_store_mut().write(|tx| {
            Store::purge(tx, id.as_str())?;
            set_erase_state(tx, id.as_str(), EraseState { epoch, gone: true })?;
            request_household_erasure(tx, id.as_str(), now)
        })?;
        self.sync_store_mut().scrub()?;
        Ok(ErasureStep::Erased)
    }

    /// Erases one member's personal data: when the hub never had the household, the document is
    /// rewritten now without them (their fields, checklist and consent events; the head pointer
    /// if it was them), with no history; otherwise the erasure is requested from the commune.
    pub fn erase_member(
        &mut self,
        household: &HouseholdId,
        member: &MemberId,
    ) -> Result<ErasureStep> {
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
        let now = self.sync_now();
        if has_shared_heads(self.sync_store().conn(), household.as_str())? {
            self.sync_store_mut()
                .write(|tx| request_member_erasure(tx, household.as_str(), member.as_str(), now))?;
            return Ok(ErasureStep::Requested);
        }
        let identity = self.identity().clone();
        let ctx = ChangeContext {
            volunteer: identity.volunteer,
            device: identity.device,
            at: now,
        };
        let mut fresh = doc.rewritten_without(Some(member), &ctx)?;
        // The hub never had it: the rewritten document goes up as a new one.
        self.sync_store_mut().write(|tx| {
            Store::purge(tx, household.as_str())?;
            Store::replace_with_snapshot(tx, household.as_str(), &fresh.save())?;
            Store::save(tx, &mut fresh, true)?;
            request_member_erasure(tx, household.as_str(), member.as_str(), now)
        })?;
        self.sync_store_mut().scrub()?;
        Ok(ErasureStep::Erased)
    }

    /// The erasure requests made here about a household, open or refused.
    pub fn erasure_requests(&self, id: &HouseholdId) -> Result<Vec<ErasureRequest>> {
        Ok(requests_of(self.sync_store().conn(), id.as_str())?
            .into_iter()
            .map(|(member, state)| ErasureRequest {
                member: member.map(MemberId),
                state,
            })
            .collect())
    }

    /// Erasure requests made here and not yet carried out or refused.
    pub fn pending_erasures(&self) -> Result<u32> {
        count_erase_requests(self.sync_store().conn())
    }

    /// Whether a household was erased whole (a tombstone is kept).
    pub fn is_erased(&self, id: &HouseholdId) -> Result<bool> {
        Ok(erase_state(self.sync_store().conn(), id.as_str())?.is_some_and(|s| s.gone))
    }

    /// Refuses an edit of a household whose erasure is requested, and any recording about a
    /// person whose consent is withdrawn.
    pub(crate) fn check_may_edit(&self, h: &Household, edit: &Edit) -> Result<()> {
        if has_erase_request(self.sync_store().conn(), h.id.as_str())? {
            return Err(refused(
                "household",
                "Hộ đang chờ xã xoá dữ liệu theo yêu cầu: không sửa được.",
                "An erasure of this household is requested from the commune: it cannot be edited.",
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
