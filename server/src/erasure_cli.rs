//! `gocua-hub erasure-requests`, `approve-erasure`, `refuse-erasure` and `erase`: a coordinator
//! honours a person's right to deletion from the hub's command line, as from the dashboard.
//! Output holds ids and codes only, never personal data (a server terminal is often shared).

use std::fmt::Write;
use std::sync::Arc;

use gocua_core::model::is_valid_id;

use crate::hub::{ApiError, Hub, HubConfig};
use crate::store::{EraseRequestRecord, HubStore};

fn api_error(e: ApiError) -> String {
    format!("{} / {}", e.body.message_vi, e.body.message_en)
}

/// The commune a coordinator works for.
pub fn commune_of(store: &dyn HubStore, coordinator: &str) -> Result<String, String> {
    store
        .coordinator_commune(coordinator)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("không có cán bộ xã {coordinator} / no coordinator {coordinator}"))
}

/// `household` or `household, member <id>`.
pub fn what(r: &EraseRequestRecord) -> String {
    match &r.member {
        Some(m) => format!("household {}, member {m}", r.household),
        None => format!("household {} (whole)", r.household),
    }
}

/// The requests as a plain table.
pub fn table(requests: &[EraseRequestRecord]) -> String {
    if requests.is_empty() {
        return "no erasure requests\n".into();
    }
    let mut out = String::from(
        "request  state     requested at               hamlet      volunteer   what\n",
    );
    for r in requests {
        let _ = writeln!(
            out,
            "{:<8} {:<9} {:<26} {:<11} {:<11} {}",
            r.request_id,
            r.decision.code(),
            r.requested_at,
            r.hamlet,
            r.volunteer_id,
            what(r)
        );
    }
    out
}

/// Approves or refuses a request as `coordinator`.
pub fn decide(
    store: Arc<dyn HubStore>,
    coordinator: &str,
    request: i64,
    approve: bool,
) -> Result<EraseRequestRecord, String> {
    let commune = commune_of(store.as_ref(), coordinator)?;
    Hub::new(store, HubConfig::default())
        .decide_erasure(coordinator, &commune, request, approve)
        .map_err(api_error)
}

/// Erases a household or a member of the coordinator's commune; says what was done.
pub fn erase(
    store: Arc<dyn HubStore>,
    coordinator: &str,
    household: &str,
    member: Option<&str>,
) -> Result<String, String> {
    if !is_valid_id(household) || member.is_some_and(|m| !is_valid_id(m)) {
        return Err(
            "mã hộ hoặc mã thành viên không hợp lệ (như trong danh sách yêu cầu xoá) / invalid household or member id (as in the erasure request list)"
                .into(),
        );
    }
    let commune = commune_of(store.as_ref(), coordinator)?;
    let hub = Hub::new(store, HubConfig::default());
    match hub
        .erase(
            &format!("coordinator:{coordinator}"),
            &commune,
            household,
            member,
        )
        .map_err(api_error)?
    {
        Some(e) if e.gone => Ok(format!(
            "household {household} erased (epoch {}); every device drops it at its next sync",
            e.epoch
        )),
        Some(e) => Ok(format!(
            "member erased from household {household} (epoch {}); every device takes the rewritten household at its next sync",
            e.epoch
        )),
        None => Err(
            "không có gì để xoá: hộ hoặc thành viên không có trong xã này / nothing to erase: no such household or member in this commune"
                .into(),
        ),
    }
}
