//! The hub's SQLite store: embedded, no set-up. WAL with `synchronous = FULL`: a method that
//! returned has its transaction on disk. Its dashboard queries are in `dashboard.rs`, its query
//! tables in `index.rs`; concurrency as every store's (`store/mod.rs`): writes of documents
//! run in `BEGIN IMMEDIATE` transactions that check each document's expected sequence number.

mod activity;
pub mod backup;
mod bundles;
pub mod cipher;
mod dashboard;
mod erase_requests;
mod index;
mod pairing;
mod refill;
mod rows;
mod targets;
mod team;

use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use gocua_core::sync::merge::{heads_from_blob, heads_to_blob};
use gocua_core::sync::wire::{AreaInfo, DocEpoch, Head, SessionOutcome};
use rusqlite::{Connection, OptionalExtension, params};

use crate::store::query::SessionRow;
use crate::store::*;
use crate::time::ts;
use rows::{doc_tables, max_seq, write_device_heads};

/// Makes `path` (created empty if missing, so that SQLite creates its WAL and shared-memory files
/// with the same mode) and any WAL and shared-memory file of it 0600.
#[cfg(unix)]
fn private_files(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = Path::new(&name);
        if file.exists() {
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn private_files(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// The schema's migrations, in order: (version, SQL); the version is `PRAGMA user_version`.
/// Append only: a migration, once released, is never changed.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../../migrations/sqlite/0001_init.sql")),
    (
        2,
        include_str!("../../../migrations/sqlite/0002_device_wiped.sql"),
    ),
    (
        3,
        include_str!("../../../migrations/sqlite/0003_erase_requests.sql"),
    ),
    (
        4,
        include_str!("../../../migrations/sqlite/0004_clock_skew.sql"),
    ),
    (
        5,
        include_str!("../../../migrations/sqlite/0005_merges.sql"),
    ),
    (
        6,
        include_str!("../../../migrations/sqlite/0006_refill.sql"),
    ),
    (
        7,
        include_str!("../../../migrations/sqlite/0007_pairing_cancel.sql"),
    ),
    (
        8,
        include_str!("../../../migrations/sqlite/0008_hamlet_targets.sql"),
    ),
    (
        9,
        include_str!("../../../migrations/sqlite/0009_coordinator_role.sql"),
    ),
    (
        10,
        include_str!("../../../migrations/sqlite/0010_hamlet_retired.sql"),
    ),
    (
        11,
        include_str!("../../../migrations/sqlite/0011_pending_imports.sql"),
    ),
    (
        12,
        include_str!("../../../migrations/sqlite/0012_device_paused.sql"),
    ),
    (
        13,
        include_str!("../../../migrations/sqlite/0013_bundles.sql"),
    ),
];

/// Brings the schema to the latest version, each migration in its own transaction with the
/// version it sets; refuses a database of a newer hub.
fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let supported = MIGRATIONS.last().map_or(0, |(v, _)| *v);
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

/// The schema version of a store's database (`PRAGMA user_version`).
pub fn schema_version(path: &Path) -> StoreResult<i64> {
    let conn = gocua_core::sqlcipher::open(path)?;
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// One row of `SELECT session_id, device_id, volunteer_id, started_at, ended_at, outcome, docs_up,
/// bytes_up, docs_down, bytes_down, rejected, pending_before, pending_after, error`.
pub(crate) fn session_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        session_id: r.get::<_, i64>(0)? as u64,
        device_id: r.get(1)?,
        volunteer_id: r.get(2)?,
        started_at: r.get(3)?,
        ended_at: r.get(4)?,
        outcome: r.get(5)?,
        docs_up: r.get(6)?,
        bytes_up: r.get::<_, i64>(7)? as u64,
        docs_down: r.get(8)?,
        bytes_down: r.get::<_, i64>(9)? as u64,
        rejected: r.get(10)?,
        pending_before: r.get(11)?,
        pending_after: r.get(12)?,
        error: r.get(13)?,
    })
}

/// Fails with [`StoreError::ChangedMeanwhile`] when the stored document's sequence number is not
/// the one `w` was merged from (run inside the write's transaction).
/// (`must_exist`: a document that is gone changed too).
pub(super) fn check_seq(c: &Connection, w: &DocWrite, must_exist: bool) -> StoreResult<()> {
    let current: Option<i64> = c
        .prepare_cached("SELECT seq FROM docs WHERE doc_id = ?1")?
        .query_row([&w.id], |r| r.get(0))
        .optional()?;
    if (must_exist && current.is_none()) || current.map(|s| s as u64) != w.expected_seq {
        return Err(StoreError::ChangedMeanwhile { id: w.id.clone() });
    }
    Ok(())
}

pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (or creates) the hub's database. The file and its WAL and shared-memory files are
    /// made readable by the hub's user only (0600: they hold names, ID numbers and phones); the
    /// folder is made 0700 when the hub creates it (`gocua-hub --data`).
    pub fn open(path: &Path) -> StoreResult<Self> {
        Self::open_with_key(path, None)
    }

    /// [`SqliteStore::open`], encrypted at rest under `key` when one is given (SQLCipher; see
    /// [`cipher`]). A database made with a key opens only with it.
    pub fn open_with_key(path: &Path, key: Option<&cipher::DbKey>) -> StoreResult<Self> {
        private_files(path).map_err(|e| StoreError::Database(format!("file mode: {e}")))?;
        let conn = gocua_core::sqlcipher::open(path)?;
        cipher::unlock(&conn, key)?;
        Self::init(conn)
    }

    pub fn open_in_memory() -> StoreResult<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> StoreResult<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // Deleted rows are overwritten with zeros: an erased household leaves no trace in free
        // pages (docs/SECURITY.md).
        conn.pragma_update(None, "secure_delete", "ON")?;
        migrate(&mut conn)?;
        index::ensure(&mut conn)?;
        let id = format!("hub-{}", hex::encode(rand::random::<[u8; 8]>()));
        conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('hub_id', ?1)",
            [id],
        )?;
        // Made with the hub, so that every backup carries it.
        refill::erasure_key(&conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    }
}

fn area_of(conn: &Connection, area_id: &str) -> StoreResult<Option<AreaInfo>> {
    let row: Option<(String, String, String, String)> = conn
        .query_row(
            "SELECT name, province, commune, hamlets_json FROM areas WHERE area_id = ?1",
            [area_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((name, province_code, commune_code, hamlets)) = row else {
        return Ok(None);
    };
    let hamlets: Vec<gocua_core::sync::wire::HamletInfo> =
        serde_json::from_str(&hamlets).map_err(|_| StoreError::Corrupt {
            what: "area hamlets",
        })?;
    Ok(Some(AreaInfo {
        area_id: area_id.to_owned(),
        name,
        province_code,
        commune_code,
        hamlets,
    }))
}

fn device_row(
    conn: &Connection,
    where_clause: &str,
    key: &str,
) -> StoreResult<Option<DeviceRecord>> {
    type Row = (String, String, String, Option<String>, u32, Option<String>);
    let row: Option<Row> = conn
        .query_row(&format!("SELECT device_id, volunteer_id, area_id, revoked_at, refill_budget, paused_at FROM devices WHERE {where_clause} = ?1"), [key], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .optional()?;
    let Some((device_id, volunteer_id, area_id, revoked, refill_budget, paused)) = row else {
        return Ok(None);
    };
    let area = area_of(conn, &area_id)?.ok_or(StoreError::UnknownArea)?;
    Ok(Some(DeviceRecord {
        device_id,
        volunteer_id,
        area,
        revoked: revoked.is_some(),
        paused: paused.is_some(),
        refill_budget,
    }))
}

impl HubStore for SqliteStore {
    fn dashboard(&self) -> Option<&dyn DashboardStore> {
        Some(self)
    }

    fn lineage(&self) -> StoreResult<(i64, Option<String>)> {
        self.with(|c| {
            let meta = |key: &str| -> rusqlite::Result<Option<String>> {
                c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                    .optional()
            };
            let generation = meta("generation")?
                .and_then(|g| g.parse().ok())
                .unwrap_or(0);
            Ok((generation, meta("restored_at")?))
        })
    }

    fn mark_restored(&self, _at: DateTime<Utc>) -> StoreResult<i64> {
        Err(StoreError::Config(
            "hub SQLite được khôi phục bằng `gocua-hub restore` / an SQLite hub is restored with `gocua-hub restore`".into(),
        ))
    }

    fn adopt_identity(&self, hub_id: &str, erasure_key: &[u8; 32]) -> StoreResult<()> {
        self.with(|c| refill::adopt_identity(c, hub_id, erasure_key))
    }

    fn set_refill_budget(&self, device_id: &str, docs: u32) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE devices SET refill_budget = ?2 WHERE device_id = ?1",
                params![device_id, docs],
            )?;
            Ok(())
        })
    }

    fn spend_refill(&self, device_id: &str, docs: u32) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE devices SET refill_budget = MAX(refill_budget - ?2, 0) WHERE device_id = ?1",
                params![device_id, docs],
            )?;
            Ok(())
        })
    }

    fn current_seq(&self) -> StoreResult<u64> {
        self.with(|c| refill::current_seq(c))
    }

    fn erasure_key(&self) -> StoreResult<[u8; 32]> {
        self.with(|c| refill::erasure_key(c))
    }

    fn area_heads(&self, area: &AreaInfo) -> StoreResult<Vec<(String, Vec<Head>)>> {
        self.with(|c| refill::area_heads(c, area))
    }

    fn set_device_heads(&self, device_id: &str, docs: &[(String, Vec<Head>)]) -> StoreResult<()> {
        self.with(|c| refill::set_device_heads(c, device_id, docs))
    }

    fn reinstate_erasure(
        &self,
        erasure: &DocEpoch,
        commune: &str,
        hamlet: &str,
        at: DateTime<Utc>,
        actor: &str,
    ) -> StoreResult<bool> {
        self.with(|c| refill::reinstate_erasure(c, erasure, commune, hamlet, at, actor))
    }

    fn hub_id(&self) -> StoreResult<String> {
        self.with(|c| {
            Ok(
                c.query_row("SELECT value FROM meta WHERE key = 'hub_id'", [], |r| {
                    r.get(0)
                })?,
            )
        })
    }

    fn add_coordinator(
        &self,
        id: &str,
        name: &str,
        commune: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO coordinators (coordinator_id, name, commune, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, name, commune, ts(at)],
            )?;
            Ok(())
        })
    }

    fn coordinator_commune(&self, id: &str) -> StoreResult<Option<String>> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT commune FROM coordinators WHERE coordinator_id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?)
        })
    }

    fn put_area(&self, area: &AreaInfo) -> StoreResult<()> {
        self.with(|c| {
            let tx = c.transaction()?;
            let hamlets = serde_json::to_string(&area.hamlets).map_err(|_| StoreError::OutOfRange { what: "hamlet list" })?;
            tx.execute(
                "INSERT OR REPLACE INTO areas (area_id, name, province, commune, hamlets_json) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![area.area_id, area.name, area.province_code, area.commune_code, hamlets],
            )?;
            for h in &area.hamlets {
                tx.execute("INSERT OR REPLACE INTO hamlets (commune, hamlet_id, name) VALUES (?1, ?2, ?3)", params![area.commune_code, h.id, h.name])?;
            }
            // The area's devices drop the households of hamlets that left it (core/src/sync/
            // area.rs): forget that they hold them, so they are sent whole if the hamlets return.
            let ids: Vec<&str> = area.hamlets.iter().map(|h| h.id.as_str()).collect();
            let ids = serde_json::to_string(&ids).map_err(|_| StoreError::OutOfRange { what: "hamlet list" })?;
            tx.execute(
                "DELETE FROM device_docs
                 WHERE device_id IN (SELECT device_id FROM devices WHERE area_id = ?1)
                   AND doc_id IN (SELECT doc_id FROM docs
                                  WHERE commune <> ?2 OR hamlet NOT IN (SELECT value FROM json_each(?3)))",
                params![area.area_id, area.commune_code, ids],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn area(&self, area_id: &str) -> StoreResult<Option<AreaInfo>> {
        self.with(|c| area_of(c, area_id))
    }

    fn issue_pairing(&self, p: &Pairing) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO pairing_codes (code_hash, volunteer_id, area_id, coordinator_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![p.code_hash, p.volunteer_id, p.area_id, p.coordinator_id, ts(p.created_at), ts(p.expires_at)],
            )?;
            Ok(())
        })
    }

    fn redeem_pairing(
        &self,
        code_hash: &str,
        now: DateTime<Utc>,
        device_id: &str,
        volunteer_id: &str,
        commune: &str,
        token_hash: &str,
    ) -> StoreResult<Result<DeviceRecord, RedeemError>> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let row: Option<(String, String, String, Option<String>)> = tx
                .query_row("SELECT volunteer_id, area_id, expires_at, COALESCE(used_at, cancelled_at) FROM pairing_codes WHERE code_hash = ?1", [code_hash], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            let Some((code_volunteer, area_id, expires, used)) = row else { return Ok(Err(RedeemError::Invalid)) };
            let expired = DateTime::parse_from_rfc3339(&expires).map(|e| e.with_timezone(&Utc) <= now).unwrap_or(true);
            if used.is_some() || expired {
                return Ok(Err(RedeemError::Invalid));
            }
            let area = area_of(&tx, &area_id)?.ok_or(StoreError::UnknownArea)?;
            if code_volunteer != volunteer_id || area.commune_code != commune {
                return Ok(Err(RedeemError::Mismatch));
            }
            let exists: bool = tx.query_row("SELECT COUNT(*) FROM devices WHERE device_id = ?1", [device_id], |r| r.get::<_, i64>(0))? > 0;
            if exists {
                return Ok(Err(RedeemError::DeviceExists));
            }
            tx.execute("UPDATE pairing_codes SET used_at = ?2, used_by = ?3 WHERE code_hash = ?1", params![code_hash, ts(now), device_id])?;
            tx.execute(
                "INSERT INTO devices (device_id, token_hash, volunteer_id, area_id, enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![device_id, token_hash, volunteer_id, area_id, ts(now)],
            )?;
            tx.commit()?;
            Ok(Ok(DeviceRecord { device_id: device_id.to_owned(), volunteer_id: volunteer_id.to_owned(), area, revoked: false, paused: false, refill_budget: 0 }))
        })
    }

    fn set_coordinator_role(&self, id: &str, role: Role) -> StoreResult<bool> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE coordinators SET role = ?2 WHERE coordinator_id = ?1",
                params![id, role.code()],
            )? > 0)
        })
    }

    fn retire_hamlet(
        &self,
        commune: &str,
        hamlet_id: &str,
        merged_into: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.with(|c| team::retire_hamlet(c, commune, hamlet_id, merged_into, at))
    }

    fn merged_hamlets(&self, area: &AreaInfo) -> StoreResult<Vec<MergedHamlet>> {
        self.with(|c| team::merged_into_area(c, &area.commune_code, &area.hamlets))
    }

    fn hamlet_docs(&self, commune: &str, hamlet_id: &str) -> StoreResult<Vec<String>> {
        self.with(|c| team::hamlet_docs(c, commune, hamlet_id))
    }

    fn put_pending_import(
        &self,
        token_hash: &str,
        coordinator: &str,
        file: &[u8],
        at: DateTime<Utc>,
        purge_before: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.with(|c| {
            c.execute("DELETE FROM pending_imports WHERE created_at < ?1", [ts(purge_before)])?;
            c.execute(
                "INSERT INTO pending_imports (token_hash, coordinator_id, created_at, file) VALUES (?1, ?2, ?3, ?4)",
                params![token_hash, coordinator, ts(at), file],
            )?;
            Ok(())
        })
    }

    fn take_pending_import(
        &self,
        token_hash: &str,
        coordinator: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<Option<Vec<u8>>> {
        self.with(|c| {
            let file = c
                .query_row(
                    "DELETE FROM pending_imports WHERE token_hash = ?1 AND coordinator_id = ?2 AND created_at >= ?3 RETURNING file",
                    params![token_hash, coordinator, ts(since)],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(file)
        })
    }

    fn coordinators(&self, commune: &str) -> StoreResult<Vec<CoordinatorRow>> {
        self.with(|c| team::coordinators(c, commune))
    }

    fn remove_coordinator(&self, id: &str) -> StoreResult<bool> {
        self.with(|c| team::remove_coordinator(c, id))
    }

    fn bundle_device(
        &self,
        device_id: &str,
    ) -> StoreResult<Option<(DeviceRecord, Option<String>)>> {
        self.with(|c| {
            let Some(device) = device_row(c, "device_id", device_id)? else {
                return Ok(None);
            };
            Ok(Some((device, bundles::bundle_keys(c, device_id)?)))
        })
    }

    fn bundle_peers(&self, area_id: &str) -> StoreResult<Vec<(String, String, String)>> {
        self.with(|c| bundles::bundle_peers(c, area_id))
    }

    fn set_bundle_keys(&self, device_id: &str, keys: &str) -> StoreResult<()> {
        self.with(|c| bundles::set_bundle_keys(c, device_id, keys))
    }

    fn bundle_applied(&self, bundle_id: &str) -> StoreResult<bool> {
        self.with(|c| bundles::bundle_applied(c, bundle_id))
    }

    fn record_bundle(&self, receipt: &BundleReceipt, answer: Option<&[u8]>) -> StoreResult<()> {
        self.with(|c| bundles::record_bundle(c, receipt, answer))
    }

    fn bundles_received(&self, commune: &str, limit: u32) -> StoreResult<Vec<BundleReceipt>> {
        self.with(|c| bundles::bundles_received(c, commune, limit))
    }

    fn bundle_answer(
        &self,
        commune: &str,
        receipt_id: i64,
    ) -> StoreResult<Option<(String, Vec<u8>)>> {
        self.with(|c| bundles::bundle_answer(c, commune, receipt_id))
    }

    fn set_device_paused(&self, device_id: &str, at: Option<DateTime<Utc>>) -> StoreResult<bool> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE devices SET paused_at = ?2 WHERE device_id = ?1 AND revoked_at IS NULL",
                params![device_id, at.map(ts)],
            )? > 0)
        })
    }

    fn move_device(&self, device_id: &str, area_id: &str) -> StoreResult<bool> {
        self.with(|c| team::move_device(c, device_id, area_id))
    }

    fn set_hamlet_target(
        &self,
        commune: &str,
        hamlet_id: &str,
        expected: Option<u32>,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.with(|c| targets::set_hamlet_target(c, commune, hamlet_id, expected, by, at))
    }

    fn pairings(&self, commune: &str, limit: u32) -> StoreResult<Vec<PairingRow>> {
        self.with(|c| pairing::pairings(c, commune, limit))
    }

    fn cancel_pairing(
        &self,
        commune: &str,
        reference: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.with(|c| pairing::cancel_pairing(c, commune, reference, by, at))
    }

    fn revoke_device(&self, device_id: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE devices SET revoked_at = ?2 WHERE device_id = ?1 AND revoked_at IS NULL",
                params![device_id, ts(at)],
            )? > 0)
        })
    }

    fn record_wipe(&self, device_id: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE devices SET wiped_at = ?2
                 WHERE device_id = ?1 AND revoked_at IS NOT NULL AND wiped_at IS NULL",
                params![device_id, ts(at)],
            )? > 0)
        })
    }

    fn record_clock_skew(&self, device_id: &str, skew_secs: i64) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE devices SET clock_skew_secs = ?2 WHERE device_id = ?1",
                params![device_id, skew_secs],
            )?;
            Ok(())
        })
    }

    fn device_by_token_hash(&self, token_hash: &str) -> StoreResult<Option<DeviceRecord>> {
        // Looked up by a prefix of the hash (the index), then the whole hash compared in constant
        // time: the lookup's timing tells at most a prefix of a SHA-256, never the token.
        if token_hash.len() != 64 {
            return Ok(None);
        }
        let prefix = &token_hash[..16];
        self.with(|c| {
            let candidates: Vec<(String, String)> = {
                let mut stmt = c.prepare_cached(
                    "SELECT device_id, token_hash FROM devices WHERE token_hash >= ?1 AND token_hash < ?2",
                )?;
                stmt.query_map(params![prefix, format!("{prefix}~")], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?
            };
            for (device, stored) in candidates {
                if crate::limit::ct_eq(stored.as_bytes(), token_hash.as_bytes()) {
                    return device_row(c, "device_id", &device);
                }
            }
            Ok(None)
        })
    }

    fn load_doc(&self, id: &str) -> StoreResult<Option<DocRecord>> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT bytes, commune, hamlet, seq, heads FROM docs WHERE doc_id = ?1",
                [id],
                |r| {
                    Ok(DocRecord {
                        bytes: r.get(0)?,
                        commune: r.get(1)?,
                        hamlet: r.get(2)?,
                        seq: r.get::<_, i64>(3)? as u64,
                        heads: heads_from_blob(&r.get::<_, Vec<u8>>(4)?),
                    })
                },
            )
            .optional()?)
        })
    }

    fn commit_push(
        &self,
        device_id: &str,
        writes: &[DocWrite],
        device_heads: &[(String, Vec<Head>)],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            for w in writes {
                check_seq(&tx, w, false)?;
            }
            let mut seq: i64 = max_seq(&tx)?;
            for w in writes {
                seq += 1;
                tx.execute(
                    "INSERT INTO docs (doc_id, commune, hamlet, seq, heads, bytes, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT (doc_id) DO UPDATE SET commune = ?2, hamlet = ?3, seq = ?4, heads = ?5, bytes = ?6, updated_at = ?7, updated_by = ?8",
                    params![w.id, w.commune, w.hamlet, seq, heads_to_blob(&w.heads), w.bytes, ts(at), device_id],
                )?;
                index::write_rows(&tx, &w.id, Some(&w.rows))?;
            }
            write_device_heads(&tx, device_id, device_heads)?;
            tx.commit()?;
            Ok(())
        })
    }

    fn changed_since(
        &self,
        area: &AreaInfo,
        cursor: u64,
        limit: usize,
    ) -> StoreResult<(Vec<(String, u64)>, u64)> {
        self.with(|c| {
            let max: i64 = max_seq(c)?;
            let hamlets: Vec<&str> = area.hamlets.iter().map(|h| h.id.as_str()).collect();
            let hamlets = serde_json::to_string(&hamlets).map_err(|_| StoreError::OutOfRange {
                what: "hamlet list",
            })?;
            let mut stmt = c.prepare_cached(
                "SELECT doc_id, seq FROM docs WHERE commune = ?1 AND seq > ?2
                   AND (?3 = '[]' OR hamlet IN (SELECT value FROM json_each(?3)))
                 ORDER BY seq LIMIT ?4",
            )?;
            let rows = stmt
                .query_map(
                    params![area.commune_code, cursor as i64, hamlets, limit as i64],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((rows, max as u64))
        })
    }

    fn device_heads(&self, device_id: &str, doc_id: &str) -> StoreResult<Vec<Head>> {
        self.with(|c| {
            let blob: Option<Vec<u8>> = c
                .query_row(
                    "SELECT heads FROM device_docs WHERE device_id = ?1 AND doc_id = ?2",
                    params![device_id, doc_id],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(blob.map(|b| heads_from_blob(&b)).unwrap_or_default())
        })
    }

    fn doc_count(&self) -> StoreResult<u64> {
        self.with(|c| {
            Ok(c.query_row("SELECT COUNT(*) FROM docs", [], |r| r.get::<_, i64>(0))? as u64)
        })
    }

    fn doc_ids(&self) -> StoreResult<Vec<(String, String, String)>> {
        self.with(|c| {
            let mut stmt = c.prepare("SELECT doc_id, commune, hamlet FROM docs ORDER BY doc_id")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn start_session(
        &self,
        device: &DeviceRecord,
        at: DateTime<Utc>,
        pending: u32,
    ) -> StoreResult<u64> {
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO sessions (device_id, volunteer_id, started_at, pending_before) VALUES (?1, ?2, ?3, ?4)",
                params![device.device_id, device.volunteer_id, ts(at), pending],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute("UPDATE devices SET last_seen_at = ?2, pending_docs = ?3 WHERE device_id = ?1", params![device.device_id, ts(at), pending])?;
            tx.commit()?;
            Ok(id as u64)
        })
    }

    fn session_device(&self, session: u64) -> StoreResult<Option<(String, bool)>> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT device_id, ended_at IS NOT NULL FROM sessions WHERE session_id = ?1",
                [session as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
        })
    }

    fn record_traffic(
        &self,
        session: u64,
        t: &Traffic,
        sent: &[(String, Vec<Head>)],
        rejections: &[(String, String)],
    ) -> StoreResult<()> {
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "UPDATE sessions SET docs_up = docs_up + ?2, bytes_up = bytes_up + ?3, docs_down = docs_down + ?4,
                 bytes_down = bytes_down + ?5, rejected = rejected + ?6 WHERE session_id = ?1",
                params![session as i64, t.docs_up, t.bytes_up as i64, t.docs_down, t.bytes_down as i64, t.rejected],
            )?;
            for (doc, heads) in sent {
                tx.execute(
                    "INSERT OR REPLACE INTO session_sent (session_id, doc_id, heads) VALUES (?1, ?2, ?3)",
                    params![session as i64, doc, heads_to_blob(heads)],
                )?;
            }
            for (doc, code) in rejections {
                tx.execute("INSERT INTO rejections (session_id, doc_id, code) VALUES (?1, ?2, ?3)", params![session as i64, doc, code])?;
            }
            tx.commit()?;
            Ok(())
        })
    }

    fn finish_session(
        &self,
        session: u64,
        device_id: &str,
        outcome: SessionOutcome,
        at: DateTime<Utc>,
        pending_after: u32,
        error: Option<&str>,
    ) -> StoreResult<()> {
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "UPDATE sessions SET ended_at = ?2, outcome = ?3, pending_after = ?4, error = ?5 WHERE session_id = ?1 AND ended_at IS NULL",
                params![session as i64, ts(at), outcome.code(), pending_after, error],
            )?;
            let stored = matches!(outcome, SessionOutcome::Success | SessionOutcome::Partial);
            if stored {
                tx.execute(
                    "INSERT OR REPLACE INTO device_docs (device_id, doc_id, heads) SELECT ?2, doc_id, heads FROM session_sent WHERE session_id = ?1",
                    params![session as i64, device_id],
                )?;
            }
            tx.execute("DELETE FROM session_sent WHERE session_id = ?1", [session as i64])?;
            let last_error = match outcome {
                SessionOutcome::Success => None,
                SessionOutcome::Partial => Some("partial: some documents rejected".to_owned()),
                other => Some(error.map(|e| format!("{}: {e}", other.code())).unwrap_or_else(|| other.code().to_owned())),
            };
            if stored {
                tx.execute(
                    "UPDATE devices SET last_seen_at = ?2, last_success_at = ?2, pending_docs = ?3, last_error = ?4 WHERE device_id = ?1",
                    params![device_id, ts(at), pending_after, last_error],
                )?;
            } else {
                tx.execute(
                    "UPDATE devices SET last_seen_at = ?2, pending_docs = ?3, last_error = ?4 WHERE device_id = ?1",
                    params![device_id, ts(at), pending_after, last_error],
                )?;
            }
            tx.commit()?;
            Ok(())
        })
    }

    fn sessions(&self, limit: u32) -> StoreResult<Vec<SessionRecord>> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT session_id, device_id, volunteer_id, started_at, ended_at, outcome, docs_up, bytes_up, docs_down, bytes_down,
                        rejected, pending_before, pending_after, error FROM sessions ORDER BY session_id DESC LIMIT ?1",
            )?;
            let rows = stmt
                .query_map([limit], session_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn doc_epoch(&self, id: &str) -> StoreResult<Option<DocEpoch>> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT epoch, gone FROM doc_epochs WHERE doc_id = ?1",
                [id],
                |r| {
                    Ok(DocEpoch {
                        id: id.to_owned(),
                        epoch: r.get(0)?,
                        gone: r.get(1)?,
                    })
                },
            )
            .optional()?)
        })
    }

    fn erase_doc(
        &self,
        id: &str,
        commune: &str,
        hamlet: &str,
        rewrite: Option<&DocWrite>,
        at: DateTime<Utc>,
        actor: &str,
    ) -> StoreResult<DocEpoch> {
        let epoch = self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            if let Some(w) = rewrite {
                check_seq(&tx, w, false)?;
            }
            let seq = max_seq(&tx)? + 1;
            let epoch: u32 = tx
                .query_row("SELECT epoch FROM doc_epochs WHERE doc_id = ?1", [id], |r| r.get(0))
                .optional()?
                .unwrap_or(0)
                + 1;
            // Every derived row of the document goes (query tables, what devices were sent).
            for table in doc_tables(&tx)? {
                tx.execute(&format!("DELETE FROM \"{table}\" WHERE doc_id = ?1"), [id])?;
            }
            match rewrite {
                None => {
                    tx.execute("DELETE FROM docs WHERE doc_id = ?1", [id])?;
                }
                Some(w) => {
                    // Deleted first, so the old document's pages are freed (and zeroed) before the
                    // new one is written.
                    tx.execute("DELETE FROM docs WHERE doc_id = ?1", [id])?;
                    tx.execute(
                        "INSERT INTO docs (doc_id, commune, hamlet, seq, heads, bytes, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![w.id, w.commune, w.hamlet, seq, heads_to_blob(&w.heads), w.bytes, ts(at), actor],
                    )?;
                    // The household stays on the dashboard, without what was erased.
                    index::write_rows(&tx, &w.id, Some(&w.rows))?;
                }
            }
            tx.execute(
                "INSERT OR REPLACE INTO doc_epochs (doc_id, epoch, gone, commune, hamlet, seq, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, epoch, rewrite.is_none(), commune, hamlet, seq, ts(at)],
            )?;
            let action = if rewrite.is_none() { "erase.household" } else { "erase.member" };
            tx.execute(
                "INSERT INTO audit_log (at, actor, action, target) VALUES (?1, ?2, ?3, ?4)",
                params![ts(at), actor, action, id],
            )?;
            tx.commit()?;
            // The WAL holds images of the pages as they were: fold it into the file and empty it.
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(epoch)
        })?;
        Ok(DocEpoch {
            id: id.to_owned(),
            epoch,
            gone: rewrite.is_none(),
        })
    }

    fn erasures_since(
        &self,
        area: &AreaInfo,
        cursor: u64,
        limit: usize,
    ) -> StoreResult<Vec<DocEpoch>> {
        self.with(|c| {
            let hamlets: Vec<&str> = area.hamlets.iter().map(|h| h.id.as_str()).collect();
            let hamlets = serde_json::to_string(&hamlets).map_err(|_| StoreError::OutOfRange {
                what: "hamlet list",
            })?;
            let mut stmt = c.prepare_cached(
                "SELECT doc_id, epoch, gone FROM doc_epochs WHERE commune = ?1 AND seq > ?2
                   AND (?3 = '[]' OR hamlet IN (SELECT value FROM json_each(?3)))
                 ORDER BY seq LIMIT ?4",
            )?;
            let rows = stmt
                .query_map(
                    params![area.commune_code, cursor as i64, hamlets, limit as i64],
                    |r| {
                        Ok(DocEpoch {
                            id: r.get(0)?,
                            epoch: r.get(1)?,
                            gone: r.get(2)?,
                        })
                    },
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn held_elsewhere(&self, doc_id: &str, device_id: &str) -> StoreResult<bool> {
        self.with(|c| erase_requests::held_elsewhere(c, doc_id, device_id))
    }

    fn file_erase_request(
        &self,
        request: &NewEraseRequest<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<EraseDecision> {
        self.with(|c| erase_requests::file(c, request, at))
    }

    fn erase_requests(&self, commune: &str, limit: u32) -> StoreResult<Vec<EraseRequestRecord>> {
        self.with(|c| erase_requests::of_commune(c, commune, limit))
    }

    fn erase_request(&self, request_id: i64) -> StoreResult<Option<EraseRequestRecord>> {
        self.with(|c| erase_requests::one(c, request_id))
    }

    fn decide_erase_requests(
        &self,
        household: &str,
        member: Option<&str>,
        approve: bool,
        at: DateTime<Utc>,
        actor: &str,
    ) -> StoreResult<u32> {
        self.with(|c| erase_requests::decide(c, household, member, approve, at, actor))
    }

    fn audit(&self, at: DateTime<Utc>, actor: &str, action: &str, target: &str) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO audit_log (at, actor, action, target) VALUES (?1, ?2, ?3, ?4)",
                params![ts(at), actor, action, target],
            )?;
            Ok(())
        })
    }

    fn audit_entries(&self, limit: u32) -> StoreResult<Vec<AuditRecord>> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT id, at, actor, action, target FROM audit_log ORDER BY id DESC LIMIT ?1",
            )?;
            let rows = stmt
                .query_map([limit], |r| {
                    Ok(AuditRecord {
                        id: r.get(0)?,
                        at: r.get(1)?,
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        target: r.get(4)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn device_statuses(&self) -> StoreResult<Vec<DeviceStatus>> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT device_id, volunteer_id, area_id, revoked_at IS NOT NULL, enrolled_at, last_seen_at, last_success_at, pending_docs, last_error
                 FROM devices ORDER BY volunteer_id, device_id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(DeviceStatus {
                        device_id: r.get(0)?,
                        volunteer_id: r.get(1)?,
                        area_id: r.get(2)?,
                        revoked: r.get(3)?,
                        enrolled_at: r.get(4)?,
                        last_seen_at: r.get(5)?,
                        last_success_at: r.get(6)?,
                        pending_docs: r.get(7)?,
                        last_error: r.get(8)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database made by the hub before its schema had a version (4236bd9) opens, is migrated
    /// to the latest version and keeps its data.
    #[test]
    fn a_database_of_the_unversioned_schema_opens_and_migrates() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(include_str!(
                "../../../tests/data/sqlite-schema-4236bd9.sql"
            ))
            .unwrap();
            c.execute_batch(
                "INSERT INTO meta (key, value) VALUES ('hub_id', 'hub-old'), ('dash_index_version', '2');
                 INSERT INTO coordinators VALUES ('coord', 'Cán bộ', '00004', '2026-12-01T00:00:00.000Z');
                 INSERT INTO areas VALUES ('a', 'Đông', '01', '00004', '[]');
                 INSERT INTO devices (device_id, token_hash, volunteer_id, area_id, enrolled_at)
                     VALUES ('dev', 'h', 'vol', 'a', '2026-12-01T00:00:00.000Z');",
            )
            .unwrap();
            assert_eq!(schema_version(&path).unwrap(), 0);
        }
        let store = SqliteStore::open(&path).unwrap();
        let latest = MIGRATIONS.last().unwrap().0;
        assert_eq!(schema_version(&path).unwrap(), latest);
        assert_eq!(store.hub_id().unwrap(), "hub-old");
        assert_eq!(
            store.coordinator_commune("coord").unwrap().as_deref(),
            Some("00004")
        );
        assert_eq!(store.device_statuses().unwrap().len(), 1);
        drop(store);
        // Opening again changes nothing.
        SqliteStore::open(&path).unwrap();
        assert_eq!(schema_version(&path).unwrap(), latest);
    }

    #[test]
    fn a_database_of_a_newer_hub_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.db");
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = SqliteStore::open(&path).err().unwrap();
        assert_eq!(err.code(), "schema_too_new");
    }
}
