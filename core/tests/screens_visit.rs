//! The visit screen model: outcome, follow-up date typed as people write it, note, history.

mod common;

use common::*;
use gocua_core::FixedClock;
use gocua_core::model::*;
use gocua_core::screens::visit::{VisitEvent as Ev, VisitModel};
use gocua_core::screens::{Lang, NoticeLevel};

fn setup(dir: &tempfile::TempDir) -> (gocua_core::Register, HouseholdId) {
    // 2026-09-21 17:00 UTC: midnight on the 22nd in Vietnam.
    let mut reg = register(dir, "r.db").with_clock(FixedClock(at(10_000)));
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    (reg, hid)
}

#[test]
fn a_follow_up_is_recorded_on_vietnams_day_with_the_date_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut reg, hid) = setup(&dir);
    let mut m = VisitModel::new(hid.clone(), Lang::En);
    let v = m.view(&reg).unwrap();
    assert!(!v.save.enabled, "nothing chosen yet");
    assert!(!v.follow_up.enabled);
    assert_eq!(v.outcomes.len(), VisitOutcome::ALL.len());

    let v = m
        .handle(&mut reg, Ev::ChooseOutcome("follow_up_needed".into()))
        .unwrap();
    assert!(v.follow_up.enabled && v.follow_up.required);
    assert!(!v.save.enabled, "a follow-up needs its date");
    m.handle(&mut reg, Ev::FollowUpTyped("29/9/2026".into()))
        .unwrap();
    m.handle(&mut reg, Ev::NoteTyped("  Chủ hộ đi làm rẫy  ".into()))
        .unwrap();
    let v = m.handle(&mut reg, Ev::Save).unwrap();
    assert!(v.saved);
    assert_eq!(v.notices[0].text, "Visit recorded.");
    assert!(!v.save.enabled, "the form is cleared for the next visit");

    let h = reg.household(&hid).unwrap();
    let visit = h.visits.last().unwrap();
    // The UTC date is still the 21st.
    assert_eq!(visit.date.to_string(), "2026-09-22");
    assert_eq!(visit.outcome, VisitOutcome::FollowUpNeeded);
    assert_eq!(visit.follow_up_on.unwrap().to_string(), "2026-09-29");
    assert_eq!(visit.note.as_deref(), Some("Chủ hộ đi làm rẫy"));
    assert_eq!(
        v.history[0],
        "22/09/2026 · Follow-up needed · back on 29/09/2026 · vol-1 · Chủ hộ đi làm rẫy"
    );
}

#[test]
fn a_bad_or_past_follow_up_date_is_a_message_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let (mut reg, hid) = setup(&dir);
    let before = reg.household(&hid).unwrap().visits.len();
    let mut m = VisitModel::new(hid.clone(), Lang::Vi);
    m.handle(&mut reg, Ev::ChooseOutcome("follow_up_needed".into()))
        .unwrap();
    for (typed, message) in [
        (
            "31/2/2026",
            "Ngày chưa đúng. Ghi ngày/tháng/năm, ví dụ 12/1/2027.",
        ),
        (
            "tuần sau",
            "Ngày chưa đúng. Ghi ngày/tháng/năm, ví dụ 12/1/2027.",
        ),
        (
            "21/9/2026",
            "Ngày hẹn đã qua: chọn hôm nay hoặc một ngày sau.",
        ),
    ] {
        m.handle(&mut reg, Ev::FollowUpTyped(typed.into())).unwrap();
        let v = m.handle(&mut reg, Ev::Save).unwrap();
        assert!(!v.saved, "{typed}");
        assert_eq!(v.follow_up.messages.len(), 1, "{typed}");
        assert_eq!(v.follow_up.messages[0].text, message, "{typed}");
        assert_eq!(v.follow_up.messages[0].severity, NoticeLevel::Error);
        assert_eq!(
            v.follow_up.value, typed,
            "what was typed stays to be mended"
        );
    }
    // Today in Vietnam is accepted.
    m.handle(&mut reg, Ev::FollowUpTyped("2026-09-22".into()))
        .unwrap();
    assert!(m.handle(&mut reg, Ev::Save).unwrap().saved);
    assert_eq!(reg.household(&hid).unwrap().visits.len(), before + 1);
}

#[test]
fn other_outcomes_need_no_date_and_ignore_one_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut reg, hid) = setup(&dir);
    let mut m = VisitModel::new(hid.clone(), Lang::En);
    m.handle(&mut reg, Ev::ChooseOutcome("follow_up_needed".into()))
        .unwrap();
    m.handle(&mut reg, Ev::FollowUpTyped("nonsense".into()))
        .unwrap();
    let v = m
        .handle(&mut reg, Ev::ChooseOutcome("not_home".into()))
        .unwrap();
    assert!(!v.follow_up.enabled && v.follow_up.value.is_empty());
    assert!(v.save.enabled);
    // An unknown code changes nothing.
    let v = m
        .handle(&mut reg, Ev::ChooseOutcome("abducted".into()))
        .unwrap();
    assert!(
        v.outcomes
            .iter()
            .any(|o| o.code == "not_home" && o.selected)
    );
    assert!(m.handle(&mut reg, Ev::Save).unwrap().saved);
    let h = reg.household(&hid).unwrap();
    let visit = h.visits.last().unwrap();
    assert_eq!(visit.outcome, VisitOutcome::NotHome);
    assert_eq!(visit.follow_up_on, None);
}

#[test]
fn a_note_too_long_stays_with_its_message() {
    let dir = tempfile::tempdir().unwrap();
    let (mut reg, hid) = setup(&dir);
    let mut m = VisitModel::new(hid.clone(), Lang::En);
    m.handle(&mut reg, Ev::ChooseOutcome("refused".into()))
        .unwrap();
    m.handle(&mut reg, Ev::NoteTyped("x".repeat(2001))).unwrap();
    let v = m.handle(&mut reg, Ev::Save).unwrap();
    assert!(!v.saved);
    assert_eq!(
        v.note.messages[0].text,
        "The note is too long (2000 characters at most)."
    );
    assert_eq!(v.note.value.len(), 2001);
}

#[test]
fn a_household_gone_from_the_phone_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (reg, _) = setup(&dir);
    let m = VisitModel::new(HouseholdId("missing".into()), Lang::En);
    assert!(m.view(&reg).is_err());
}
