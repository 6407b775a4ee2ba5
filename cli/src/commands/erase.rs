//! `gocua erase HOUSEHOLD [--member M]`: a person's request to have their data (or the whole
//! household's) deleted. Erased here at once when the hub never had the household; otherwise
//! sent to the commune at the next sync, where a coordinator decides (docs/SECURITY.md).

use gocua_core::ErasureStep;
use serde_json::json;

use super::{Ctx, household_id, member_id};
use crate::error::Result;

pub fn run(ctx: &mut Ctx, household: &str, member: Option<&str>) -> Result<()> {
    let mut reg = ctx.open()?;
    let hid = household_id(&reg, household)?;
    let step = match member {
        Some(m) => {
            let mid = member_id(&reg.household(&hid)?, m)?;
            reg.erase_member(&hid, &mid)?
        }
        None => reg.erase_household(&hid)?,
    };
    let out = &mut ctx.out;
    let (code, vi, en) = match step {
        ErasureStep::Erased => (
            "erased",
            "Đã xoá trên máy này (hộ chưa từng gửi về xã).",
            "Erased on this device (the household never reached the commune).",
        ),
        ErasureStep::Requested => (
            "requested",
            "Đã ghi yêu cầu xoá: gửi về xã ở lần đồng bộ tới, cán bộ xã quyết định. Hộ không sửa được trong lúc chờ.",
            "Erasure requested: it goes to the commune at the next sync and a commune officer decides. The household cannot be edited meanwhile.",
        ),
    };
    if out.json {
        out.json_value(&json!({ "household": hid.as_str(), "erasure": code }));
    } else {
        let line = out.t(vi, en).to_owned();
        out.line(line);
    }
    Ok(())
}
