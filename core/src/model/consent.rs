//! Consent under Law 91/2025/QH15 and Decree 356/2025/NĐ-CP: per person, per purpose, never
//! inferred; withdrawal is a later event, not an edit of the earlier one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::coded_enum;
use super::ids::{DeviceId, MemberId, RecordId, VolunteerId};

coded_enum! {
    pub enum ConsentAction {
        Given => "given",
        Withdrawn => "withdrawn",
    }
}

coded_enum! {
    pub enum ConsentMethod {
        SignatureOnScreen => "signature",
        WitnessedVerbal => "witnessed_verbal",
        Thumbprint => "thumbprint",
    }
}

/// The purposes a person agrees to, each a separate toggle (never pre-ticked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ConsentPurposes {
    pub local_register: bool,
    pub setup_help: bool,
    pub share_with_commune: bool,
}

/// One consent event: appended, never edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentEvent {
    pub id: RecordId,
    pub member: MemberId,
    pub action: ConsentAction,
    pub purposes: ConsentPurposes,
    /// Version of the notice that was read out or shown.
    pub notice_version: String,
    pub method: ConsentMethod,
    /// Set when a guardian consents for a minor: the guardian's member id.
    pub guardian: Option<MemberId>,
    pub volunteer: VolunteerId,
    pub device: DeviceId,
    pub at: DateTime<Utc>,
}
