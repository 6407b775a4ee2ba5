//! gocua-core: the household register of a community digital technology team, kept offline on a
//! volunteer's phone as one Automerge document per household in SQLite, with query tables beside
//! the documents.
//!
//! Entry point: `Register`. Domain types live in [`model`]; the CRDT layer in `doc` never
//! exposes Automerge types.

pub mod bundle;
pub mod catalog;
pub mod commune_view;
mod consent_register;
pub mod consent_rule;
mod departure;
pub mod digital_address;
mod doc;
mod erasure;
mod error;
pub mod input;
pub mod keystore;
pub mod merge;
pub mod model;
mod register;
pub mod screens;
pub mod sqlcipher;
mod store;
pub mod sync;
pub mod text;
pub mod validate;
pub mod vietnam_time;

pub use doc::{
    ChangeContext, Conflict, ConflictValue, Edit, FieldPath, HistoryEntry, HouseholdDoc,
    HouseholdField, MAX_STRING_CHARS, MemberField, ShapeIssue, ShapeProblem,
};
pub use erasure::{EraseState, ErasureRequest, ErasureStep, RequestState};
pub use error::{Error, Result};
pub use keystore::{KeyStore, KeyStoreError};
pub use register::{Clock, FixedClock, Hamlet, Identity, Register, Saved, SystemClock};
pub use store::{ChecklistCount, HouseholdSummary, SCHEMA_VERSION, SearchHit, SearchMatch};
