//! Backups of the embedded SQLite hub (issue 22): an online, consistent copy taken while the hub
//! serves, encrypted under a backup key the operator keeps (SQLCipher, the same 256-bit raw keys
//! as `--db-key-file`), and its restore. A backup is one read transaction of the live database
//! exported to a new file (`sqlcipher_export`): writers go on (WAL), and the copy is the state of
//! one instant. A restore checks the copy, writes it under the hub's own key beside the
//! database, and renames it into place; the hub's generation goes up by one, so that devices
//! can tell the hub was restored (`meta.generation`, `meta.restored_at`).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::cipher::{DbKey, unlock};
use crate::store::{StoreError, StoreResult};

/// How far a restore moves the hub's sequence numbers: more than any hub writes between a
/// backup and its restore (a commune writes thousands a day).
pub const SEQ_JUMP: u64 = 1_000_000_000_000;

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Database(format!("{}: {e}", path.display()))
}

fn sync_file(path: &Path) -> StoreResult<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| io(path, e))
}

fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::File::open(dir).and_then(|f| f.sync_all());
    }
}

/// Exports everything `conn` holds, as one read transaction, to a new database file `to`
/// under `key` (plain without one), with the same schema version; durable when it returns.
fn export(conn: &Connection, to: &Path, key: Option<&DbKey>) -> StoreResult<()> {
    let partial = partial_of(to);
    let _ = std::fs::remove_file(&partial);
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let key_sql = key.map(DbKey::pragma).unwrap_or_else(|| "''".into());
    conn.execute(
        &format!("ATTACH DATABASE ?1 AS backup KEY {key_sql}"),
        [partial.to_string_lossy()],
    )?;
    let exported = (|| -> StoreResult<()> {
        conn.execute_batch("BEGIN")?;
        let done = conn
            .query_row("SELECT sqlcipher_export('backup')", [], |_| Ok(()))
            .and_then(|()| conn.execute_batch(&format!("PRAGMA backup.user_version = {version};")));
        conn.execute_batch(if done.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
        Ok(done?)
    })();
    conn.execute_batch("DETACH DATABASE backup")?;
    if let Err(e) = exported {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    sync_file(&partial)?;
    std::fs::rename(&partial, to).map_err(|e| io(to, e))?;
    sync_dir(to);
    Ok(())
}

fn partial_of(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".partial");
    PathBuf::from(p)
}

/// What a backup holds, for the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub hub_id: String,
    pub generation: i64,
    pub documents: i64,
}

fn info(conn: &Connection, schema: &str) -> StoreResult<BackupInfo> {
    let meta = |key: &str| -> StoreResult<Option<String>> {
        Ok(conn
            .query_row(
                &format!("SELECT value FROM {schema}.meta WHERE key = ?1"),
                [key],
                |r| r.get(0),
            )
            .ok())
    };
    Ok(BackupInfo {
        hub_id: meta("hub_id")?.unwrap_or_default(),
        generation: meta("generation")?
            .and_then(|g| g.parse().ok())
            .unwrap_or(0),
        documents: conn.query_row(&format!("SELECT COUNT(*) FROM {schema}.docs"), [], |r| {
            r.get(0)
        })?,
    })
}

/// Writes a consistent copy of the hub's database `db` (opened with `db_key`) to `to`,
/// encrypted under `backup_key`, while the hub may be serving. Refuses to overwrite a file.
pub fn backup(
    db: &Path,
    db_key: Option<&DbKey>,
    to: &Path,
    backup_key: &DbKey,
) -> StoreResult<BackupInfo> {
    if to.exists() {
        return Err(StoreError::Config(format!(
            "{} đã có: chọn tên tệp khác / {} exists: choose another name",
            to.display(),
            to.display()
        )));
    }
    let conn = gocua_core::sqlcipher::open(db)?;
    unlock(&conn, db_key)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    export(&conn, to, Some(backup_key))?;
    // The copy opens under its key and holds what it should.
    let check = gocua_core::sqlcipher::open(to)?;
    unlock(&check, Some(backup_key))?;
    info(&check, "main")
}

/// Restores the backup `from` (under `backup_key`) as the hub's database `db` (under `db_key`,
/// plain without one). The hub must be stopped. An existing database is kept beside it as
/// `hub.db.before-restore-<time>`. The restored hub's generation is the backup's plus one.
pub fn restore(
    from: &Path,
    backup_key: &DbKey,
    db: &Path,
    db_key: Option<&DbKey>,
    now: DateTime<Utc>,
) -> StoreResult<BackupInfo> {
    let conn = gocua_core::sqlcipher::open(from)?;
    unlock(&conn, Some(backup_key)).map_err(|_| {
        StoreError::Config(
            "không mở được bản sao lưu bằng khoá này (sai khoá, hoặc tệp hỏng) / the backup does not open with this key (a wrong key, or a damaged file)".into(),
        )
    })?;
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(StoreError::Config(
            "bản sao lưu bị hỏng / the backup is damaged".into(),
        ));
    }
    let before = info(&conn, "main")?;
    let staged = db.with_extension("db.restoring");
    let _ = std::fs::remove_file(&staged);
    export(&conn, &staged, db_key)?;
    drop(conn);
    {
        let restored = gocua_core::sqlcipher::open(&staged)?;
        unlock(&restored, db_key)?;
        let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        restored.execute_batch("BEGIN")?;
        // Phones that synced after the backup hold cursors past its sequence numbers: without
        // a jump, what the restored hub writes next would sit behind their cursors and never
        // reach them. Every number moves past any cursor of the old timeline (order kept), so
        // each phone also looks at every household of its area once more.
        restored.execute_batch(&format!(
            "UPDATE docs SET seq = seq + {SEQ_JUMP};
             UPDATE doc_epochs SET seq = seq + {SEQ_JUMP};
             UPDATE merges SET keep_seq = keep_seq + {SEQ_JUMP}, other_seq = other_seq + {SEQ_JUMP};"
        ))?;
        for (key, value) in [
            ("generation", (before.generation + 1).to_string()),
            ("restored_at", stamp),
        ] {
            restored.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value.as_str()],
            )?;
        }
        restored.execute_batch("COMMIT")?;
    }
    sync_file(&staged)?;
    if db.exists() {
        let aside = db.with_extension(format!(
            "db.before-restore-{}",
            now.format("%Y%m%dT%H%M%SZ")
        ));
        std::fs::rename(db, &aside).map_err(|e| io(db, e))?;
    }
    for suffix in ["-wal", "-shm"] {
        let mut side = db.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(Path::new(&side));
    }
    std::fs::rename(&staged, db).map_err(|e| io(db, e))?;
    sync_dir(db);
    Ok(BackupInfo {
        generation: before.generation + 1,
        ..before
    })
}
