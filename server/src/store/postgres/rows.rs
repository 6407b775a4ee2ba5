//! What several files of the PostgreSQL store share: the error of a transaction body, the
//! hub-wide counter and an area's hamlets as a parameter.

use ::postgres::Transaction;
use gocua_core::sync::merge::heads_to_blob;
use gocua_core::sync::wire::{AreaInfo, Head};

use crate::store::StoreError;

/// An error of a transaction body: the database's own (kept to tell a retryable one) or ours.
pub(crate) enum TxError {
    Pg(::postgres::Error),
    Store(StoreError),
}

impl From<::postgres::Error> for TxError {
    fn from(e: ::postgres::Error) -> Self {
        TxError::Pg(e)
    }
}

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        TxError::Store(e)
    }
}

pub(super) fn hamlet_ids(area: &AreaInfo) -> Vec<String> {
    area.hamlets.iter().map(|h| h.id.clone()).collect()
}

/// Locks the hub-wide counter until the transaction ends; returns its value.
pub(super) fn lock_seq(tx: &mut Transaction<'_>) -> Result<i64, TxError> {
    Ok(tx
        .query_one("SELECT value FROM hub_seq WHERE id = 1 FOR UPDATE", &[])?
        .get(0))
}

/// Deletes every row derived from a document: each table with a `doc_id` column but the erasure
/// records and the documents themselves.
pub(super) fn drop_doc_rows(tx: &mut Transaction<'_>, id: &str) -> Result<(), TxError> {
    let tables: Vec<String> = tx
        .query(
            "SELECT table_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND column_name = 'doc_id'
               AND table_name NOT IN ('doc_epochs', 'docs') ORDER BY 1",
            &[],
        )?
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    for table in tables {
        tx.execute(
            &format!(
                "DELETE FROM \"{}\" WHERE doc_id = $1",
                table.replace('"', "")
            ),
            &[&id],
        )?;
    }
    Ok(())
}

/// Records that a device holds these documents at these heads.
pub(super) fn write_device_heads(
    tx: &mut Transaction<'_>,
    device_id: &str,
    docs: &[(String, Vec<Head>)],
) -> Result<(), TxError> {
    if docs.is_empty() {
        return Ok(());
    }
    let upsert = tx.prepare(
        "INSERT INTO device_docs (device_id, doc_id, heads) VALUES ($1, $2, $3)
         ON CONFLICT (device_id, doc_id) DO UPDATE SET heads = $3",
    )?;
    for (doc, heads) in docs {
        tx.execute(&upsert, &[&device_id, doc, &heads_to_blob(heads)])?;
    }
    Ok(())
}
