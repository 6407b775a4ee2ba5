//! The conflict review screen model (issue 14): labels, masked phones, resolving.

mod common;

use common::*;
use gocua_core::model::*;
use gocua_core::screens::Lang;
use gocua_core::screens::conflicts::{ConflictsEvent, ConflictsModel};
use gocua_core::{MemberField, Register};

#[test]
fn a_phone_conflict_shows_masked_values_and_is_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = register(&dir, "a.db");
    let hid = a
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mid = a
        .add_member_consented(&hid, member_input("Nguyễn Văn An", Relation::Head))
        .unwrap()
        .value;
    let mut b = Register::create(
        &dir.path().join("b.db"),
        VolunteerId("vol-2".into()),
        COMMUNE,
    )
    .unwrap()
    .with_clock(gocua_core::FixedClock(at(60)));
    b.merge_document(&a.export_document(&hid).unwrap()).unwrap();
    a.set_member_field(&hid, &mid, MemberField::Phone(Some("0912345678".into())))
        .unwrap();
    b.set_member_field(&hid, &mid, MemberField::Phone(Some("0987654321".into())))
        .unwrap();
    b.merge_document(&a.export_document(&hid).unwrap()).unwrap();

    let mut m = ConflictsModel::new(hid.clone(), Lang::Vi);
    let v = m.view(&b).unwrap();
    assert_eq!(v.conflicts.len(), 1);
    let c = &v.conflicts[0];
    assert_eq!(c.label, "Số điện thoại");
    assert_eq!(c.member_name.as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(c.heading, "Số điện thoại · Nguyễn Văn An");
    let mut texts: Vec<&str> = c.values.iter().map(|v| v.text.as_str()).collect();
    texts.sort();
    assert_eq!(texts, ["•••••••321", "•••••••678"]);
    let whole = serde_json::to_string(&v).unwrap();
    assert!(!whole.contains("0912345678") && !whole.contains("0987654321"));
    assert!(c.values.iter().all(|v| v.who.starts_with("vol-")));

    let kept = b.conflicts(&hid).unwrap()[0].values[1].value.clone();
    let v = m
        .handle(
            &mut b,
            ConflictsEvent::Keep {
                conflict: 0,
                value: 1,
            },
        )
        .unwrap();
    assert!(v.conflicts.is_empty());
    assert_eq!(v.notices[0].code, "resolved");
    assert_eq!(b.household(&hid).unwrap().members[&mid].phone, Some(kept));

    let v = m
        .handle(
            &mut b,
            ConflictsEvent::Keep {
                conflict: 0,
                value: 0,
            },
        )
        .unwrap();
    assert_eq!(v.notices[0].code, "stale");
}
