//! The commune's team and hamlets as coordinators administer them (issue 17): retired and
//! merged hamlets, coordinator accounts, a device moved to another area.

use chrono::{DateTime, Utc};
use gocua_core::sync::wire::{HamletInfo, MergedHamlet};
use rusqlite::{Connection, params};

use crate::store::{CoordinatorRow, Role, StoreResult};
use crate::time::ts;

/// The retired hamlets of the commune merged into one of `hamlets`: sent with the area.
pub(super) fn merged_into_area(
    c: &Connection,
    commune: &str,
    hamlets: &[HamletInfo],
) -> StoreResult<Vec<MergedHamlet>> {
    let mut stmt = c.prepare_cached(
        "SELECT hamlet_id, merged_into FROM hamlets
         WHERE commune = ?1 AND merged_into IS NOT NULL ORDER BY hamlet_id",
    )?;
    let rows = stmt
        .query_map([commune], |r| {
            Ok(MergedHamlet {
                from: r.get(0)?,
                into: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter(|m| hamlets.iter().any(|h| h.id == m.into))
        .collect())
}

pub(super) fn retire_hamlet(
    c: &mut Connection,
    commune: &str,
    hamlet_id: &str,
    merged_into: Option<&str>,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let tx = c.transaction()?;
    let retired = tx.execute(
        "UPDATE hamlets SET retired_at = ?3, merged_into = ?4
         WHERE commune = ?1 AND hamlet_id = ?2 AND retired_at IS NULL",
        params![commune, hamlet_id, ts(at), merged_into],
    )?;
    if retired == 0 {
        return Ok(false);
    }
    // Hamlets merged into this one earlier go where it goes (or nowhere, if it closes).
    tx.execute(
        "UPDATE hamlets SET merged_into = ?3 WHERE commune = ?1 AND merged_into = ?2",
        params![commune, hamlet_id, merged_into],
    )?;
    tx.commit()?;
    Ok(true)
}

pub(super) fn hamlet_docs(c: &Connection, commune: &str, hamlet: &str) -> StoreResult<Vec<String>> {
    let mut stmt = c.prepare_cached(
        "SELECT doc_id FROM docs WHERE commune = ?1 AND hamlet = ?2 ORDER BY doc_id",
    )?;
    let ids = stmt
        .query_map([commune, hamlet], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

pub(super) fn coordinators(c: &Connection, commune: &str) -> StoreResult<Vec<CoordinatorRow>> {
    let mut stmt = c.prepare_cached(
        "SELECT c.coordinator_id, c.name, c.role, c.created_at, p.coordinator_id IS NOT NULL
         FROM coordinators c LEFT JOIN dash_passwords p ON p.coordinator_id = c.coordinator_id
         WHERE c.commune = ?1 ORDER BY c.coordinator_id",
    )?;
    let rows = stmt
        .query_map([commune], |r| {
            Ok(CoordinatorRow {
                coordinator_id: r.get(0)?,
                name: r.get(1)?,
                role: Role::from_code(&r.get::<_, String>(2)?),
                created_at: r.get(3)?,
                has_password: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn remove_coordinator(c: &mut Connection, id: &str) -> StoreResult<bool> {
    let tx = c.transaction()?;
    let removed = tx.execute("DELETE FROM coordinators WHERE coordinator_id = ?1", [id])?;
    for table in ["dash_passwords", "dash_sessions", "dash_settings"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE coordinator_id = ?1"),
            [id],
        )?;
    }
    tx.commit()?;
    Ok(removed > 0)
}

pub(super) fn move_device(c: &mut Connection, device_id: &str, area_id: &str) -> StoreResult<bool> {
    let tx = c.transaction()?;
    let moved = tx.execute(
        "UPDATE devices SET area_id = ?2 WHERE device_id = ?1",
        params![device_id, area_id],
    )?;
    // The device drops the households outside its new area (core/src/sync/area.rs): forget that
    // it holds them, so they are sent whole if they come back to it.
    tx.execute(
        "DELETE FROM device_docs WHERE device_id = ?1 AND doc_id IN (
             SELECT d.doc_id FROM docs d, areas a
             WHERE a.area_id = ?2
               AND (d.commune <> a.commune
                    OR d.hamlet NOT IN (SELECT json_extract(value, '$.id') FROM json_each(a.hamlets_json))))",
        params![device_id, area_id],
    )?;
    tx.commit()?;
    Ok(moved > 0)
}
