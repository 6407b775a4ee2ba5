//! "My area": counts, follow-ups due, pages, search before create with masking.

mod common;

use chrono::NaiveDate;
use common::*;
use gocua_core::consent_rule::ConsentGiven;
use gocua_core::model::*;
use gocua_core::screens::Lang;
use gocua_core::screens::area::{AreaEvent, AreaModel, PAGE_SIZE, follow_up_due};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, d).unwrap()
}

#[test]
fn a_follow_up_is_due_only_when_no_visit_came_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    // at(0) is 2026-09-21.
    let today = at(0).date_naive();
    assert_eq!(today, day(21));
    reg.record_visit(&hid, day(1), VisitOutcome::NotHome, None, Some(day(10)))
        .unwrap();
    let h = reg.household(&hid).unwrap();
    assert_eq!(follow_up_due(&h, today), Some(day(10)));
    assert_eq!(follow_up_due(&h, day(9)), None, "not yet");
    let listed = |reg: &gocua_core::Register| {
        reg.list_hamlet(COMMUNE, "thon-dong", 10, 0).unwrap()[0]
            .follow_up_on
            .clone()
    };
    assert_eq!(listed(&reg).as_deref(), Some("2026-09-10"));
    // A later visit settles it, in the household and in the list's index alike.
    reg.record_visit(&hid, day(12), VisitOutcome::Registered, None, None)
        .unwrap();
    let h = reg.household(&hid).unwrap();
    assert_eq!(follow_up_due(&h, today), None);
    assert_eq!(listed(&reg), None, "the index kept a settled follow-up");
    let view = AreaModel::new(Lang::En).handle(&reg, AreaEvent::ChooseHamlet("thon-dong".into()));
    assert!(view.follow_ups_due.is_empty());
    assert_eq!(view.follow_ups_title, None, "no section title over nothing");
    assert_eq!(view.header[2], "0 follow-ups due");
    // A visit that sets a new follow-up date, now past, is due again.
    reg.record_visit(
        &hid,
        day(14),
        VisitOutcome::FollowUpNeeded,
        None,
        Some(day(20)),
    )
    .unwrap();
    let view = AreaModel::new(Lang::En).handle(&reg, AreaEvent::ChooseHamlet("thon-dong".into()));
    assert_eq!(view.follow_ups_due.len(), 1);
    assert_eq!(view.follow_ups_title.as_deref(), Some("Follow-ups due"));
    let row = &view.follow_ups_due[0];
    assert!(row.badges[0].contains("20/09/2026"));
    // The row's one line of badges is joined here, so both shells show the same line.
    assert_eq!(row.badge_line, row.badges.join(" · "));
    assert_eq!(row.members_line, format!("{} people", row.members));
}

/// A register of before schema 6 kept a settled follow-up in its list index: opened by this
/// version, its index is rebuilt from the documents.
#[test]
fn an_older_register_loses_its_settled_follow_ups_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let hid = {
        let mut reg = register(&dir, "r.db");
        let hid = reg
            .create_household(household_input("thon-dong"))
            .unwrap()
            .value;
        reg.record_visit(&hid, day(1), VisitOutcome::NotHome, None, Some(day(10)))
            .unwrap();
        reg.record_visit(&hid, day(12), VisitOutcome::Registered, None, None)
            .unwrap();
        hid
    };
    // As version 5 wrote it: the latest date of any visit.
    let c = rusqlite::Connection::open(dir.path().join("r.db")).unwrap();
    c.execute(
        "UPDATE households SET follow_up_on = '2026-09-10' WHERE doc_id = ?1",
        [hid.as_str()],
    )
    .unwrap();
    c.execute_batch(
        "ALTER TABLE erase_requests DROP COLUMN state; ALTER TABLE erased_docs DROP COLUMN proof;
         DROP TABLE bundle_sealed; DROP TABLE bundle_answers; DROP TABLE bundle_carried;
         DROP TABLE departed",
    )
    .unwrap();
    c.pragma_update(None, "user_version", 5).unwrap();
    drop(c);
    let reg = gocua_core::Register::open(&dir.path().join("r.db")).unwrap();
    let row = &reg.list_hamlet(COMMUNE, "thon-dong", 10, 0).unwrap()[0];
    assert_eq!(row.follow_up_on, None);
}

#[test]
fn a_listed_follow_up_is_due_today_or_past() {
    use gocua_core::screens::area::listed_follow_up_due;
    assert!(listed_follow_up_due("2026-09-21", day(21)));
    assert!(listed_follow_up_due("2026-09-20", day(21)));
    assert!(!listed_follow_up_due("2026-09-22", day(21)));
    assert!(
        !listed_follow_up_due("21/09/2026", day(21)),
        "not a list row's date"
    );
}

#[test]
fn households_come_a_page_at_a_time_with_a_more_action() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    for _ in 0..PAGE_SIZE + 3 {
        reg.create_household(household_input("thon-dong")).unwrap();
    }
    let mut area = AreaModel::new(Lang::Vi);
    let view = area.handle(&reg, AreaEvent::ChooseHamlet("thon-dong".into()));
    assert_eq!(view.households.len(), PAGE_SIZE as usize);
    assert_eq!(view.header[0], format!("{} hộ", PAGE_SIZE + 3));
    assert!(
        view.actions
            .iter()
            .find(|a| a.id == "more")
            .unwrap()
            .enabled
    );
    let view = area.handle(&reg, AreaEvent::More);
    assert_eq!(view.households.len(), PAGE_SIZE as usize + 3);
    assert!(
        !view
            .actions
            .iter()
            .find(|a| a.id == "more")
            .unwrap()
            .enabled
    );
}

#[test]
fn search_before_create_finds_a_household_by_name_phone_or_id_number_masked() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mut input = member_input("Hoàng Thị Lan", Relation::Head);
    input.id_number = Some("001180001234".into());
    input.phone = Some("0912345678".into());
    input.gender = Some(Gender::Female);
    let consent = ConsentGiven {
        purposes: ConsentPurposes {
            local_register: true,
            ..Default::default()
        },
        notice_version: "2026-01".into(),
        method: ConsentMethod::WitnessedVerbal,
        guardian: None,
    };
    reg.add_member_with_consent(&hid, input, &consent).unwrap();
    for (name, phone, id_number, matched) in [
        ("hoang thi lan", "", "", "name"),
        ("", "+84 912 345 678", "", "phone"),
        ("", "", "001180001234", "ID number"),
    ] {
        let mut area = AreaModel::new(Lang::En);
        let check = AreaEvent::CheckBeforeCreate {
            name: name.into(),
            phone: phone.into(),
            id_number: id_number.into(),
        };
        let view = area.handle(&reg, check);
        assert_eq!(view.candidates.len(), 1, "{matched}");
        let c = &view.candidates[0];
        assert_eq!(
            (c.household.clone(), c.matched.as_str()),
            (hid.clone(), matched)
        );
        assert_eq!(c.id_number_masked, "••••••••1234");
        assert_eq!(c.phone_masked, "•••••••678");
        assert_eq!(
            c.details,
            [
                c.address.clone(),
                c.id_number_masked.clone(),
                c.phone_masked.clone(),
                c.matched.clone()
            ]
        );
        assert!(!view.create_next);
        assert!(view.notices.iter().any(|n| n.code == "is_it_one_of_these"));
        let view = area.handle(&reg, AreaEvent::NoneOfThese);
        assert!(view.create_next);
    }
    let view = AreaModel::new(Lang::En).handle(
        &reg,
        AreaEvent::CheckBeforeCreate {
            name: "Đinh Văn Tú".into(),
            phone: String::new(),
            id_number: String::new(),
        },
    );
    assert!(view.candidates.is_empty() && view.create_next);
}
