//! The register's local store: household documents as chunks in SQLite, with query tables derived
//! from them in the same transaction.
//!
//! Durability: WAL with `synchronous = FULL`, so a transaction that returned is on disk, and every
//! write is one transaction (the document's new chunk, its query rows and its pending-sync mark
//! together), so a crash leaves either all of a write or none of it.

pub mod erase;
mod index;
mod query;
pub mod sync_state;
pub use query::{
    checklist_counts, households_with_id_number, list_hamlet, pending_count, plus_codes_in_commune,
    search, summary_of,
};
mod schema;

pub use query::{ChecklistCount, HouseholdSummary, SearchHit, SearchMatch};
#[cfg(test)]
pub(crate) use schema::V1_SQL;
pub use schema::VERSION as SCHEMA_VERSION;

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::doc::HouseholdDoc;
use crate::error::{Error, Result};
use crate::model::{Household, HouseholdId};

/// Incremental chunks a document may gather before they are compacted into one snapshot.
const COMPACT_AFTER: i64 = 8;

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the store at `path`, encrypted with `key` when one is given.
    pub fn open(path: &Path, key: Option<&[u8]>) -> Result<Self> {
        let conn = crate::sqlcipher::open(path)?;
        if !crate::sqlcipher::unlock(&conn, key)? {
            return Err(Error::WrongKey);
        }
        Self::init(conn)
    }

    /// Re-encrypts the whole database under `key`. SQLCipher cannot rekey a WAL database in
    /// place, so the WAL is checkpointed away and the journal switched to DELETE around it.
    pub fn rekey(&mut self, key: &[u8]) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        self.conn.pragma_update(None, "journal_mode", "DELETE")?;
        let rekeyed = self.conn.execute_batch(&format!(
            "PRAGMA rekey = {};",
            crate::sqlcipher::key_literal(key)
        ));
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        rekeyed?;
        Ok(())
    }

    #[cfg(test)]
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Deleted content is overwritten with zeros, so an erased household leaves no trace in
        // free pages (docs/SECURITY.md, "Erasure").
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // Room for every statement a sync repeats per household (rusqlite keeps 16).
        conn.set_prepared_statement_cache_capacity(64);
        let tx = conn.transaction()?;
        let found = schema::migrate(&tx)?;
        tx.commit()?;
        let mut store = Self { conn };
        if (1..schema::REINDEX_BELOW).contains(&found) {
            store.rebuild_indexes()?;
        }
        Ok(store)
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one transaction, committed only if `f` succeeds.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn delete_meta(tx: &Transaction<'_>, key: &str) -> Result<()> {
        tx.execute("DELETE FROM meta WHERE key = ?1", [key])?;
        Ok(())
    }

    /// Loads a household's document from its chunks, or `None` if the register has none.
    pub fn load(&self, id: &HouseholdId) -> Result<Option<HouseholdDoc>> {
        load_in(&self.conn, id)
    }

    pub fn household_ids(&self) -> Result<Vec<HouseholdId>> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT doc_id FROM doc_chunks ORDER BY doc_id")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids.into_iter().map(HouseholdId).collect())
    }

    /// Persists the changes of `doc` made since it was loaded or last saved, compacting its chunks
    /// when they pile up, and refreshes its query rows. `pending` marks it for the next sync.
    pub fn save(tx: &Transaction<'_>, doc: &mut HouseholdDoc, pending: bool) -> Result<Household> {
        let household = doc.read()?;
        let id = household.id.as_str();
        let chunk = doc.save_incremental();
        if !chunk.is_empty() {
            let (count, max_seq): (i64, i64) = tx.query_row(
                "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM doc_chunks WHERE doc_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if count >= COMPACT_AFTER {
                // The snapshot replaces every chunk inside this transaction: a crash keeps either
                // the old chunks or the snapshot, never neither.
                let snapshot = doc.save();
                tx.execute("DELETE FROM doc_chunks WHERE doc_id = ?1", [id])?;
                tx.execute(
                    "INSERT INTO doc_chunks (doc_id, seq, is_snapshot, bytes) VALUES (?1, ?2, 1, ?3)",
                    params![id, max_seq + 1, snapshot],
                )?;
            } else {
                tx.execute(
                    "INSERT INTO doc_chunks (doc_id, seq, is_snapshot, bytes) VALUES (?1, ?2, ?3, ?4)",
                    params![id, max_seq + 1, count == 0, chunk],
                )?;
            }
        }
        let conflicts = doc.conflicts()?.len();
        index::index_household(tx, &household, conflicts)?;
        if pending {
            sync_state::mark_pending(tx, id)?;
        }
        Ok(household)
    }

    /// Stores a merged document as its whole snapshot, its query rows from the household the
    /// merge already read from it: a pulled household is read once, not again to be indexed.
    /// `doc` is the document loaded from `snapshot`, with nothing unsaved.
    pub fn save_merged(
        tx: &Transaction<'_>,
        snapshot: &[u8],
        doc: &mut HouseholdDoc,
        household: &Household,
    ) -> Result<()> {
        Self::replace_with_snapshot(tx, household.id.as_str(), snapshot)?;
        index::index_household(tx, household, doc.conflicts()?.len())
    }

    /// Replaces every stored chunk of a document with one whole snapshot (a merged-in or
    /// rewritten document); the caller then saves it to refresh its query rows.
    pub fn replace_with_snapshot(tx: &Transaction<'_>, id: &str, snapshot: &[u8]) -> Result<()> {
        tx.execute("DELETE FROM doc_chunks WHERE doc_id = ?1", [id])?;
        tx.execute(
            "INSERT INTO doc_chunks (doc_id, seq, is_snapshot, bytes) VALUES (?1, 1, 1, ?2)",
            params![id, snapshot],
        )?;
        Ok(())
    }

    /// SQLite's own integrity check: `"ok"` or what it found.
    pub fn integrity_check(&self) -> Result<String> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(lines.join("; "))
    }

    /// Removes every row of one household: its document chunks, query rows, search entries,
    /// pending mark and sync state. With `secure_delete` on, the freed bytes are zeroed.
    pub fn purge(tx: &Transaction<'_>, id: &str) -> Result<()> {
        tx.execute("DELETE FROM doc_chunks WHERE doc_id = ?1", [id])?;
        index::remove_household(tx, id)?;
        tx.execute("DELETE FROM pending_sync WHERE doc_id = ?1", [id])?;
        tx.execute("DELETE FROM sync_heads WHERE doc_id = ?1", [id])?;
        tx.execute("DELETE FROM sync_rejects WHERE doc_id = ?1", [id])?;
        tx.execute("DELETE FROM departed WHERE doc_id = ?1", [id])?;
        Ok(())
    }

    /// After an erasure: rewrites the full-text index without the erased names (a contentless
    /// FTS5 table keeps deleted tokens until its segments merge) and checkpoints the WAL away,
    /// so no old page image of the erased rows stays in the WAL file.
    pub fn scrub(&mut self) -> Result<()> {
        self.conn.execute(
            "INSERT INTO member_search (member_search) VALUES ('optimize')",
            [],
        )?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Recomputes every query table from the documents alone.
    pub fn rebuild_indexes(&mut self) -> Result<usize> {
        let ids = self.household_ids()?;
        let tx = self.conn.transaction()?;
        index::clear(&tx)?;
        for id in &ids {
            let mut doc = load_in(&tx, id)?.ok_or_else(|| Error::NotFound {
                what: "household",
                id: id.0.clone(),
            })?;
            let household = doc.read()?;
            let conflicts = doc.conflicts()?.len();
            index::index_household(&tx, &household, conflicts)?;
        }
        tx.commit()?;
        Ok(ids.len())
    }

    /// Bytes of document storage held for one household (for the benchmark and reports).
    pub fn stored_bytes(&self, id: &HouseholdId) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(SUM(LENGTH(bytes)), 0) FROM doc_chunks WHERE doc_id = ?1",
            [id.as_str()],
            |r| r.get(0),
        )?)
    }
}

/// Adds or renames a hamlet of a commune.
pub fn save_hamlet(tx: &Transaction<'_>, commune: &str, hamlet_id: &str, name: &str) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO hamlets (commune, hamlet_id, name, name_fold) VALUES (?1, ?2, ?3, ?4)",
        params![commune, hamlet_id, name, crate::text::fold(name)],
    )?;
    Ok(())
}

/// The hamlets of a commune as (id, name), by folded name.
pub fn hamlets(conn: &Connection, commune: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT hamlet_id, name FROM hamlets WHERE commune = ?1 ORDER BY name_fold",
    )?;
    let rows = stmt.query_map([commune], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every household held, as (id, commune, hamlet).
pub fn household_places(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT doc_id, commune, hamlet FROM households")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Makes `hamlets` (id, name) the hamlets of `commune`.
pub fn replace_hamlets<'a>(
    tx: &Transaction<'_>,
    commune: &str,
    hamlets: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<()> {
    tx.execute("DELETE FROM hamlets WHERE commune = ?1", [commune])?;
    for (id, name) in hamlets {
        save_hamlet(tx, commune, id, name)?;
    }
    Ok(())
}

/// Forgets the enrolment (hub, token, area, cursor), every sync record, the erasure records
/// and the hamlets: what a revoked device keeps of its commune is nothing.
pub fn forget_enrolment(tx: &Transaction<'_>) -> Result<()> {
    for table in [
        "sync_heads",
        "sync_rejects",
        "sync_peer",
        "pending_sync",
        "erased_docs",
        "erase_requests",
        "hamlets",
    ] {
        tx.execute(&format!("DELETE FROM {table}"), [])?;
    }
    Ok(())
}

pub fn hamlet_exists(conn: &Connection, commune: &str, hamlet_id: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM hamlets WHERE commune = ?1 AND hamlet_id = ?2",
        params![commune, hamlet_id],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

pub fn load_in(conn: &Connection, id: &HouseholdId) -> Result<Option<HouseholdDoc>> {
    let mut stmt =
        conn.prepare_cached("SELECT bytes FROM doc_chunks WHERE doc_id = ?1 ORDER BY seq")?;
    let chunks = stmt
        .query_map([id.as_str()], |r| r.get::<_, Vec<u8>>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if chunks.is_empty() {
        return Ok(None);
    }
    HouseholdDoc::load(&chunks.concat()).map(Some)
}

#[cfg(test)]
mod tests;
