//! The household card and take-home sheet (issue 14): QR from the card payload, no ID number.

mod common;

use common::*;
use gocua_core::digital_address::card_payload;
use gocua_core::model::*;
use gocua_core::screens::Lang;
use gocua_core::screens::card::HouseholdCardModel;

#[test]
fn the_card_carries_the_payload_qr_and_no_id_number_or_phone() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let mut input = household_input("thon-dong");
    input.gps = Some(GpsFix {
        lat: 21.028511,
        lon: 105.804817,
        accuracy_m: 5.0,
        fixed_at: at(0),
        source: GpsSource::Fix,
    });
    let hid = reg.create_household(input).unwrap().value;
    let mut an = member_input("Nguyễn Văn An", Relation::Head);
    an.id_number = Some("001080012345".into());
    an.phone = Some("0912345678".into());
    let mid = reg.add_member_consented(&hid, an).unwrap().value;
    reg.set_checklist(
        &hid,
        &mid,
        ChecklistItem::Smartphone,
        ChecklistStatus::Done,
        None,
        None,
    )
    .unwrap();

    let card = HouseholdCardModel::new(hid.clone(), Lang::Vi)
        .view(&reg)
        .unwrap();
    let h = reg.household(&hid).unwrap();
    let plus = h.digital_address.plus_code.clone();
    assert!(plus.is_some());
    assert_eq!(card.qr.payload, card_payload(&hid, plus.as_deref()));
    let side = 17 + 4 * card.qr.version as usize;
    assert_eq!(card.qr.modules.len(), side);
    assert!(card.qr.modules.iter().all(|row| row.len() == side));
    assert!(card.qr.svg.starts_with("<?xml") && card.qr.svg.contains("<svg"));

    let everything = serde_json::to_string(&card).unwrap();
    for secret in ["001080012345", "012345", "0912345678", "2345"] {
        assert!(!everything.contains(secret), "the card holds {secret}");
    }
    assert!(card.text.contains("Nguyễn Văn An — Đã xong 1/18 mục"));
    assert!(card.text.contains("Thôn Đông"));
    assert!(card.text.contains(&format!("Plus Code: {}", plus.unwrap())));
    assert_eq!(card.members[0].next_steps[0], "SIM chính chủ");
    assert!(!card.general_cautions.is_empty());
}
