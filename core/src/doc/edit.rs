//! Edits: every way the register changes a household, each applied as one Automerge change.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use serde::{Deserialize, Serialize};

use super::codec::{encode_gps, encode_official};
use super::conflict::FieldPath;
use super::context::ChangeContext;
use super::schema as k;
use super::value::{all_strs, get_map, get_parsed, get_str, get_time, req_list, req_map};
use crate::error::{Error, Result};
use crate::input::{HouseholdInput, MemberInput};
use crate::model::*;

/// A household-level field and its new value (`None` clears it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum HouseholdField {
    Hamlet(String),
    Street(Option<String>),
    Alley(Option<String>),
    HouseNumber(Option<String>),
    Gps(Option<GpsFix>),
    OfficialCode(Option<OfficialCode>),
    Head(Option<MemberId>),
    Notes(Option<String>),
    Lifecycle(Lifecycle),
    MergedInto(Option<HouseholdId>),
}

/// A member field and its new value (`None` clears it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum MemberField {
    FullName(String),
    Birth(Option<BirthDate>),
    Gender(Option<Gender>),
    Relation(Relation),
    IdNumber(Option<String>),
    Phone(Option<String>),
    Residence(ResidenceType),
}

/// One change to a household. Values must already be validated and normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    SetHousehold {
        field: HouseholdField,
    },
    AddMember {
        id: MemberId,
        member: MemberInput,
    },
    SetMember {
        member: MemberId,
        field: MemberField,
    },
    /// Marks a member as no longer in the household (kept for history and sync).
    RemoveMember {
        member: MemberId,
    },
    SetChecklist {
        member: MemberId,
        item: ChecklistItem,
        status: ChecklistStatus,
        reason: Option<String>,
        smartphone: Option<SmartphoneAccess>,
    },
    AddVisit {
        id: RecordId,
        date: chrono::NaiveDate,
        outcome: VisitOutcome,
        note: Option<String>,
        follow_up_on: Option<chrono::NaiveDate>,
    },
    AddConsent {
        id: RecordId,
        member: MemberId,
        action: ConsentAction,
        purposes: ConsentPurposes,
        notice_version: String,
        method: ConsentMethod,
        guardian: Option<MemberId>,
    },
    /// Settles a conflict by writing `value` (one of the conflicting values, in stored form)
    /// over all of them.
    ResolveConflict {
        field: FieldPath,
        value: Option<String>,
    },
    /// Corrects the times a phone recorded while its clock ran ahead: every visit, consent and
    /// checklist entry that `device` recorded later than `after`, and the registration time if
    /// later than `after`, move by `secs` (negative: back); a visit's date moves with its time.
    ShiftTimes {
        device: DeviceId,
        secs: i64,
        after: chrono::DateTime<chrono::Utc>,
    },
}

impl Edit {
    /// The change message kept in history: what changed, never the personal data itself.
    pub fn describe(&self) -> String {
        match self {
            Edit::SetHousehold { field } => format!("household.set {}", household_key(field)),
            Edit::AddMember { id, .. } => format!("member.add {id}"),
            Edit::SetMember { member, field } => {
                format!("member.set {member} {}", member_key(field))
            }
            Edit::RemoveMember { member } => format!("member.remove {member}"),
            Edit::SetChecklist {
                member,
                item,
                status,
                ..
            } => format!("checklist.set {member} {item} {status}"),
            Edit::AddVisit { outcome, .. } => format!("visit.add {outcome}"),
            Edit::AddConsent { member, action, .. } => format!("consent.{action} {member}"),
            Edit::ResolveConflict { field, .. } => format!("conflict.resolve {field}"),
            Edit::ShiftTimes { device, secs, .. } => format!("clock.shift {device} {secs}"),
        }
    }
}

pub(crate) fn household_key(field: &HouseholdField) -> &'static str {
    match field {
        HouseholdField::Hamlet(_) => k::HAMLET,
        HouseholdField::Street(_) => k::STREET,
        HouseholdField::Alley(_) => k::ALLEY,
        HouseholdField::HouseNumber(_) => k::HOUSE_NUMBER,
        HouseholdField::Gps(_) => k::GPS,
        HouseholdField::OfficialCode(_) => k::OFFICIAL_CODE,
        HouseholdField::Head(_) => k::HEAD,
        HouseholdField::Notes(_) => k::NOTES,
        HouseholdField::Lifecycle(_) => k::LIFECYCLE,
        HouseholdField::MergedInto(_) => k::MERGED_INTO,
    }
}

fn household_value(field: &HouseholdField) -> Option<String> {
    match field {
        HouseholdField::Hamlet(v) => Some(v.clone()),
        HouseholdField::Street(v)
        | HouseholdField::Alley(v)
        | HouseholdField::HouseNumber(v)
        | HouseholdField::Notes(v) => v.clone(),
        HouseholdField::Gps(v) => v.as_ref().map(encode_gps),
        HouseholdField::OfficialCode(v) => v.as_ref().map(encode_official),
        HouseholdField::Head(v) => v.as_ref().map(|m| m.0.clone()),
        HouseholdField::Lifecycle(v) => Some(v.code().to_owned()),
        HouseholdField::MergedInto(v) => v.as_ref().map(|h| h.0.clone()),
    }
}

pub(crate) fn member_key(field: &MemberField) -> &'static str {
    match field {
        MemberField::FullName(_) => k::FULL_NAME,
        MemberField::Birth(_) => k::BIRTH,
        MemberField::Gender(_) => k::GENDER,
        MemberField::Relation(_) => k::RELATION,
        MemberField::IdNumber(_) => k::ID_NUMBER,
        MemberField::Phone(_) => k::PHONE,
        MemberField::Residence(_) => k::RESIDENCE,
    }
}

fn member_value(field: &MemberField) -> Option<String> {
    match field {
        MemberField::FullName(v) => Some(v.clone()),
        MemberField::Birth(v) => v.map(BirthDate::to_code),
        MemberField::Gender(v) => v.map(|g| g.code().to_owned()),
        MemberField::Relation(v) => Some(v.code().to_owned()),
        MemberField::IdNumber(v) | MemberField::Phone(v) => v.clone(),
        MemberField::Residence(v) => Some(v.code().to_owned()),
    }
}

/// Writes `value` at `key`, or deletes the key for `None`. Writing the value already there is
/// skipped, unless the key holds concurrent values (then the write settles them).
fn put_opt(doc: &mut AutoCommit, obj: &ObjId, key: &str, value: Option<&str>) -> Result<()> {
    let current = all_strs(doc, obj, key)?;
    let unchanged = match (value, current.as_slice()) {
        (None, []) => true,
        (Some(v), [(only, _)]) => only == v,
        _ => false,
    };
    if unchanged {
        return Ok(());
    }
    match value {
        Some(v) => doc.put(obj, key, v)?,
        None => doc.delete(obj, key)?,
    }
    Ok(())
}

pub fn apply_household_input(doc: &mut AutoCommit, input: &HouseholdInput) -> Result<()> {
    let root = ROOT;
    put_opt(doc, &root, k::HAMLET, Some(&input.area.hamlet_id))?;
    put_opt(doc, &root, k::STREET, input.address.street.as_deref())?;
    put_opt(doc, &root, k::ALLEY, input.address.alley.as_deref())?;
    put_opt(
        doc,
        &root,
        k::HOUSE_NUMBER,
        input.address.house_number.as_deref(),
    )?;
    put_opt(
        doc,
        &root,
        k::GPS,
        input.gps.as_ref().map(encode_gps).as_deref(),
    )?;
    put_opt(
        doc,
        &root,
        k::OFFICIAL_CODE,
        input.official.as_ref().map(encode_official).as_deref(),
    )?;
    put_opt(doc, &root, k::NOTES, input.notes.as_deref())
}

fn member_obj(doc: &AutoCommit, member: &MemberId) -> Result<ObjId> {
    let members = req_map(doc, ROOT, k::MEMBERS)?;
    get_map(doc, &members, member.as_str())?.ok_or_else(|| Error::NotFound {
        what: "member",
        id: member.0.clone(),
    })
}

pub fn apply(doc: &mut AutoCommit, edit: &Edit, ctx: &ChangeContext) -> Result<()> {
    match edit {
        Edit::SetHousehold { field } => {
            if let HouseholdField::Head(Some(m)) = field {
                member_obj(doc, m)?;
            }
            put_opt(
                doc,
                &ROOT,
                household_key(field),
                household_value(field).as_deref(),
            )
        }
        Edit::AddMember { id, member } => {
            let members = req_map(doc, ROOT, k::MEMBERS)?;
            if get_map(doc, &members, id.as_str())?.is_some() {
                return Err(Error::Internal("member id already used".into()));
            }
            let obj = doc.put_object(&members, id.as_str(), ObjType::Map)?;
            doc.put(&obj, k::FULL_NAME, member.full_name.as_str())?;
            doc.put(&obj, k::RELATION, member.relation.code())?;
            doc.put(&obj, k::RESIDENCE, member.residence.code())?;
            doc.put(&obj, k::STATUS, k::MEMBER_CURRENT)?;
            for (key, value) in [
                (k::BIRTH, member.birth.map(BirthDate::to_code)),
                (k::GENDER, member.gender.map(|g| g.code().to_owned())),
                (k::ID_NUMBER, member.id_number.clone()),
                (k::PHONE, member.phone.clone()),
            ] {
                if let Some(v) = value {
                    doc.put(&obj, key, v)?;
                }
            }
            doc.put_object(&obj, k::CHECKLIST, ObjType::Map)?;
            if member.relation == Relation::Head && doc.get(ROOT, k::HEAD)?.is_none() {
                doc.put(ROOT, k::HEAD, id.as_str())?;
            }
            Ok(())
        }
        Edit::SetMember { member, field } => {
            let obj = member_obj(doc, member)?;
            put_opt(doc, &obj, member_key(field), member_value(field).as_deref())
        }
        Edit::RemoveMember { member } => {
            let obj = member_obj(doc, member)?;
            put_opt(doc, &obj, k::STATUS, Some(k::MEMBER_REMOVED))?;
            // A household whose head left has no head until a person names a new one.
            if get_str(doc, ROOT, k::HEAD)?.as_deref() == Some(member.as_str()) {
                put_opt(doc, &ROOT, k::HEAD, None)?;
            }
            Ok(())
        }
        Edit::SetChecklist {
            member,
            item,
            status,
            reason,
            smartphone,
        } => {
            let obj = member_obj(doc, member)?;
            let list = match get_map(doc, &obj, k::CHECKLIST)? {
                Some(list) => list,
                None => doc.put_object(&obj, k::CHECKLIST, ObjType::Map)?,
            };
            let entry = doc.put_object(&list, item.code(), ObjType::Map)?;
            doc.put(&entry, k::ENTRY_STATUS, status.code())?;
            if let Some(r) = reason {
                doc.put(&entry, k::ENTRY_REASON, r.as_str())?;
            }
            if let Some(s) = smartphone {
                doc.put(&entry, k::ENTRY_SMARTPHONE, s.code())?;
            }
            doc.put(&entry, k::ENTRY_BY, ctx.volunteer.as_str())?;
            doc.put(
                &entry,
                k::ENTRY_AT,
                ScalarValue::Timestamp(ctx.at.timestamp_millis()),
            )?;
            doc.put(&entry, k::ENTRY_DEVICE, ctx.device.as_str())?;
            Ok(())
        }
        Edit::AddVisit {
            id,
            date,
            outcome,
            note,
            follow_up_on,
        } => {
            let obj = append_record(doc, k::VISITS, id, ctx)?;
            doc.put(&obj, k::VISIT_DATE, date.format("%Y-%m-%d").to_string())?;
            doc.put(&obj, k::VISIT_OUTCOME, outcome.code())?;
            if let Some(n) = note {
                doc.put(&obj, k::VISIT_NOTE, n.as_str())?;
            }
            if let Some(f) = follow_up_on {
                doc.put(&obj, k::VISIT_FOLLOW_UP, f.format("%Y-%m-%d").to_string())?;
            }
            Ok(())
        }
        Edit::AddConsent {
            id,
            member,
            action,
            purposes,
            notice_version,
            method,
            guardian,
        } => {
            member_obj(doc, member)?;
            if let Some(g) = guardian {
                member_obj(doc, g)?;
            }
            let obj = append_record(doc, k::CONSENTS, id, ctx)?;
            doc.put(&obj, k::CONSENT_MEMBER, member.as_str())?;
            doc.put(&obj, k::CONSENT_ACTION, action.code())?;
            doc.put(&obj, k::CONSENT_LOCAL_REGISTER, purposes.local_register)?;
            doc.put(&obj, k::CONSENT_SETUP_HELP, purposes.setup_help)?;
            doc.put(&obj, k::CONSENT_SHARE, purposes.share_with_commune)?;
            doc.put(&obj, k::CONSENT_NOTICE, notice_version.as_str())?;
            doc.put(&obj, k::CONSENT_METHOD, method.code())?;
            if let Some(g) = guardian {
                doc.put(&obj, k::CONSENT_GUARDIAN, g.as_str())?;
            }
            Ok(())
        }
        Edit::ResolveConflict { field, value } => {
            let (obj, key) = super::conflict::locate(doc, field)?;
            let current = all_strs(doc, &obj, &key)?;
            if current.len() < 2 {
                return Err(Error::NoConflict(field.to_string()));
            }
            if let Some(v) = value
                && !current.iter().any(|(c, _)| c == v)
            {
                return Err(Error::NotAConflictValue);
            }
            put_opt(doc, &obj, &key, value.as_deref())
        }
        Edit::ShiftTimes {
            device,
            secs,
            after,
        } => shift_times(doc, device, *secs, *after),
    }
}

/// Appends a record map to an append-only list (at the end: concurrent appends all survive).
fn append_record(
    doc: &mut AutoCommit,
    list_key: &str,
    id: &RecordId,
    ctx: &ChangeContext,
) -> Result<ObjId> {
    let list = req_list(doc, ROOT, list_key)?;
    let len = doc.length(&list);
    let obj = doc.insert_object(&list, len, ObjType::Map)?;
    doc.put(&obj, k::REC_ID, id.as_str())?;
    doc.put(&obj, k::REC_VOLUNTEER, ctx.volunteer.as_str())?;
    doc.put(&obj, k::REC_DEVICE, ctx.device.as_str())?;
    doc.put(
        &obj,
        k::REC_AT,
        ScalarValue::Timestamp(ctx.at.timestamp_millis()),
    )?;
    Ok(obj)
}

/// [`Edit::ShiftTimes`]: what `device` recorded after `after` moves by `secs`.
fn shift_times(
    doc: &mut AutoCommit,
    device: &DeviceId,
    secs: i64,
    after: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let moved = |t: chrono::DateTime<chrono::Utc>| t + chrono::Duration::seconds(secs);
    let stamp = |t: chrono::DateTime<chrono::Utc>| ScalarValue::Timestamp(t.timestamp_millis());
    if let Some(t) = get_time(doc, ROOT, k::CREATED_AT)?
        && t > after
    {
        doc.put(ROOT, k::CREATED_AT, stamp(moved(t)))?;
    }
    for list_key in [k::VISITS, k::CONSENTS] {
        let list = req_list(doc, ROOT, list_key)?;
        let records: Vec<ObjId> = (0..doc.length(&list))
            .filter_map(|i| match doc.get(&list, i) {
                Ok(Some((Value::Object(_), id))) => Some(id),
                _ => None,
            })
            .collect();
        for obj in records {
            let by = get_str(doc, &obj, k::REC_DEVICE)?;
            let Some(t) = get_time(doc, &obj, k::REC_AT)? else {
                continue;
            };
            if by.as_deref() != Some(device.as_str()) || t <= after {
                continue;
            }
            doc.put(&obj, k::REC_AT, stamp(moved(t)))?;
            // The visit's date moves by as many days as the time it was recorded at did.
            let days = moved(t).date_naive() - t.date_naive();
            if list_key == k::VISITS
                && days.num_days() != 0
                && let Some(date) = get_parsed(doc, &obj, k::VISIT_DATE, |d| {
                    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()
                })?
            {
                let day = date + days;
                doc.put(&obj, k::VISIT_DATE, day.format("%Y-%m-%d").to_string())?;
            }
        }
    }
    let members = req_map(doc, ROOT, k::MEMBERS)?;
    let member_ids: Vec<String> = doc.keys(&members).collect();
    for m in member_ids {
        let Some(obj) = get_map(doc, &members, &m)? else {
            continue;
        };
        let Some(list) = get_map(doc, &obj, k::CHECKLIST)? else {
            continue;
        };
        let items: Vec<String> = doc.keys(&list).collect();
        for item in items {
            let Some(entry) = get_map(doc, &list, &item)? else {
                continue;
            };
            let by = get_str(doc, &entry, k::ENTRY_DEVICE)?;
            if let Some(t) = get_time(doc, &entry, k::ENTRY_AT)?
                && by.as_deref() == Some(device.as_str())
                && t > after
            {
                doc.put(&entry, k::ENTRY_AT, stamp(moved(t)))?;
            }
        }
    }
    Ok(())
}
