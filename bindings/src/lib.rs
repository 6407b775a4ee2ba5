//! gocua-ffi: the core for the phones. UniFFI wrappers over `gocua-core`, and nothing else: no
//! domain rule is written here. Kotlin (`vn.gocua.core`) and Swift (`GocuaCore`) bindings are
//! generated from the built library by `scripts/bindings.sh`.
//!
//! - [`GocuaRegister`]: the encrypted register (households, members, checklist, consent, visits,
//!   conflicts, household card) and its sync with the commune hub.
//! - Free functions: the administrative-unit catalog, labels, guided onboarding, Plus Codes.
//! - [`PlatformKeyStore`], [`SyncProgress`]: services the shell implements.
//! - [`GocuaError`]: the one error, a kind to act on and a message safe to show.

uniffi::setup_scaffolding!();

mod catalog;
mod error;
mod keystore;
mod register;
mod screens;
mod sync;
mod types;

pub use catalog::*;
pub use error::GocuaError;
pub use keystore::PlatformKeyStore;
pub use register::GocuaRegister;
pub use screens::*;
pub use sync::*;
pub use types::*;
