//! What a caller hands the register to create or edit records, before validation normalises it.

use serde::{Deserialize, Serialize};

use crate::model::{
    Address, Area, BirthDate, Gender, GpsFix, OfficialCode, Relation, ResidenceType,
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
