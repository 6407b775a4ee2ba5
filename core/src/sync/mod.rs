//! Device-side sync with the commune hub (see docs/sync-protocol.md).
//!
//! A sync is: round trip 1, `POST /v1/sync` with the changes of the documents edited since the
//! last sync (only the changes after the heads shared with the hub) and the cursor up to which
//! this device stored the hub's changes; the answer holds the hub's verdict per document and the
//! changes of the device's area it lacks. Round trip 2, `POST /v1/sync/finish`, once everything
//! is stored locally. A sync with nothing to do is one round trip. Batches that do not fit add
//! round trips; the number does not grow with the number of documents otherwise.
//!
//! For a field client (`gocua enrol`, `gocua sync`):
//! ```no_run
//! # fn main() -> Result<(), gocua_core::sync::SyncError> {
//! use gocua_core::sync::{self, TlsOptions, SyncOptions};
//! let mut register = gocua_core::Register::open(std::path::Path::new("register.db"))?;
//! sync::enrol(&mut register, "https://hub.example:8443", "ABCD-EFGH-JK", &TlsOptions::default())?;
//! let report = sync::sync(&mut register, &SyncOptions::default())?;
//! println!("{:?}: {} sent, {} received", report.outcome, report.pushed, report.pulled);
//! # Ok(()) }
//! ```

mod area;
mod bundle;
pub mod bundle_wire;
mod cancel;
mod carry;
mod client;
mod error;
mod handover;
pub mod merge;
pub mod offer;
mod plan;
mod reconcile;
mod resume;
mod shared;
mod state;
mod transport;
pub mod wire;

use std::time::Duration;

pub use bundle::{BundleApplied, SealedBundle, SealedInfo};
pub use bundle_wire::PeerKeys;
pub use cancel::CancelToken;
pub use carry::{CarriedInfo, Deliveries, Received, bundle_file_name};
pub use client::{
    Enrolment, NoProgress, Phase, Progress, SyncOptions, SyncReport, SyncStatus, sync_shared,
};
pub use error::SyncError;
pub use shared::SharedRegister;
pub use state::{Peer, Rejected};
pub use transport::{Handler, HttpTransport, InProcess, Response, TlsOptions, Transport};
pub use wire::SessionOutcome;

use crate::register::Register;

/// Time allowed for one request on a slow link.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// Enrols this register with a hub over HTTP(S), using a pairing code from the coordinator.
/// `tls.pin_sha256` is remembered and used for every later sync.
pub fn enrol(
    register: &mut Register,
    hub_url: &str,
    code: &str,
    tls: &TlsOptions,
) -> Result<Enrolment, SyncError> {
    let transport = HttpTransport::new(hub_url, tls, DEFAULT_TIMEOUT)?;
    register.sync_enrol(hub_url, &transport, code, tls.pin_sha256.clone())
}

/// Syncs this register with the hub it is enrolled with, over HTTP(S).
pub fn sync(register: &mut Register, options: &SyncOptions<'_>) -> Result<SyncReport, SyncError> {
    let transport = http_transport(register)?;
    register.sync_with(&transport, options)
}

/// Syncs a register shared between threads with the hub it is enrolled with, over HTTP(S): the
/// register is held to plan each request and to apply each answer, never while the request is
/// on the network, so screens read and edit it meanwhile.
pub fn sync_mutex(
    register: &std::sync::Mutex<Register>,
    options: &SyncOptions<'_>,
) -> Result<SyncReport, SyncError> {
    let transport = register.with_register(|r| http_transport(r))?;
    sync_shared(register, &transport, options)
}

/// An HTTP(S) transport to the hub `register` is enrolled with, with its remembered pin.
/// Asks the hub for its keys and the area's phones now, over HTTP (see
/// [`Register::bundle_refresh_peers`]).
pub fn refresh_peers(register: &mut Register) -> Result<usize, SyncError> {
    let transport = http_transport(register)?;
    register.bundle_refresh_peers(&transport)
}

fn http_transport(register: &Register) -> Result<HttpTransport, SyncError> {
    let peer = register.sync_peer()?.ok_or(SyncError::NotEnrolled)?;
    let tls = TlsOptions {
        pin_sha256: peer.pin_sha256.clone(),
        extra_root_pem: None,
    };
    HttpTransport::new(&peer.url, &tls, DEFAULT_TIMEOUT)
}

/// The sync status of this register; `None` when it is not enrolled.
pub fn status(register: &Register) -> Result<Option<SyncStatus>, SyncError> {
    register.sync_status()
}
