//! The members screen: dates as typed, warnings accepted once, personal data held for consent.

mod common;

use common::*;
use gocua_core::model::*;
use gocua_core::screens::members::{MembersEvent, MembersModel, MembersView};
use gocua_core::screens::{FieldKind, Lang};

fn set(
    m: &mut MembersModel,
    reg: &mut gocua_core::Register,
    key: &str,
    value: &str,
) -> MembersView {
    m.handle(
        reg,
        MembersEvent::Set {
            key: key.into(),
            value: value.into(),
        },
    )
}

#[test]
fn a_date_typed_with_dashes_saves_and_personal_data_waits_for_consent() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mut m = MembersModel::new(Lang::En, hid.clone());
    m.handle(&mut reg, MembersEvent::NewMember);
    set(&mut m, &mut reg, "full_name", "Trần Thị Bình");
    set(&mut m, &mut reg, "relation", "chu_ho");
    let view = set(&mut m, &mut reg, "gender", "female");
    // The picked fields carry their own choices, the draft's selected; typed ones carry none.
    let kinds: Vec<_> = view
        .fields
        .iter()
        .map(|f| (f.key.as_str(), f.kind))
        .collect();
    let picked = |key: &str| {
        let f = view.fields.iter().find(|f| f.key == key).unwrap();
        let selected: Vec<_> = f.options.iter().filter(|o| o.selected).collect();
        (f.options.len(), selected.first().map(|o| o.code.clone()))
    };
    assert!(kinds.contains(&("full_name", FieldKind::Text)), "{kinds:?}");
    assert!(kinds.contains(&("gender", FieldKind::Choice)), "{kinds:?}");
    assert!(
        kinds.contains(&("relation", FieldKind::Choice)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("residence", FieldKind::Choice)),
        "{kinds:?}"
    );
    assert_eq!(picked("gender"), (2, Some("female".to_owned())));
    assert_eq!(picked("relation").1.as_deref(), Some("chu_ho"));
    assert_eq!(picked("residence"), (2, None));
    assert!(
        view.fields
            .iter()
            .filter(|f| f.kind == FieldKind::Text)
            .all(|f| f.options.is_empty())
    );
    // Threw an uncaught GocuaException.InvalidInput on Android.
    set(&mut m, &mut reg, "birth", "5-3-1950");
    set(&mut m, &mut reg, "phone", "0912345678");
    let view = m.handle(&mut reg, MembersEvent::Save);
    assert!(view.fields.is_empty(), "{:?}", view.fields);
    let member = view.consent_next.clone().expect("consent is next");
    let stored = &reg.household(&hid).unwrap().members[&member];
    assert_eq!(stored.full_name, "Trần Thị Bình");
    assert_eq!((stored.birth, stored.phone.as_deref()), (None, None));
    let pending = m.take_pending().unwrap();
    assert_eq!(
        pending.birth.map(|b| b.to_code()).as_deref(),
        Some("1950-03-05")
    );
    assert_eq!(view.rows.len(), 1);
    assert_eq!(view.rows[0].consent, "No consent");
    // Nothing personal stored without consent: no empty line for the ID number or phone.
    assert_eq!(
        view.rows[0].details,
        [view.rows[0].relation.clone(), "No consent".to_owned()]
    );
}

#[test]
fn a_bad_date_is_a_field_message_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mut m = MembersModel::new(Lang::Vi, hid.clone());
    m.handle(&mut reg, MembersEvent::NewMember);
    set(&mut m, &mut reg, "full_name", "Lê Văn Cường");
    set(&mut m, &mut reg, "relation", "chu_ho");
    set(&mut m, &mut reg, "birth", "31/2/1950");
    let view = m.handle(&mut reg, MembersEvent::Save);
    let birth = view.fields.iter().find(|f| f.key == "birth").unwrap();
    assert_eq!(birth.messages.len(), 1);
    assert!(birth.messages[0].text.contains("Ngày sinh"));
    assert!(reg.household(&hid).unwrap().members.is_empty());
}

#[test]
fn an_id_number_warning_is_shown_once_then_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mut m = MembersModel::new(Lang::En, hid.clone());
    m.handle(&mut reg, MembersEvent::NewMember);
    set(&mut m, &mut reg, "full_name", "Phạm Văn Dũng");
    set(&mut m, &mut reg, "relation", "chu_ho");
    set(&mut m, &mut reg, "gender", "male");
    set(&mut m, &mut reg, "birth", "1980");
    // Century digit 2 says born in the 2000s: a warning, not an error.
    set(&mut m, &mut reg, "id_number", "001280001234");
    let view = m.handle(&mut reg, MembersEvent::Save);
    let id = view.fields.iter().find(|f| f.key == "id_number").unwrap();
    assert!(!id.messages.is_empty());
    let accept = view
        .actions
        .iter()
        .find(|a| a.id == "accept_warnings")
        .unwrap();
    assert!(accept.enabled);
    let view = m.handle(&mut reg, MembersEvent::AcceptWarnings);
    assert!(view.consent_next.is_some(), "{:?}", view.notices);
    assert_eq!(reg.household(&hid).unwrap().members.len(), 1);
}

#[test]
fn edit_and_remove_a_member() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mut input = member_input("Võ Văn Em", Relation::Head);
    input.birth = None;
    let mid = reg.add_member(&hid, input).unwrap().value;
    let mut m = MembersModel::new(Lang::En, hid.clone());
    let view = m.handle(&mut reg, MembersEvent::EditMember(mid.clone()));
    assert_eq!(view.fields[0].value, "Võ Văn Em");
    set(&mut m, &mut reg, "full_name", "Võ Văn Êm");
    m.handle(&mut reg, MembersEvent::Save);
    assert_eq!(
        reg.household(&hid).unwrap().members[&mid].full_name,
        "Võ Văn Êm"
    );
    let view = m.handle(&mut reg, MembersEvent::Remove(mid.clone()));
    assert!(view.rows.is_empty());
}

#[test]
fn a_second_head_is_told_before_saving_and_listed_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    reg.add_member(
        &hid,
        gocua_core::input::MemberInput {
            birth: None,
            ..member_input("Lò Văn Páo", Relation::Head)
        },
    )
    .unwrap();
    let mut m = MembersModel::new(Lang::Vi, hid.clone());
    m.handle(&mut reg, MembersEvent::NewMember);
    set(&mut m, &mut reg, "full_name", "Lò Thị Xuân");
    set(&mut m, &mut reg, "relation", "chu_ho");
    let first = m.handle(&mut reg, MembersEvent::Save);
    assert!(
        first
            .fields
            .iter()
            .flat_map(|f| &f.messages)
            .any(|n| n.code == "several_heads"),
        "told at the relation field: {:?}",
        first.fields
    );
    assert_eq!(
        reg.household(&hid).unwrap().members.len(),
        1,
        "not saved yet"
    );
    let saved = m.handle(&mut reg, MembersEvent::AcceptWarnings);
    assert_eq!(reg.household(&hid).unwrap().members.len(), 2);
    assert_eq!(saved.checks.len(), 1, "{:?}", saved.checks);
    assert!(
        saved.checks[0]
            .text
            .ends_with("Hộ có nhiều hơn một chủ hộ. Mỗi hộ chỉ có một chủ hộ."),
        "{:?}",
        saved.checks
    );
}
