//! Replicas of one household edited offline in random ways converge to the same state whatever
//! order they merge in, and the merge keeps what the domain says must survive.

mod common;

use common::*;
use gocua_core::model::*;
use gocua_core::{Edit, FieldPath, HouseholdDoc, HouseholdField, MemberField};
use proptest::prelude::*;

/// An edit chosen by the property test, applied to one replica.
#[derive(Debug, Clone)]
enum Op {
    AddMember(u8),
    Rename(u8, u8),
    SetPhone(u8, Option<u8>),
    Checklist(u8, u8, u8),
    Visit(u8),
    Street(Option<u8>),
    Notes(u8),
    Remove(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<u8>().prop_map(Op::AddMember),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Rename(a, b)),
        (any::<u8>(), proptest::option::of(any::<u8>())).prop_map(|(a, b)| Op::SetPhone(a, b)),
        (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(a, b, c)| Op::Checklist(a, b, c)),
        any::<u8>().prop_map(Op::Visit),
        proptest::option::of(any::<u8>()).prop_map(Op::Street),
        any::<u8>().prop_map(Op::Notes),
        any::<u8>().prop_map(Op::Remove),
    ]
}

const NAMES: [&str; 4] = [
    "Nguyễn Văn An",
    "Nguyễn Văn Ân",
    "Trần Thị Bình",
    "Lê Hoàng Cường",
];

/// Turns a random op into an edit valid for the replica's current state (or none).
fn edit_for(doc: &HouseholdDoc, op: &Op, replica: usize, step: usize) -> Option<Edit> {
    let h = doc.read().unwrap();
    let members: Vec<MemberId> = h.members.keys().cloned().collect();
    let pick = |i: u8| members.get(i as usize % members.len().max(1)).cloned();
    Some(match op {
        Op::AddMember(n) => Edit::AddMember {
            id: MemberId(format!("m{replica}x{step}")),
            member: member_input(NAMES[*n as usize % NAMES.len()], Relation::Child),
        },
        Op::Rename(m, n) => Edit::SetMember {
            member: pick(*m)?,
            field: MemberField::FullName(NAMES[*n as usize % NAMES.len()].into()),
        },
        Op::SetPhone(m, p) => Edit::SetMember {
            member: pick(*m)?,
            field: MemberField::Phone(p.map(|p| format!("09123456{:02}", p % 100))),
        },
        Op::Checklist(m, i, s) => Edit::SetChecklist {
            member: pick(*m)?,
            item: ChecklistItem::ALL[*i as usize % 4],
            status: ChecklistStatus::ALL[*s as usize % ChecklistStatus::ALL.len()],
            reason: Some("lý do".into()),
            smartphone: None,
        },
        Op::Visit(o) => Edit::AddVisit {
            id: RecordId(format!("v{replica}x{step}")),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 1 + (*o as u32 % 20)).unwrap(),
            outcome: VisitOutcome::ALL[*o as usize % VisitOutcome::ALL.len()],
            note: None,
            follow_up_on: None,
        },
        Op::Street(s) => Edit::SetHousehold {
            field: HouseholdField::Street(s.map(|s| format!("Đường số {}", s % 5))),
        },
        Op::Notes(n) => Edit::SetHousehold {
            field: HouseholdField::Notes(Some(format!("ghi chú {}", n % 3))),
        },
        Op::Remove(m) => Edit::RemoveMember { member: pick(*m)? },
    })
}

fn base() -> HouseholdDoc {
    let mut doc = HouseholdDoc::create(
        &HouseholdId("h1".into()),
        &household_input("thon-dong"),
        "2026-07-25",
        &ctx("dev0", 0),
    )
    .unwrap();
    let head = Edit::AddMember {
        id: MemberId("head".into()),
        member: member_input(NAMES[0], Relation::Head),
    };
    doc.apply(&head, &ctx("dev0", 1)).unwrap();
    doc
}

fn fork(doc: &HouseholdDoc) -> HouseholdDoc {
    let mut d = doc.clone();
    HouseholdDoc::load(&d.save()).unwrap()
}

/// Merges every replica into a copy of `order[0]`, in the given order.
fn merge_in_order(replicas: &[HouseholdDoc], order: &[usize]) -> HouseholdDoc {
    let mut acc = fork(&replicas[order[0]]);
    for &i in &order[1..] {
        let mut other = fork(&replicas[i]);
        acc.merge(&mut other).unwrap();
    }
    acc
}

fn run(n: usize, ops: Vec<Vec<Op>>, orders: Vec<Vec<usize>>) {
    let origin = base();
    let mut replicas: Vec<HouseholdDoc> = (0..n).map(|_| fork(&origin)).collect();
    let mut added_members = Vec::new();
    let mut added_visits = Vec::new();
    for (r, replica_ops) in ops.iter().enumerate().take(n) {
        for (step, op) in replica_ops.iter().enumerate() {
            if let Some(edit) = edit_for(&replicas[r], op, r, step) {
                match &edit {
                    Edit::AddMember { id, .. } => added_members.push(id.clone()),
                    Edit::AddVisit { id, .. } => added_visits.push(id.clone()),
                    _ => {}
                }
                replicas[r]
                    .apply(&edit, &ctx(&format!("dev{r}"), 10 + step as i64))
                    .unwrap();
            }
        }
    }
    let mut results: Vec<HouseholdDoc> = orders
        .iter()
        .map(|o| merge_in_order(&replicas, o))
        .collect();
    let first = results[0].read().unwrap();
    let first_conflicts = results[0].conflicts().unwrap();
    let mut first_heads = results[0].heads();
    first_heads.sort();
    for other in &mut results[1..] {
        assert_eq!(other.read().unwrap(), first, "replicas diverged");
        assert_eq!(
            other.conflicts().unwrap(),
            first_conflicts,
            "conflicts differ"
        );
        let mut heads = other.heads();
        heads.sort();
        assert_eq!(heads, first_heads);
    }
    for m in &added_members {
        assert!(
            first.members.contains_key(m),
            "a member added offline was lost"
        );
    }
    for v in &added_visits {
        assert!(first.visits.iter().any(|x| &x.id == v), "a visit was lost");
    }
    // Checklist: the merged status is at least as advanced as every replica's own final value
    // for items that were only set concurrently (no replica saw another's value before merging).
    for member in first.members.values() {
        for (item, entry) in &member.checklist {
            for r in &replicas {
                if let Some(theirs) = r
                    .read()
                    .unwrap()
                    .members
                    .get(&member.id)
                    .and_then(|m| m.checklist.get(item))
                {
                    assert!(
                        entry.status.rank() >= theirs.status.rank(),
                        "checklist progress regressed"
                    );
                }
            }
        }
    }
}

fn permutations(n: usize) -> impl Strategy<Value = Vec<Vec<usize>>> {
    proptest::collection::vec(Just((0..n).collect::<Vec<_>>()).prop_shuffle(), 3)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn two_replicas_converge(ops in proptest::collection::vec(proptest::collection::vec(op(), 0..12), 2), orders in permutations(2)) {
        run(2, ops, orders);
    }

    #[test]
    fn three_replicas_converge(ops in proptest::collection::vec(proptest::collection::vec(op(), 0..10), 3), orders in permutations(3)) {
        run(3, ops, orders);
    }
}

#[test]
fn members_added_on_two_phones_both_survive() {
    let origin = base();
    let (mut a, mut b) = (fork(&origin), fork(&origin));
    a.apply(
        &Edit::AddMember {
            id: MemberId("ma".into()),
            member: member_input("Trần Thị Bình", Relation::Wife),
        },
        &ctx("devA", 5),
    )
    .unwrap();
    b.apply(
        &Edit::AddMember {
            id: MemberId("mb".into()),
            member: member_input("Lê Hoàng Cường", Relation::Child),
        },
        &ctx("devB", 5),
    )
    .unwrap();
    a.merge(&mut b).unwrap();
    let h = a.read().unwrap();
    assert_eq!(h.members.len(), 3);
    assert_eq!(h.members[&MemberId("ma".into())].full_name, "Trần Thị Bình");
    assert_eq!(
        h.members[&MemberId("mb".into())].full_name,
        "Lê Hoàng Cường"
    );
}

fn set_status(doc: &mut HouseholdDoc, device: &str, status: ChecklistStatus) {
    let edit = Edit::SetChecklist {
        member: MemberId("head".into()),
        item: ChecklistItem::VneidLevel2,
        status,
        reason: None,
        smartphone: None,
    };
    doc.apply(&edit, &ctx(device, 20)).unwrap();
}

#[test]
fn concurrent_checklist_updates_keep_the_most_advanced_status() {
    let origin = base();
    for (x, y) in [
        (ChecklistStatus::InProgress, ChecklistStatus::Done),
        (ChecklistStatus::Done, ChecklistStatus::Referred),
        (ChecklistStatus::Failed, ChecklistStatus::Referred),
    ] {
        let (mut a, mut b) = (fork(&origin), fork(&origin));
        set_status(&mut a, "devA", x);
        set_status(&mut b, "devB", y);
        let want = if x.rank() > y.rank() { x } else { y };
        let mut ab = fork(&a);
        ab.merge(&mut fork(&b)).unwrap();
        let mut ba = fork(&b);
        ba.merge(&mut fork(&a)).unwrap();
        for merged in [ab, ba] {
            let entry = merged.read().unwrap().members[&MemberId("head".into())].checklist
                [&ChecklistItem::VneidLevel2]
                .clone();
            assert_eq!(entry.status, want);
            // Who and when travel with the status that won.
            let winner_device = if want == x { "devA" } else { "devB" };
            assert_eq!(entry.device.as_str(), winner_device);
        }
    }
}

#[test]
fn a_causally_later_correction_stands_even_if_less_advanced() {
    let mut a = base();
    set_status(&mut a, "devA", ChecklistStatus::Done);
    let mut b = fork(&a);
    set_status(&mut b, "devB", ChecklistStatus::InProgress);
    a.merge(&mut b).unwrap();
    let h = a.read().unwrap();
    assert_eq!(
        h.members[&MemberId("head".into())].checklist[&ChecklistItem::VneidLevel2].status,
        ChecklistStatus::InProgress
    );
}

#[test]
fn concurrent_spellings_are_a_conflict_that_can_be_resolved() {
    let origin = base();
    let (mut a, mut b) = (fork(&origin), fork(&origin));
    let head = MemberId("head".into());
    a.apply(
        &Edit::SetMember {
            member: head.clone(),
            field: MemberField::FullName("Nguyễn Văn Ân".into()),
        },
        &ctx("devA", 30),
    )
    .unwrap();
    b.apply(
        &Edit::SetMember {
            member: head.clone(),
            field: MemberField::FullName("Nguyễn Văn Anh".into()),
        },
        &ctx("devB", 31),
    )
    .unwrap();
    a.merge(&mut fork(&b)).unwrap();
    let conflicts = a.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0];
    assert_eq!(c.field, FieldPath::member(&head, "full_name"));
    let mut values: Vec<&str> = c.values.iter().map(|v| v.value.as_str()).collect();
    values.sort();
    assert_eq!(values, ["Nguyễn Văn Anh", "Nguyễn Văn Ân"]);
    let by_b = c
        .values
        .iter()
        .find(|v| v.value == "Nguyễn Văn Anh")
        .unwrap();
    assert_eq!(by_b.device.as_ref().unwrap().as_str(), "devB");
    assert_eq!(by_b.volunteer.as_ref().unwrap().as_str(), "vol-devB");
    assert_eq!(by_b.at, Some(at(31)));

    // A value that is not one of the conflicting ones is refused.
    let wrong = Edit::ResolveConflict {
        field: c.field.clone(),
        value: Some("Khác".into()),
    };
    assert!(a.apply(&wrong, &ctx("devA", 40)).is_err());
    a.apply(
        &Edit::ResolveConflict {
            field: c.field.clone(),
            value: Some("Nguyễn Văn Anh".into()),
        },
        &ctx("devA", 40),
    )
    .unwrap();
    assert!(a.conflicts().unwrap().is_empty());
    // The resolution reaches the other replica and settles it there too.
    b.merge(&mut fork(&a)).unwrap();
    assert!(b.conflicts().unwrap().is_empty());
    assert_eq!(b.read().unwrap().members[&head].full_name, "Nguyễn Văn Anh");
    // Resolving a field without a conflict says so.
    assert!(
        a.apply(
            &Edit::ResolveConflict {
                field: c.field.clone(),
                value: None
            },
            &ctx("devA", 41)
        )
        .is_err()
    );
}

#[test]
fn history_names_the_volunteer_and_device_of_each_change() {
    let mut a = base();
    set_status(&mut a, "devA", ChecklistStatus::Referred);
    let history = a.history().unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0].what, "household.create");
    assert_eq!(history[0].device.as_ref().unwrap().as_str(), "dev0");
    let last = history.last().unwrap();
    assert_eq!(last.what, "checklist.set head vneid_level2 referred");
    assert_eq!(last.volunteer.as_ref().unwrap().as_str(), "vol-devA");
    assert_eq!(last.at, Some(at(20)));
}
