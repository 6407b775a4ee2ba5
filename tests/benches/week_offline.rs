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
use gocua_core::model::*;
use gocua_core::sync::{self, SessionOutcome, SyncOptions, SyncReport, TlsOptions};
use gocua_core::{FixedClock, Register};
use gocua_hub::HubStore;
use gocua_hub::http::RunningHub;
use gocua_tests::week::{edit, new_household};
use gocua_tests::{COMMUNE, code, hub};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const HUB_HOUSEHOLDS: usize = 3_000;
const NEW_HOUSEHOLDS: usize = 300;
const EDITS: usize = 500;

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
