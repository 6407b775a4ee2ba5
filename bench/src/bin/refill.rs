//! A restored hub refilled by a phone (issue 22): bytes, round trips and time of the phone's first
//! sync with a hub restored from a backup, for a phone of 3,000 and of 10,000 households, over
//! the shaped 3G and EDGE links of `gocua_bench::proxy`. A benchmark run by hand, not a test:
//!
//! `cargo run --release -p gocua-bench --bin refill [HOUSEHOLDS...]` (default 3000 10000)
//!
//! Per size: a hub (SQLite, in this process, on 127.0.0.1) and one device holding every
//! household (2 members each), synced. Two backups: one of that state ("in agreement": the
//! restored hub lacks nothing, the sync is the offer and nothing else) and, after a day's work
//! (30 new households, 60 edits, synced), the same backup is "a day behind". Each case restores
//! the backup into a new hub, copies the device's register as it was, and times the device's
//! next sync through the shaped link. The table gives what crossed the link (HTTP included),
//! the round trips, the wall time and what the sync report counted.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use gocua_bench::data::{self, GenEdit};
use gocua_bench::gocua::{self, BResult};
use gocua_bench::proxy::{self, Proxy, Shape};
use gocua_core::Register;
use gocua_core::sync::{self, HttpTransport, SyncOptions, TlsOptions};
use gocua_hub::http::RunningHub;
use gocua_hub::store::sqlite::backup::{backup, restore};
use gocua_hub::store::sqlite::cipher::DbKey;
use gocua_hub::{Hub, HubConfig, SqliteStore};

const NEW: usize = 30;
const EDITS: usize = 60;

fn main() -> BResult<()> {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let sizes = if sizes.is_empty() {
        vec![3_000, 10_000]
    } else {
        sizes
    };
    println!("| households | backup | link | up | down | round trips | wall | refilled | pulled |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for n in sizes {
        run(n)?;
    }
    Ok(())
}

fn run(n: usize) -> BResult<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("hub.db");
    let (store, code) = gocua::hub_with_code(&db, "vol-r")?;
    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
    let running = RunningHub::start(hub, "127.0.0.1:0", None, false)?;

    let device = dir.path().join("device.db");
    let mut reg = gocua::new_register(&device, "vol-r")?;
    let generated = data::households(11, n + NEW);
    let t = Instant::now();
    let mut ids = Vec::with_capacity(n);
    for g in &generated[..n] {
        ids.push(gocua::seed_household(&mut reg, g)?);
    }
    gocua::enrol(&mut reg, &format!("http://{}", running.addr), &code)?;
    gocua::sync_until_done(&mut reg, 3, Duration::from_secs(3600))?;
    eprintln!(
        "{n}: seeded and synced in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let key = DbKey::generate();
    let in_agreement = dir.path().join("agreement.backup");
    backup(&db, None, &in_agreement, &key)?;
    let device_in_agreement = snapshot(reg, &device, &dir.path().join("dev-agreement"))?;

    let mut reg = gocua::open_register(&device)?;
    for g in &generated[n..] {
        gocua::register_household(&mut reg, g)?;
    }
    for k in 0..EDITS {
        let e = GenEdit {
            household: (k * 37) % n,
            field: "notes".into(),
            value: format!("Hẹn quay lại lần {k}"),
        };
        gocua::apply_edit(&mut reg, &ids[e.household], &e)?;
    }
    gocua::sync_until_done(&mut reg, 3, Duration::from_secs(3600))?;
    let device_a_day_on = snapshot(reg, &device, &dir.path().join("dev-day"))?;
    drop(running);

    for (label, backup_file, device_copy) in [
        ("in agreement", &in_agreement, &device_in_agreement),
        ("a day behind", &in_agreement, &device_a_day_on),
    ] {
        for shape in [proxy::THREE_G, proxy::EDGE] {
            case(n, label, shape, backup_file, &key, device_copy, dir.path())?;
        }
    }
    Ok(())
}

/// Restores `backup_file` into a new hub, syncs a copy of the device with it over `shape`.
fn case(
    n: usize,
    label: &str,
    shape: Shape,
    backup_file: &Path,
    key: &DbKey,
    device_copy: &Path,
    dir: &Path,
) -> BResult<()> {
    let work = tempfile::tempdir_in(dir)?;
    let db = work.path().join("hub.db");
    restore(backup_file, key, &db, None, Utc::now())?;
    let hub = Arc::new(Hub::new(
        Arc::new(SqliteStore::open(&db)?),
        HubConfig::default(),
    ));
    let running = RunningHub::start(hub, "127.0.0.1:0", None, false)?;
    let link = Proxy::start(running.addr, shape)?;
    let device = work.path().join("device.db");
    copy_register(device_copy, &device)?;
    let mut reg = gocua::open_register(&device)?;
    let transport = HttpTransport::new(&link.url(), &TlsOptions::default(), sync::DEFAULT_TIMEOUT)?;
    let before = link.counts();
    let started = Instant::now();
    let report = reg.sync_with(&transport, &SyncOptions::default())?;
    let took = started.elapsed();
    let c = link.counts().since(&before);
    println!(
        "| {n} | {label} | {} | {:.1} KB | {:.1} KB | {} | {:.1} s | {} | {} |",
        shape.name,
        c.up as f64 / 1000.0,
        c.down as f64 / 1000.0,
        c.round_trips,
        took.as_secs_f64(),
        report.refilled,
        report.pulled
    );
    drop(link);
    drop(running);
    Ok(())
}

/// Closes the register and copies its files to `to` (a directory), returning the copy's path.
fn snapshot(reg: Register, path: &Path, to: &Path) -> BResult<PathBuf> {
    drop(reg);
    std::fs::create_dir_all(to)?;
    let copy = to.join("device.db");
    copy_register(path, &copy)?;
    Ok(copy)
}

fn copy_register(from: &Path, to: &Path) -> BResult<()> {
    std::fs::copy(from, to)?;
    for suffix in ["-wal", "-shm"] {
        let mut side = from.as_os_str().to_owned();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() {
            let mut dest = to.as_os_str().to_owned();
            dest.push(suffix);
            std::fs::copy(&side, PathBuf::from(dest))?;
        }
    }
    Ok(())
}
