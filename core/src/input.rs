//! What a caller hands the register to create or edit records, before validation normalises it.

use serde::{Deserialize, Serialize};

use crate::model::{
    Address, Area, BirthDate, Gender, GpsFix, Household, Member, OfficialCode, Relation,
    ResidenceType,
};

/// A member as typed by a volunteer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberInput {
    pub full_name: String,
    pub birth: Option<BirthDate>,
    pub gender: Option<Gender>,
    pub relation: Relation,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub residence: ResidenceType,
}

/// A new household as typed by a volunteer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdInput {
    pub area: Area,
    pub address: Address,
    pub gps: Option<GpsFix>,
    pub official: Option<OfficialCode>,
    pub notes: Option<String>,
}

impl From<&Member> for MemberInput {
    /// A stored member as input again: what a correction starts from, and what the validators
    /// check of a stored household.
    fn from(m: &Member) -> Self {
        Self {
            full_name: m.full_name.clone(),
            birth: m.birth,
            gender: m.gender,
            relation: m.relation,
            id_number: m.id_number.clone(),
            phone: m.phone.clone(),
            residence: m.residence,
        }
    }
}

impl From<&Household> for HouseholdInput {
    /// A stored household's own fields as input again (its members aside).
    fn from(h: &Household) -> Self {
        Self {
            area: h.area.clone(),
            address: h.address.clone(),
            gps: h.digital_address.gps.clone(),
            official: h.digital_address.official.clone(),
            notes: h.notes.clone(),
        }
    }
}
