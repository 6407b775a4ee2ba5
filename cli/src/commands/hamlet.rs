//! `gocua hamlet`: the commune's own list of hamlets, below the national catalog.

use serde_json::json;

use super::Ctx;
use crate::error::Result;

pub fn add(ctx: &mut Ctx, name: &str) -> Result<()> {
    let mut reg = ctx.open()?;
    let commune = reg.identity().commune_code.clone();
    let h = reg.add_hamlet(&commune, name)?;
    if ctx.out.json {
        ctx.out.json_value(&json!({ "id": h.id, "name": h.name }));
    } else {
        ctx.out.line(&h.id);
    }
    Ok(())
}

pub fn list(ctx: &mut Ctx) -> Result<()> {
    let reg = ctx.open()?;
    let hamlets = reg.hamlets(&reg.identity().commune_code)?;
    if ctx.out.json {
        let v: Vec<_> = hamlets
            .iter()
            .map(|h| json!({ "id": h.id, "name": h.name }))
            .collect();
        ctx.out.json_value(&json!(v));
        return Ok(());
    }
    if hamlets.is_empty() {
        let s = ctx.out.t(
            "Chưa có thôn nào. Thêm bằng: gocua hamlet add TÊN",
            "No hamlets yet. Add one with: gocua hamlet add NAME",
        );
        ctx.out.line(s);
    }
    for h in hamlets {
        ctx.out.line(format!("{}\t{}", h.id, h.name));
    }
    Ok(())
}
