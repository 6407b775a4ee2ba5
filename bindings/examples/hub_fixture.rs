//! Test fixture for the Kotlin and Swift suites (not shipped): a commune hub served on
//! 127.0.0.1 (port 0) and a second device in Rust, driven one command per line on stdin.
//!
//! `hub_fixture DIR` starts the hub with data under DIR, a coordinator and an area of commune
//! 00004 with hamlet "Tổ dân phố 5", and prints `ready <hub url>`. Then, one answer line per
//! command, `ok ...` or `err <message>`:
//!
//! - `pair VOLUNTEER`: a pairing code for VOLUNTEER -> `ok CODE`
//! - `device-create VOLUNTEER`: the second device's register (DIR/device.db), enrolled -> `ok DEVICE_ID`
//! - `device-sync` -> `ok OUTCOME PUSHED PULLED`
//! - `device-household NAME...`: the second device registers a household (no street) whose head
//!   is NAME, with nothing personal -> `ok HOUSEHOLD MEMBER`
//! - `device-rename HOUSEHOLD MEMBER NAME...`: edits a member's name on the second device -> `ok`
//! - `device-name HOUSEHOLD MEMBER` -> `ok NAME`
//! - `hub-households` -> `ok ID...` (the households the hub holds)
//! - `hub-member-name HOUSEHOLD MEMBER` -> `ok NAME` (as the hub holds it)
//! - `hub-member-personal HOUSEHOLD MEMBER`: what personal data the hub holds of a member ->
//!   `ok birth=yes|no id=yes|no phone=yes|no checklist=N` (N items beyond "not asked")
//! - `quit` -> `ok`, and the hub stops.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::{
    Address, Area, ChecklistStatus, Household, HouseholdId, MemberId, Relation, ResidenceType,
    VolunteerId,
};
use gocua_core::sync::{self, SyncOptions, TlsOptions};
use gocua_core::{HouseholdDoc, MemberField, Register};
use gocua_hub::http::RunningHub;
use gocua_hub::{Hub, HubConfig, HubStore, SqliteStore, admin};

const PROVINCE: &str = "01";
const COMMUNE: &str = "00004";
const HAMLET: &str = "Tổ dân phố 5";
const COORDINATOR: &str = "coord-01";
const AREA: &str = "area-01";

type Res<T> = Result<T, String>;

struct Fixture {
    dir: PathBuf,
    store: Arc<SqliteStore>,
    hub: Option<RunningHub>,
    device: Option<Register>,
}

fn s(e: impl std::fmt::Display) -> String {
    e.to_string()
}

impl Fixture {
    fn start(dir: &Path) -> Res<Self> {
        std::fs::create_dir_all(dir).map_err(s)?;
        let store = Arc::new(SqliteStore::open(&dir.join("hub.db")).map_err(s)?);
        admin::add_coordinator(
            store.as_ref(),
            COORDINATOR,
            "Cán bộ xã",
            COMMUNE,
            Utc::now(),
        )
        .map_err(s)?;
        admin::create_area(
            store.as_ref(),
            AREA,
            "Địa bàn 1",
            COMMUNE,
            &[HAMLET.to_owned()],
        )
        .map_err(s)?;
        let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
        let running = RunningHub::start(hub, "127.0.0.1:0", None, false).map_err(s)?;
        Ok(Self {
            dir: dir.to_owned(),
            store,
            hub: Some(running),
            device: None,
        })
    }

    fn url(&self) -> String {
        self.hub.as_ref().map(RunningHub::url).unwrap_or_default()
    }

    fn pair(&self, volunteer: &str) -> Res<String> {
        admin::issue_pairing(
            self.store.as_ref(),
            COORDINATOR,
            volunteer,
            AREA,
            chrono::Duration::hours(1),
            Utc::now(),
        )
        .map_err(s)
    }

    fn device(&mut self) -> Res<&mut Register> {
        self.device
            .as_mut()
            .ok_or_else(|| "no second device yet".to_owned())
    }

    /// The household as the hub holds it.
    fn hub_household(&self, household: &str) -> Res<Household> {
        let doc = self
            .store
            .load_doc(household)
            .map_err(s)?
            .ok_or_else(|| "the hub does not hold this household".to_owned())?;
        HouseholdDoc::load(&doc.bytes)
            .and_then(|d| d.read())
            .map_err(s)
    }

    fn run(&mut self, line: &str) -> Res<String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let rest = |n: usize| words.get(n..).map(|w| w.join(" ")).unwrap_or_default();
        match words.as_slice() {
            ["pair", volunteer] => self.pair(volunteer),
            ["device-create", volunteer] => {
                let path = self.dir.join("device.db");
                let mut register =
                    Register::create(&path, VolunteerId((*volunteer).to_owned()), COMMUNE)
                        .map_err(s)?;
                let code = self.pair(volunteer)?;
                sync::enrol(&mut register, &self.url(), &code, &TlsOptions::default())
                    .map_err(s)?;
                let id = register.identity().device.0.clone();
                self.device = Some(register);
                Ok(id)
            }
            ["device-sync"] => {
                let report = sync::sync(self.device()?, &SyncOptions::default()).map_err(s)?;
                Ok(format!(
                    "{} {} {}",
                    report.outcome.code(),
                    report.pushed,
                    report.pulled
                ))
            }
            ["device-household", _, ..] => {
                let name = rest(1);
                let device = self.device()?;
                let hamlet = device.hamlets(COMMUNE).map_err(s)?;
                let hamlet = hamlet.first().ok_or("the device has no hamlet")?;
                let input = HouseholdInput {
                    area: Area {
                        province_code: PROVINCE.to_owned(),
                        commune_code: COMMUNE.to_owned(),
                        hamlet_id: hamlet.id.clone(),
                    },
                    address: Address {
                        house_number: Some("7".to_owned()),
                        ..Address::default()
                    },
                    gps: None,
                    official: None,
                    notes: None,
                };
                let h = device.create_household(input).map_err(s)?.value;
                let head = MemberInput {
                    full_name: name,
                    birth: None,
                    gender: None,
                    relation: Relation::Head,
                    id_number: None,
                    phone: None,
                    residence: ResidenceType::Permanent,
                };
                let m = device.add_member(&h, head).map_err(s)?.value;
                Ok(format!("{h} {m}"))
            }
            ["device-rename", household, member, _, ..] => {
                let (h, m) = (HouseholdId((*household).into()), MemberId((*member).into()));
                let name = rest(3);
                self.device()?
                    .set_member_field(&h, &m, MemberField::FullName(name))
                    .map_err(s)?;
                Ok(String::new())
            }
            ["device-name", household, member] => {
                let h = self
                    .device()?
                    .household(&HouseholdId((*household).into()))
                    .map_err(s)?;
                member_name(&h, member)
            }
            ["hub-households"] => {
                let ids = self.store.doc_ids().map_err(s)?;
                Ok(ids
                    .into_iter()
                    .map(|(id, _, _)| id)
                    .collect::<Vec<_>>()
                    .join(" "))
            }
            ["hub-member-name", household, member] => {
                member_name(&self.hub_household(household)?, member)
            }
            ["hub-member-personal", household, member] => {
                let h = self.hub_household(household)?;
                let m = h
                    .members
                    .get(&MemberId((*member).to_owned()))
                    .ok_or("no such member")?;
                let yes = |b: bool| if b { "yes" } else { "no" };
                let asked = m
                    .checklist
                    .values()
                    .filter(|e| e.status != ChecklistStatus::NotAsked)
                    .count();
                Ok(format!(
                    "birth={} id={} phone={} checklist={asked}",
                    yes(m.birth.is_some()),
                    yes(m.id_number.is_some()),
                    yes(m.phone.is_some()),
                ))
            }
            ["quit"] => {
                if let Some(hub) = self.hub.take() {
                    hub.stop();
                }
                Ok(String::new())
            }
            _ => Err(format!("unknown command: {}", words.first().unwrap_or(&""))),
        }
    }
}

fn member_name(h: &Household, member: &str) -> Res<String> {
    h.members
        .get(&MemberId(member.to_owned()))
        .map(|m| m.full_name.clone())
        .ok_or_else(|| "no such member".to_owned())
}

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: hub_fixture DIR");
        std::process::exit(2);
    };
    let mut out = std::io::stdout().lock();
    let mut fixture = match Fixture::start(Path::new(&dir)) {
        Ok(f) => f,
        Err(e) => {
            let _ = writeln!(out, "err {e}");
            std::process::exit(1);
        }
    };
    let _ = writeln!(out, "ready {}", fixture.url());
    let _ = out.flush();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let answer = match fixture.run(line.trim()) {
            Ok(v) if v.is_empty() => "ok".to_owned(),
            Ok(v) => format!("ok {v}"),
            Err(e) => format!("err {}", e.replace('\n', " ")),
        };
        let _ = writeln!(out, "{answer}");
        let _ = out.flush();
        if line.trim() == "quit" {
            break;
        }
    }
}
