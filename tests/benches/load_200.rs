//! Load (issue 6): 200 devices sync a week's work at once against one hub on 127.0.0.1.
//!
//! Run: `nice -n -5 cargo bench -p gocua-tests --bench load_200` (release; the hub then runs at
//! nice -15, see [`HUB_PRIORITY`]). Prints a Markdown table for docs/BENCHMARKS.md and exits
//! non-zero, listing each failure, if any sync failed or any device ended different from the hub.
//!
//! The hub is the real `gocua-hub serve` binary (SQLite, plain HTTP on 127.0.0.1, port 0) in its
//! own process, so its peak memory (VmHWM) and CPU time are its own; the bench builds it first
//! (`cargo build --release -p gocua-hub`) or takes `GOCUA_HUB_BIN`. The devices are real
//! registers (`gocua_core::Register`) syncing with the real HTTP client (`sync::sync`), one thread
//! each, in this process.
//!
//! The commune: 40 hamlets, one area each, 5 volunteers' devices per area (a hamlet's team):
//! 200 devices. Before the week the hub holds 100 households per hamlet (4,000), which every
//! device of the hamlet has pulled. The week offline, each device registers 30 new households
//! (4 members, two checklist items done) and makes 50 edits (checklist items, phones, visits,
//! notes) of households of its hamlet it pulled; the 5 devices of a hamlet edit the same
//! households concurrently. Setup (hub data, seeding, enrolment, first pull, the week's work) runs
//! in this process on the hub's database before the load and is not timed; enrolment goes
//! in-process because the hub's pairing limit (60 at once, then 1 a second) would make 200
//! enrolments over HTTP wait 140 s.
//!
//! Round 1: the 200 devices sync at once (a barrier releases them together). Round 2: all sync
//! again at once, pulling the others' work. Then every device's households must equal the hub's
//! households of its hamlet (canonical JSON of each household, compared whole).
//!
//! Sizes can be changed for a quick look: `GOCUA_LOAD_DEVICES` (default 200, a multiple of
//! `GOCUA_LOAD_PER_AREA`, default 5), `GOCUA_LOAD_NEW` (30), `GOCUA_LOAD_EDITS` (50),
//! `GOCUA_LOAD_SEEDED` (100 per hamlet). Device registers live in /dev/shm when it exists (the
//! phones' disks are not the hub's), the hub's database in a temporary directory on disk
//! (`GOCUA_LOAD_HUB_DIR` puts it elsewhere, e.g. /dev/shm to take fsync out of the picture).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use gocua_core::input::HouseholdInput;
use gocua_core::model::*;
use gocua_core::sync::{self, SessionOutcome, SyncOptions, SyncReport};
use gocua_core::{FixedClock, HouseholdDoc, Register};
use gocua_hub::{Hub, HubConfig, HubStore, SqliteStore, admin};
use gocua_tests::hub_process::{HubProc, fds, hub_binary, percentile, proc_cpu, proc_kib};
use gocua_tests::people::member;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const COMMUNE: &str = "00004";
const PROVINCE: &str = "01";
/// The whole run, setup included, must finish within this.
const RUN_LIMIT: Duration = Duration::from_secs(25 * 60);
/// How many nice steps the hub runs ahead of the simulated devices. The 200 devices' threads
/// (Automerge work on every answer) run on the hub's 2 cores here, where real phones have their
/// own: at equal priority they starve the hub, whose writes are one at a time, and the devices'
/// requests time out waiting for it (measured: 58 of 200 in round 1).
/// `GOCUA_LOAD_HUB_NICE` overrides it (`0`: the hub at the devices' priority).
const HUB_PRIORITY: &str = "-10";
/// Setup threads (seeding, first pulls, the week's work, the final comparison).
const WORKERS: usize = 3;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn clock() -> FixedClock {
    FixedClock(Utc.timestamp_opt(1_790_000_000, 0).unwrap())
}

/// A household of 4 members with two checklist items done, in `hamlet`.
fn new_household(reg: &mut Register, rng: &mut StdRng, hamlet: &str, n: usize) -> HouseholdId {
    let input = HouseholdInput {
        area: Area {
            province_code: PROVINCE.into(),
            commune_code: COMMUNE.into(),
            hamlet_id: hamlet.into(),
        },
        address: Address {
            street: Some("Đường Làng".into()),
            alley: Some(format!("Ngõ {}", n % 40 + 1)),
            house_number: Some((n % 300 + 1).to_string()),
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
    };
    let id = reg.create_household(input).expect("household").value;
    for relation in [
        Relation::Head,
        Relation::Wife,
        Relation::Child,
        Relation::Child,
    ] {
        let mid = reg
            .add_member_with_consent(
                &id,
                member(rng, relation),
                &gocua_core::consent_rule::ConsentGiven::every_purpose(),
            )
            .expect("member")
            .value;
        if relation == Relation::Head {
            for item in [ChecklistItem::VneidInstalled, ChecklistItem::VneidLevel1] {
                reg.set_checklist(&id, &mid, item, ChecklistStatus::Done, None, None)
                    .expect("checklist");
            }
        }
    }
    id
}

/// Runs `f(i)` for i in 0..n on [`WORKERS`] threads; results in order.
fn parallel<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..WORKERS {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= n {
                        break;
                    }
                    let v = f(i);
                    out.lock().unwrap()[i] = Some(v);
                }
            });
        }
    });
    out.into_inner()
        .unwrap()
        .into_iter()
        .map(|v| v.expect("every item done"))
        .collect()
}

/// The `gocua-hub` binary: `GOCUA_HUB_BIN`, else built with cargo next to this bench's binary.
/// A household as canonical JSON (sorted keys), without local index fields.
fn canonical(h: &Household) -> String {
    let mut v = serde_json::to_value(h).expect("json");
    if let Some(o) = v.as_object_mut() {
        o.remove("conflict_count");
    }
    serde_json::to_string(&v).expect("json")
}

fn device_content(reg: &Register) -> Vec<String> {
    let mut rows: Vec<String> = reg
        .household_ids()
        .expect("ids")
        .iter()
        .map(|id| canonical(&reg.household(id).expect("household")))
        .collect();
    rows.sort();
    rows
}

struct Device {
    reg: Register,
    area: usize,
}

/// One device's sync in a round.
struct Outcome {
    latency: Duration,
    result: Result<SyncReport, String>,
}

/// Syncs every device at once, each on its own thread, released together by a barrier. Returns
/// the devices, their outcomes, the wall time and the most file descriptors the hub process
/// held at once (sampled every 50 ms: its open connections plus its database files).
fn round(devices: Vec<Device>, hub_pid: u32) -> (Vec<Device>, Vec<Outcome>, Duration, usize) {
    let finished = Arc::new(AtomicBool::new(false));
    let sampler = {
        let finished = finished.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            // Bounded: at most an hour of samples.
            for _ in 0..72_000 {
                if finished.load(Ordering::SeqCst) {
                    break;
                }
                peak = peak.max(fds(hub_pid));
                std::thread::sleep(Duration::from_millis(50));
            }
            peak
        })
    };
    let barrier = Arc::new(Barrier::new(devices.len() + 1));
    let mut handles = Vec::with_capacity(devices.len());
    for mut d in devices {
        let barrier = barrier.clone();
        let h = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                barrier.wait();
                let t = Instant::now();
                let result = sync::sync(&mut d.reg, &SyncOptions::default())
                    .map_err(|e| e.to_string())
                    .and_then(|r| {
                        if r.outcome == SessionOutcome::Success
                            && r.rejected.is_empty()
                            && r.pending_after == 0
                        {
                            Ok(r)
                        } else {
                            Err(format!(
                                "outcome {:?}, {} rejected, {} pending",
                                r.outcome,
                                r.rejected.len(),
                                r.pending_after
                            ))
                        }
                    });
                let latency = t.elapsed();
                (d, Outcome { latency, result })
            })
            .expect("spawn device thread");
        handles.push(h);
    }
    barrier.wait();
    let t = Instant::now();
    let mut devices = Vec::new();
    let mut outcomes = Vec::new();
    for h in handles {
        let (d, o) = h.join().expect("device thread");
        devices.push(d);
        outcomes.push(o);
    }
    let wall = t.elapsed();
    finished.store(true, Ordering::SeqCst);
    let peak_fds = sampler.join().expect("sampler");
    (devices, outcomes, wall, peak_fds)
}

struct RoundStats {
    p50: Duration,
    p99: Duration,
    max: Duration,
    wall: Duration,
    errors: Vec<String>,
    requests: u64,
    up: u64,
    down: u64,
    pushed: u64,
    pulled: u64,
    hub_cpu: Duration,
    hub_hwm_kib: u64,
    hub_fds: usize,
}

fn stats(
    outcomes: &[Outcome],
    wall: Duration,
    hub_cpu: Duration,
    pid: u32,
    peak_fds: usize,
) -> RoundStats {
    let mut lat: Vec<Duration> = outcomes.iter().map(|o| o.latency).collect();
    lat.sort();
    let mut s = RoundStats {
        p50: percentile(&lat, 50.0),
        p99: percentile(&lat, 99.0),
        max: lat.last().copied().unwrap_or_default(),
        wall,
        errors: Vec::new(),
        requests: 0,
        up: 0,
        down: 0,
        pushed: 0,
        pulled: 0,
        hub_cpu,
        hub_hwm_kib: proc_kib(pid, "VmHWM:"),
        hub_fds: peak_fds,
    };
    for (i, o) in outcomes.iter().enumerate() {
        match &o.result {
            Ok(r) => {
                s.requests += u64::from(r.round_trips);
                s.up += r.bytes_up;
                s.down += r.bytes_down;
                s.pushed += u64::from(r.pushed);
                s.pulled += u64::from(r.pulled);
            }
            Err(e) => s.errors.push(format!("device {i}: {e}")),
        }
    }
    s
}

fn mb(b: u64) -> String {
    format!("{:.2} MB", b as f64 / 1e6)
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// The hub process; killed when dropped.
fn main() {
    let per_area = env_usize("GOCUA_LOAD_PER_AREA", 5).max(1);
    let n_devices = env_usize("GOCUA_LOAD_DEVICES", 200).max(per_area);
    assert!(
        n_devices.is_multiple_of(per_area),
        "GOCUA_LOAD_DEVICES must be a multiple of GOCUA_LOAD_PER_AREA"
    );
    let n_areas = n_devices / per_area;
    let n_new = env_usize("GOCUA_LOAD_NEW", 30);
    let n_edits = env_usize("GOCUA_LOAD_EDITS", 50);
    let n_seeded = env_usize("GOCUA_LOAD_SEEDED", 100).max(1);
    let day = NaiveDate::from_ymd_opt(2026, 9, 22).unwrap();

    let bin = hub_binary();
    // The watchdog's clock starts once the hub is built.
    let started = Instant::now();
    // GOCUA_LOAD_HUB_DIR: where the hub's database goes (a diagnostic: /dev/shm takes the
    // disk's fsync out of the hub's time); a temporary directory on disk by default.
    let hub_dir = match std::env::var("GOCUA_LOAD_HUB_DIR") {
        Ok(d) => tempfile::tempdir_in(d).expect("temp dir in GOCUA_LOAD_HUB_DIR"),
        Err(_) => tempfile::tempdir().expect("temp dir"),
    };
    let shm = Path::new("/dev/shm");
    let dev_dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).expect("temp dir in /dev/shm")
    } else {
        tempfile::tempdir().expect("temp dir")
    };
    let data = hub_dir.path().join("hub");
    std::fs::create_dir_all(&data).unwrap();

    // The commune: a coordinator and one area per hamlet; pairing codes for every device.
    let store = Arc::new(SqliteStore::open(&data.join("hub.db")).expect("hub store"));
    admin::add_coordinator(store.as_ref(), "coord", "Cán bộ xã", COMMUNE, Utc::now()).unwrap();
    let mut hamlets = Vec::new();
    for a in 0..n_areas {
        let area = admin::create_area(
            store.as_ref(),
            &format!("khu-{a:02}"),
            &format!("Thôn {}", a + 1),
            COMMUNE,
            &[format!("Thôn {}", a + 1)],
        )
        .unwrap();
        hamlets.push(area.hamlets[0].id.clone());
    }
    let issue = |volunteer: &str, area: usize| {
        admin::issue_pairing(
            store.as_ref(),
            "coord",
            volunteer,
            &format!("khu-{area:02}"),
            chrono::Duration::hours(4),
            Utc::now(),
        )
        .unwrap()
    };

    // The hub process: it serves while the setup below writes to its database from here.
    let priority = std::env::var("GOCUA_LOAD_HUB_NICE").unwrap_or_else(|_| HUB_PRIORITY.to_owned());
    let hub = HubProc::start(&bin, &data, &priority);
    let pid = hub.pid;

    // A watchdog: the whole run is bounded.
    let done = Arc::new(AtomicBool::new(false));
    {
        let done = done.clone();
        let child = hub.child.clone();
        std::thread::spawn(move || {
            while started.elapsed() < RUN_LIMIT {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(500));
            }
            eprintln!(
                "load_200: the run did not finish within {} s",
                RUN_LIMIT.as_secs()
            );
            if let Some(mut c) = child.lock().unwrap_or_else(|p| p.into_inner()).take() {
                let _ = c.kill();
            }
            std::process::exit(3);
        });
    }

    // Setup, in process on the same database: each hamlet's existing households (one seeding
    // device per hamlet), then every device enrols and pulls its hamlet.
    let t = Instant::now();
    // Setup enrols 240 devices as fast as it can: no pairing limit for it.
    let in_hub = Arc::new(Hub::new(
        store.clone(),
        HubConfig {
            enrol_burst: 100_000,
            ..HubConfig::default()
        },
    ));
    let in_process = in_hub.in_process();
    let seed_codes: Vec<String> = (0..n_areas)
        .map(|a| issue(&format!("seed-{a:02}"), a))
        .collect();
    let seeded: Vec<Vec<HouseholdId>> = parallel(n_areas, |a| {
        let volunteer = format!("seed-{a:02}");
        let mut reg = Register::create(
            &dev_dir.path().join(format!("{volunteer}.db")),
            VolunteerId(volunteer.clone()),
            COMMUNE,
        )
        .expect("register")
        .with_clock(clock());
        reg.sync_enrol(&hub.url, &in_process, &seed_codes[a], None)
            .expect("enrol seeder");
        let mut rng = StdRng::seed_from_u64(1_000 + a as u64);
        let ids: Vec<HouseholdId> = (0..n_seeded)
            .map(|n| new_household(&mut reg, &mut rng, &hamlets[a], n))
            .collect();
        let r = reg
            .sync_with(&in_process, &SyncOptions::default())
            .expect("seed sync");
        assert_eq!(r.outcome, SessionOutcome::Success);
        ids
    });
    eprintln!(
        "seeded {} households in {n_areas} hamlets in {:.1?}",
        n_areas * n_seeded,
        t.elapsed()
    );

    let t = Instant::now();
    let device_codes: Vec<String> = (0..n_devices)
        .map(|i| issue(&format!("tnv-{i:03}"), i / per_area))
        .collect();
    let devices: Vec<Device> = parallel(n_devices, |i| {
        let area = i / per_area;
        let volunteer = format!("tnv-{i:03}");
        let mut reg = Register::create(
            &dev_dir.path().join(format!("{volunteer}.db")),
            VolunteerId(volunteer),
            COMMUNE,
        )
        .expect("register")
        .with_clock(clock());
        reg.sync_enrol(&hub.url, &in_process, &device_codes[i], None)
            .expect("enrol");
        let r = reg
            .sync_with(&in_process, &SyncOptions::default())
            .expect("first pull");
        assert_eq!(r.pulled as usize, n_seeded);
        // The week offline.
        let mut rng = StdRng::seed_from_u64(i as u64);
        for n in 0..n_new {
            new_household(&mut reg, &mut rng, &hamlets[area], 1_000 + i * n_new + n);
        }
        for _ in 0..n_edits {
            let id = &seeded[area][rng.random_range(0..seeded[area].len())];
            gocua_tests::week::edit(&mut reg, &mut rng, id, day);
        }
        Device { reg, area }
    });
    let pending: u64 = devices
        .iter()
        .map(|d| u64::from(d.reg.pending_count().unwrap()))
        .sum();
    drop(in_process);
    drop(in_hub);
    drop(store);
    eprintln!(
        "{n_devices} devices enrolled, first pull and the week's work ({pending} documents pending) in {:.1?}",
        t.elapsed()
    );

    // Round 1: everyone syncs the week at once.
    let hub_before_kib = proc_kib(pid, "VmHWM:");
    let rss_before_kib = proc_kib(pid, "VmRSS:");
    let cpu0 = proc_cpu(pid);
    eprintln!("round 1: {n_devices} devices sync at once");
    let (devices, out1, wall1, fds1) = round(devices, pid);
    let cpu1 = proc_cpu(pid);
    let r1 = stats(&out1, wall1, cpu1.saturating_sub(cpu0), pid, fds1);
    for e in &r1.errors {
        eprintln!("round 1 error: {e}");
    }

    // Round 2: everyone syncs again and pulls the others' work.
    eprintln!("round 2: {n_devices} devices sync at once");
    let (devices, out2, wall2, fds2) = round(devices, pid);
    let cpu2 = proc_cpu(pid);
    let r2 = stats(&out2, wall2, cpu2.saturating_sub(cpu1), pid, fds2);
    for e in &r2.errors {
        eprintln!("round 2 error: {e}");
    }
    hub.stop();

    // Convergence: every device holds exactly its hamlet's households as the hub has them.
    let t = Instant::now();
    let store = SqliteStore::open(&data.join("hub.db")).expect("hub store");
    let ids = store.doc_ids().expect("hub ids");
    let hub_total = ids.len();
    let docs: Vec<(String, String)> = parallel(ids.len(), |i| {
        let rec = store.load_doc(&ids[i].0).expect("load").expect("doc");
        let h = HouseholdDoc::load(&rec.bytes)
            .expect("doc")
            .read()
            .expect("read");
        (h.area.hamlet_id.clone(), canonical(&h))
    });
    let mut by_hamlet: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (hamlet, row) in docs {
        by_hamlet.entry(hamlet).or_default().push(row);
    }
    for rows in by_hamlet.values_mut() {
        rows.sort();
    }
    let expected_per_hamlet = n_seeded + per_area * n_new;
    let mut diverged = Vec::new();
    let devices = Mutex::new(devices.into_iter().map(Some).collect::<Vec<_>>());
    let checks: Vec<Option<String>> = parallel(n_devices, |i| {
        let d = devices.lock().unwrap()[i].take().expect("device");
        let rows = device_content(&d.reg);
        let hub_rows = by_hamlet
            .get(&hamlets[d.area])
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let pending = d.reg.pending_count().unwrap_or(u32::MAX);
        if rows.len() != expected_per_hamlet || rows != hub_rows || pending != 0 {
            Some(format!(
                "device {i}: {} households (hub {}, expected {expected_per_hamlet}), {} differ, {pending} pending",
                rows.len(),
                hub_rows.len(),
                rows.iter()
                    .filter(|r| hub_rows.binary_search(r).is_err())
                    .count()
            ))
        } else {
            None
        }
    });
    diverged.extend(checks.into_iter().flatten());
    let hub_ok = hub_total == n_areas * expected_per_hamlet
        && by_hamlet.values().all(|v| v.len() == expected_per_hamlet);
    if !hub_ok {
        diverged.push(format!(
            "hub: {hub_total} households, expected {} ({expected_per_hamlet} per hamlet)",
            n_areas * expected_per_hamlet
        ));
    }
    for e in &diverged {
        eprintln!("not converged: {e}");
    }
    eprintln!("compared every device with the hub in {:.1?}", t.elapsed());
    done.store(true, Ordering::SeqCst);

    let hub_db = ["hub.db", "hub.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(data.join(f)).ok())
        .map(|m| m.len())
        .sum::<u64>();

    println!(
        "| measure | round 1: the week's work, {n_devices} at once | round 2: everyone pulls the others' work |"
    );
    println!("|---|---|---|");
    println!(
        "| devices synced / errors | {} / **{}** | {} / **{}** |",
        n_devices - r1.errors.len(),
        r1.errors.len(),
        n_devices - r2.errors.len(),
        r2.errors.len()
    );
    println!(
        "| sync latency per device p50 / p99 / max | {} / {} / {} | {} / {} / {} |",
        ms(r1.p50),
        ms(r1.p99),
        ms(r1.max),
        ms(r2.p50),
        ms(r2.p99),
        ms(r2.max)
    );
    println!(
        "| wall time, all devices | {:.1} s | {:.1} s |",
        r1.wall.as_secs_f64(),
        r2.wall.as_secs_f64()
    );
    println!(
        "| requests (`sync` + `finish`) | {} | {} |",
        r1.requests, r2.requests
    );
    println!(
        "| documents pushed / pulled | {} / {} | {} / {} |",
        r1.pushed, r1.pulled, r2.pushed, r2.pulled
    );
    println!(
        "| bytes up / down (compressed bodies, HTTP headers not counted) | {} / {} | {} / {} |",
        mb(r1.up),
        mb(r1.down),
        mb(r2.up),
        mb(r2.down)
    );
    println!(
        "| hub CPU time (its process) | {:.1} s | {:.1} s |",
        r1.hub_cpu.as_secs_f64(),
        r2.hub_cpu.as_secs_f64()
    );
    println!(
        "| hub peak memory (VmHWM) after the round | {:.0} MiB | {:.0} MiB |",
        r1.hub_hwm_kib as f64 / 1024.0,
        r2.hub_hwm_kib as f64 / 1024.0
    );
    println!(
        "| hub file descriptors, most at once (connections and database files) | {} | {} |",
        r1.hub_fds, r2.hub_fds
    );
    println!();
    println!(
        "Before round 1 the hub process had VmHWM {:.0} MiB, VmRSS {:.0} MiB; its database held {} households. \
         After round 2: {hub_total} households, database {} (file and WAL). Converged: {} \
         ({} devices of {n_areas} hamlets each hold their hamlet's {expected_per_hamlet} households, equal to the hub's). \
         Offline work: {n_new} new households of 4 members and {n_edits} edits per device, {pending} documents pending in all. \
         Whole run {:.0} s.",
        hub_before_kib as f64 / 1024.0,
        rss_before_kib as f64 / 1024.0,
        n_areas * n_seeded,
        mb(hub_db),
        if diverged.is_empty() { "yes" } else { "**no**" },
        n_devices - diverged.len().min(n_devices),
        started.elapsed().as_secs_f64()
    );

    if !r1.errors.is_empty() || !r2.errors.is_empty() || !diverged.is_empty() {
        // `exit` runs no destructors: remove the registers and the hub's data first.
        drop(store);
        drop(dev_dir);
        drop(hub_dir);
        eprintln!(
            "load_200: FAILED: {} errors in round 1, {} in round 2, {} not converged",
            r1.errors.len(),
            r2.errors.len(),
            diverged.len()
        );
        std::process::exit(1);
    }
}
