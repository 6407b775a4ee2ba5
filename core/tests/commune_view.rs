//! What the commune may see of a household: a person only with consent in force to share with
//! the commune; everyone is still counted.

mod common;

use common::*;
use gocua_core::commune_view::{for_commune, shared_with_commune};
use gocua_core::model::{ConsentAction, ConsentMethod, Relation};

#[test]
fn a_person_is_shown_only_with_consent_in_force_to_share() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "phone.db");
    let hamlet = reg.hamlets(COMMUNE).unwrap()[0].id.clone();
    let h = reg
        .create_household(household_input(&hamlet))
        .unwrap()
        .value;

    let mut sharing = member_input("Nguyễn Văn An", Relation::Head);
    sharing.phone = Some("0912345678".into());
    let an = reg
        .add_member_with_consent(&h, sharing, &full_consent())
        .unwrap()
        .value;
    let mut no_share = full_consent();
    no_share.purposes.share_with_commune = false;
    let mut private = member_input("Trần Thị Hoa", Relation::Wife);
    private.id_number = Some("001180012345".into());
    let hoa = reg
        .add_member_with_consent(&h, private, &no_share)
        .unwrap()
        .value;
    let mut unasked = member_input("Nguyễn Văn Bình", Relation::Child);
    unasked.birth = None;
    let binh = reg.add_member(&h, unasked).unwrap().value;

    let household = reg.household(&h).unwrap();
    assert!(shared_with_commune(&household, &an));
    assert!(
        !shared_with_commune(&household, &hoa),
        "consent without sharing"
    );
    assert!(!shared_with_commune(&household, &binh), "no consent at all");

    let seen = for_commune(&household);
    assert_eq!(seen.members.len(), 3, "everyone is counted");
    assert_eq!(seen.members[&an].full_name, "Nguyễn Văn An");
    assert_eq!(seen.members[&an].phone.as_deref(), Some("0912345678"));
    for hidden in [&hoa, &binh] {
        let m = &seen.members[hidden];
        assert!(m.full_name.is_empty() && m.birth.is_none());
        assert!(m.id_number.is_none() && m.phone.is_none());
    }

    // A withdrawal hides the person again.
    reg.withdraw_consent(&h, &an, ConsentMethod::WitnessedVerbal)
        .unwrap();
    let household = reg.household(&h).unwrap();
    assert!(!shared_with_commune(&household, &an));
    assert!(for_commune(&household).members[&an].full_name.is_empty());
    assert_eq!(
        household.consents.last().map(|c| c.action),
        Some(ConsentAction::Withdrawn)
    );
}
