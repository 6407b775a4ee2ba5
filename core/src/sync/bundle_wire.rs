//! What travels for sealed bundles (docs/sync-protocol.md, "Sealed bundles"): the exchange of
//! bundle keys over the network, and the content sealed inside a bundle.

use serde::{Deserialize, Serialize};

use super::wire::FinishRequest;

/// Where an enrolled device registers its bundle keys and learns the hub's (JSON both ways).
pub const PATH_KEYS: &str = "/v1/keys";
/// Where a carrier delivers one sealed bundle (the body, as it was sealed); the answer is the
/// hub's sealed answer to the device that sealed it.
pub const PATH_BUNDLE: &str = "/v1/bundle";
/// Content type of a sealed bundle, and the extension of its file.
pub const BUNDLE_CONTENT_TYPE: &str = "application/x-gocua-bundle";
pub const BUNDLE_EXTENSION: &str = "gocua";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeysRequest {
    pub protocol: u16,
    /// The device's public keys, 128 hex digits (`BundlePublic::to_hex`).
    pub device_keys: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeysResponse {
    pub hub_id: String,
    pub hub_keys: String,
    /// The other enrolled phones of the device's area and their public keys: the phones it may
    /// hand a household to without coverage, and whose handovers it may trust. Absent from a
    /// hub of before handovers.
    #[serde(default)]
    pub peers: Vec<PeerKeys>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerKeys {
    pub device_id: String,
    pub volunteer_id: String,
    pub keys: String,
}

/// Sealed inside a handover from one phone to another of its area: one household to work on,
/// and the sender's own bundle to the hub, which the receiver delivers before it pushes the
/// household (the hub must hold the sender's changes before the receiver's push holds them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverContent {
    pub from: String,
    pub to: String,
    pub household: String,
    /// The household's whole document.
    pub document: Vec<u8>,
    /// The sender's sealed bundle to the hub.
    pub hub_bundle: Vec<u8>,
}

/// Sealed inside a device's bundle to the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToHubContent {
    /// The sealing device, again under the seal: a signature stripped and replaced by another
    /// device's does not make the content that device's.
    pub from: String,
    /// A `SyncRequest` as the sync sends it (postcard, zstd), first of its session.
    pub request: Vec<u8>,
    /// The hub's earlier answers this device applied: each ends that answer's session, as
    /// `POST /v1/sync/finish` does.
    pub acks: Vec<FinishRequest>,
}

/// Sealed inside the hub's answer to one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToDeviceContent {
    pub to: String,
    /// The id of the device's bundle this answers.
    pub answers: [u8; 16],
    /// The hub's session of that bundle, acknowledged by the device once applied.
    pub session: u64,
    /// A `SyncResponse` as the sync sends it (postcard, zstd).
    pub response: Vec<u8>,
    /// Per pulled document, its erasure epoch when the answer was written: an answer applied
    /// after a later erasure rewrote the household must not bring the old copy back.
    pub pull_epochs: Vec<u32>,
}

/// The postcard bytes of a bundle's content, before sealing.
pub fn encode_content<T: Serialize>(content: &T) -> Result<Vec<u8>, crate::bundle::BundleError> {
    postcard::to_allocvec(content).map_err(|e| crate::bundle::BundleError::Content(e.to_string()))
}

/// A bundle's content, once opened.
pub fn decode_content<T: for<'de> Deserialize<'de>>(
    bytes: &[u8],
) -> Result<T, crate::bundle::BundleError> {
    postcard::from_bytes(bytes).map_err(|e| crate::bundle::BundleError::Content(e.to_string()))
}
