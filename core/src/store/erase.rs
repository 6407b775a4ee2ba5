//! Erasure rows: the erasure state of each household on this device (`erased_docs`) and the
//! erasure requests not yet confirmed by the hub (`erase_requests`, member `''` for a whole
//! household).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::Result;

/// The erasure state of a household on this device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EraseState {
    pub epoch: u32,
    pub gone: bool,
}

pub fn erase_state(conn: &Connection, id: &str) -> Result<Option<EraseState>> {
    Ok(conn
        .query_row(
            "SELECT epoch, gone FROM erased_docs WHERE doc_id = ?1",
            [id],
            |r| {
                Ok(EraseState {
                    epoch: r.get(0)?,
                    gone: r.get(1)?,
                })
            },
        )
        .optional()?)
}

pub fn set_erase_state(tx: &Transaction<'_>, id: &str, state: EraseState) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO erased_docs (doc_id, epoch, gone) VALUES (?1, ?2, ?3)",
        params![id, state.epoch, state.gone],
    )?;
    Ok(())
}

pub fn has_erase_request(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM erase_requests WHERE doc_id = ?1 LIMIT 1",
            [id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Erasure requests in the order they were made: (household, member or `None` for all of it).
pub fn erase_requests(conn: &Connection) -> Result<Vec<(String, Option<String>)>> {
    let mut stmt =
        conn.prepare("SELECT doc_id, member_id FROM erase_requests ORDER BY requested_at")?;
    let rows = stmt
        .query_map([], |r| {
            let member: String = r.get(1)?;
            Ok((r.get(0)?, (!member.is_empty()).then_some(member)))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn count_erase_requests(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("SELECT COUNT(*) FROM erase_requests", [], |r| r.get(0))?)
}

/// Records a request to erase a whole household, replacing any earlier request about it.
pub fn request_household_erasure(tx: &Transaction<'_>, id: &str, at: DateTime<Utc>) -> Result<()> {
    tx.execute("DELETE FROM erase_requests WHERE doc_id = ?1", [id])?;
    tx.execute(
        "INSERT INTO erase_requests (doc_id, member_id, requested_at) VALUES (?1, '', ?2)",
        params![id, at.to_rfc3339()],
    )?;
    Ok(())
}

/// Records a request to erase one member of a household.
pub fn request_member_erasure(
    tx: &Transaction<'_>,
    id: &str,
    member: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO erase_requests (doc_id, member_id, requested_at) VALUES (?1, ?2, ?3)",
        params![id, member, at.to_rfc3339()],
    )?;
    Ok(())
}

/// Drops a request the hub handled.
pub fn clear_erase_request(tx: &Transaction<'_>, id: &str, member: Option<&str>) -> Result<()> {
    tx.execute(
        "DELETE FROM erase_requests WHERE doc_id = ?1 AND member_id = ?2",
        params![id, member.unwrap_or("")],
    )?;
    Ok(())
}
