//! What several files of the SQLite store read the same way: the hub's sequence number and the
//! tables that hold rows of a document.

use gocua_core::sync::merge::heads_to_blob;
use gocua_core::sync::wire::Head;
use rusqlite::{Connection, params};

/// The hub-wide sequence number after the last write: documents and erasures share it, so a
/// device's cursor covers both.
pub(super) fn max_seq(c: &Connection) -> rusqlite::Result<i64> {
    c.query_row(
        "SELECT MAX(COALESCE((SELECT MAX(seq) FROM docs), 0), COALESCE((SELECT MAX(seq) FROM doc_epochs), 0))",
        [],
        |r| r.get(0),
    )
}

/// Tables of the hub that hold rows of a document and must lose them when it is erased whole:
/// every table with a `doc_id` column except the erasure records themselves.
pub(super) fn doc_tables(c: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = c.prepare(
        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p
         WHERE m.type = 'table' AND p.name = 'doc_id' AND m.name NOT IN ('doc_epochs', 'docs')
           AND m.name NOT LIKE '%_fts%' ORDER BY m.name",
    )?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Records that a device holds these documents at these heads (in the caller's transaction).
pub(super) fn write_device_heads(
    c: &Connection,
    device_id: &str,
    docs: &[(String, Vec<Head>)],
) -> rusqlite::Result<()> {
    let mut upsert = c.prepare_cached(
        "INSERT OR REPLACE INTO device_docs (device_id, doc_id, heads) VALUES (?1, ?2, ?3)",
    )?;
    for (doc, heads) in docs {
        upsert.execute(params![device_id, doc, heads_to_blob(heads)])?;
    }
    Ok(())
}
