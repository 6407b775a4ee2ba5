//! The domain model: plain Rust types, serde-serialisable, with no storage or CRDT concerns.
//!
//! Every enum has a stable machine code (`code()` / `from_code()`): the codes are what the
//! documents, the query tables and the wire carry, so renaming a Rust variant never changes data.

mod area;
mod checklist;
mod consent;
mod household;
mod ids;
mod labels;
mod member;
mod typed;
mod visit;

pub use area::{Address, Area, DigitalAddress, GpsFix, GpsSource, OfficialCode};
pub use checklist::{ChecklistEntry, ChecklistItem, ChecklistStatus, SmartphoneAccess};
pub use consent::{ConsentAction, ConsentEvent, ConsentMethod, ConsentPurposes};
pub use household::{Household, Lifecycle};
pub use ids::{DeviceId, HouseholdId, MemberId, RecordId, VolunteerId, is_valid_id};
pub use member::{BirthDate, Gender, Member, Relation, ResidenceType};
pub use typed::Typed;
pub use visit::{Visit, VisitOutcome};

/// Declares a fieldless enum with a stable snake_case code per variant.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in documents and sent on the wire.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses a stable code; `None` for an unknown one.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use coded_enum;
