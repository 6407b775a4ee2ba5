//! Sync state rows (schema version 3): the hub this device is enrolled with, the heads shared
//! with it per document (as a blob of 32-byte hashes), pending marks and refused documents. The
//! sync module (its `state` module) turns them into its types; only the SQL lives here.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::error::Result;

/// The `sync_peer` row, with the area as its stored JSON.
pub struct PeerRow {
    pub peer_id: String,
    pub url: String,
    pub token: String,
    pub device_id: String,
    pub area_json: String,
    pub pin_sha256: Option<String>,
    pub cursor: u64,
    pub enrolled_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

pub fn load_peer(conn: &Connection) -> Result<Option<PeerRow>> {
    let row = conn
        .query_row(
            "SELECT peer_id, url, token, device_id, area_json, pin_sha256, cursor, enrolled_at, last_attempt_at, last_success_at, last_error
             FROM sync_peer ORDER BY enrolled_at DESC LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, Option<String>>(9)?,
                    r.get::<_, Option<String>>(10)?,
                ))
            },
        )
        .optional()?;
    let Some((
        peer_id,
        url,
        token,
        device_id,
        area_json,
        pin_sha256,
        cursor,
        enrolled,
        attempt,
        success,
        last_error,
    )) = row
    else {
        return Ok(None);
    };
    let time = |s: Option<String>| {
        s.and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
            .map(|t| t.with_timezone(&Utc))
    };
    Ok(Some(PeerRow {
        peer_id,
        url,
        token,
        device_id,
        area_json,
        pin_sha256,
        cursor: cursor.max(0) as u64,
        enrolled_at: time(Some(enrolled)).unwrap_or_default(),
        last_attempt_at: time(attempt),
        last_success_at: time(success),
        last_error,
    }))
}

/// Replaces any previous enrolment (and its refusals) with `peer`. Heads shared with another hub
/// go; those shared with the same hub (enrolled again) stay, for the reconciliation that follows
/// an enrolment to fingerprint without reading every document, which then forgets those the hub
/// no longer holds.
pub fn save_peer(tx: &Transaction<'_>, peer: &PeerRow) -> Result<()> {
    tx.execute(
        "DELETE FROM sync_heads WHERE peer_id <> ?1",
        [&peer.peer_id],
    )?;
    tx.execute("DELETE FROM sync_rejects", [])?;
    tx.execute("DELETE FROM sync_peer", [])?;
    tx.execute(
        "INSERT INTO sync_peer (peer_id, url, token, device_id, area_json, pin_sha256, cursor, enrolled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            peer.peer_id,
            peer.url,
            peer.token,
            peer.device_id,
            peer.area_json,
            peer.pin_sha256,
            peer.cursor as i64,
            peer.enrolled_at.to_rfc3339(),
        ],
    )?;
    Ok(())
}

pub fn set_area_json(tx: &Transaction<'_>, peer: &str, area_json: &str) -> Result<()> {
    tx.execute(
        "UPDATE sync_peer SET area_json = ?2 WHERE peer_id = ?1",
        params![peer, area_json],
    )?;
    Ok(())
}

pub fn set_cursor(tx: &Transaction<'_>, peer: &str, cursor: u64) -> Result<()> {
    tx.execute(
        "UPDATE sync_peer SET cursor = ?2 WHERE peer_id = ?1",
        params![peer, cursor as i64],
    )?;
    Ok(())
}

pub fn record_attempt(
    tx: &Transaction<'_>,
    peer: &str,
    at: DateTime<Utc>,
    error: Option<&str>,
) -> Result<()> {
    if let Some(e) = error {
        tx.execute(
            "UPDATE sync_peer SET last_attempt_at = ?2, last_error = ?3 WHERE peer_id = ?1",
            params![peer, at.to_rfc3339(), e],
        )?;
    } else {
        tx.execute(
            "UPDATE sync_peer SET last_attempt_at = ?2, last_success_at = ?2, last_error = NULL WHERE peer_id = ?1",
            params![peer, at.to_rfc3339()],
        )?;
    }
    Ok(())
}

/// The heads shared with `peer` for `doc`, as stored (concatenated 32-byte hashes).
pub fn shared_heads_blob(conn: &Connection, peer: &str, doc: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row(
            "SELECT heads FROM sync_heads WHERE peer_id = ?1 AND doc_id = ?2",
            params![peer, doc],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn set_shared_heads_blob(
    tx: &Transaction<'_>,
    peer: &str,
    doc: &str,
    heads: &[u8],
) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO sync_heads (peer_id, doc_id, heads) VALUES (?1, ?2, ?3)",
        params![peer, doc, heads],
    )?;
    Ok(())
}

/// Forgets the heads shared with `peer` for `doc`: the hub no longer holds them (it was
/// restored from before them), so the document goes whole.
pub fn forget_shared_heads(tx: &Transaction<'_>, peer: &str, doc: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM sync_heads WHERE peer_id = ?1 AND doc_id = ?2",
        params![peer, doc],
    )?;
    Ok(())
}

/// Marks a document to be sent at the next request, as an edit does.
pub fn mark_pending(tx: &Transaction<'_>, doc: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO pending_sync (doc_id, changed_seq) VALUES (?1, 1)
         ON CONFLICT (doc_id) DO UPDATE SET changed_seq = changed_seq + 1",
        [doc],
    )?;
    Ok(())
}

/// Whether any hub holds heads of `doc` (it has had the document).
pub fn has_shared_heads(conn: &Connection, doc: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sync_heads WHERE doc_id = ?1)",
        [doc],
        |r| r.get(0),
    )?)
}

/// Whether the register holds a document with nothing pending: one the hub may hold already, or
/// may have lost. A pending document goes up at the next sync whatever the hub holds.
pub fn holds_settled(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM doc_chunks c
             WHERE NOT EXISTS (SELECT 1 FROM pending_sync p WHERE p.doc_id = c.doc_id))",
        [],
        |r| r.get(0),
    )?)
}

/// Documents changed locally since their last successful push, with their change counter.
pub fn pending(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare("SELECT doc_id, changed_seq FROM pending_sync ORDER BY doc_id")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The change counter of a document's pending mark, if it has one.
pub fn pending_seq(conn: &Connection, doc: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT changed_seq FROM pending_sync WHERE doc_id = ?1",
            [doc],
            |r| r.get(0),
        )
        .optional()?)
}

/// Clears a pending mark, unless the document was edited again since it was read for sending.
pub fn clear_pending(tx: &Transaction<'_>, doc: &str, changed_seq: i64) -> Result<()> {
    tx.execute(
        "DELETE FROM pending_sync WHERE doc_id = ?1 AND changed_seq = ?2",
        params![doc, changed_seq],
    )?;
    Ok(())
}

pub fn set_reject(
    tx: &Transaction<'_>,
    peer: &str,
    rejected: &Rejected,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO sync_rejects (peer_id, doc_id, code, message, message_en, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            peer,
            rejected.doc_id,
            rejected.code,
            rejected.message_vi,
            rejected.message_en,
            at.to_rfc3339()
        ],
    )?;
    Ok(())
}

pub fn clear_reject(tx: &Transaction<'_>, peer: &str, doc: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM sync_rejects WHERE peer_id = ?1 AND doc_id = ?2",
        params![peer, doc],
    )?;
    Ok(())
}

/// A document the hub refused, as last reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub doc_id: String,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

pub fn rejects(conn: &Connection) -> Result<Vec<Rejected>> {
    let mut stmt =
        conn.prepare("SELECT doc_id, code, message, message_en FROM sync_rejects ORDER BY doc_id")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Rejected {
                doc_id: r.get(0)?,
                code: r.get(1)?,
                message_vi: r.get(2)?,
                message_en: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Concatenated stored chunks of a document, or `None`.
pub fn stored_doc_bytes(conn: &Connection, doc: &str) -> Result<Option<Vec<u8>>> {
    let mut stmt =
        conn.prepare_cached("SELECT bytes FROM doc_chunks WHERE doc_id = ?1 ORDER BY seq")?;
    let chunks = stmt
        .query_map([doc], |r| r.get::<_, Vec<u8>>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(if chunks.is_empty() {
        None
    } else {
        Some(chunks.concat())
    })
}
