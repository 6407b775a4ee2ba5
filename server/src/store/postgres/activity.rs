//! Each volunteer's work in a range of days, and each household's latest visit and items for
//! the map, from the query tables (issue 17); the same as the
//! SQLite store's.

use chrono::NaiveDate;

use super::rows::TxError;
use crate::store::query::{ActivityCounts, ActivityRow, HouseholdMark, activity_rows, marks_of};

pub(super) fn activity(
    c: &mut ::postgres::Client,
    commune: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ActivityRow>, TxError> {
    let (from, to) = (from.to_string(), to.to_string());
    let mut counts = |sql: &str| -> Result<Vec<(String, String, u64)>, TxError> {
        Ok(c.query(sql, &[&commune, &from, &to])?
            .into_iter()
            .map(|r| (r.get(0), r.get(1), r.get::<_, i64>(2).max(0) as u64))
            .collect())
    };
    let registered = counts(
        "SELECT created_by, created_day, COUNT(*) FROM dash_households
         WHERE commune = $1 AND active AND created_day BETWEEN $2 AND $3 GROUP BY created_by, created_day",
    )?;
    let visits = counts(
        "SELECT volunteer, date, COUNT(*) FROM dash_visits
         WHERE commune = $1 AND outcome <> 'registered' AND date BETWEEN $2 AND $3 GROUP BY volunteer, date",
    )?;
    let items = counts(
        "SELECT set_by, day, COUNT(*) FROM dash_checklist
         WHERE commune = $1 AND achieved AND active AND day BETWEEN $2 AND $3 GROUP BY set_by, day",
    )?;
    let last_days = c
        .query(
            "SELECT created_by, MAX(created_day) FROM dash_households WHERE commune = $1 GROUP BY created_by
             UNION ALL SELECT volunteer, MAX(date) FROM dash_visits WHERE commune = $1 GROUP BY volunteer
             UNION ALL SELECT set_by, MAX(day) FROM dash_checklist WHERE commune = $1 GROUP BY set_by",
            &[&commune],
        )?
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    Ok(activity_rows(ActivityCounts {
        registered,
        visits,
        items,
        last_days,
    }))
}

pub(super) fn household_marks(
    c: &mut ::postgres::Client,
    commune: &str,
) -> Result<Vec<HouseholdMark>, TxError> {
    let visits = c
        .query(
            "SELECT doc_id, MAX(date) FROM dash_visits WHERE commune = $1 GROUP BY doc_id",
            &[&commune],
        )?
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let items = c
        .query(
            "SELECT doc_id, COUNT(*) FROM dash_checklist
             WHERE commune = $1 AND achieved AND active GROUP BY doc_id",
            &[&commune],
        )?
        .into_iter()
        .map(|r| (r.get(0), r.get::<_, i64>(1).max(0) as u64))
        .collect();
    Ok(marks_of(visits, items))
}
