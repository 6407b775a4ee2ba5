//! `gocua-bench`: runs every system through the same proxy on the same data and writes the
//! report. Normally started by `bench/run.sh`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gocua_bench::data;
use gocua_bench::floor::{self, Sink};
use gocua_bench::gocua::{self as g, BResult, HubProc};
use gocua_bench::peers::NodeProc;
use gocua_bench::proxy::{self, Counts, Proxy, Shape};
use gocua_bench::report::{self, Row};
use serde_json::json;

struct Args {
    root: PathBuf,
    hub_bin: PathBuf,
    big: bool,
    /// Longest a shaped run may take; longer ones are estimated from the loopback bytes.
    shaped_cap: Duration,
    skip_pouch: bool,
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
        big: a.iter().any(|x| x == "--big"),
        shaped_cap: Duration::from_secs(
            val("--shaped-cap")
                .and_then(|v| v.parse().ok())
                .unwrap_or(240),
        ),
        skip_pouch: a.iter().any(|x| x == "--skip-pouch"),
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

fn run_floor(
    work: &Path,
    w1: &[data::GenHousehold],
    base: &[data::GenHousehold],
) -> BResult<Vec<Row>> {
    let _ = work;
    let mut rows = Vec::new();
    let sink = Sink::start()?;
    let px = Proxy::start(sink.addr, proxy::LOOPBACK)?;
    let body = floor::compress(&w1);
    for shape in [proxy::LOOPBACK, proxy::THREE_G, proxy::EDGE] {
        px.set_shape(shape);
        let (m, _) = measure(&px, std::process::id(), || {
            Ok(floor::upload(&px.url(), body.clone())?)
        })?;
        let mut r = row("zstd-JSON floor", w1_name(&shape), &shape, w1.len(), &m);
        r.hub_cpu_ms = None;
        r.note = format!("one POST, zstd level 3, {} B compressed", body.len());
        rows.push(r);
    }
    for n in [3000usize, 10_000] {
        if n > base.len() {
            continue;
        }
        let blob = floor::compress(&base[..n]);
        sink.set(blob.clone());
        for shape in [proxy::LOOPBACK, proxy::THREE_G] {
            if n == 10_000 && shape.name != "loopback" {
                continue;
            }
            px.set_shape(shape);
            let (m, got) = measure(&px, std::process::id(), || Ok(floor::download(&px.url())?))?;
            let wl = if shape.name == "loopback" {
                "W3"
            } else {
                "W5 (W3)"
            };
            let mut r = row("zstd-JSON floor", wl, &shape, got, &m);
            r.hub_cpu_ms = None;
            r.note = format!("one GET, {} B compressed", blob.len());
            rows.push(r);
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
            "gocua: 300 households registered on the device in {:.1} s",
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
    let sizes: Vec<usize> = if a.big {
        vec![3000, 10_000]
    } else {
        vec![3000]
    };
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
        let shapes: &[Shape] = if n == 3000 {
            &[proxy::LOOPBACK, proxy::THREE_G, proxy::EDGE]
        } else {
            &[proxy::LOOPBACK]
        };
        let mut loop_counts = None;
        for shape in shapes {
            let vol = match (n, shape.name) {
                (10_000, _) => "n-10k",
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
                if n == 3000 {
                    // W4: a check-in with nothing changed.
                    let (m, _) = measure(&px, hub.pid(), || {
                        g::sync_until_done(&mut reg, 1, Duration::from_secs(60))
                    })?;
                    let mut r = row("gocua", "W4", shape, n, &m);
                    r.converged = Some(true);
                    r.conflicts_for_a_person = Some(0);
                    rows.push(r);
                }
                if n == 10_000 {
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
    let _ = work;
    for shape in W1_SHAPES {
        let db = format!("w1-{}", shape.name.to_lowercase());
        let reg =
            client.call(json!({"op": "register", "db": db, "file": w1_file, "count": w1_n}))?;
        if shape.name == "loopback" {
            log(format!(
                "pouch: 300 households written on the device in {:.0} ms",
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
    let sizes: Vec<usize> = if a.big {
        vec![3000, 10_000]
    } else {
        vec![3000]
    };
    let mut seeded = 0;
    for &n in &sizes {
        client.call(json!({"op": "seed_remote", "url": format!("{direct}/base"), "file": base_file, "start": seeded, "count": n - seeded}))?;
        seeded = n;
        let shapes: &[Shape] = if n == 3000 {
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
                if n == 3000 {
                    let (m, _) = measure(&px, spid, || {
                        client.call(json!({"op": "sync", "db": db, "url": url}))
                    })?;
                    let mut r = row("PouchDB", "W4", shape, n, &m);
                    r.converged = Some(true);
                    r.conflicts_for_a_person = Some(0);
                    rows.push(r);
                }
                if n == 10_000 {
                    let s = client.call(json!({"op": "screen", "db": db}))?;
                    rows.push(Row {
                        system: "PouchDB".into(),
                        workload: "W7".into(),
                        link: "device".into(),
                        households: n,
                        wall_ms: s["list_ms"].as_f64().unwrap_or(0.0) + s["open_ms"].as_f64().unwrap_or(0.0),
                        note: format!("memory adapter (no open cost): first screen of 50 {:.1} ms, open one {:.1} ms", s["list_ms"].as_f64().unwrap_or(0.0), s["open_ms"].as_f64().unwrap_or(0.0)),
                        ..Row::default()
                    });
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

fn write_report(a: &Args, rows: &[Row], started: &str, elapsed: Duration) -> BResult<()> {
    let out_dir = a.root.join("bench/results");
    std::fs::create_dir_all(&out_dir)?;
    let versions =
        std::fs::read_to_string(a.root.join("bench/results/.versions")).unwrap_or_default();
    let meta = json!({
        "date": started,
        "elapsed_s": elapsed.as_secs(),
        "machine": machine(),
        "versions": versions.lines().collect::<Vec<_>>(),
        "big": a.big,
        "shaped_cap_s": a.shaped_cap.as_secs(),
    });
    std::fs::write(
        out_dir.join("results.json"),
        serde_json::to_string_pretty(&json!({"meta": meta, "rows": rows}))? + "\n",
    )?;

    let tot = |s: &str, w: &str, l: &str| report::find(rows, s, w, l).map(|r| r.counts.total());
    let mut md = String::new();
    md += &format!(
        "`bench/run.sh` (source: `bench/`; results also in `bench/results/results.json`). Not part of the test suite.\n\n\
         Run on {started} ({} s in all) on {}. {}\n\n",
        elapsed.as_secs(),
        machine(),
        versions.lines().collect::<Vec<_>>().join(", ")
    );
    md += "Every system ran on 127.0.0.1 through the same counting, shaping TCP proxy (`bench/src/proxy.rs`), on the same generated households \
(`bench/src/data.rs`, seeded: Vietnamese names with diacritics, 12-digit ID numbers, phones, GPS, 2–5 members, 2–4 checklist items). \
Links: loopback; 3G = 1 Mbit/s each way, 150 ms round trip; EDGE = 50 kbit/s, 600 ms; flaky = every connection cut after 64 KiB (both ways). \
Bytes are on the wire (HTTP headers included, plain HTTP, no TLS). *Requests* are client-to-server turns on a connection, *round trips* \
server answers after a client turn. All stores live on tmpfs (`/dev/shm`): PouchDB's server and device use the in-memory adapter \
(leveldown's native build is not available here), gocua's hub and device use SQLite files, so disk waits are out of every number.\n\n";

    md += "### Headline: gocua / peer\n\n| measure | gocua | PouchDB | zstd-JSON floor | gocua / PouchDB | gocua / floor |\n|---|---|---|---|---|---|\n";
    for (label, w, l) in [
        ("W1 bytes (300 households up)", "W1", "loopback"),
        ("W3 bytes (new phone, 3,000)", "W3", "loopback"),
        ("W4 bytes (no change, 3,000)", "W4", "loopback"),
        ("W6 bytes (W1, flaky)", "W6 (W1)", "flaky"),
    ] {
        let (gv, pv, fv) = (
            tot("gocua", w, l),
            tot("PouchDB", w, l),
            tot("zstd-JSON floor", w, l),
        );
        let show = |s: &str, v: Option<u64>| match report::find(rows, s, w, l) {
            Some(r) if r.note.starts_with("did not finish") => {
                format!("did not finish ({} B spent)", r.counts.total())
            }
            _ => opt(v),
        };
        let pv = pv.filter(|_| {
            !report::find(rows, "PouchDB", w, l).is_some_and(|r| r.note.starts_with("did not"))
        });
        md += &format!(
            "| {label} | {} | {} | {} | {} | {} |\n",
            show("gocua", gv),
            show("PouchDB", pv),
            opt(fv),
            gv.zip(pv).map(|(a, b)| ratio(a, b)).unwrap_or("–".into()),
            gv.zip(fv).map(|(a, b)| ratio(a, b)).unwrap_or("–".into())
        );
    }
    for (label, w, l) in [
        ("W5 EDGE W1 wall", "W5 (W1)", "EDGE"),
        ("W5 3G W1 wall", "W5 (W1)", "3G"),
        ("W5 3G W3 wall", "W5 (W3)", "3G"),
    ] {
        let t = |s: &str| report::find(rows, s, w, l).map(|r| r.wall_ms);
        let (gv, pv, fv) = (t("gocua"), t("PouchDB"), t("zstd-JSON floor"));
        let f = |v: Option<f64>| {
            v.map(|v| format!("{:.1} s", v / 1000.0))
                .unwrap_or("–".into())
        };
        md += &format!(
            "| {label} | {} | {} | {} | {} | {} |\n",
            f(gv),
            f(pv),
            f(fv),
            gv.zip(pv)
                .map(|(a, b)| format!("{:.2}", a / b))
                .unwrap_or("–".into()),
            gv.zip(fv)
                .map(|(a, b)| format!("{:.2}", a / b))
                .unwrap_or("–".into())
        );
    }

    md += "\n### Goals for gocua\n\n| goal | measured | met |\n|---|---|---|\n";
    let yes = |b: bool| {
        if b {
            "met".to_string()
        } else {
            "**not met**".to_string()
        }
    };
    if let (Some(gv), Some(pv), Some(fv)) = (
        tot("gocua", "W1", "loopback"),
        tot("PouchDB", "W1", "loopback"),
        tot("zstd-JSON floor", "W1", "loopback"),
    ) {
        md += &format!(
            "| W1 bytes at most a fifth of PouchDB's | {gv} B vs {pv} B ({}) | {} |\n",
            ratio(gv, pv),
            yes(gv * 5 <= pv)
        );
        md += &format!(
            "| W1 bytes at most 2x the zstd-JSON floor | {gv} B vs {fv} B ({}) | {} |\n",
            ratio(gv, fv),
            yes(gv <= 2 * fv)
        );
    }
    if let Some(gv) = tot("gocua", "W4", "loopback") {
        md += &format!("| W4 under 1 KB | {gv} B | {} |\n", yes(gv < 1000));
    }
    if let Some(r) = report::find(rows, "gocua", "W5 (W1)", "EDGE") {
        md += &format!(
            "| W5 EDGE W1 under 15 s | {:.1} s | {} |\n",
            r.wall_ms / 1000.0,
            yes(r.wall_ms < 15_000.0 && r.converged == Some(true))
        );
    }
    if let (Some(f), Some(l)) = (
        report::find(rows, "gocua", "W6 (W1)", "flaky"),
        tot("gocua", "W1", "loopback"),
    ) {
        let extra = f.counts.total() as f64 / l as f64 - 1.0;
        md += &format!(
            "| W6 finishes with under 10% extra bytes | {} B vs {l} B on loopback: {:+.1}%, {} failed attempt(s), {} cut(s) | {} |\n",
            f.counts.total(),
            extra * 100.0,
            f.failures,
            f.counts.cuts,
            yes(extra < 0.10 && f.converged == Some(true))
        );
    }
    md += "| W2 converges with no edit lost | not run yet | **not measured** |\n";

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
    md += "\n*Hub CPU* is the CPU time of the hub's process (gocua-hub, or the Node process of express-pouchdb) during the transfer, from /proc; \
*hub peak RSS* its VmHWM so far. *Converged*: the device's and the hub's content hashes (canonical JSON of every household) are equal \
and hold every household. *Device DB* for gocua is the register's SQLite file and WAL (unencrypted register).\n";
    md += "\nNot done yet (issue 7): the automerge-repo peer, W2 (a commune week with concurrent edits), and the W7 comparison on a persistent PouchDB adapter.\n";

    let doc_path = a.root.join("docs/BENCHMARKS.md");
    let doc = std::fs::read_to_string(&doc_path)?;
    std::fs::write(
        &doc_path,
        report::replace_section(&doc, "## Side by side with the peers (issue 7)", &md),
    )?;
    Ok(())
}

fn opt(v: Option<u64>) -> String {
    v.map(|v| format!("{v} B")).unwrap_or("–".into())
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

fn main() -> BResult<()> {
    let a = args();
    let started = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
    let t0 = Instant::now();
    let shm = Path::new("/dev/shm");
    let work = tempfile::Builder::new()
        .prefix("gocua-bench-")
        .tempdir_in(if shm.is_dir() { shm } else { Path::new("/tmp") })?;
    log(format!("work dir {}", work.path().display()));
    let w1 = data::households(1, 300);
    let base = data::households(2, if a.big { 10_000 } else { 3000 });
    let w1_file = work.path().join("w1.json");
    let base_file = work.path().join("base.json");
    std::fs::write(&w1_file, serde_json::to_vec(&w1)?)?;
    std::fs::write(&base_file, serde_json::to_vec(&base)?)?;

    let mut rows = run_floor(work.path(), &w1, &base)?;
    rows.extend(run_gocua(&a, work.path(), &w1, &base)?);
    if !a.skip_pouch {
        rows.extend(run_pouch(&a, work.path(), &w1_file, &base_file, w1.len())?);
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
            "seed (W1 at scale)",
        ]
        .iter()
        .position(|x| *x == r.workload)
        .unwrap_or(99);
        let l = ["loopback", "3G", "EDGE", "flaky", "device"]
            .iter()
            .position(|x| *x == r.link)
            .unwrap_or(9);
        let s = ["gocua", "PouchDB", "zstd-JSON floor"]
            .iter()
            .position(|x| *x == r.system)
            .unwrap_or(9);
        (w, r.households, l, s)
    });
    write_report(&a, &rows, &started, t0.elapsed())?;
    println!("{}", report::table(&rows));
    Ok(())
}
