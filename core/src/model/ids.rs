//! Opaque identifiers. Household and member ids are random (UUID v4, simple form) so that two
//! phones creating records offline never collide.

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

impl HouseholdId {
    pub fn random() -> Self {
        Self(random_id())
    }
}

impl MemberId {
    pub fn random() -> Self {
        Self(random_id())
    }
}

impl RecordId {
    pub fn random() -> Self {
        Self(random_id())
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
