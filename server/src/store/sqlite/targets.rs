//! Expected households per hamlet, typed by a coordinator (issue 17).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use crate::store::StoreResult;
use crate::time::ts;

pub(super) fn set_hamlet_target(
    c: &Connection,
    commune: &str,
    hamlet_id: &str,
    expected: Option<u32>,
    by: &str,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let known: i64 = c.query_row(
        "SELECT COUNT(*) FROM hamlets WHERE commune = ?1 AND hamlet_id = ?2 AND retired_at IS NULL",
        params![commune, hamlet_id],
        |r| r.get(0),
    )?;
    if known == 0 {
        return Ok(false);
    }
    match expected {
        Some(n) => c.execute(
            "INSERT INTO hamlet_targets (commune, hamlet_id, expected_households, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (commune, hamlet_id) DO UPDATE SET expected_households = excluded.expected_households,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            params![commune, hamlet_id, n, ts(at), by],
        )?,
        None => c.execute(
            "DELETE FROM hamlet_targets WHERE commune = ?1 AND hamlet_id = ?2",
            params![commune, hamlet_id],
        )?,
    };
    Ok(true)
}
