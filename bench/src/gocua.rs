//! gocua's side: the real hub (`gocua-hub serve`, its own process) and the real device core,
//! through the proxy.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::*;
use gocua_core::sync::{self, SessionOutcome, SyncOptions, SyncReport, TlsOptions};
use gocua_core::{FixedClock, HouseholdDoc, HouseholdField, Register};
use gocua_hub::{HubStore, SqliteStore, admin};
use sha2::{Digest, Sha256};

use crate::data::{GenEdit, GenHousehold, HAMLET_IDS, HAMLETS};

pub const COMMUNE: &str = "00004";
pub const PROVINCE: &str = "01";
pub const AREA: &str = "xa";

pub type BResult<T> = Result<T, Box<dyn std::error::Error>>;

/// A hub process on 127.0.0.1 with its data directory.
pub struct HubProc {
    child: Child,
    pub addr: SocketAddr,
    pub dir: PathBuf,
    pub codes: HashMap<String, String>,
}

impl HubProc {
    /// A fresh hub: one coordinator, one area with every bench hamlet, a pairing code for each
    /// volunteer; then `gocua-hub serve` on a free port.
    pub fn start(hub_bin: &Path, dir: &Path, volunteers: &[String]) -> BResult<HubProc> {
        std::fs::create_dir_all(dir)?;
        let mut codes = HashMap::new();
        {
            let store = SqliteStore::open(&dir.join("hub.db"))?;
            let now = Utc::now();
            admin::add_coordinator(&store, "coord", "Cán bộ xã", COMMUNE, now)?;
            let hamlets: Vec<String> = HAMLETS.iter().map(|h| h.to_string()).collect();
            admin::create_area(&store, AREA, "Cả xã", COMMUNE, &hamlets)?;
            for v in volunteers {
                let code = admin::issue_pairing(
                    &store,
                    "coord",
                    v,
                    AREA,
                    chrono::Duration::hours(4),
                    now,
                )?;
                codes.insert(v.clone(), code);
            }
        }
        let mut child = Command::new(hub_bin)
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let out = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(out).read_line(&mut line)?;
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .ok_or_else(|| format!("hub said: {line}"))?
            .parse()?;
        Ok(HubProc {
            child,
            addr,
            dir: dir.to_path_buf(),
            codes,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn store(&self) -> BResult<SqliteStore> {
        Ok(SqliteStore::open(&self.dir.join("hub.db"))?)
    }

    /// Content hash of every household the hub holds.
    pub fn content_hash(&self) -> BResult<(usize, String)> {
        let store = self.store()?;
        let mut rows = Vec::new();
        for (id, _, _) in store.doc_ids()? {
            let rec = store.load_doc(&id)?.ok_or("doc vanished")?;
            rows.push(canonical(&HouseholdDoc::load(&rec.bytes)?.read()?)?);
        }
        Ok((rows.len(), hash_rows(rows)))
    }
}

impl Drop for HubProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU time (user + system) of a process, in milliseconds, from /proc.
pub fn cpu_ms(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.rsplit(')').next()?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    // After the command: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks * 10) // USER_HZ is 100 on Linux.
}

/// Peak resident memory of a process (VmHWM), in KiB.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn canonical(h: &Household) -> BResult<String> {
    // Through serde_json::Value, whose maps are sorted: the same text on every replica.
    let mut v = serde_json::to_value(h)?;
    if let Some(o) = v.as_object_mut() {
        // Local index rows, not content.
        o.remove("conflict_count");
    }
    Ok(serde_json::to_string(&v)?)
}

fn hash_rows(mut rows: Vec<String>) -> String {
    rows.sort();
    let mut h = Sha256::new();
    for r in rows {
        h.update(r.as_bytes());
        h.update(b"\n");
    }
    hex::encode(&h.finalize()[..8])
}

/// Content hash of every household on a device.
pub fn device_hash(reg: &Register) -> BResult<(usize, String)> {
    let ids = reg.household_ids()?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in &ids {
        rows.push(canonical(&reg.household(id)?)?);
    }
    Ok((rows.len(), hash_rows(rows)))
}

/// A new register for `volunteer` with the bench hamlets.
pub fn new_register(path: &Path, volunteer: &str) -> BResult<Register> {
    let mut reg = Register::create(path, VolunteerId(volunteer.into()), COMMUNE)?
        .with_clock(FixedClock(Utc.timestamp_opt(1_790_000_000, 0).unwrap()));
    for h in HAMLETS {
        reg.add_hamlet(COMMUNE, h)?;
    }
    Ok(reg)
}

pub fn open_register(path: &Path) -> BResult<Register> {
    Ok(Register::open(path)?.with_clock(FixedClock(Utc.timestamp_opt(1_790_000_000, 0).unwrap())))
}

fn relation(code: &str) -> Relation {
    match code {
        "chu_ho" => Relation::Head,
        "vo" => Relation::Wife,
        "chong" => Relation::Husband,
        _ => Relation::Child,
    }
}

fn item(code: &str) -> ChecklistItem {
    match code {
        "smartphone" => ChecklistItem::Smartphone,
        "vneid_installed" => ChecklistItem::VneidInstalled,
        "vneid_level1" => ChecklistItem::VneidLevel1,
        "bank_account" => ChecklistItem::BankAccount,
        "mobile_money" => ChecklistItem::MobileMoney,
        _ => ChecklistItem::CyberSafety,
    }
}

fn status(code: &str) -> ChecklistStatus {
    match code {
        "done" => ChecklistStatus::Done,
        "in_progress" => ChecklistStatus::InProgress,
        "referred" => ChecklistStatus::Referred,
        _ => ChecklistStatus::Declined,
    }
}

/// The address part of a generated household, as a volunteer types it.
pub fn household_input(g: &GenHousehold) -> HouseholdInput {
    HouseholdInput {
        area: Area {
            province_code: PROVINCE.into(),
            commune_code: COMMUNE.into(),
            hamlet_id: HAMLET_IDS[g.hamlet].into(),
        },
        address: Address {
            street: Some(g.street.clone()),
            alley: Some(g.alley.clone()),
            house_number: Some(g.house_number.clone()),
        },
        gps: Some(GpsFix {
            lat: g.lat,
            lon: g.lon,
            accuracy_m: 8.0,
            fixed_at: Utc.timestamp_opt(1_790_000_000, 0).unwrap(),
            source: GpsSource::Fix,
        }),
        official: None,
        notes: None,
    }
}

/// A generated member, as a volunteer types them.
pub fn member_input(m: &crate::data::Member) -> MemberInput {
    MemberInput {
        full_name: m.full_name.clone(),
        birth: Some(BirthDate::Year(m.birth_year)),
        gender: Some(if m.gender == "male" {
            Gender::Male
        } else {
            Gender::Female
        }),
        relation: relation(&m.relation),
        id_number: Some(m.id_number.clone()),
        phone: Some(m.phone.clone()),
        residence: ResidenceType::Permanent,
    }
}

/// Adds a generated member with consent to every purpose recorded first (the consent rule); a
/// minor's consent comes from `guardian`, the head added before.
pub fn add_consented_member(
    reg: &mut Register,
    household: &HouseholdId,
    m: &crate::data::Member,
    guardian: Option<&MemberId>,
) -> BResult<MemberId> {
    let consent = gocua_core::consent_rule::ConsentGiven {
        guardian: guardian.cloned().filter(|_| m.birth_year > 2026 - 18),
        ..gocua_core::consent_rule::ConsentGiven::every_purpose()
    };
    Ok(reg
        .add_member_with_consent(household, member_input(m), &consent)?
        .value)
}

/// Registers one generated household as a volunteer would: the household, each member, the
/// head, the checklist items (each one durable write).
pub fn register_household(reg: &mut Register, g: &GenHousehold) -> BResult<HouseholdId> {
    let id = reg.create_household(household_input(g))?.value;
    let mut members = Vec::new();
    for m in &g.members {
        let mid = add_consented_member(reg, &id, m, members.first())?;
        members.push(mid);
    }
    reg.set_household_field(&id, HouseholdField::Head(Some(members[0].clone())))?;
    for c in &g.checklist {
        let it = item(&c.item);
        let st = status(&c.status);
        let phone = (it == ChecklistItem::Smartphone && st == ChecklistStatus::Done)
            .then_some(SmartphoneAccess::Own);
        let reason = (st == ChecklistStatus::Declined).then(|| "Chưa có nhu cầu".to_string());
        reg.set_checklist(&id, &members[c.member], it, st, reason, phone)?;
    }
    Ok(id)
}

/// Applies a generated edit to a household on a device.
pub fn apply_edit(reg: &mut Register, id: &HouseholdId, e: &GenEdit) -> BResult<()> {
    match e.field.as_str() {
        "notes" => {
            reg.set_household_field(id, HouseholdField::Notes(Some(e.value.clone())))?;
        }
        "house_number" => {
            reg.set_household_field(id, HouseholdField::HouseNumber(Some(e.value.clone())))?;
        }
        "phone" => {
            let h = reg.household(id)?;
            let head = h.head.clone().ok_or("no head")?;
            reg.set_member_field(
                id,
                &head,
                gocua_core::MemberField::Phone(Some(e.value.clone())),
            )?;
        }
        code => {
            let h = reg.household(id)?;
            let head = h.head.clone().ok_or("no head")?;
            let st = status(&e.value);
            let reason = (st == ChecklistStatus::Declined).then(|| "Chưa có nhu cầu".to_string());
            let it = item(code);
            let phone = (it == ChecklistItem::Smartphone && st == ChecklistStatus::Done)
                .then_some(SmartphoneAccess::Own);
            reg.set_checklist(id, &head, it, st, reason, phone)?;
        }
    }
    Ok(())
}

/// A hub's database at `db` with the bench's commune (one area of every hamlet), and a pairing
/// code for `volunteer`.
pub fn hub_with_code(db: &Path, volunteer: &str) -> BResult<(std::sync::Arc<SqliteStore>, String)> {
    let store = std::sync::Arc::new(SqliteStore::open(db)?);
    let now = Utc::now();
    gocua_hub::admin::add_coordinator(store.as_ref(), "coord", "Cán bộ xã", COMMUNE, now)?;
    let hamlets: Vec<String> = HAMLETS.iter().map(|h| h.to_string()).collect();
    gocua_hub::admin::create_area(store.as_ref(), AREA, "Cả xã", COMMUNE, &hamlets)?;
    let code = gocua_hub::admin::issue_pairing(
        store.as_ref(),
        "coord",
        volunteer,
        AREA,
        chrono::Duration::hours(4),
        now,
    )?;
    Ok((store, code))
}

/// A household with its first two generated members (a smaller seed than a whole visit).
pub fn seed_household(reg: &mut Register, g: &GenHousehold) -> BResult<HouseholdId> {
    let id = reg.create_household(household_input(g))?.value;
    let mut first = None;
    for m in g.members.iter().take(2) {
        let member = add_consented_member(reg, &id, m, first.as_ref())?;
        first.get_or_insert(member);
    }
    Ok(id)
}

pub fn enrol(reg: &mut Register, url: &str, code: &str) -> BResult<()> {
    sync::enrol(reg, url, code, &TlsOptions::default())?;
    Ok(())
}

/// Syncs until the hub and the device hold the same, as a phone does: the core itself resumes a
/// request cut on the way where the hub's copy ends (`SyncOptions::retries`), and when a whole
/// sync still fails the phone tries again (up to `attempts` syncs) when the link comes back.
pub fn sync_until_done(
    reg: &mut Register,
    attempts: u32,
    deadline: Duration,
) -> BResult<(SyncReport, u32)> {
    let started = Instant::now();
    let mut failures = 0;
    let mut last_err = String::new();
    for _ in 0..attempts {
        if started.elapsed() > deadline {
            break;
        }
        match sync::sync(reg, &SyncOptions::default()) {
            Ok(r) if r.outcome == SessionOutcome::Success && r.pending_after == 0 => {
                return Ok((r, failures));
            }
            Ok(r) => last_err = format!("outcome {:?}, {} pending", r.outcome, r.pending_after),
            Err(e) => last_err = e.to_string(),
        }
        failures += 1;
    }
    Err(format!("sync did not finish after {failures} failures: {last_err}").into())
}

/// Bytes of a register's files (database and WAL).
pub fn file_bytes(path: &Path) -> u64 {
    let mut total = 0;
    for suffix in ["", "-wal"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        total += std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    }
    total
}
