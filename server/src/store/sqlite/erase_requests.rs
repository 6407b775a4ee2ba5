//! Erasure requests on SQLite: filed by devices, decided by coordinators (docs/SECURITY.md).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::store::{EraseDecision, EraseRequestRecord, NewEraseRequest, StoreResult, erase_target};
use crate::time::ts;

const COLUMNS: &str = "request_id, household, member, commune, hamlet, device_id, volunteer_id, requested_at, decision, decided_at, decided_by";

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<EraseRequestRecord> {
    let member: String = r.get(2)?;
    let decision: String = r.get(8)?;
    Ok(EraseRequestRecord {
        request_id: r.get(0)?,
        household: r.get(1)?,
        member: (!member.is_empty()).then_some(member),
        commune: r.get(3)?,
        hamlet: r.get(4)?,
        device_id: r.get(5)?,
        volunteer_id: r.get(6)?,
        requested_at: r.get(7)?,
        decision: EraseDecision::from_code(&decision),
        decided_at: r.get(9)?,
        decided_by: r.get(10)?,
    })
}

fn audit(
    tx: &Connection,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    target: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO audit_log (at, actor, action, target) VALUES (?1, ?2, ?3, ?4)",
        params![ts(at), actor, action, target],
    )?;
    Ok(())
}

pub(crate) fn held_elsewhere(c: &Connection, doc_id: &str, device_id: &str) -> StoreResult<bool> {
    Ok(c.query_row(
        "SELECT EXISTS (SELECT 1 FROM device_docs WHERE doc_id = ?1 AND device_id <> ?2)
             OR EXISTS (SELECT 1 FROM session_sent t JOIN sessions s ON s.session_id = t.session_id
                        WHERE t.doc_id = ?1 AND s.device_id <> ?2)",
        params![doc_id, device_id],
        |r| r.get(0),
    )?)
}

pub(crate) fn file(
    c: &mut Connection,
    r: &NewEraseRequest<'_>,
    at: DateTime<Utc>,
) -> StoreResult<EraseDecision> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let member = r.member.unwrap_or("");
    let found: Option<(i64, String, bool)> = tx
        .query_row(
            "SELECT request_id, decision, refusal_told FROM erase_requests
             WHERE household = ?1 AND member = ?2 AND device_id = ?3",
            params![r.household, member, r.device_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let actor = format!("device:{}", r.device_id);
    let decision = match found {
        None => {
            tx.execute(
                "INSERT INTO erase_requests (household, member, commune, hamlet, device_id, volunteer_id, requested_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![r.household, member, r.commune, r.hamlet, r.device_id, r.volunteer_id, ts(at)],
            )?;
            audit(
                &tx,
                at,
                &actor,
                "erase.requested",
                &erase_target(r.household, r.member),
            )?;
            EraseDecision::Pending
        }
        Some((id, d, told)) => match EraseDecision::from_code(&d) {
            EraseDecision::Refused if told => {
                // Asked again after the refusal was told: a new request.
                tx.execute(
                    "UPDATE erase_requests SET decision = 'pending', decided_at = NULL, decided_by = NULL,
                            refusal_told = 0, requested_at = ?2 WHERE request_id = ?1",
                    params![id, ts(at)],
                )?;
                audit(
                    &tx,
                    at,
                    &actor,
                    "erase.requested",
                    &erase_target(r.household, r.member),
                )?;
                EraseDecision::Pending
            }
            EraseDecision::Refused => {
                tx.execute(
                    "UPDATE erase_requests SET refusal_told = 1 WHERE request_id = ?1",
                    [id],
                )?;
                EraseDecision::Refused
            }
            other => other,
        },
    };
    tx.commit()?;
    Ok(decision)
}

pub(crate) fn of_commune(
    c: &Connection,
    commune: &str,
    limit: u32,
) -> StoreResult<Vec<EraseRequestRecord>> {
    let mut stmt = c.prepare(&format!(
        "SELECT {COLUMNS} FROM erase_requests WHERE commune = ?1
         ORDER BY decision <> 'pending', CASE WHEN decision = 'pending' THEN request_id ELSE -request_id END
         LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![commune, limit], record)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) fn one(c: &Connection, request_id: i64) -> StoreResult<Option<EraseRequestRecord>> {
    Ok(c.query_row(
        &format!("SELECT {COLUMNS} FROM erase_requests WHERE request_id = ?1"),
        [request_id],
        record,
    )
    .optional()?)
}

pub(crate) fn decide(
    c: &mut Connection,
    household: &str,
    member: Option<&str>,
    approve: bool,
    at: DateTime<Utc>,
    actor: &str,
) -> StoreResult<u32> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let decision = if approve { "approved" } else { "refused" };
    // Approving a whole household's erasure settles its members' requests too.
    let whole_household = approve && member.is_none();
    let n = tx.execute(
        "UPDATE erase_requests SET decision = ?1, decided_at = ?2, decided_by = ?3, refusal_told = 0
         WHERE household = ?4 AND decision <> ?1 AND decision <> 'approved'
           AND (?5 OR member = ?6)",
        params![
            decision,
            ts(at),
            actor,
            household,
            whole_household,
            member.unwrap_or("")
        ],
    )?;
    if n > 0 {
        audit(
            &tx,
            at,
            actor,
            &format!("erase.{decision}"),
            &erase_target(household, member),
        )?;
    }
    tx.commit()?;
    Ok(n as u32)
}
