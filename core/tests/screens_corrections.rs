//! Corrections: household fields, withdrawal of consent, erasure request.

mod common;

use common::*;
use gocua_core::model::*;
use gocua_core::screens::corrections::{CorrectionsEvent as E, CorrectionsModel};
use gocua_core::screens::{FieldKind, Lang};

#[test]
fn a_household_field_is_corrected_and_a_bad_value_is_a_field_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mut c = CorrectionsModel::new(Lang::En, hid.clone());
    let view = c.handle(
        &mut reg,
        E::SetHouseholdField {
            key: "house_number".into(),
            value: "14B".into(),
        },
    );
    assert_eq!(
        view.fields
            .iter()
            .find(|f| f.key == "house_number")
            .unwrap()
            .value,
        "14B"
    );
    let view = c.handle(
        &mut reg,
        E::SetHouseholdField {
            key: "hamlet".into(),
            value: "no-such-hamlet".into(),
        },
    );
    let hamlet = view.fields.iter().find(|f| f.key == "hamlet").unwrap();
    assert_eq!(hamlet.value, "thon-dong");
    assert_eq!(hamlet.messages.len(), 1);
    // The picker offers the commune's hamlets, the household's chosen.
    assert_eq!(hamlet.kind, FieldKind::Choice);
    let chosen: Vec<_> = hamlet
        .options
        .iter()
        .filter(|o| o.selected)
        .map(|o| o.code.as_str())
        .collect();
    assert_eq!(chosen, ["thon-dong"]);
}

#[test]
fn withdrawing_consent_clears_what_it_covered() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mut input = member_input("Nguyễn Văn An", Relation::Head);
    input.phone = Some("0912345678".into());
    let mid = reg.add_member_consented(&hid, input).unwrap().value;
    reg.set_checklist(
        &hid,
        &mid,
        ChecklistItem::VneidInstalled,
        ChecklistStatus::Done,
        None,
        None,
    )
    .unwrap();
    let mut c = CorrectionsModel::new(Lang::En, hid.clone());
    let enabled = |view: &gocua_core::screens::corrections::CorrectionsView, action: &str| {
        view.members[0]
            .actions
            .iter()
            .find(|a| a.id == action)
            .unwrap()
            .enabled
    };
    let view = c.view(&reg);
    assert_eq!(view.members.len(), 1);
    assert_eq!(view.members[0].name, "Nguyễn Văn An");
    assert!(enabled(&view, "withdraw_consent"), "a consent is in force");
    let view = c.handle(&mut reg, E::WithdrawConsent(mid.clone()));
    assert!(view.confirm_question.is_some());
    assert!(
        !enabled(&view, "remove") && !enabled(&view, "withdraw_consent"),
        "nothing else while one action waits"
    );
    assert!(
        reg.household(&hid).unwrap().current_consent(&mid).is_some(),
        "asks first"
    );
    let view = c.handle(&mut reg, E::Confirm);
    assert_eq!(view.notices[0].code, "done", "{:?}", view.notices);
    assert!(
        !enabled(&view, "withdraw_consent"),
        "nothing left to withdraw"
    );
    assert!(enabled(&view, "remove") && enabled(&view, "request_erasure"));
    let h = reg.household(&hid).unwrap();
    let m = &h.members[&mid];
    assert_eq!((m.birth, m.phone.as_deref()), (None, None));
    assert!(
        m.checklist
            .values()
            .all(|e| e.status == ChecklistStatus::NotAsked)
    );
    assert_eq!(h.current_consent(&mid), None);
    assert!(reg.search("0912345678", 5).unwrap().is_empty());
    // Nothing new is stored without a new consent.
    assert!(
        reg.set_checklist(
            &hid,
            &mid,
            ChecklistItem::VneidInstalled,
            ChecklistStatus::Done,
            None,
            None
        )
        .is_err()
    );
}

#[test]
fn an_erasure_request_erases_on_the_phone_and_is_kept_for_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mid = reg
        .add_member_consented(&hid, member_input("Nguyễn Văn An", Relation::Head))
        .unwrap()
        .value;
    let mut c = CorrectionsModel::new(Lang::Vi, hid.clone());
    c.handle(&mut reg, E::RequestErasure(Some(mid.clone())));
    c.handle(&mut reg, E::Confirm);
    assert!(!reg.household(&hid).unwrap().members.contains_key(&mid));
    assert_eq!(reg.pending_erasures().unwrap(), 1);
    c.handle(&mut reg, E::RequestErasure(None));
    let view = c.handle(&mut reg, E::Confirm);
    assert!(view.gone);
}
