//! `gocua enrol` and `gocua sync` against a real commune hub served on 127.0.0.1 (port 0) in
//! this test process: pairing, syncing between two registers, and the clear errors a volunteer
//! gets for a wrong code, an unreachable hub, a missing enrolment and a revoked device.

mod common;

use common::{COMMUNE, Run, gocua};

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;
use gocua_hub::http::RunningHub;
use gocua_hub::{Hub, HubConfig, HubStore, SqliteStore, admin};
use serde_json::Value;
use tempfile::TempDir;

fn ok(dir: &Path, db: &str, args: &[&str]) -> Run {
    let r = gocua(dir, db, args);
    assert_eq!(
        r.code, 0,
        "gocua {args:?} failed:\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    r
}

fn refused(dir: &Path, db: &str, args: &[&str]) -> Run {
    let r = gocua(dir, db, args);
    assert_eq!(
        r.code, 1,
        "gocua {args:?} should be refused:\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    r
}

/// A hub with a coordinator and one area (Thôn Đông, Thôn Tây) of the commune, served on a free
/// local port.
struct TestHub {
    store: Arc<SqliteStore>,
    running: Option<RunningHub>,
    url: String,
}

impl TestHub {
    fn start(dir: &Path) -> Self {
        let store = Arc::new(SqliteStore::open(&dir.join("hub.db")).unwrap());
        admin::add_coordinator(
            store.as_ref(),
            "coord",
            "Cán bộ phường",
            COMMUNE,
            Utc::now(),
        )
        .unwrap();
        admin::create_area(
            store.as_ref(),
            "dong-tay",
            "Đông Tây",
            COMMUNE,
            &["Thôn Đông".into(), "Thôn Tây".into()],
        )
        .unwrap();
        let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
        let running = RunningHub::start(hub, "127.0.0.1:0", None, false).unwrap();
        let url = running.url();
        Self {
            store,
            running: Some(running),
            url,
        }
    }

    fn code(&self, volunteer: &str) -> String {
        admin::issue_pairing(
            self.store.as_ref(),
            "coord",
            volunteer,
            "dong-tay",
            chrono::Duration::hours(1),
            Utc::now(),
        )
        .unwrap()
    }

    fn stop(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop();
        }
    }
}

/// A local port nothing listens on: bound, then closed.
fn closed_port_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}")
}

fn init(dir: &Path, db: &str, volunteer: &str) {
    ok(
        dir,
        db,
        &["init", "--volunteer", volunteer, "--commune", COMMUNE],
    );
}

#[test]
fn enrol_sync_and_receive_on_a_second_register() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let mut hub = TestHub::start(dir);

    init(dir, "a.db", "tnv-an");
    let r = ok(
        dir,
        "a.db",
        &["--lang", "en", "enrol", &hub.url, &hub.code("tnv-an")],
    );
    assert!(
        r.stdout.contains("Enrolled with commune hub"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Thôn Đông (thon-dong)"), "{}", r.stdout);
    // The area's hamlets arrived with the enrolment: households can be added at once.
    let hid = ok(
        dir,
        "a.db",
        &[
            "household",
            "add",
            "--hamlet",
            "Thôn Đông",
            "--house-number",
            "7",
        ],
    )
    .stdout
    .trim()
    .to_owned();
    ok(
        dir,
        "a.db",
        &[
            "member",
            "add",
            &hid,
            "--name",
            "Nguyễn Thị Hồng",
            "--relation",
            "chu_ho",
            "--birth",
            "1979",
            "--consent",
            "local_register",
        ],
    );
    let status = ok(dir, "a.db", &["--lang", "en", "status"]).stdout;
    assert!(status.contains("Last successful sync: never"), "{status}");

    let r = ok(dir, "a.db", &["--lang", "en", "sync"]);
    assert!(r.stdout.contains("Sync finished."), "{}", r.stdout);
    assert!(
        r.stdout.contains("Sent 1 households, received 0"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("round trips"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Still waiting for sync: 0"),
        "{}",
        r.stdout
    );
    // The progress bar went to stderr, ending with Done.
    assert!(r.stderr.contains("Sending"), "{}", r.stderr);
    assert!(r.stderr.contains("Done"), "{}", r.stderr);
    assert_eq!(hub.store.doc_count().unwrap(), 1);

    // In Vietnamese, quiet: no bar.
    let r = ok(dir, "a.db", &["sync", "--quiet"]);
    assert!(r.stdout.contains("Đồng bộ xong."), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "{}", r.stderr);

    let status = ok(dir, "a.db", &["--lang", "en", "status"]).stdout;
    assert!(
        status.contains("Commune hub: http://127.0.0.1:"),
        "{status}"
    );
    assert!(!status.contains("Last successful sync: never"), "{status}");
    assert!(status.contains("Waiting for sync: 0"), "{status}");
    let js: Value = serde_json::from_str(&ok(dir, "a.db", &["--json", "status"]).stdout).unwrap();
    assert!(js["sync"]["last_success_at"].is_string(), "{js}");

    // A second volunteer of the same area receives the household.
    init(dir, "b.db", "tnv-binh");
    ok(dir, "b.db", &["enrol", &hub.url, &hub.code("tnv-binh")]);
    let js: Value = serde_json::from_str(&ok(dir, "b.db", &["--json", "sync"]).stdout).unwrap();
    assert_eq!(js["outcome"], "Success", "{js}");
    assert_eq!(js["received"], 1, "{js}");
    let shown = ok(dir, "b.db", &["household", "show", &hid]).stdout;
    assert!(shown.contains("Nguyễn Thị Hồng"), "{shown}");

    // The hub goes away: the sync says so and exits 1; status shows the failed attempt.
    hub.stop();
    let r = refused(dir, "b.db", &["--lang", "en", "sync", "--quiet"]);
    assert!(
        r.stderr.contains("cannot reach the commune hub"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let status = ok(dir, "b.db", &["--lang", "en", "status"]).stdout;
    assert!(
        status.contains("Last sync did not finish: could not reach the hub"),
        "{status}"
    );
}

#[test]
fn wrong_code_unreachable_hub_and_missing_enrolment_are_clear_errors() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let hub = TestHub::start(dir);
    init(dir, "c.db", "tnv-cuong");

    // Not enrolled yet.
    let r = refused(dir, "c.db", &["--lang", "en", "sync"]);
    assert!(
        r.stderr.contains("not enrolled") && r.stderr.contains("gocua enrol"),
        "{}",
        r.stderr
    );

    // A wrong code, in both languages; the code is not echoed back.
    let r = refused(
        dir,
        "c.db",
        &["--lang", "en", "enrol", &hub.url, "ABCD-EFGH-JK"],
    );
    assert!(r.stderr.contains("pairing code is wrong"), "{}", r.stderr);
    assert!(!r.stderr.contains("ABCD"), "{}", r.stderr);
    let r = refused(dir, "c.db", &["enrol", &hub.url, "ABCD-EFGH-JK"]);
    assert!(r.stderr.contains("mã ghép không đúng"), "{}", r.stderr);

    // A code for another volunteer is refused, and stays usable by its volunteer.
    let code = hub.code("tnv-khac");
    let r = refused(dir, "c.db", &["--lang", "en", "enrol", &hub.url, &code]);
    assert!(
        r.stderr.contains("cannot be used for this register"),
        "{}",
        r.stderr
    );

    // Nothing listens there.
    let r = refused(
        dir,
        "c.db",
        &[
            "--lang",
            "en",
            "enrol",
            &closed_port_url(),
            &hub.code("tnv-cuong"),
        ],
    );
    assert!(
        r.stderr.contains("cannot reach the commune hub"),
        "{}",
        r.stderr
    );
    // Not a URL, and a malformed pin.
    let r = refused(dir, "c.db", &["--lang", "en", "enrol", "hub.local", "X"]);
    assert!(r.stderr.contains("http://"), "{}", r.stderr);
    let r = refused(
        dir,
        "c.db",
        &["--lang", "en", "enrol", &hub.url, "X", "--pin", "abc"],
    );
    assert!(r.stderr.contains("hex SHA-256"), "{}", r.stderr);
    // Still not enrolled after all that.
    let status = ok(dir, "c.db", &["--lang", "en", "status"]).stdout;
    assert!(status.contains("Commune hub: not enrolled"), "{status}");

    // The right code works once.
    let code = hub.code("tnv-cuong");
    ok(dir, "c.db", &["enrol", &hub.url, &code]);
    init(dir, "d.db", "tnv-cuong");
    let r = refused(dir, "d.db", &["--lang", "en", "enrol", &hub.url, &code]);
    assert!(r.stderr.contains("already used"), "{}", r.stderr);
}

#[test]
fn a_revoked_device_is_told_so() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let hub = TestHub::start(dir);
    init(dir, "e.db", "tnv-dung");
    let js: Value = serde_json::from_str(
        &ok(
            dir,
            "e.db",
            &["--json", "enrol", &hub.url, &hub.code("tnv-dung")],
        )
        .stdout,
    )
    .unwrap();
    let device = js["device_id"].as_str().unwrap().to_owned();
    ok(dir, "e.db", &["sync", "--quiet"]);
    admin::revoke(hub.store.as_ref(), &device, Utc::now()).unwrap();
    let r = refused(dir, "e.db", &["--lang", "en", "sync", "--quiet"]);
    assert!(r.stderr.contains("revoked"), "{}", r.stderr);
    assert!(r.stderr.contains("erased"), "{}", r.stderr);
    // The register was wiped and forgot the hub: a new pairing is needed.
    let r = refused(dir, "e.db", &["sync", "--quiet"]);
    assert!(r.stderr.contains("chưa được ghép"), "{}", r.stderr);
}

#[test]
fn an_erasure_is_erased_here_or_requested_from_the_commune() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let mut hub = TestHub::start(dir);
    init(dir, "a.db", "tnv-an");
    init(dir, "b.db", "tnv-binh");
    ok(dir, "a.db", &["enrol", &hub.url, &hub.code("tnv-an")]);
    ok(dir, "b.db", &["enrol", &hub.url, &hub.code("tnv-binh")]);
    let add = |house: &str| {
        ok(
            dir,
            "a.db",
            &[
                "household",
                "add",
                "--hamlet",
                "Thôn Đông",
                "--house-number",
                house,
            ],
        )
        .stdout
        .trim()
        .to_owned()
    };
    let shared = add("7");
    ok(dir, "a.db", &["sync", "--quiet"]);
    ok(dir, "b.db", &["sync", "--quiet"]);

    // Another device holds it: only a request, decided by the commune.
    let r = ok(dir, "a.db", &["--lang", "en", "erase", &shared]);
    assert!(r.stdout.contains("Erasure requested"), "{}", r.stdout);
    let r = ok(dir, "a.db", &["--lang", "en", "sync", "--quiet"]);
    assert!(
        r.stdout.contains("The commune received 1 erasure requests"),
        "{}",
        r.stdout
    );
    ok(dir, "a.db", &["household", "show", &shared]);
    let requests = hub.store.erase_requests(COMMUNE, 10).unwrap();
    assert_eq!(requests.len(), 1);
    Hub::new(hub.store.clone(), HubConfig::default())
        .decide_erasure("coord", COMMUNE, requests[0].request_id, true)
        .unwrap();
    let r = ok(dir, "a.db", &["--lang", "en", "sync", "--quiet"]);
    assert!(
        r.stdout.contains("1 households were erased on request"),
        "{}",
        r.stdout
    );
    refused(dir, "a.db", &["household", "show", &shared]);

    // Never synced: erased here at once.
    let own = add("9");
    let js: Value =
        serde_json::from_str(&ok(dir, "a.db", &["--json", "erase", &own]).stdout).unwrap();
    assert_eq!(js["erasure"], "erased", "{js}");
    refused(dir, "a.db", &["household", "show", &own]);

    // An unknown household: a clear refusal, nothing else touched.
    let r = refused(dir, "a.db", &["--lang", "en", "erase", "zzzz"]);
    assert!(r.stderr.contains("not found"), "{}", r.stderr);
    hub.stop();
}

/// The files a command wrote into `dir`, by name.
fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn a_bundle_goes_by_a_carrier_and_its_answer_comes_back() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let mut hub = TestHub::start(dir);
    init(dir, "far.db", "tnv-xa");
    init(dir, "carrier.db", "tnv-mang");
    ok(dir, "far.db", &["enrol", &hub.url, &hub.code("tnv-xa")]);
    ok(
        dir,
        "carrier.db",
        &["enrol", &hub.url, &hub.code("tnv-mang")],
    );
    ok(
        dir,
        "far.db",
        &[
            "household",
            "add",
            "--hamlet",
            "Thôn Tây",
            "--house-number",
            "3",
        ],
    );

    // Without coverage: sealed into a file, still pending.
    let stick = dir.join("stick");
    std::fs::create_dir(&stick).unwrap();
    let r = ok(
        dir,
        "far.db",
        &[
            "--lang",
            "en",
            "bundle",
            "seal",
            "--dir",
            stick.to_str().unwrap(),
        ],
    );
    assert!(r.stdout.contains("Sealed 1 households"), "{}", r.stdout);
    let sealed = files_in(&stick);
    assert_eq!(sealed.len(), 1);
    let status = ok(dir, "far.db", &["--lang", "en", "status"]).stdout;
    assert!(status.contains("Waiting for sync: 1"), "{status}");

    // A file that is not a bundle, and one cut short: refused with a reason, the good one kept.
    let junk = dir.join("junk.gocua");
    std::fs::write(&junk, b"hello").unwrap();
    let cut = dir.join("cut.gocua");
    let bytes = std::fs::read(&sealed[0]).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() - 5]).unwrap();
    let r = refused(
        dir,
        "carrier.db",
        &[
            "--lang",
            "en",
            "bundle",
            "open",
            junk.to_str().unwrap(),
            cut.to_str().unwrap(),
            sealed[0].to_str().unwrap(),
        ],
    );
    assert!(r.stdout.contains("not a gocua sync bundle"), "{}", r.stdout);
    assert!(r.stdout.contains("truncated"), "{}", r.stdout);
    assert!(r.stdout.contains("to carry to the commune"), "{}", r.stdout);
    assert!(
        r.stderr.contains("2 files could not be used"),
        "{}",
        r.stderr
    );

    // The carrier reaches coverage: its sync delivers the bundle.
    let r = ok(dir, "carrier.db", &["--lang", "en", "sync"]);
    assert!(
        r.stdout.contains("Delivered 1 other phones' sync bundles"),
        "{}",
        r.stdout
    );
    assert_eq!(hub.store.doc_count().unwrap(), 1);
    let back = dir.join("back");
    std::fs::create_dir(&back).unwrap();
    ok(
        dir,
        "carrier.db",
        &["bundle", "hand-over", "--dir", back.to_str().unwrap()],
    );
    let answers = files_in(&back);
    assert_eq!(answers.len(), 1);

    // Back in the hamlet: the answer settles the household; a second time is refused.
    let r = ok(
        dir,
        "far.db",
        &[
            "--lang",
            "en",
            "bundle",
            "open",
            answers[0].to_str().unwrap(),
        ],
    );
    assert!(
        r.stdout
            .contains("The commune's answer is in: 1 households stored"),
        "{}",
        r.stdout
    );
    let status = ok(dir, "far.db", &["--lang", "en", "status"]).stdout;
    assert!(status.contains("Waiting for sync: 0"), "{status}");
    let r = refused(
        dir,
        "far.db",
        &[
            "--lang",
            "en",
            "bundle",
            "open",
            answers[0].to_str().unwrap(),
        ],
    );
    assert!(r.stdout.contains("already applied"), "{}", r.stdout);
    let list: Value =
        serde_json::from_str(&ok(dir, "far.db", &["--json", "bundle", "list"]).stdout).unwrap();
    assert_eq!(list["sealed"][0]["answered_via"], "bundle", "{list}");
    hub.stop();
}
