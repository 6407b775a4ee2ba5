//! A hub for the dashboard's browser test (scripts/test-dashboard.sh): started on 127.0.0.1
//! (port 0), filled by real devices through the sync protocol over HTTP, then driven by
//! commands on stdin, one per line, each answered by one JSON line on stdout:
//!
//! - `sync <volunteer>`: that device syncs; answers its view of the shared household.
//! - `enrol <volunteer> <code>`: a new device enrols with a pairing code and syncs.
//! - `expire`: every coordinator session on the hub expires.
//! - `state`: a digest of everything a coordinator's action could change.
//! - `quit`: stops the hub.
//!
//! The first line printed holds the hub's address, the accounts and the numbers the devices
//! sent, for the test to compare with what the pages show.
//!
//! The hub is on SQLite (`<dir>/hub.db`), or on PostgreSQL when `GOCUA_DASH_E2E_POSTGRES_URL`
//! names a cluster (a new database on it): `scripts/with-postgres.sh sh -c
//! 'GOCUA_DASH_E2E_POSTGRES_URL=$GOCUA_TEST_POSTGRES_URL scripts/test-dashboard.sh'`.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, Utc};
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::*;
use gocua_core::sync::{self, SyncOptions, TlsOptions};
use gocua_core::{HouseholdField, Register};
use gocua_hub::http::RunningHub;
use gocua_hub::{Hub, HubConfig, HubStore, PgStore, SqliteStore, admin};
use serde_json::{Value, json};

type R<T> = Result<T, Box<dyn std::error::Error>>;

/// Where the hub keeps its data: the SQLite file, or a PostgreSQL connection string.
enum Db {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Db {
    /// The value of the first column of the first row of `sql`, as text ("" for none).
    fn text(&self, sql: &str) -> String {
        match self {
            Db::Sqlite(path) => rusqlite::Connection::open(path)
                .and_then(|c| c.query_row(sql, [], |r| r.get::<_, Option<String>>(0)))
                .ok()
                .flatten(),
            Db::Postgres(url) => ::postgres::Client::connect(url, ::postgres::NoTls)
                .and_then(|mut c| c.query_one(sql, &[]))
                .ok()
                .and_then(|r| r.get::<_, Option<String>>(0)),
        }
        .unwrap_or_default()
    }

    fn execute(&self, sql: &str) -> R<u64> {
        Ok(match self {
            Db::Sqlite(path) => rusqlite::Connection::open(path)?.execute(sql, [])? as u64,
            Db::Postgres(url) => {
                ::postgres::Client::connect(url, ::postgres::NoTls)?.execute(sql, &[])?
            }
        })
    }
}

/// A new database on the cluster at `url`, as a key=value connection string.
fn postgres_database(url: &str) -> R<String> {
    let name = format!("gocua_e2e_{}", hex::encode(rand::random::<[u8; 6]>()));
    ::postgres::Client::connect(url, ::postgres::NoTls)?
        .batch_execute(&format!("CREATE DATABASE {name}"))?;
    let config: ::postgres::Config = url.parse()?;
    let host = match config.get_hosts().first() {
        Some(::postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "127.0.0.1".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("postgres");
    let password = config
        .get_password()
        .map(|p| format!(" password='{}'", String::from_utf8_lossy(p)))
        .unwrap_or_default();
    Ok(format!(
        "host={host} port={port} user={user}{password} dbname={name}"
    ))
}

const COMMUNE: &str = "00004";
const OTHER_COMMUNE: &str = "00008";
const PASSWORD: &str = "mat-khau-xa-4";

fn household(
    commune: &str,
    hamlet: &str,
    street: &str,
    n: usize,
    gps: Option<(f64, f64)>,
) -> HouseholdInput {
    HouseholdInput {
        area: Area {
            province_code: "01".into(),
            commune_code: commune.into(),
            hamlet_id: hamlet.into(),
        },
        address: Address {
            street: Some(street.into()),
            alley: None,
            house_number: Some(n.to_string()),
        },
        gps: gps.map(|(lat, lon)| GpsFix {
            lat,
            lon,
            accuracy_m: 8.0,
            fixed_at: Utc::now() - chrono::Duration::hours(1),
            source: GpsSource::Fix,
        }),
        official: None,
        notes: None,
    }
}

fn person(
    name: &str,
    year: i32,
    gender: Gender,
    relation: Relation,
    id: Option<&str>,
    phone: Option<&str>,
) -> MemberInput {
    MemberInput {
        full_name: name.into(),
        birth: Some(BirthDate::Year(year)),
        gender: Some(gender),
        relation,
        id_number: id.map(str::to_owned),
        phone: phone.map(str::to_owned),
        residence: ResidenceType::Permanent,
    }
}

/// Registers a household with a head and a spouse; `skills` of the head's 5 basic skills done.
#[allow(clippy::too_many_arguments)]
fn add(
    reg: &mut Register,
    commune: &str,
    hamlet: &str,
    n: usize,
    head: &str,
    head_id: Option<&str>,
    gps: Option<(f64, f64)>,
    skills: usize,
    visit: bool,
) -> R<HouseholdId> {
    let id = reg
        .create_household(household(commune, hamlet, "Đường Làng", n, gps))?
        .value;
    let h = reg
        .add_member_with_consent(
            &id,
            person(head, 1980, Gender::Male, Relation::Head, head_id, None),
            &gocua_core::consent_rule::ConsentGiven::every_purpose(),
        )?
        .value;
    reg.set_household_field(&id, HouseholdField::Head(Some(h.clone())))?;
    reg.add_member_with_consent(
        &id,
        person(
            "Trần Thị Mai",
            1982,
            Gender::Female,
            Relation::Wife,
            None,
            Some("0912345678"),
        ),
        &gocua_core::consent_rule::ConsentGiven::every_purpose(),
    )?;
    for item in ChecklistItem::FIVE_SKILLS.iter().take(skills) {
        reg.set_checklist(&id, &h, *item, ChecklistStatus::Done, None, None)?;
    }
    reg.set_checklist(
        &id,
        &h,
        ChecklistItem::Smartphone,
        ChecklistStatus::Done,
        None,
        Some(SmartphoneAccess::Own),
    )?;
    if visit {
        reg.record_visit(
            &id,
            Utc::now().date_naive(),
            VisitOutcome::Registered,
            None,
            None,
        )?;
    }
    Ok(id)
}

fn sync_now(reg: &mut Register) -> R<String> {
    let r = sync::sync(reg, &SyncOptions::default())?;
    Ok(format!("{:?}", r.outcome))
}

fn main() -> R<()> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: dash_fixture <empty dir>")?;
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir.join("devices"))?;
    let (store, db): (Arc<dyn HubStore>, Db) = match std::env::var("GOCUA_DASH_E2E_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => {
            let url = postgres_database(&url)?;
            (Arc::new(PgStore::open(&url, 4)?), Db::Postgres(url))
        }
        _ => {
            let path = dir.join("hub.db");
            (Arc::new(SqliteStore::open(&path)?), Db::Sqlite(path))
        }
    };
    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
    let running = RunningHub::start(hub, "127.0.0.1:0", None, false)?;
    let url = running.url();
    let now = Utc::now();

    admin::add_coordinator(store.as_ref(), "ubnd-xa", "Cán bộ UBND xã", COMMUNE, now)?;
    admin::add_coordinator(
        store.as_ref(),
        "ubnd-khac",
        "Cán bộ xã khác",
        OTHER_COMMUNE,
        now,
    )?;
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "ubnd-xa", PASSWORD)?;
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "ubnd-khac", PASSWORD)?;
    admin::add_province_viewer(
        store.as_ref(),
        "so-tinh",
        "Sở Khoa học và Công nghệ",
        "01",
        now,
    )?;
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "so-tinh", PASSWORD)?;
    admin::create_area(
        store.as_ref(),
        "dong-tay",
        "Thôn Đông và Thôn Tây",
        COMMUNE,
        &["Thôn Đông".into(), "Thôn Tây".into()],
    )?;
    admin::create_area(
        store.as_ref(),
        "bac",
        "Thôn Bắc",
        COMMUNE,
        &["Thôn Bắc".into()],
    )?;
    admin::create_area(
        store.as_ref(),
        "khac",
        "Tổ 1",
        OTHER_COMMUNE,
        &["Tổ 1".into()],
    )?;

    let mut regs: BTreeMap<String, Register> = BTreeMap::new();
    for (vol, area, commune, coord) in [
        ("vol-lan", "dong-tay", COMMUNE, "ubnd-xa"),
        ("vol-minh", "dong-tay", COMMUNE, "ubnd-xa"),
        ("vol-hoa", "bac", COMMUNE, "ubnd-xa"),
        ("vol-khac", "khac", OTHER_COMMUNE, "ubnd-khac"),
    ] {
        let mut reg = Register::create(
            &dir.join("devices").join(format!("{vol}.db")),
            VolunteerId(vol.into()),
            commune,
        )?;
        let code = admin::issue_pairing(
            store.as_ref(),
            coord,
            vol,
            area,
            chrono::Duration::hours(1),
            now,
        )?;
        sync::enrol(&mut reg, &url, &code, &TlsOptions::default())?;
        regs.insert(vol.into(), reg);
    }

    // Offline work. Same ID number in two households (Lan's and Hoa's); the same place and a
    // similar head name registered by Lan and Minh.
    let place = (21.0337, 105.8142);
    let mut lan_ids = Vec::new();
    {
        let lan = regs.get_mut("vol-lan").ok_or("lan")?;
        lan_ids.push(add(
            lan,
            COMMUNE,
            "thon-dong",
            1,
            "Nguyễn Văn An",
            Some("001080012345"),
            Some(place),
            5,
            true,
        )?);
        lan_ids.push(add(
            lan,
            COMMUNE,
            "thon-dong",
            2,
            "Lê Văn Bình",
            None,
            None,
            5,
            true,
        )?);
        lan_ids.push(add(
            lan,
            COMMUNE,
            "thon-dong",
            3,
            "Phạm Đức Cường",
            None,
            None,
            3,
            true,
        )?);
        lan_ids.push(add(
            lan,
            COMMUNE,
            "thon-dong",
            4,
            "Hoàng Minh Dũng",
            None,
            None,
            0,
            false,
        )?);
    }
    {
        let minh = regs.get_mut("vol-minh").ok_or("minh")?;
        add(
            minh,
            COMMUNE,
            "thon-tay",
            10,
            "Nguyễn Văn Ân",
            None,
            Some(place),
            5,
            true,
        )?;
        add(
            minh,
            COMMUNE,
            "thon-tay",
            11,
            "Vũ Quang Hải",
            None,
            None,
            1,
            false,
        )?;
        add(
            minh,
            COMMUNE,
            "thon-tay",
            12,
            "Đặng Văn Hùng",
            None,
            None,
            0,
            false,
        )?;
    }
    {
        let hoa = regs.get_mut("vol-hoa").ok_or("hoa")?;
        add(
            hoa,
            COMMUNE,
            "thon-bac",
            20,
            "Bùi Văn Khánh",
            Some("001080012345"),
            None,
            5,
            true,
        )?;
        add(
            hoa,
            COMMUNE,
            "thon-bac",
            21,
            "Đỗ Văn Long",
            None,
            None,
            2,
            false,
        )?;
    }
    let other = add(
        regs.get_mut("vol-khac").ok_or("khac")?,
        OTHER_COMMUNE,
        "to-1",
        5,
        "Ngô Văn Phúc",
        None,
        None,
        0,
        true,
    )?;

    for vol in [
        "vol-lan", "vol-minh", "vol-hoa", "vol-khac", "vol-lan", "vol-minh",
    ] {
        sync_now(regs.get_mut(vol).ok_or("reg")?)?;
    }
    // Lan and Minh both change the house number of Lan's first household, offline: a conflict.
    let shared = lan_ids[0].clone();
    regs.get_mut("vol-lan")
        .ok_or("lan")?
        .set_household_field(&shared, HouseholdField::HouseNumber(Some("12B".into())))?;
    regs.get_mut("vol-minh")
        .ok_or("minh")?
        .set_household_field(&shared, HouseholdField::HouseNumber(Some("12A".into())))?;
    for vol in ["vol-minh", "vol-lan", "vol-minh"] {
        sync_now(regs.get_mut(vol).ok_or("reg")?)?;
    }
    // Hoa registers one more household and does not sync: the hub sees her pending count later.
    {
        let hoa = regs.get_mut("vol-hoa").ok_or("hoa")?;
        add(
            hoa,
            COMMUNE,
            "thon-bac",
            22,
            "Trịnh Văn Minh",
            None,
            None,
            0,
            false,
        )?;
    }

    // What the devices sent, counted on the devices.
    let mut seen = BTreeMap::new();
    for (vol, reg) in &regs {
        if vol == "vol-khac" {
            continue;
        }
        for id in reg.household_ids()? {
            let h = reg.household(&id)?;
            let synced = !(vol == "vol-hoa" && h.address.house_number.as_deref() == Some("22"));
            if synced {
                seen.insert(id.0.clone(), h);
            }
        }
    }
    let local_today = (Utc::now() + chrono::Duration::hours(7)).date_naive();
    let week_start =
        local_today - chrono::Duration::days(local_today.weekday().num_days_from_monday() as i64);
    let mut per_hamlet: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let (mut members, mut five, mut visits) = (0u64, 0u64, 0u64);
    for h in seen.values() {
        members += h.current_members().count() as u64;
        let e = per_hamlet.entry(h.area.hamlet_id.clone()).or_default();
        e.0 += 1;
        if h.has_member_with_5_skills() {
            five += 1;
            e.1 += 1;
        }
        visits += h.visits.iter().filter(|v| v.date >= week_start).count() as u64;
    }
    let conflicts = regs.get("vol-lan").ok_or("lan")?.conflicts(&shared)?;
    let first = json!({
        "url": url,
        "commune": COMMUNE,
        "coordinator": "ubnd-xa",
        "other_coordinator": "ubnd-khac",
        "password": PASSWORD,
        "households": seen.len(),
        "members": members,
        "with_five": five,
        "visits_this_week": visits,
        "per_hamlet": per_hamlet.iter().map(|(k, (n, f))| (k.clone(), json!({"households": n, "with_five": f}))).collect::<serde_json::Map<_, _>>(),
        "shared_household": shared.0,
        "other_commune_household": other.0,
        "conflict_values": conflicts.first().map(|c| c.values.iter().map(|v| v.value.clone()).collect::<Vec<_>>()),
        "devices": regs.keys().collect::<Vec<_>>(),
    });
    println!("{first}");
    std::io::stdout().flush()?;

    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let line = line?;
        let words: Vec<&str> = line.split_whitespace().collect();
        let answer: Value = match words.as_slice() {
            ["sync", vol] => match regs.get_mut(*vol) {
                Some(reg) => {
                    let outcome = sync_now(reg).unwrap_or_else(|e| format!("error: {e}"));
                    let h = reg.household(&shared).ok();
                    json!({
                        "ok": true,
                        "outcome": outcome,
                        "house_number": h.and_then(|h| h.address.house_number),
                        "conflicts": reg.conflicts(&shared).map(|c| c.len()).unwrap_or(99),
                    })
                }
                None => json!({"ok": false, "error": "no such device"}),
            },
            // What a phone holds: its hamlets (id: name), households per hamlet, pending.
            ["held", vol] => match regs.get_mut(*vol) {
                Some(reg) => {
                    let commune = reg.identity().commune_code.clone();
                    let hamlets: serde_json::Map<String, Value> = reg
                        .hamlets(&commune)?
                        .into_iter()
                        .map(|h| (h.id, json!(h.name)))
                        .collect();
                    let mut by_hamlet: BTreeMap<String, u64> = BTreeMap::new();
                    for id in reg.household_ids()? {
                        *by_hamlet
                            .entry(reg.household(&id)?.area.hamlet_id)
                            .or_default() += 1;
                    }
                    let to_verify = reg
                        .household_ids()?
                        .iter()
                        .filter(|id| {
                            reg.household(id).is_ok_and(|h| {
                                h.lifecycle == gocua_core::model::Lifecycle::ToVerify
                            })
                        })
                        .count();
                    json!({
                        "ok": true, "hamlets": hamlets, "by_hamlet": by_hamlet,
                        "pending": reg.pending_count()?, "to_verify": to_verify,
                    })
                }
                None => json!({"ok": false, "error": "no such device"}),
            },
            // Out of coverage: the phone registers a household, then seals what the hub lacks
            // into a file (a USB stick, for the dashboard's upload).
            ["seal", vol, path] => match regs.get_mut(*vol) {
                Some(reg) => {
                    let hamlet = reg
                        .sync_peer()?
                        .ok_or("not enrolled")?
                        .area
                        .hamlets
                        .first()
                        .ok_or("no hamlet")?
                        .id
                        .clone();
                    add(reg, COMMUNE, &hamlet, 70, "Hà Văn Xa", None, None, 0, false)?;
                    let sealed = reg.bundle_seal()?;
                    std::fs::write(path, &sealed.bytes)?;
                    json!({"ok": true, "households": sealed.households, "pending": reg.pending_count()?})
                }
                None => json!({"ok": false, "error": "no such device"}),
            },
            // The answer carried back and opened on the phone.
            ["open_bundle", vol, path] => match regs.get_mut(*vol) {
                Some(reg) => {
                    let bytes = std::fs::read(path)?;
                    match reg.bundle_receive(&bytes) {
                        Ok(r) => {
                            json!({"ok": true, "received": format!("{r:?}"), "pending": reg.pending_count()?})
                        }
                        Err(e) => json!({"ok": false, "error": e.to_string()}),
                    }
                }
                None => json!({"ok": false, "error": "no such device"}),
            },
            ["enrol", vol, code] => {
                let path = dir.join("devices").join(format!("{vol}.db"));
                let result = Register::create(&path, VolunteerId((*vol).into()), COMMUNE)
                    .map_err(|e| e.to_string())
                    .and_then(|reg| {
                        let reg = regs.entry((*vol).to_owned()).or_insert(reg);
                        let e = sync::enrol(reg, &url, code, &TlsOptions::default()).map_err(|e| e.to_string())?;
                        let outcome = sync_now(reg).map_err(|e| e.to_string())?;
                        let n = reg.household_ids().map_err(|e| e.to_string())?.len();
                        Ok(json!({"ok": true, "area": e.area.area_id, "outcome": outcome, "households": n}))
                    });
                result.unwrap_or_else(|e| json!({"ok": false, "error": e}))
            }
            ["request_erasure", vol] => match regs.get_mut(*vol) {
                // The volunteer asks to erase a household of theirs that the others also hold
                // (not the shared one the other pages use), then syncs: the request is filed.
                Some(reg) => {
                    let pick = reg
                        .household_ids()?
                        .into_iter()
                        .find(|id| *id != shared)
                        .ok_or("no household")?;
                    let step = reg.erase_household(&pick)?;
                    let r = sync::sync(reg, &SyncOptions::default())?;
                    json!({"ok": true, "household": pick.0, "step": format!("{step:?}"), "filed": r.erasures_filed})
                }
                None => json!({"ok": false, "error": "no such device"}),
            },
            ["erased", vol, id] => match regs.get_mut(*vol) {
                Some(reg) => {
                    let r = sync::sync(reg, &SyncOptions::default())?;
                    let id = gocua_core::model::HouseholdId((*id).into());
                    json!({"ok": true, "erased": reg.is_erased(&id)?, "count": r.erased, "pending": reg.pending_erasures()?})
                }
                None => json!({"ok": false, "error": "no such device"}),
            },
            ["refuse", vol] => match regs.get_mut(*vol) {
                // A household as an older app version wrote it: a phone number that today's
                // rules refuse, by the device's own actor, then edited (so it is pending).
                Some(reg) => {
                    let id = reg
                        .household_ids()?
                        .into_iter()
                        .find(|id| {
                            reg.household(id)
                                .is_ok_and(|h| h.address.house_number.as_deref() == Some("21"))
                        })
                        .ok_or("no household 21")?;
                    let head = reg.household(&id)?.head.ok_or("no head")?;
                    let mut doc = gocua_core::HouseholdDoc::load(&reg.export_document(&id)?)?;
                    let ident = reg.identity().clone();
                    doc.apply(
                        &gocua_core::Edit::SetMember {
                            member: head,
                            field: gocua_core::MemberField::Phone(Some("0123".into())),
                        },
                        &gocua_core::ChangeContext {
                            volunteer: ident.volunteer.clone(),
                            device: ident.device.clone(),
                            at: Utc::now(),
                        },
                    )?;
                    reg.merge_document(&doc.save())?;
                    reg.set_household_field(
                        &id,
                        HouseholdField::Notes(Some("Gọi lại sau".into())),
                    )?;
                    let outcome = sync_now(reg).unwrap_or_else(|e| format!("error: {e}"));
                    json!({"ok": true, "household": id.0, "outcome": outcome})
                }
                None => json!({"ok": false, "error": "no such device"}),
            },
            ["fix", vol, id] => match regs.get_mut(*vol) {
                // The volunteer corrects the phone number on the phone, and syncs.
                Some(reg) => {
                    let id = HouseholdId((*id).into());
                    let head = reg.household(&id)?.head.ok_or("no head")?;
                    reg.set_member_field(
                        &id,
                        &head,
                        gocua_core::MemberField::Phone(Some("0912345678".into())),
                    )?;
                    let outcome = sync_now(reg).unwrap_or_else(|e| format!("error: {e}"));
                    json!({"ok": true, "outcome": outcome, "pending": reg.pending_count()?})
                }
                None => json!({"ok": false, "error": "no such device"}),
            },
            ["fast_clock", vol] => {
                // A phone whose clock runs three hours ahead enrols in Thôn Bắc, registers a
                // household with a visit, and syncs.
                let ahead = Utc::now() + chrono::Duration::hours(3);
                let mut reg = Register::create(
                    &dir.join("devices").join(format!("{vol}.db")),
                    VolunteerId((*vol).into()),
                    COMMUNE,
                )?
                .with_clock(gocua_core::FixedClock(ahead));
                let code = admin::issue_pairing(
                    store.as_ref(),
                    "ubnd-xa",
                    vol,
                    "bac",
                    chrono::Duration::hours(1),
                    Utc::now(),
                )?;
                sync::enrol(&mut reg, &url, &code, &TlsOptions::default())?;
                let id = add(
                    &mut reg,
                    COMMUNE,
                    "thon-bac",
                    60,
                    "Mạc Văn Tùng",
                    None,
                    None,
                    1,
                    true,
                )?;
                let r = sync::sync(&mut reg, &SyncOptions::default())?;
                regs.insert((*vol).to_owned(), reg);
                json!({"ok": true, "household": id.0, "outcome": format!("{:?}", r.outcome), "skew": r.clock_skew_secs})
            }
            ["expire"] => {
                let n =
                    db.execute("UPDATE dash_sessions SET expires_at = '2000-01-01T00:00:00.000Z'")?;
                json!({"ok": true, "expired": n})
            }
            ["state"] => {
                let q = |sqlite: &str, postgres: &str| match db {
                    Db::Sqlite(_) => db.text(sqlite),
                    Db::Postgres(_) => db.text(postgres),
                };
                json!({
                    "ok": true,
                    "docs": q(
                        "SELECT group_concat(doc_id || ':' || seq, ',') FROM (SELECT doc_id, seq FROM docs ORDER BY doc_id)",
                        "SELECT string_agg(doc_id || ':' || seq, ',' ORDER BY doc_id COLLATE \"C\") FROM docs",
                    ),
                    "devices": q(
                        "SELECT group_concat(device_id || ':' || COALESCE(revoked_at, ''), ',') FROM (SELECT * FROM devices ORDER BY device_id)",
                        "SELECT string_agg(device_id || ':' || COALESCE(revoked_at, ''), ',' ORDER BY device_id COLLATE \"C\") FROM devices",
                    ),
                    "pairings": q(
                        "SELECT CAST(COUNT(*) AS TEXT) FROM pairing_codes",
                        "SELECT CAST(COUNT(*) AS TEXT) FROM pairing_codes",
                    ),
                    "settings": q(
                        "SELECT group_concat(coordinator_id || ':' || stale_hours, ',') FROM dash_settings",
                        "SELECT string_agg(coordinator_id || ':' || stale_hours, ',' ORDER BY coordinator_id) FROM dash_settings",
                    ),
                    "dismissed": q(
                        "SELECT CAST(COUNT(*) AS TEXT) FROM dash_dismissed",
                        "SELECT CAST(COUNT(*) AS TEXT) FROM dash_dismissed",
                    ),
                })
            }
            ["quit"] => break,
            _ => json!({"ok": false, "error": "unknown command"}),
        };
        println!("{answer}");
        std::io::stdout().flush()?;
    }
    running.stop();
    Ok(())
}
