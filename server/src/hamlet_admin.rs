//! A commune's hamlets as its coordinators change them during a campaign (issue 17): added to an
//! area, renamed, moved to another area, merged into another hamlet, retired; and a volunteer's
//! device given another area. Used by the dashboard and by `gocua-hub`.
//!
//! A hamlet keeps its id for life: households name it, so a rename changes only what people
//! read. Every change reaches the phones with their area at their next sync (core/src/sync/
//! area.rs); a merge also moves the households, on the hub now and on the phones that still
//! hold them, so no phone drops work it has not sent.

use chrono::{DateTime, Utc};
use gocua_core::model::{DeviceId, VolunteerId};
use gocua_core::sync::wire::{AreaInfo, HamletInfo};
use gocua_core::text::{hamlet_id, nfc};
use gocua_core::{ChangeContext, Edit, HouseholdDoc, HouseholdField};

use crate::admin::AdminError;
use crate::hub::{HubWriteRefused, write_validated};
use crate::store::HubStore;

/// Times a merge reloads a household that a sync changed while it was being moved.
const MERGE_ATTEMPTS: usize = 3;

fn invalid(vi: impl Into<String>, en: impl Into<String>) -> AdminError {
    AdminError::Invalid {
        vi: vi.into(),
        en: en.into(),
    }
}

/// The commune's areas as the hub sends them to devices.
fn areas_of(store: &dyn HubStore, commune: &str) -> Result<Vec<AreaInfo>, AdminError> {
    let dash = store
        .dashboard()
        .ok_or_else(|| AdminError::NotFound("dashboard".into()))?;
    let mut out = Vec::new();
    for row in dash.areas(commune)? {
        if let Some(area) = store.area(&row.area_id)? {
            out.push(area);
        }
    }
    Ok(out)
}

/// The area of the commune that holds `hamlet`, and the hamlet.
fn area_holding(
    store: &dyn HubStore,
    commune: &str,
    hamlet: &str,
) -> Result<(AreaInfo, HamletInfo), AdminError> {
    areas_of(store, commune)?
        .into_iter()
        .find_map(|a| {
            let h = a.hamlets.iter().find(|h| h.id == hamlet)?.clone();
            Some((a, h))
        })
        .ok_or_else(|| AdminError::NotFound(format!("hamlet {hamlet}")))
}

fn own_area(store: &dyn HubStore, commune: &str, area_id: &str) -> Result<AreaInfo, AdminError> {
    store
        .area(area_id)?
        .filter(|a| a.commune_code == commune)
        .ok_or_else(|| AdminError::NotFound(format!("area {area_id}")))
}

/// A hamlet's name as people write it, checked; its id as devices derive it.
fn checked_name(name: &str) -> Result<(String, String), AdminError> {
    let name = nfc(name.trim());
    let id = hamlet_id(&name);
    if id.is_empty() || name.chars().count() > 100 {
        return Err(invalid(
            "tên thôn phải có chữ hoặc số, tối đa 100 ký tự",
            "a hamlet name needs letters or digits, 100 characters at most",
        ));
    }
    Ok((name, id))
}

/// Refuses a name that another hamlet in service of the commune already has (or one that reads
/// the same without accents): volunteers pick hamlets by name.
fn refuse_taken(areas: &[AreaInfo], name: &str, except: Option<&str>) -> Result<(), AdminError> {
    let folded = hamlet_id(name);
    let taken = areas
        .iter()
        .flat_map(|a| &a.hamlets)
        .any(|h| Some(h.id.as_str()) != except && (h.id == folded || hamlet_id(&h.name) == folded));
    if taken {
        return Err(invalid(
            "xã đã có thôn mang tên này",
            "the commune already has a hamlet of this name",
        ));
    }
    Ok(())
}

/// Adds a hamlet to an area. A retired hamlet of the same name comes back into service.
pub fn add_hamlet(
    store: &dyn HubStore,
    commune: &str,
    area_id: &str,
    name: &str,
) -> Result<HamletInfo, AdminError> {
    let (name, id) = checked_name(name)?;
    let mut area = own_area(store, commune, area_id)?;
    refuse_taken(&areas_of(store, commune)?, &name, None)?;
    let hamlet = HamletInfo { id, name };
    area.hamlets.push(hamlet.clone());
    store.put_area(&area)?;
    Ok(hamlet)
}

/// Renames a hamlet; its id, and so every household of it, stays.
pub fn rename_hamlet(
    store: &dyn HubStore,
    commune: &str,
    hamlet: &str,
    name: &str,
) -> Result<HamletInfo, AdminError> {
    let (name, _) = checked_name(name)?;
    let (mut area, _) = area_holding(store, commune, hamlet)?;
    refuse_taken(&areas_of(store, commune)?, &name, Some(hamlet))?;
    let renamed = HamletInfo {
        id: hamlet.to_owned(),
        name,
    };
    for h in area.hamlets.iter_mut().filter(|h| h.id == hamlet) {
        *h = renamed.clone();
    }
    store.put_area(&area)?;
    Ok(renamed)
}

/// Moves a hamlet (with its households) to another area of the commune: how an area is split
/// or two areas are joined. The old area's phones drop its households, but keep any they have
/// changes of not yet sent (the hub then refuses those as outside their area, and says so).
pub fn move_hamlet(
    store: &dyn HubStore,
    commune: &str,
    hamlet: &str,
    to_area: &str,
) -> Result<(), AdminError> {
    let (mut from, h) = area_holding(store, commune, hamlet)?;
    let mut to = own_area(store, commune, to_area)?;
    if from.area_id == to.area_id {
        return Ok(());
    }
    from.hamlets.retain(|x| x.id != hamlet);
    to.hamlets.push(h);
    // Into the new area first: for a moment both areas hold it, never neither.
    store.put_area(&to)?;
    store.put_area(&from)?;
    Ok(())
}

/// Retires a hamlet that has no household (one with households is merged instead).
pub fn retire_hamlet(
    store: &dyn HubStore,
    commune: &str,
    hamlet: &str,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let (mut area, _) = area_holding(store, commune, hamlet)?;
    let held = store.hamlet_docs(commune, hamlet)?.len();
    if held > 0 {
        return Err(invalid(
            format!("thôn còn {held} hộ: hãy gộp thôn vào một thôn khác"),
            format!("the hamlet still has {held} households: merge it into another hamlet"),
        ));
    }
    area.hamlets.retain(|h| h.id != hamlet);
    store.put_area(&area)?;
    store.retire_hamlet(commune, hamlet, None, now)?;
    Ok(())
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeReport {
    /// Households moved into the hamlet that stays.
    pub moved: usize,
    /// Households that could not be moved (a rule they break, or a sync that kept changing
    /// them): the merged hamlet stays in service while any remain.
    pub left: usize,
}

/// Merges hamlet `from` into `into`: every household of `from` moves, as a change made on the hub
/// in the coordinator's name (each checked by the phones' validators), then `from` retires. The
/// phones still holding households of `from` move them too (`AreaInfo::merged`).
pub fn merge_hamlet(
    store: &dyn HubStore,
    coordinator: &str,
    commune: &str,
    from: &str,
    into: &str,
    now: DateTime<Utc>,
) -> Result<MergeReport, AdminError> {
    if from == into {
        return Err(invalid(
            "chọn hai thôn khác nhau",
            "choose two different hamlets",
        ));
    }
    let (mut from_area, _) = area_holding(store, commune, from)?;
    area_holding(store, commune, into)?;
    let hub_id = store.hub_id()?;
    let mut report = MergeReport { moved: 0, left: 0 };
    for doc_id in store.hamlet_docs(commune, from)? {
        if move_household(store, &hub_id, coordinator, &doc_id, into, now)? {
            report.moved += 1;
        } else {
            report.left += 1;
        }
    }
    if report.left > 0 {
        return Ok(report);
    }
    from_area.hamlets.retain(|h| h.id != from);
    store.put_area(&from_area)?;
    store.retire_hamlet(commune, from, Some(into), now)?;
    Ok(report)
}

/// Moves one household into hamlet `into`; false when it cannot be (a broken rule, or a sync
/// that changed it at every attempt).
fn move_household(
    store: &dyn HubStore,
    hub_id: &str,
    coordinator: &str,
    doc_id: &str,
    into: &str,
    now: DateTime<Utc>,
) -> Result<bool, AdminError> {
    let ctx = ChangeContext {
        volunteer: VolunteerId(coordinator.to_owned()),
        device: DeviceId(hub_id.to_owned()),
        at: now,
    };
    let by = format!("coordinator:{coordinator}");
    for _ in 0..MERGE_ATTEMPTS {
        let Some(rec) = store.load_doc(doc_id)? else {
            return Ok(true);
        };
        let Ok(mut doc) = HouseholdDoc::load(&rec.bytes) else {
            return Ok(false);
        };
        let edit = Edit::SetHousehold {
            field: HouseholdField::Hamlet(into.to_owned()),
        };
        if doc.apply(&edit, &ctx).is_err() {
            return Ok(false);
        }
        match write_validated(store, doc_id, rec.seq, &mut doc, &by, now) {
            Ok(()) => return Ok(true),
            Err(HubWriteRefused::Stale) => continue,
            Err(HubWriteRefused::Invalid { .. }) => return Ok(false),
            Err(HubWriteRefused::Store(e)) => return Err(e.into()),
        }
    }
    Ok(false)
}

/// Gives a volunteer's device another area of its commune: at its next sync it drops the
/// households outside the new area (keeping those with unsent changes) and receives the new
/// area's.
pub fn move_device(
    store: &dyn HubStore,
    commune: &str,
    device_id: &str,
    area_id: &str,
) -> Result<(), AdminError> {
    let dash = store
        .dashboard()
        .ok_or_else(|| AdminError::NotFound("dashboard".into()))?;
    if dash.device_commune(device_id)?.as_deref() != Some(commune) {
        return Err(AdminError::NotFound(format!("device {device_id}")));
    }
    own_area(store, commune, area_id)?;
    if !store.move_device(device_id, area_id)? {
        return Err(AdminError::NotFound(format!("device {device_id}")));
    }
    Ok(())
}

/// Pauses a volunteer's device (`pause`) or resumes it: while paused it is refused at sync as
/// `paused`, keeps its data, and is not counted as overdue. A revoked device is not paused.
pub fn pause_device(
    store: &dyn HubStore,
    commune: &str,
    device_id: &str,
    pause: bool,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let dash = store
        .dashboard()
        .ok_or_else(|| AdminError::NotFound("dashboard".into()))?;
    if dash.device_commune(device_id)?.as_deref() != Some(commune)
        || !store.set_device_paused(device_id, pause.then_some(now))?
    {
        return Err(AdminError::NotFound(format!("device {device_id}")));
    }
    Ok(())
}
