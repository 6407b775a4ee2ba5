//! The hub's SQLite file encrypted at rest (SQLCipher, which the workspace's rusqlite is built
//! with): a raw 256-bit key from a file or the environment, never a passphrase, never logged.
//! Optional: a commune office whose disk is already encrypted may go without. docs/deploy.md.

use std::path::Path;

use rusqlite::Connection;

use crate::store::{StoreError, StoreResult};

/// The environment variable that names a key file (as `--db-key-file`).
pub const KEY_FILE_ENV: &str = "GOCUA_HUB_DB_KEY_FILE";
/// The environment variable that holds the key itself (64 hex characters).
pub const KEY_ENV: &str = "GOCUA_HUB_DB_KEY";

/// A key for the hub's database: 32 bytes.
#[derive(Clone)]
pub struct DbKey([u8; 32]);

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(..)")
    }
}

fn key_error(detail: &str) -> StoreError {
    StoreError::Config(format!(
        "khoá cơ sở dữ liệu không hợp lệ: {detail} / invalid database key: {detail} (64 hex characters)"
    ))
}

impl DbKey {
    pub fn generate() -> Self {
        Self(rand::random())
    }

    pub fn from_hex(text: &str) -> StoreResult<Self> {
        let bytes = hex::decode(text.trim()).map_err(|_| key_error("not hex"))?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| key_error("not 32 bytes"))?;
        Ok(Self(key))
    }

    pub fn read_file(path: &Path) -> StoreResult<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => {
                key_error(&format!("{} is not a key file", path.display()))
            }
            _ => StoreError::Config(format!("{}: {e}", path.display())),
        })?;
        Self::from_hex(&text)
    }

    /// The key given by [`KEY_ENV`] or [`KEY_FILE_ENV`], if any.
    pub fn from_env() -> StoreResult<Option<Self>> {
        if let Some(hex) = std::env::var(KEY_ENV).ok().filter(|v| !v.is_empty()) {
            return Self::from_hex(&hex).map(Some);
        }
        match std::env::var(KEY_FILE_ENV).ok().filter(|v| !v.is_empty()) {
            Some(path) => Self::read_file(Path::new(&path)).map(Some),
            None => Ok(None),
        }
    }

    /// Writes the key as hex to a new file readable by its owner only.
    pub fn write_new_file(&self, path: &Path) -> StoreResult<()> {
        crate::store::write_private_new(path, &format!("{}\n", hex::encode(self.0)))
    }

    pub(super) fn pragma(&self) -> String {
        gocua_core::sqlcipher::key_literal(&self.0)
    }
}

/// Applies the key (or none) to a connection just opened, and proves it with a first read.
pub(super) fn unlock(conn: &Connection, key: Option<&DbKey>) -> StoreResult<()> {
    if gocua_core::sqlcipher::unlock(conn, key.map(|k| k.0.as_slice()))? {
        Ok(())
    } else {
        Err(StoreError::Config(match key {
                Some(_) => "không mở được cơ sở dữ liệu bằng khoá này (sai khoá, hoặc tệp không mã hoá) / the database does not open with this key (a wrong key, or a file that is not encrypted)".into(),
                None => "cơ sở dữ liệu đã mã hoá: cần khoá (--db-key-file hoặc GOCUA_HUB_DB_KEY_FILE) / the database is encrypted: give its key (--db-key-file or GOCUA_HUB_DB_KEY_FILE)".into(),
        }))
    }
}

/// Encrypts a hub's plain database file in place under `key`: an encrypted copy is written
/// beside it (`sqlcipher_export`), made durable, then renamed over the original, so a crash
/// leaves either the plain file or the encrypted one, never half of each.
pub fn encrypt_in_place(path: &Path, key: &DbKey) -> StoreResult<()> {
    let tmp = path.with_extension("db.encrypting");
    let _ = std::fs::remove_file(&tmp);
    {
        let conn = gocua_core::sqlcipher::open(path)?;
        unlock(&conn, None)?;
        // Everything into the main file first: the export reads the database, not its WAL.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        conn.execute(
            &format!("ATTACH DATABASE ?1 AS encrypted KEY {}", key.pragma()),
            [tmp.to_string_lossy()],
        )?;
        conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        conn.execute_batch(&format!("PRAGMA encrypted.user_version = {version};"))?;
        conn.execute_batch("DETACH DATABASE encrypted;")?;
    }
    let sync = |p: &Path| std::fs::File::open(p).and_then(|f| f.sync_all());
    sync(&tmp).map_err(|e| StoreError::Database(e.to_string()))?;
    std::fs::rename(&tmp, path).map_err(|e| StoreError::Database(e.to_string()))?;
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(Path::new(&side));
    }
    if let Some(dir) = path.parent() {
        let _ = sync(dir);
    }
    Ok(())
}
