//! What a restored or rebuilt SQLite hub needs to be refilled from the devices (issue 22,
//! docs/sync-protocol.md "Reconciliation"): its sequence, the documents of an area with their
//! heads, what a device holds, the key of its erasure proofs, and an erasure carried out again.

use chrono::{DateTime, Utc};
use gocua_core::sync::merge::heads_from_blob;
use gocua_core::sync::wire::{AreaInfo, DocEpoch, Head};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::rows::{doc_tables, max_seq, write_device_heads};
use crate::store::{StoreError, StoreResult};
use crate::time::ts;

pub(super) fn current_seq(c: &Connection) -> StoreResult<u64> {
    Ok(max_seq(c)?.max(0) as u64)
}

/// The key, made once: a random value the first reader stores (a second reader finds it).
pub(super) fn erasure_key(c: &Connection) -> StoreResult<[u8; 32]> {
    let fresh = hex::encode(rand::random::<[u8; 32]>());
    c.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('erasure_key', ?1)",
        [fresh],
    )?;
    let stored: String = c.query_row(
        "SELECT value FROM meta WHERE key = 'erasure_key'",
        [],
        |r| r.get(0),
    )?;
    let bytes = hex::decode(stored).map_err(|_| StoreError::OutOfRange {
        what: "erasure key",
    })?;
    bytes.try_into().map_err(|_| StoreError::OutOfRange {
        what: "erasure key",
    })
}

pub(super) fn area_heads(c: &Connection, area: &AreaInfo) -> StoreResult<Vec<(String, Vec<Head>)>> {
    let hamlets: Vec<&str> = area.hamlets.iter().map(|h| h.id.as_str()).collect();
    let hamlets = serde_json::to_string(&hamlets).map_err(|_| StoreError::OutOfRange {
        what: "hamlet list",
    })?;
    let mut stmt = c.prepare(
        "SELECT doc_id, heads FROM docs WHERE commune = ?1
           AND (?2 = '[]' OR hamlet IN (SELECT value FROM json_each(?2)))",
    )?;
    let rows = stmt
        .query_map(params![area.commune_code, hamlets], |r| {
            Ok((
                r.get::<_, String>(0)?,
                heads_from_blob(&r.get::<_, Vec<u8>>(1)?),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn set_device_heads(
    c: &mut Connection,
    device_id: &str,
    docs: &[(String, Vec<Head>)],
) -> StoreResult<()> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    write_device_heads(&tx, device_id, docs)?;
    tx.commit()?;
    Ok(())
}

/// Drops the document and every row derived from it and records the erasure at the device's
/// epoch, with a new sequence number so the area's devices are told; `false` when the hub's
/// own record is as far already.
pub(super) fn reinstate_erasure(
    c: &mut Connection,
    erasure: &DocEpoch,
    commune: &str,
    hamlet: &str,
    at: DateTime<Utc>,
    actor: &str,
) -> StoreResult<bool> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let known: Option<(u32, bool)> = tx
        .query_row(
            "SELECT epoch, gone FROM doc_epochs WHERE doc_id = ?1",
            [&erasure.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if known.is_some_and(|(epoch, gone)| {
        epoch > erasure.epoch || (epoch == erasure.epoch && (gone || !erasure.gone))
    }) {
        return Ok(false);
    }
    let seq = max_seq(&tx)? + 1;
    for table in doc_tables(&tx)? {
        tx.execute(
            &format!("DELETE FROM \"{table}\" WHERE doc_id = ?1"),
            [&erasure.id],
        )?;
    }
    tx.execute("DELETE FROM docs WHERE doc_id = ?1", [&erasure.id])?;
    tx.execute(
        "INSERT OR REPLACE INTO doc_epochs (doc_id, epoch, gone, commune, hamlet, seq, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![erasure.id, erasure.epoch, erasure.gone, commune, hamlet, seq, ts(at)],
    )?;
    tx.execute(
        "INSERT INTO audit_log (at, actor, action, target) VALUES (?1, ?2, 'erase.reinstated', ?3)",
        params![ts(at), actor, erasure.id],
    )?;
    tx.commit()?;
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(true)
}

/// Takes another hub's identity (its id and erasure key): only on a hub that holds no document
/// and no device yet, rebuilt from nothing to replace it.
pub(super) fn adopt_identity(c: &mut Connection, hub_id: &str, key: &[u8; 32]) -> StoreResult<()> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let used: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM docs) OR EXISTS (SELECT 1 FROM devices)",
        [],
        |r| r.get(0),
    )?;
    if used {
        return Err(StoreError::Config(crate::store::IDENTITY_TAKEN.into()));
    }
    for (k, v) in [
        ("hub_id", hub_id.to_owned()),
        ("erasure_key", hex::encode(key)),
    ] {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![k, v],
        )?;
    }
    tx.commit()?;
    Ok(())
}
