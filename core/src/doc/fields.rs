//! The values of one map object read in a single pass (`map_range`), with the same typed reads
//! and the same `CorruptDocument` errors as [`super::value`]. A `get` per key seeks the object's
//! operations again each time: reading a whole household that way took 0.50 ms against 0.07 ms
//! for one pass over every value (`bench/src/bin/household_bytes.rs`, W1's households), and
//! every edit, merge and pull reads the household.

use automerge::iter::MapRangeItem;
use automerge::{ObjId, ObjType, ReadDoc, ScalarValueRef, ValueRef};
use chrono::{DateTime, Utc};

use super::codec::millis_to_time;
use super::value::corrupt;
use crate::error::Result;

pub struct Fields<'a> {
    items: Vec<MapRangeItem<'a>>,
}

impl<'a> Fields<'a> {
    /// The visible value of every key of `obj` (the same winner `get` returns for a key written
    /// concurrently; [`Self::conflicted`] tells which keys were).
    pub fn of<D: ReadDoc>(doc: &'a D, obj: &ObjId) -> Self {
        Self {
            items: doc.map_range(obj, ..).collect(),
        }
    }

    fn item(&self, key: &str) -> Option<&MapRangeItem<'a>> {
        self.items.iter().find(|i| i.key == key)
    }

    /// Every key with its value's object type (`None` for a scalar), its id, and whether other
    /// values were written to it concurrently.
    pub fn entries(&self) -> impl Iterator<Item = (&str, Option<ObjType>, ObjId, bool)> {
        self.items.iter().map(|i| {
            let kind = match i.value {
                ValueRef::Object(t) => Some(t),
                ValueRef::Scalar(_) => None,
            };
            (i.key.as_ref(), kind, i.id(), i.conflict)
        })
    }

    /// Those of `keys`, in their order, that hold values written concurrently.
    pub fn conflicted<'k>(&self, keys: &[&'k str]) -> Vec<&'k str> {
        keys.iter()
            .copied()
            .filter(|key| self.item(key).is_some_and(|i| i.conflict))
            .collect()
    }

    fn scalar(&self, key: &str, wanted: &str) -> Result<Option<&ScalarValueRef<'a>>> {
        match self.item(key).map(|i| &i.value) {
            None => Ok(None),
            Some(ValueRef::Scalar(s)) => Ok(Some(s)),
            Some(ValueRef::Object(_)) => Err(corrupt(key, wanted)),
        }
    }

    /// A string value, or `None` when the key is absent.
    pub fn str(&self, key: &str) -> Result<Option<String>> {
        match self.scalar(key, "text")? {
            None => Ok(None),
            Some(ScalarValueRef::Str(s)) => Ok(Some(s.to_string())),
            Some(_) => Err(corrupt(key, "text")),
        }
    }

    pub fn req_str(&self, key: &str) -> Result<String> {
        self.str(key)?.ok_or_else(|| corrupt(key, "a value"))
    }

    /// A string value parsed with `parse`; present but unparseable is corruption.
    pub fn parsed<T>(&self, key: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>> {
        match self.str(key)? {
            None => Ok(None),
            Some(s) => parse(&s)
                .map(Some)
                .ok_or_else(|| corrupt(key, "a known code")),
        }
    }

    pub fn req_parsed<T>(&self, key: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
        self.parsed(key, parse)?
            .ok_or_else(|| corrupt(key, "a value"))
    }

    pub fn req_time(&self, key: &str) -> Result<DateTime<Utc>> {
        match self.scalar(key, "a time")? {
            Some(ScalarValueRef::Timestamp(ms)) => {
                millis_to_time(*ms).ok_or_else(|| corrupt(key, "a time"))
            }
            _ => Err(corrupt(key, "a time")),
        }
    }

    /// A yes/no value, no when absent.
    pub fn bool(&self, key: &str) -> Result<bool> {
        match self.scalar(key, "yes/no")? {
            None => Ok(false),
            Some(ScalarValueRef::Boolean(b)) => Ok(*b),
            Some(_) => Err(corrupt(key, "yes/no")),
        }
    }

    fn obj(&self, key: &str, kind: ObjType, wanted: &str) -> Result<Option<ObjId>> {
        match self.item(key) {
            None => Ok(None),
            Some(i) if i.value == ValueRef::Object(kind) => Ok(Some(i.id())),
            Some(_) => Err(corrupt(key, wanted)),
        }
    }

    pub fn map(&self, key: &str) -> Result<Option<ObjId>> {
        self.obj(key, ObjType::Map, "an object")
    }

    pub fn req_map(&self, key: &str) -> Result<ObjId> {
        self.map(key)?.ok_or_else(|| corrupt(key, "a map"))
    }

    pub fn req_list(&self, key: &str) -> Result<ObjId> {
        self.obj(key, ObjType::List, "an object")?
            .ok_or_else(|| corrupt(key, "a list"))
    }
}
