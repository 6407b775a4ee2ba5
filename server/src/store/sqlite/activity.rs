//! Each volunteer's work in a range of days, and each household's latest visit and items for
//! the map, from the query tables (issue 17).

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use crate::store::StoreResult;
use crate::store::query::{ActivityCounts, ActivityRow, HouseholdMark, activity_rows, marks_of};

pub(super) fn activity(
    c: &Connection,
    commune: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<ActivityRow>> {
    let (from, to) = (from.to_string(), to.to_string());
    let counts = |sql: &str| -> StoreResult<Vec<(String, String, u64)>> {
        let mut stmt = c.prepare_cached(sql)?;
        let rows = stmt
            .query_map(params![commune, from, to], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)?.max(0) as u64))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    };
    let registered = counts(
        "SELECT created_by, created_day, COUNT(*) FROM dash_households
         WHERE commune = ?1 AND active = 1 AND created_day BETWEEN ?2 AND ?3 GROUP BY created_by, created_day",
    )?;
    let visits = counts(
        "SELECT volunteer, date, COUNT(*) FROM dash_visits
         WHERE commune = ?1 AND outcome <> 'registered' AND date BETWEEN ?2 AND ?3 GROUP BY volunteer, date",
    )?;
    let items = counts(
        "SELECT set_by, day, COUNT(*) FROM dash_checklist
         WHERE commune = ?1 AND achieved = 1 AND active = 1 AND day BETWEEN ?2 AND ?3 GROUP BY set_by, day",
    )?;
    let mut stmt = c.prepare_cached(
        "SELECT created_by, MAX(created_day) FROM dash_households WHERE commune = ?1 GROUP BY created_by
         UNION ALL SELECT volunteer, MAX(date) FROM dash_visits WHERE commune = ?1 GROUP BY volunteer
         UNION ALL SELECT set_by, MAX(day) FROM dash_checklist WHERE commune = ?1 GROUP BY set_by",
    )?;
    let last_days = stmt
        .query_map([commune], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(activity_rows(ActivityCounts {
        registered,
        visits,
        items,
        last_days,
    }))
}

pub(super) fn household_marks(c: &Connection, commune: &str) -> StoreResult<Vec<HouseholdMark>> {
    let mut stmt = c.prepare_cached(
        "SELECT doc_id, MAX(date) FROM dash_visits WHERE commune = ?1 GROUP BY doc_id",
    )?;
    let visits = stmt
        .query_map([commune], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = c.prepare_cached(
        "SELECT doc_id, COUNT(*) FROM dash_checklist
         WHERE commune = ?1 AND achieved = 1 AND active = 1 GROUP BY doc_id",
    )?;
    let items = stmt
        .query_map([commune], |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(marks_of(visits, items))
}
