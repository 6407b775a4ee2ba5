//! Materialises a [`Household`] from its document.

use std::collections::BTreeMap;

use automerge::{ObjId, ObjType, ROOT, ReadDoc, Value, ValueRef};

use super::codec::{decode_gps, decode_official};
use super::fields::Fields;
use super::schema as k;
use crate::digital_address::plus_code;
use crate::error::{Error, Result};
use crate::model::*;

pub fn read_household<D: ReadDoc>(doc: &D) -> Result<Household> {
    let root = Fields::of(doc, &ROOT);
    let gps = root.parsed(k::GPS, decode_gps)?;
    let plus = gps.as_ref().map(|g: &GpsFix| plus_code(g.lat, g.lon));
    let members_obj = root.req_map(k::MEMBERS)?;
    let mut members = BTreeMap::new();
    for (key, kind, obj, _) in Fields::of(doc, &members_obj).entries() {
        if kind != Some(ObjType::Map) {
            return Err(Error::CorruptDocument(format!("{key}: expected a map")));
        }
        let member = read_member(doc, &obj, MemberId(key.to_owned()))?;
        members.insert(member.id.clone(), member);
    }
    Ok(Household {
        id: HouseholdId(root.req_str(k::ID)?),
        area: Area {
            province_code: root.req_str(k::PROVINCE)?,
            commune_code: root.req_str(k::COMMUNE)?,
            hamlet_id: root.str(k::HAMLET)?.unwrap_or_default(),
        },
        address: Address {
            street: root.str(k::STREET)?,
            alley: root.str(k::ALLEY)?,
            house_number: root.str(k::HOUSE_NUMBER)?,
        },
        digital_address: DigitalAddress {
            gps,
            plus_code: plus,
            official: root.parsed(k::OFFICIAL_CODE, decode_official)?,
            dataset_version: root.str(k::DATASET_VERSION)?.unwrap_or_default(),
        },
        head: root.str(k::HEAD)?.map(MemberId),
        members,
        visits: read_list(doc, root.req_list(k::VISITS)?, k::VISITS, read_visit)?,
        consents: read_list(doc, root.req_list(k::CONSENTS)?, k::CONSENTS, read_consent)?,
        notes: root.str(k::NOTES)?,
        lifecycle: root.req_parsed(k::LIFECYCLE, Lifecycle::from_code)?,
        merged_into: root.str(k::MERGED_INTO)?.map(HouseholdId),
        created_at: root.req_time(k::CREATED_AT)?,
        created_by: VolunteerId(root.req_str(k::CREATED_BY)?),
    })
}

fn read_member<D: ReadDoc>(doc: &D, obj: &ObjId, id: MemberId) -> Result<Member> {
    let f = Fields::of(doc, obj);
    let mut checklist = BTreeMap::new();
    if let Some(list) = f.map(k::CHECKLIST)? {
        for (key, kind, entry_id, conflict) in Fields::of(doc, &list).entries() {
            // Unknown items come from a newer app version: skip them rather than fail.
            let Some(item) = ChecklistItem::from_code(key) else {
                continue;
            };
            let entry = if conflict {
                read_checklist_entry(doc, &list, key)?
            } else if kind.is_some() {
                Some(read_entry(doc, &entry_id)?)
            } else {
                return Err(Error::CorruptDocument(format!("{key}: expected an entry")));
            };
            if let Some(entry) = entry {
                checklist.insert(item, entry);
            }
        }
    }
    Ok(Member {
        id,
        full_name: f.req_str(k::FULL_NAME)?,
        birth: f.parsed(k::BIRTH, BirthDate::parse)?,
        gender: f.parsed(k::GENDER, Gender::from_code)?,
        relation: f.req_parsed(k::RELATION, Relation::from_code)?,
        id_number: f.str(k::ID_NUMBER)?,
        phone: f.str(k::PHONE)?,
        residence: f.req_parsed(k::RESIDENCE, ResidenceType::from_code)?,
        removed: f.str(k::STATUS)?.as_deref() == Some(k::MEMBER_REMOVED),
        checklist,
    })
}

/// The entry for one item written concurrently: the most advanced status wins (ties go to the
/// highest operation id, the same on every replica).
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
    let f = Fields::of(doc, obj);
    Ok(ChecklistEntry {
        status: f.req_parsed(k::ENTRY_STATUS, ChecklistStatus::from_code)?,
        reason: f.str(k::ENTRY_REASON)?,
        smartphone: f.parsed(k::ENTRY_SMARTPHONE, SmartphoneAccess::from_code)?,
        set_by: VolunteerId(f.req_str(k::ENTRY_BY)?),
        set_at: f.req_time(k::ENTRY_AT)?,
        device: DeviceId(f.req_str(k::ENTRY_DEVICE)?),
    })
}

fn read_list<D: ReadDoc, T>(
    doc: &D,
    list: ObjId,
    key: &str,
    read: fn(&D, &ObjId) -> Result<T>,
) -> Result<Vec<T>> {
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
    let f = Fields::of(doc, obj);
    Ok(Visit {
        id: RecordId(f.req_str(k::REC_ID)?),
        date: f.req_parsed(k::VISIT_DATE, date)?,
        volunteer: VolunteerId(f.req_str(k::REC_VOLUNTEER)?),
        device: DeviceId(f.req_str(k::REC_DEVICE)?),
        outcome: f.req_parsed(k::VISIT_OUTCOME, VisitOutcome::from_code)?,
        note: f.str(k::VISIT_NOTE)?,
        follow_up_on: f.parsed(k::VISIT_FOLLOW_UP, date)?,
        recorded_at: f.req_time(k::REC_AT)?,
    })
}

fn read_consent<D: ReadDoc>(doc: &D, obj: &ObjId) -> Result<ConsentEvent> {
    let f = Fields::of(doc, obj);
    Ok(ConsentEvent {
        id: RecordId(f.req_str(k::REC_ID)?),
        member: MemberId(f.req_str(k::CONSENT_MEMBER)?),
        action: f.req_parsed(k::CONSENT_ACTION, ConsentAction::from_code)?,
        purposes: ConsentPurposes {
            local_register: f.bool(k::CONSENT_LOCAL_REGISTER)?,
            setup_help: f.bool(k::CONSENT_SETUP_HELP)?,
            share_with_commune: f.bool(k::CONSENT_SHARE)?,
        },
        notice_version: f.req_str(k::CONSENT_NOTICE)?,
        method: f.req_parsed(k::CONSENT_METHOD, ConsentMethod::from_code)?,
        guardian: f.str(k::CONSENT_GUARDIAN)?.map(MemberId),
        volunteer: VolunteerId(f.req_str(k::REC_VOLUNTEER)?),
        device: DeviceId(f.req_str(k::REC_DEVICE)?),
        at: f.req_time(k::REC_AT)?,
    })
}
