//! A field corrected as text outside the phone (the coordinator's dashboard): parsed and checked
//! by the phone's rules, personal fields only of people who share with the commune.

mod common;

use common::*;
use gocua_core::input::MemberInput;
use gocua_core::model::*;
use gocua_core::screens::Lang;
use gocua_core::screens::field_edit::correct_field;
use gocua_core::{Edit, HouseholdField, MemberField};

#[test]
fn text_becomes_a_checked_edit_or_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let id = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let shared = reg
        .add_member_with_consent(
            &id,
            member_input("Nguyễn Văn An", Relation::Head),
            &full_consent(),
        )
        .unwrap()
        .value;
    let unshared = reg
        .add_member(
            &id,
            MemberInput {
                birth: None,
                ..member_input("Lò Thị Mai", Relation::Wife)
            },
        )
        .unwrap()
        .value;
    let h = reg.household(&id).unwrap();
    let today = at(0);

    let fixed = correct_field(&h, None, "house_number", "  12A ", today, Lang::Vi).unwrap();
    assert_eq!(
        fixed.edit,
        Edit::SetHousehold {
            field: HouseholdField::HouseNumber(Some("12A".into()))
        }
    );
    let phone = correct_field(
        &h,
        Some(&shared),
        "phone",
        "+84 912 345 678",
        today,
        Lang::Vi,
    )
    .unwrap();
    assert_eq!(
        phone.edit,
        Edit::SetMember {
            member: shared.clone(),
            field: MemberField::Phone(Some("0912345678".into()))
        }
    );
    // Labels in either language, as for codes.
    let g = correct_field(&h, Some(&shared), "gender", "Nữ", today, Lang::Vi).unwrap();
    assert_eq!(
        g.edit,
        Edit::SetMember {
            member: shared.clone(),
            field: MemberField::Gender(Some(Gender::Female))
        }
    );
    assert!(
        g.warnings
            .iter()
            .any(|w| w.kind == gocua_core::validate::IssueKind::IdNumberGenderMismatch)
            || g.warnings.is_empty(),
        "a warning at most"
    );

    let bad = correct_field(&h, Some(&shared), "phone", "0123", today, Lang::Vi).unwrap_err();
    assert!(bad.iter().all(|i| i.is_error()) && !bad.is_empty());
    assert!(
        !bad[0].message_vi.contains("0123"),
        "the value is not repeated"
    );
    let private = correct_field(
        &h,
        Some(&unshared),
        "full_name",
        "Lò Thị Mải",
        today,
        Lang::Vi,
    )
    .unwrap_err();
    assert!(private[0].message_en.contains("only a phone"));
    // Relation and residence are not personal: a coordinator may fix them for anyone.
    assert!(correct_field(&h, Some(&unshared), "relation", "vo", today, Lang::En).is_ok());
    assert!(correct_field(&h, None, "gps", "1,2", today, Lang::En).is_err());
}
