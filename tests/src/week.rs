//! The work of "a week offline" (issue 3), shared by the benchmarks that measure it: new
//! households of four members as a volunteer registers them, and the field edits of a visit,
//! each with the smallest JSON that carries it (the floor the sync's bytes are compared with).

use chrono::{NaiveDate, TimeZone, Utc};
use gocua_core::input::HouseholdInput;
use gocua_core::model::*;
use gocua_core::{HouseholdField, MemberField, Register};
use rand::Rng;
use rand::rngs::StdRng;
use serde_json::{Value, json};

use crate::people::{member, phone};
use crate::{COMMUNE, PROVINCE};

pub const HAMLETS: [&str; 2] = ["thon-dong", "thon-tay"];

const STREETS: [&str; 4] = [
    "Đường Liễu Giai",
    "Phố Đội Cấn",
    "Đường Láng",
    "Ngõ Văn Chương",
];

pub fn household_input(rng: &mut StdRng, n: usize) -> HouseholdInput {
    HouseholdInput {
        area: Area {
            province_code: PROVINCE.into(),
            commune_code: COMMUNE.into(),
            hamlet_id: HAMLETS[n % 2].into(),
        },
        address: Address {
            street: Some(STREETS[n % 4].into()),
            alley: Some(format!("Ngõ {}", n % 40 + 1)),
            house_number: Some((n % 200 + 1).to_string()),
        },
        gps: Some(GpsFix {
            lat: 21.03 + rng.random_range(0.0..0.01),
            lon: 105.81 + rng.random_range(0.0..0.01),
            accuracy_m: 6.0,
            fixed_at: Utc.timestamp_opt(1_790_000_000, 0).unwrap(),
            source: GpsSource::Fix,
        }),
        official: None,
        notes: None,
    }
}

/// Creates a household of 4 members with two checklist items done; returns the fields it set,
/// as the smallest JSON that carries them (ids included, since later edits refer to them).
pub fn new_household(reg: &mut Register, rng: &mut StdRng, n: usize) -> (HouseholdId, Value) {
    let input = household_input(rng, n);
    let gps = input.gps.clone().unwrap();
    let id = reg
        .create_household(input.clone())
        .expect("household")
        .value;
    let mut members = Vec::new();
    for relation in [
        Relation::Head,
        Relation::Wife,
        Relation::Child,
        Relation::Child,
    ] {
        let m = member(rng, relation);
        let mid = reg
            .add_member_with_consent(
                &id,
                m.clone(),
                &gocua_core::consent_rule::ConsentGiven::every_purpose(),
            )
            .expect("member")
            .value;
        let mut checklist = json!({});
        if relation == Relation::Head {
            for item in [ChecklistItem::VneidInstalled, ChecklistItem::VneidLevel1] {
                reg.set_checklist(&id, &mid, item, ChecklistStatus::Done, None, None)
                    .expect("checklist");
            }
            checklist = json!({"vneid_installed": "done", "vneid_level1": "done"});
        }
        let BirthDate::Year(year) = m.birth.unwrap() else {
            unreachable!()
        };
        members.push(json!({
            "id": mid.0, "name": m.full_name, "birth": year, "gender": m.gender,
            "relation": m.relation, "id_number": m.id_number, "phone": m.phone,
            "residence": m.residence, "checklist": checklist,
        }));
    }
    let fields = json!({
        "id": id.0, "hamlet": input.area.hamlet_id, "street": input.address.street,
        "alley": input.address.alley, "house_number": input.address.house_number,
        "lat": gps.lat, "lon": gps.lon, "accuracy": gps.accuracy_m, "members": members,
    });
    (id, fields)
}

/// One field edit of an existing household, as a volunteer makes them on a visit; returns the
/// smallest JSON that carries it.
pub fn edit(reg: &mut Register, rng: &mut StdRng, id: &HouseholdId, day: NaiveDate) -> Value {
    let h = reg.household(id).expect("read");
    let members: Vec<MemberId> = h.current_members().map(|m| m.id.clone()).collect();
    let m = &members[rng.random_range(0..members.len())];
    match rng.random_range(0..10) {
        0..=4 => {
            const ITEMS: [ChecklistItem; 5] = [
                ChecklistItem::VneidInstalled,
                ChecklistItem::VneidLevel1,
                ChecklistItem::VneidLevel2,
                ChecklistItem::QrPayment,
                ChecklistItem::CyberSafety,
            ];
            let item = ITEMS[rng.random_range(0..5)];
            reg.set_checklist(id, m, item, ChecklistStatus::Done, None, None)
                .expect("checklist");
            json!({"h": id.0, "m": m.0, "checklist": item, "v": "done"})
        }
        5..=6 => {
            let p = phone(rng);
            reg.set_member_field(id, m, MemberField::Phone(Some(p.clone())))
                .expect("phone");
            json!({"h": id.0, "m": m.0, "phone": p})
        }
        7..=8 => {
            reg.record_visit(id, day, VisitOutcome::Registered, None, None)
                .expect("visit");
            json!({"h": id.0, "visit": day, "outcome": "registered"})
        }
        _ => {
            let note = "Hẹn quay lại cài VNeID cho con".to_owned();
            reg.set_household_field(id, HouseholdField::Notes(Some(note.clone())))
                .expect("notes");
            json!({"h": id.0, "notes": note})
        }
    }
}
