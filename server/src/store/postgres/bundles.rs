//! Sealed bundles on PostgreSQL: the same as the SQLite store's.

use ::postgres::GenericClient;

use super::rows::TxError;
use crate::store::BundleReceipt;
use crate::time::{parse_ts, ts};

pub(super) fn bundle_keys(
    c: &mut impl GenericClient,
    device_id: &str,
) -> Result<Option<String>, TxError> {
    Ok(c.query_opt(
        "SELECT bundle_keys FROM devices WHERE device_id = $1",
        &[&device_id],
    )?
    .and_then(|r| r.get::<_, Option<String>>(0)))
}

pub(super) fn set_bundle_keys(
    c: &mut impl GenericClient,
    device_id: &str,
    keys: &str,
) -> Result<(), TxError> {
    c.execute(
        "UPDATE devices SET bundle_keys = $2 WHERE device_id = $1",
        &[&device_id, &keys],
    )?;
    Ok(())
}

pub(super) fn bundle_applied(c: &mut impl GenericClient, bundle_id: &str) -> Result<bool, TxError> {
    Ok(c.query_opt(
        "SELECT 1 FROM bundles_received WHERE bundle_id = $1 AND outcome = 'applied'",
        &[&bundle_id],
    )?
    .is_some())
}

pub(super) fn record_bundle(
    c: &mut impl GenericClient,
    r: &BundleReceipt,
    answer: Option<&[u8]>,
) -> Result<(), TxError> {
    c.execute(
        "INSERT INTO bundles_received
             (bundle_id, commune, device_id, received_at, via, outcome, session_id, households, answer)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT DO NOTHING",
        &[
            &r.bundle_id,
            &r.commune,
            &r.device_id,
            &ts(r.received_at),
            &r.via,
            &r.outcome,
            &r.session.map(|s| s as i64),
            &(r.households as i32),
            &answer,
        ],
    )?;
    Ok(())
}

pub(super) fn bundles_received(
    c: &mut impl GenericClient,
    commune: &str,
    limit: u32,
) -> Result<Vec<BundleReceipt>, TxError> {
    let rows = c.query(
        "SELECT receipt_id, bundle_id, commune, device_id, received_at, via, outcome, session_id,
                households, answer IS NOT NULL
         FROM bundles_received WHERE commune = $1
         ORDER BY received_at DESC, receipt_id DESC LIMIT $2",
        &[&commune, &i64::from(limit)],
    )?;
    Ok(rows
        .into_iter()
        .map(|r| BundleReceipt {
            receipt_id: r.get(0),
            bundle_id: r.get(1),
            commune: r.get(2),
            device_id: r.get(3),
            received_at: parse_ts(&r.get::<_, String>(4)),
            via: r.get(5),
            outcome: r.get(6),
            session: r.get::<_, Option<i64>>(7).map(|s| s.max(0) as u64),
            households: r.get::<_, i32>(8).max(0) as u32,
            has_answer: r.get(9),
        })
        .collect())
}

pub(super) fn bundle_answer(
    c: &mut impl GenericClient,
    commune: &str,
    receipt_id: i64,
) -> Result<Option<(String, Vec<u8>)>, TxError> {
    Ok(c.query_opt(
        "SELECT device_id, answer FROM bundles_received
         WHERE receipt_id = $1 AND commune = $2 AND answer IS NOT NULL",
        &[&receipt_id, &commune],
    )?
    .map(|r| (r.get(0), r.get(1))))
}

pub(super) fn bundle_peers(
    c: &mut impl GenericClient,
    area_id: &str,
) -> Result<Vec<(String, String, String)>, TxError> {
    Ok(c.query(
        "SELECT device_id, volunteer_id, bundle_keys FROM devices
             WHERE area_id = $1 AND revoked_at IS NULL AND bundle_keys IS NOT NULL
             ORDER BY device_id COLLATE \"C\"",
        &[&area_id],
    )?
    .into_iter()
    .map(|r| (r.get(0), r.get(1), r.get(2)))
    .collect())
}
