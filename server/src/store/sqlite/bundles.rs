//! Sealed bundles on SQLite: devices' bundle keys and the bundles delivered.

use rusqlite::{Connection, OptionalExtension, params};

use crate::store::{BundleReceipt, StoreResult};
use crate::time::{parse_ts, ts};

pub(super) fn bundle_keys(c: &Connection, device_id: &str) -> StoreResult<Option<String>> {
    Ok(c.query_row(
        "SELECT bundle_keys FROM devices WHERE device_id = ?1",
        [device_id],
        |r| r.get::<_, Option<String>>(0),
    )
    .optional()?
    .flatten())
}

pub(super) fn set_bundle_keys(c: &Connection, device_id: &str, keys: &str) -> StoreResult<()> {
    c.execute(
        "UPDATE devices SET bundle_keys = ?2 WHERE device_id = ?1",
        params![device_id, keys],
    )?;
    Ok(())
}

pub(super) fn bundle_applied(c: &Connection, bundle_id: &str) -> StoreResult<bool> {
    Ok(c.query_row(
        "SELECT 1 FROM bundles_received WHERE bundle_id = ?1 AND outcome = 'applied'",
        [bundle_id],
        |_| Ok(()),
    )
    .optional()?
    .is_some())
}

pub(super) fn record_bundle(
    c: &Connection,
    r: &BundleReceipt,
    answer: Option<&[u8]>,
) -> StoreResult<()> {
    c.execute(
        "INSERT OR IGNORE INTO bundles_received
             (bundle_id, commune, device_id, received_at, via, outcome, session_id, households, answer)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            r.bundle_id,
            r.commune,
            r.device_id,
            ts(r.received_at),
            r.via,
            r.outcome,
            r.session.map(|s| s as i64),
            r.households,
            answer
        ],
    )?;
    Ok(())
}

pub(super) fn bundles_received(
    c: &Connection,
    commune: &str,
    limit: u32,
) -> StoreResult<Vec<BundleReceipt>> {
    let mut stmt = c.prepare(
        "SELECT receipt_id, bundle_id, commune, device_id, received_at, via, outcome, session_id,
                households, answer IS NOT NULL
         FROM bundles_received WHERE commune = ?1
         ORDER BY received_at DESC, receipt_id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![commune, limit], |r| {
            Ok(BundleReceipt {
                receipt_id: r.get(0)?,
                bundle_id: r.get(1)?,
                commune: r.get(2)?,
                device_id: r.get(3)?,
                received_at: parse_ts(&r.get::<_, String>(4)?),
                via: r.get(5)?,
                outcome: r.get(6)?,
                session: r.get::<_, Option<i64>>(7)?.map(|s| s.max(0) as u64),
                households: r.get(8)?,
                has_answer: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn bundle_answer(
    c: &Connection,
    commune: &str,
    receipt_id: i64,
) -> StoreResult<Option<(String, Vec<u8>)>> {
    Ok(c.query_row(
        "SELECT device_id, answer FROM bundles_received
         WHERE receipt_id = ?1 AND commune = ?2 AND answer IS NOT NULL",
        params![receipt_id, commune],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?)
}

pub(super) fn bundle_peers(
    c: &Connection,
    area_id: &str,
) -> StoreResult<Vec<(String, String, String)>> {
    let mut stmt = c.prepare(
        "SELECT device_id, volunteer_id, bundle_keys FROM devices
         WHERE area_id = ?1 AND revoked_at IS NULL AND bundle_keys IS NOT NULL ORDER BY device_id",
    )?;
    let rows = stmt
        .query_map([area_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
