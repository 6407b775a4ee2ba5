//! The register's SQLite schema and its migrations.
//!
//! Each version is one SQL step; a fresh database runs them all, an older one the steps it lacks.
//! A test builds a populated version-1 database, upgrades it, and checks that its schema and query
//! tables equal those of a fresh database fed the same documents.

use rusqlite::Transaction;

use crate::error::{Error, Result};

/// The schema version this code writes (`PRAGMA user_version`).
pub const VERSION: i64 = 9;

/// Version 1, as first released: documents, query tables, hamlets. Kept verbatim so the
/// migration test can build a real version-1 database.
pub const V1_SQL: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE doc_chunks (
    doc_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    is_snapshot INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (doc_id, seq)
) WITHOUT ROWID;
CREATE TABLE households (
    doc_id TEXT PRIMARY KEY,
    province TEXT NOT NULL,
    commune TEXT NOT NULL,
    hamlet TEXT NOT NULL,
    head_name TEXT,
    head_fold TEXT,
    address TEXT NOT NULL,
    plus_code TEXT,
    member_count INTEGER NOT NULL,
    lifecycle TEXT NOT NULL,
    conflict_count INTEGER NOT NULL,
    has_5_skills INTEGER NOT NULL,
    visit_count INTEGER NOT NULL,
    follow_up_on TEXT
) WITHOUT ROWID;
CREATE INDEX households_by_hamlet ON households (commune, hamlet, head_fold);
CREATE TABLE members (
    doc_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    full_name TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    phone TEXT,
    id_number TEXT,
    birth_year INTEGER,
    gender TEXT,
    relation TEXT NOT NULL,
    removed INTEGER NOT NULL,
    PRIMARY KEY (doc_id, member_id)
) WITHOUT ROWID;
CREATE INDEX members_by_phone ON members (phone);
CREATE INDEX members_by_id_number ON members (id_number);
CREATE TABLE checklist (
    doc_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    item TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (doc_id, member_id, item)
) WITHOUT ROWID;
CREATE INDEX checklist_by_item ON checklist (item, status);
CREATE TABLE hamlets (
    commune TEXT NOT NULL,
    hamlet_id TEXT NOT NULL,
    name TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    PRIMARY KEY (commune, hamlet_id)
) WITHOUT ROWID;
";

/// Version 2: full-text name search (word prefixes, without diacritics) and the list of
/// documents changed locally since the last sync. The search index is contentless and keyed by
/// `member_names.rowid_`, so a household's entries are found through an ordinary index when it
/// is re-indexed (a lookup by an unindexed FTS column would scan the whole table).
const V2_SQL: &str = "
CREATE TABLE member_names (
    rowid_ INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    member_id TEXT NOT NULL
);
CREATE INDEX member_names_by_doc ON member_names (doc_id);
CREATE VIRTUAL TABLE member_search USING fts5 (
    name_fold, content = '', contentless_delete = 1, tokenize = 'unicode61'
);
INSERT INTO member_names (doc_id, member_id)
    SELECT doc_id, member_id FROM members WHERE removed = 0 ORDER BY doc_id, member_id;
INSERT INTO member_search (rowid, name_fold)
    SELECT n.rowid_, m.name_fold FROM member_names n
    JOIN members m ON m.doc_id = n.doc_id AND m.member_id = n.member_id;
CREATE TABLE pending_sync (doc_id TEXT PRIMARY KEY, changed_seq INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO pending_sync (doc_id, changed_seq) SELECT DISTINCT doc_id, 0 FROM doc_chunks;
";

/// Version 3: sync state. The hub this device is enrolled with (its token, area and the cursor
/// up to which the device stored the hub's changes), the heads shared with it per document, and
/// the documents it refused with its reason.
pub(crate) const V3_SQL: &str = "
CREATE TABLE sync_peer (
    peer_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    token TEXT NOT NULL,
    device_id TEXT NOT NULL,
    area_json TEXT NOT NULL,
    pin_sha256 TEXT,
    cursor INTEGER NOT NULL,
    enrolled_at TEXT NOT NULL,
    last_attempt_at TEXT,
    last_success_at TEXT,
    last_error TEXT
) WITHOUT ROWID;
CREATE TABLE sync_heads (
    peer_id TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    heads BLOB NOT NULL,
    PRIMARY KEY (peer_id, doc_id)
) WITHOUT ROWID;
CREATE TABLE sync_rejects (
    peer_id TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (peer_id, doc_id)
) WITHOUT ROWID;
";

/// Version 4: erasure. `erased_docs` remembers, per household, the erasure epoch this device
/// reached (`gone` = the household was erased whole; a tombstone without personal data), so a
/// stale copy is never taken back; `erase_requests` holds erasures recorded on this device and
/// not yet confirmed by the hub.
pub(crate) const V4_SQL: &str = "
CREATE TABLE erased_docs (
    doc_id TEXT PRIMARY KEY,
    epoch INTEGER NOT NULL,
    gone INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE erase_requests (
    doc_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, member_id)
) WITHOUT ROWID;
";

/// Version 5: a refusal's reason in Vietnamese (`message`) and English (`message_en`) apart,
/// so no reader splits a joined sentence; reasons stored joined ("vi / en") are split once here,
/// and one in a single language is kept in both.
pub(crate) const V5_SQL: &str = "
ALTER TABLE sync_rejects ADD COLUMN message_en TEXT NOT NULL DEFAULT '';
UPDATE sync_rejects
SET message_en = trim(substr(message, instr(message, ' / ') + 3)),
    message = trim(substr(message, 1, instr(message, ' / ') - 1))
WHERE instr(message, ' / ') > 0;
UPDATE sync_rejects SET message_en = message WHERE message_en = '';
";

/// Version 6: an erasure request's state. A device erases at once only a household the hub never
/// had; any other request waits for a coordinator's decision (docs/SECURITY.md), so the device
/// tells a request not yet received by the hub (`queued`) from one it filed (`filed`) and one a
/// coordinator refused (`refused`, kept to tell the volunteer, never sent again).
pub(crate) const V6_SQL: &str = "
ALTER TABLE erase_requests ADD COLUMN state TEXT NOT NULL DEFAULT 'queued';
";

/// Version 7: the hub's proof of each erasure (`erased_docs.proof`, 16 bytes), kept to tell a
/// hub restored from before the erasure that it happened (docs/sync-protocol.md,
/// "Reconciliation").
pub(crate) const V7_SQL: &str = "
ALTER TABLE erased_docs ADD COLUMN proof BLOB;
";

/// Version 8: sealed bundles (docs/sync-protocol.md, "Sealed bundles"). `bundle_sealed` keeps
/// what each bundle carried (`plan`, postcard) until its answer comes back, by a bundle or made
/// moot by a sync; `bundle_answers` the hub's answers applied here, acknowledged to the hub at
/// the next bundle or sync; `bundle_carried` the sealed bundles this phone carries for other
/// phones of its commune (`to_hub`, delivered at its next sync) and the hub's answers to them
/// (`to_device`, handed back), each dropped to its row once done.
pub(crate) const V8_SQL: &str = "
CREATE TABLE bundle_sealed (
    bundle_id TEXT PRIMARY KEY,
    peer_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    households INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    plan BLOB NOT NULL,
    answered_at TEXT,
    answered_via TEXT
) WITHOUT ROWID;
CREATE TABLE bundle_answers (
    answer_id TEXT PRIMARY KEY,
    bundle_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    applied_at TEXT NOT NULL,
    acked INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE bundle_carried (
    bundle_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    party TEXT NOT NULL,
    received_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    done_at TEXT,
    outcome TEXT
) WITHOUT ROWID;
";

/// Version 9: `departed` names the documents that have left this register in any form (a push, a
/// sealed bundle, a handover, an export); a document not yet named there, whose history is all
/// this phone's, is squashed into one change as it first leaves (`crate::departure`). Documents
/// held before this version may have left already: they are named at once.
pub(crate) const V9_SQL: &str = "
CREATE TABLE departed (doc_id TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO departed (doc_id) SELECT DISTINCT doc_id FROM doc_chunks;
";

/// The versions before which the query tables were derived by older rules and must be rebuilt
/// from the documents after the upgrade: 6 (a follow-up settled by a later visit was kept).
pub(crate) const REINDEX_BELOW: i64 = 6;

/// Brings the database to [`VERSION`]: creates it when empty, upgrades it when older, refuses
/// it when newer (an older app must not write a schema it does not know). Returns the version
/// it found (0: a new database).
pub fn migrate(tx: &Transaction<'_>) -> Result<i64> {
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > VERSION {
        return Err(Error::SchemaTooNew {
            found,
            supported: VERSION,
        });
    }
    if found < 1 {
        tx.execute_batch(V1_SQL)?;
    }
    if found < 2 {
        tx.execute_batch(V2_SQL)?;
    }
    if found < 3 {
        tx.execute_batch(V3_SQL)?;
    }
    if found < 4 {
        tx.execute_batch(V4_SQL)?;
    }
    if found < 5 {
        tx.execute_batch(V5_SQL)?;
    }
    if found < 6 {
        tx.execute_batch(V6_SQL)?;
    }
    if found < 7 {
        tx.execute_batch(V7_SQL)?;
    }
    if found < 8 {
        tx.execute_batch(V8_SQL)?;
    }
    if found < 9 {
        tx.execute_batch(V9_SQL)?;
    }
    tx.pragma_update(None, "user_version", VERSION)?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    #[test]
    fn a_refusal_stored_joined_is_split_into_its_two_languages() {
        let mut conn = Connection::open_in_memory().unwrap();
        for step in [V1_SQL, V2_SQL, V3_SQL, V4_SQL] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        conn.execute_batch(
            "INSERT INTO sync_rejects VALUES ('hub', 'h1', 'invalid', 'trường không hợp lệ / field is invalid', 't');
             INSERT INTO sync_rejects VALUES ('hub', 'h2', 'internal', 'HTTP 500', 't');",
        )
        .unwrap();
        let tx = conn.transaction().unwrap();
        migrate(&tx).unwrap();
        tx.commit().unwrap();
        let rows: Vec<(String, String)> = conn
            .prepare("SELECT message, message_en FROM sync_rejects ORDER BY doc_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                ("trường không hợp lệ".into(), "field is invalid".into()),
                ("HTTP 500".into(), "HTTP 500".into()),
            ]
        );
    }
}
