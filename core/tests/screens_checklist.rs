//! The checklist screen model (issue 14).

mod common;

use common::*;
use gocua_core::model::*;
use gocua_core::screens::Lang;
use gocua_core::screens::checklist::{ChecklistEvent as Ev, ChecklistModel};

fn setup(dir: &tempfile::TempDir) -> (gocua_core::Register, HouseholdId, MemberId) {
    let mut reg = register(dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mid = reg
        .add_member_consented(&hid, member_input("Nguyễn Văn An", Relation::Head))
        .unwrap()
        .value;
    (reg, hid, mid)
}

#[test]
fn failed_without_a_reason_is_refused_with_a_field_message() {
    let dir = tempfile::tempdir().unwrap();
    let (mut reg, hid, mid) = setup(&dir);
    let mut m = ChecklistModel::new(hid.clone(), mid.clone(), Lang::En);
    m.handle(&mut reg, Ev::Open(ChecklistItem::SimOwnName))
        .unwrap();
    m.handle(&mut reg, Ev::ChooseStatus(ChecklistStatus::Failed))
        .unwrap();
    let v = m.handle(&mut reg, Ev::Save).unwrap();
    let editor = v.editor.expect("the editor stays open");
    assert_eq!(
        editor.reason.messages[0].text,
        "A failed item needs a reason."
    );
    assert!(editor.reason.required);
    assert!(
        reg.household(&hid).unwrap().members[&mid]
            .checklist
            .is_empty()
    );

    m.handle(&mut reg, Ev::ReasonTyped("No SIM in own name".into()))
        .unwrap();
    let v = m.handle(&mut reg, Ev::Save).unwrap();
    assert!(v.editor.is_none());
    assert_eq!(v.notices[0].text, "Saved.");
    let row = v.items.iter().find(|i| i.code == "sim_own_name").unwrap();
    assert_eq!(row.status_label, "Failed");
    assert_eq!(row.reason.as_deref(), Some("No SIM in own name"));
}

#[test]
fn a_next_step_waits_for_its_prerequisite_and_progress_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (mut reg, hid, mid) = setup(&dir);
    let mut m = ChecklistModel::new(hid, mid, Lang::Vi);
    for item in [
        ChecklistItem::Smartphone,
        ChecklistItem::SimOwnName,
        ChecklistItem::VneidInstalled,
        ChecklistItem::VneidLevel1,
    ] {
        m.handle(&mut reg, Ev::Open(item)).unwrap();
        m.handle(&mut reg, Ev::ChooseStatus(ChecklistStatus::Done))
            .unwrap();
        m.handle(&mut reg, Ev::Save).unwrap();
    }
    let v = m.view(&reg).unwrap();
    let step = |code: &str| {
        v.next_steps
            .iter()
            .find(|s| s.code == code)
            .unwrap()
            .clone()
    };
    assert!(step("vneid_level2").ready);
    let welfare = step("welfare_account_linked");
    assert!(!welfare.ready);
    assert_eq!(welfare.waiting_for, ["Định danh điện tử mức 2"]);
    assert!(welfare.text.contains("chờ: Định danh điện tử mức 2"));
    assert!(v.next_steps.iter().all(|s| s.code != "vneid_level1"));
    assert_eq!(v.progress.line, "Đã xong 4/18 mục · 0/5 kỹ năng số cơ bản");
    assert_eq!(v.skills.len(), 5);

    // The editor of a held-back item warns, and carries the guide with its cautions.
    let v = m
        .handle(&mut reg, Ev::Open(ChecklistItem::WelfareAccountLinked))
        .unwrap();
    let editor = v.editor.unwrap();
    assert_eq!(editor.notices[0].code, "prerequisite_missing");
    assert!(!editor.guide.steps.is_empty());
    assert!(!editor.guide.cautions.is_empty());
}
