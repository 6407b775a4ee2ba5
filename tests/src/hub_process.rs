//! The real hub binary in its own process, for benchmarks (`tests/benches/`): built once in
//! release, started on a free port of 127.0.0.1, measured from `/proc` (peak memory, CPU time,
//! open files) and stopped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `target/release/gocua-hub`, built first (or `GOCUA_HUB_BIN`).
pub fn hub_binary() -> PathBuf {
    if let Ok(bin) = std::env::var("GOCUA_HUB_BIN") {
        return bin.into();
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "-p",
            "gocua-hub",
            "--bin",
            "gocua-hub",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .status()
        .expect("run cargo build for gocua-hub");
    assert!(status.success(), "cargo build -p gocua-hub failed");
    // target/release/deps/load_200-<hash> -> target/release/gocua-hub
    let exe = std::env::current_exe().expect("current exe");
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .expect("target dir")
        .join("gocua-hub");
    assert!(bin.exists(), "{} not found", bin.display());
    bin
}

/// `/proc/<pid>/status` field in KiB (VmHWM, VmRSS).
pub fn proc_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time (user + system) of a process, from /proc.
pub fn proc_cpu(pid: u32) -> Duration {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Duration::ZERO;
    };
    let Some(close) = stat.rfind(')') else {
        return Duration::ZERO;
    };
    let f: Vec<&str> = stat[close + 2..].split(' ').collect();
    let ticks: u64 = f.get(11).and_then(|s| s.parse().ok()).unwrap_or(0)
        + f.get(12).and_then(|s| s.parse().ok()).unwrap_or(0);
    Duration::from_secs_f64(ticks as f64 / 100.0) // USER_HZ
}

/// Open file descriptors of a process.
pub fn fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// The `p`th percentile of sorted durations (nearest rank).
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The real `gocua-hub serve` binary in its own process, so its memory and CPU are its own.
pub struct HubProc {
    /// Taken (and killed) by whoever stops it first: a watchdog, `stop`, or `drop`.
    pub child: Arc<Mutex<Option<Child>>>,
    pub pid: u32,
    pub url: String,
}

impl HubProc {
    /// Starts `gocua-hub serve` on a free port of 127.0.0.1, `priority` nice steps from this
    /// process (`nice` runs it unchanged, with a warning, when not allowed to).
    pub fn start(bin: &Path, data: &Path, priority: &str) -> Self {
        let mut child = Command::new("nice")
            .args(["-n", priority])
            .arg(bin)
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start gocua-hub serve");
        let out = child.stdout.take().expect("hub stdout");
        let mut line = String::new();
        BufReader::new(out)
            .read_line(&mut line)
            .expect("hub's first line");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or_else(|| panic!("hub said: {line}"))
            .to_owned();
        Self {
            pid: child.id(),
            child: Arc::new(Mutex::new(Some(child))),
            url: format!("http://{addr}"),
        }
    }

    /// Stops the hub (SIGINT: its graceful shutdown), waiting at most 30 s, then kills it.
    pub fn stop(&self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.pid.to_string()])
            .status();
        let mut guard = self.child.lock().unwrap();
        if let Some(mut c) = guard.take() {
            for _ in 0..300 {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for HubProc {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.lock().unwrap().take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
