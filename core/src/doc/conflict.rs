//! Conflicts: a field written concurrently on two or more replicas with different values (two
//! spellings of a name). Automerge keeps every concurrent value; we show them to a person, who
//! picks one with [`super::Edit::ResolveConflict`].

use std::str::FromStr;

use automerge::{AutoCommit, ObjId, ObjType, ROOT};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::fields::Fields;
use super::history::{Actors, seconds_to_time};
use super::schema as k;
use super::value::{all_strs, get_map, req_map};
use crate::error::{Error, Result};
use crate::model::{DeviceId, MemberId, VolunteerId};

/// Which field: a household key, or a member's key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FieldPath {
    pub member: Option<MemberId>,
    pub key: String,
}

impl FieldPath {
    pub fn household(key: &str) -> Self {
        Self {
            member: None,
            key: key.to_owned(),
        }
    }

    pub fn member(member: &MemberId, key: &str) -> Self {
        Self {
            member: Some(member.clone()),
            key: key.to_owned(),
        }
    }
}

/// `household.street` or `member.<id>.full_name`.
impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.member {
            None => write!(f, "household.{}", self.key),
            Some(m) => write!(f, "member.{m}.{}", self.key),
        }
    }
}

impl FromStr for FieldPath {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::UnknownField(s.to_owned());
        let path = if let Some(key) = s.strip_prefix("household.") {
            k::HOUSEHOLD_FIELDS
                .contains(&key)
                .then(|| FieldPath::household(key))
        } else if let Some(rest) = s.strip_prefix("member.") {
            let (member, key) = rest.split_once('.').ok_or_else(bad)?;
            k::MEMBER_FIELDS
                .contains(&key)
                .then(|| FieldPath::member(&MemberId(member.to_owned()), key))
        } else {
            None
        };
        path.ok_or_else(bad)
    }
}

/// One of the concurrent values of a field, with who wrote it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictValue {
    /// The value in stored form; pass it back to resolve the conflict in its favour.
    pub value: String,
    pub volunteer: Option<VolunteerId>,
    pub device: Option<DeviceId>,
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub field: FieldPath,
    /// In the same order on every replica.
    pub values: Vec<ConflictValue>,
}

/// The object and key a path points at.
pub fn locate(doc: &AutoCommit, path: &FieldPath) -> Result<(ObjId, String)> {
    let known = match &path.member {
        None => k::HOUSEHOLD_FIELDS.contains(&path.key.as_str()),
        Some(_) => k::MEMBER_FIELDS.contains(&path.key.as_str()),
    };
    if !known {
        return Err(Error::UnknownField(path.to_string()));
    }
    match &path.member {
        None => Ok((ROOT, path.key.clone())),
        Some(m) => {
            let members = req_map(doc, ROOT, k::MEMBERS)?;
            let obj = get_map(doc, &members, m.as_str())?.ok_or_else(|| Error::NotFound {
                what: "member",
                id: m.0.clone(),
            })?;
            Ok((obj, path.key.clone()))
        }
    }
}

/// Whether concurrent writes of a field left different values. The same value written on two
/// devices (a hamlet merge moved on the hub and on the phone, a typo fixed twice) asks nobody to
/// choose.
fn disagree(values: &[(String, ObjId)]) -> bool {
    values.iter().any(|(v, _)| *v != values[0].0)
}

pub fn find_conflicts(doc: &mut AutoCommit) -> Result<Vec<Conflict>> {
    // One pass per object: only keys that hold concurrent values need their every value read,
    // taken in the order of the field lists as before.
    let mut found: Vec<(FieldPath, Vec<(String, ObjId)>)> = Vec::new();
    let root = Fields::of(&*doc, &ROOT);
    for key in root.conflicted(k::HOUSEHOLD_FIELDS) {
        let values = all_strs(&*doc, ROOT, key)?;
        if disagree(&values) {
            found.push((FieldPath::household(key), values));
        }
    }
    let members = root.req_map(k::MEMBERS)?;
    for (member, kind, obj, _) in Fields::of(&*doc, &members).entries() {
        if kind != Some(ObjType::Map) {
            return Err(Error::CorruptDocument(format!("{member}: expected a map")));
        }
        for key in Fields::of(&*doc, &obj).conflicted(k::MEMBER_FIELDS) {
            let values = all_strs(&*doc, &obj, key)?;
            if disagree(&values) {
                found.push((FieldPath::member(&MemberId(member.to_owned()), key), values));
            }
        }
    }
    drop(root);
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let actors = Actors::read(doc)?;
    let mut conflicts = Vec::with_capacity(found.len());
    for (field, values) in found {
        let mut out = Vec::with_capacity(values.len());
        for (value, op) in values {
            let (volunteer, device, at) = match doc.hash_for_opid(&op) {
                Some(hash) => match doc.get_change_meta_by_hash(&hash) {
                    Some(meta) => {
                        let (v, d) = actors.who(&meta.actor.to_hex_string());
                        (v, d, seconds_to_time(meta.timestamp))
                    }
                    None => (None, None, None),
                },
                None => (None, None, None),
            };
            out.push(ConflictValue {
                value,
                volunteer,
                device,
                at,
            });
        }
        conflicts.push(Conflict { field, values: out });
    }
    Ok(conflicts)
}
