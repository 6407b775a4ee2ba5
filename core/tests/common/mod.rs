//! Fixtures shared by the core's integration tests.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::*;
use gocua_core::{ChangeContext, FixedClock, Register};

pub const PROVINCE: &str = "01";
pub const COMMUNE: &str = "00004";

pub fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_790_000_000 + secs, 0).unwrap()
}

pub fn ctx(device: &str, secs: i64) -> ChangeContext {
    ChangeContext {
        volunteer: VolunteerId(format!("vol-{device}")),
        device: DeviceId(device.into()),
        at: at(secs),
    }
}

pub fn household_input(hamlet: &str) -> HouseholdInput {
    HouseholdInput {
        area: Area {
            province_code: PROVINCE.into(),
            commune_code: COMMUNE.into(),
            hamlet_id: hamlet.into(),
        },
        address: Address {
            street: Some("Đội Cấn".into()),
            alley: Some("Ngõ 5".into()),
            house_number: Some("12".into()),
        },
        gps: None,
        official: None,
        notes: None,
    }
}

pub fn member_input(name: &str, relation: Relation) -> MemberInput {
    MemberInput {
        full_name: name.into(),
        birth: Some(BirthDate::Year(1980)),
        gender: Some(Gender::Male),
        relation,
        id_number: None,
        phone: None,
        residence: ResidenceType::Permanent,
    }
}

/// A register in a temporary directory with one hamlet, writing at a fixed time.
pub fn register(dir: &tempfile::TempDir, name: &str) -> Register {
    let mut r = Register::create(&dir.path().join(name), VolunteerId("vol-1".into()), COMMUNE)
        .unwrap()
        .with_clock(FixedClock(at(0)));
    r.add_hamlet(COMMUNE, "Thôn Đông").unwrap();
    r
}

/// A consent for every purpose, as recorded at the door before the personal fields are stored.
pub fn full_consent() -> gocua_core::consent_rule::ConsentGiven {
    gocua_core::consent_rule::ConsentGiven {
        purposes: ConsentPurposes {
            local_register: true,
            setup_help: true,
            share_with_commune: true,
        },
        notice_version: "2026-01".into(),
        method: ConsentMethod::WitnessedVerbal,
        guardian: None,
    }
}

/// Adds a member with their consent first (the register refuses personal data without it).
pub trait AddConsented {
    fn add_member_consented(
        &mut self,
        household: &HouseholdId,
        input: MemberInput,
    ) -> gocua_core::Result<gocua_core::Saved<MemberId>>;
}

impl AddConsented for Register {
    fn add_member_consented(
        &mut self,
        household: &HouseholdId,
        input: MemberInput,
    ) -> gocua_core::Result<gocua_core::Saved<MemberId>> {
        self.add_member_with_consent(household, input, &full_consent())
    }
}
