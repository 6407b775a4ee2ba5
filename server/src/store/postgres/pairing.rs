//! The commune's pairing codes listed, and a code cancelled before it is used (issue 17); the
//! same as the SQLite store's.

use chrono::{DateTime, Utc};

use super::rows::TxError;
use crate::store::{PAIRING_REFERENCE_LEN, PairingRow};
use crate::time::ts;

pub(super) fn pairings(
    c: &mut ::postgres::Client,
    commune: &str,
    limit: u32,
) -> Result<Vec<PairingRow>, TxError> {
    let rows = c.query(
        "SELECT substr(p.code_hash, 1, $3), p.volunteer_id, p.area_id, a.name, p.coordinator_id,
                p.created_at, p.expires_at, p.used_at, p.used_by, p.cancelled_at, p.cancelled_by
         FROM pairing_codes p JOIN areas a ON a.area_id = p.area_id
         WHERE a.commune = $1 ORDER BY p.created_at DESC, p.code_hash LIMIT $2",
        &[&commune, &i64::from(limit), &(PAIRING_REFERENCE_LEN as i32)],
    )?;
    Ok(rows
        .iter()
        .map(|r| PairingRow {
            reference: r.get(0),
            volunteer_id: r.get(1),
            area_id: r.get(2),
            area_name: r.get(3),
            coordinator_id: r.get(4),
            created_at: r.get(5),
            expires_at: r.get(6),
            used_at: r.get(7),
            used_by: r.get(8),
            cancelled_at: r.get(9),
            cancelled_by: r.get(10),
        })
        .collect())
}

pub(super) fn cancel_pairing(
    c: &mut ::postgres::Client,
    commune: &str,
    reference: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<bool, TxError> {
    let changed = c.execute(
        "UPDATE pairing_codes SET cancelled_at = $3, cancelled_by = $4
         WHERE substr(code_hash, 1, $5) = $2 AND used_at IS NULL AND cancelled_at IS NULL
           AND area_id IN (SELECT area_id FROM areas WHERE commune = $1)",
        &[
            &commune,
            &reference,
            &ts(at),
            &by,
            &(PAIRING_REFERENCE_LEN as i32),
        ],
    )?;
    Ok(changed > 0)
}
