//! The register as the phones use it: validation, lists, search, counts, and durability.

mod common;

use common::*;
use gocua_core::model::*;
use gocua_core::validate::{IssueKind, Severity};
use gocua_core::{Error, FieldPath, MemberField, Register};

fn issue_kinds(e: &Error) -> Vec<IssueKind> {
    match e {
        Error::Validation(r) => r.issues.iter().map(|i| i.kind).collect(),
        other => panic!("expected a validation error, got {other}"),
    }
}

#[test]
fn a_household_round_trips_through_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "a.db");
    let mut input = household_input("thon-dong");
    input.gps = Some(GpsFix {
        lat: 21.0337,
        lon: 105.8142,
        accuracy_m: 6.0,
        fixed_at: at(0),
        source: GpsSource::Fix,
    });
    let hid = reg.create_household(input).unwrap().value;
    let mut head = member_input("  Nguye\u{0302}\u{0303}n   Văn An ", Relation::Head);
    head.id_number = Some("001 080 012 345".into());
    head.phone = Some("+84 912 345 678".into());
    let mid = reg.add_member_consented(&hid, head).unwrap().value;
    let h = reg.household(&hid).unwrap();
    let m = &h.members[&mid];
    assert_eq!(m.full_name, "Nguyễn Văn An");
    assert_eq!(m.id_number.as_deref(), Some("001080012345"));
    assert_eq!(m.phone.as_deref(), Some("0912345678"));
    assert_eq!(h.head.as_ref(), Some(&mid));
    assert_eq!(h.digital_address.dataset_version, "2026-07-25");
    assert!(
        h.digital_address
            .plus_code
            .as_deref()
            .unwrap()
            .starts_with("7PH7")
    );

    // The model round-trips through serde as the bindings and the wire will carry it.
    let json = serde_json::to_string(&h).unwrap();
    let back: Household = serde_json::from_str(&json).unwrap();
    assert_eq!(back, h);

    // And survives closing and reopening.
    drop(reg);
    let reg = Register::open(&dir.path().join("a.db")).unwrap();
    assert_eq!(reg.household(&hid).unwrap(), h);
}

#[test]
fn errors_block_the_save_and_warnings_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "a.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;

    let mut bad = member_input("Nguyễn Văn An", Relation::Head);
    bad.id_number = Some("12345".into());
    let err = reg.add_member_consented(&hid, bad).unwrap_err();
    assert_eq!(issue_kinds(&err), [IssueKind::IdNumberFormat]);
    assert!(
        reg.household(&hid).unwrap().members.is_empty(),
        "nothing saved on error"
    );
    // The message is bilingual and does not repeat the number.
    let text = err.to_string();
    assert!(
        text.contains("12 chữ số") && text.contains("12 digits") && !text.contains("12345"),
        "{text}"
    );

    // Born 1980, male: a number coding a woman born in 1999 warns twice but saves.
    let mut odd = member_input("Nguyễn Văn An", Relation::Head);
    odd.id_number = Some("001199012345".into());
    let saved = reg.add_member_consented(&hid, odd).unwrap();
    let kinds: Vec<_> = saved.warnings.iter().map(|w| w.kind).collect();
    assert!(
        kinds.contains(&IssueKind::IdNumberGenderMismatch),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&IssueKind::IdNumberBirthYearMismatch),
        "{kinds:?}"
    );
    assert!(
        saved
            .warnings
            .iter()
            .all(|w| w.severity == Severity::Warning)
    );

    // The same number on a second person is a duplicate candidate, still saved.
    let mut twin = member_input("Trần Văn Bình", Relation::Child);
    twin.birth = Some(BirthDate::Year(1999));
    twin.gender = Some(Gender::Female);
    twin.id_number = Some("001199012345".into());
    let saved = reg.add_member_consented(&hid, twin).unwrap();
    assert!(
        saved
            .warnings
            .iter()
            .any(|w| w.kind == IssueKind::DuplicateIdNumber)
    );

    // Unknown hamlet, mismatched province/commune.
    let err = reg
        .create_household(household_input("thon-khong-co"))
        .unwrap_err();
    assert_eq!(issue_kinds(&err), [IssueKind::UnknownHamlet]);
    let mut wrong_area = household_input("thon-dong");
    wrong_area.area.province_code = "79".into();
    assert_eq!(
        issue_kinds(&reg.create_household(wrong_area).unwrap_err()),
        [IssueKind::UnknownAdminUnit]
    );
}

#[test]
fn search_ignores_diacritics_and_finds_phones_and_id_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "a.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mut a = member_input("Nguyễn Văn A", Relation::Head);
    a.phone = Some("0987654321".into());
    a.id_number = Some("001080099887".into());
    reg.add_member_consented(&hid, a).unwrap();
    reg.add_member_consented(&hid, member_input("Đặng Thị Hoà", Relation::Wife))
        .unwrap();
    reg.add_member_consented(&hid, member_input("Nguyễn Văn Bình", Relation::Child))
        .unwrap();

    let names = |q: &str| {
        reg.search(q, 10)
            .unwrap()
            .into_iter()
            .map(|h| h.full_name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names("nguyen van a"), ["Nguyễn Văn A"]);
    assert_eq!(names("NGUYỄN"), ["Nguyễn Văn A", "Nguyễn Văn Bình"]);
    assert_eq!(names("dang thi hoa"), ["Đặng Thị Hoà"]);
    assert_eq!(names("hòa"), ["Đặng Thị Hoà"]);
    assert_eq!(names("+84 987 654 321"), ["Nguyễn Văn A"]);
    assert_eq!(names("001080099887"), ["Nguyễn Văn A"]);
    assert_eq!(names("9887"), ["Nguyễn Văn A"]);
    assert!(names("zzz").is_empty());
    assert!(
        names("\"*").is_empty(),
        "query syntax is not passed through"
    );
    let hit = &reg.search("001080099887", 1).unwrap()[0];
    assert_eq!(hit.id_number_last4.as_deref(), Some("9887"));
}

#[test]
fn lists_and_counts_follow_the_documents() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "a.db");
    reg.add_hamlet(COMMUNE, "Thôn Tây").unwrap();
    let ids: Vec<_> = (0..3)
        .map(|_| {
            reg.create_household(household_input("thon-dong"))
                .unwrap()
                .value
        })
        .collect();
    reg.create_household(household_input("thon-tay")).unwrap();
    for (i, hid) in ids.iter().enumerate() {
        let mid = reg
            .add_member_consented(
                hid,
                member_input(["Cao Văn C", "An Thị B", "Bùi Văn A"][i], Relation::Head),
            )
            .unwrap()
            .value;
        reg.set_checklist(
            hid,
            &mid,
            ChecklistItem::VneidLevel1,
            ChecklistStatus::Done,
            None,
            None,
        )
        .unwrap();
    }
    let list = reg.list_hamlet(COMMUNE, "thon-dong", 50, 0).unwrap();
    let heads: Vec<_> = list.iter().map(|s| s.head_name.clone().unwrap()).collect();
    assert_eq!(heads, ["An Thị B", "Bùi Văn A", "Cao Văn C"]);
    assert!(list.iter().all(|s| s.pending_sync && s.member_count == 1));
    assert_eq!(
        reg.list_hamlet(COMMUNE, "thon-dong", 2, 2).unwrap().len(),
        1
    );
    let counts = reg.checklist_counts(COMMUNE, Some("thon-dong")).unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(
        (counts[0].item, counts[0].status, counts[0].count),
        (ChecklistItem::VneidLevel1, ChecklistStatus::Done, 3)
    );
    assert!(
        reg.checklist_counts(COMMUNE, Some("thon-tay"))
            .unwrap()
            .is_empty()
    );
    assert_eq!(reg.pending_count().unwrap(), 4);
    assert_eq!(
        reg.hamlets(COMMUNE)
            .unwrap()
            .iter()
            .map(|h| h.id.as_str())
            .collect::<Vec<_>>(),
        ["thon-dong", "thon-tay"]
    );
}

#[test]
fn checklist_consent_and_visit_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "a.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let head = reg
        .add_member_consented(&hid, member_input("Nguyễn Văn An", Relation::Head))
        .unwrap()
        .value;
    let mut child = member_input("Nguyễn Văn Bé", Relation::Child);
    child.birth = Some(BirthDate::Year(2015));
    // A minor's birth date is stored only after a guardian's consent.
    let guardian = gocua_core::consent_rule::ConsentGiven {
        guardian: Some(head.clone()),
        ..full_consent()
    };
    let child = reg
        .add_member_with_consent(&hid, child, &guardian)
        .unwrap()
        .value;

    let e = reg
        .set_checklist(
            &hid,
            &head,
            ChecklistItem::VneidLevel1,
            ChecklistStatus::Failed,
            None,
            None,
        )
        .unwrap_err();
    assert_eq!(issue_kinds(&e), [IssueKind::Required]);
    let e = reg
        .set_checklist(
            &hid,
            &head,
            ChecklistItem::VneidLevel1,
            ChecklistStatus::Done,
            None,
            Some(SmartphoneAccess::Own),
        )
        .unwrap_err();
    assert_eq!(issue_kinds(&e), [IssueKind::InvalidValue]);
    reg.set_checklist(
        &hid,
        &head,
        ChecklistItem::Smartphone,
        ChecklistStatus::Done,
        None,
        Some(SmartphoneAccess::Shared),
    )
    .unwrap();

    let all = ConsentPurposes {
        local_register: true,
        setup_help: true,
        share_with_commune: false,
    };
    let none = ConsentPurposes::default();
    let e = reg
        .record_consent(
            &hid,
            &head,
            ConsentAction::Given,
            none,
            "v1",
            ConsentMethod::SignatureOnScreen,
            None,
        )
        .unwrap_err();
    assert_eq!(issue_kinds(&e), [IssueKind::Required]);
    let e = reg
        .record_consent(
            &hid,
            &child,
            ConsentAction::Given,
            all,
            "v1",
            ConsentMethod::SignatureOnScreen,
            None,
        )
        .unwrap_err();
    assert_eq!(issue_kinds(&e), [IssueKind::Required]);
    let e = reg
        .record_consent(
            &hid,
            &head,
            ConsentAction::Given,
            all,
            "v1",
            ConsentMethod::SignatureOnScreen,
            Some(child.clone()),
        )
        .unwrap_err();
    assert_eq!(issue_kinds(&e), [IssueKind::InvalidValue]);
    reg.record_consent(
        &hid,
        &child,
        ConsentAction::Given,
        all,
        "v1",
        ConsentMethod::WitnessedVerbal,
        Some(head.clone()),
    )
    .unwrap();
    reg.record_consent(
        &hid,
        &head,
        ConsentAction::Given,
        all,
        "v1",
        ConsentMethod::Thumbprint,
        None,
    )
    .unwrap();
    reg.record_consent(
        &hid,
        &head,
        ConsentAction::Withdrawn,
        none,
        "v1",
        ConsentMethod::SignatureOnScreen,
        None,
    )
    .unwrap();
    let h = reg.household(&hid).unwrap();
    assert_eq!(h.current_consent(&child), Some(all));
    assert_eq!(h.current_consent(&head), None);
    // 2 consents recorded when the members were added, then 3 here.
    assert_eq!(h.consents.len(), 5);

    let today = at(0).date_naive();
    let e = reg
        .record_visit(
            &hid,
            today + chrono::Days::new(5),
            VisitOutcome::NotHome,
            None,
            None,
        )
        .unwrap_err();
    assert_eq!(issue_kinds(&e), [IssueKind::InvalidValue]);
    reg.record_visit(
        &hid,
        today,
        VisitOutcome::FollowUpNeeded,
        Some("hẹn chiều".into()),
        Some(today + chrono::Days::new(3)),
    )
    .unwrap();
    let summary = reg.summary(&hid).unwrap();
    assert_eq!(summary.visit_count, 1);
    assert_eq!(
        summary.follow_up_on,
        Some(
            (today + chrono::Days::new(3))
                .format("%Y-%m-%d")
                .to_string()
        )
    );
}

#[test]
fn documents_from_another_replica_merge_and_conflicts_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = register(&dir, "a.db");
    let mut b = register(&dir, "b.db");
    let hid = a
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let head = a
        .add_member_consented(&hid, member_input("Nguyễn Văn An", Relation::Head))
        .unwrap()
        .value;
    b.merge_document(&a.export_document(&hid).unwrap()).unwrap();

    a.set_member_field(&hid, &head, MemberField::FullName("Nguyễn Văn Ân".into()))
        .unwrap();
    b.set_member_field(&hid, &head, MemberField::FullName("Nguyễn Văn Anh".into()))
        .unwrap();
    b.add_member_consented(&hid, member_input("Trần Thị Bình", Relation::Wife))
        .unwrap();
    a.merge_document(&b.export_document(&hid).unwrap()).unwrap();

    let h = a.household(&hid).unwrap();
    assert_eq!(h.members.len(), 2);
    let conflicts = a.conflicts(&hid).unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].field, FieldPath::member(&head, "full_name"));
    assert_eq!(a.summary(&hid).unwrap().conflict_count, 1);
    a.resolve_conflict(&hid, &conflicts[0].field, Some("Nguyễn Văn Anh".into()))
        .unwrap();
    assert!(a.conflicts(&hid).unwrap().is_empty());
    assert_eq!(a.summary(&hid).unwrap().conflict_count, 0);
    assert_eq!(a.search("nguyen van anh", 5).unwrap().len(), 1);

    // A foreign or damaged document is refused and the stored one is untouched.
    assert!(a.merge_document(b"not a document").is_err());
    assert_eq!(
        a.household(&hid).unwrap().members[&head].full_name,
        "Nguyễn Văn Anh"
    );
}

#[test]
fn edge_cases_found_by_the_field_client() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = register(&dir, "a.db");
    let hid = a
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    // Searching by the last digits of an ID number when the person has no phone.
    let mut head = member_input("Nguyễn Văn An", Relation::Head);
    head.id_number = Some("001080012346".into());
    let head = a.add_member_consented(&hid, head).unwrap().value;
    assert_eq!(a.search("2346", 5).unwrap().len(), 1);

    // Withdrawing consent that was never given is refused.
    let mut nobody = member_input("Trần Văn Khách", Relation::Lodger);
    nobody.birth = None;
    let nobody = a.add_member(&hid, nobody).unwrap().value;
    let e = a
        .record_consent(
            &hid,
            &nobody,
            ConsentAction::Withdrawn,
            ConsentPurposes::default(),
            "v1",
            ConsentMethod::SignatureOnScreen,
            None,
        )
        .unwrap_err();
    assert_eq!(issue_kinds(&e), [IssueKind::InvalidValue]);

    // A removed head is no longer head.
    a.remove_member(&hid, &head).unwrap();
    assert_eq!(a.household(&hid).unwrap().head, None);
    assert_eq!(a.summary(&hid).unwrap().head_name, None);

    // A household received from a device whose hamlet list this one lacks can still be edited.
    let mut b = Register::create(
        &dir.path().join("b.db"),
        VolunteerId("vol-2".into()),
        COMMUNE,
    )
    .unwrap();
    b.merge_document(&a.export_document(&hid).unwrap()).unwrap();
    b.set_household_field(
        &hid,
        gocua_core::HouseholdField::Street(Some("Kim Mã".into())),
    )
    .unwrap();
    let e = b
        .set_household_field(&hid, gocua_core::HouseholdField::Hamlet("thon-xa".into()))
        .unwrap_err();
    assert_eq!(issue_kinds(&e), [IssueKind::UnknownHamlet]);
}
