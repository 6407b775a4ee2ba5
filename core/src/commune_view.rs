//! What the commune (the hub's dashboard, its exports, a coordinator's conflict review) may see
//! of a household: each person only with consent in force to `share_with_commune`. A person
//! without it is counted (members, checklist progress, the five skills) but not shown: no name,
//! birth date, ID number or phone, and their progress is not attributed to them.
//!
//! The hub still holds the whole document: it is the area's replica that the team's phones sync
//! through (the `local_register` purpose) and what an erasure purges. The rule applies to every
//! place the hub shows or hands out data; see docs/SECURITY.md, "Consent at the hub".

use crate::model::{Household, MemberId};

/// Whether the commune may see `member` of `household`: their latest consent event gives
/// `share_with_commune` (none, a withdrawal or a consent without it: no).
pub fn shared_with_commune(household: &Household, member: &MemberId) -> bool {
    household
        .current_consent(member)
        .is_some_and(|p| p.share_with_commune)
}

/// The household as the commune may see it: every member who has not consented to sharing with
/// the commune keeps their id, relation, residence, gender and checklist (so counts stay true),
/// and loses their name, birth date, ID number and phone. Removed members are dropped whole.
pub fn for_commune(household: &Household) -> Household {
    let mut seen = household.clone();
    seen.members.retain(|_, m| !m.removed);
    for (id, m) in seen.members.iter_mut() {
        if !shared_with_commune(household, id) {
            m.full_name.clear();
            m.birth = None;
            m.id_number = None;
            m.phone = None;
        }
    }
    seen
}
