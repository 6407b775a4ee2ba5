//! One household found to be registered twice: the kept one receives the union of the other's
//! members (the same person matched by ID number, or by name and birth), their checklists (the
//! more advanced status wins), visits and consents; the other is marked merged into it, so every
//! device shows the kept one instead. Each copied record keeps who made it and when.
//!
//! The plan is idempotent: run again on the same pair (a late edit of the merged household
//! arrived from a phone that was offline during the merge), it copies only what the kept one
//! still lacks, and nothing twice.

use std::collections::BTreeMap;

use crate::doc::{ChangeContext, Edit, HouseholdDoc, HouseholdField, MemberField};
use crate::error::Result;
use crate::input::MemberInput;
use crate::model::{DeviceId, Household, HouseholdId, Lifecycle, Member, MemberId, VolunteerId};
use crate::text::fold;

/// One edit of a merge and the attribution of the record it writes.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeStep {
    pub edit: Edit,
    /// Who made the copied record, and when (`None`: the person merging, now).
    pub record: Option<ChangeContext>,
}

/// What a merge brings into the kept household.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MergePlan {
    pub steps: Vec<MergeStep>,
    /// Members of the other household added as new members.
    pub members_added: usize,
    /// Members found in both (same person).
    pub members_matched: usize,
    pub checklist_entries: usize,
    pub visits: usize,
    pub consents: usize,
}

impl MergePlan {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// Whether two member records are one person: the same ID number, or else the same name
/// (without diacritics) and the same birth.
pub fn same_person(a: &Member, b: &Member) -> bool {
    match (&a.id_number, &b.id_number) {
        (Some(x), Some(y)) => x == y,
        _ => {
            let name = fold(&a.full_name);
            !name.is_empty()
                && name == fold(&b.full_name)
                && a.birth.is_some()
                && a.birth == b.birth
        }
    }
}

/// The kept household's member for each member of `other`: the same id (moved by an earlier
/// run of the merge), the same person, or none (to be added).
fn member_map(keep: &Household, other: &Household) -> BTreeMap<MemberId, Option<MemberId>> {
    let mut taken: Vec<MemberId> = Vec::new();
    let mut out = BTreeMap::new();
    for m in other.members.values() {
        let target = if keep.members.contains_key(&m.id) {
            Some(m.id.clone())
        } else {
            keep.members
                .values()
                .find(|k| !k.removed && !taken.contains(&k.id) && same_person(k, m))
                .map(|k| k.id.clone())
        };
        if let Some(t) = &target {
            taken.push(t.clone());
        }
        out.insert(m.id.clone(), target);
    }
    out
}

fn attributed(
    volunteer: &VolunteerId,
    device: &DeviceId,
    at: chrono::DateTime<chrono::Utc>,
) -> Option<ChangeContext> {
    Some(ChangeContext {
        volunteer: volunteer.clone(),
        device: device.clone(),
        at,
    })
}

/// The edits that bring `other` into `keep` (both as read).
pub fn merge_plan(keep: &Household, other: &Household) -> MergePlan {
    let mut plan = MergePlan::default();
    let map = member_map(keep, other);
    // Where each of other's members lands in keep.
    let mut target: BTreeMap<MemberId, MemberId> = BTreeMap::new();
    for m in other.members.values() {
        match map.get(&m.id).cloned().flatten() {
            Some(t) => {
                if t != m.id {
                    plan.members_matched += 1;
                }
                target.insert(m.id.clone(), t);
            }
            None => {
                plan.members_added += 1;
                plan.steps.push(MergeStep {
                    edit: Edit::AddMember {
                        id: m.id.clone(),
                        member: MemberInput::from(m),
                    },
                    record: None,
                });
                if m.removed {
                    plan.steps.push(MergeStep {
                        edit: Edit::RemoveMember {
                            member: m.id.clone(),
                        },
                        record: None,
                    });
                }
                target.insert(m.id.clone(), m.id.clone());
            }
        }
    }
    for m in other.members.values() {
        let t = &target[&m.id];
        let kept = keep.members.get(t);
        // Fields the kept record lacks.
        if let Some(k) = kept {
            let mut fill = |edit: Option<MemberField>| {
                if let Some(field) = edit {
                    plan.steps.push(MergeStep {
                        edit: Edit::SetMember {
                            member: t.clone(),
                            field,
                        },
                        record: None,
                    });
                }
            };
            fill((k.birth.is_none() && m.birth.is_some()).then_some(MemberField::Birth(m.birth)));
            fill(
                (k.gender.is_none() && m.gender.is_some()).then_some(MemberField::Gender(m.gender)),
            );
            fill(
                (k.id_number.is_none() && m.id_number.is_some())
                    .then(|| MemberField::IdNumber(m.id_number.clone())),
            );
            fill(
                (k.phone.is_none() && m.phone.is_some())
                    .then(|| MemberField::Phone(m.phone.clone())),
            );
        }
        for (item, entry) in &m.checklist {
            let current = kept.and_then(|k| k.checklist.get(item));
            let advances = current.is_none_or(|c| entry.status.rank() > c.status.rank());
            if advances {
                plan.checklist_entries += 1;
                plan.steps.push(MergeStep {
                    edit: Edit::SetChecklist {
                        member: t.clone(),
                        item: *item,
                        status: entry.status,
                        reason: entry.reason.clone(),
                        smartphone: entry.smartphone,
                    },
                    record: attributed(&entry.set_by, &entry.device, entry.set_at),
                });
            }
        }
    }
    // Consents: a member new to keep brings their whole consent history; a matched member's
    // consent in keep stands unless keep holds none for them.
    for c in &other.consents {
        if keep.consents.iter().any(|k| k.id == c.id) {
            continue;
        }
        let Some(t) = target.get(&c.member) else {
            continue;
        };
        // Moved (now or by an earlier run) rather than matched to a member keep already had.
        let new_here = *t == c.member;
        let keep_has = keep.consents.iter().any(|k| &k.member == t);
        if !new_here && keep_has {
            continue;
        }
        let guardian = c
            .guardian
            .as_ref()
            .map(|g| target.get(g).cloned().unwrap_or_else(|| g.clone()));
        plan.consents += 1;
        plan.steps.push(MergeStep {
            edit: Edit::AddConsent {
                id: c.id.clone(),
                member: t.clone(),
                action: c.action,
                purposes: c.purposes,
                notice_version: c.notice_version.clone(),
                method: c.method,
                guardian,
            },
            record: attributed(&c.volunteer, &c.device, c.at),
        });
    }
    for v in &other.visits {
        if keep.visits.iter().any(|k| k.id == v.id) {
            continue;
        }
        plan.visits += 1;
        plan.steps.push(MergeStep {
            edit: Edit::AddVisit {
                id: v.id.clone(),
                date: v.date,
                outcome: v.outcome,
                note: v.note.clone(),
                follow_up_on: v.follow_up_on,
            },
            record: attributed(&v.volunteer, &v.device, v.recorded_at),
        });
    }
    if keep.head.is_none()
        && let Some(h) = &other.head
        && let Some(t) = target.get(h)
    {
        plan.steps.push(MergeStep {
            edit: Edit::SetHousehold {
                field: HouseholdField::Head(Some(t.clone())),
            },
            record: None,
        });
    }
    plan
}

/// Applies a plan to the kept household's document, as `author`.
pub fn apply_plan(doc: &mut HouseholdDoc, plan: &MergePlan, author: &ChangeContext) -> Result<()> {
    for step in &plan.steps {
        doc.apply_attributed(&step.edit, author, step.record.as_ref().unwrap_or(author))?;
    }
    Ok(())
}

/// The edits that mark `other` as merged into `keep` (none when it already is).
pub fn mark_merged(other: &Household, keep: &HouseholdId) -> Vec<Edit> {
    let mut edits = Vec::new();
    if other.merged_into.as_ref() != Some(keep) {
        edits.push(Edit::SetHousehold {
            field: HouseholdField::MergedInto(Some(keep.clone())),
        });
    }
    if other.lifecycle != Lifecycle::Merged {
        edits.push(Edit::SetHousehold {
            field: HouseholdField::Lifecycle(Lifecycle::Merged),
        });
    }
    edits
}
