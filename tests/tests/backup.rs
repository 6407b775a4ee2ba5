//! Backups of the embedded SQLite hub (issue 22): taken while devices sync, a consistent copy
//! under the operator's backup key; restored as a new generation of the same hub, whose
//! enrolments still work. A wrong key, a damaged or a truncated backup is refused and changes
//! nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use gocua_core::sync::{SessionOutcome, SyncOptions};
use gocua_hub::store::sqlite::backup::{backup, restore};
use gocua_hub::store::sqlite::cipher::DbKey;
use gocua_hub::{Hub, HubConfig, HubStore, SqliteStore};
use gocua_tests::*;

#[test]
fn a_backup_taken_while_devices_sync_restores_the_hub_of_that_instant() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixture(Backend::Sqlite, dir.path(), "backup").unwrap();
    let t = fx.hub.in_process();
    let mut a = enrolled(&fx, &t, dir.path(), "vol-a", "a");
    add_households(&mut a, "thon-dong", 0..20, "Trần Văn Long");
    a.sync_with(&t, &SyncOptions::default()).unwrap();

    // A second device keeps syncing new households while the backup is taken.
    let mut b = enrolled(&fx, &t, dir.path(), "vol-b", "a");
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let t = fx.hub.in_process();
        std::thread::spawn(move || {
            let mut n = 100;
            while !stop.load(Ordering::Relaxed) && n < 160 {
                add_households(&mut b, "thon-tay", n..n + 2, "Lê Thị Hằng");
                let r = b.sync_with(&t, &SyncOptions::default()).unwrap();
                assert_eq!(r.outcome, SessionOutcome::Success);
                n += 2;
            }
            b
        })
    };
    let key = DbKey::generate();
    let file = dir.path().join("hub-backup.db");
    let db = std::path::Path::new(&fx.location);
    let taken = backup(db, None, &file, &key).unwrap();
    stop.store(true, Ordering::Relaxed);
    let mut b = writer.join().unwrap();
    assert!(taken.documents >= 20, "{taken:?}");
    assert_eq!(taken.hub_id, fx.store.hub_id().unwrap());
    assert!(backup(db, None, &file, &key).is_err(), "never overwritten");

    // Nothing of the backup is readable without its key.
    let bytes = std::fs::read(&file).unwrap();
    assert!(!bytes.windows(13).any(|w| w == "Trần Văn Long".as_bytes()));
    assert!(!bytes.starts_with(b"SQLite format 3"));

    // Restored elsewhere: the hub of that instant, one generation on, enrolments intact.
    let other = tempfile::tempdir().unwrap();
    let restored_db = other.path().join("hub.db");
    let wrong = DbKey::generate();
    assert!(restore(&file, &wrong, &restored_db, None, chrono::Utc::now()).is_err());
    assert!(!restored_db.exists(), "a refused restore writes nothing");
    let mut damaged = bytes.clone();
    damaged.truncate(bytes.len() / 2);
    let damaged_file = dir.path().join("damaged.db");
    std::fs::write(&damaged_file, &damaged).unwrap();
    assert!(restore(&damaged_file, &key, &restored_db, None, chrono::Utc::now()).is_err());
    assert!(!restored_db.exists());

    let info = restore(&file, &key, &restored_db, None, chrono::Utc::now()).unwrap();
    assert_eq!((info.generation, info.documents), (1, taken.documents));
    let store: Arc<dyn HubStore> = Arc::new(SqliteStore::open(&restored_db).unwrap());
    assert_eq!(store.hub_id().unwrap(), fx.store.hub_id().unwrap());
    assert_eq!(households_on(store.as_ref()).len() as i64, taken.documents);
    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
    let t2 = hub.in_process();
    let status = |store: &dyn HubStore| {
        let text = gocua_hub::report::Report::collect(store).unwrap().to_text();
        text.lines()
            .find(|l| l.starts_with("restored from a backup"))
            .unwrap_or_default()
            .to_owned()
    };
    let line = status(store.as_ref());
    assert!(
        line.contains("generation 1") && line.contains("vol-a") && line.contains("vol-b"),
        "{line}"
    );
    let r = a.sync_with(&t2, &SyncOptions::default()).unwrap();
    assert_eq!(
        r.outcome,
        SessionOutcome::Success,
        "the enrolment in the backup works"
    );
    let line = status(store.as_ref());
    assert!(
        !line.contains("vol-a") && line.contains("vol-b"),
        "a synced since: {line}"
    );
    let r = b.sync_with(&t2, &SyncOptions::default()).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success);
    // B's cursor is past the backup's numbers (it synced after it): what the restored hub
    // stores next still reaches it.
    let fresh = add_households(&mut a, "thon-dong", 500..501, "Phan Văn Mới")[0].clone();
    a.sync_with(&t2, &SyncOptions::default()).unwrap();
    b.sync_with(&t2, &SyncOptions::default()).unwrap();
    assert!(
        b.household(&fresh).is_ok(),
        "a household stored after the restore reaches a phone whose cursor was ahead"
    );

    // Restoring over a database keeps it beside, and the generation goes on.
    let again = restore(&file, &key, &restored_db, None, chrono::Utc::now()).unwrap();
    assert_eq!(again.generation, 1, "the backup's generation plus one");
    let kept = std::fs::read_dir(other.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("hub.db.before-restore-")
        })
        .count();
    assert_eq!(kept, 1);
}

#[test]
fn an_encrypted_hub_is_backed_up_and_restored_under_its_own_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    let hub_key = DbKey::generate();
    {
        let store = SqliteStore::open_with_key(&db, Some(&hub_key)).unwrap();
        gocua_hub::admin::add_coordinator(&store, "coord", "Cán bộ", COMMUNE, chrono::Utc::now())
            .unwrap();
    }
    let key = DbKey::generate();
    let file = dir.path().join("b.db");
    assert!(
        backup(&db, None, &file, &key).is_err(),
        "the hub's key is needed"
    );
    backup(&db, Some(&hub_key), &file, &key).unwrap();
    let other = tempfile::tempdir().unwrap();
    let restored = other.path().join("hub.db");
    restore(&file, &key, &restored, Some(&hub_key), chrono::Utc::now()).unwrap();
    assert!(SqliteStore::open(&restored).is_err(), "restored encrypted");
    let store = SqliteStore::open_with_key(&restored, Some(&hub_key)).unwrap();
    assert!(store.dashboard().is_some());
}
