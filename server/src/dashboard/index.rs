//! Query tables of the dashboard, derived from the household documents: written in the same
//! transaction as the document (see `SqliteStore::commit_push` and [`super::data`]; on
//! PostgreSQL `PgStore::commit_push` and [`super::pg`]), and rebuildable from the documents at
//! any time (`rebuild`; `pg::ensure_index`). Reading every document per page view would
//! not scale to a commune of 10,000 households. What a document gives is [`derive()`], shared by
//! both stores; this file writes it to SQLite.

use chrono::{DateTime, Utc};
use gocua_core::HouseholdDoc;
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::{Household, Lifecycle};
use gocua_core::text::fold;
use gocua_core::validate::{validate_household_input, validate_member_input};
use rusqlite::{Connection, params};

use crate::time::{day, ts};

/// Bump when the derived tables change shape or meaning: they are rebuilt on the next start.
pub const INDEX_VERSION: &str = "2";

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS dash_households (
    doc_id TEXT PRIMARY KEY, commune TEXT NOT NULL, hamlet TEXT NOT NULL, created_at TEXT NOT NULL,
    created_by TEXT NOT NULL, head_name TEXT, head_fold TEXT, address TEXT NOT NULL, plus_code TEXT,
    members INTEGER NOT NULL, five_skills INTEGER NOT NULL, active INTEGER NOT NULL,
    conflicts INTEGER NOT NULL, warnings INTEGER NOT NULL, search TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_day TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dash_households_area ON dash_households (commune, hamlet);
CREATE INDEX IF NOT EXISTS dash_households_progress ON dash_households (commune, active, hamlet, five_skills, members);
CREATE INDEX IF NOT EXISTS dash_households_days ON dash_households (commune, active, created_day);
CREATE INDEX IF NOT EXISTS dash_households_plus ON dash_households (commune, plus_code) WHERE plus_code IS NOT NULL;
CREATE TABLE IF NOT EXISTS dash_members (
    doc_id TEXT NOT NULL, member_id TEXT NOT NULL, commune TEXT NOT NULL, hamlet TEXT NOT NULL,
    full_name TEXT NOT NULL, birth TEXT, gender TEXT, relation TEXT NOT NULL,
    id_number TEXT, phone TEXT, PRIMARY KEY (doc_id, member_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dash_members_id ON dash_members (commune, id_number) WHERE id_number IS NOT NULL;
CREATE INDEX IF NOT EXISTS dash_members_phone ON dash_members (commune, phone) WHERE phone IS NOT NULL;
CREATE TABLE IF NOT EXISTS dash_checklist (
    doc_id TEXT NOT NULL, member_id TEXT NOT NULL, item TEXT NOT NULL, commune TEXT NOT NULL,
    hamlet TEXT NOT NULL, status TEXT NOT NULL, achieved INTEGER NOT NULL, set_at TEXT NOT NULL,
    active INTEGER NOT NULL, day TEXT NOT NULL,
    PRIMARY KEY (doc_id, member_id, item)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dash_checklist_items ON dash_checklist (commune, achieved, active, item);
CREATE INDEX IF NOT EXISTS dash_checklist_days ON dash_checklist (commune, achieved, active, day);
CREATE TABLE IF NOT EXISTS dash_visits (
    doc_id TEXT NOT NULL, visit_id TEXT NOT NULL, commune TEXT NOT NULL, date TEXT NOT NULL,
    PRIMARY KEY (doc_id, visit_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dash_visits_date ON dash_visits (commune, date);
CREATE TABLE IF NOT EXISTS dash_warnings (
    doc_id TEXT NOT NULL, commune TEXT NOT NULL, member_id TEXT, field TEXT NOT NULL, code TEXT NOT NULL,
    message_vi TEXT NOT NULL, message_en TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dash_warnings_doc ON dash_warnings (doc_id);
CREATE INDEX IF NOT EXISTS dash_warnings_commune ON dash_warnings (commune);
";

/// The tables derived from the documents.
pub(crate) const DERIVED: [&str; 5] = [
    "dash_households",
    "dash_members",
    "dash_checklist",
    "dash_visits",
    "dash_warnings",
];

/// Deletes the derived rows of one document.
fn forget(conn: &Connection, doc_id: &str) -> rusqlite::Result<()> {
    for table in DERIVED {
        conn.prepare_cached(&format!("DELETE FROM {table} WHERE doc_id = ?1"))?
            .execute([doc_id])?;
    }
    Ok(())
}

/// Validation warnings of a stored household (errors were refused at sync).
pub fn warnings(
    h: &Household,
    now: DateTime<Utc>,
) -> Vec<(Option<String>, gocua_core::validate::Issue)> {
    let later = now + chrono::Duration::days(2);
    let input = HouseholdInput {
        area: h.area.clone(),
        address: h.address.clone(),
        gps: h.digital_address.gps.clone(),
        official: h.digital_address.official.clone(),
        notes: h.notes.clone(),
    };
    let mut out: Vec<_> = validate_household_input(&input, later)
        .1
        .warnings()
        .cloned()
        .map(|i| (None, i))
        .collect();
    for m in h.current_members() {
        let input = MemberInput {
            full_name: m.full_name.clone(),
            birth: m.birth,
            gender: m.gender,
            relation: m.relation,
            id_number: m.id_number.clone(),
            phone: m.phone.clone(),
            residence: m.residence,
        };
        let (_, report) = validate_member_input(&input, later.date_naive());
        out.extend(
            report
                .warnings()
                .cloned()
                .map(|i| (Some(m.id.0.clone()), i)),
        );
    }
    out
}

/// The household row of a document in the query tables.
#[derive(Debug, Clone)]
pub struct HouseholdIdx {
    pub commune: String,
    pub hamlet: String,
    pub created_at: String,
    pub created_by: String,
    pub head_name: Option<String>,
    pub head_fold: Option<String>,
    pub address: String,
    pub plus_code: Option<String>,
    pub members: i64,
    pub five_skills: bool,
    pub active: bool,
    pub conflicts: i64,
    pub warnings: i64,
    pub search: String,
    pub updated_at: String,
    pub created_day: String,
}

#[derive(Debug, Clone)]
pub struct MemberIdx {
    pub member_id: String,
    pub full_name: String,
    pub birth: Option<String>,
    pub gender: Option<String>,
    pub relation: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ChecklistIdx {
    pub member_id: String,
    pub item: String,
    pub status: String,
    pub achieved: bool,
    pub set_at: String,
    pub day: String,
}

#[derive(Debug, Clone)]
pub struct VisitIdx {
    pub visit_id: String,
    pub date: String,
}

#[derive(Debug, Clone)]
pub struct WarningIdx {
    pub member_id: Option<String>,
    pub field: String,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

/// Every query-table row of one document, whatever the store: each backend only writes these
/// (its own SQL), so what the dashboard shows is derived the same way on SQLite and PostgreSQL.
/// The commune and hamlet of the member, checklist, visit and warning rows are the household's.
#[derive(Debug, Clone)]
pub struct DocRows {
    pub household: HouseholdIdx,
    pub members: Vec<MemberIdx>,
    pub checklist: Vec<ChecklistIdx>,
    pub visits: Vec<VisitIdx>,
    pub warnings: Vec<WarningIdx>,
}

/// Derives the rows of one document from its bytes; `None` for a document that cannot be read
/// (it keeps no rows; logged by id only: never its content).
pub fn derive(doc_id: &str, bytes: &[u8], at: DateTime<Utc>) -> Option<DocRows> {
    let mut doc = match HouseholdDoc::load(bytes) {
        Ok(d) => d,
        Err(_) => {
            eprintln!("gocua-hub: dashboard: document {doc_id} unreadable, not indexed");
            return None;
        }
    };
    let (h, conflicts) = match (doc.read(), doc.conflicts()) {
        (Ok(h), Ok(c)) => (h, c.len()),
        _ => {
            eprintln!("gocua-hub: dashboard: document {doc_id} unreadable, not indexed");
            return None;
        }
    };
    let head = h.head_member().map(|m| m.full_name.clone());
    let address = [
        h.address.house_number.as_deref(),
        h.address.alley.as_deref(),
        h.address.street.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let mut search = String::new();
    for m in h.current_members() {
        search.push_str(&fold(&m.full_name));
        search.push('|');
    }
    search.push_str(&fold(&address));
    let warns = warnings(&h, at);
    let active = h.lifecycle == Lifecycle::Active;
    let household = HouseholdIdx {
        commune: h.area.commune_code.clone(),
        hamlet: h.area.hamlet_id.clone(),
        created_at: ts(h.created_at),
        created_by: h.created_by.0.clone(),
        head_fold: head.as_deref().map(fold),
        head_name: head,
        address,
        plus_code: h.digital_address.plus_code.clone(),
        members: h.current_members().count() as i64,
        five_skills: h.has_member_with_5_skills(),
        active,
        conflicts: conflicts as i64,
        warnings: warns.len() as i64,
        search,
        updated_at: ts(at),
        created_day: day(h.created_at),
    };
    let mut members = Vec::new();
    let mut checklist = Vec::new();
    for m in h.current_members() {
        members.push(MemberIdx {
            member_id: m.id.0.clone(),
            full_name: m.full_name.clone(),
            birth: m.birth.map(|b| b.to_code()),
            gender: m.gender.map(|g| g.code().to_owned()),
            relation: m.relation.code().to_owned(),
            id_number: m.id_number.clone(),
            phone: m.phone.clone(),
        });
        for (item, e) in &m.checklist {
            checklist.push(ChecklistIdx {
                member_id: m.id.0.clone(),
                item: item.code().to_owned(),
                status: e.status.code().to_owned(),
                achieved: e.status.is_achieved(),
                set_at: ts(e.set_at),
                day: day(e.set_at),
            });
        }
    }
    // One row per visit id (the last one wins, as the SQLite store's `INSERT OR REPLACE`).
    let mut visits: Vec<VisitIdx> = Vec::new();
    for v in &h.visits {
        let row = VisitIdx {
            visit_id: v.id.0.clone(),
            date: v.date.format("%Y-%m-%d").to_string(),
        };
        match visits.iter_mut().find(|r| r.visit_id == row.visit_id) {
            Some(r) => *r = row,
            None => visits.push(row),
        }
    }
    let warnings = warns
        .into_iter()
        .map(|(member_id, issue)| WarningIdx {
            member_id,
            field: issue.field,
            code: issue.kind.code().to_owned(),
            message_vi: issue.message_vi,
            message_en: issue.message_en,
        })
        .collect();
    Some(DocRows {
        household,
        members,
        checklist,
        visits,
        warnings,
    })
}

/// Re-derives the rows of one document from its bytes ([`derive()`]), in the SQLite store.
pub fn index_doc(
    conn: &Connection,
    doc_id: &str,
    bytes: &[u8],
    at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    forget(conn, doc_id)?;
    let Some(rows) = derive(doc_id, bytes, at) else {
        return Ok(());
    };
    let h = &rows.household;
    conn.prepare_cached(
        "INSERT INTO dash_households (doc_id, commune, hamlet, created_at, created_by, head_name, head_fold, address,
            plus_code, members, five_skills, active, conflicts, warnings, search, updated_at, created_day)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
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
    ])?;
    let mut member_stmt = conn.prepare_cached(
        "INSERT INTO dash_members (doc_id, member_id, commune, hamlet, full_name, birth, gender, relation, id_number, phone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
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
            m.phone
        ])?;
    }
    let mut item_stmt = conn.prepare_cached(
        "INSERT INTO dash_checklist (doc_id, member_id, item, commune, hamlet, status, achieved, set_at, active, day)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
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
        ])?;
    }
    let mut visit_stmt = conn.prepare_cached(
        "INSERT OR REPLACE INTO dash_visits (doc_id, visit_id, commune, date) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for v in &rows.visits {
        visit_stmt.execute(params![doc_id, v.visit_id, h.commune, v.date])?;
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
pub fn ensure(conn: &mut Connection) -> rusqlite::Result<()> {
    let version: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'dash_index_version'",
            [],
            |r| r.get(0),
        )
        .ok();
    if version.is_some() && version.as_deref() != Some(INDEX_VERSION) {
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
    if version.as_deref() != Some(INDEX_VERSION) {
        rebuild(conn)?;
    }
    Ok(())
}

/// Derives every row again from the documents, in one transaction.
pub fn rebuild(conn: &mut Connection) -> rusqlite::Result<usize> {
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
            index_doc(&tx, &id, &bytes, now)?;
            n += 1;
        }
    }
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('dash_index_version', ?1)",
        [INDEX_VERSION],
    )?;
    tx.commit()?;
    Ok(n)
}
