//! A household as read from its document.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::area::{Address, Area, DigitalAddress};
use super::checklist::ChecklistItem;
use super::coded_enum;
use super::consent::{ConsentAction, ConsentEvent, ConsentPurposes};
use super::ids::{HouseholdId, MemberId, VolunteerId};
use super::member::Member;
use super::visit::Visit;

coded_enum! {
    pub enum Lifecycle {
        Active => "active",
        /// Moved out of the commune.
        MovedAway => "moved_away",
        /// Found to be the same household as another record; see `merged_into`.
        Merged => "merged",
        /// No longer exists (members died or joined other households).
        Dissolved => "dissolved",
        /// Imported from a list the commune already had (issue 17): not yet confirmed at the
        /// door. A visit recorded as "registered" confirms it (then `Active`).
        ToVerify => "to_verify",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Household {
    pub id: HouseholdId,
    pub area: Area,
    pub address: Address,
    pub digital_address: DigitalAddress,
    pub head: Option<MemberId>,
    pub members: BTreeMap<MemberId, Member>,
    pub visits: Vec<Visit>,
    pub consents: Vec<ConsentEvent>,
    pub notes: Option<String>,
    pub lifecycle: Lifecycle,
    pub merged_into: Option<HouseholdId>,
    pub created_at: DateTime<Utc>,
    pub created_by: VolunteerId,
}

impl Household {
    /// Members still in the household.
    pub fn current_members(&self) -> impl Iterator<Item = &Member> {
        self.members.values().filter(|m| !m.removed)
    }

    pub fn head_member(&self) -> Option<&Member> {
        self.head.as_ref().and_then(|id| self.members.get(id))
    }

    /// The follow-up date still open: the one the latest visit set, if it set one. A visit
    /// after the one that set a date settles it (an earlier date is not kept for ever).
    pub fn pending_follow_up(&self) -> Option<chrono::NaiveDate> {
        self.visits
            .iter()
            .max_by_key(|v| (v.date, v.recorded_at))?
            .follow_up_on
    }

    /// Whether at least one current member has achieved all 5 basic digital skills.
    pub fn has_member_with_5_skills(&self) -> bool {
        self.current_members().any(|m| {
            ChecklistItem::FIVE_SKILLS.iter().all(|item| {
                m.checklist
                    .get(item)
                    .is_some_and(|e| e.status.is_achieved())
            })
        })
    }

    /// The consent a member holds now: the purposes of the latest event for that member, or
    /// none at all if the latest event is a withdrawal or there is none. Events are in document
    /// order, which respects causality; concurrent events are ordered deterministically.
    pub fn current_consent(&self, member: &MemberId) -> Option<ConsentPurposes> {
        let last = self.consents.iter().rev().find(|c| &c.member == member)?;
        match last.action {
            ConsentAction::Given => Some(last.purposes),
            ConsentAction::Withdrawn => None,
        }
    }
}
