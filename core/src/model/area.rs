//! Where a household is: its administrative area, postal-style address and digital address.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::coded_enum;

/// The administrative area of a household. Codes follow the two-level system in force since
/// 1 July 2025 (province: 2 digits, commune: 5 digits); the hamlet is an id from the commune's
/// own hamlet list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Area {
    pub province_code: String,
    pub commune_code: String,
    pub hamlet_id: String,
}

/// The street-level address. Every part is optional: rural hamlets often have no street names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Address {
    pub street: Option<String>,
    /// Ngõ / ngách / hẻm / kiệt.
    pub alley: Option<String>,
    pub house_number: Option<String>,
}

impl Address {
    /// One line for lists: house number, alley, street, the parts there are.
    pub fn one_line(&self) -> String {
        [&self.house_number, &self.alley, &self.street]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

coded_enum! {
    /// How a position was obtained.
    pub enum GpsSource {
        Fix => "gps_fix",
        MapPin => "map_pin",
    }
}

/// A WGS84 position with its accuracy and when it was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GpsFix {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub fixed_at: DateTime<Utc>,
    pub source: GpsSource,
}

/// An official digital-address code, kept opaque: both national schemes are still changing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialCode {
    /// `VNPOST_10`, `MPS_12`, ...
    pub scheme: String,
    pub code: String,
}

/// The household's digital address (địa chỉ số).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DigitalAddress {
    pub gps: Option<GpsFix>,
    /// Open Location Code computed offline from `gps`.
    pub plus_code: Option<String>,
    pub official: Option<OfficialCode>,
    /// Version of the administrative-unit dataset the area codes refer to.
    pub dataset_version: String,
}
