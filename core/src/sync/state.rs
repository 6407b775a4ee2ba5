//! The sync state in the sync module's types: the hub this device is enrolled with, the heads
//! shared with it per document, pending marks and refused documents. The rows and their SQL are
//! in `crate::store::sync_state`; this module only converts.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};

use super::merge::{heads_from_blob, heads_to_blob};
use super::wire::{AreaInfo, Head};
use crate::error::Result;
use crate::store::sync_state::{self as rows, PeerRow};

pub use crate::store::sync_state::Rejected;
pub use rows::{
    clear_pending, clear_reject, pending, record_attempt, rejects, set_cursor, set_reject,
};

/// The hub this register is enrolled with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peer {
    pub peer_id: String,
    pub url: String,
    pub(crate) token: String,
    pub device_id: String,
    pub area: AreaInfo,
    pub pin_sha256: Option<String>,
    pub cursor: u64,
    pub enrolled_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

pub(crate) fn load_peer(conn: &Connection) -> Result<Option<Peer>> {
    let Some(row) = rows::load_peer(conn)? else {
        return Ok(None);
    };
    let area: AreaInfo = serde_json::from_str(&row.area_json)
        .map_err(|e| crate::Error::Internal(format!("sync_peer.area_json: {e}")))?;
    Ok(Some(Peer {
        peer_id: row.peer_id,
        url: row.url,
        token: row.token,
        device_id: row.device_id,
        area,
        pin_sha256: row.pin_sha256,
        cursor: row.cursor,
        enrolled_at: row.enrolled_at,
        last_attempt_at: row.last_attempt_at,
        last_success_at: row.last_success_at,
        last_error: row.last_error,
    }))
}

/// Replaces any previous enrolment with `peer` (see `rows::save_peer` for the shared heads).
pub(crate) fn save_peer(tx: &Transaction<'_>, peer: &Peer) -> Result<()> {
    let area_json =
        serde_json::to_string(&peer.area).map_err(|e| crate::Error::Internal(e.to_string()))?;
    rows::save_peer(
        tx,
        &PeerRow {
            peer_id: peer.peer_id.clone(),
            url: peer.url.clone(),
            token: peer.token.clone(),
            device_id: peer.device_id.clone(),
            area_json,
            pin_sha256: peer.pin_sha256.clone(),
            cursor: peer.cursor,
            enrolled_at: peer.enrolled_at,
            last_attempt_at: peer.last_attempt_at,
            last_success_at: peer.last_success_at,
            last_error: peer.last_error.clone(),
        },
    )
}

/// Records the area the hub now gives this device.
pub(crate) fn set_area(tx: &Transaction<'_>, peer: &str, area: &AreaInfo) -> Result<()> {
    let area_json =
        serde_json::to_string(area).map_err(|e| crate::Error::Internal(e.to_string()))?;
    rows::set_area_json(tx, peer, &area_json)
}

pub(crate) fn shared_heads(conn: &Connection, peer: &str, doc: &str) -> Result<Vec<Head>> {
    Ok(rows::shared_heads_blob(conn, peer, doc)?
        .map(|b| heads_from_blob(&b))
        .unwrap_or_default())
}

pub(crate) fn set_shared_heads(
    tx: &Transaction<'_>,
    peer: &str,
    doc: &str,
    heads: &[Head],
) -> Result<()> {
    rows::set_shared_heads_blob(tx, peer, doc, &heads_to_blob(heads))
}
