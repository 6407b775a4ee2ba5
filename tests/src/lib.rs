//! Cross-crate integration tests live in `tests/`; this library holds their shared fixtures.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::*;
use gocua_core::sync::{InProcess, Response, SyncError, Transport};
use gocua_core::{FixedClock, HouseholdDoc, Register};
use gocua_hub::{Hub, HubConfig, HubStore, SqliteStore, admin};

pub const COMMUNE: &str = "00004";
pub const PROVINCE: &str = "01";

/// A hub on an in-memory or file store with a coordinator and two areas:
/// `a` (Thôn Đông, Thôn Tây) and `b` (Thôn Bắc).
pub fn hub(dir: &std::path::Path) -> (Arc<SqliteStore>, Arc<Hub>) {
    let store = Arc::new(SqliteStore::open(&dir.join("hub.db")).unwrap());
    let now = Utc::now();
    admin::add_coordinator(store.as_ref(), "coord", "Cán bộ xã", COMMUNE, now).unwrap();
    admin::create_area(
        store.as_ref(),
        "a",
        "Đông Tây",
        COMMUNE,
        &["Thôn Đông".into(), "Thôn Tây".into()],
    )
    .unwrap();
    admin::create_area(store.as_ref(), "b", "Bắc", COMMUNE, &["Thôn Bắc".into()]).unwrap();
    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
    (store, hub)
}

pub fn code(store: &SqliteStore, volunteer: &str, area: &str) -> String {
    admin::issue_pairing(
        store,
        "coord",
        volunteer,
        area,
        chrono::Duration::hours(1),
        Utc::now(),
    )
    .unwrap()
}

/// A new register for `volunteer`, in its own file.
pub fn register(dir: &std::path::Path, volunteer: &str) -> Register {
    Register::create(
        &dir.join(format!("{volunteer}.db")),
        VolunteerId(volunteer.into()),
        COMMUNE,
    )
    .unwrap()
    .with_clock(FixedClock(Utc.timestamp_opt(1_790_000_000, 0).unwrap()))
}

pub fn household(hamlet: &str, n: usize) -> HouseholdInput {
    HouseholdInput {
        area: Area {
            province_code: PROVINCE.into(),
            commune_code: COMMUNE.into(),
            hamlet_id: hamlet.into(),
        },
        address: Address {
            street: Some("Đường Làng".into()),
            alley: None,
            house_number: Some(n.to_string()),
        },
        gps: None,
        official: None,
        notes: None,
    }
}

pub fn member(name: &str, relation: Relation) -> MemberInput {
    MemberInput {
        full_name: name.into(),
        birth: Some(BirthDate::Year(1980)),
        gender: Some(Gender::Female),
        relation,
        id_number: None,
        phone: None,
        residence: ResidenceType::Permanent,
    }
}

/// Every household the hub holds, read from its documents.
pub fn hub_households(store: &SqliteStore) -> Vec<Household> {
    store
        .doc_ids()
        .unwrap()
        .into_iter()
        .map(|(id, _, _)| {
            HouseholdDoc::load(&store.load_doc(&id).unwrap().unwrap().bytes)
                .unwrap()
                .read()
                .unwrap()
        })
        .collect()
}

/// Every household a register holds.
pub fn device_households(reg: &Register) -> Vec<Household> {
    reg.household_ids()
        .unwrap()
        .iter()
        .map(|id| reg.household(id).unwrap())
        .collect()
}

/// Where a faulty transport fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The request never reaches the hub.
    BeforeHub,
    /// The hub handles the request, the answer is lost.
    AfterHub,
}

/// Fails the `nth` request (0-based) to `path` at `fault`, passes the others.
pub struct Faulty {
    pub inner: InProcess,
    pub path: &'static str,
    pub nth: usize,
    pub fault: Fault,
    pub seen: std::sync::Mutex<usize>,
}

impl Transport for Faulty {
    fn post(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<Response, SyncError> {
        let hit = if path == self.path {
            let mut seen = self.seen.lock().unwrap();
            let hit = *seen == self.nth;
            *seen += 1;
            hit
        } else {
            false
        };
        if hit && self.fault == Fault::BeforeHub {
            return Err(SyncError::Network(
                "injected: connection dropped before the hub".into(),
            ));
        }
        let resp = self.inner.post(path, token, content_type, body)?;
        if hit {
            return Err(SyncError::Network(
                "injected: connection dropped after the hub".into(),
            ));
        }
        Ok(resp)
    }
}
