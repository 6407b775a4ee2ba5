//! Erasure requests on PostgreSQL: filed by devices, decided by coordinators (docs/SECURITY.md).

use ::postgres::{GenericClient, Row};
use chrono::{DateTime, Utc};

use super::rows::TxError;
use crate::store::{EraseDecision, EraseRequestRecord, NewEraseRequest, erase_target};
use crate::time::ts;

const COLUMNS: &str = "request_id, household, member, commune, hamlet, device_id, volunteer_id, requested_at, decision, decided_at, decided_by";

fn record(r: &Row) -> EraseRequestRecord {
    let member: String = r.get(2);
    let decision: String = r.get(8);
    EraseRequestRecord {
        request_id: r.get(0),
        household: r.get(1),
        member: (!member.is_empty()).then_some(member),
        commune: r.get(3),
        hamlet: r.get(4),
        device_id: r.get(5),
        volunteer_id: r.get(6),
        requested_at: r.get(7),
        decision: EraseDecision::from_code(&decision),
        decided_at: r.get(9),
        decided_by: r.get(10),
    }
}

fn audit(
    tx: &mut impl GenericClient,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    target: &str,
) -> Result<(), TxError> {
    tx.execute(
        "INSERT INTO audit_log (at, actor, action, target) VALUES ($1, $2, $3, $4)",
        &[&ts(at), &actor, &action, &target],
    )?;
    Ok(())
}

pub(crate) fn held_elsewhere(
    c: &mut impl GenericClient,
    doc_id: &str,
    device_id: &str,
) -> Result<bool, TxError> {
    Ok(c.query_one(
        "SELECT EXISTS (SELECT 1 FROM device_docs WHERE doc_id = $1 AND device_id <> $2)
             OR EXISTS (SELECT 1 FROM session_sent t JOIN sessions s ON s.session_id = t.session_id
                        WHERE t.doc_id = $1 AND s.device_id <> $2)",
        &[&doc_id, &device_id],
    )?
    .get(0))
}

pub(crate) fn file(
    tx: &mut impl GenericClient,
    r: &NewEraseRequest<'_>,
    at: DateTime<Utc>,
) -> Result<EraseDecision, TxError> {
    let member = r.member.unwrap_or("");
    let actor = format!("device:{}", r.device_id);
    let inserted = tx.query_opt(
        "INSERT INTO erase_requests (household, member, commune, hamlet, device_id, volunteer_id, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (household, member, device_id) DO NOTHING RETURNING request_id",
        &[&r.household, &member, &r.commune, &r.hamlet, &r.device_id, &r.volunteer_id, &ts(at)],
    )?;
    if inserted.is_some() {
        audit(
            tx,
            at,
            &actor,
            "erase.requested",
            &erase_target(r.household, r.member),
        )?;
        return Ok(EraseDecision::Pending);
    }
    let row = tx.query_one(
        "SELECT request_id, decision, refusal_told FROM erase_requests
         WHERE household = $1 AND member = $2 AND device_id = $3 FOR UPDATE",
        &[&r.household, &member, &r.device_id],
    )?;
    let id: i64 = row.get(0);
    let told: bool = row.get(2);
    Ok(match EraseDecision::from_code(row.get(1)) {
        EraseDecision::Refused if told => {
            // Asked again after the refusal was told: a new request.
            tx.execute(
                "UPDATE erase_requests SET decision = 'pending', decided_at = NULL, decided_by = NULL,
                        refusal_told = FALSE, requested_at = $2 WHERE request_id = $1",
                &[&id, &ts(at)],
            )?;
            audit(
                tx,
                at,
                &actor,
                "erase.requested",
                &erase_target(r.household, r.member),
            )?;
            EraseDecision::Pending
        }
        EraseDecision::Refused => {
            tx.execute(
                "UPDATE erase_requests SET refusal_told = TRUE WHERE request_id = $1",
                &[&id],
            )?;
            EraseDecision::Refused
        }
        other => other,
    })
}

pub(crate) fn of_commune(
    c: &mut impl GenericClient,
    commune: &str,
    limit: u32,
) -> Result<Vec<EraseRequestRecord>, TxError> {
    Ok(c.query(
        &format!(
            "SELECT {COLUMNS} FROM erase_requests WHERE commune = $1
             ORDER BY decision <> 'pending', CASE WHEN decision = 'pending' THEN request_id ELSE -request_id END
             LIMIT $2"
        ),
        &[&commune, &i64::from(limit)],
    )?
    .iter()
    .map(record)
    .collect())
}

pub(crate) fn one(
    c: &mut impl GenericClient,
    request_id: i64,
) -> Result<Option<EraseRequestRecord>, TxError> {
    Ok(c.query_opt(
        &format!("SELECT {COLUMNS} FROM erase_requests WHERE request_id = $1"),
        &[&request_id],
    )?
    .as_ref()
    .map(record))
}

pub(crate) fn decide(
    tx: &mut impl GenericClient,
    household: &str,
    member: Option<&str>,
    approve: bool,
    at: DateTime<Utc>,
    actor: &str,
) -> Result<u32, TxError> {
    let decision = if approve { "approved" } else { "refused" };
    // Approving a whole household's erasure settles its members' requests too.
    let whole_household = approve && member.is_none();
    let n = tx.execute(
        "UPDATE erase_requests SET decision = $1, decided_at = $2, decided_by = $3, refusal_told = FALSE
         WHERE household = $4 AND decision <> $1 AND decision <> 'approved'
           AND ($5 OR member = $6)",
        &[
            &decision,
            &ts(at),
            &actor,
            &household,
            &whole_household,
            &member.unwrap_or(""),
        ],
    )?;
    if n > 0 {
        audit(
            tx,
            at,
            actor,
            &format!("erase.{decision}"),
            &erase_target(household, member),
        )?;
    }
    Ok(n as u32)
}
