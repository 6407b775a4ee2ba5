//! Opening an SQLCipher database with a raw 256-bit key, the same way for the phone's register
//! and the hub's database: the key as a blob literal (SQLCipher then skips its passphrase
//! derivation), SQLCipher's own stderr log silenced, and the key proven by a first read.

use rusqlite::Connection;

/// `"x'<hex>'"`: a raw key as SQLCipher's `PRAGMA key`, `PRAGMA rekey` and `ATTACH ... KEY` take it.
pub fn key_literal(key: &[u8]) -> String {
    format!("\"x'{}'\"", hex::encode(key))
}

/// Applies `key` (none for a plain database) to a connection just opened and reads once:
/// `Ok(false)` when the file does not open with it (a wrong key, a missing one, or a key for a
/// plain file: SQLCipher reports all three as "not a database").
pub fn unlock(conn: &Connection, key: Option<&[u8]>) -> rusqlite::Result<bool> {
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
