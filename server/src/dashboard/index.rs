//! Query tables of the dashboard, derived from the household documents: written in the same
//! transaction as the document (see `SqliteStore::commit_push` and [`super::data`]), and
//! rebuildable from the documents at any time (`rebuild`). Reading every document per page view
//! would not scale to a commune of 10,000 households.

use chrono::{DateTime, Utc};
use gocua_core::HouseholdDoc;
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::{Household, Lifecycle};
use gocua_core::text::fold;
use gocua_core::validate::{validate_household_input, validate_member_input};
use rusqlite::{Connection, params};

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
const DERIVED: [&str; 5] = [
    "dash_households",
    "dash_members",
    "dash_checklist",
    "dash_visits",
    "dash_warnings",
];

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The day of a time, in Vietnam (UTC+7), as charts show it.
fn day(t: DateTime<Utc>) -> String {
    (t + chrono::Duration::hours(7))
        .format("%Y-%m-%d")
        .to_string()
}

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

/// Re-derives the rows of one document from its bytes. A document that cannot be read keeps no
/// rows (logged by id only: never its content).
pub fn index_doc(
    conn: &Connection,
    doc_id: &str,
    bytes: &[u8],
    at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    forget(conn, doc_id)?;
    let mut doc = match HouseholdDoc::load(bytes) {
        Ok(d) => d,
        Err(_) => {
            eprintln!("gocua-hub: dashboard: document {doc_id} unreadable, not indexed");
            return Ok(());
        }
    };
    let (h, conflicts) = match (doc.read(), doc.conflicts()) {
        (Ok(h), Ok(c)) => (h, c.len()),
        _ => {
            eprintln!("gocua-hub: dashboard: document {doc_id} unreadable, not indexed");
            return Ok(());
        }
    };
    let commune = h.area.commune_code.as_str();
    let hamlet = h.area.hamlet_id.as_str();
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
    let members = h.current_members().count();
    let active = h.lifecycle == Lifecycle::Active;
    conn.prepare_cached(
        "INSERT INTO dash_households (doc_id, commune, hamlet, created_at, created_by, head_name, head_fold, address,
            plus_code, members, five_skills, active, conflicts, warnings, search, updated_at, created_day)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        doc_id,
        commune,
        hamlet,
        ts(h.created_at),
        h.created_by.0,
        head,
        head.as_deref().map(fold),
        address,
        h.digital_address.plus_code,
        members as i64,
        h.has_member_with_5_skills(),
        active,
        conflicts as i64,
        warns.len() as i64,
        search,
        ts(at),
        day(h.created_at),
    ])?;
    let mut member_stmt = conn.prepare_cached(
        "INSERT INTO dash_members (doc_id, member_id, commune, hamlet, full_name, birth, gender, relation, id_number, phone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut item_stmt = conn.prepare_cached(
        "INSERT INTO dash_checklist (doc_id, member_id, item, commune, hamlet, status, achieved, set_at, active, day)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for m in h.current_members() {
        member_stmt.execute(params![
            doc_id,
            m.id.0,
            commune,
            hamlet,
            m.full_name,
            m.birth.map(|b| b.to_code()),
            m.gender.map(|g| g.code()),
            m.relation.code(),
            m.id_number,
            m.phone
        ])?;
        for (item, e) in &m.checklist {
            item_stmt.execute(params![
                doc_id,
                m.id.0,
                item.code(),
                commune,
                hamlet,
                e.status.code(),
                e.status.is_achieved(),
                ts(e.set_at),
                active,
                day(e.set_at),
            ])?;
        }
    }
    let mut visit_stmt = conn.prepare_cached(
        "INSERT OR REPLACE INTO dash_visits (doc_id, visit_id, commune, date) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for v in &h.visits {
        visit_stmt.execute(params![
            doc_id,
            v.id.0,
            commune,
            v.date.format("%Y-%m-%d").to_string()
        ])?;
    }
    let mut warn_stmt = conn.prepare_cached(
        "INSERT INTO dash_warnings (doc_id, commune, member_id, field, code, message_vi, message_en)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (member, issue) in warns {
        warn_stmt.execute(params![
            doc_id,
            commune,
            member,
            issue.field,
            issue.kind.code(),
            issue.message_vi,
            issue.message_en
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
