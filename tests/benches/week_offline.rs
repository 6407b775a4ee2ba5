//! "A week offline" (issue 3): a hub holding 3,000 households; one volunteer's device, which
//! had synced them all, works a week offline (300 new households of 4 members, 500 edits) and
//! syncs through a counting TCP relay on 127.0.0.1. Then a sync with no change.
//!
//! Run: `cargo bench -p gocua-tests --bench week_offline` (release). Prints a Markdown table for
//! docs/BENCHMARKS.md. Everything runs on loopback in this process; data from a fixed seed.
//!
//! Reported: round trips; bytes up and down on the wire (HTTP headers included); wall time of
//! the sync; the hub's CPU time (the process's CPU minus the syncing thread's, from /proc: the
//! hub's threads plus the relay's and the HTTP client's, which only copy bytes); and the smallest transfer for the same changes: the changed fields as JSON
//! (ids included), zstd (level 19) over the whole batch, with the ratio of the sync's bytes up to it.

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use gocua_core::input::HouseholdInput;
use gocua_core::model::*;
use gocua_core::sync::{self, SessionOutcome, SyncOptions, SyncReport, TlsOptions};
use gocua_core::{FixedClock, HouseholdField, MemberField, Register};
use gocua_hub::HubStore;
use gocua_hub::http::RunningHub;
use gocua_tests::people::{member, phone};
use gocua_tests::{COMMUNE, PROVINCE, code, hub};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

const HUB_HOUSEHOLDS: usize = 3_000;
const NEW_HOUSEHOLDS: usize = 300;
const EDITS: usize = 500;
const HAMLETS: [&str; 2] = ["thon-dong", "thon-tay"];

const STREETS: [&str; 4] = [
    "Đường Liễu Giai",
    "Phố Đội Cấn",
    "Đường Láng",
    "Ngõ Văn Chương",
];

fn household_input(rng: &mut StdRng, n: usize) -> HouseholdInput {
    HouseholdInput {
        area: Area {
            province_code: PROVINCE.into(),
            commune_code: COMMUNE.into(),
            hamlet_id: HAMLETS[n % 2].into(),
        },
        address: Address {
            street: Some(STREETS[n % 4].into()),
            alley: Some(format!("Ngõ {}", n % 40 + 1)),
            house_number: Some((n % 200 + 1).to_string()),
        },
        gps: Some(GpsFix {
            lat: 21.03 + rng.random_range(0.0..0.01),
            lon: 105.81 + rng.random_range(0.0..0.01),
            accuracy_m: 6.0,
            fixed_at: Utc.timestamp_opt(1_790_000_000, 0).unwrap(),
            source: GpsSource::Fix,
        }),
        official: None,
        notes: None,
    }
}

/// Creates a household of 4 members with two checklist items done; returns the fields it set,
/// as the smallest JSON that carries them (ids included, since later edits refer to them).
fn new_household(reg: &mut Register, rng: &mut StdRng, n: usize) -> (HouseholdId, Value) {
    let input = household_input(rng, n);
    let gps = input.gps.clone().unwrap();
    let id = reg
        .create_household(input.clone())
        .expect("household")
        .value;
    let mut members = Vec::new();
    for relation in [
        Relation::Head,
        Relation::Wife,
        Relation::Child,
        Relation::Child,
    ] {
        let m = member(rng, relation);
        let mid = reg
            .add_member_with_consent(
                &id,
                m.clone(),
                &gocua_core::consent_rule::ConsentGiven::every_purpose(),
            )
            .expect("member")
            .value;
        let mut checklist = json!({});
        if relation == Relation::Head {
            for item in [ChecklistItem::VneidInstalled, ChecklistItem::VneidLevel1] {
                reg.set_checklist(&id, &mid, item, ChecklistStatus::Done, None, None)
                    .expect("checklist");
            }
            checklist = json!({"vneid_installed": "done", "vneid_level1": "done"});
        }
        let BirthDate::Year(year) = m.birth.unwrap() else {
            unreachable!()
        };
        members.push(json!({
            "id": mid.0, "name": m.full_name, "birth": year, "gender": m.gender,
            "relation": m.relation, "id_number": m.id_number, "phone": m.phone,
            "residence": m.residence, "checklist": checklist,
        }));
    }
    let fields = json!({
        "id": id.0, "hamlet": input.area.hamlet_id, "street": input.address.street,
        "alley": input.address.alley, "house_number": input.address.house_number,
        "lat": gps.lat, "lon": gps.lon, "accuracy": gps.accuracy_m, "members": members,
    });
    (id, fields)
}

/// One field edit of an existing household, as a volunteer makes them on a visit; returns the
/// smallest JSON that carries it.
fn edit(reg: &mut Register, rng: &mut StdRng, id: &HouseholdId, day: NaiveDate) -> Value {
    let h = reg.household(id).expect("read");
    let members: Vec<MemberId> = h.current_members().map(|m| m.id.clone()).collect();
    let m = &members[rng.random_range(0..members.len())];
    match rng.random_range(0..10) {
        0..=4 => {
            const ITEMS: [ChecklistItem; 5] = [
                ChecklistItem::VneidInstalled,
                ChecklistItem::VneidLevel1,
                ChecklistItem::VneidLevel2,
                ChecklistItem::QrPayment,
                ChecklistItem::CyberSafety,
            ];
            let item = ITEMS[rng.random_range(0..5)];
            reg.set_checklist(id, m, item, ChecklistStatus::Done, None, None)
                .expect("checklist");
            json!({"h": id.0, "m": m.0, "checklist": item, "v": "done"})
        }
        5..=6 => {
            let p = phone(rng);
            reg.set_member_field(id, m, MemberField::Phone(Some(p.clone())))
                .expect("phone");
            json!({"h": id.0, "m": m.0, "phone": p})
        }
        7..=8 => {
            reg.record_visit(id, day, VisitOutcome::Registered, None, None)
                .expect("visit");
            json!({"h": id.0, "visit": day, "outcome": "registered"})
        }
        _ => {
            let note = "Hẹn quay lại cài VNeID cho con".to_owned();
            reg.set_household_field(id, HouseholdField::Notes(Some(note.clone())))
                .expect("notes");
            json!({"h": id.0, "notes": note})
        }
    }
}

/// A loopback TCP relay that counts the bytes each way.
struct Relay {
    url: String,
    up: Arc<AtomicU64>,
    down: Arc<AtomicU64>,
}

impl Relay {
    fn start(target: std::net::SocketAddr) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("relay");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let up = Arc::new(AtomicU64::new(0));
        let down = Arc::new(AtomicU64::new(0));
        let (u, d) = (up.clone(), down.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { break };
                let Ok(server) = std::net::TcpStream::connect(target) else {
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                for (mut from, mut to, count) in [
                    (
                        client.try_clone().unwrap(),
                        server.try_clone().unwrap(),
                        u.clone(),
                    ),
                    (server, client, d.clone()),
                ] {
                    std::thread::spawn(move || {
                        let mut buf = vec![0u8; 64 * 1024];
                        while let Ok(n) = from.read(&mut buf) {
                            if n == 0 || to.write_all(&buf[..n]).is_err() {
                                break;
                            }
                            count.fetch_add(n as u64, Ordering::SeqCst);
                        }
                        let _ = to.shutdown(std::net::Shutdown::Both);
                    });
                }
            }
        });
        Self { url, up, down }
    }

    fn counts(&self) -> (u64, u64) {
        (
            self.up.load(Ordering::SeqCst),
            self.down.load(Ordering::SeqCst),
        )
    }
}

/// CPU time (user + system) from a /proc stat file.
fn stat_cpu(path: &str) -> Duration {
    let Ok(stat) = std::fs::read_to_string(path) else {
        return Duration::ZERO;
    };
    let Some(close) = stat.rfind(')') else {
        return Duration::ZERO;
    };
    let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
    // utime and stime are fields 14 and 15 of stat; 12th and 13th after "pid (comm) ".
    let utime: u64 = fields.get(11).and_then(|s| s.parse().ok()).unwrap_or(0);
    let stime: u64 = fields.get(12).and_then(|s| s.parse().ok()).unwrap_or(0);
    Duration::from_secs_f64((utime + stime) as f64 / 100.0) // USER_HZ
}

/// CPU of everything but the syncing (main) thread: the hub's server threads, plus the relay
/// and the HTTP client's I/O thread (small: they only copy bytes).
fn hub_cpu() -> Duration {
    stat_cpu("/proc/self/stat").saturating_sub(stat_cpu("/proc/thread-self/stat"))
}

fn sync_ok(reg: &mut Register) -> SyncReport {
    let r = sync::sync(reg, &SyncOptions::default()).expect("sync");
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
    r
}

fn kb(b: u64) -> String {
    format!("{:.1} KB", b as f64 / 1000.0)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = StdRng::seed_from_u64(3);
    let clock = || FixedClock(Utc.timestamp_opt(1_790_000_000, 0).unwrap());
    let day = NaiveDate::from_ymd_opt(2026, 9, 22).unwrap();

    // The hub, with 3,000 households sent by the devices of the area's other volunteers.
    let t = Instant::now();
    let (store, hub) = hub(dir.path());
    let seeders = 3;
    let mut seeded: Vec<HouseholdId> = Vec::new();
    let in_process = hub.in_process();
    for s in 0..seeders {
        let volunteer = format!("seed-{s}");
        let mut reg = Register::create(
            &dir.path().join(format!("{volunteer}.db")),
            VolunteerId(volunteer.clone()),
            COMMUNE,
        )
        .expect("register")
        .with_clock(clock());
        reg.sync_enrol("inproc", &in_process, &code(&store, &volunteer, "a"), None)
            .expect("enrol");
        for n in 0..HUB_HOUSEHOLDS / seeders {
            let (id, _) = new_household(&mut reg, &mut rng, n);
            seeded.push(id);
        }
        let r = reg
            .sync_with(&in_process, &SyncOptions::default())
            .expect("seed");
        assert_eq!(r.outcome, SessionOutcome::Success);
    }
    assert_eq!(store.doc_count().unwrap(), HUB_HOUSEHOLDS as u64);
    eprintln!("seeded {HUB_HOUSEHOLDS} households in {:.1?}", t.elapsed());

    let running = RunningHub::start(hub, "127.0.0.1:0", None, false).expect("hub");
    let relay = Relay::start(running.addr);
    let mut reg = Register::create(
        &dir.path().join("device.db"),
        VolunteerId("tnv-tuan".into()),
        COMMUNE,
    )
    .expect("register")
    .with_clock(clock());
    sync::enrol(
        &mut reg,
        &relay.url,
        &code(&store, "tnv-tuan", "a"),
        &TlsOptions::default(),
    )
    .expect("enrol");
    // The device had the area before going offline.
    let (u0, d0) = relay.counts();
    let t = Instant::now();
    let first = sync_ok(&mut reg);
    let first_time = t.elapsed();
    let (u1, d1) = relay.counts();
    assert_eq!(first.pulled as usize, HUB_HOUSEHOLDS);

    // A week offline.
    let t = Instant::now();
    let mut minimal = Vec::new();
    for n in 0..NEW_HOUSEHOLDS {
        let (_, fields) = new_household(&mut reg, &mut rng, 10_000 + n);
        minimal.push(fields);
    }
    let mut edited = std::collections::BTreeSet::new();
    for _ in 0..EDITS {
        let id = seeded[rng.random_range(0..seeded.len())].clone();
        edited.insert(id.clone());
        minimal.push(edit(&mut reg, &mut rng, &id, day));
    }
    let pending = reg.pending_count().unwrap();
    eprintln!(
        "offline week: {NEW_HOUSEHOLDS} new, {EDITS} edits on {} households, {pending} pending, in {:.1?}",
        edited.len(),
        t.elapsed()
    );
    let json = serde_json::to_vec(&minimal).unwrap();
    let min_zstd = zstd::encode_all(&json[..], 19).unwrap().len() as u64;
    let new_json = serde_json::to_vec(&minimal[..NEW_HOUSEHOLDS]).unwrap();
    let min_new = zstd::encode_all(&new_json[..], 19).unwrap().len() as u64;
    let edit_json = serde_json::to_vec(&minimal[NEW_HOUSEHOLDS..]).unwrap();
    let min_edits = zstd::encode_all(&edit_json[..], 19).unwrap().len() as u64;

    // The sync.
    let cpu0 = hub_cpu();
    let t = Instant::now();
    let week = sync_ok(&mut reg);
    let wall = t.elapsed();
    let hub_cpu = hub_cpu().saturating_sub(cpu0);
    let (u2, d2) = relay.counts();
    let (up, down) = (u2 - u1, d2 - d1);
    assert_eq!(week.pushed as usize, pending as usize);
    assert_eq!(reg.pending_count().unwrap(), 0);

    // Nothing changed since.
    let nothing = sync_ok(&mut reg);
    let (u3, d3) = relay.counts();
    let (nup, ndown) = (u3 - u2, d3 - d2);

    running.stop();

    let ratio = up as f64 / min_zstd as f64;
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!("| households on the hub (device's area) | {HUB_HOUSEHOLDS} | |");
    println!(
        "| offline work | {NEW_HOUSEHOLDS} new households (4 members, 2 checklist items each), {EDITS} edits of {} households | |",
        edited.len()
    );
    println!("| round trips | {} | ≤ 4 |", week.round_trips);
    println!(
        "| bytes up on the wire (bodies) | {} ({}) | |",
        kb(up),
        kb(week.bytes_up)
    );
    println!(
        "| bytes down on the wire (bodies) | {} ({}) | |",
        kb(down),
        kb(week.bytes_down)
    );
    println!(
        "| smallest transfer: changed fields as JSON, zstd -19 over the batch | {} (new households {}, edits {}; JSON {}) | |",
        kb(min_zstd),
        kb(min_new),
        kb(min_edits),
        kb(json.len() as u64)
    );
    println!("| ratio, bytes up on the wire / smallest | {ratio:.2}x | ≤ 2x |");
    println!(
        "| wall time of the sync on loopback | {:.0} ms | |",
        wall.as_secs_f64() * 1000.0
    );
    println!(
        "| hub CPU time (process CPU minus the syncing thread) | {:.0} ms | |",
        hub_cpu.as_secs_f64() * 1000.0
    );
    println!(
        "| no-change sync over {HUB_HOUSEHOLDS} households: round trips, on the wire | {}, {} B up + {} B down = {} B (bodies {} + {} B) | < 1 KB |",
        nothing.round_trips,
        nup,
        ndown,
        nup + ndown,
        nothing.bytes_up,
        nothing.bytes_down
    );
    println!(
        "| first sync of the device (receives {HUB_HOUSEHOLDS} households) | {} round trips, {} up, {} down, {:.1} s | |",
        first.round_trips,
        kb(u1 - u0),
        kb(d1 - d0),
        first_time.as_secs_f64()
    );
}
