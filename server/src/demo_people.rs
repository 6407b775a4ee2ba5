//! What both parts of the demo (`demo`, `demo_campaign`) share: the demo commune and a person
//! as its volunteers type them.

use gocua_core::input::MemberInput;
use gocua_core::model::{BirthDate, Gender, Relation, ResidenceType};

pub const DEMO_COMMUNE: &str = "00004";
pub const DEMO_PROVINCE: &str = "01";

/// A person as the demo's volunteers type them: a birth year, no ID number or phone.
pub fn member(name: &str, year: i32, gender: Gender, relation: Relation) -> MemberInput {
    MemberInput {
        full_name: name.into(),
        birth: Some(BirthDate::Year(year)),
        gender: Some(gender),
        relation,
        id_number: None,
        phone: None,
        residence: ResidenceType::Permanent,
    }
}
