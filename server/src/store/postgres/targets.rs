//! Expected households per hamlet, typed by a coordinator (issue 17); the same as the SQLite
//! store's.

use chrono::{DateTime, Utc};

use super::rows::TxError;
use crate::time::ts;

pub(super) fn set_hamlet_target(
    c: &mut ::postgres::Client,
    commune: &str,
    hamlet_id: &str,
    expected: Option<u32>,
    by: &str,
    at: DateTime<Utc>,
) -> Result<bool, TxError> {
    let known = c
        .query_opt(
            "SELECT 1 FROM hamlets WHERE commune = $1 AND hamlet_id = $2 AND retired_at IS NULL",
            &[&commune, &hamlet_id],
        )?
        .is_some();
    if !known {
        return Ok(false);
    }
    match expected {
        Some(n) => c.execute(
            "INSERT INTO hamlet_targets (commune, hamlet_id, expected_households, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (commune, hamlet_id) DO UPDATE SET expected_households = excluded.expected_households,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            &[&commune, &hamlet_id, &i64::from(n), &ts(at), &by],
        )?,
        None => c.execute(
            "DELETE FROM hamlet_targets WHERE commune = $1 AND hamlet_id = $2",
            &[&commune, &hamlet_id],
        )?,
    };
    Ok(true)
}
