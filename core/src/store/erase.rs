//! Erasure rows: the erasure state of each household on this device (`erased_docs`) and the
//! erasure requests made here (`erase_requests`, member `''` for a whole household), with their
//! state: `queued` until the hub received them, `filed` while a coordinator decides, `refused`
//! once refused (kept to tell the volunteer, never sent again).

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

/// Keeps the hub's proof of an erasure this device reached (the same epoch and extent).
pub fn set_erase_proof(
    tx: &Transaction<'_>,
    id: &str,
    state: EraseState,
    proof: &[u8],
) -> Result<()> {
    tx.execute(
        "UPDATE erased_docs SET proof = ?4 WHERE doc_id = ?1 AND epoch = ?2 AND gone = ?3",
        params![id, state.epoch, state.gone, proof],
    )?;
    Ok(())
}

/// Every erasure this device holds the hub's proof of: (household, state, proof).
pub fn proven_erasures(conn: &Connection) -> Result<Vec<(String, EraseState, Vec<u8>)>> {
    let mut stmt = conn.prepare(
        "SELECT doc_id, epoch, gone, proof FROM erased_docs WHERE proof IS NOT NULL ORDER BY doc_id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                EraseState {
                    epoch: r.get(1)?,
                    gone: r.get(2)?,
                },
                r.get(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Where a request made on this device stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    Queued,
    Filed,
    Refused,
}

impl RequestState {
    fn code(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Filed => "filed",
            Self::Refused => "refused",
        }
    }

    fn from_code(code: &str) -> Self {
        match code {
            "filed" => Self::Filed,
            "refused" => Self::Refused,
            _ => Self::Queued,
        }
    }
}

/// An open request (queued or filed) about this household: it is not edited meanwhile.
pub fn has_erase_request(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM erase_requests WHERE doc_id = ?1 AND state <> 'refused' LIMIT 1",
            [id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The requests about one household: (member or `None` for all of it, state).
pub fn requests_of(conn: &Connection, id: &str) -> Result<Vec<(Option<String>, RequestState)>> {
    let mut stmt = conn.prepare(
        "SELECT member_id, state FROM erase_requests WHERE doc_id = ?1 ORDER BY requested_at",
    )?;
    let rows = stmt
        .query_map([id], |r| {
            let member: String = r.get(0)?;
            let state: String = r.get(1)?;
            Ok((
                (!member.is_empty()).then_some(member),
                RequestState::from_code(&state),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Open requests in the order they were made, to send: (household, member or `None` for all
/// of it).
pub fn erase_requests(conn: &Connection) -> Result<Vec<(String, Option<String>)>> {
    let mut stmt = conn.prepare(
        "SELECT doc_id, member_id FROM erase_requests WHERE state <> 'refused' ORDER BY requested_at",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let member: String = r.get(1)?;
            Ok((r.get(0)?, (!member.is_empty()).then_some(member)))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Open requests (queued or filed).
pub fn count_erase_requests(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM erase_requests WHERE state <> 'refused'",
        [],
        |r| r.get(0),
    )?)
}

/// Records what the hub answered about a request.
pub fn set_request_state(
    tx: &Transaction<'_>,
    id: &str,
    member: Option<&str>,
    state: RequestState,
) -> Result<()> {
    tx.execute(
        "UPDATE erase_requests SET state = ?3 WHERE doc_id = ?1 AND member_id = ?2",
        params![id, member.unwrap_or(""), state.code()],
    )?;
    Ok(())
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

/// Drops a request the hub carried out.
pub fn clear_erase_request(tx: &Transaction<'_>, id: &str, member: Option<&str>) -> Result<()> {
    tx.execute(
        "DELETE FROM erase_requests WHERE doc_id = ?1 AND member_id = ?2",
        params![id, member.unwrap_or("")],
    )?;
    Ok(())
}
