//! `gocua visit add`: visits are appended, never edited.

use gocua_core::model::VisitOutcome;

use super::{Ctx, household_id};
use crate::error::Result;
use crate::parse;

pub fn add(
    ctx: &mut Ctx,
    household: &str,
    outcome: &str,
    date: Option<&str>,
    note: Option<String>,
    follow_up: Option<&str>,
) -> Result<()> {
    let outcome: VisitOutcome = parse::code(outcome)?;
    let date = match date {
        Some(d) => parse::date(d, "--date")?,
        None => ctx.today(),
    };
    let follow_up = follow_up
        .map(|d| parse::date(d, "--follow-up"))
        .transpose()?;
    let mut reg = ctx.open()?;
    let hid = household_id(&reg, household)?;
    let saved = reg.record_visit(&hid, date, outcome, note, follow_up)?;
    ctx.created(saved.value.as_str(), &saved.warnings);
    Ok(())
}
