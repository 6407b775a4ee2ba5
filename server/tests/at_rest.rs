//! The hub's SQLite file encrypted at rest (SQLCipher): nothing readable in its files, opened
//! only with its key, a clear sentence without it or with another; and a plain database of an
//! existing hub encrypted in place without losing anything.

use chrono::Utc;
use gocua_hub::store::StoreError;
use gocua_hub::store::sqlite::cipher::{DbKey, encrypt_in_place};
use gocua_hub::{HubStore, SqliteStore, admin};

const NAME: &str = "Nguyễn Thị Bảo Ngọc";
const HAMLET: &str = "Thôn Đông Xuyên";

fn fill(store: &SqliteStore) {
    admin::add_coordinator(store, "coord", NAME, "00004", Utc::now()).unwrap();
    admin::create_area(store, "a", "Đông", "00004", &[HAMLET.into()]).unwrap();
}

/// The database's files (main, WAL, shared memory) that contain `needle`.
fn files_with(dir: &std::path::Path, needle: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let bytes = std::fs::read(p).unwrap_or_default();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .map(|p| p.display().to_string())
        .collect()
}

fn config_error(r: Result<SqliteStore, StoreError>) -> String {
    match r {
        Err(StoreError::Config(m)) => m,
        Err(e) => panic!("not a configuration error: {e}"),
        Ok(_) => panic!("opened"),
    }
}

#[test]
fn an_encrypted_hub_database_holds_nothing_readable_and_opens_only_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hub.db");
    let key = DbKey::generate();
    {
        let store = SqliteStore::open_with_key(&path, Some(&key)).unwrap();
        fill(&store);
        // The WAL still holds the writes here: it is encrypted too.
        assert!(files_with(dir.path(), NAME).is_empty());
        assert!(files_with(dir.path(), HAMLET).is_empty());
    }
    assert!(files_with(dir.path(), NAME).is_empty());

    let store = SqliteStore::open_with_key(&path, Some(&key)).unwrap();
    assert_eq!(
        store.coordinator_commune("coord").unwrap().as_deref(),
        Some("00004")
    );
    drop(store);
    let without = config_error(SqliteStore::open(&path));
    assert!(without.contains("the database is encrypted"), "{without}");
    let other = config_error(SqliteStore::open_with_key(&path, Some(&DbKey::generate())));
    assert!(other.contains("does not open with this key"), "{other}");
    assert!(!other.contains(NAME));
}

#[test]
fn a_plain_hub_database_is_encrypted_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hub.db");
    let hub_id = {
        let store = SqliteStore::open(&path).unwrap();
        fill(&store);
        store.hub_id().unwrap()
    };
    assert!(
        !files_with(dir.path(), NAME).is_empty(),
        "the scan finds it"
    );
    let key = DbKey::generate();
    encrypt_in_place(&path, &key).unwrap();
    assert!(files_with(dir.path(), NAME).is_empty());
    assert!(files_with(dir.path(), HAMLET).is_empty());
    let store = SqliteStore::open_with_key(&path, Some(&key)).unwrap();
    assert_eq!(store.hub_id().unwrap(), hub_id, "the same hub");
    assert_eq!(
        store.area("a").unwrap().unwrap().hamlets[0].name,
        HAMLET,
        "nothing lost"
    );
    drop(store);
    // Encrypting twice is refused plainly (it is not a plain database any more).
    let again = encrypt_in_place(&path, &key).unwrap_err().to_string();
    assert!(again.contains("the database is encrypted"), "{again}");
    assert!(SqliteStore::open_with_key(&path, Some(&key)).is_ok());
}

#[test]
fn a_key_file_is_written_once_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("key");
    let key = DbKey::generate();
    key.write_new_file(&file).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert!(
        key.write_new_file(&file).is_err(),
        "an existing key is never overwritten"
    );
    let path = dir.path().join("hub.db");
    SqliteStore::open_with_key(&path, Some(&key)).unwrap();
    let read = DbKey::read_file(&file).unwrap();
    SqliteStore::open_with_key(&path, Some(&read)).unwrap();
    for bad in ["", "zz", "00", &"0".repeat(66)] {
        assert!(DbKey::from_hex(bad).is_err(), "{bad:?}");
    }
}
