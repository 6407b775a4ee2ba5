//! Reads during a sync (issue 14): p50/p99/max of list, search and show on a 10,000-household
//! register while a sync runs over a shaped EDGE link (50 kbit/s each way, 600 ms round trip,
//! `gocua_bench::proxy`), target p99 under 50 ms. A benchmark run by hand, not a timed test:
//!
//! `cargo run --release -p gocua-bench --bin reads_during_sync [HOUSEHOLDS]`
//!
//! A hub (in this process, on 127.0.0.1 behind the shaping proxy) and one device. The device
//! registers HOUSEHOLDS households (2 members each) and syncs them on an unshaped link; then, per
//! mode, it does a day's work (20 new households with members and checklist, 60 edits) and syncs
//! over EDGE while a reader thread calls list (a page of 50 of a hamlet), search (a name, 20
//! hits) and show (one household) in turn, 20 ms apart, each through the register's mutex as
//! the phone bindings hold it, timed from asking for the lock to the answer. Modes:
//! - `held`: the sync holds the register throughout (`Register::sync_with` under the lock: the
//!   bindings before issue 14);
//! - `released`: `sync::sync_shared` (the bindings now), which holds it only to plan a request
//!   and to apply an answer;
//! - `idle`: no sync, the same reads for 5 s (the floor).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gocua_bench::data::{self, GenEdit, HAMLET_IDS};
use gocua_bench::gocua::{self, BResult, COMMUNE};
use gocua_bench::proxy::{self, Proxy};
use gocua_core::Register;
use gocua_core::model::*;
use gocua_core::sync::{self, HttpTransport, SyncOptions, SyncReport, TlsOptions};
use gocua_hub::http::RunningHub;
use gocua_hub::{Hub, HubConfig};

const NEW_PER_ROUND: usize = 20;
const EDITS_PER_ROUND: usize = 60;

fn main() -> BResult<()> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(10_000);
    let dir = tempfile::tempdir()?;
    let (store, code) = gocua::hub_with_code(&dir.path().join("hub.db"), "vol-r")?;
    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
    let running = RunningHub::start(hub, "127.0.0.1:0", None, false)?;
    let link = Proxy::start(running.addr, proxy::LOOPBACK)?;

    let t = Instant::now();
    let mut reg = gocua::new_register(&dir.path().join("device.db"), "vol-r")?;
    let generated = data::households(7, n + 2 * NEW_PER_ROUND);
    let mut ids = Vec::with_capacity(n);
    for g in &generated[..n] {
        ids.push(gocua::seed_household(&mut reg, g)?);
    }
    eprintln!(
        "seeded {n} households in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    gocua::enrol(&mut reg, &link.url(), &code)?;
    let t = Instant::now();
    let (first, _) = gocua::sync_until_done(&mut reg, 3, Duration::from_secs(3600))?;
    eprintln!(
        "first sync (unshaped): {} pushed in {:.1} s",
        first.pushed,
        t.elapsed().as_secs_f64()
    );
    let names: Vec<String> = generated[..n]
        .iter()
        .step_by(97)
        .map(|g| g.members[0].full_name.clone())
        .collect();
    let reg = Arc::new(Mutex::new(reg));

    println!(
        "| mode | sync | reads | list p50 / p99 / max | search p50 / p99 / max | show p50 / p99 / max |"
    );
    println!("|---|---|---|---|---|---|");
    let idle = measure(&reg, &ids, &names, || {
        std::thread::sleep(Duration::from_secs(5))
    });
    row("idle (no sync)", "", &idle);
    link.set_shape(proxy::EDGE);
    for (round, mode) in ["held", "released"].into_iter().enumerate() {
        {
            let mut r = reg.lock().unwrap();
            for g in &generated[n + round * NEW_PER_ROUND..n + (round + 1) * NEW_PER_ROUND] {
                gocua::register_household(&mut r, g)?;
            }
            for k in round * EDITS_PER_ROUND..(round + 1) * EDITS_PER_ROUND {
                let e = GenEdit {
                    household: (k * 37) % n,
                    field: "notes".into(),
                    value: format!("Hẹn quay lại lần {k}"),
                };
                gocua::apply_edit(&mut r, &ids[e.household], &e)?;
            }
        }
        let transport =
            HttpTransport::new(&link.url(), &TlsOptions::default(), sync::DEFAULT_TIMEOUT)?;
        let mut report: Option<Result<SyncReport, String>> = None;
        let started = Instant::now();
        let stats = measure(&reg, &ids, &names, || {
            let options = SyncOptions::default();
            report = Some(
                if mode == "held" {
                    reg.lock().unwrap().sync_with(&transport, &options)
                } else {
                    sync::sync_shared(reg.as_ref(), &transport, &options)
                }
                .map_err(|e| e.to_string()),
            );
        });
        let took = started.elapsed();
        let report = report.ok_or("no sync")??;
        let sync = format!(
            "{:.1} s, {} docs up, {} B up",
            took.as_secs_f64(),
            report.pushed,
            report.bytes_up
        );
        row(&format!("{mode} (EDGE)"), &sync, &stats);
    }
    drop(link);
    drop(running);
    Ok(())
}

#[derive(Default)]
struct Stats {
    list: Vec<Duration>,
    search: Vec<Duration>,
    show: Vec<Duration>,
}

/// Runs `during` on this thread while a reader thread calls list, search and show in turn
/// until it returns.
fn measure(
    reg: &Arc<Mutex<Register>>,
    ids: &[HouseholdId],
    names: &[String],
    during: impl FnOnce(),
) -> Stats {
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let reader = s.spawn(|| {
            let mut stats = Stats::default();
            let mut i = 0usize;
            while !stop.load(Ordering::SeqCst) {
                let t = Instant::now();
                let r = reg.lock().unwrap();
                match i % 3 {
                    0 => {
                        let offset = ((i * 7) % 40) as u32 * 50;
                        r.list_hamlet(COMMUNE, HAMLET_IDS[i % 4], 50, offset)
                            .expect("list");
                        drop(r);
                        stats.list.push(t.elapsed());
                    }
                    1 => {
                        let hits = r.search(&names[i % names.len()], 20).expect("search");
                        assert!(!hits.is_empty());
                        drop(r);
                        stats.search.push(t.elapsed());
                    }
                    _ => {
                        r.household(&ids[(i * 31) % ids.len()]).expect("show");
                        drop(r);
                        stats.show.push(t.elapsed());
                    }
                }
                i += 1;
                // A person taps: the reader leaves the register alone between calls.
                std::thread::sleep(Duration::from_millis(20));
            }
            stats
        });
        during();
        stop.store(true, Ordering::SeqCst);
        reader.join().unwrap()
    })
}

fn row(mode: &str, sync: &str, s: &Stats) {
    println!(
        "| {mode} | {sync} | {} | {} | {} | {} |",
        s.list.len() + s.search.len() + s.show.len(),
        pct(&s.list),
        pct(&s.search),
        pct(&s.show)
    );
}

/// p50 / p99 / max in milliseconds.
fn pct(d: &[Duration]) -> String {
    if d.is_empty() {
        return "-".into();
    }
    let mut v: Vec<f64> = d.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    v.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1];
    format!(
        "{:.1} / {:.1} / {:.1} ms",
        at(0.5),
        at(0.99),
        v[v.len() - 1]
    )
}
