//! Reads over the query tables: lists, search, counts.

use rusqlite::{Connection, Row, params};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::{ChecklistItem, ChecklistStatus, HouseholdId, Lifecycle, MemberId};
use crate::text::{digits, fold};

/// A household as it appears in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdSummary {
    pub id: HouseholdId,
    pub commune_code: String,
    pub hamlet_id: String,
    pub head_name: Option<String>,
    pub address: String,
    pub plus_code: Option<String>,
    pub member_count: u32,
    pub lifecycle: Lifecycle,
    pub conflict_count: u32,
    pub has_member_with_5_skills: bool,
    pub visit_count: u32,
    pub follow_up_on: Option<String>,
    /// Changed on this device since the last successful sync.
    pub pending_sync: bool,
}

const SUMMARY_COLUMNS: &str =
    "h.doc_id, h.commune, h.hamlet, h.head_name, h.address, h.plus_code, h.member_count,
    h.lifecycle, h.conflict_count, h.has_5_skills, h.visit_count, h.follow_up_on,
    EXISTS (SELECT 1 FROM pending_sync p WHERE p.doc_id = h.doc_id)";

fn summary(row: &Row<'_>) -> rusqlite::Result<HouseholdSummary> {
    let lifecycle: String = row.get(7)?;
    Ok(HouseholdSummary {
        id: HouseholdId(row.get(0)?),
        commune_code: row.get(1)?,
        hamlet_id: row.get(2)?,
        head_name: row.get(3)?,
        address: row.get(4)?,
        plus_code: row.get(5)?,
        member_count: row.get(6)?,
        lifecycle: Lifecycle::from_code(&lifecycle).unwrap_or(Lifecycle::Active),
        conflict_count: row.get(8)?,
        has_member_with_5_skills: row.get(9)?,
        visit_count: row.get(10)?,
        follow_up_on: row.get(11)?,
        pending_sync: row.get(12)?,
    })
}

/// Households of one hamlet, by head's name (diacritics ignored), a page at a time.
pub fn list_hamlet(
    conn: &Connection,
    commune: &str,
    hamlet: &str,
    limit: u32,
    offset: u32,
) -> Result<Vec<HouseholdSummary>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM households h WHERE h.commune = ?1 AND h.hamlet = ?2 AND h.lifecycle != 'merged'
         ORDER BY h.head_fold, h.doc_id LIMIT ?3 OFFSET ?4"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![commune, hamlet, limit, offset], summary)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn summary_of(conn: &Connection, id: &HouseholdId) -> Result<Option<HouseholdSummary>> {
    let sql = format!("SELECT {SUMMARY_COLUMNS} FROM households h WHERE h.doc_id = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query_map([id.as_str()], summary)?;
    Ok(rows.next().transpose()?)
}

/// What a search hit matched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchMatch {
    Name,
    Phone,
    IdNumber,
}

/// A member found by search. The full ID number is not included: lists show it masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub household: HouseholdId,
    pub member: MemberId,
    pub full_name: String,
    pub hamlet_id: String,
    /// Last 4 digits of the ID number, if any.
    pub id_number_last4: Option<String>,
    pub matched: SearchMatch,
}

fn hit(row: &Row<'_>, matched: SearchMatch) -> rusqlite::Result<SearchHit> {
    let id_number: Option<String> = row.get(4)?;
    Ok(SearchHit {
        household: HouseholdId(row.get(0)?),
        member: MemberId(row.get(1)?),
        full_name: row.get(2)?,
        hamlet_id: row.get(3)?,
        id_number_last4: id_number.map(|n| n[n.len().saturating_sub(4)..].to_owned()),
        matched,
    })
}

const HIT_COLUMNS: &str = "m.doc_id, m.member_id, m.full_name, h.hamlet, m.id_number";

/// Households merged into another are left out of lists and searches: their people are found
/// in the household they were merged into.
///
/// Finds current members by name (word prefixes, without diacritics: "nguyen van a" finds
/// "Nguyễn Văn An"), by phone (any written form of the number, or its last digits) or by ID
/// number (whole, or its last digits).
pub fn search(conn: &Connection, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
    let q = query.trim();
    let only_digits = !q.is_empty()
        && q.chars()
            .all(|c| c.is_ascii_digit() || " .-+()".contains(c));
    if only_digits {
        return search_digits(conn, &digits(q), limit);
    }
    let tokens: Vec<String> = fold(q)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| format!("\"{t}\"*"))
        .collect();
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {HIT_COLUMNS} FROM member_search s
         JOIN member_names n ON n.rowid_ = s.rowid
         JOIN members m ON m.doc_id = n.doc_id AND m.member_id = n.member_id
         JOIN households h ON h.doc_id = m.doc_id
         WHERE member_search MATCH ?1 AND h.lifecycle != 'merged'
         ORDER BY (m.name_fold = ?2) DESC, m.name_fold, m.doc_id LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![tokens.join(" "), fold(q), limit], |r| {
        hit(r, SearchMatch::Name)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn search_digits(conn: &Connection, d: &str, limit: u32) -> Result<Vec<SearchHit>> {
    if d.len() < 4 {
        return Ok(Vec::new());
    }
    // A phone typed in international form (84...) is stored in national form (0...).
    let national = match d.strip_prefix("84") {
        Some(rest) if rest.len() >= 9 => format!("0{rest}"),
        _ => d.to_owned(),
    };
    let mut hits = Vec::new();
    let exact_phone = format!(
        "SELECT {HIT_COLUMNS} FROM members m JOIN households h ON h.doc_id = m.doc_id
         WHERE m.phone = ?1 AND m.removed = 0 AND h.lifecycle != 'merged' ORDER BY m.doc_id LIMIT ?2"
    );
    let exact_id = format!(
        "SELECT {HIT_COLUMNS} FROM members m JOIN households h ON h.doc_id = m.doc_id
         WHERE m.id_number = ?1 AND m.removed = 0 AND h.lifecycle != 'merged' ORDER BY m.doc_id LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&exact_phone)?;
    hits.extend(
        stmt.query_map(params![national, limit], |r| hit(r, SearchMatch::Phone))?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    );
    let mut stmt = conn.prepare_cached(&exact_id)?;
    hits.extend(
        stmt.query_map(params![d, limit], |r| hit(r, SearchMatch::IdNumber))?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    );
    if hits.is_empty() && d.len() <= 6 {
        // The last digits, as people read them off a card or a phone.
        let suffix = format!(
            "SELECT {HIT_COLUMNS}, COALESCE(m.phone LIKE ?1, 0) FROM members m JOIN households h ON h.doc_id = m.doc_id
             WHERE (m.phone LIKE ?1 OR m.id_number LIKE ?1) AND m.removed = 0 AND h.lifecycle != 'merged' ORDER BY m.doc_id LIMIT ?2"
        );
        let mut stmt = conn.prepare_cached(&suffix)?;
        let pattern = format!("%{d}");
        hits.extend(
            stmt.query_map(params![pattern, limit], |r| {
                let by_phone: bool = r.get(5)?;
                hit(
                    r,
                    if by_phone {
                        SearchMatch::Phone
                    } else {
                        SearchMatch::IdNumber
                    },
                )
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?,
        );
    }
    hits.truncate(limit as usize);
    Ok(hits)
}

/// How many current members have each checklist status, per item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistCount {
    pub item: ChecklistItem,
    pub status: ChecklistStatus,
    pub count: u32,
}

/// Checklist counts for a commune, or one of its hamlets.
pub fn checklist_counts(
    conn: &Connection,
    commune: &str,
    hamlet: Option<&str>,
) -> Result<Vec<ChecklistCount>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.item, c.status, COUNT(*) FROM checklist c JOIN households h ON h.doc_id = c.doc_id
         WHERE h.commune = ?1 AND (?2 IS NULL OR h.hamlet = ?2)
         GROUP BY c.item, c.status ORDER BY c.item, c.status",
    )?;
    let rows = stmt.query_map(params![commune, hamlet], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, u32>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (item, status, count) = row?;
        // Codes from a newer app version are skipped, not guessed.
        if let (Some(item), Some(status)) = (
            ChecklistItem::from_code(&item),
            ChecklistStatus::from_code(&status),
        ) {
            out.push(ChecklistCount {
                item,
                status,
                count,
            });
        }
    }
    Ok(out)
}

/// Members (other than in `except`) holding this ID number: duplicate candidates.
pub fn households_with_id_number(
    conn: &Connection,
    id_number: &str,
    except: &HouseholdId,
) -> Result<Vec<HouseholdId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT m.doc_id FROM members m JOIN households h ON h.doc_id = m.doc_id
         WHERE m.id_number = ?1 AND m.doc_id != ?2 AND m.removed = 0 AND h.lifecycle != 'merged' ORDER BY m.doc_id",
    )?;
    let rows = stmt.query_map(params![id_number, except.as_str()], |r| {
        r.get::<_, String>(0)
    })?;
    Ok(rows
        .map(|r| r.map(HouseholdId))
        .collect::<rusqlite::Result<_>>()?)
}

pub fn pending_count(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("SELECT COUNT(*) FROM pending_sync", [], |r| r.get(0))?)
}

/// The Plus Codes of the commune's households still active (for the commune's centre).
pub fn plus_codes_in_commune(conn: &Connection, commune: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT plus_code FROM households WHERE commune = ?1 AND plus_code IS NOT NULL AND lifecycle = 'active'",
    )?;
    let rows = stmt.query_map([commune], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
