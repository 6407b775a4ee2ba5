//! "A week offline" as one sealed bundle (issue 19): the week_offline bench's workload (a hub
//! of 3,000 households; one device works a week offline: 300 new households of 4 members, 500
//! edits), sent once by HTTP sync and once, from the same seed on a twin setup, as a bundle
//! whose answer comes back sealed. Compares the bundle with the sync's bodies, and times the
//! sealing, the hub's apply and the device's apply of the answer.
//!
//! Run: `cargo bench -p gocua-tests --bench bundle_week` (release). Everything in process, on
//! this machine; data from fixed seeds. Household ids are random, so the twins' bytes differ by
//! a few hundred bytes at most.

use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use gocua_core::model::*;
use gocua_core::sync::{SessionOutcome, SyncOptions};
use gocua_core::{FixedClock, Register};
use gocua_hub::hub::Via;
use gocua_hub::{Hub, HubConfig, HubStore};
use gocua_tests::week::{edit, new_household};
use gocua_tests::{COMMUNE, code, hub};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const HUB_HOUSEHOLDS: usize = 3_000;
const NEW_HOUSEHOLDS: usize = 300;
const EDITS: usize = 500;

/// A hub seeded with the area, and a device that synced it, then worked a week offline.
struct Twin {
    _dir: tempfile::TempDir,
    store: std::sync::Arc<gocua_hub::SqliteStore>,
    hub: std::sync::Arc<Hub>,
    device: Register,
    pending: u32,
}

fn twin() -> Twin {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = StdRng::seed_from_u64(3);
    let at = Utc.timestamp_opt(1_790_000_000, 0).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 9, 22).unwrap();
    let (store, _) = hub(dir.path());
    // The hub's clock near the phones' (fixed) one, so bundles are within their lifetime.
    let hub = std::sync::Arc::new(
        Hub::new(store.clone(), HubConfig::default())
            .with_clock(move || at + chrono::Duration::hours(1)),
    );
    let t = hub.in_process();
    let mut seeded = Vec::new();
    for s in 0..3 {
        let volunteer = format!("seed-{s}");
        let mut reg = Register::create(
            &dir.path().join(format!("{volunteer}.db")),
            VolunteerId(volunteer.clone()),
            COMMUNE,
        )
        .expect("register")
        .with_clock(FixedClock(at));
        reg.sync_enrol("inproc", &t, &code(&store, &volunteer, "a"), None)
            .expect("enrol");
        for n in 0..HUB_HOUSEHOLDS / 3 {
            seeded.push(new_household(&mut reg, &mut rng, n).0);
        }
        reg.sync_with(&t, &SyncOptions::default()).expect("seed");
    }
    let mut device = Register::create(
        &dir.path().join("device.db"),
        VolunteerId("tnv-tuan".into()),
        COMMUNE,
    )
    .expect("register")
    .with_clock(FixedClock(at));
    device
        .sync_enrol("inproc", &t, &code(&store, "tnv-tuan", "a"), None)
        .expect("enrol");
    device
        .sync_with(&t, &SyncOptions::default())
        .expect("first sync");
    for n in 0..NEW_HOUSEHOLDS {
        new_household(&mut device, &mut rng, 10_000 + n);
    }
    for _ in 0..EDITS {
        let id = seeded[rng.random_range(0..seeded.len())].clone();
        edit(&mut device, &mut rng, &id, day);
    }
    let pending = device.pending_count().unwrap();
    Twin {
        _dir: dir,
        store,
        hub,
        device,
        pending,
    }
}

fn kb(b: u64) -> String {
    format!("{:.1} KB ({b} B)", b as f64 / 1000.0)
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    // By HTTP sync (in process: the bodies are what travels, without HTTP headers).
    let t = Instant::now();
    let mut a = twin();
    eprintln!("twin A ready in {:.1?}", t.elapsed());
    let transport = a.hub.in_process();
    let t = Instant::now();
    let report = a
        .device
        .sync_with(&transport, &SyncOptions::default())
        .expect("sync");
    let sync_time = t.elapsed();
    assert_eq!(report.outcome, SessionOutcome::Success);
    assert_eq!(report.pushed, a.pending);

    // As a bundle, on a twin.
    let t = Instant::now();
    let mut b = twin();
    eprintln!("twin B ready in {:.1?}", t.elapsed());
    assert_eq!(b.pending, a.pending);
    let t = Instant::now();
    let sealed = b.device.bundle_seal().expect("seal");
    let seal_time = t.elapsed();
    let t = Instant::now();
    let delivered = b
        .hub
        .receive_bundle(&sealed.bytes, &Via::Cli("bench".into()))
        .expect("apply");
    let hub_time = t.elapsed();
    let t = Instant::now();
    let applied = b.device.bundle_apply(&delivered.answer).expect("answer");
    let answer_time = t.elapsed();
    assert_eq!(applied.pushed, b.pending);
    assert_eq!(b.device.pending_count().unwrap(), 0);
    assert_eq!(
        b.store.doc_count().unwrap(),
        a.store.doc_count().unwrap(),
        "both hubs hold the same households"
    );

    let up = sealed.bytes.len() as u64;
    let down = delivered.answer.len() as u64;
    let pct = |bundle: u64, http: u64| (bundle as f64 / http as f64 - 1.0) * 100.0;
    println!("| measure | HTTP sync (bodies) | sealed bundle | difference |");
    println!("|---|---|---|---|");
    println!(
        "| the week's work, up ({} households) | {} in {} round trips | {} | {:+.1}% |",
        a.pending,
        kb(report.bytes_up),
        report.round_trips,
        kb(up),
        pct(up, report.bytes_up)
    );
    println!(
        "| the answer, down | {} | {} | {:+.1}% |",
        kb(report.bytes_down),
        kb(down),
        pct(down, report.bytes_down)
    );
    println!(
        "| both ways | {} | {} | {:+.1}% |",
        kb(report.bytes_up + report.bytes_down),
        kb(up + down),
        pct(up + down, report.bytes_up + report.bytes_down)
    );
    println!(
        "| time: whole sync in process / seal | {} | {} | |",
        ms(sync_time),
        ms(seal_time)
    );
    println!(
        "| time: hub applies the bundle and seals its answer | | {} | |",
        ms(hub_time)
    );
    println!(
        "| time: device opens and applies the answer | | {} | |",
        ms(answer_time)
    );
}
