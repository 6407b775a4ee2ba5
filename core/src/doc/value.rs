//! Small typed reads over an Automerge object, returning `CorruptDocument` when a value has the
//! wrong type, so that a damaged or foreign document fails loudly instead of reading as empty.

use automerge::{ObjId, ObjType, ReadDoc, Value};
use chrono::{DateTime, Utc};

use super::codec::millis_to_time;
use crate::error::{Error, Result};

pub(super) fn corrupt(key: &str, wanted: &str) -> Error {
    Error::CorruptDocument(format!("{key}: expected {wanted}"))
}

/// A string value, or `None` when the key is absent.
pub fn get_str<D: ReadDoc>(doc: &D, obj: impl AsRef<ObjId>, key: &str) -> Result<Option<String>> {
    match doc.get(obj, key)? {
        None => Ok(None),
        Some((Value::Scalar(s), _)) => s
            .as_str()
            .map(|s| Some(s.to_owned()))
            .ok_or_else(|| corrupt(key, "text")),
        Some(_) => Err(corrupt(key, "text")),
    }
}

/// A string value parsed with `parse`; present but unparseable is corruption.
pub fn get_parsed<D: ReadDoc, T>(
    doc: &D,
    obj: impl AsRef<ObjId>,
    key: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    match get_str(doc, obj, key)? {
        None => Ok(None),
        Some(s) => parse(&s)
            .map(Some)
            .ok_or_else(|| corrupt(key, "a known code")),
    }
}

pub fn get_time<D: ReadDoc>(
    doc: &D,
    obj: impl AsRef<ObjId>,
    key: &str,
) -> Result<Option<DateTime<Utc>>> {
    match doc.get(obj, key)? {
        None => Ok(None),
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            automerge::ScalarValue::Timestamp(ms) => millis_to_time(*ms)
                .map(Some)
                .ok_or_else(|| corrupt(key, "a time")),
            _ => Err(corrupt(key, "a time")),
        },
        Some(_) => Err(corrupt(key, "a time")),
    }
}

fn get_obj<D: ReadDoc>(
    doc: &D,
    obj: impl AsRef<ObjId>,
    key: &str,
    kind: ObjType,
) -> Result<Option<ObjId>> {
    match doc.get(obj, key)? {
        None => Ok(None),
        Some((Value::Object(t), id)) if t == kind => Ok(Some(id)),
        Some(_) => Err(corrupt(key, "an object")),
    }
}

pub fn get_map<D: ReadDoc>(doc: &D, obj: impl AsRef<ObjId>, key: &str) -> Result<Option<ObjId>> {
    get_obj(doc, obj, key, ObjType::Map)
}

pub fn req_map<D: ReadDoc>(doc: &D, obj: impl AsRef<ObjId>, key: &str) -> Result<ObjId> {
    get_map(doc, obj, key)?.ok_or_else(|| corrupt(key, "a map"))
}

pub fn req_list<D: ReadDoc>(doc: &D, obj: impl AsRef<ObjId>, key: &str) -> Result<ObjId> {
    get_obj(doc, obj, key, ObjType::List)?.ok_or_else(|| corrupt(key, "a list"))
}

/// Every value concurrently held at `key`, as text, with the id of the operation that wrote it
/// (sorted by operation id, so the order is the same on every replica).
pub fn all_strs<D: ReadDoc>(
    doc: &D,
    obj: impl AsRef<ObjId>,
    key: &str,
) -> Result<Vec<(String, ObjId)>> {
    let mut out = Vec::new();
    for (v, id) in doc.get_all(obj, key)? {
        match v {
            Value::Scalar(s) => out.push((
                s.as_str().ok_or_else(|| corrupt(key, "text"))?.to_owned(),
                id,
            )),
            Value::Object(_) => return Err(corrupt(key, "text")),
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}
