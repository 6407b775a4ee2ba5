//! Materialises a [`Household`] from its document.

use std::collections::BTreeMap;

use automerge::{ObjId, ROOT, ReadDoc, Value, ValueRef};

use super::codec::{decode_gps, decode_official};
use super::schema as k;
use super::value::{
    get_bool, get_map, get_parsed, get_str, req_list, req_map, req_parsed, req_str, req_time,
};
use crate::digital_address::plus_code;
use crate::error::{Error, Result};
use crate::model::*;

pub fn read_household<D: ReadDoc>(doc: &D) -> Result<Household> {
    let gps = get_parsed(doc, ROOT, k::GPS, decode_gps)?;
    let plus = gps.as_ref().map(|g: &GpsFix| plus_code(g.lat, g.lon));
    let members_obj = req_map(doc, ROOT, k::MEMBERS)?;
    let mut members = BTreeMap::new();
    for key in doc.keys(&members_obj) {
        let obj = req_map(doc, &members_obj, &key)?;
        let member = read_member(doc, &obj, MemberId(key))?;
        members.insert(member.id.clone(), member);
    }
    Ok(Household {
        id: HouseholdId(req_str(doc, ROOT, k::ID)?),
        area: Area {
            province_code: req_str(doc, ROOT, k::PROVINCE)?,
            commune_code: req_str(doc, ROOT, k::COMMUNE)?,
            hamlet_id: get_str(doc, ROOT, k::HAMLET)?.unwrap_or_default(),
        },
        address: Address {
            street: get_str(doc, ROOT, k::STREET)?,
            alley: get_str(doc, ROOT, k::ALLEY)?,
            house_number: get_str(doc, ROOT, k::HOUSE_NUMBER)?,
        },
        digital_address: DigitalAddress {
            gps,
            plus_code: plus,
            official: get_parsed(doc, ROOT, k::OFFICIAL_CODE, decode_official)?,
            dataset_version: get_str(doc, ROOT, k::DATASET_VERSION)?.unwrap_or_default(),
        },
        head: get_str(doc, ROOT, k::HEAD)?.map(MemberId),
        members,
        visits: read_list(doc, k::VISITS, read_visit)?,
        consents: read_list(doc, k::CONSENTS, read_consent)?,
        notes: get_str(doc, ROOT, k::NOTES)?,
        lifecycle: req_parsed(doc, ROOT, k::LIFECYCLE, Lifecycle::from_code)?,
        merged_into: get_str(doc, ROOT, k::MERGED_INTO)?.map(HouseholdId),
        created_at: req_time(doc, ROOT, k::CREATED_AT)?,
        created_by: VolunteerId(req_str(doc, ROOT, k::CREATED_BY)?),
    })
}

fn read_member<D: ReadDoc>(doc: &D, obj: &ObjId, id: MemberId) -> Result<Member> {
    let mut checklist = BTreeMap::new();
    if let Some(list) = get_map(doc, obj, k::CHECKLIST)? {
        for key in doc.keys(&list) {
            // Unknown items come from a newer app version: skip them rather than fail.
            let Some(item) = ChecklistItem::from_code(&key) else {
                continue;
            };
            if let Some(entry) = read_checklist_entry(doc, &list, &key)? {
                checklist.insert(item, entry);
            }
        }
    }
    Ok(Member {
        id,
        full_name: req_str(doc, obj, k::FULL_NAME)?,
        birth: get_parsed(doc, obj, k::BIRTH, BirthDate::parse)?,
        gender: get_parsed(doc, obj, k::GENDER, Gender::from_code)?,
        relation: req_parsed(doc, obj, k::RELATION, Relation::from_code)?,
        id_number: get_str(doc, obj, k::ID_NUMBER)?,
        phone: get_str(doc, obj, k::PHONE)?,
        residence: req_parsed(doc, obj, k::RESIDENCE, ResidenceType::from_code)?,
        removed: get_str(doc, obj, k::STATUS)?.as_deref() == Some(k::MEMBER_REMOVED),
        checklist,
    })
}

/// The entry for one item: among concurrently written entries, the most advanced status wins
/// (ties go to the highest operation id, the same on every replica).
fn read_checklist_entry<D: ReadDoc>(
    doc: &D,
    list: &ObjId,
    key: &str,
) -> Result<Option<ChecklistEntry>> {
    let mut best: Option<(u8, ObjId, ChecklistEntry)> = None;
    for (value, id) in doc.get_all(list, key)? {
        let Value::Object(_) = value else {
            return Err(Error::CorruptDocument(format!("{key}: expected an entry")));
        };
        let entry = read_entry(doc, &id)?;
        let rank = entry.status.rank();
        let better = match &best {
            None => true,
            Some((r, best_id, _)) => rank > *r || (rank == *r && id > *best_id),
        };
        if better {
            best = Some((rank, id, entry));
        }
    }
    Ok(best.map(|(_, _, e)| e))
}

fn read_entry<D: ReadDoc>(doc: &D, obj: &ObjId) -> Result<ChecklistEntry> {
    Ok(ChecklistEntry {
        status: req_parsed(doc, obj, k::ENTRY_STATUS, ChecklistStatus::from_code)?,
        reason: get_str(doc, obj, k::ENTRY_REASON)?,
        smartphone: get_parsed(doc, obj, k::ENTRY_SMARTPHONE, SmartphoneAccess::from_code)?,
        set_by: VolunteerId(req_str(doc, obj, k::ENTRY_BY)?),
        set_at: req_time(doc, obj, k::ENTRY_AT)?,
        device: DeviceId(req_str(doc, obj, k::ENTRY_DEVICE)?),
    })
}

fn read_list<D: ReadDoc, T>(
    doc: &D,
    key: &str,
    read: fn(&D, &ObjId) -> Result<T>,
) -> Result<Vec<T>> {
    let list = req_list(doc, ROOT, key)?;
    let mut out = Vec::new();
    for item in doc.list_range(&list, ..) {
        match item.value {
            ValueRef::Object(_) => out.push(read(doc, &item.id())?),
            ValueRef::Scalar(_) => {
                return Err(Error::CorruptDocument(format!("{key}: expected records")));
            }
        }
    }
    Ok(out)
}

fn read_visit<D: ReadDoc>(doc: &D, obj: &ObjId) -> Result<Visit> {
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    Ok(Visit {
        id: RecordId(req_str(doc, obj, k::REC_ID)?),
        date: req_parsed(doc, obj, k::VISIT_DATE, date)?,
        volunteer: VolunteerId(req_str(doc, obj, k::REC_VOLUNTEER)?),
        device: DeviceId(req_str(doc, obj, k::REC_DEVICE)?),
        outcome: req_parsed(doc, obj, k::VISIT_OUTCOME, VisitOutcome::from_code)?,
        note: get_str(doc, obj, k::VISIT_NOTE)?,
        follow_up_on: get_parsed(doc, obj, k::VISIT_FOLLOW_UP, date)?,
        recorded_at: req_time(doc, obj, k::REC_AT)?,
    })
}

fn read_consent<D: ReadDoc>(doc: &D, obj: &ObjId) -> Result<ConsentEvent> {
    Ok(ConsentEvent {
        id: RecordId(req_str(doc, obj, k::REC_ID)?),
        member: MemberId(req_str(doc, obj, k::CONSENT_MEMBER)?),
        action: req_parsed(doc, obj, k::CONSENT_ACTION, ConsentAction::from_code)?,
        purposes: ConsentPurposes {
            local_register: get_bool(doc, obj, k::CONSENT_LOCAL_REGISTER)?,
            setup_help: get_bool(doc, obj, k::CONSENT_SETUP_HELP)?,
            share_with_commune: get_bool(doc, obj, k::CONSENT_SHARE)?,
        },
        notice_version: req_str(doc, obj, k::CONSENT_NOTICE)?,
        method: req_parsed(doc, obj, k::CONSENT_METHOD, ConsentMethod::from_code)?,
        guardian: get_str(doc, obj, k::CONSENT_GUARDIAN)?.map(MemberId),
        volunteer: VolunteerId(req_str(doc, obj, k::REC_VOLUNTEER)?),
        device: DeviceId(req_str(doc, obj, k::REC_DEVICE)?),
        at: req_time(doc, obj, k::REC_AT)?,
    })
}
