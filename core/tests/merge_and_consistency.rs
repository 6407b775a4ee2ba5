//! A household registered twice merges into one that holds everything of both, once; and the
//! consistency rules find what no single field shows.

mod common;

use common::*;
use gocua_core::input::MemberInput;
use gocua_core::merge::{apply_plan, mark_merged, merge_plan};
use gocua_core::model::*;
use gocua_core::validate::{IssueKind, check_consistency, check_member_fits, commune_centre};
use gocua_core::{ChangeContext, Edit, HouseholdDoc};

fn doc(id: &str, device: &str) -> HouseholdDoc {
    HouseholdDoc::create(
        &HouseholdId(id.into()),
        &household_input("thon-dong"),
        "2026-07-25",
        &ctx(device, 0),
    )
    .unwrap()
}

fn add(doc: &mut HouseholdDoc, id: &str, input: MemberInput, device: &str, t: i64) {
    doc.apply(
        &Edit::AddMember {
            id: MemberId(id.into()),
            member: input,
        },
        &ctx(device, t),
    )
    .unwrap();
}

fn person(name: &str, relation: Relation, year: i32, gender: Gender) -> MemberInput {
    MemberInput {
        birth: Some(BirthDate::Year(year)),
        gender: Some(gender),
        ..member_input(name, relation)
    }
}

fn set(
    doc: &mut HouseholdDoc,
    m: &str,
    item: ChecklistItem,
    s: ChecklistStatus,
    dev: &str,
    t: i64,
) {
    doc.apply(
        &Edit::SetChecklist {
            member: MemberId(m.into()),
            item,
            status: s,
            reason: None,
            smartphone: None,
        },
        &ctx(dev, t),
    )
    .unwrap();
}

fn visit(doc: &mut HouseholdDoc, id: &str, dev: &str, t: i64) {
    doc.apply(
        &Edit::AddVisit {
            id: RecordId(id.into()),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            outcome: VisitOutcome::Registered,
            note: None,
            follow_up_on: None,
        },
        &ctx(dev, t),
    )
    .unwrap();
}

fn coordinator() -> ChangeContext {
    ChangeContext {
        volunteer: VolunteerId("coordinator:c1".into()),
        device: DeviceId("hub".into()),
        at: at(1000),
    }
}

#[test]
fn merge_keeps_the_union_once_and_the_first_attribution() {
    let mut keep = doc("h-keep", "devA");
    add(
        &mut keep,
        "a-head",
        person("Nguyễn Văn An", Relation::Head, 1968, Gender::Male),
        "devA",
        1,
    );
    set(
        &mut keep,
        "a-head",
        ChecklistItem::VneidLevel1,
        ChecklistStatus::InProgress,
        "devA",
        2,
    );
    visit(&mut keep, "va", "devA", 3);

    let mut other = doc("h-other", "devB");
    // The same head typed without diacritics, plus a child only the second volunteer met.
    add(
        &mut other,
        "b-head",
        person("Nguyen Van An", Relation::Head, 1968, Gender::Male),
        "devB",
        1,
    );
    add(
        &mut other,
        "b-child",
        person("Nguyễn Thị Hoa", Relation::Child, 1995, Gender::Female),
        "devB",
        2,
    );
    set(
        &mut other,
        "b-head",
        ChecklistItem::VneidLevel1,
        ChecklistStatus::Done,
        "devB",
        3,
    );
    set(
        &mut other,
        "b-child",
        ChecklistItem::Smartphone,
        ChecklistStatus::Done,
        "devB",
        4,
    );
    visit(&mut other, "vb", "devB", 5);

    let (k, o) = (keep.read().unwrap(), other.read().unwrap());
    let plan = merge_plan(&k, &o);
    assert_eq!((plan.members_added, plan.members_matched), (1, 1));
    assert_eq!((plan.checklist_entries, plan.visits), (2, 1));
    apply_plan(&mut keep, &plan, &coordinator()).unwrap();

    let merged = keep.read().unwrap();
    assert_eq!(
        merged.current_members().count(),
        2,
        "the head is one person"
    );
    let head = &merged.members[&MemberId("a-head".into())];
    let level1 = &head.checklist[&ChecklistItem::VneidLevel1];
    assert_eq!(
        level1.status,
        ChecklistStatus::Done,
        "the more advanced status"
    );
    assert_eq!(
        level1.set_by,
        VolunteerId("vol-devB".into()),
        "who did it, not who merged"
    );
    assert_eq!(level1.set_at, at(3));
    assert_eq!(merged.visits.len(), 2);
    let moved = merged.visits.iter().find(|v| v.id.0 == "vb").unwrap();
    assert_eq!(moved.device, DeviceId("devB".into()));
    assert!(merged.members.contains_key(&MemberId("b-child".into())));

    // Run again (a late edit arrived): nothing left to copy.
    let again = merge_plan(&keep.read().unwrap(), &o);
    assert!(again.is_empty(), "{again:?}");

    // A visit made on the merged household later is copied, alone.
    visit(&mut other, "vb2", "devB", 6);
    let late = merge_plan(&keep.read().unwrap(), &other.read().unwrap());
    assert_eq!((late.visits, late.steps.len()), (1, 1));

    let marks = mark_merged(&o, &HouseholdId("h-keep".into()));
    for e in &marks {
        other.apply(e, &coordinator()).unwrap();
    }
    let o = other.read().unwrap();
    assert_eq!(o.lifecycle, Lifecycle::Merged);
    assert!(mark_merged(&o, &HouseholdId("h-keep".into())).is_empty());
}

fn kinds(h: &Household) -> Vec<IssueKind> {
    check_consistency(h, None)
        .into_iter()
        .map(|(_, i)| i.kind)
        .collect()
}

#[test]
fn two_heads_three_wives_and_a_child_older_than_the_head_are_warned() {
    let mut d = doc("h1", "dev");
    add(
        &mut d,
        "m1",
        person("Lò Văn Páo", Relation::Head, 1968, Gender::Male),
        "dev",
        1,
    );
    add(
        &mut d,
        "m2",
        person("Lò Văn Páo", Relation::Head, 1968, Gender::Male),
        "dev",
        2,
    );
    for (i, id) in ["w1", "w2", "w3"].iter().enumerate() {
        add(
            &mut d,
            id,
            person("Vàng Thị Dua", Relation::Wife, 1970, Gender::Female),
            "dev",
            3 + i as i64,
        );
    }
    add(
        &mut d,
        "c1",
        person("Lò Văn Chứ", Relation::Child, 1920, Gender::Male),
        "dev",
        9,
    );
    let h = d.read().unwrap();
    let found = kinds(&h);
    assert_eq!(
        found
            .iter()
            .filter(|k| **k == IssueKind::SeveralHeads)
            .count(),
        1
    );
    assert_eq!(
        found
            .iter()
            .filter(|k| **k == IssueKind::SeveralSpouses)
            .count(),
        2
    );
    assert_eq!(
        found
            .iter()
            .filter(|k| **k == IssueKind::SameMemberTwice)
            .count(),
        3
    );
    assert!(found.contains(&IssueKind::RelationAge));
    // The finding names the member, and the sentence never names the person.
    let (member, issue) = check_consistency(&h, None)
        .into_iter()
        .find(|(_, i)| i.kind == IssueKind::RelationAge)
        .unwrap();
    assert_eq!(member, Some(MemberId("c1".into())));
    assert!(!issue.message_vi.contains("Chứ") && !issue.message_en.contains("1920"));
}

#[test]
fn a_wife_recorded_as_male_and_a_skipped_prerequisite_are_warned() {
    let mut d = doc("h1", "dev");
    add(
        &mut d,
        "m1",
        person("Giàng A Lử", Relation::Head, 1980, Gender::Male),
        "dev",
        1,
    );
    add(
        &mut d,
        "m2",
        person("Thào Thị Mỷ", Relation::Wife, 1982, Gender::Male),
        "dev",
        2,
    );
    set(
        &mut d,
        "m1",
        ChecklistItem::VneidInstalled,
        ChecklistStatus::Declined,
        "dev",
        3,
    );
    set(
        &mut d,
        "m1",
        ChecklistItem::VneidLevel1,
        ChecklistStatus::Failed,
        "dev",
        4,
    );
    set(
        &mut d,
        "m1",
        ChecklistItem::VneidLevel2,
        ChecklistStatus::Done,
        "dev",
        5,
    );
    let h = d.read().unwrap();
    let found = kinds(&h);
    assert!(found.contains(&IssueKind::RelationGender));
    assert_eq!(
        found
            .iter()
            .filter(|k| **k == IssueKind::PrerequisiteMissing)
            .count(),
        1,
        "level 2 done while level 1 failed; level 1 itself is not achieved: {found:?}"
    );
    let household_ok = {
        let mut ok = doc("h2", "dev");
        add(
            &mut ok,
            "m1",
            person("Giàng A Lử", Relation::Head, 1980, Gender::Male),
            "dev",
            1,
        );
        add(
            &mut ok,
            "m2",
            person("Giàng A Tủa", Relation::Child, 2005, Gender::Male),
            "dev",
            2,
        );
        ok.read().unwrap()
    };
    assert!(kinds(&household_ok).is_empty());
}

#[test]
fn a_member_typed_into_a_household_that_has_a_head_is_told_before_saving() {
    let mut d = doc("h1", "dev");
    add(
        &mut d,
        "m1",
        person("Lò Văn Páo", Relation::Head, 1968, Gender::Male),
        "dev",
        1,
    );
    let h = d.read().unwrap();
    let second_head = person("Lò Thị Xuân", Relation::Head, 1990, Gender::Female);
    let found = check_member_fits(&h, None, &second_head);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, IssueKind::SeveralHeads);
    // Editing the head itself is not a second head.
    let same = person("Lò Văn Páo", Relation::Head, 1968, Gender::Male);
    assert!(check_member_fits(&h, Some(&MemberId("m1".into())), &same).is_empty());
}

#[test]
fn a_position_far_from_the_commune_is_warned_once_five_positions_are_known() {
    let ba_dinh = [
        (21.035, 105.83),
        (21.036, 105.832),
        (21.034, 105.829),
        (21.033, 105.831),
        (21.037, 105.833),
    ];
    assert!(commune_centre(ba_dinh[..4].iter().copied()).is_none());
    let centre = commune_centre(ba_dinh.iter().copied());
    let mut d = doc("h1", "dev");
    add(
        &mut d,
        "m1",
        person("Lê Văn Tám", Relation::Head, 1960, Gender::Male),
        "dev",
        1,
    );
    let mut h = d.read().unwrap();
    // Ho Chi Minh City.
    h.digital_address.gps = Some(GpsFix {
        lat: 10.776,
        lon: 106.700,
        accuracy_m: 8.0,
        fixed_at: at(1),
        source: GpsSource::Fix,
    });
    let found = check_consistency(&h, centre);
    assert!(
        found
            .iter()
            .any(|(m, i)| m.is_none() && i.kind == IssueKind::FarFromCommune)
    );
    h.digital_address.gps.as_mut().unwrap().lat = 21.0351;
    h.digital_address.gps.as_mut().unwrap().lon = 105.8301;
    assert!(check_consistency(&h, centre).is_empty());
}

#[test]
fn times_a_fast_clock_recorded_are_moved_back_by_its_error_and_nothing_else() {
    use gocua_core::validate::check_recorded_times;
    // The hub's now is at(0); device "fast" ran 3 hours ahead, device "right" did not.
    let ahead = 3 * 3600;
    let mut d = doc("h1", "fast");
    add(
        &mut d,
        "m1",
        person("Mạc Văn Tùng", Relation::Head, 1985, Gender::Male),
        "fast",
        ahead,
    );
    set(
        &mut d,
        "m1",
        ChecklistItem::Smartphone,
        ChecklistStatus::Done,
        "fast",
        ahead + 60,
    );
    d.apply(
        &Edit::AddVisit {
            id: RecordId("v-fast".into()),
            date: at(ahead + 120).date_naive(),
            outcome: VisitOutcome::Registered,
            note: None,
            follow_up_on: None,
        },
        &ctx("fast", ahead + 120),
    )
    .unwrap();
    set(
        &mut d,
        "m1",
        ChecklistItem::SimOwnName,
        ChecklistStatus::Done,
        "right",
        -60,
    );
    let before = d.read().unwrap();
    assert!(!check_recorded_times(&before, at(0)).is_empty());

    d.apply(
        &Edit::ShiftTimes {
            device: DeviceId("fast".into()),
            secs: -ahead,
            after: at(300),
        },
        &coordinator(),
    )
    .unwrap();
    let h = d.read().unwrap();
    let m = &h.members[&MemberId("m1".into())];
    assert_eq!(m.checklist[&ChecklistItem::Smartphone].set_at, at(60));
    assert_eq!(
        m.checklist[&ChecklistItem::SimOwnName].set_at,
        at(-60),
        "another device's record stays"
    );
    assert_eq!(h.visits[0].recorded_at, at(120));
    assert_eq!(h.visits[0].date, at(120).date_naive());
    assert!(
        check_recorded_times(&h, at(0)).is_empty(),
        "{:?}",
        check_recorded_times(&h, at(0))
    );
    // Said in words in the history.
    let mut d = d;
    let last = d.history().unwrap().pop().unwrap();
    let text =
        gocua_core::screens::history::change_text(&last.what, &h, gocua_core::screens::Lang::Vi);
    assert!(
        text.starts_with("Lùi 3 giờ các mốc thời gian máy fast"),
        "{text}"
    );
}

#[test]
fn a_second_household_at_the_same_address_is_warned_on_the_phone() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let first = reg.create_household(household_input("thon-dong")).unwrap();
    assert!(first.warnings.is_empty(), "{:?}", first.warnings);
    // The same street, alley and number, typed differently.
    let mut again = household_input("thon-dong");
    again.address.street = Some("đội cấn".into());
    let second = reg.create_household(again).unwrap();
    assert_eq!(
        second.warnings.iter().map(|w| w.kind).collect::<Vec<_>>(),
        [IssueKind::PossibleDuplicate]
    );
    let mut next_door = household_input("thon-dong");
    next_door.address.house_number = Some("14".into());
    assert!(reg.create_household(next_door).unwrap().warnings.is_empty());
}
