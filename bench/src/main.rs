//! `gocua-bench`: runs every system through the same proxy on the same data and writes the
//! report. Normally started by `bench/run.sh`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gocua_bench::data;
use gocua_bench::floor::{self, Sink};
use gocua_bench::gocua::{self as g, BResult, HubProc};
use gocua_bench::peers::{self, NodeProc};
use gocua_bench::proxy::{self, Counts, Proxy, Shape};
use gocua_bench::report::{self, Row};
use gocua_bench::w2;
use gocua_hub::HubStore;
use serde_json::json;

struct Args {
    root: PathBuf,
    hub_bin: PathBuf,
    /// Longest a shaped run may take; longer ones are estimated from the loopback bytes.
    shaped_cap: Duration,
    /// Systems to run: gocua, pouch, automerge, floor.
    systems: Vec<String>,
    /// W3 sizes: the commune (3,000) and, with --big, the large commune (10,000).
    sizes: Vec<usize>,
    /// Households of W1.
    w1_n: usize,
    /// W2: devices, registrations and edits per device; 0 devices = no W2.
    w2: (usize, usize, usize),
    /// automerge-repo: start at W3 (its W1 rows kept from an earlier run, with --keep-others).
    skip_w1: bool,
    /// gocua: only W2 (a profile of the commune week; with --keep-others for the other rows).
    w2_only: bool,
    /// Keep the rows of the systems not run now from the last results.json (a run split in two).
    keep_others: bool,
    /// The driver's own bound (`RUN_BOUND` from its start): the automerge-repo steps, which
    /// come last, shorten their bounds to end by then.
    deadline: Instant,
}

/// The driver's own bound, under `run.sh`'s `timeout 3600`, so that the report is always
/// written: the automerge-repo steps (last) end by then, reported as not finished if cut.
const RUN_BOUND: Duration = Duration::from_secs(3000);

/// The time left before the driver's own bound.
fn left(a: &Args) -> Duration {
    a.deadline.saturating_duration_since(Instant::now())
}

impl Args {
    fn runs(&self, system: &str) -> bool {
        self.systems.iter().any(|s| s == system)
    }
    fn first(&self) -> usize {
        self.sizes[0]
    }
    fn is_big(&self, n: usize) -> bool {
        self.sizes.len() > 1 && n == self.sizes[self.sizes.len() - 1]
    }
}

fn args() -> Args {
    let a: Vec<String> = std::env::args().collect();
    let val = |k: &str| a.iter().position(|x| x == k).and_then(|i| a.get(i + 1));
    Args {
        root: val("--root")
            .map(PathBuf::from)
            .unwrap_or_else(|| ".".into()),
        hub_bin: val("--hub-bin")
            .map(PathBuf::from)
            .unwrap_or_else(|| "target/release/gocua-hub".into()),
        shaped_cap: Duration::from_secs(
            val("--shaped-cap")
                .and_then(|v| v.parse().ok())
                .unwrap_or(240),
        ),
        systems: val("--systems")
            .map(|v| v.split(',').map(String::from).collect())
            .unwrap_or_else(|| {
                ["floor", "gocua", "pouch", "automerge"]
                    .iter()
                    .map(|s| s.to_string())
                    .filter(|s| !(s == "pouch" && a.iter().any(|x| x == "--skip-pouch")))
                    .collect()
            }),
        // --small: a quick check of the harness at a tenth of the sizes (not for the report).
        sizes: match (
            a.iter().any(|x| x == "--small"),
            a.iter().any(|x| x == "--big"),
        ) {
            (true, false) => vec![300],
            (true, true) => vec![300, 1000],
            (false, false) => vec![3000],
            (false, true) => vec![3000, 10_000],
        },
        w1_n: if a.iter().any(|x| x == "--small") {
            60
        } else {
            300
        },
        keep_others: a.iter().any(|x| x == "--keep-others"),
        deadline: Instant::now() + RUN_BOUND,
        skip_w1: a.iter().any(|x| x == "--skip-w1"),
        w2_only: a.iter().any(|x| x == "--w2-only"),
        w2: if a.iter().any(|x| x == "--no-w2") {
            (0, 0, 0)
        } else if a.iter().any(|x| x == "--small") {
            (3, 30, 50)
        } else {
            (10, 300, 500)
        },
    }
}

/// Link time a transfer of `bytes` in `turns` round trips would take on `shape`, at least.
fn link_estimate_s(shape: &Shape, c: &Counts) -> f64 {
    let up = c.up as f64 * 8.0 / shape.bits_per_sec.max(1) as f64;
    let down = c.down as f64 * 8.0 / shape.bits_per_sec.max(1) as f64;
    up + down + c.round_trips as f64 * shape.rtt.as_secs_f64()
}

struct Measure {
    counts: Counts,
    wall_ms: f64,
    hub_cpu_ms: Option<u64>,
}

fn measure<T>(
    proxy: &Proxy,
    hub_pid: u32,
    f: impl FnOnce() -> BResult<T>,
) -> BResult<(Measure, T)> {
    let (c0, cpu0, t0) = (proxy.counts(), g::cpu_ms(hub_pid), Instant::now());
    let out = f()?;
    let wall_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let counts = proxy.counts().since(&c0);
    let hub_cpu_ms = match (cpu0, g::cpu_ms(hub_pid)) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    Ok((
        Measure {
            counts,
            wall_ms,
            hub_cpu_ms,
        },
        out,
    ))
}

fn row(system: &str, workload: &str, shape: &Shape, n: usize, m: &Measure) -> Row {
    Row {
        system: system.into(),
        workload: workload.into(),
        link: shape.name.into(),
        households: n,
        counts: m.counts,
        wall_ms: m.wall_ms,
        hub_cpu_ms: m.hub_cpu_ms,
        ..Row::default()
    }
}

fn log(s: impl AsRef<str>) {
    eprintln!("[bench] {}", s.as_ref());
}

const W1_SHAPES: [Shape; 4] = [proxy::LOOPBACK, proxy::THREE_G, proxy::EDGE, proxy::FLAKY];

fn w1_name(shape: &Shape) -> &'static str {
    match shape.name {
        "loopback" => "W1",
        "flaky" => "W6 (W1)",
        _ => "W5 (W1)",
    }
}

/// The old floor's rows (zstd level 3), beside the floor's.
const OLD_FLOOR: &str = "zstd-3 JSON floor (before issue 21)";

fn run_floor(
    sizes: &[usize],
    work: &Path,
    w1: &[data::GenHousehold],
    base: &[data::GenHousehold],
) -> BResult<Vec<Row>> {
    let _ = work;
    let mut rows = Vec::new();
    let sink = Sink::start()?;
    let px = Proxy::start(sink.addr, proxy::LOOPBACK)?;
    for (system, level) in [
        ("zstd-JSON floor", floor::LEVEL),
        (OLD_FLOOR, floor::OLD_LEVEL),
    ] {
        let body = floor::compress(&w1, level);
        for shape in [proxy::LOOPBACK, proxy::THREE_G, proxy::EDGE] {
            if level == floor::OLD_LEVEL && shape.name != "loopback" {
                continue;
            }
            px.set_shape(shape);
            let (m, _) = measure(&px, std::process::id(), || {
                Ok(floor::upload(&px.url(), body.clone())?)
            })?;
            let mut r = row(system, w1_name(&shape), &shape, w1.len(), &m);
            r.hub_cpu_ms = None;
            r.note = format!("one POST, zstd level {level}, {} B compressed", body.len());
            rows.push(r);
        }
        for &n in sizes {
            if n > base.len() {
                continue;
            }
            let blob = floor::compress(&base[..n], level);
            sink.set(blob.clone());
            for shape in [proxy::LOOPBACK, proxy::THREE_G] {
                if (n != sizes[0] || level == floor::OLD_LEVEL) && shape.name != "loopback" {
                    continue;
                }
                px.set_shape(shape);
                let (m, got) =
                    measure(&px, std::process::id(), || Ok(floor::download(&px.url())?))?;
                let wl = if shape.name == "loopback" {
                    "W3"
                } else {
                    "W5 (W3)"
                };
                let mut r = row(system, wl, &shape, got, &m);
                r.hub_cpu_ms = None;
                r.note = format!("one GET, zstd level {level}, {} B compressed", blob.len());
                rows.push(r);
            }
        }
    }
    Ok(rows)
}

fn run_gocua(
    a: &Args,
    work: &Path,
    w1: &[data::GenHousehold],
    base: &[data::GenHousehold],
) -> BResult<Vec<Row>> {
    let mut rows = Vec::new();
    // The W1 device's register, filled offline once and copied for each link.
    let template = work.join("gocua-w1-template.db");
    {
        let mut reg = g::new_register(&template, "vol-1")?;
        let t = Instant::now();
        for h in w1 {
            g::register_household(&mut reg, h)?;
        }
        log(format!(
            "gocua: {} households registered on the device in {:.1} s",
            w1.len(),
            t.elapsed().as_secs_f64()
        ));
    }
    for shape in W1_SHAPES {
        let hub = HubProc::start(
            &a.hub_bin,
            &work.join(format!("hub-w1-{}", shape.name)),
            &["vol-1".to_string()],
        )?;
        let px = Proxy::start(hub.addr, proxy::LOOPBACK)?;
        let dev = work.join(format!("gocua-w1-{}.db", shape.name));
        std::fs::copy(&template, &dev)?;
        let mut reg = g::open_register(&dev)?;
        g::enrol(&mut reg, &px.url(), &hub.codes["vol-1"])?;
        px.set_shape(shape);
        let (m, (rep, failures)) = measure(&px, hub.pid(), || {
            g::sync_until_done(&mut reg, 60, Duration::from_secs(900))
        })?;
        let mut r = row("gocua", w1_name(&shape), &shape, w1.len(), &m);
        r.failures = failures;
        r.hub_peak_rss_kib = g::peak_rss_kib(hub.pid());
        r.device_db_bytes = Some(g::file_bytes(&dev));
        let (dn, dh) = g::device_hash(&reg)?;
        let (hn, hh) = hub.content_hash()?;
        r.converged = Some(dn == hn && dh == hh && dn == w1.len());
        r.conflicts_for_a_person = Some(0);
        r.note = format!(
            "{} sync request(s) in the last attempt; bodies {} B up / {} B down",
            rep.round_trips, rep.bytes_up, rep.bytes_down
        );
        log(format!(
            "gocua {} {}: {:?} in {:.0} ms",
            r.workload, shape.name, m.counts, m.wall_ms
        ));
        rows.push(r);
    }

    // A commune's hub with the base households, put there by a seeding device.
    let sizes = a.sizes.clone();
    let vols: Vec<String> = ["seeder", "n-loop", "n-3g", "n-edge", "n-10k"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let hub = HubProc::start(&a.hub_bin, &work.join("hub-base"), &vols)?;
    let px = Proxy::start(hub.addr, proxy::LOOPBACK)?;
    let seeder_path = work.join("gocua-seeder.db");
    let mut seeder = g::new_register(&seeder_path, "seeder")?;
    g::enrol(&mut seeder, &px.url(), &hub.codes["seeder"])?;
    let mut seeded = 0;
    for &n in &sizes {
        let t = Instant::now();
        for h in &base[seeded..n] {
            g::register_household(&mut seeder, h)?;
        }
        log(format!(
            "gocua: seeder registered {} households in {:.1} s",
            n - seeded,
            t.elapsed().as_secs_f64()
        ));
        let (m, _) = measure(&px, hub.pid(), || {
            g::sync_until_done(&mut seeder, 3, Duration::from_secs(900))
        })?;
        let mut r = row(
            "gocua",
            "seed (W1 at scale)",
            &proxy::LOOPBACK,
            n - seeded,
            &m,
        );
        r.device_db_bytes = Some(g::file_bytes(&seeder_path));
        r.note = "the seeding device pushes its households to the hub".into();
        rows.push(r);
        seeded = n;

        // W3: a new phone pulls everything.
        let shapes: &[Shape] = if n == a.first() {
            &[proxy::LOOPBACK, proxy::THREE_G, proxy::EDGE]
        } else {
            &[proxy::LOOPBACK]
        };
        let mut loop_counts = None;
        for shape in shapes {
            let vol = match (a.is_big(n), shape.name) {
                (true, _) => "n-10k",
                (_, "loopback") => "n-loop",
                (_, "3G") => "n-3g",
                _ => "n-edge",
            };
            let wl = if shape.name == "loopback" {
                "W3"
            } else {
                "W5 (W3)"
            };
            if let Some(c) = loop_counts.as_ref() {
                let est = link_estimate_s(shape, c);
                if est > a.shaped_cap.as_secs_f64() {
                    let mut r = row(
                        "gocua",
                        wl,
                        shape,
                        n,
                        &Measure {
                            counts: *c,
                            wall_ms: est * 1000.0,
                            hub_cpu_ms: None,
                        },
                    );
                    r.note = format!(
                        "not run: estimated from the loopback bytes and round trips at {:.0} s, over the {} s cap",
                        est,
                        a.shaped_cap.as_secs()
                    );
                    rows.push(r);
                    continue;
                }
            }
            let path = work.join(format!("gocua-{vol}.db"));
            let mut reg = g::new_register(&path, vol)?;
            g::enrol(&mut reg, &px.url(), &hub.codes[vol])?;
            px.set_shape(*shape);
            let (c0, t0) = (px.counts(), Instant::now());
            let synced = measure(&px, hub.pid(), || {
                g::sync_until_done(&mut reg, 3, a.shaped_cap * 2)
            });
            px.set_shape(proxy::LOOPBACK);
            let (m, (_, failures)) = match synced {
                Ok(done) => done,
                Err(e) => {
                    // A sync that cannot finish on this link is a result, not the end of the run.
                    let m = Measure {
                        counts: px.counts().since(&c0),
                        wall_ms: t0.elapsed().as_secs_f64() * 1000.0,
                        hub_cpu_ms: None,
                    };
                    let mut r = row("gocua", wl, shape, n, &m);
                    r.note = format!("did not finish: {e}");
                    log(format!(
                        "gocua {wl} {} {n}: did not finish: {e}",
                        shape.name
                    ));
                    rows.push(r);
                    continue;
                }
            };
            let mut r = row("gocua", wl, shape, n, &m);
            r.failures = failures;
            r.hub_peak_rss_kib = g::peak_rss_kib(hub.pid());
            r.device_db_bytes = Some(g::file_bytes(&path));
            let (dn, dh) = g::device_hash(&reg)?;
            let (hn, hh) = hub.content_hash()?;
            r.converged = Some(dn == hn && dh == hh && dn == n);
            r.conflicts_for_a_person = Some(0);
            log(format!(
                "gocua {wl} {} {n}: {:?} in {:.0} ms",
                shape.name, m.counts, m.wall_ms
            ));
            rows.push(r);
            if shape.name == "loopback" {
                loop_counts = Some(m.counts);
                if n == a.first() {
                    // W4: a check-in with nothing changed.
                    let (m, _) = measure(&px, hub.pid(), || {
                        g::sync_until_done(&mut reg, 1, Duration::from_secs(60))
                    })?;
                    let mut r = row("gocua", "W4", shape, n, &m);
                    r.converged = Some(true);
                    r.conflicts_for_a_person = Some(0);
                    rows.push(r);
                }
                if a.is_big(n) {
                    rows.push(w7_gocua(&path, n)?);
                }
            }
        }
    }
    Ok(rows)
}

/// W7: open the register, first screen of 50 in a hamlet, open one household.
fn w7_gocua(path: &Path, n: usize) -> BResult<Row> {
    let t0 = Instant::now();
    let reg = g::open_register(path)?;
    let t_open = t0.elapsed();
    let t1 = Instant::now();
    let page = reg.list_hamlet(g::COMMUNE, data::HAMLET_IDS[0], 50, 0)?;
    let t_list = t1.elapsed();
    let t2 = Instant::now();
    let h = reg.household(&page[0].id)?;
    let t_one = t2.elapsed();
    let _ = h;
    Ok(Row {
        system: "gocua".into(),
        workload: "W7".into(),
        link: "device".into(),
        households: n,
        wall_ms: (t_open + t_list + t_one).as_secs_f64() * 1000.0,
        device_db_bytes: Some(g::file_bytes(path)),
        note: format!(
            "open {:.1} ms, first screen of {} {:.1} ms, open one {:.1} ms",
            t_open.as_secs_f64() * 1000.0,
            page.len(),
            t_list.as_secs_f64() * 1000.0,
            t_one.as_secs_f64() * 1000.0
        ),
        ..Row::default()
    })
}

fn run_pouch(
    a: &Args,
    work: &Path,
    w1_file: &Path,
    base_file: &Path,
    w1_n: usize,
) -> BResult<Vec<Row>> {
    let node_dir = a.root.join("bench/node");
    let mut rows = Vec::new();
    let mut server = NodeProc::start(&node_dir, "pouch-server.js")?;
    let port = server.read()?["port"].as_u64().ok_or("no port")?;
    let target: std::net::SocketAddr = format!("127.0.0.1:{port}").parse()?;
    let direct = format!("http://127.0.0.1:{port}");
    let spid = server.pid();
    let px = Proxy::start(target, proxy::LOOPBACK)?;
    let mut client = NodeProc::start(&node_dir, "pouch-client.js")?;
    for shape in W1_SHAPES {
        let db = format!("w1-{}", shape.name.to_lowercase());
        let reg =
            client.call(json!({"op": "register", "db": db, "file": w1_file, "count": w1_n}))?;
        if shape.name == "loopback" {
            log(format!(
                "pouch: {w1_n} households written on the device in {:.0} ms",
                reg["ms"]
            ));
        }
        px.set_shape(shape);
        let url = format!("{}/{db}", px.url());
        let retries = if shape.cut_every.is_some() { 60 } else { 0 };
        let (m, res) = measure(&px, spid, || {
            Ok(client.call(json!({"op": "sync", "db": db, "url": url, "retries": retries})))
        })?;
        px.set_shape(proxy::LOOPBACK);
        let out = match res {
            Ok(v) => v,
            Err(e) => {
                let mut r = row("PouchDB", w1_name(&shape), &shape, w1_n, &m);
                let first = e.to_string();
                let first = first.split("\\n").next().unwrap_or("").to_string();
                r.failures = retries as u32 + 1;
                r.converged = Some(false);
                r.note = format!("did not finish: {first}");
                rows.push(r);
                continue;
            }
        };
        let mut r = row("PouchDB", w1_name(&shape), &shape, w1_n, &m);
        r.failures = out["failures"].as_u64().unwrap_or(0) as u32;
        r.hub_peak_rss_kib = g::peak_rss_kib(spid);
        let hl = client.call(json!({"op": "hash", "db": db}))?;
        let hr = client.call(json!({"op": "hash", "url": format!("{direct}/{db}")}))?;
        r.converged = Some(hl["hash"] == hr["hash"] && hl["docs"] == hr["docs"]);
        r.conflicts_for_a_person = client
            .call(json!({"op": "conflicts", "url": format!("{direct}/{db}")}))?["conflicts"]
            .as_u64();
        r.note = "device DB: memory adapter".into();
        log(format!(
            "pouch {} {}: {:?} in {:.0} ms",
            r.workload, shape.name, m.counts, m.wall_ms
        ));
        rows.push(r);
    }
    let sizes = a.sizes.clone();
    let mut seeded = 0;
    for &n in &sizes {
        client.call(json!({"op": "seed_remote", "url": format!("{direct}/base"), "file": base_file, "start": seeded, "count": n - seeded}))?;
        seeded = n;
        let shapes: &[Shape] = if n == a.first() {
            &[proxy::LOOPBACK, proxy::THREE_G, proxy::EDGE]
        } else {
            &[proxy::LOOPBACK]
        };
        let mut loop_counts = None;
        for shape in shapes {
            let wl = if shape.name == "loopback" {
                "W3"
            } else {
                "W5 (W3)"
            };
            if let Some(c) = loop_counts.as_ref() {
                let est = link_estimate_s(shape, c);
                if est > a.shaped_cap.as_secs_f64() {
                    let mut r = row(
                        "PouchDB",
                        wl,
                        shape,
                        n,
                        &Measure {
                            counts: *c,
                            wall_ms: est * 1000.0,
                            hub_cpu_ms: None,
                        },
                    );
                    r.note = format!(
                        "not run: estimated from the loopback bytes and round trips at {:.0} s, over the {} s cap",
                        est,
                        a.shaped_cap.as_secs()
                    );
                    rows.push(r);
                    continue;
                }
            }
            let db = format!("new-{n}-{}", shape.name.to_lowercase());
            let url = format!("{}/base", px.url());
            px.set_shape(*shape);
            let (m, _) = measure(&px, spid, || {
                client.call(json!({"op": "sync", "db": db, "url": url}))
            })?;
            px.set_shape(proxy::LOOPBACK);
            let mut r = row("PouchDB", wl, shape, n, &m);
            r.hub_peak_rss_kib = g::peak_rss_kib(spid);
            let hl = client.call(json!({"op": "hash", "db": db}))?;
            let hr = client.call(json!({"op": "hash", "url": format!("{direct}/base")}))?;
            r.converged = Some(hl["hash"] == hr["hash"] && hl["docs"].as_u64() == Some(n as u64));
            r.conflicts_for_a_person = Some(0);
            r.note = "device DB: memory adapter".into();
            log(format!(
                "pouch {wl} {} {n}: {:?} in {:.0} ms",
                shape.name, m.counts, m.wall_ms
            ));
            rows.push(r);
            if shape.name == "loopback" {
                loop_counts = Some(m.counts);
                if n == a.first() {
                    let (m, _) = measure(&px, spid, || {
                        client.call(json!({"op": "sync", "db": db, "url": url}))
                    })?;
                    let mut r = row("PouchDB", "W4", shape, n, &m);
                    r.converged = Some(true);
                    r.conflicts_for_a_person = Some(0);
                    rows.push(r);
                }
                if a.is_big(n) {
                    let dir = work.join(format!("pouch-w7-{n}"));
                    let s = client.call(json!({"op": "screen", "db": db, "dir": dir}))?;
                    rows.push(w7_row("PouchDB", n, &s, s["bytes"].as_u64(),
                        "the pulled households copied into PouchDB's on-disk adapter (LevelDB), then: open = new PouchDB + info(); first screen = allDocs of the first 50 with their documents; open one = get of the last id"));
                }
            }
        }
    }
    drop(client);
    drop(server);
    Ok(rows)
}

fn ratio(a: u64, b: u64) -> String {
    if b == 0 {
        "–".into()
    } else {
        format!("{:.2}", a as f64 / b as f64)
    }
}

fn write_report(
    a: &Args,
    rows: &[Row],
    missing: &[String],
    earlier: &serde_json::Value,
    started: &str,
    elapsed: Duration,
) -> BResult<()> {
    let out_dir = a.root.join("bench/results");
    std::fs::create_dir_all(&out_dir)?;
    let versions =
        std::fs::read_to_string(a.root.join("bench/results/.versions")).unwrap_or_default();
    let gocua_commit = versions
        .lines()
        .find_map(|l| l.strip_prefix("gocua "))
        .unwrap_or("?")
        .to_string();
    let done = |b: bool| if b { "met" } else { "not met" };
    let tot = |s: &str, w: &str, l: &str| {
        report::find(rows, s, w, l)
            .filter(|r| {
                r.note.is_empty()
                    || !(r.note.starts_with("did not") || r.note.starts_with("not run"))
            })
            .map(|r| r.counts.total())
    };
    // The goals for gocua (issue 7): (goal, measured, met).
    let mut goals: Vec<(String, String, Option<bool>)> = Vec::new();
    let (g1, p1, f1) = (
        tot("gocua", "W1", "loopback"),
        tot("PouchDB", "W1", "loopback"),
        tot("zstd-JSON floor", "W1", "loopback"),
    );
    if let (Some(gv), Some(pv)) = (g1, p1) {
        goals.push((
            "W1 bytes at most a fifth of PouchDB's".into(),
            format!("{gv} B vs {pv} B ({})", ratio(gv, pv)),
            Some(gv * 5 <= pv),
        ));
    }
    if let (Some(gv), Some(fv)) = (g1, f1) {
        goals.push((
            "W1 bytes at most 2x the zstd-JSON floor (zstd level 19)".into(),
            format!("{gv} B vs {fv} B ({})", ratio(gv, fv)),
            Some(gv <= 2 * fv),
        ));
    }

    if let Some(gv) = tot("gocua", "W4", "loopback") {
        goals.push(("W4 under 1 KB".into(), format!("{gv} B"), Some(gv < 1000)));
    }
    if let Some(r) = report::find(rows, "gocua", "W5 (W1)", "EDGE") {
        goals.push((
            "W5 EDGE W1 under 15 s".into(),
            format!("{:.1} s", r.wall_ms / 1000.0),
            Some(r.wall_ms < 15_000.0 && r.converged == Some(true)),
        ));
    }
    if let (Some(f), Some(l)) = (report::find(rows, "gocua", "W6 (W1)", "flaky"), g1) {
        let extra = f.counts.total() as f64 / l as f64 - 1.0;
        goals.push((
            "W6 finishes with under 10% extra bytes".into(),
            format!(
                "{} B vs {l} B on loopback: {:+.1}%, {} failed attempt(s), {} cut(s)",
                f.counts.total(),
                extra * 100.0,
                f.failures,
                f.counts.cuts
            ),
            Some(extra < 0.10 && f.converged == Some(true)),
        ));
    }
    match report::find(rows, "gocua", "W2", "loopback") {
        Some(r) => {
            let [shown, kept, lost] = r.edit_check.unwrap_or([0, 0, u64::MAX]);
            goals.push((
                "W2 converges with no edit lost".into(),
                format!(
                    "converged: {}; {shown} edits shown, {kept} kept as a conflict for a person, {lost} lost",
                    if r.converged == Some(true) { "yes" } else { "no" }
                ),
                Some(r.converged == Some(true) && lost == 0),
            ));
        }
        None => goals.push((
            "W2 converges with no edit lost".into(),
            "not run".into(),
            None,
        )),
    }
    let meta = json!({
        "date": started,
        "elapsed_s": elapsed.as_secs(),
        "machine": machine(),
        "versions": versions.lines().collect::<Vec<_>>(),
        "gocua_commit": gocua_commit,
        "big": a.is_big(*a.sizes.last().unwrap()),
        "sizes": a.sizes,
        "shaped_cap_s": a.shaped_cap.as_secs(),
        "goals": goals.iter().map(|(g, m, ok)| json!({"goal": g, "measured": m, "met": ok})).collect::<Vec<_>>(),
        "headline": headline_json(rows),
        "systems": a.systems,
        "other_systems_from_an_earlier_run": earlier,
        "not_measured": missing,
    });
    std::fs::write(
        out_dir.join("results.json"),
        serde_json::to_string_pretty(&json!({"meta": meta, "rows": rows}))? + "\n",
    )?;

    let mut md = String::new();
    md += &format!(
        "`bench/run.sh --big` (source: `bench/`; results also in `bench/results/results.json`). Not part of the test suite.\n\n\
         Run on {started} ({} s in all) on {}, gocua at commit {gocua_commit}. {}\n\n",
        elapsed.as_secs(),
        machine(),
        versions.lines().collect::<Vec<_>>().join(", ")
    );
    // Which run measured which rows (a report may join runs: the peers earlier, gocua on the
    // final commit).
    let mut runs: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for r in rows {
        runs.entry(r.run.clone().unwrap_or_else(|| started.to_string()))
            .or_default()
            .insert(r.system.clone());
    }
    if runs.len() > 1 {
        md += "This report joins runs (`--keep-others`; the peers' code does not depend on gocua's commit, and the whole run does not fit beside the final gocua commit): ";
        md += &runs
            .iter()
            .map(|(run, sys)| {
                format!(
                    "{} measured by the run started {run}",
                    sys.iter().cloned().collect::<Vec<_>>().join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        md += &format!(
            ". The earlier run's machine and versions: {}.\n\n",
            earlier["versions"]
                .as_array()
                .map(|v| v
                    .iter()
                    .filter_map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join(", "))
                .unwrap_or_default()
        );
    }
    md += &format!(
        "Every system ran on 127.0.0.1 through the same counting, shaping TCP proxy (`bench/src/proxy.rs`), on the same generated households \
(`bench/src/data.rs`, seeded: Vietnamese names with diacritics, 12-digit ID numbers, phones, GPS, 2–5 members, 2–4 checklist items). \
Links: loopback; 3G = 1 Mbit/s each way, 150 ms round trip; EDGE = 50 kbit/s, 600 ms; flaky = every connection cut after 64 KiB (both ways). \
Bytes are on the wire (HTTP and WebSocket headers included, plain HTTP, no TLS). *Requests* are client-to-server turns on a connection, *round trips* \
server answers after a client turn. All stores live on tmpfs (`/dev/shm`), so disk waits are out of every number: PouchDB's server and device use the \
in-memory adapter (W7 copies the device's households into PouchDB's LevelDB adapter), automerge-repo's sync server and devices use \
`automerge-repo-storage-nodefs`, gocua's hub and device use SQLite files.\n\n\
**automerge-repo** (`bench/node/am-server.mjs`, `am-client.mjs`): the sync server as `automerge-repo-sync-server` sets it up (a Repo with the \
WebSocket server adapter and file-system storage, announcing nothing), devices with one Automerge document per household (written in the \
same steps as gocua's device: the household, each member, the head, each checklist item) and one index document per commune (household key → \
document URL) through which a device finds households it has never had. automerge-repo has no \"sync finished\" signal; a device counts as \
done when, for every document it holds, the heads the server last reported in the sync protocol on this connection equal the device's heads, \
no document is still being fetched and every household the index lists is held (checked every 10 ms, bounded by a timeout); then it waits \
200 ms plus two round trips (bytes still moving are counted) and disconnects. Wall time is until done. Each sync is a new session (peer id), \
as a new Repo is: the server keeps its sync state per peer id in memory and does not answer a returning peer it believes up to date. \
The sync server's keep-alive is 10 minutes for every workload of this run (`AM_KEEPALIVE_MS` in `bench/src/main.rs`): with the WebSocket \
server adapter's default (a ping every 5 s, a client that has not answered the last one is cut), devices whose event loop was busy applying \
thousands of documents, and devices whose pong an EDGE or flaky link delayed, were cut and did not finish; a phone's app is not cut for that, \
so the default would measure the bench's machine rather than automerge-repo.\n\n\
**W2** (a commune week): the hub holds 3,000 households; 10 devices pull them (setup, not counted), then each, offline, registers 300 households \
and makes 500 edits (member 0's phone, the notes, the house number); 150 households (5%) are edited on two devices, 75 on the same field with \
different values, 75 on different fields; then the devices sync one after another in a seeded random order, round after round (at most 5), \
until every device and the hub hold the same (content hashes). The counts are the sum over every sync of every round. An edit *must survive* \
when it is the last value a device wrote to a field; *shown* = the field shows it, *kept* = only a concurrent value or a conflicting revision \
keeps it (a person must look), *lost* = neither. For automerge-repo, to keep the run's time bounded, W2's sync server starts from a copy of \
the storage of the W3 sync server right after it wrote the commune, and the ten devices from a copy of the storage of the W3 device that \
pulled it (without storage ids and sync states: new devices to the hub) rather than a second commune written and ten pulls (the devices live \
in two Node processes, five each, so that this setup uses both cores; one device syncs at a time); its syncs, all \
rounds together, are bounded by {w2_budget} s, and a W2 stopped by that bound is reported as not finished with the syncs done and an estimate.\n\n\
**Bounds** (so that the whole run fits in about 50 minutes on 2 vCPUs): a shaped run whose estimate from the loopback bytes is over the \
{cap} s cap is not run and is reported as an estimate; a shaped sync of gocua or automerge-repo may take twice the cap, an automerge-repo \
pull on loopback {w3_timeout} s, any command to a Node peer (a PouchDB sync, writing the commune) {node_timeout} s; a sync that does not finish in its bound is reported as not finished, \
with the bytes it spent. The automerge-repo steps, which come last, also end by {run_bound} s from the driver's start (under `run.sh`'s \
`timeout 3600`, so that this report is always written).\n\n\
**W7** (on the device, 10,000 households): open the local store, first screen of 50, open one household.\n\n",
        w2_budget = AM_W2_SYNC_BUDGET.as_secs(),
        cap = a.shaped_cap.as_secs(),
        w3_timeout = AM_W3_TIMEOUT.as_secs(),
        node_timeout = peers::DEFAULT_TIMEOUT.as_secs(),
        run_bound = RUN_BOUND.as_secs(),
    );

    md += "### Headline: gocua / peer\n\n| measure | gocua | PouchDB | automerge-repo | zstd-JSON floor | gocua / PouchDB | gocua / automerge-repo | gocua / floor |\n|---|---|---|---|---|---|---|---|\n";
    for h in headline(rows) {
        md += &format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            h.label,
            h.cells[0],
            h.cells[1],
            h.cells[2],
            h.cells[3],
            h.ratios[0],
            h.ratios[1],
            h.ratios[2]
        );
    }

    md += "\n### Goals for gocua\n\n| goal | measured | met |\n|---|---|---|\n";
    for (g, m, ok) in &goals {
        md += &format!(
            "| {g} | {m} | {} |\n",
            match ok {
                Some(true) => "met".to_string(),
                Some(false) => format!("**{}**", done(false)),
                None => "**not measured**".to_string(),
            }
        );
    }

    md += "\n### All measurements\n\n";
    md += &report::table(rows);
    md += "\nNotes per row:\n\n";
    for r in rows.iter().filter(|r| !r.note.is_empty() || r.failures > 0) {
        md += &format!(
            "- {} {} {}: {}{}\n",
            r.system,
            r.workload,
            r.link,
            r.note,
            if r.failures > 0 && !r.note.starts_with("did not finish") {
                format!(" ({} failed attempt(s) before it finished)", r.failures)
            } else {
                String::new()
            }
        );
    }
    md += "\n*Hub CPU* is the CPU time of the hub's process (gocua-hub, the Node process of express-pouchdb or of automerge-repo's sync server) during the transfer, from /proc; \
*hub peak RSS* its VmHWM so far (a process serves several workloads in turn, so it only grows). *Converged*: the device's and the hub's content hashes (canonical JSON of every household) are equal \
and hold every household. *Device DB* for gocua is the register's SQLite file and WAL (unencrypted register), for automerge-repo the bytes of the \
device's storage directory, for PouchDB (W7 only) the LevelDB directory. *Conflicts for a person*: gocua, households with a same-field conflict to settle; \
PouchDB, documents with conflicting revisions (a whole-document conflict); automerge-repo: none reach a person (a field written concurrently \
shows one value, the other stays in the history).\n";
    if !missing.is_empty() {
        md += "\nNot measured in this run:\n\n";
        for m in missing {
            md += &format!("- {m}\n");
        }
    }

    let doc_path = a.root.join("docs/BENCHMARKS.md");
    let doc = std::fs::read_to_string(&doc_path)?;
    std::fs::write(
        &doc_path,
        report::replace_section(&doc, "## Side by side with the peers (issue 7)", &md),
    )?;
    Ok(())
}

const SYSTEMS: [&str; 4] = ["gocua", "PouchDB", AM, "zstd-JSON floor"];

/// Headline rows that put the floor as it was before issue 21 (zstd level 3) in the floor's
/// column, so that the change of the floor's definition stays visible.
const OLD_FLOOR_W1: &str = "W1 bytes, floor at zstd level 3 (before issue 21)";
const OLD_FLOOR_W3: &str = "W3 bytes (3,000), floor at zstd level 3 (before issue 21)";

struct Headline {
    label: &'static str,
    cells: [String; 4],
    values: [Option<f64>; 4],
    ratios: [String; 3],
}

/// Bytes and wall times side by side; ratios gocua / each other system.
fn headline(rows: &[Row]) -> Vec<Headline> {
    let mut out = Vec::new();
    let byte_rows: [(&str, &str, &str); 9] = [
        ("W1 bytes (300 households up)", "W1", "loopback"),
        ("W3 bytes (new phone, 3,000)", "W3", "loopback"),
        ("W3 bytes (new phone, 10,000)", "W3", "loopback"),
        (OLD_FLOOR_W1, "W1", "loopback"),
        (OLD_FLOOR_W3, "W3", "loopback"),
        ("W4 bytes (no change, 3,000)", "W4", "loopback"),
        ("W6 bytes (W1, flaky)", "W6 (W1)", "flaky"),
        ("W2 bytes (commune week, all syncs)", "W2", "loopback"),
        ("W2 wall (all syncs)", "W2", "loopback"),
    ];
    let time_rows: [(&'static str, &str, &str); 5] = [
        ("W5 3G W1 wall", "W5 (W1)", "3G"),
        ("W5 EDGE W1 wall", "W5 (W1)", "EDGE"),
        ("W5 3G W3 wall", "W5 (W3)", "3G"),
        ("W5 EDGE W3 wall", "W5 (W3)", "EDGE"),
        (
            "W7 on the device, 10,000 (open + screen + one)",
            "W7",
            "device",
        ),
    ];
    let find = |s: &str, w: &str, l: &str, n: Option<usize>| {
        rows.iter().find(|r| {
            r.system == s && r.workload == w && r.link == l && n.is_none_or(|n| r.households == n)
        })
    };
    for (i, (label, w, l)) in byte_rows.iter().enumerate() {
        let n = match i {
            1 | 4 => Some(3000),
            2 => Some(10_000),
            _ => None,
        };
        let is_time = label.contains("wall");
        let mut cells: [String; 4] = Default::default();
        let mut values = [None; 4];
        let old_floor = [OLD_FLOOR_W1, OLD_FLOOR_W3].contains(label);
        for (k, s) in SYSTEMS.iter().enumerate() {
            let s: &str = if old_floor && k == 3 { OLD_FLOOR } else { s };
            let r = find(s, w, l, n);
            (cells[k], values[k]) = match r {
                None if *w == "W2" && s == "zstd-JSON floor" => ("n/a (no merge)".into(), None),
                None => ("–".into(), None),
                Some(r) if r.note.starts_with("did not finish") => (
                    format!("did not finish ({} B spent)", r.counts.total()),
                    None,
                ),
                Some(r) if is_time => (format!("{:.1} s", r.wall_ms / 1000.0), Some(r.wall_ms)),
                Some(r) => (
                    format!("{} B", r.counts.total()),
                    Some(r.counts.total() as f64),
                ),
            };
        }
        out.push(finish(label, cells, values));
    }
    for (label, w, l) in time_rows {
        let mut cells: [String; 4] = Default::default();
        let mut values = [None; 4];
        for (k, s) in SYSTEMS.iter().enumerate() {
            (cells[k], values[k]) = match find(s, w, l, None) {
                None => ("–".into(), None),
                Some(r) if r.note.starts_with("did not finish") => ("did not finish".into(), None),
                Some(r) if r.note.starts_with("not run") => {
                    (format!("≈ {:.0} s (estimate)", r.wall_ms / 1000.0), None)
                }
                Some(r) if w == "W7" => (format!("{:.0} ms", r.wall_ms), Some(r.wall_ms)),
                Some(r) => (format!("{:.1} s", r.wall_ms / 1000.0), Some(r.wall_ms)),
            };
        }
        out.push(finish(label, cells, values));
    }
    out
}

fn finish(label: &'static str, cells: [String; 4], values: [Option<f64>; 4]) -> Headline {
    let r = |k: usize| match (values[0], values[k]) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
        _ => "–".into(),
    };
    Headline {
        label,
        ratios: [r(1), r(2), r(3)],
        cells,
        values,
    }
}

fn headline_json(rows: &[Row]) -> serde_json::Value {
    headline(rows)
        .iter()
        .map(|h| {
            json!({
                "measure": h.label,
                "gocua": h.values[0], "PouchDB": h.values[1], "automerge-repo": h.values[2], "floor": h.values[3],
                "gocua/PouchDB": h.ratios[0], "gocua/automerge-repo": h.ratios[1], "gocua/floor": h.ratios[2],
            })
        })
        .collect()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<u64>().ok())
        })
        .unwrap_or(0);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    format!(
        "{cores} vCPU {cpu}, {} GiB RAM, load average at the start {}",
        mem / 1024 / 1024,
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    )
}

/// Writes the report with the rows so far (after each system, so a run stopped later keeps
/// them); with --keep-others, beside the other systems' rows of the last results.json.
fn publish(
    a: &Args,
    rows: &[Row],
    missing: &[String],
    started: &str,
    elapsed: Duration,
) -> BResult<Vec<Row>> {
    let mut rows = rows.to_vec();
    for r in &mut rows {
        r.run = Some(started.to_string());
    }
    let mut missing = missing.to_vec();
    // A run split in two (the peers earlier, gocua on the final commit): the other systems' rows.
    let mut earlier = serde_json::Value::Null;
    if a.keep_others {
        let path = a.root.join("bench/results/results.json");
        let old: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let mut kept = 0;
        // Rows this run has not measured (other systems, or not yet), with the run they came from.
        let key = |r: &Row| {
            (
                r.system.clone(),
                r.workload.clone(),
                r.link.clone(),
                r.households,
            )
        };
        let now: std::collections::BTreeSet<_> = rows.iter().map(key).collect();
        for r in old["rows"].as_array().into_iter().flatten() {
            let mut r: Row = serde_json::from_value(r.clone())?;
            if !now.contains(&key(&r)) {
                if r.run.is_none() {
                    r.run = old["meta"]["date"].as_str().map(String::from);
                }
                rows.push(r);
                kept += 1;
            }
        }
        for m in old["meta"]["not_measured"].as_array().into_iter().flatten() {
            if let Some(m) = m.as_str() {
                missing.push(m.to_string());
            }
        }
        let om = &old["meta"];
        earlier = json!({"date": om["date"], "elapsed_s": om["elapsed_s"], "machine": om["machine"],
            "versions": om["versions"], "rows": kept, "systems": om["systems"]});
    }
    rows.sort_by_key(|r| {
        let w = [
            "W1",
            "W3",
            "W4",
            "W5 (W1)",
            "W5 (W3)",
            "W6 (W1)",
            "W7",
            "W2",
            "seed (W1 at scale)",
        ]
        .iter()
        .position(|x| *x == r.workload)
        .unwrap_or(99);
        let l = ["loopback", "3G", "EDGE", "flaky", "device"]
            .iter()
            .position(|x| *x == r.link)
            .unwrap_or(9);
        let s = ["gocua", "PouchDB", "automerge-repo", "zstd-JSON floor"]
            .iter()
            .position(|x| *x == r.system)
            .unwrap_or(9);
        (w, r.households, l, s)
    });
    missing.dedup();
    write_report(a, &rows, &missing, &earlier, started, elapsed)?;
    Ok(rows)
}

fn keep(name: &str, r: BResult<Vec<Row>>, rows: &mut Vec<Row>, missing: &mut Vec<String>) {
    match r {
        Ok(v) => rows.extend(v),
        Err(e) => {
            log(format!("{name}: stopped: {e}"));
            missing.push(format!("{name}: stopped early ({e})"));
        }
    }
}

fn main() -> BResult<()> {
    let a = args();
    let started = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
    let t0 = Instant::now();
    let shm = Path::new("/dev/shm");
    let work = tempfile::Builder::new()
        .prefix("gocua-bench-")
        .tempdir_in(if shm.is_dir() { shm } else { Path::new("/tmp") })?;
    log(format!("work dir {}", work.path().display()));
    let w1 = data::households(1, a.w1_n);
    let base = data::households(2, *a.sizes.last().unwrap());
    let w1_file = work.path().join("w1.json");
    let base_file = work.path().join("base.json");
    std::fs::write(&w1_file, serde_json::to_vec(&w1)?)?;
    std::fs::write(&base_file, serde_json::to_vec(&base)?)?;
    let (devs, regs, edits) = a.w2;
    let plan = (devs > 0).then(|| w2::plan(&base[..a.first()], devs, regs, edits, 7));
    let regs_file = work.path().join("w2-regs.json");
    if let Some(p) = &plan {
        let all: Vec<_> = (0..p.devices).flat_map(|d| p.registrations(d)).collect();
        std::fs::write(&regs_file, serde_json::to_vec(&all)?)?;
    }

    // A system that fails part-way keeps the rows it measured; the report says what is missing.
    let mut rows = Vec::new();
    let mut missing = Vec::new();
    if a.runs("floor") {
        keep(
            "floor",
            run_floor(&a.sizes, work.path(), &w1, &base),
            &mut rows,
            &mut missing,
        );
    }
    publish(&a, &rows, &missing, &started, t0.elapsed())?;
    if a.runs("floor") {
        log(format!("floor done at {:.0} s", t0.elapsed().as_secs_f64()));
    }
    if a.runs("gocua") {
        if !a.w2_only {
            keep(
                "gocua",
                run_gocua(&a, work.path(), &w1, &base),
                &mut rows,
                &mut missing,
            );
            publish(&a, &rows, &missing, &started, t0.elapsed())?;
        }
        if let Some(p) = &plan {
            keep(
                "gocua W2",
                run_w2_gocua(&a, work.path(), &base[..a.first()], p).map(|r| vec![r]),
                &mut rows,
                &mut missing,
            );
        }
    }
    if a.runs("gocua") {
        log(format!("gocua done at {:.0} s", t0.elapsed().as_secs_f64()));
    }
    publish(&a, &rows, &missing, &started, t0.elapsed())?;
    if a.runs("pouch") {
        keep(
            "PouchDB",
            run_pouch(&a, work.path(), &w1_file, &base_file, w1.len()),
            &mut rows,
            &mut missing,
        );
        publish(&a, &rows, &missing, &started, t0.elapsed())?;
        if let Some(p) = &plan {
            keep(
                "PouchDB W2",
                run_w2_pouch(&a, work.path(), &base_file, &regs_file, &base, p).map(|r| vec![r]),
                &mut rows,
                &mut missing,
            );
        }
    }
    if a.runs("pouch") {
        log(format!(
            "PouchDB done at {:.0} s",
            t0.elapsed().as_secs_f64()
        ));
    }
    publish(&a, &rows, &missing, &started, t0.elapsed())?;
    if a.runs("automerge") {
        let t_am = Instant::now();
        let mut am_rows = Vec::new();
        let mut w2_start = AmW2Start {
            dir: work.path().join("am-w2"),
            index: None,
            hub: false,
            dev: false,
        };
        let mut w2_res: Option<BResult<Row>> = None;
        let mut after_first = |start: &AmW2Start| {
            if let Some(p) = &plan {
                w2_res = Some(run_w2_automerge(
                    &a, &base_file, &regs_file, &base, p, start,
                ));
            }
        };
        let r = run_automerge(
            &a,
            work.path(),
            &w1_file,
            &base_file,
            &mut am_rows,
            &mut w2_start,
            &mut after_first,
        );
        rows.extend(am_rows);
        keep(
            "automerge-repo",
            r.map(|_| Vec::new()),
            &mut rows,
            &mut missing,
        );
        publish(&a, &rows, &missing, &started, t0.elapsed())?;
        if let Some(p) = &plan {
            // Run inside, after the commune of 3,000; here only when the main run stopped before.
            let res = w2_res.unwrap_or_else(|| {
                run_w2_automerge(&a, &base_file, &regs_file, &base, p, &w2_start)
            });
            keep(
                "automerge-repo W2",
                res.map(|r| vec![r]),
                &mut rows,
                &mut missing,
            );
        }
        log(format!(
            "automerge-repo: {:.0} s in all",
            t_am.elapsed().as_secs_f64()
        ));
    }
    let all = publish(&a, &rows, &missing, &started, t0.elapsed())?;
    println!("{}", report::table(&all));
    Ok(())
}

/// How the edits that must survive W2 came out: shown, kept as a concurrent value a person
/// settles, lost.
#[derive(Debug, Default, Clone, Copy)]
struct EditCheck {
    shown: u64,
    kept: u64,
    lost: u64,
}

impl EditCheck {
    fn from_json(v: &serde_json::Value) -> EditCheck {
        EditCheck {
            shown: v["shown"].as_u64().unwrap_or(0),
            kept: v["kept"].as_u64().unwrap_or(0),
            lost: v["lost"].as_u64().unwrap_or(0),
        }
    }
    fn describe(&self, total: usize) -> String {
        format!(
            "of {total} edits that must survive: {} shown, {} kept only as a concurrent value or conflicting revision, {} lost",
            self.shown, self.kept, self.lost
        )
    }
}

fn w2_row(system: &str, p: &w2::Plan, base_n: usize, m: &Measure) -> Row {
    Row {
        system: system.into(),
        workload: "W2".into(),
        link: "loopback".into(),
        households: base_n + p.devices * p.regs_per_device,
        counts: m.counts,
        wall_ms: m.wall_ms,
        hub_cpu_ms: m.hub_cpu_ms,
        ..Row::default()
    }
}

fn plan_summary(p: &w2::Plan, base_n: usize) -> String {
    format!(
        "{} devices, each {} registrations and {} edits offline, on a hub with {base_n}; {} households edited on two devices ({} the same field, {} different fields)",
        p.devices,
        p.regs_per_device,
        p.edits.first().map(|l| l.len()).unwrap_or(0),
        p.pairs_same_field + p.pairs_other_field,
        p.pairs_same_field,
        p.pairs_other_field
    )
}

/// W2 for gocua: a hub of its own with the commune (put there by a seeding device), each device
/// pulls it (setup), works offline for the week, then the devices sync round after round in a
/// seeded order until every device and the hub hold the same.
fn run_w2_gocua(a: &Args, work: &Path, base: &[data::GenHousehold], p: &w2::Plan) -> BResult<Row> {
    let mut vols = vec!["w2-seeder".to_string()];
    vols.extend((0..p.devices).map(|d| format!("w2-{d}")));
    let hub = HubProc::start(&a.hub_bin, &work.join("hub-w2"), &vols)?;
    let px = Proxy::start(hub.addr, proxy::LOOPBACK)?;
    let t = Instant::now();
    let mut seeder = g::new_register(&work.join("gocua-w2-seeder.db"), "w2-seeder")?;
    g::enrol(&mut seeder, &px.url(), &hub.codes["w2-seeder"])?;
    let mut ids = Vec::with_capacity(base.len());
    for h in base {
        ids.push(g::register_household(&mut seeder, h)?);
    }
    g::sync_until_done(&mut seeder, 3, Duration::from_secs(900))?;
    drop(seeder);
    let mut regs = Vec::new();
    let mut paths = Vec::new();
    for d in 0..p.devices {
        let vol = format!("w2-{d}");
        let path = work.join(format!("gocua-{vol}.db"));
        let mut reg = g::new_register(&path, &vol)?;
        g::enrol(&mut reg, &px.url(), &hub.codes[&vol])?;
        g::sync_until_done(&mut reg, 3, Duration::from_secs(900))?;
        for h in p.registrations(d) {
            g::register_household(&mut reg, &h)?;
        }
        for e in &p.edits[d] {
            g::apply_edit(&mut reg, &ids[e.household], e)?;
        }
        regs.push(reg);
        paths.push(path);
    }
    log(format!(
        "gocua W2: setup (seed, {} pulls, the week offline) in {:.0} s",
        p.devices,
        t.elapsed().as_secs_f64()
    ));
    let (c0, cpu0) = (px.counts(), g::cpu_ms(hub.pid()));
    let (mut wall_ms, mut failures, mut converged) = (0.0, 0u32, false);
    // The devices' CPU while they sync: this process's (the ten registers and the proxy).
    let mut devices_cpu_ms = 0u64;
    let me = std::process::id();
    let mut per_round = Vec::new();
    for round in 0..5u32 {
        let rc = px.counts();
        for d in p.order(round) {
            let (t, cpu) = (Instant::now(), g::cpu_ms(me));
            let (_, f) = g::sync_until_done(&mut regs[d], 3, Duration::from_secs(900))?;
            wall_ms += t.elapsed().as_secs_f64() * 1000.0;
            devices_cpu_ms += cpu.zip(g::cpu_ms(me)).map_or(0, |(a, b)| b - a);
            failures += f;
        }
        per_round.push(px.counts().since(&rc).total());
        if round == 0 {
            continue;
        }
        let hub_hash = hub.content_hash()?;
        let mut all = true;
        for reg in &regs {
            all &= g::device_hash(reg)? == hub_hash;
        }
        if all {
            converged = true;
            break;
        }
    }
    let m = Measure {
        counts: px.counts().since(&c0),
        wall_ms,
        hub_cpu_ms: cpu0.zip(g::cpu_ms(hub.pid())).map(|(a, b)| b - a),
    };
    // Which edits survived, on the hub: shown, or kept as a conflict for a person.
    let store = hub.store()?;
    let mut check = EditCheck::default();
    let mut with_conflicts = std::collections::BTreeSet::new();
    for e in &p.expected {
        let rec = store
            .load_doc(&ids[e.household].0)?
            .ok_or("household gone")?;
        let mut doc = gocua_core::HouseholdDoc::load(&rec.bytes)?;
        let h = doc.read()?;
        let shown = match e.field.as_str() {
            "phone" => h.head_member().and_then(|m| m.phone.clone()),
            "notes" => h.notes.clone(),
            _ => h.address.house_number.clone(),
        };
        let conflicts = doc.conflicts()?;
        if !conflicts.is_empty() {
            with_conflicts.insert(e.household);
        }
        if shown.as_deref() == Some(e.value.as_str()) {
            check.shown += 1;
        } else if conflicts
            .iter()
            .any(|c| c.values.iter().any(|v| v.value.contains(&e.value)))
        {
            check.kept += 1;
        } else {
            check.lost += 1;
        }
    }
    let mut r = w2_row("gocua", p, base.len(), &m);
    r.failures = failures;
    r.hub_peak_rss_kib = g::peak_rss_kib(hub.pid());
    r.device_db_bytes = paths.iter().map(|p| g::file_bytes(p)).max();
    r.converged = Some(converged);
    r.conflicts_for_a_person = Some(with_conflicts.len() as u64);
    r.note = format!(
        "{}; {} round(s) of syncs, bytes per round {:?}; the devices' CPU while syncing {:.1} s (the bench process, its proxy included); {}; conflicts for a person: households with a same-field conflict; device DB: the largest device",
        plan_summary(p, base.len()),
        per_round.len(),
        per_round,
        devices_cpu_ms as f64 / 1000.0,
        check.describe(p.expected.len())
    );
    r.edit_check = Some([check.shown, check.kept, check.lost]);
    log(format!("gocua W2: {:?} {}", m.counts, r.note));
    Ok(r)
}

/// W2 for PouchDB: a server of its own with the commune; each device pulls it (setup), works
/// offline, then the devices sync (PouchDB.sync, both ways) round after round.
fn run_w2_pouch(
    a: &Args,
    work: &Path,
    base_file: &Path,
    regs_file: &Path,
    base: &[data::GenHousehold],
    p: &w2::Plan,
) -> BResult<Row> {
    let _ = work;
    let n = a.first();
    let node_dir = a.root.join("bench/node");
    let mut server = NodeProc::start(&node_dir, "pouch-server.js")?;
    let port = server.read()?["port"].as_u64().ok_or("no port")?;
    let direct = format!("http://127.0.0.1:{port}");
    let spid = server.pid();
    let px = Proxy::start(format!("127.0.0.1:{port}").parse()?, proxy::LOOPBACK)?;
    let mut client = NodeProc::start(&node_dir, "pouch-client.js")?;
    client.call(json!({"op": "seed_remote", "url": format!("{direct}/w2"), "file": base_file, "start": 0, "count": n}))?;
    let url = format!("{}/w2", px.url());
    for d in 0..p.devices {
        let db = format!("w2-{d}");
        client.call(json!({"op": "sync", "db": db, "url": url}))?;
        client.call(json!({"op": "register", "db": db, "file": regs_file, "start": d * p.regs_per_device, "count": p.regs_per_device}))?;
        client.call(json!({"op": "edits", "db": db, "list": p.keyed(base, d)}))?;
    }
    let (c0, cpu0) = (px.counts(), g::cpu_ms(spid));
    let (mut wall_ms, mut converged) = (0.0, false);
    let mut per_round = Vec::new();
    for round in 0..5u32 {
        let rc = px.counts();
        for d in p.order(round) {
            let t = Instant::now();
            client.call(json!({"op": "sync", "db": format!("w2-{d}"), "url": url}))?;
            wall_ms += t.elapsed().as_secs_f64() * 1000.0;
        }
        per_round.push(px.counts().since(&rc).total());
        if round == 0 {
            continue;
        }
        let hub = client.call(json!({"op": "hash", "url": format!("{direct}/w2")}))?;
        let mut all = true;
        for d in 0..p.devices {
            let h = client.call(json!({"op": "hash", "db": format!("w2-{d}")}))?;
            all &= h["hash"] == hub["hash"] && h["docs"] == hub["docs"];
        }
        if all {
            converged = true;
            break;
        }
    }
    let m = Measure {
        counts: px.counts().since(&c0),
        wall_ms,
        hub_cpu_ms: cpu0.zip(g::cpu_ms(spid)).map(|(a, b)| b - a),
    };
    let check = EditCheck::from_json(&client.call(
        json!({"op": "check_edits", "url": format!("{direct}/w2"), "expected": p.expected}),
    )?);
    let conflicts =
        client.call(json!({"op": "conflicts", "url": format!("{direct}/w2")}))?["conflicts"]
            .as_u64();
    let mut r = w2_row("PouchDB", p, n, &m);
    r.hub_peak_rss_kib = g::peak_rss_kib(spid);
    r.converged = Some(converged);
    r.conflicts_for_a_person = conflicts;
    r.note = format!(
        "{}; {} round(s) of syncs, bytes per round {:?}; {}; conflicts for a person: documents with conflicting revisions (whole-document conflicts); device DB: memory adapter",
        plan_summary(p, n),
        per_round.len(),
        per_round,
        check.describe(p.expected.len())
    );
    r.edit_check = Some([check.shown, check.kept, check.lost]);
    log(format!("pouch W2: {:?} {}", m.counts, r.note));
    drop(client);
    drop(server);
    Ok(r)
}

/// automerge-repo's sync server and devices (`bench/node/am-*.mjs`).
struct AmPeer {
    server: NodeProc,
    /// Device processes: each device lives in one (`client`); W2 spreads its ten over two so
    /// that its setup (not measured) uses both cores.
    clients: Vec<NodeProc>,
    px: Proxy,
}

/// The keep-alive the automerge-repo sync server runs with: its WebSocket server adapter cuts a
/// client that has not answered the last ping within one interval. The adapter's default (5 s)
/// cut devices whose event loop was busy applying thousands of documents, and devices on EDGE or
/// the flaky link whose pong came late; a phone's app would not be cut for that, so every
/// workload runs with 10 minutes (the report says so).
const AM_KEEPALIVE_MS: u64 = 600_000;

/// A sync of automerge-repo that did not finish: what it spent until it stopped.
struct AmUnfinished {
    m: Measure,
    error: String,
}

impl AmPeer {
    fn start(node_dir: &Path, dir: &Path, processes: usize) -> BResult<AmPeer> {
        std::fs::create_dir_all(dir)?;
        let hub = dir.join("hub");
        let keep_alive = AM_KEEPALIVE_MS.to_string();
        let mut server = NodeProc::start_with(
            node_dir,
            "am-server.mjs",
            &[hub.as_os_str(), std::ffi::OsStr::new(&keep_alive)],
        )?;
        let port = server.read_within(Duration::from_secs(60))?["port"]
            .as_u64()
            .ok_or("no port")?;
        let px = Proxy::start(format!("127.0.0.1:{port}").parse()?, proxy::LOOPBACK)?;
        let mut clients = Vec::new();
        for _ in 0..processes.max(1) {
            clients.push(NodeProc::start_with(
                node_dir,
                "am-client.mjs",
                &[dir.as_os_str()],
            )?);
        }
        Ok(AmPeer {
            server,
            clients,
            px,
        })
    }

    /// The process device `dev` lives in: W2's device `w2-<d>` in process d mod the count.
    fn client(&mut self, dev: &str) -> &mut NodeProc {
        let k = dev
            .strip_prefix("w2-")
            .and_then(|d| d.parse::<usize>().ok())
            .unwrap_or(0)
            % self.clients.len();
        &mut self.clients[k]
    }

    /// A sync of device `dev` through the proxy on `shape`, bounded by `timeout`; the wall time
    /// is the Node side's until both agree (before settling and flushing). A sync that does not
    /// finish reports the bytes it spent.
    fn sync(
        &mut self,
        dev: &str,
        shape: &Shape,
        timeout: Duration,
        retries: u32,
    ) -> Result<(Measure, serde_json::Value), AmUnfinished> {
        let settle = 200 + 2 * shape.rtt.as_millis() as u64;
        let url = self.px.url();
        self.px.set_shape(*shape);
        let spid = self.server.pid();
        let (c0, cpu0, t0) = (self.px.counts(), g::cpu_ms(spid), Instant::now());
        // The Node side stops at `timeout`; the call waits a little longer for its answer.
        let out = self.client(dev).call_within(
            json!({"op": "sync", "dev": dev, "url": url,
                "timeout_ms": timeout.as_millis() as u64, "settle_ms": settle, "retries": retries}),
            timeout + Duration::from_secs(120),
        );
        self.px.set_shape(proxy::LOOPBACK);
        let m = Measure {
            counts: self.px.counts().since(&c0),
            wall_ms: t0.elapsed().as_secs_f64() * 1000.0,
            hub_cpu_ms: cpu0.zip(g::cpu_ms(spid)).map(|(a, b)| b - a),
        };
        match out {
            Ok(out) => {
                let m = Measure {
                    wall_ms: out["sync_ms"].as_f64().unwrap_or(m.wall_ms),
                    ..m
                };
                Ok((m, out))
            }
            Err(e) => Err(AmUnfinished {
                m,
                error: e.to_string(),
            }),
        }
    }

    /// Whether device `dev` and the hub hold the same households (through the device's index).
    fn converged(&mut self, dev: &str, n: usize) -> BResult<bool> {
        let c = self.client(dev).call(json!({"op": "hash", "dev": dev}))?;
        let s = self
            .server
            .call(json!({"op": "hash", "index": c["index"]}))?;
        Ok(
            c["hash"] == s["hash"]
                && c["docs"] == s["docs"]
                && c["docs"].as_u64() == Some(n as u64),
        )
    }

    fn size(&mut self, dev: &str) -> BResult<u64> {
        Ok(
            self.client(dev).call(json!({"op": "size", "dev": dev}))?["bytes"]
                .as_u64()
                .unwrap_or(0),
        )
    }
}

const AM: &str = "automerge-repo";
const AM_NOTE: &str = "no conflict reaches a person: Automerge picks one value of a field written concurrently, the other stays only in the history";

/// Bounds of the automerge-repo part, so the whole `--big` run fits in about 50 minutes on a
/// 2-vCPU machine. A new phone's pull on loopback (W3, 3,000 or 10,000 households):
const AM_W3_TIMEOUT: Duration = Duration::from_secs(900);
/// W2's syncs, all rounds together (its setup is bounded by each command's timeout):
const AM_W2_SYNC_BUDGET: Duration = Duration::from_secs(720);

/// What W2 starts from, kept by the main automerge-repo run: a copy of its hub's storage right
/// after the commune was written (`<dir>/hub`), and of the storage of the W3 device that pulled
/// it (`<dir>/dev`).
struct AmW2Start {
    dir: PathBuf,
    index: Option<serde_json::Value>,
    hub: bool,
    dev: bool,
}

fn run_automerge(
    a: &Args,
    work: &Path,
    w1_file: &Path,
    base_file: &Path,
    rows: &mut Vec<Row>,
    w2: &mut AmW2Start,
    after_first: &mut dyn FnMut(&AmW2Start),
) -> BResult<()> {
    let w1_n = a.w1_n;
    let node_dir = a.root.join("bench/node");
    let mut am = AmPeer::start(&node_dir, &work.join("am"), 1)?;
    let mut w1_loop: Option<Counts> = None;
    for shape in W1_SHAPES.iter().filter(|_| !a.skip_w1).copied() {
        let dev = format!("w1-{}", shape.name.to_lowercase());
        let reg = am
            .client(&dev)
            .call(json!({"op": "register", "dev": dev, "file": w1_file, "count": w1_n}))?;
        if shape.name == "loopback" {
            log(format!(
                "automerge-repo: {w1_n} households written on the device in {:.0} ms",
                reg["ms"]
            ));
        }
        let wl = w1_name(&shape);
        if let Some(c) = w1_loop.as_ref().filter(|_| shape.bits_per_sec > 0) {
            let est = link_floor_s(&shape, c);
            if est > a.shaped_cap.as_secs_f64() {
                rows.push(estimate_row(AM, wl, &shape, w1_n, c, est, a));
                continue;
            }
        }
        let retries = if shape.cut_every.is_some() { 60 } else { 0 };
        match am.sync(&dev, &shape, a.shaped_cap * 2, retries) {
            Ok((m, out)) => {
                let mut r = row(AM, wl, &shape, w1_n, &m);
                r.failures = out["failures"].as_u64().unwrap_or(0) as u32;
                r.hub_peak_rss_kib = g::peak_rss_kib(am.server.pid());
                r.converged = Some(am.converged(&dev, w1_n)?);
                r.device_db_bytes = Some(am.size(&dev)?);
                r.conflicts_for_a_person = Some(0);
                r.note = "device and hub: automerge-repo-storage-nodefs".into();
                log(format!(
                    "automerge-repo {wl} {}: {:?} in {:.0} ms",
                    shape.name, m.counts, m.wall_ms
                ));
                if shape.name == "loopback" {
                    w1_loop = Some(m.counts);
                }
                rows.push(r);
            }
            Err(u) => rows.push(unfinished_row(AM, wl, &shape, w1_n, &u)),
        }
    }
    let mut seeded = 0;
    for &n in &a.sizes {
        let t = Instant::now();
        let s = match am.server.call_within(
            json!({"op": "seed", "file": base_file, "start": seeded, "count": n - seeded}),
            peers::DEFAULT_TIMEOUT.min(left(a)),
        ) {
            Ok(s) => s,
            Err(e) if n != a.first() => {
                // The large commune could not be written in the time left: its rows say so.
                let why = format!(
                    "did not finish: the sync server's writing of households {seeded} to {n} (setup) did not end in {:.0} s ({e})",
                    t.elapsed().as_secs_f64()
                );
                log(format!("automerge-repo {n}: {why}"));
                // What the pull of the first commune suggests (not measured: an estimate).
                let first_pull = rows
                    .iter()
                    .find(|r| r.system == AM && r.workload == "W3" && r.households == a.first())
                    .filter(|r| !r.note.starts_with("did not"))
                    .map(|r| r.wall_ms);
                for wl in ["W3", "W7"] {
                    let mut note = why.clone();
                    if let (Some(ms), "W3") = (first_pull, wl) {
                        note += &format!(
                            "; the pull of {} took {:.0} s, so at the same rate per household this one would take about {:.0} s (an estimate)",
                            a.first(),
                            ms / 1000.0,
                            ms / 1000.0 * n as f64 / a.first() as f64
                        );
                    }
                    let link = if wl == "W7" { "device" } else { "loopback" };
                    rows.push(Row {
                        system: AM.into(),
                        workload: wl.into(),
                        link: link.into(),
                        households: n,
                        converged: Some(false),
                        note,
                        ..Row::default()
                    });
                }
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let index = s["index"].clone();
        log(format!(
            "automerge-repo: hub seeded with {} households in {:.0} s",
            n - seeded,
            t.elapsed().as_secs_f64()
        ));
        seeded = n;
        if n == a.first() && w2.index.is_none() {
            // W2's hub: this one as it holds the commune now (the W1 devices' documents beside
            // it are not in the commune's index and never asked for).
            am.server
                .call(json!({"op": "snapshot", "to": w2.dir.join("hub")}))?;
            w2.index = Some(index.clone());
            w2.hub = true;
        }
        let shapes: &[Shape] = if n == a.first() {
            &[proxy::LOOPBACK, proxy::THREE_G, proxy::EDGE]
        } else {
            &[proxy::LOOPBACK]
        };
        let mut loop_counts = None;
        for shape in shapes {
            let wl = if shape.name == "loopback" {
                "W3"
            } else {
                "W5 (W3)"
            };
            if let Some(c) = loop_counts.as_ref() {
                let est = link_floor_s(shape, c);
                if est > a.shaped_cap.as_secs_f64() {
                    rows.push(estimate_row(AM, wl, shape, n, c, est, a));
                    continue;
                }
            }
            let dev = format!("new-{n}-{}", shape.name.to_lowercase());
            am.client(&dev)
                .call(json!({"op": "join", "dev": dev, "index": index}))?;
            let timeout = if shape.name == "loopback" {
                AM_W3_TIMEOUT
            } else {
                a.shaped_cap * 2
            }
            .min(left(a));
            let (m, _) = match am.sync(&dev, shape, timeout, 0) {
                Ok(v) => v,
                Err(u) => {
                    rows.push(unfinished_row(AM, wl, shape, n, &u));
                    if shape.name == "loopback" {
                        // The shaped pulls would not finish either, and the run's time is spent.
                        break;
                    }
                    continue;
                }
            };
            let mut r = row(AM, wl, shape, n, &m);
            r.hub_peak_rss_kib = g::peak_rss_kib(am.server.pid());
            r.converged = Some(am.converged(&dev, n)?);
            r.device_db_bytes = Some(am.size(&dev)?);
            r.conflicts_for_a_person = Some(0);
            log(format!(
                "automerge-repo {wl} {} {n}: {:?} in {:.0} ms",
                shape.name, m.counts, m.wall_ms
            ));
            rows.push(r);
            if shape.name == "loopback" {
                loop_counts = Some(m.counts);
                if n == a.first() {
                    match am.sync(&dev, shape, Duration::from_secs(300), 0) {
                        Ok((m, _)) => {
                            let mut r = row(AM, "W4", shape, n, &m);
                            r.converged = Some(am.converged(&dev, n)?);
                            r.conflicts_for_a_person = Some(0);
                            r.note = "a new session (peer id) on a device that holds every document: one sync message each way per document".into();
                            log(format!(
                                "automerge-repo W4 {n}: {:?} in {:.0} ms",
                                m.counts, m.wall_ms
                            ));
                            rows.push(r);
                        }
                        Err(u) => rows.push(unfinished_row(AM, "W4", shape, n, &u)),
                    }
                    if w2.hub && !w2.dev {
                        // W2's devices: copies of this one, which pulled the commune.
                        am.client(&dev).call(
                            json!({"op": "snapshot", "dev": dev, "to": w2.dir.join("dev")}),
                        )?;
                        w2.dev = true;
                    }
                }
                if a.is_big(n) {
                    let s = am.client(&dev).call(json!({"op": "screen", "dev": dev}))?;
                    rows.push(w7_row(AM, n, &s, Some(am.size(&dev)?),
                        "a fresh Repo on the device's storage: open = load the index document; first screen = the first 50 households the index lists, each loaded; open one = one more, not yet loaded"));
                }
            }
        }
        if n == a.first() {
            // W2 (its own sync server and devices, from the copies above) before the large
            // commune, whose writing takes automerge-repo long: what does not fit in the run's
            // bound is then the large commune's rows, not W2.
            after_first(w2);
        }
    }
    Ok(())
}

fn w7_row(system: &str, n: usize, s: &serde_json::Value, bytes: Option<u64>, how: &str) -> Row {
    let f = |k: &str| s[k].as_f64().unwrap_or(0.0);
    Row {
        system: system.into(),
        workload: "W7".into(),
        link: "device".into(),
        households: n,
        wall_ms: f("open_ms") + f("list_ms") + f("one_ms"),
        device_db_bytes: bytes,
        note: format!(
            "open {:.1} ms, first screen of {} {:.1} ms, open one {:.1} ms; {how}",
            f("open_ms"),
            s["screen"],
            f("list_ms"),
            f("one_ms")
        ),
        ..Row::default()
    }
}

/// The least time a transfer of the loopback bytes takes on `shape`: for automerge-repo, whose
/// messages stream over one WebSocket, the loopback turns say little about the shaped ones.
fn link_floor_s(shape: &Shape, c: &Counts) -> f64 {
    (c.up.max(c.down)) as f64 * 8.0 / shape.bits_per_sec.max(1) as f64
        + 2.0 * shape.rtt.as_secs_f64()
}

fn estimate_row(
    system: &str,
    wl: &str,
    shape: &Shape,
    n: usize,
    c: &Counts,
    est: f64,
    a: &Args,
) -> Row {
    let mut r = row(
        system,
        wl,
        shape,
        n,
        &Measure {
            counts: *c,
            wall_ms: est * 1000.0,
            hub_cpu_ms: None,
        },
    );
    r.note = format!(
        "not run: estimated from the loopback {} at {:.0} s, over the {} s cap",
        if system == AM {
            "bytes (at least; the link's rate alone)"
        } else {
            "bytes and round trips"
        },
        est,
        a.shaped_cap.as_secs()
    );
    r
}

fn unfinished_row(system: &str, wl: &str, shape: &Shape, n: usize, u: &AmUnfinished) -> Row {
    log(format!(
        "{system} {wl} {} {n}: did not finish: {} ({:?} in {:.0} ms)",
        shape.name, u.error, u.m.counts, u.m.wall_ms
    ));
    let first = u.error.split("\\n").next().unwrap_or("").to_string();
    let mut r = row(system, wl, shape, n, &u.m);
    r.converged = Some(false);
    r.note = format!("did not finish: {first}");
    r
}

/// W2 for automerge-repo: a server of its own started from a copy of the main hub's storage
/// right after the commune was written; ten devices started from a copy of the W3 device's
/// storage, which pulled that commune (setup; see `snapshot` and `clone` in am-client.mjs); each
/// works offline, then the devices sync round after round, all rounds within
/// `AM_W2_SYNC_BUDGET`. A device learns of households registered elsewhere through the commune's
/// index document and fetches them. Without the copies (the main run stopped before them), the
/// hub is seeded and the first device pulls it here.
fn run_w2_automerge(
    a: &Args,
    base_file: &Path,
    regs_file: &Path,
    base: &[data::GenHousehold],
    p: &w2::Plan,
    start: &AmW2Start,
) -> BResult<Row> {
    let n = a.first();
    let node_dir = a.root.join("bench/node");
    let t = Instant::now();
    // Its setup takes a few minutes; without them, not started (the run's bound).
    if left(a) < Duration::from_secs(420) {
        let mut r = w2_row(
            AM,
            p,
            n,
            &Measure {
                counts: Counts::default(),
                wall_ms: 0.0,
                hub_cpu_ms: None,
            },
        );
        r.converged = Some(false);
        r.note = format!(
            "did not finish: not started, {:.0} s were left of the driver's {} s bound (its setup alone takes minutes)",
            left(a).as_secs_f64(),
            RUN_BOUND.as_secs()
        );
        log(format!("automerge-repo W2: {}", r.note));
        return Ok(r);
    }
    if !start.hub {
        let _ = std::fs::remove_dir_all(start.dir.join("hub"));
    }
    let mut am = AmPeer::start(&node_dir, &start.dir, 2)?;
    let index = match (&start.index, start.hub) {
        (Some(i), true) => i.clone(),
        _ => am
            .server
            .call(json!({"op": "seed", "file": base_file, "start": 0, "count": n}))?["index"]
            .clone(),
    };
    let dev_copy = start.dir.join("dev");
    if !(start.hub && start.dev) {
        am.client("w2-pull")
            .call(json!({"op": "join", "dev": "w2-pull", "index": index}))?;
        am.sync("w2-pull", &proxy::LOOPBACK, AM_W3_TIMEOUT, 0)
            .map_err(|u| format!("the first pull did not finish: {}", u.error))?;
        let _ = std::fs::remove_dir_all(&dev_copy);
        am.client("w2-pull")
            .call(json!({"op": "snapshot", "dev": "w2-pull", "to": dev_copy}))?;
    }
    // Setup (not measured), two devices at a time, one in each process: a copy of the pulled
    // commune, then the week offline (registrations, edits).
    let steps = |d: usize| {
        let dev = format!("w2-{d}");
        [
            json!({"op": "clone", "from_dir": dev_copy, "index": index, "dev": dev}),
            json!({"op": "register", "dev": dev, "file": regs_file, "start": d * p.regs_per_device, "count": p.regs_per_device}),
            json!({"op": "edits", "dev": dev, "list": p.keyed(base, d)}),
        ]
    };
    let procs = am.clients.len();
    for first in (0..p.devices).step_by(procs) {
        let devs: Vec<usize> = (first..p.devices.min(first + procs)).collect();
        for step in 0..3 {
            for &d in &devs {
                am.clients[d % procs].send(&steps(d)[step])?;
            }
            for &d in &devs {
                let op = steps(d)[step]["op"].as_str().unwrap_or("?").to_string();
                am.clients[d % procs].answer(&op, peers::DEFAULT_TIMEOUT)?;
            }
        }
    }
    log(format!(
        "automerge-repo W2: setup in {:.0} s (hub and {} devices from copies, their registrations and edits)",
        t.elapsed().as_secs_f64(),
        p.devices
    ));
    let (c0, cpu0) = (am.px.counts(), g::cpu_ms(am.server.pid()));
    let (mut wall_ms, mut failures, mut converged) = (0.0, 0u32, false);
    let total = n + p.devices * p.regs_per_device;
    let mut per_round = Vec::new();
    let mut sync_s: Vec<f64> = Vec::new();
    let mut stopped: Option<String> = None;
    let t_syncs = Instant::now();
    // Its own bound, or less when the driver's bound comes first.
    let budget = AM_W2_SYNC_BUDGET.min(left(a).saturating_sub(Duration::from_secs(60)));
    'rounds: for round in 0..5u32 {
        let rc = am.px.counts();
        for (k, d) in p.order(round).into_iter().enumerate() {
            let left = budget.saturating_sub(t_syncs.elapsed());
            if left < Duration::from_secs(5) {
                stopped = Some(format!(
                    "the {} s for W2's syncs ran out before sync {} of round {}",
                    budget.as_secs(),
                    k + 1,
                    round + 1
                ));
                per_round.push(am.px.counts().since(&rc).total());
                break 'rounds;
            }
            match am.sync(&format!("w2-{d}"), &proxy::LOOPBACK, left, 0) {
                Ok((m, out)) => {
                    wall_ms += m.wall_ms;
                    sync_s.push(m.wall_ms / 1000.0);
                    failures += out["failures"].as_u64().unwrap_or(0) as u32;
                    log(format!(
                        "automerge-repo W2: round {} sync {} (device {d}): {:?} in {:.0} ms",
                        round + 1,
                        k + 1,
                        m.counts,
                        m.wall_ms
                    ));
                }
                Err(u) => {
                    wall_ms += u.m.wall_ms;
                    stopped = Some(format!(
                        "sync {} of round {} (device {d}) did not finish: {}",
                        k + 1,
                        round + 1,
                        u.error.split("\\n").next().unwrap_or("")
                    ));
                    per_round.push(am.px.counts().since(&rc).total());
                    break 'rounds;
                }
            }
        }
        per_round.push(am.px.counts().since(&rc).total());
        if round == 0 {
            continue;
        }
        let mut all = true;
        for d in 0..p.devices {
            all &= am.converged(&format!("w2-{d}"), total)?;
        }
        if all {
            converged = true;
            break;
        }
    }
    let m = Measure {
        counts: am.px.counts().since(&c0),
        wall_ms,
        hub_cpu_ms: cpu0.zip(g::cpu_ms(am.server.pid())).map(|(a, b)| b - a),
    };
    let mut r = w2_row(AM, p, n, &m);
    r.failures = failures;
    r.hub_peak_rss_kib = g::peak_rss_kib(am.server.pid());
    r.conflicts_for_a_person = Some(0);
    let syncs = format!(
        "{} sync(s) finished in {} round(s), bytes per round {:?}, seconds per sync {:?}",
        sync_s.len(),
        per_round.len(),
        per_round,
        sync_s.iter().map(|s| s.round() as u64).collect::<Vec<_>>()
    );
    if let Some(why) = stopped {
        // The least that can converge is two full rounds (every device once after every other).
        let least = 2 * p.devices;
        let left = least.saturating_sub(sync_s.len());
        let mean = if sync_s.is_empty() {
            0.0
        } else {
            sync_s.iter().sum::<f64>() / sync_s.len() as f64
        };
        r.converged = Some(false);
        r.note = format!(
            "did not finish within the run's bounds: {why}; {}; {syncs}; at the mean so far ({mean:.0} s a sync) the {left} more sync(s) of the earliest possible end (two rounds) would take about {:.0} s more",
            plan_summary(p, n),
            mean * left as f64
        );
        log(format!("automerge-repo W2: {:?} {}", m.counts, r.note));
        return Ok(r);
    }
    let check = EditCheck::from_json(&am.server.call_within(
        json!({"op": "check_edits", "index": index, "expected": p.expected}),
        Duration::from_secs(300),
    )?);
    r.device_db_bytes = Some(am.size("w2-0")?);
    r.converged = Some(converged);
    r.note = format!(
        "{}; {syncs}; {}; {AM_NOTE}",
        plan_summary(p, n),
        check.describe(p.expected.len())
    );
    r.edit_check = Some([check.shown, check.kept, check.lost]);
    log(format!("automerge-repo W2: {:?} {}", m.counts, r.note));
    Ok(r)
}
