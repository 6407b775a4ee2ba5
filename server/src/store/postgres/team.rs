//! The commune's team and hamlets as coordinators administer them (issue 17); the same as the
//! SQLite store's.

use ::postgres::GenericClient;
use chrono::{DateTime, Utc};
use gocua_core::sync::wire::{AreaInfo, HamletInfo, MergedHamlet};

use super::rows::{TxError, hamlet_ids};
use crate::store::{CoordinatorRow, Role};
use crate::time::ts;

/// The retired hamlets of the commune merged into one of `hamlets`: sent with the area.
pub(super) fn merged_into_area(
    c: &mut impl GenericClient,
    commune: &str,
    hamlets: &[HamletInfo],
) -> Result<Vec<MergedHamlet>, TxError> {
    let rows = c.query(
        "SELECT hamlet_id, merged_into FROM hamlets
         WHERE commune = $1 AND merged_into IS NOT NULL ORDER BY hamlet_id",
        &[&commune],
    )?;
    Ok(rows
        .into_iter()
        .map(|r| MergedHamlet {
            from: r.get(0),
            into: r.get(1),
        })
        .filter(|m| hamlets.iter().any(|h| h.id == m.into))
        .collect())
}

pub(super) fn retire_hamlet(
    tx: &mut ::postgres::Transaction<'_>,
    commune: &str,
    hamlet_id: &str,
    merged_into: Option<&str>,
    at: DateTime<Utc>,
) -> Result<bool, TxError> {
    let retired = tx.execute(
        "UPDATE hamlets SET retired_at = $3, merged_into = $4
         WHERE commune = $1 AND hamlet_id = $2 AND retired_at IS NULL",
        &[&commune, &hamlet_id, &ts(at), &merged_into],
    )?;
    if retired == 0 {
        return Ok(false);
    }
    // Hamlets merged into this one earlier go where it goes (or nowhere, if it closes).
    tx.execute(
        "UPDATE hamlets SET merged_into = $3 WHERE commune = $1 AND merged_into = $2",
        &[&commune, &hamlet_id, &merged_into],
    )?;
    Ok(true)
}

pub(super) fn hamlet_docs(
    c: &mut ::postgres::Client,
    commune: &str,
    hamlet: &str,
) -> Result<Vec<String>, TxError> {
    Ok(c.query(
        "SELECT doc_id FROM docs WHERE commune = $1 AND hamlet = $2 ORDER BY doc_id",
        &[&commune, &hamlet],
    )?
    .into_iter()
    .map(|r| r.get(0))
    .collect())
}

pub(super) fn coordinators(
    c: &mut ::postgres::Client,
    commune: &str,
) -> Result<Vec<CoordinatorRow>, TxError> {
    Ok(c.query(
        "SELECT c.coordinator_id, c.name, c.role, c.created_at, p.coordinator_id IS NOT NULL
         FROM coordinators c LEFT JOIN dash_passwords p ON p.coordinator_id = c.coordinator_id
         WHERE c.commune = $1 ORDER BY c.coordinator_id",
        &[&commune],
    )?
    .into_iter()
    .map(|r| CoordinatorRow {
        coordinator_id: r.get(0),
        name: r.get(1),
        role: Role::from_code(r.get(2)),
        created_at: r.get(3),
        has_password: r.get(4),
    })
    .collect())
}

pub(super) fn remove_coordinator(
    tx: &mut ::postgres::Transaction<'_>,
    id: &str,
) -> Result<bool, TxError> {
    let removed = tx.execute("DELETE FROM coordinators WHERE coordinator_id = $1", &[&id])?;
    for table in ["dash_passwords", "dash_sessions", "dash_settings"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE coordinator_id = $1"),
            &[&id],
        )?;
    }
    Ok(removed > 0)
}

pub(super) fn move_device(
    tx: &mut ::postgres::Transaction<'_>,
    device_id: &str,
    area: &AreaInfo,
) -> Result<bool, TxError> {
    let moved = tx.execute(
        "UPDATE devices SET area_id = $2 WHERE device_id = $1",
        &[&device_id, &area.area_id],
    )?;
    // The device drops the households outside its new area (core/src/sync/area.rs): forget that
    // it holds them, so they are sent whole if they come back to it.
    tx.execute(
        "DELETE FROM device_docs WHERE device_id = $1 AND doc_id IN (
             SELECT doc_id FROM docs WHERE commune <> $2 OR hamlet <> ALL($3))",
        &[&device_id, &area.commune_code, &hamlet_ids(area)],
    )?;
    Ok(moved > 0)
}
