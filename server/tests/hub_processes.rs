//! Two `gocua-hub serve` processes on one PostgreSQL database (issue 9): the binary cargo built,
//! each process with its own connection pool, on 127.0.0.1 (port 0), as a province runs them
//! behind a load balancer. The hub is set up with the binary's own administration commands
//! (`add-coordinator`, `create-area`, `pair`, each a process on the same database). Six devices
//! enrol through either process, make seeded random offline edits, including concurrent edits of
//! one shared household on every round, and sync at the same time, each through a process drawn
//! at random. Then everyone syncs twice: every device equals every other and the database, a new
//! device enrolled through each process receives the same, and the counts are exact: every
//! household and member created is there once, nothing more.
//!
//! All the randomness comes from one seed, drawn on the test's thread; only the interleaving of
//! the simultaneous syncs is the machine's, and no check depends on it or on time.
//!
//! Skipped, with a message, when `GOCUA_TEST_POSTGRES_URL` is not set (CI runs every test through
//! `scripts/with-postgres.sh`); fails when it is set and the cluster is unusable. Here and not in
//! `tests/` because cargo builds `gocua-hub` (and names it in `CARGO_BIN_EXE_gocua-hub`) for this
//! package's tests only.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Barrier;
use std::time::{Duration, Instant};

use gocua_core::model::*;
use gocua_core::sync::{self, HttpTransport, SessionOutcome, SyncOptions, TlsOptions};
use gocua_core::{HouseholdField, Register};
use gocua_hub::HubStore;
use gocua_tests::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const HUB: &str = env!("CARGO_BIN_EXE_gocua-hub");
const DEVICES: usize = 6;
/// Rounds of edits and simultaneous syncs: with no merge of a concurrent write (before the
/// hub's "changed meanwhile" retry of server/src/store/mod.rs) this test failed 5 runs of 5 at
/// 12 rounds, 2 of 3 at 8.
const ROUNDS: usize = 12;

/// `gocua-hub --database DB ARGS...` to the end; its standard output. Panics (with its error) when
/// it fails.
fn admin(database: &str, dir: &Path, args: &[&str]) -> String {
    let out = Command::new(HUB)
        .arg("--database")
        .arg(database)
        .args(args)
        .arg("--data")
        .arg(dir.join("admin"))
        .env_remove(gocua_hub::postgres::DATABASE_URL_ENV)
        .env("GOCUA_HUB_DATABASE_POOL", "2")
        .stdin(Stdio::null())
        .output()
        .expect("the gocua-hub binary runs");
    assert!(
        out.status.success(),
        "gocua-hub {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A `gocua-hub serve` process; killed when dropped, also when the test panics.
struct HubProcess {
    child: Child,
    url: String,
    stderr: PathBuf,
    /// Kept open: the process may write to it until it is killed.
    _stdout: Option<BufReader<ChildStdout>>,
}

impl HubProcess {
    fn start(name: &str, database: &str, dir: &Path) -> Self {
        let stderr = dir.join(format!("{name}.stderr"));
        let mut child = Command::new(HUB)
            .arg("--database")
            .arg(database)
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(dir.join(name))
            .env_remove(gocua_hub::postgres::DATABASE_URL_ENV)
            .env("GOCUA_HUB_DATABASE_POOL", "4")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .expect("the gocua-hub binary starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut process = HubProcess {
            child,
            url: String::new(),
            stderr,
            _stdout: None,
        };
        let mut line = String::new();
        // One line, or the end of the output when the process exits: no wait on a clock.
        let _ = stdout.read_line(&mut line);
        process.url = line
            .strip_prefix("gocua-hub serving on ")
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| {
                panic!(
                    "{name} did not start: {line:?}; stderr: {}",
                    process.stderr_text()
                )
            })
            .to_owned();
        process._stdout = Some(stdout);
        process
    }

    fn stderr_text(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    fn transport(&self) -> HttpTransport {
        HttpTransport::new(&self.url, &TlsOptions::default(), Duration::from_secs(120)).unwrap()
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the devices created: every household and member, by id.
#[derive(Default)]
struct Ledger {
    created: BTreeMap<HouseholdId, BTreeSet<MemberId>>,
}

const NAMES: [&str; 6] = [
    "Nguyễn Thị Lan",
    "Trần Văn Bình",
    "Lê Thị Mai",
    "Phạm Văn Hải",
    "Hoàng Thu Hà",
    "Vũ Đức Minh",
];

/// One seeded edit of `id` (any household the device holds): a member, a checklist value or a
/// note.
fn edit_household(
    reg: &mut Register,
    id: &HouseholdId,
    rng: &mut StdRng,
    n: usize,
    ledger: &mut Ledger,
) {
    match rng.random_range(0..3) {
        0 => {
            let m = reg
                .add_member_with_consent(
                    id,
                    member(NAMES[n % NAMES.len()], Relation::Child),
                    &gocua_core::consent_rule::ConsentGiven::every_purpose(),
                )
                .unwrap()
                .value;
            ledger.created.entry(id.clone()).or_default().insert(m);
        }
        1 => {
            let h = reg.household(id).unwrap();
            let members: Vec<MemberId> = h.current_members().map(|m| m.id.clone()).collect();
            let m = &members[rng.random_range(0..members.len())];
            let status = [
                ChecklistStatus::InProgress,
                ChecklistStatus::Done,
                ChecklistStatus::Referred,
            ][rng.random_range(0..3)];
            reg.set_checklist(id, m, ChecklistItem::VneidInstalled, status, None, None)
                .unwrap();
        }
        _ => {
            reg.set_household_field(id, HouseholdField::Notes(Some(format!("ghi chú {n}"))))
                .unwrap();
        }
    }
}

/// A new household with its head.
fn new_household(
    reg: &mut Register,
    rng: &mut StdRng,
    n: usize,
    ledger: &mut Ledger,
) -> HouseholdId {
    let hamlet = if rng.random_bool(0.5) {
        "thon-dong"
    } else {
        "thon-tay"
    };
    let id = reg.create_household(household(hamlet, n)).unwrap().value;
    let m = reg
        .add_member_with_consent(
            &id,
            member(NAMES[n % NAMES.len()], Relation::Head),
            &gocua_core::consent_rule::ConsentGiven::every_purpose(),
        )
        .unwrap()
        .value;
    ledger.created.entry(id.clone()).or_default().insert(m);
    id
}

fn sync_through(reg: &mut Register, hub: &HubProcess) {
    let r = reg
        .sync_with(&hub.transport(), &SyncOptions::default())
        .unwrap_or_else(|e| {
            panic!(
                "sync through {}: {e}; hub stderr: {}",
                hub.url,
                hub.stderr_text()
            )
        });
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
}

fn by_id(hs: Vec<Household>) -> BTreeMap<HouseholdId, Household> {
    hs.into_iter().map(|h| (h.id.clone(), h)).collect()
}

#[test]
fn devices_syncing_through_two_hub_processes_on_one_database_converge_and_lose_nothing() {
    let Some(database) = postgres_database("two_hub_processes") else {
        return;
    };
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // The hub, set up with its own commands; then two processes serving it.
    admin(
        &database,
        dir,
        &[
            "add-coordinator",
            "--id",
            "coord",
            "--name",
            "Cán bộ xã",
            "--commune",
            COMMUNE,
        ],
    );
    admin(
        &database,
        dir,
        &[
            "create-area",
            "--id",
            "a",
            "--name",
            "Đông Tây",
            "--commune",
            COMMUNE,
            "--hamlet",
            "Thôn Đông",
            "--hamlet",
            "Thôn Tây",
        ],
    );
    let hubs = [
        HubProcess::start("hub-1", &database, dir),
        HubProcess::start("hub-2", &database, dir),
    ];
    assert_ne!(hubs[0].url, hubs[1].url);
    let enrol = |reg: &mut Register, volunteer: &str, hub: &HubProcess| {
        let out = admin(
            &database,
            dir,
            &[
                "pair",
                "--coordinator",
                "coord",
                "--volunteer",
                volunteer,
                "--area",
                "a",
                "--url",
                &hub.url,
            ],
        );
        let code = out
            .lines()
            .find_map(|l| l.strip_prefix("pairing code: "))
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or_else(|| panic!("no pairing code in {out:?}"));
        sync::enrol(reg, &hub.url, code, &TlsOptions::default())
            .unwrap_or_else(|e| panic!("enrol through {}: {e}", hub.url));
    };

    let mut devices: Vec<Register> = (0..DEVICES)
        .map(|i| {
            let vol = format!("vol-{i}");
            let mut reg = register(dir, &vol);
            enrol(&mut reg, &vol, &hubs[i % 2]);
            reg
        })
        .collect();

    let mut rng = StdRng::seed_from_u64(0x0009_2026_1123);
    let mut ledger = Ledger::default();
    let mut n = 0;
    // One household every device edits on every round, from the first.
    let shared = new_household(&mut devices[0], &mut rng, n, &mut ledger);
    sync_through(&mut devices[0], &hubs[0]);
    for (i, reg) in devices.iter_mut().enumerate().skip(1) {
        sync_through(reg, &hubs[i % 2]);
        assert!(reg.household_ids().unwrap().contains(&shared));
    }

    for _round in 0..ROUNDS {
        // Offline: every device edits the shared household (concurrently with the others, as
        // none has seen the others' edits of this round) and makes a few edits of its own.
        for reg in devices.iter_mut() {
            n += 1;
            edit_household(reg, &shared, &mut rng, n, &mut ledger);
            for _ in 0..rng.random_range(0..3) {
                n += 1;
                let ids = reg.household_ids().unwrap();
                if rng.random_bool(0.4) {
                    new_household(reg, &mut rng, n, &mut ledger);
                } else {
                    let id = ids[rng.random_range(0..ids.len())].clone();
                    edit_household(reg, &id, &mut rng, n, &mut ledger);
                }
            }
        }
        // Then all of them sync at once, each through a process drawn at random.
        let through: Vec<usize> = (0..DEVICES).map(|_| rng.random_range(0..2)).collect();
        let barrier = Barrier::new(DEVICES);
        std::thread::scope(|s| {
            for (reg, &h) in devices.iter_mut().zip(&through) {
                let (hub, barrier) = (&hubs[h], &barrier);
                s.spawn(move || {
                    barrier.wait();
                    sync_through(reg, hub);
                });
            }
        });
    }
    // Everyone syncs twice, each time through a process drawn at random: the first sends the last
    // edits, the second brings everyone's.
    for _ in 0..2 {
        for reg in devices.iter_mut() {
            let h = rng.random_range(0..2);
            sync_through(reg, &hubs[h]);
        }
    }

    // Every device equals every other and the database.
    let store = gocua_hub::PgStore::open(&database, 2).unwrap();
    let on_hub = by_id(households_on(&store));
    for (i, reg) in devices.iter().enumerate() {
        assert_eq!(reg.pending_count().unwrap(), 0, "device {i}");
        assert_eq!(
            by_id(device_households(reg)),
            on_hub,
            "device {i} differs from the hub's database"
        );
    }
    // Nothing lost, nothing duplicated: exactly the households and members created.
    assert_eq!(
        on_hub.len(),
        ledger.created.len(),
        "households lost or duplicated"
    );
    assert_eq!(store.doc_ids().unwrap().len(), ledger.created.len());
    for (id, members) in &ledger.created {
        let h = on_hub
            .get(id)
            .expect("a household created on a device is missing");
        assert_eq!(
            h.members.keys().cloned().collect::<BTreeSet<_>>(),
            *members,
            "members lost or duplicated"
        );
    }
    assert!(
        ledger.created[&shared].len() > 1,
        "the shared household got members from several devices"
    );
    // Both processes serve the same: a new device enrolled through each receives all of it.
    for (i, hub) in hubs.iter().enumerate() {
        let vol = format!("vol-new-{i}");
        let mut reg = register(dir, &vol);
        enrol(&mut reg, &vol, hub);
        sync_through(&mut reg, hub);
        assert_eq!(
            by_id(device_households(&reg)),
            on_hub,
            "a new device through hub {i} differs"
        );
    }
    let members: usize = ledger.created.values().map(BTreeSet::len).sum();
    let sessions = store.sessions(10_000).unwrap().len();
    eprintln!(
        "two hub processes: {DEVICES} devices, {ROUNDS} rounds, {} households, {members} members, \
         {sessions} sessions; {:?}",
        ledger.created.len(),
        started.elapsed()
    );
    drop(store);
    drop(hubs);
    drop_postgres_database(&database);
}
