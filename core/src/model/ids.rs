//! Opaque identifiers, random so that two phones creating records offline never collide.
//! Household and device ids are 128-bit (UUID v4, simple form): they are unique across a province.
//! Member, visit and consent ids only need to be unique within their household, so they are 64-bit
//! (16 hex digits): each one is repeated in the document's keys and history, and in a new
//! household's first sync half of an id's bytes are incompressible.

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    };
}

string_id!(
    /// A household, and the id of its document.
    HouseholdId
);
string_id!(
    /// A member, unique within its household (random, so unique everywhere in practice).
    MemberId
);
string_id!(
    /// A visit or consent event.
    RecordId
);
string_id!(
    /// A volunteer, as enrolled by the commune coordinator.
    VolunteerId
);
string_id!(
    /// A phone (or the field client) that writes to documents.
    DeviceId
);

fn random_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// 64 random bits: two members added to one household offline collide with a chance of about
/// 2^-64 (and across a million households of four, about 2^-21 that any two ids in the province
/// are equal, which nothing relies on).
fn random_short_id() -> String {
    format!("{:016x}", uuid::Uuid::new_v4().as_u64_pair().0)
}

impl HouseholdId {
    pub fn random() -> Self {
        Self(random_id())
    }
}

impl MemberId {
    pub fn random() -> Self {
        Self(random_short_id())
    }
}

impl RecordId {
    pub fn random() -> Self {
        Self(random_short_id())
    }
}

impl DeviceId {
    pub fn random() -> Self {
        Self(random_id())
    }
}

/// Whether `s` has the shape of an id this crate generates or accepts (1 to 64 of `[0-9a-zA-Z_-]`).
/// Ids travel in URLs and file names, so anything else is rejected at the edges.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_and_record_ids_are_16_hex_digits_and_households_32() {
        for id in [MemberId::random().0, RecordId::random().0] {
            assert_eq!(id.len(), 16, "{id}");
            assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
            assert!(is_valid_id(&id));
        }
        assert_eq!(HouseholdId::random().0.len(), 32);
        let many: std::collections::BTreeSet<_> = (0..1000).map(|_| MemberId::random()).collect();
        assert_eq!(many.len(), 1000);
    }
}
