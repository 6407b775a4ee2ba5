//! A hub's identity (its id and the key of its erasure proofs) kept apart from its data, so a
//! hub rebuilt from nothing after its disk is lost is recognised by the phones as the same hub,
//! and the erasures they prove still hold (docs/deploy.md, "When the hub is lost"). The file
//! is a secret, like the database key: whoever has it can tag erasures as this hub.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::store::{HubStore, StoreError, StoreResult, write_private_new};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubIdentity {
    pub hub_id: String,
    /// Hex of the 32-byte key.
    pub erasure_key: String,
}

/// Writes the hub's identity to a new file (0600).
pub fn export(store: &dyn HubStore, to: &Path) -> StoreResult<HubIdentity> {
    let identity = HubIdentity {
        hub_id: store.hub_id()?,
        erasure_key: hex::encode(store.erasure_key()?),
    };
    let json =
        serde_json::to_string_pretty(&identity).map_err(|e| StoreError::Config(e.to_string()))?;
    write_private_new(to, &format!("{json}\n"))?;
    Ok(identity)
}

/// Gives an empty hub the identity written by [`export`].
pub fn adopt(store: &dyn HubStore, from: &Path) -> StoreResult<HubIdentity> {
    let bad = |what: &str| {
        StoreError::Config(format!(
            "{}: tệp danh tính không hợp lệ / not a hub identity file ({what})",
            from.display()
        ))
    };
    let text = std::fs::read_to_string(from)
        .map_err(|e| StoreError::Config(format!("{}: {e}", from.display())))?;
    let identity: HubIdentity = serde_json::from_str(&text).map_err(|_| bad("json"))?;
    let key: [u8; 32] = hex::decode(&identity.erasure_key)
        .ok()
        .and_then(|k| k.try_into().ok())
        .ok_or_else(|| bad("erasure_key"))?;
    if !identity.hub_id.starts_with("hub-") || identity.hub_id.len() > 64 {
        return Err(bad("hub_id"));
    }
    store.adopt_identity(&identity.hub_id, &key)?;
    Ok(identity)
}
