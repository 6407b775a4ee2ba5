//! Query tables derived from documents. They hold nothing the documents do not, so they can be
//! dropped and rebuilt at any time.

use rusqlite::{Transaction, params};

use crate::error::Result;
use crate::model::Household;
use crate::text::fold;

pub fn clear(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(
        "DELETE FROM households; DELETE FROM members; DELETE FROM member_names;\n         DELETE FROM checklist; INSERT INTO member_search (member_search) VALUES ('delete-all');",
    )?;
    Ok(())
}

/// Removes one household's query rows and search entries.
pub fn remove_household(tx: &Transaction<'_>, id: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM member_search WHERE rowid IN (SELECT rowid_ FROM member_names WHERE doc_id = ?1)",
        [id],
    )?;
    tx.execute("DELETE FROM member_names WHERE doc_id = ?1", [id])?;
    tx.execute("DELETE FROM members WHERE doc_id = ?1", [id])?;
    tx.execute("DELETE FROM checklist WHERE doc_id = ?1", [id])?;
    tx.execute("DELETE FROM households WHERE doc_id = ?1", [id])?;
    Ok(())
}

/// One-line address for lists: house number, alley, street.
pub fn address_line(h: &Household) -> String {
    h.address.one_line()
}

pub fn index_household(tx: &Transaction<'_>, h: &Household, conflicts: usize) -> Result<()> {
    let id = h.id.as_str();
    // Cached: a sync indexes a thousand households in one go, and preparing these four
    // statements each time was a sixth of the indexing (a W2 profile).
    for sql in [
        "DELETE FROM members WHERE doc_id = ?1",
        "DELETE FROM member_search WHERE rowid IN (SELECT rowid_ FROM member_names WHERE doc_id = ?1)",
        "DELETE FROM member_names WHERE doc_id = ?1",
        "DELETE FROM checklist WHERE doc_id = ?1",
    ] {
        tx.prepare_cached(sql)?.execute([id])?;
    }
    let head = h.head_member().map(|m| m.full_name.as_str());
    let follow_up = h
        .pending_follow_up()
        .map(|d| d.format("%Y-%m-%d").to_string());
    tx.prepare_cached(
        "INSERT OR REPLACE INTO households (doc_id, province, commune, hamlet, head_name, head_fold, address,
             plus_code, member_count, lifecycle, conflict_count, has_5_skills, visit_count, follow_up_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        id,
        h.area.province_code,
        h.area.commune_code,
        h.area.hamlet_id,
        head,
        head.map(fold),
        address_line(h),
        h.digital_address.plus_code,
        h.current_members().count() as i64,
        h.lifecycle.code(),
        conflicts as i64,
        h.has_member_with_5_skills(),
        h.visits.len() as i64,
        follow_up,
    ])?;
    let mut member_stmt = tx.prepare_cached(
        "INSERT INTO members (doc_id, member_id, full_name, name_fold, phone, id_number, birth_year, gender, relation, removed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut name_stmt =
        tx.prepare_cached("INSERT INTO member_names (doc_id, member_id) VALUES (?1, ?2)")?;
    let mut search_stmt =
        tx.prepare_cached("INSERT INTO member_search (rowid, name_fold) VALUES (?1, ?2)")?;
    let mut item_stmt = tx.prepare_cached(
        "INSERT INTO checklist (doc_id, member_id, item, status) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for m in h.members.values() {
        let name_fold = fold(&m.full_name);
        member_stmt.execute(params![
            id,
            m.id.as_str(),
            m.full_name,
            name_fold,
            m.phone,
            m.id_number,
            m.birth.map(|b| b.year()),
            m.gender.map(|g| g.code()),
            m.relation.code(),
            m.removed,
        ])?;
        if !m.removed {
            name_stmt.execute(params![id, m.id.as_str()])?;
            search_stmt.execute(params![tx.last_insert_rowid(), name_fold])?;
            for (item, entry) in &m.checklist {
                item_stmt.execute(params![id, m.id.as_str(), item.code(), entry.status.code()])?;
            }
        }
    }
    Ok(())
}
