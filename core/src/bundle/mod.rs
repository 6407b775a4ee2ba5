//! Sealed bundles: a device's work, or the hub's answer to it, as one encrypted and signed file
//! that anyone can carry where there is no coverage (docs/sync-protocol.md, "Sealed bundles").

mod envelope;
mod error;
mod keys;
mod padding;

pub use envelope::{
    BundleHeader, BundleKind, FORMAT_VERSION, MAX_BUNDLE_BYTES, open, read_header, seal,
};
pub use error::BundleError;
pub use keys::{BundlePublic, BundleSecret};
