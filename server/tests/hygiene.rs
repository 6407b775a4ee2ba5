//! Smaller hardening of the hub (issue 16, class 8; docs/SECURITY.md "Hub hardening"): no panic
//! from a command's input or a closed pipe, private files, security headers, the protocol's JSON
//! error for an oversized body.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::Arc;

use chrono::Utc;
use gocua_hub::http::RunningHub;
use gocua_hub::{Hub, HubConfig, HubStore, SqliteStore, admin};

/// The hub's binary on its embedded SQLite store (not the PostgreSQL of the environment).
fn hub_binary() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gocua-hub"));
    c.env_remove(gocua_hub::postgres::DATABASE_URL_ENV);
    c
}

/// A data folder with a coordinator and an area, made by the binary itself.
fn data_folder(dir: &std::path::Path) -> std::path::PathBuf {
    let data = dir.join("hub-data");
    let data_s = data.to_str().unwrap();
    for args in [
        &[
            "add-coordinator",
            "--data",
            data_s,
            "--id",
            "c1",
            "--name",
            "Cán bộ",
            "--commune",
            "00004",
        ][..],
        &[
            "create-area",
            "--data",
            data_s,
            "--id",
            "a1",
            "--name",
            "Đông",
            "--commune",
            "00004",
            "--hamlet",
            "Thôn Đông",
        ][..],
    ] {
        let out = hub_binary().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    data
}

#[test]
fn the_hubs_files_are_private_to_its_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = data_folder(dir.path());
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "the data folder the hub created");
    assert_eq!(mode(&data.join("hub.db")), 0o600);
    for suffix in ["hub.db-wal", "hub.db-shm"] {
        let f = data.join(suffix);
        if f.exists() {
            assert_eq!(mode(&f), 0o600, "{suffix}");
        }
    }
    // A database made readable by others before is made private again when opened.
    std::fs::set_permissions(data.join("hub.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(SqliteStore::open(&data.join("hub.db")).unwrap());
    assert_eq!(mode(&data.join("hub.db")), 0o600);
}

#[test]
fn absurd_hours_and_a_closed_pipe_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_folder(dir.path());
    let data = data.to_str().unwrap();
    let pair = [
        "pair",
        "--data",
        data,
        "--coordinator",
        "c1",
        "--volunteer",
        "v1",
        "--area",
        "a1",
    ];
    let out = hub_binary()
        .args(pair)
        .args(["--hours", "9223372036854775807"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1..=720") && !stderr.contains("panicked"),
        "{stderr}"
    );
    assert!(admin::pairing_hours(i64::MAX).is_err());
    assert!(admin::pairing_hours(0).is_err());
    assert!(admin::pairing_hours(24).is_ok());

    // Standard output closed before the code is printed: an error exit, no panic.
    let mut child = hub_binary()
        .args(pair)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(1), "{stderr}");
}

#[test]
fn every_answer_has_the_security_headers_and_oversized_bodies_get_json() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("hub.db")).unwrap());
    admin::add_coordinator(store.as_ref(), "c1", "Cán bộ", "00004", Utc::now()).unwrap();
    let hub = Arc::new(Hub::new(store, HubConfig::default()));
    let running = RunningHub::start(hub, "127.0.0.1:0", None, false).unwrap();
    let url = running.url();
    let client = reqwest::blocking::Client::new();
    let answers = [
        client.get(format!("{url}/healthz")).send().unwrap(),
        client
            .post(format!("{url}/v1/sync"))
            .body("x")
            .send()
            .unwrap(),
        client.get(format!("{url}/dashboard/login")).send().unwrap(),
        client.get(format!("{url}/no-such-page")).send().unwrap(),
    ];
    for r in &answers {
        let h = r.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{}", r.url());
        assert_eq!(h["x-frame-options"], "DENY", "{}", r.url());
        assert!(h.contains_key("referrer-policy"), "{}", r.url());
        assert!(
            !h.contains_key("strict-transport-security"),
            "no HSTS over plain HTTP"
        );
    }
    // A body announced larger than the hub reads is refused from its headers alone (raw HTTP:
    // nothing of it is sent).
    let mut conn = std::net::TcpStream::connect(running.addr).unwrap();
    conn.set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    std::io::Write::write_all(
        &mut conn,
        b"POST /v1/enrol HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: 40000000\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("application/json"), "{answer}");
    assert!(answer.contains("\"code\":\"too_large\""), "{answer}");

    // Without a token, a large body is refused before any of it is read (before this, the hub
    // waited for 20 MB to arrive, then said 401).
    for path in ["/v1/sync", "/v1/sync/finish"] {
        let mut conn = std::net::TcpStream::connect(running.addr).unwrap();
        conn.set_read_timeout(Some(std::time::Duration::from_secs(60)))
            .unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer not-a-token\r\nContent-Length: 20000000\r\nConnection: close\r\n\r\n"
        );
        std::io::Write::write_all(&mut conn, head.as_bytes()).unwrap();
        let mut answer = String::new();
        conn.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 401"), "{path}: {answer}");
        assert!(
            answer.contains("\"code\":\"unauthorized\""),
            "{path}: {answer}"
        );
    }
    running.stop();
}

/// Connections that never finish their headers, or sit idle, are closed after the idle timeout,
/// and beyond the cap new connections wait instead of taking file descriptors: `/healthz` still
/// answers while more stalled connections are open than the hub holds. (Before: never closed;
/// 1,100 of them made `/healthz` time out.) Small limits here; the defaults are 768 and 120 s.
#[test]
fn stalled_and_idle_connections_are_closed_and_capped() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("hub.db")).unwrap());
    let config = HubConfig {
        connections: gocua_hub::connections::ConnectionLimits {
            max_connections: 4,
            idle_timeout: std::time::Duration::from_secs(1),
            ..Default::default()
        },
        ..HubConfig::default()
    };
    let hub = Arc::new(Hub::new(store, config));
    let running = RunningHub::start(hub, "127.0.0.1:0", None, false).unwrap();

    // Twelve connections that send half a request line and stop.
    let stalled: Vec<std::net::TcpStream> = (0..12)
        .map(|_| {
            let mut c = std::net::TcpStream::connect(running.addr).unwrap();
            std::io::Write::write_all(&mut c, b"POST /v1/sync HTTP/1.1\r\nHost: h").unwrap();
            c
        })
        .collect();
    // The hub still answers: each stalled connection is closed after a second of silence.
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap();
    let r = client
        .get(format!("{}/healthz", running.url()))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // Every stalled connection ends (closed by the hub: end of stream or a reset), none is held.
    for mut c in stalled {
        c.set_read_timeout(Some(std::time::Duration::from_secs(120)))
            .unwrap();
        let mut buf = [0u8; 256];
        match c.read(&mut buf) {
            Ok(n) => assert!(
                n == 0 || String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 408"),
                "{}",
                String::from_utf8_lossy(&buf[..n])
            ),
            Err(e) => assert_ne!(e.kind(), std::io::ErrorKind::WouldBlock, "still open"),
        }
    }
    running.stop();
}

/// A hub whose connection rules are small enough to test: headers within 1 s, and 1 KiB per
/// 2 s window while a request arrives; the idle rule (60 s) is not what closes anything here.
/// The moving request below sends 8 KiB every 150 ms: only a stall of its thread of more than
/// 2 s on a loaded machine would cut it.
fn trickle_hub() -> (tempfile::TempDir, RunningHub) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("hub.db")).unwrap());
    let config = HubConfig {
        connections: gocua_hub::connections::ConnectionLimits {
            max_connections: 16,
            idle_timeout: std::time::Duration::from_secs(60),
            header_timeout: std::time::Duration::from_secs(1),
            min_request_bytes: 1024,
            rate_window: std::time::Duration::from_secs(2),
        },
        ..HubConfig::default()
    };
    let running = RunningHub::start(
        Arc::new(Hub::new(store, config)),
        "127.0.0.1:0",
        None,
        false,
    )
    .unwrap();
    (dir, running)
}

/// Sends `head`, then `body` in pieces of `piece` bytes every `every`, until the hub closes the
/// connection or everything is sent; then reads the answer. Returns whether the hub closed it
/// while the request was still arriving, and what it answered.
fn trickle(
    addr: std::net::SocketAddr,
    head: &[u8],
    head_piece: usize,
    body: &[u8],
    piece: usize,
    every: std::time::Duration,
) -> (bool, String) {
    use std::io::Write;
    let mut c = std::net::TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    for part in head.chunks(head_piece).chain(body.chunks(piece.max(1))) {
        if c.write_all(part).is_err() {
            return (true, String::new());
        }
        std::thread::sleep(every);
    }
    let mut answer = Vec::new();
    let _ = c.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    (answer.is_empty(), answer)
}

/// A client that trickles its headers, or its body, holds no place: the idle rule alone (a byte
/// now and then resets it) let it live for ever. A slow but moving request is answered.
#[test]
fn trickled_headers_and_bodies_are_closed_and_a_slow_request_is_answered() {
    let (_dir, running) = trickle_hub();
    let every = std::time::Duration::from_millis(150);
    // Headers, a byte every 150 ms: past the 1 s header deadline long before the end.
    let head = b"GET /healthz HTTP/1.1\r\nHost: h\r\nUser-Agent: trickle-trickle-trickle\r\n\r\n";
    let (closed, answer) = trickle(running.addr, head, 1, b"", 1, every);
    assert!(closed, "headers trickled were answered: {answer}");

    // An enrolment (its body is read before anything is checked) announced as 48 KiB, sent 16
    // bytes every 150 ms: ~107 B/s, under 1 KiB per 2 s.
    let body = vec![b'x'; 48 * 1024];
    let head = format!(
        "POST /v1/enrol HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let (closed, answer) = trickle(running.addr, head.as_bytes(), head.len(), &body, 16, every);
    assert!(closed, "a trickled body was held to the end: {answer}");

    // The same request at 8 KiB every 150 ms (~53 KB/s, slower than 3G): answered (here a
    // refusal: the body is no enrolment), not cut.
    let (closed, answer) = trickle(
        running.addr,
        head.as_bytes(),
        head.len(),
        &body,
        8 * 1024,
        every,
    );
    assert!(!closed, "a moving request was cut");
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");

    // The hub still answers everyone else.
    let r = reqwest::blocking::get(format!("{}/healthz", running.url())).unwrap();
    assert_eq!(r.status().as_u16(), 200);
    running.stop();
}

/// Whole bodies held at once are bounded across connections: beyond the budget (64 KiB here,
/// 128 MiB by default) a device is told `503 busy` with `Retry-After` before the hub reads
/// anything, and once the held body is gone the same request is read again.
#[test]
fn bodies_held_at_once_are_bounded_and_the_rest_told_busy() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("hub.db")).unwrap());
    admin::add_coordinator(store.as_ref(), "coord", "Cán bộ", "00004", Utc::now()).unwrap();
    admin::create_area(store.as_ref(), "a", "Đông", "00004", &["Thôn Đông".into()]).unwrap();
    let code = admin::issue_pairing(
        store.as_ref(),
        "coord",
        "vol",
        "a",
        chrono::Duration::hours(1),
        Utc::now(),
    )
    .unwrap();
    let token = "ab".repeat(32);
    store
        .redeem_pairing(
            &gocua_hub::hub::secret_hash(&gocua_hub::hub::normalise_code(&code)),
            Utc::now(),
            "dev-a",
            "vol",
            "00004",
            &gocua_hub::hub::secret_hash(&token),
        )
        .unwrap()
        .unwrap();
    let config = HubConfig {
        body_budget_bytes: 64 * 1024,
        ..HubConfig::default()
    };
    let hub = Arc::new(Hub::new(store, config));
    let running = RunningHub::start(hub.clone(), "127.0.0.1:0", None, false).unwrap();

    // A request announcing 60 KiB sends 1 KiB and waits: it holds 60 KiB of the budget.
    let mut holder = std::net::TcpStream::connect(running.addr).unwrap();
    holder
        .write_all(
            format!(
                "POST /v1/sync HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\n\r\n",
                60 * 1024
            )
            .as_bytes(),
        )
        .unwrap();
    holder.write_all(&[0u8; 1024]).unwrap();
    let waited = std::time::Instant::now();
    while hub.body_budget().free_kib() > 4 {
        assert!(waited.elapsed().as_secs() < 60, "the body was never held");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }

    let client = reqwest::blocking::Client::new();
    let send = || {
        client
            .post(format!("{}/v1/sync", running.url()))
            .bearer_auth(&token)
            .body(vec![0u8; 10 * 1024])
            .send()
            .unwrap()
    };
    let r = send();
    assert_eq!(r.status().as_u16(), 503);
    assert_eq!(
        r.headers().get("retry-after").and_then(|v| v.to_str().ok()),
        Some("30")
    );
    assert!(r.text().unwrap().contains("\"code\":\"busy\""));

    drop(holder);
    let waited = std::time::Instant::now();
    while hub.body_budget().free_kib() < 64 {
        assert!(
            waited.elapsed().as_secs() < 60,
            "the held body was never let go"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // Read and handled now (refused: ten KiB of zeros are no sync request).
    assert_eq!(send().status().as_u16(), 400);
    running.stop();
}
