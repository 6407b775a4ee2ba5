//! The SQLite store's query tables: the rows of [`crate::projection`] written with this store's
//! SQL, in the transaction that writes the document; rebuilt from the documents when new or of
//! another [`projection::VERSION`].

use chrono::Utc;
use rusqlite::{Connection, params};

use crate::projection::{self, DocRows};
use crate::store::query::DERIVED;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS dash_households (
    doc_id TEXT PRIMARY KEY, commune TEXT NOT NULL, hamlet TEXT NOT NULL, created_at TEXT NOT NULL,
    created_by TEXT NOT NULL, head_name TEXT, head_fold TEXT, address TEXT NOT NULL, plus_code TEXT,
    members INTEGER NOT NULL, five_skills INTEGER NOT NULL, active INTEGER NOT NULL,
    to_verify INTEGER NOT NULL, conflicts INTEGER NOT NULL, warnings INTEGER NOT NULL, search TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_day TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dash_households_area ON dash_households (commune, hamlet);
CREATE INDEX IF NOT EXISTS dash_households_progress ON dash_households (commune, active, hamlet, five_skills, members);
CREATE INDEX IF NOT EXISTS dash_households_days ON dash_households (commune, active, created_day);
CREATE INDEX IF NOT EXISTS dash_households_volunteer ON dash_households (commune, created_by, created_day, active);
CREATE INDEX IF NOT EXISTS dash_households_plus ON dash_households (commune, plus_code) WHERE plus_code IS NOT NULL;
CREATE TABLE IF NOT EXISTS dash_members (
    doc_id TEXT NOT NULL, member_id TEXT NOT NULL, commune TEXT NOT NULL, hamlet TEXT NOT NULL,
    full_name TEXT NOT NULL, birth TEXT, gender TEXT, relation TEXT NOT NULL,
    id_number TEXT, phone TEXT, shared INTEGER NOT NULL, PRIMARY KEY (doc_id, member_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dash_members_id ON dash_members (commune, id_number) WHERE id_number IS NOT NULL;
CREATE INDEX IF NOT EXISTS dash_members_phone ON dash_members (commune, phone) WHERE phone IS NOT NULL;
CREATE TABLE IF NOT EXISTS dash_checklist (
    doc_id TEXT NOT NULL, member_id TEXT NOT NULL, item TEXT NOT NULL, commune TEXT NOT NULL,
    hamlet TEXT NOT NULL, status TEXT NOT NULL, achieved INTEGER NOT NULL, set_at TEXT NOT NULL,
    active INTEGER NOT NULL, day TEXT NOT NULL, set_by TEXT NOT NULL,
    PRIMARY KEY (doc_id, member_id, item)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dash_checklist_items ON dash_checklist (commune, achieved, active, item);
CREATE INDEX IF NOT EXISTS dash_checklist_days ON dash_checklist (commune, achieved, active, day);
CREATE INDEX IF NOT EXISTS dash_checklist_volunteer ON dash_checklist (commune, set_by, day, achieved, active);
CREATE TABLE IF NOT EXISTS dash_visits (
    doc_id TEXT NOT NULL, visit_id TEXT NOT NULL, commune TEXT NOT NULL, date TEXT NOT NULL,
    volunteer TEXT NOT NULL, outcome TEXT NOT NULL,
    PRIMARY KEY (doc_id, visit_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dash_visits_date ON dash_visits (commune, date);
CREATE INDEX IF NOT EXISTS dash_visits_by_volunteer ON dash_visits (commune, volunteer, date, outcome);
CREATE TABLE IF NOT EXISTS dash_warnings (
    doc_id TEXT NOT NULL, commune TEXT NOT NULL, member_id TEXT, field TEXT NOT NULL, code TEXT NOT NULL,
    message_vi TEXT NOT NULL, message_en TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dash_warnings_doc ON dash_warnings (doc_id);
CREATE INDEX IF NOT EXISTS dash_warnings_commune ON dash_warnings (commune);
";

/// Deletes the derived rows of one document.
fn forget(conn: &Connection, doc_id: &str) -> rusqlite::Result<()> {
    for table in DERIVED {
        conn.prepare_cached(&format!("DELETE FROM {table} WHERE doc_id = ?1"))?
            .execute([doc_id])?;
    }
    Ok(())
}

/// Replaces the query rows of one document by `rows` (none when `None`: a document that cannot
/// be read keeps no rows).
pub(super) fn write_rows(
    conn: &Connection,
    doc_id: &str,
    rows: Option<&DocRows>,
) -> rusqlite::Result<()> {
    forget(conn, doc_id)?;
    let Some(rows) = rows else {
        return Ok(());
    };
    let h = &rows.household;
    conn.prepare_cached(
        "INSERT INTO dash_households (doc_id, commune, hamlet, created_at, created_by, head_name, head_fold, address,
            plus_code, members, five_skills, active, conflicts, warnings, search, updated_at, created_day,
            to_verify)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        doc_id,
        h.commune,
        h.hamlet,
        h.created_at,
        h.created_by,
        h.head_name,
        h.head_fold,
        h.address,
        h.plus_code,
        h.members,
        h.five_skills,
        h.active,
        h.conflicts,
        h.warnings,
        h.search,
        h.updated_at,
        h.created_day,
        h.to_verify,
    ])?;
    let mut member_stmt = conn.prepare_cached(
        "INSERT INTO dash_members (doc_id, member_id, commune, hamlet, full_name, birth, gender, relation, id_number, phone, shared)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for m in &rows.members {
        member_stmt.execute(params![
            doc_id,
            m.member_id,
            h.commune,
            h.hamlet,
            m.full_name,
            m.birth,
            m.gender,
            m.relation,
            m.id_number,
            m.phone,
            m.shared
        ])?;
    }
    let mut item_stmt = conn.prepare_cached(
        "INSERT INTO dash_checklist (doc_id, member_id, item, commune, hamlet, status, achieved, set_at, active, day, set_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for c in &rows.checklist {
        item_stmt.execute(params![
            doc_id,
            c.member_id,
            c.item,
            h.commune,
            h.hamlet,
            c.status,
            c.achieved,
            c.set_at,
            h.active,
            c.day,
            c.set_by,
        ])?;
    }
    let mut visit_stmt = conn.prepare_cached(
        "INSERT OR REPLACE INTO dash_visits (doc_id, visit_id, commune, date, volunteer, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for v in &rows.visits {
        visit_stmt.execute(params![
            doc_id,
            v.visit_id,
            h.commune,
            v.date,
            v.volunteer,
            v.outcome
        ])?;
    }
    let mut warn_stmt = conn.prepare_cached(
        "INSERT INTO dash_warnings (doc_id, commune, member_id, field, code, message_vi, message_en)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for w in &rows.warnings {
        warn_stmt.execute(params![
            doc_id,
            h.commune,
            w.member_id,
            w.field,
            w.code,
            w.message_vi,
            w.message_en
        ])?;
    }
    Ok(())
}

/// Creates the tables; rebuilds them from the documents when they are new or of another version.
pub(super) fn ensure(conn: &mut Connection) -> rusqlite::Result<()> {
    let version: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'dash_index_version'",
            [],
            |r| r.get(0),
        )
        .ok();
    if version.is_some() && version.as_deref() != Some(projection::VERSION) {
        // Derived tables only: dropped and rebuilt from the documents below.
        for table in DERIVED {
            conn.execute(&format!("DROP TABLE IF EXISTS {table}"), [])?;
        }
    }
    conn.execute_batch(SCHEMA)?;
    let version: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'dash_index_version'",
            [],
            |r| r.get(0),
        )
        .ok();
    if version.as_deref() != Some(projection::VERSION) {
        rebuild(conn)?;
    }
    Ok(())
}

/// Derives every row again from the documents, in one transaction.
pub(super) fn rebuild(conn: &mut Connection) -> rusqlite::Result<usize> {
    let tx = conn.transaction()?;
    for table in DERIVED {
        tx.execute(&format!("DELETE FROM {table}"), [])?;
    }
    let now = Utc::now();
    let mut n = 0;
    {
        let mut stmt = tx.prepare("SELECT doc_id, bytes FROM docs")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let bytes: Vec<u8> = r.get(1)?;
            write_rows(&tx, &id, projection::from_bytes(&id, &bytes, now).as_ref())?;
            n += 1;
        }
    }
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('dash_index_version', ?1)",
        [projection::VERSION],
    )?;
    tx.commit()?;
    Ok(n)
}
