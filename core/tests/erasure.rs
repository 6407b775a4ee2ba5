//! Erasure on the device: after a household's or a member's erasure, no file of the register
//! (database, WAL, shared memory) holds the person's name, folded name or ID number, history
//! included. The register is left unencrypted here on purpose: encryption would hide leftovers
//! from the scan, and erasure must not depend on the key staying secret.
//! Consent withdrawal: nothing new is recorded about the person.

mod common;

use common::*;
use gocua_core::model::*;
use gocua_core::{Error, MemberField};

const NAME: &str = "Đỗ Quỳnh Xuyến";
const FOLDED: &str = "xuyen";
const ID_NUMBER: &str = "001185024680";
const PHONE: &str = "0912345678";

fn files_contain(dir: &std::path::Path, needle: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            let bytes = std::fs::read(&path).unwrap_or_default();
            let n = needle.as_bytes();
            bytes
                .windows(n.len())
                .any(|w| w == n)
                .then(|| path.file_name().unwrap().to_string_lossy().into_owned())
        })
        .collect()
}

fn assert_clean(dir: &std::path::Path) {
    for needle in [NAME, FOLDED, ID_NUMBER, PHONE] {
        let found = files_contain(dir, needle);
        assert!(found.is_empty(), "{needle:?} still on disk in {found:?}");
    }
}

fn person() -> gocua_core::input::MemberInput {
    let mut m = member_input(NAME, Relation::Wife);
    m.id_number = Some(ID_NUMBER.into());
    m.phone = Some(PHONE.into());
    m.birth = Some(BirthDate::Year(1985));
    m.gender = Some(Gender::Female);
    m
}

/// A household with a head and the person, edited a few times so history holds old values.
fn setup(reg: &mut gocua_core::Register) -> (HouseholdId, MemberId, MemberId) {
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let head = reg
        .add_member_consented(&hid, member_input("Trần Văn Hùng", Relation::Head))
        .unwrap()
        .value;
    let p = reg.add_member_consented(&hid, person()).unwrap().value;
    reg.set_checklist(
        &hid,
        &head,
        ChecklistItem::VneidInstalled,
        ChecklistStatus::Done,
        None,
        None,
    )
    .unwrap();
    reg.set_checklist(
        &hid,
        &p,
        ChecklistItem::VneidInstalled,
        ChecklistStatus::InProgress,
        None,
        None,
    )
    .unwrap();
    (hid, head, p)
}

#[test]
fn erasing_a_member_leaves_no_trace_of_them_on_disk_and_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "reg.db");
    let (hid, head, p) = setup(&mut reg);
    reg.erase_member(&hid, &p).unwrap();

    let h = reg.household(&hid).unwrap();
    assert!(!h.members.contains_key(&p));
    assert_eq!(
        h.members[&head].checklist[&ChecklistItem::VneidInstalled].status,
        ChecklistStatus::Done,
        "the others' progress survives the rewrite"
    );
    assert_eq!(
        reg.history(&hid).unwrap().len(),
        1,
        "the rewrite is one change, without the old history"
    );
    assert!(reg.search("xuyen", 5).unwrap().is_empty());
    assert_eq!(reg.integrity_check().unwrap(), "ok");
    assert_clean(dir.path());
    // Until the hub confirmed, the household is not edited here.
    let err = reg
        .set_checklist(
            &hid,
            &head,
            ChecklistItem::CyberSafety,
            ChecklistStatus::Done,
            None,
            None,
        )
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err}");
    assert_eq!(reg.pending_erasures().unwrap(), 1);
    drop(reg);
    assert_clean(dir.path());
}

#[test]
fn erasing_a_household_leaves_a_tombstone_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "reg.db");
    let (hid, _, _) = setup(&mut reg);
    let export = reg.export_document(&hid).unwrap();
    reg.erase_household(&hid).unwrap();
    assert!(reg.household(&hid).is_err());
    assert!(reg.is_erased(&hid).unwrap());
    assert!(reg.household_ids().unwrap().is_empty());
    assert_eq!(reg.integrity_check().unwrap(), "ok");
    assert_clean(dir.path());
    // An old copy (a file, another phone) is not taken back.
    assert!(reg.merge_document(&export).is_err());
    assert!(reg.household_ids().unwrap().is_empty());
    drop(reg);
    assert_clean(dir.path());
}

#[test]
fn nothing_new_is_recorded_about_a_person_who_withdrew_consent() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "reg.db");
    let (hid, _, p) = setup(&mut reg);
    let purposes = ConsentPurposes {
        local_register: true,
        setup_help: true,
        share_with_commune: false,
    };
    reg.record_consent(
        &hid,
        &p,
        ConsentAction::Given,
        purposes,
        "v1",
        ConsentMethod::WitnessedVerbal,
        None,
    )
    .unwrap();
    reg.record_consent(
        &hid,
        &p,
        ConsentAction::Withdrawn,
        purposes,
        "v1",
        ConsentMethod::WitnessedVerbal,
        None,
    )
    .unwrap();
    let refused = reg.set_checklist(
        &hid,
        &p,
        ChecklistItem::Vssid,
        ChecklistStatus::Done,
        None,
        None,
    );
    assert!(matches!(refused, Err(Error::Validation(_))));
    let refused = reg.set_member_field(&hid, &p, MemberField::Phone(Some("0987654321".into())));
    assert!(matches!(refused, Err(Error::Validation(_))));
    // Clearing data is still allowed (less processing, not more).
    reg.set_member_field(&hid, &p, MemberField::Phone(None))
        .unwrap();
    // Consent given again lifts the stop.
    reg.record_consent(
        &hid,
        &p,
        ConsentAction::Given,
        purposes,
        "v2",
        ConsentMethod::WitnessedVerbal,
        None,
    )
    .unwrap();
    reg.set_checklist(
        &hid,
        &p,
        ChecklistItem::Vssid,
        ChecklistStatus::Done,
        None,
        None,
    )
    .unwrap();
}
