//! Crashes while a hub is backed up and while a phone refills a restored hub (issue 22) lose
//! nothing.
//!
//! Each test re-runs its own binary as a child that does the work, and kills it with SIGKILL at
//! seeded random moments; then it opens what the child left and checks it, and a last clean
//! run must finish the work with nothing lost.
//! - Backup: the child backs the hub up again and again; whatever a kill leaves, the hub opens
//!   and is whole, a finished backup restores, and a half-written one is never taken for one.
//! - Refill: the child holds a phone and a hub restored from a day-old backup (both SQLite
//!   files) and syncs; a kill lands anywhere in the reconciliation, the refill or the pull, on
//!   either side. After the kills one more sync leaves the hub and the phone equal.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::TimeZone;
use gocua_core::model::{Household, HouseholdId};
use gocua_core::sync::{SessionOutcome, SyncOptions};
use gocua_core::{FixedClock, Register};
use gocua_hub::store::sqlite::backup::{backup, restore};
use gocua_hub::store::sqlite::cipher::DbKey;
use gocua_hub::{Hub, HubConfig, HubStore, SqliteStore};
use gocua_tests::*;
use rand::{Rng, SeedableRng};

const CHILD_DIR: &str = "GOCUA_REFILL_CRASH_DIR";

fn open_device(dir: &Path) -> Register {
    Register::open(&dir.join("vol-a.db"))
        .unwrap()
        .with_clock(FixedClock(
            chrono::Utc.timestamp_opt(1_790_000_000, 0).unwrap(),
        ))
}

fn hub_on(db: &Path) -> (Arc<dyn HubStore>, Arc<Hub>) {
    let store: Arc<dyn HubStore> = Arc::new(SqliteStore::open(db).unwrap());
    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
    (store, hub)
}

/// Runs `name` of this binary as a child with `dir`; kills it at `kill_after` if it is still
/// running then (`None`: lets it end). Whether the kill landed in its work.
fn run_child(name: &str, dir: &Path, kill_after: Option<Duration>) -> bool {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR, dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if kill_after.is_some_and(|k| started.elapsed() >= k) {
            let _ = child.kill();
            let _ = child.wait();
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn backup_child() {
    let Ok(dir) = std::env::var(CHILD_DIR) else {
        return;
    };
    let dir = Path::new(&dir);
    let key = DbKey::read_file(&dir.join("backup.key")).unwrap();
    for n in 0..1000 {
        let to = dir.join(format!("b-{}-{n}.db", std::process::id()));
        backup(&dir.join("hub.db"), None, &to, &key).unwrap();
    }
}

#[test]
fn a_killed_backup_leaves_the_hub_whole_and_no_false_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = hub_on(&dir.path().join("hub.db"));
    seed(store.as_ref());
    let t = hub.in_process();
    let mut a = register(dir.path(), "vol-a");
    a.sync_enrol("inproc", &t, &code_on(store.as_ref(), "vol-a", "a"), None)
        .unwrap();
    add_households(&mut a, "thon-dong", 0..60, "Trần Văn Long");
    a.sync_with(&t, &SyncOptions::default()).unwrap();
    let expected = households_on(store.as_ref()).len();
    drop((store, hub, t));
    let key = DbKey::generate();
    key.write_new_file(&dir.path().join("backup.key")).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(22);
    let mut killed = 0;
    for _ in 0..12 {
        let delay = Duration::from_millis(rng.random_range(20..400));
        killed += usize::from(run_child("backup_child", dir.path(), Some(delay)));
    }
    assert_eq!(
        killed, 12,
        "every kill lands while backups are being written"
    );
    // The hub opens and holds what it held.
    let (store, _) = hub_on(&dir.path().join("hub.db"));
    assert_eq!(households_on(store.as_ref()).len(), expected);
    // Every file named as a backup restores whole; a half-written one only ever has `.partial`.
    let mut restored = 0;
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("b-") && name.ends_with(".db") {
            let into = dir.path().join(format!("r{restored}")).join("hub.db");
            std::fs::create_dir_all(into.parent().unwrap()).unwrap();
            let info = restore(&path, &key, &into, None, chrono::Utc::now()).unwrap();
            assert_eq!(info.documents as usize, expected, "{name}");
            restored += 1;
        }
    }
    assert!(restored > 0, "some backups finished between the kills");
}

#[test]
fn refill_child() {
    let Ok(dir) = std::env::var(CHILD_DIR) else {
        return;
    };
    let dir = Path::new(&dir);
    let (_, hub) = hub_on(&dir.join("hub.db"));
    let mut a = open_device(dir);
    let _ = a.sync_with(&hub.in_process(), &SyncOptions::default());
}

fn by_id(hs: Vec<Household>) -> BTreeMap<HouseholdId, Household> {
    hs.into_iter().map(|h| (h.id.clone(), h)).collect()
}

/// A copy of the restored hub and of the phone as they were before it synced with it.
fn fresh_round(pristine: &Path, round: &Path) {
    std::fs::create_dir_all(round).unwrap();
    for name in ["hub.db", "vol-a.db"] {
        std::fs::copy(pristine.join(name), round.join(name)).unwrap();
    }
}

/// After a kill: the phone syncs until done and then holds, as the hub does, what `before` is.
fn recovers(round: &Path, before: &BTreeMap<HouseholdId, Household>) {
    let (store, hub) = hub_on(&round.join("hub.db"));
    let mut a = open_device(round);
    for _ in 0..2 {
        let r = a
            .sync_with(&hub.in_process(), &SyncOptions::default())
            .unwrap();
        assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
    }
    assert_eq!(a.pending_count().unwrap(), 0);
    assert_eq!(
        &by_id(households_on(store.as_ref())),
        before,
        "the restored hub holds everything it held before the loss"
    );
    assert_eq!(&by_id(device_households(&a)), before);
}

#[test]
fn a_killed_refill_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    let (store, hub) = hub_on(&db);
    seed(store.as_ref());
    let t = hub.in_process();
    let mut a = register(dir.path(), "vol-a");
    a.sync_enrol("inproc", &t, &code_on(store.as_ref(), "vol-a", "a"), None)
        .unwrap();
    add_households(&mut a, "thon-dong", 0..40, "Trần Văn Long");
    a.sync_with(&t, &SyncOptions::default()).unwrap();
    let key = DbKey::generate();
    let file = dir.path().join("day-old.db");
    backup(&db, None, &file, &key).unwrap();
    // The day after: more households, edits, all synced; then the hub is restored.
    let ids = add_households(&mut a, "thon-tay", 100..160, "Lê Thị Hằng");
    for id in ids.iter().take(20) {
        a.set_household_field(
            id,
            gocua_core::HouseholdField::Notes(Some("lần hai".into())),
        )
        .unwrap();
    }
    a.sync_with(&t, &SyncOptions::default()).unwrap();
    let before = by_id(households_on(store.as_ref()));
    drop((store, hub, t, a));
    // The phone's register as one file (its WAL folded in), and the restored hub.
    let pristine = dir.path().join("pristine");
    std::fs::create_dir_all(&pristine).unwrap();
    rusqlite::Connection::open(dir.path().join("vol-a.db"))
        .unwrap()
        .execute(
            &format!(
                "VACUUM INTO '{}'",
                pristine.join("vol-a.db").to_string_lossy()
            ),
            [],
        )
        .unwrap();
    restore(
        &file,
        &key,
        &pristine.join("hub.db"),
        None,
        chrono::Utc::now(),
    )
    .unwrap();

    // How long an unkilled refill takes here, child start included.
    let timed = dir.path().join("timed");
    fresh_round(&pristine, &timed);
    let started = Instant::now();
    run_child("refill_child", &timed, None);
    let whole = started.elapsed();
    recovers(&timed, &before);

    // Kills at seeded moments across that time, each from the same start, each recovered.
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut killed = 0;
    for n in 0..12 {
        let round = dir.path().join(format!("round-{n}"));
        fresh_round(&pristine, &round);
        let delay = whole.mul_f64(rng.random_range(0.05..0.8));
        killed += usize::from(run_child("refill_child", &round, Some(delay)));
        recovers(&round, &before);
    }
    assert!(
        killed >= 6,
        "only {killed} of 12 kills landed in the child's work"
    );
}
