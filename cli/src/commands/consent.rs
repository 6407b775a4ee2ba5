//! `gocua consent give|withdraw`: per person, per purpose, never inferred (Law 91/2025).

use gocua_core::model::{ConsentAction, ConsentMethod, ConsentPurposes};

use super::{Ctx, household_id, member_id};
use crate::error::Result;
use crate::parse;

#[allow(clippy::too_many_arguments)]
fn record(
    ctx: &mut Ctx,
    household: &str,
    member: &str,
    action: ConsentAction,
    purposes: ConsentPurposes,
    notice: &str,
    method: &str,
    guardian: Option<&str>,
) -> Result<()> {
    let method: ConsentMethod = parse::code(method)?;
    let mut reg = ctx.open()?;
    let hid = household_id(&reg, household)?;
    let h = reg.household(&hid)?;
    let mid = member_id(&h, member)?;
    let guardian = guardian.map(|g| member_id(&h, g)).transpose()?;
    let id = reg.record_consent(&hid, &mid, action, purposes, notice, method, guardian)?;
    ctx.created(id.as_str(), &[]);
    Ok(())
}

pub fn give(
    ctx: &mut Ctx,
    household: &str,
    member: &str,
    purposes: &str,
    notice: &str,
    method: &str,
    guardian: Option<&str>,
) -> Result<()> {
    let purposes = parse::purposes(purposes)?;
    record(
        ctx,
        household,
        member,
        ConsentAction::Given,
        purposes,
        notice,
        method,
        guardian,
    )
}

/// A withdrawal covers every purpose; to keep some, record a new consent with fewer purposes.
pub fn withdraw(
    ctx: &mut Ctx,
    household: &str,
    member: &str,
    notice: &str,
    method: &str,
) -> Result<()> {
    record(
        ctx,
        household,
        member,
        ConsentAction::Withdrawn,
        ConsentPurposes::default(),
        notice,
        method,
        None,
    )
}
