//! "Who changed what" in words: every change a visit records reads as a sentence naming the
//! person, never as its stored code; a person the reader may not see is "a member".

mod common;

use common::*;
use gocua_core::commune_view::for_commune;
use gocua_core::model::*;
use gocua_core::screens::Lang;
use gocua_core::screens::history::change_text;

#[test]
fn every_change_of_a_visit_reads_as_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let an = reg
        .add_member_consented(&hid, member_input("Nguyễn Văn An", Relation::Head))
        .unwrap()
        .value;
    reg.set_checklist(
        &hid,
        &an,
        ChecklistItem::VneidInstalled,
        ChecklistStatus::InProgress,
        None,
        None,
    )
    .unwrap();
    reg.record_visit(
        &hid,
        chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        VisitOutcome::NotHome,
        None,
        None,
    )
    .unwrap();
    reg.set_household_field(
        &hid,
        gocua_core::HouseholdField::Street(Some("Đường Làng".into())),
    )
    .unwrap();
    reg.withdraw_consent(&hid, &an, ConsentMethod::WitnessedVerbal)
        .unwrap();
    let h = reg.household(&hid).unwrap();
    let history = reg.history(&hid).unwrap();
    assert!(history.len() >= 6, "{history:?}");
    for e in &history {
        for lang in [Lang::Vi, Lang::En] {
            let text = change_text(&e.what, &h, lang);
            assert_ne!(text, e.what, "{} left as a code", e.what);
            for code in [
                "vneid_installed",
                "in_progress",
                "not_home",
                ".set",
                ".add",
                an.as_str(),
            ] {
                assert!(!text.contains(code), "{text:?} shows {code:?}");
            }
        }
    }
    let said = |code: &str, lang| change_text(code, &h, lang);
    let checklist = format!("checklist.set {an} vneid_installed in_progress");
    assert_eq!(
        said(&checklist, Lang::Vi),
        "Nguyễn Văn An: Đã cài VNeID — đang làm"
            .replace("đang làm", ChecklistStatus::InProgress.label_vi())
    );
    assert_eq!(said("household.set street", Lang::En), "Changed street");
    assert_eq!(
        said("visit.add not_home", Lang::Vi),
        format!("Ghi lần thăm: {}", VisitOutcome::NotHome.label_vi())
    );
    // The commune's view of a person who withdrew consent: no name.
    let seen = for_commune(&h);
    assert_eq!(
        change_text(&format!("consent.withdrawn {an}"), &seen, Lang::En),
        "a member withdrew consent"
    );
    // Something new is shown as it is rather than hidden.
    assert_eq!(said("archive.move x", Lang::Vi), "archive.move x");
}
