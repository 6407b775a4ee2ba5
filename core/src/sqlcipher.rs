//! Opening an SQLCipher database with a raw 256-bit key, the same way for the phone's register
//! and the hub's database: the key as a blob literal (SQLCipher then skips its passphrase
//! derivation), SQLCipher's own stderr log silenced, and the key proven by a first read.

use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use rusqlite::Connection;

/// How long to wait for SQLCipher's start-up when another thread began it.
const START_WAIT: Duration = Duration::from_secs(10);

/// Makes SQLCipher ready before a connection uses it. SQLite marks itself initialised before it
/// runs SQLCipher's start-up hook, so a thread that opened its first connection in that window
/// found SQLCipher not started and `PRAGMA key` failed ("An error occurred with PRAGMA key"): CI
/// saw it once, and it came back in 6 of 200 runs of the encryption tests on a loaded machine.
/// The first caller here starts SQLite itself (which runs the hook before returning) while the
/// others wait on the lock; a key taken by an in-memory connection proves SQLCipher started.
pub fn ready() -> rusqlite::Result<()> {
    static STARTED: Mutex<bool> = Mutex::new(false);
    let mut started = STARTED.lock().unwrap_or_else(PoisonError::into_inner);
    if *started {
        return Ok(());
    }
    let since = Instant::now();
    loop {
        let probe = Connection::open_in_memory()?;
        probe.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        match probe.execute_batch(&format!("PRAGMA key = {};", key_literal(&[0; 32]))) {
            Ok(()) => break,
            // Someone else's first connection is still inside SQLCipher's start-up.
            Err(_) if since.elapsed() < START_WAIT => std::thread::sleep(Duration::from_millis(1)),
            Err(e) => return Err(e),
        }
    }
    *started = true;
    Ok(())
}

/// Opens (creating if needed) a database file once SQLCipher is ready: every file the phone and
/// the hub open goes through here, so `sqlcipher_export` and keys work on each connection.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    ready()?;
    Connection::open(path)
}

/// `"x'<hex>'"`: a raw key as SQLCipher's `PRAGMA key`, `PRAGMA rekey` and `ATTACH ... KEY` take it.
pub fn key_literal(key: &[u8]) -> String {
    format!("\"x'{}'\"", hex::encode(key))
}

/// Applies `key` (none for a plain database) to a connection just opened and reads once:
/// `Ok(false)` when the file does not open with it (a wrong key, a missing one, or a key for a
/// plain file: SQLCipher reports all three as "not a database").
pub fn unlock(conn: &Connection, key: Option<&[u8]>) -> rusqlite::Result<bool> {
    ready()?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    if let Some(key) = key {
        conn.execute_batch(&format!("PRAGMA key = {};", key_literal(key)))?;
    }
    match conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(true),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::NotADatabase =>
        {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}
