//! "Who changed what, when": the change log of a document, with each change's actor mapped to the
//! volunteer and device recorded in the document's `actors` map.

use std::collections::HashMap;

use automerge::{AutoCommit, ROOT};
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::schema as k;
use super::value::{get_str, req_map};
use crate::error::Result;
use crate::model::{DeviceId, VolunteerId};

/// One change in a household's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The change hash, hex.
    pub change: String,
    pub volunteer: Option<VolunteerId>,
    pub device: Option<DeviceId>,
    /// By the writing device's clock.
    pub at: Option<DateTime<Utc>>,
    /// What changed (`member.set <id> phone`, `checklist.set <id> vneid_level1 done`, ...).
    pub what: String,
}

/// The document's actor table as stored (actor hex -> `volunteer|device`), empty when missing.
pub fn actor_entries(doc: &AutoCommit) -> std::collections::BTreeMap<String, String> {
    let Ok(Some(obj)) = super::value::get_map(doc, ROOT, k::ACTORS) else {
        return Default::default();
    };
    automerge::ReadDoc::keys(doc, &obj)
        .filter_map(|key| {
            let value = get_str(doc, &obj, &key).ok().flatten()?;
            Some((key, value))
        })
        .collect()
}

/// Maps actor ids (hex) to the volunteer and device that wrote with them.
pub struct Actors(HashMap<String, (VolunteerId, DeviceId)>);

impl Actors {
    pub fn read(doc: &AutoCommit) -> Result<Self> {
        let obj = req_map(doc, ROOT, k::ACTORS)?;
        let mut map = HashMap::new();
        for key in automerge::ReadDoc::keys(doc, &obj) {
            if let Some(v) = get_str(doc, &obj, &key)?
                && let Some((vol, dev)) = v.split_once('|')
            {
                map.insert(key, (VolunteerId(vol.to_owned()), DeviceId(dev.to_owned())));
            }
        }
        Ok(Self(map))
    }

    pub fn who(&self, actor_hex: &str) -> (Option<VolunteerId>, Option<DeviceId>) {
        match self.0.get(actor_hex) {
            Some((v, d)) => (Some(v.clone()), Some(d.clone())),
            None => (None, None),
        }
    }
}

pub fn seconds_to_time(secs: i64) -> Option<DateTime<Utc>> {
    if secs == 0 {
        None
    } else {
        Utc.timestamp_opt(secs, 0).single()
    }
}

pub fn history(doc: &mut AutoCommit) -> Result<Vec<HistoryEntry>> {
    let actors = Actors::read(doc)?;
    let entries = doc
        .get_changes_meta(&[])
        .into_iter()
        .map(|meta| {
            let (volunteer, device) = actors.who(&meta.actor.to_hex_string());
            HistoryEntry {
                change: meta.hash.to_string(),
                volunteer,
                device,
                at: seconds_to_time(meta.timestamp),
                what: meta.message.map(|m| m.into_owned()).unwrap_or_default(),
            }
        })
        .collect();
    Ok(entries)
}
