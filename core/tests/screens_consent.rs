//! Consent before personal data: purposes unticked, decline stores nothing, a guardian for a
//! minor, the rule enforced by the register itself.

mod common;

use common::*;
use gocua_core::consent_rule::ConsentGiven;
use gocua_core::model::*;
use gocua_core::screens::Lang;
use gocua_core::screens::consent::{ConsentModel, ConsentStepEvent};
use gocua_core::screens::members::{MembersEvent, MembersModel, PendingPersonal};
use gocua_core::{MemberField, Register};

const ID_NUMBER: &str = "001080001234";
const PHONE: &str = "0912345678";

/// A member typed on the members screen, with their pending personal data.
fn typed_member(
    reg: &mut Register,
    hid: &HouseholdId,
    name: &str,
    birth: &str,
    relation: &str,
) -> PendingPersonal {
    let mut m = MembersModel::new(Lang::En, hid.clone());
    m.handle(reg, MembersEvent::NewMember);
    for (k, v) in [
        ("full_name", name),
        ("relation", relation),
        ("gender", "male"),
        ("birth", birth),
        ("id_number", ID_NUMBER),
        ("phone", PHONE),
    ] {
        m.handle(
            reg,
            MembersEvent::Set {
                key: k.into(),
                value: v.into(),
            },
        );
    }
    let view = m.handle(reg, MembersEvent::Save);
    if view.fields.iter().any(|f| !f.messages.is_empty()) {
        m.handle(reg, MembersEvent::AcceptWarnings);
    }
    m.take_pending().expect("personal data waits for consent")
}

#[test]
fn purposes_start_unticked_and_the_notice_comes_from_the_core() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let p = typed_member(&mut reg, &hid, "Nguyễn Văn An", "1980", "chu_ho");
    let model = ConsentModel::new(Lang::Vi, hid, p.member.clone(), Some(p));
    let view = model.view(&reg);
    assert!(view.purposes.iter().all(|o| !o.selected));
    assert_eq!(
        view.notice_version,
        gocua_core::catalog::consent_notice::VERSION
    );
    assert!(view.notice_text.contains("rút lại"));
    assert!(
        !view
            .actions
            .iter()
            .find(|a| a.id == "give")
            .unwrap()
            .enabled
    );
}

#[test]
fn declining_leaves_nothing_personal_in_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let p = typed_member(&mut reg, &hid, "Nguyễn Văn An", "15/03/1980", "chu_ho");
    let mid = p.member.clone();
    let mut model = ConsentModel::new(Lang::En, hid.clone(), mid.clone(), Some(p));
    model.handle(
        &mut reg,
        ConsentStepEvent::TogglePurpose("local_register".into()),
    );
    let view = model.handle(&mut reg, ConsentStepEvent::Decline);
    assert!(view.finished);
    let h = reg.household(&hid).unwrap();
    let m = &h.members[&mid];
    assert_eq!(
        (m.birth, m.id_number.as_deref(), m.phone.as_deref()),
        (None, None, None)
    );
    assert!(h.consents.is_empty());
    // Neither the document (with its history) nor the query tables hold it.
    let doc = reg.export_document(&hid).unwrap();
    // The birth as stored: its dashes cannot occur in the random hex ids.
    for secret in [ID_NUMBER, PHONE, "1980-03-15"] {
        assert!(
            !doc.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} in the document"
        );
    }
    assert!(reg.search(PHONE, 10).unwrap().is_empty());
    assert!(reg.search(ID_NUMBER, 10).unwrap().is_empty());
    assert_eq!(reg.search("nguyen van an", 10).unwrap().len(), 1);
}

#[test]
fn consent_for_the_register_stores_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let p = typed_member(&mut reg, &hid, "Nguyễn Văn An", "1980", "chu_ho");
    let mid = p.member.clone();
    let mut model = ConsentModel::new(Lang::En, hid.clone(), mid.clone(), Some(p));
    model.handle(
        &mut reg,
        ConsentStepEvent::TogglePurpose("local_register".into()),
    );
    // A signature is on paper: chosen only once the paper form is confirmed kept.
    let view = model.handle(&mut reg, ConsentStepEvent::ChooseMethod("signature".into()));
    assert!(view.paper_form_question.is_some());
    assert!(
        !view
            .actions
            .iter()
            .find(|a| a.id == "give")
            .unwrap()
            .enabled
    );
    model.handle(&mut reg, ConsentStepEvent::PaperFormKept(true));
    let view = model.handle(&mut reg, ConsentStepEvent::Give);
    assert!(view.finished, "{:?}", view.notices);
    let h = reg.household(&hid).unwrap();
    let m = &h.members[&mid];
    assert_eq!(m.id_number.as_deref(), Some(ID_NUMBER));
    assert_eq!(m.phone.as_deref(), Some(PHONE));
    assert_eq!(h.consents[0].method, ConsentMethod::SignatureOnScreen);
    assert_eq!(
        h.consents[0].notice_version,
        gocua_core::catalog::consent_notice::VERSION
    );
}

#[test]
fn a_minor_consents_through_a_guardian_chosen_among_the_adults() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mut parent = member_input("Nguyễn Văn An", Relation::Head);
    parent.birth = None;
    let parent = reg.add_member(&hid, parent).unwrap().value;
    let mut child = MembersModel::new(Lang::En, hid.clone());
    child.handle(&mut reg, MembersEvent::NewMember);
    for (k, v) in [
        ("full_name", "Nguyễn Văn Bé"),
        ("relation", "con_de"),
        ("birth", "2015"),
    ] {
        child.handle(
            &mut reg,
            MembersEvent::Set {
                key: k.into(),
                value: v.into(),
            },
        );
    }
    child.handle(&mut reg, MembersEvent::Save);
    let p = child.take_pending().unwrap();
    let kid = p.member.clone();
    let mut model = ConsentModel::new(Lang::En, hid.clone(), kid.clone(), Some(p));
    model.handle(
        &mut reg,
        ConsentStepEvent::TogglePurpose("local_register".into()),
    );
    let view = model.handle(
        &mut reg,
        ConsentStepEvent::ChooseMethod("witnessed_verbal".into()),
    );
    assert!(view.guardian_needed);
    assert_eq!(view.guardian_options.len(), 1);
    assert_eq!(view.guardian_options[0].code, parent.as_str());
    assert!(
        !view
            .actions
            .iter()
            .find(|a| a.id == "give")
            .unwrap()
            .enabled
    );
    model.handle(&mut reg, ConsentStepEvent::ChooseGuardian(parent.clone()));
    let view = model.handle(&mut reg, ConsentStepEvent::Give);
    assert!(view.finished, "{:?}", view.notices);
    let h = reg.household(&hid).unwrap();
    assert_eq!(h.consents[0].guardian.as_ref(), Some(&parent));
    assert_eq!(h.members[&kid].birth, Some(BirthDate::Year(2015)));
}

#[test]
fn the_register_refuses_personal_data_without_consent() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mut input = member_input("Nguyễn Văn An", Relation::Head);
    input.phone = Some(PHONE.into());
    let err = reg.add_member(&hid, input.clone()).unwrap_err().to_string();
    assert!(err.contains("consent") && err.contains("đồng ý"), "{err}");
    assert!(!err.contains(PHONE));
    input.phone = None;
    input.birth = None;
    let mid = reg.add_member(&hid, input).unwrap().value;
    assert!(
        reg.set_member_field(&hid, &mid, MemberField::Phone(Some(PHONE.into())))
            .is_err()
    );
    let checklist = reg.set_checklist(
        &hid,
        &mid,
        ChecklistItem::VneidInstalled,
        ChecklistStatus::Done,
        None,
        None,
    );
    assert!(checklist.is_err());
    // A consent for set-up help alone allows the checklist and still not the phone.
    let consent = ConsentGiven {
        purposes: ConsentPurposes {
            setup_help: true,
            ..Default::default()
        },
        notice_version: "2026-01".into(),
        method: ConsentMethod::WitnessedVerbal,
        guardian: None,
    };
    reg.record_consent_before_birth(&hid, &mid, &consent, None)
        .unwrap();
    reg.set_checklist(
        &hid,
        &mid,
        ChecklistItem::VneidInstalled,
        ChecklistStatus::Done,
        None,
        None,
    )
    .unwrap();
    assert!(
        reg.set_member_field(&hid, &mid, MemberField::Phone(Some(PHONE.into())))
            .is_err()
    );
}

#[test]
fn consent_without_the_register_purpose_keeps_nothing_personal() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let p = typed_member(&mut reg, &hid, "Nguyễn Văn An", "1980", "chu_ho");
    let mid = p.member.clone();
    let mut model = ConsentModel::new(Lang::En, hid.clone(), mid.clone(), Some(p));
    model.handle(
        &mut reg,
        ConsentStepEvent::TogglePurpose("setup_help".into()),
    );
    model.handle(
        &mut reg,
        ConsentStepEvent::ChooseMethod("witnessed_verbal".into()),
    );
    let view = model.handle(&mut reg, ConsentStepEvent::Give);
    assert!(view.notices.iter().any(|n| n.code == "personal_not_kept"));
    let h = reg.household(&hid).unwrap();
    let m = &h.members[&mid];
    assert_eq!(
        (m.birth, m.id_number.as_deref(), m.phone.as_deref()),
        (None, None, None)
    );
    // The checklist is what this consent allows.
    reg.set_checklist(
        &hid,
        &mid,
        ChecklistItem::Smartphone,
        ChecklistStatus::Done,
        None,
        Some(SmartphoneAccess::Own),
    )
    .unwrap();
}
