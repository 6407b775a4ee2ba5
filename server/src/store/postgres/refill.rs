//! What a restored or rebuilt PostgreSQL hub needs to be refilled from the devices (issue 22,
//! docs/sync-protocol.md "Reconciliation"); the same as the SQLite store's, on the shared
//! counter `hub_seq`.

use ::postgres::Transaction;
use chrono::{DateTime, Utc};
use gocua_core::sync::merge::heads_from_blob;
use gocua_core::sync::wire::{AreaInfo, DocEpoch, Head};

use super::rows::{TxError, drop_doc_rows, hamlet_ids, lock_seq};
use crate::store::StoreError;
use crate::time::ts;

pub(super) fn current_seq(c: &mut ::postgres::Client) -> Result<u64, TxError> {
    let v: i64 = c
        .query_one("SELECT value FROM hub_seq WHERE id = 1", &[])?
        .get(0);
    Ok(v.max(0) as u64)
}

/// The key, made once: a random value the first reader stores (a second reader finds it).
pub(super) fn erasure_key(c: &mut ::postgres::Client) -> Result<[u8; 32], TxError> {
    let fresh = hex::encode(rand::random::<[u8; 32]>());
    c.execute(
        "INSERT INTO meta (key, value) VALUES ('erasure_key', $1) ON CONFLICT (key) DO NOTHING",
        &[&fresh],
    )?;
    let stored: String = c
        .query_one("SELECT value FROM meta WHERE key = 'erasure_key'", &[])?
        .get(0);
    let bad = || {
        TxError::Store(StoreError::OutOfRange {
            what: "erasure key",
        })
    };
    hex::decode(stored)
        .map_err(|_| bad())?
        .try_into()
        .map_err(|_| bad())
}

pub(super) fn area_heads(
    c: &mut ::postgres::Client,
    area: &AreaInfo,
) -> Result<Vec<(String, Vec<Head>)>, TxError> {
    let hamlets = hamlet_ids(area);
    Ok(c.query(
        "SELECT doc_id, heads FROM docs WHERE commune = $1
               AND (cardinality($2::text[]) = 0 OR hamlet = ANY($2))",
        &[&area.commune_code, &hamlets],
    )?
    .into_iter()
    .map(|r| (r.get::<_, String>(0), heads_from_blob(r.get::<_, &[u8]>(1))))
    .collect())
}

pub(super) fn reinstate_erasure(
    tx: &mut Transaction<'_>,
    erasure: &DocEpoch,
    commune: &str,
    hamlet: &str,
    at: DateTime<Utc>,
    actor: &str,
) -> Result<bool, TxError> {
    let seq = lock_seq(tx)? + 1;
    tx.query_opt(
        "SELECT 1 FROM docs WHERE doc_id = $1 FOR UPDATE",
        &[&erasure.id],
    )?;
    let known: Option<(i32, bool)> = tx
        .query_opt(
            "SELECT epoch, gone FROM doc_epochs WHERE doc_id = $1",
            &[&erasure.id],
        )?
        .map(|r| (r.get(0), r.get(1)));
    let epoch = erasure.epoch.min(i32::MAX as u32) as i32;
    if known.is_some_and(|(e, gone)| e > epoch || (e == epoch && (gone || !erasure.gone))) {
        return Ok(false);
    }
    drop_doc_rows(tx, &erasure.id)?;
    tx.execute("DELETE FROM docs WHERE doc_id = $1", &[&erasure.id])?;
    let at = ts(at);
    tx.execute(
        "INSERT INTO doc_epochs (doc_id, epoch, gone, commune, hamlet, seq, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (doc_id) DO UPDATE SET epoch = $2, gone = $3, commune = $4, hamlet = $5, seq = $6, at = $7",
        &[&erasure.id, &epoch, &erasure.gone, &commune, &hamlet, &seq, &at],
    )?;
    tx.execute("UPDATE hub_seq SET value = $1 WHERE id = 1", &[&seq])?;
    tx.execute(
        "INSERT INTO audit_log (at, actor, action, target) VALUES ($1, $2, 'erase.reinstated', $3)",
        &[&at, &actor, &erasure.id],
    )?;
    Ok(true)
}

/// After `pg_restore` of a dump: one generation on, `restored_at` set, and every sequence
/// number moved past any device's cursor (order kept), as the SQLite store's restore does
/// (`sqlite::backup::SEQ_JUMP`). Returns the new generation.
pub(super) fn mark_restored(tx: &mut Transaction<'_>, at: DateTime<Utc>) -> Result<i64, TxError> {
    let jump = crate::store::sqlite::backup::SEQ_JUMP as i64;
    lock_seq(tx)?;
    tx.execute("UPDATE docs SET seq = seq + $1", &[&jump])?;
    tx.execute("UPDATE doc_epochs SET seq = seq + $1", &[&jump])?;
    tx.execute(
        "UPDATE merges SET keep_seq = keep_seq + $1, other_seq = other_seq + $1",
        &[&jump],
    )?;
    tx.execute(
        "UPDATE hub_seq SET value = value + $1 WHERE id = 1",
        &[&jump],
    )?;
    let generation: i64 = tx
        .query_opt("SELECT value FROM meta WHERE key = 'generation'", &[])?
        .and_then(|r| r.get::<_, String>(0).parse().ok())
        .unwrap_or(0)
        + 1;
    let stamp = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    for (key, value) in [
        ("generation", generation.to_string()),
        ("restored_at", stamp),
    ] {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&key, &value],
        )?;
    }
    tx.execute(
        "INSERT INTO audit_log (at, actor, action, target) VALUES ($1, 'operator', 'hub.restored', $2)",
        &[&ts(at), &format!("generation:{generation}")],
    )?;
    Ok(generation)
}

/// As the SQLite store's: only on a hub with no document and no device.
pub(super) fn adopt_identity(
    tx: &mut Transaction<'_>,
    hub_id: &str,
    key: &[u8; 32],
) -> Result<(), TxError> {
    let used: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM docs) OR EXISTS (SELECT 1 FROM devices)",
            &[],
        )?
        .get(0);
    if used {
        return Err(TxError::Store(StoreError::Config(
            crate::store::IDENTITY_TAKEN.into(),
        )));
    }
    for (k, v) in [
        ("hub_id", hub_id.to_owned()),
        ("erasure_key", hex::encode(key)),
    ] {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&k, &v],
        )?;
    }
    Ok(())
}
