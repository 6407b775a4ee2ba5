//! What the dashboard reads and writes, behind [`DashboardStore`]: the SQLite store's
//! implementation here, the PostgreSQL store's in [`super::pg`]. Every method is one transaction.
//! What both do around their SQL (merging counts, grouping, patterns) is in the shared functions
//! below, so the two stores differ only in their SQL.

use chrono::{DateTime, NaiveDate, Utc};
use gocua_core::sync::merge::heads_to_blob;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::index;
use crate::sqlite::SqliteStore;
use crate::store::{DocWrite, StoreError, StoreResult};
pub(crate) use crate::time::{parse_ts, ts};

#[derive(Debug, Clone)]
pub struct CoordinatorLogin {
    pub coordinator_id: String,
    pub name: String,
    pub commune: String,
    pub password_hash: Option<String>,
}

#[derive(Debug, Clone)]
pub struct WebSession {
    pub token_hash: String,
    pub coordinator_id: String,
    pub csrf: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub at: String,
    pub coordinator_id: String,
    pub commune: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct HamletProgress {
    pub hamlet_id: String,
    pub name: String,
    pub households: u64,
    pub with_five_skills: u64,
    pub members: u64,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Overview {
    pub households: u64,
    pub members: u64,
    pub visits_this_week: u64,
    pub with_five_skills: u64,
    pub hamlets: Vec<HamletProgress>,
    /// Checklist item code -> members for whom it is done or already had.
    pub items_achieved: Vec<(String, u64)>,
    /// Registrations per day (date, count), oldest first.
    pub registrations: Vec<(NaiveDate, u64)>,
    /// Checklist items achieved per day.
    pub completions: Vec<(NaiveDate, u64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeviceRow {
    pub device_id: String,
    pub volunteer_id: String,
    pub area_id: String,
    pub area_name: String,
    pub revoked: bool,
    pub enrolled_at: String,
    pub last_seen_at: Option<String>,
    pub last_success_at: Option<String>,
    pub pending_docs: Option<u32>,
    pub last_error: Option<String>,
    pub recent_sessions: u32,
    pub recent_docs: u64,
    pub recent_bytes: u64,
}

/// A sync session as the dashboard lists it: the store's own record.
pub type SessionRow = crate::store::SessionRecord;

#[derive(Debug, Clone, Serialize)]
pub struct HouseholdRow {
    pub doc_id: String,
    pub hamlet: String,
    pub head_name: Option<String>,
    pub head_fold: Option<String>,
    pub address: String,
    pub plus_code: Option<String>,
    pub members: u32,
    pub five_skills: bool,
    pub active: bool,
    pub conflicts: u32,
    pub warnings: u32,
    pub created_at: String,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberRow {
    pub doc_id: String,
    pub member_id: String,
    pub hamlet: String,
    pub full_name: String,
    pub birth: Option<String>,
    pub gender: Option<String>,
    pub relation: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WarningRow {
    pub doc_id: String,
    pub member_id: Option<String>,
    pub field: String,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistRow {
    pub doc_id: String,
    pub member_id: String,
    pub item: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaRow {
    pub area_id: String,
    pub name: String,
    pub hamlets: Vec<(String, String)>,
}

pub trait DashboardStore: Send + Sync {
    fn coordinator_login(&self, id: &str) -> StoreResult<Option<CoordinatorLogin>>;
    fn set_password(&self, coordinator: &str, hash: &str) -> StoreResult<bool>;
    fn create_session(&self, s: &WebSession) -> StoreResult<()>;
    fn session(&self, token_hash: &str) -> StoreResult<Option<WebSession>>;
    fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    fn stale_hours(&self, coordinator: &str) -> StoreResult<Option<u32>>;
    fn set_stale_hours(&self, coordinator: &str, hours: u32) -> StoreResult<()>;
    fn audit(&self, e: &AuditEntry) -> StoreResult<()>;
    fn audit_log(&self, commune: &str, limit: u32) -> StoreResult<Vec<AuditEntry>>;

    fn overview(&self, commune: &str, week_start: NaiveDate) -> StoreResult<Overview>;
    fn hamlet_names(&self, commune: &str) -> StoreResult<Vec<(String, String)>>;
    fn areas(&self, commune: &str) -> StoreResult<Vec<AreaRow>>;
    fn devices(&self, commune: &str, since: DateTime<Utc>) -> StoreResult<Vec<DeviceRow>>;
    fn device_commune(&self, device_id: &str) -> StoreResult<Option<String>>;
    fn sessions_of(
        &self,
        commune: &str,
        device: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<SessionRow>>;

    fn households(
        &self,
        commune: &str,
        folded_query: &str,
        limit: u32,
        offset: u32,
    ) -> StoreResult<(Vec<HouseholdRow>, u64)>;
    fn household_row(&self, doc_id: &str) -> StoreResult<Option<(String, HouseholdRow)>>;
    fn members(&self, commune: &str) -> StoreResult<Vec<MemberRow>>;
    fn checklist(&self, commune: &str) -> StoreResult<Vec<ChecklistRow>>;
    /// Member rows sharing an ID number or a phone with a member of another household.
    fn shared_identifiers(&self, commune: &str) -> StoreResult<Vec<(String, String, Vec<String>)>>;
    /// Households sharing a Plus Code: (plus code, rows).
    fn shared_plus_codes(&self, commune: &str) -> StoreResult<Vec<(String, Vec<HouseholdRow>)>>;
    fn warnings(&self, commune: &str, limit: u32) -> StoreResult<Vec<WarningRow>>;
    fn conflicted(&self, commune: &str, limit: u32) -> StoreResult<Vec<HouseholdRow>>;
    fn dismissed(&self, commune: &str) -> StoreResult<Vec<String>>;
    fn dismiss(&self, commune: &str, key: &str, at: DateTime<Utc>) -> StoreResult<()>;

    /// Writes a document changed on the hub (a coordinator's edit): new sequence number, so
    /// devices of its area receive it at their next sync; query rows refreshed in the same
    /// transaction. Fails with [`StoreError::ChangedMeanwhile`] when the document changed since `expected_seq`.
    fn write_hub_doc(
        &self,
        w: &DocWrite,
        expected_seq: u64,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
}

const DASH_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS dash_passwords (coordinator_id TEXT PRIMARY KEY, hash TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dash_sessions (
    token_hash TEXT PRIMARY KEY, coordinator_id TEXT NOT NULL, csrf TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dash_settings (coordinator_id TEXT PRIMARY KEY, stale_hours INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dash_audit (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, coordinator_id TEXT NOT NULL, commune TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dash_audit_commune ON dash_audit (commune, id);
CREATE TABLE IF NOT EXISTS dash_dismissed (commune TEXT NOT NULL, key TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (commune, key)) WITHOUT ROWID;
";

/// Creates the dashboard's own tables and the query tables (called when the store opens).
pub fn init(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
    conn.execute_batch(DASH_SCHEMA)?;
    index::ensure(conn)
}

pub(crate) const HOUSEHOLD_COLS: &str = "doc_id, hamlet, head_name, head_fold, address, plus_code, members, five_skills, active, conflicts, warnings, created_at, created_by";

fn household_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<HouseholdRow> {
    Ok(HouseholdRow {
        doc_id: r.get(0)?,
        hamlet: r.get(1)?,
        head_name: r.get(2)?,
        head_fold: r.get(3)?,
        address: r.get(4)?,
        plus_code: r.get(5)?,
        members: r.get(6)?,
        five_skills: r.get(7)?,
        active: r.get(8)?,
        conflicts: r.get(9)?,
        warnings: r.get(10)?,
        created_at: r.get(11)?,
        created_by: r.get(12)?,
    })
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

// --- what every store does the same around its SQL

/// Per-day counts as the charts take them: (`YYYY-MM-DD`, count) rows, unreadable days dropped.
pub(crate) fn days(rows: Vec<(String, u64)>) -> Vec<(NaiveDate, u64)> {
    rows.into_iter()
        .filter_map(|(d, n)| {
            NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .ok()
                .map(|d| (d, n))
        })
        .collect()
}

/// Puts the per-hamlet counts (hamlet, households, with five skills, members) of the active
/// households into the overview: totals, and each hamlet's row (`hamlets`, the commune's named
/// hamlets in order), a hamlet without a name added under its id.
pub(crate) fn add_hamlet_counts(
    o: &mut Overview,
    mut hamlets: Vec<HamletProgress>,
    counts: Vec<(String, u64, u64, u64)>,
) {
    for (hamlet, n, five, members) in counts {
        o.households += n;
        o.with_five_skills += five;
        o.members += members;
        match hamlets.iter_mut().find(|h| h.hamlet_id == hamlet) {
            Some(h) => {
                h.households = n;
                h.with_five_skills = five;
                h.members = members;
            }
            None => hamlets.push(HamletProgress {
                name: hamlet.clone(),
                hamlet_id: hamlet,
                households: n,
                with_five_skills: five,
                members,
            }),
        }
    }
    o.hamlets = hamlets;
}

/// An area's row from its stored columns (hamlets as JSON).
pub(crate) fn area_row(area_id: String, name: String, hamlets_json: &str) -> AreaRow {
    let hamlets: Vec<gocua_core::sync::wire::HamletInfo> =
        serde_json::from_str(hamlets_json).unwrap_or_default();
    AreaRow {
        area_id,
        name,
        hamlets: hamlets.into_iter().map(|h| (h.id, h.name)).collect(),
    }
}

/// The `LIKE` pattern (escape character `\`) of a folded search: matches it anywhere.
pub(crate) fn like_pattern(folded_query: &str) -> String {
    format!(
        "%{}%",
        folded_query
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

/// Households sharing a Plus Code from rows ordered by (plus code, document): one group per code.
pub(crate) fn group_by_code(rows: Vec<(String, HouseholdRow)>) -> Vec<(String, Vec<HouseholdRow>)> {
    let mut out: Vec<(String, Vec<HouseholdRow>)> = Vec::new();
    for (code, row) in rows {
        match out.last_mut() {
            Some((c, v)) if *c == code => v.push(row),
            _ => out.push((code, vec![row])),
        }
    }
    out
}

/// The identifier kinds checked for duplicates across households: (kind, column).
pub(crate) const SHARED_IDENTIFIERS: [(&str, &str); 2] =
    [("id_number", "id_number"), ("phone", "phone")];

fn daily(
    c: &rusqlite::Connection,
    sql: &str,
    commune: &str,
) -> rusqlite::Result<Vec<(NaiveDate, u64)>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt
        .query_map([commune], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(days(rows))
}

impl DashboardStore for SqliteStore {
    fn coordinator_login(&self, id: &str) -> StoreResult<Option<CoordinatorLogin>> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT c.coordinator_id, c.name, c.commune, p.hash FROM coordinators c
                 LEFT JOIN dash_passwords p ON p.coordinator_id = c.coordinator_id WHERE c.coordinator_id = ?1",
                [id],
                |r| {
                    Ok(CoordinatorLogin {
                        coordinator_id: r.get(0)?,
                        name: r.get(1)?,
                        commune: r.get(2)?,
                        password_hash: r.get(3)?,
                    })
                },
            )
            .optional()?)
        })
    }

    fn set_password(&self, coordinator: &str, hash: &str) -> StoreResult<bool> {
        self.with(|c| {
            let exists: i64 = c.query_row(
                "SELECT COUNT(*) FROM coordinators WHERE coordinator_id = ?1",
                [coordinator],
                |r| r.get(0),
            )?;
            if exists == 0 {
                return Ok(false);
            }
            c.execute(
                "INSERT OR REPLACE INTO dash_passwords (coordinator_id, hash) VALUES (?1, ?2)",
                params![coordinator, hash],
            )?;
            // A new password ends every session of the account.
            c.execute(
                "DELETE FROM dash_sessions WHERE coordinator_id = ?1",
                [coordinator],
            )?;
            Ok(true)
        })
    }

    fn create_session(&self, s: &WebSession) -> StoreResult<()> {
        self.with(|c| {
            c.execute("DELETE FROM dash_sessions WHERE expires_at < ?1", [ts(s.created_at)])?;
            c.execute(
                "INSERT INTO dash_sessions (token_hash, coordinator_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![s.token_hash, s.coordinator_id, s.csrf, ts(s.created_at), ts(s.expires_at)],
            )?;
            Ok(())
        })
    }

    fn session(&self, token_hash: &str) -> StoreResult<Option<WebSession>> {
        self.with(|c| {
            let row: Option<(String, String, String, String, String)> = c
                .query_row(
                    "SELECT token_hash, coordinator_id, csrf, created_at, expires_at FROM dash_sessions WHERE token_hash = ?1",
                    [token_hash],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            Ok(row.map(|(token_hash, coordinator_id, csrf, created, expires)| WebSession {
                token_hash,
                coordinator_id,
                csrf,
                created_at: parse_ts(&created),
                expires_at: parse_ts(&expires),
            }))
        })
    }

    fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "DELETE FROM dash_sessions WHERE token_hash = ?1",
                [token_hash],
            )?;
            Ok(())
        })
    }

    fn stale_hours(&self, coordinator: &str) -> StoreResult<Option<u32>> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT stale_hours FROM dash_settings WHERE coordinator_id = ?1",
                [coordinator],
                |r| r.get(0),
            )
            .optional()?)
        })
    }

    fn set_stale_hours(&self, coordinator: &str, hours: u32) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT OR REPLACE INTO dash_settings (coordinator_id, stale_hours) VALUES (?1, ?2)",
                params![coordinator, hours],
            )?;
            Ok(())
        })
    }

    fn audit(&self, e: &AuditEntry) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO dash_audit (at, coordinator_id, commune, action, target, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![e.at, e.coordinator_id, e.commune, e.action, e.target, e.outcome],
            )?;
            Ok(())
        })
    }

    fn audit_log(&self, commune: &str, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT at, coordinator_id, commune, action, target, outcome FROM dash_audit WHERE commune = ?1 ORDER BY id DESC LIMIT ?2",
            )?;
            let rows = stmt
                .query_map(params![commune, limit], |r| {
                    Ok(AuditEntry {
                        at: r.get(0)?,
                        coordinator_id: r.get(1)?,
                        commune: r.get(2)?,
                        action: r.get(3)?,
                        target: r.get(4)?,
                        outcome: r.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn overview(&self, commune: &str, week_start: NaiveDate) -> StoreResult<Overview> {
        self.with(|c| {
            let tx = c.transaction()?;
            let mut o = Overview::default();
            let hamlets: Vec<HamletProgress> = {
                let mut stmt = tx.prepare_cached(
                    "SELECT hamlet_id, name FROM hamlets WHERE commune = ?1 ORDER BY name",
                )?;
                stmt.query_map([commune], |r| {
                    Ok(HamletProgress {
                        hamlet_id: r.get(0)?,
                        name: r.get(1)?,
                        ..Default::default()
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?
            };
            {
                let mut stmt = tx.prepare_cached(
                    "SELECT hamlet, COUNT(*), SUM(five_skills), SUM(members) FROM dash_households
                     WHERE commune = ?1 AND active = 1 GROUP BY hamlet",
                )?;
                let rows = stmt
                    .query_map([commune], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, i64>(1)? as u64,
                            r.get::<_, i64>(2)? as u64,
                            r.get::<_, i64>(3)? as u64,
                        ))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                add_hamlet_counts(&mut o, hamlets, rows);
            }
            o.visits_this_week = tx.query_row(
                "SELECT COUNT(*) FROM dash_visits WHERE commune = ?1 AND date >= ?2",
                params![commune, week_start.format("%Y-%m-%d").to_string()],
                |r| r.get::<_, i64>(0),
            )? as u64;
            {
                let mut stmt = tx.prepare_cached(
                    "SELECT item, COUNT(*) FROM dash_checklist WHERE commune = ?1 AND achieved = 1 AND active = 1 GROUP BY item",
                )?;
                o.items_achieved = stmt
                    .query_map([commune], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
            }
            o.registrations = daily(
                &tx,
                "SELECT created_day, COUNT(*) FROM dash_households WHERE commune = ?1 AND active = 1 GROUP BY created_day ORDER BY created_day",
                commune,
            )?;
            o.completions = daily(
                &tx,
                "SELECT day, COUNT(*) FROM dash_checklist WHERE commune = ?1 AND achieved = 1 AND active = 1 GROUP BY day ORDER BY day",
                commune,
            )?;
            Ok(o)
        })
    }

    fn hamlet_names(&self, commune: &str) -> StoreResult<Vec<(String, String)>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT hamlet_id, name FROM hamlets WHERE commune = ?1 ORDER BY name",
            )?;
            let rows = stmt
                .query_map([commune], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn areas(&self, commune: &str) -> StoreResult<Vec<AreaRow>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT area_id, name, hamlets_json FROM areas WHERE commune = ?1 ORDER BY name",
            )?;
            let rows = stmt
                .query_map([commune], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows
                .into_iter()
                .map(|(area_id, name, json)| area_row(area_id, name, &json))
                .collect())
        })
    }

    fn devices(&self, commune: &str, since: DateTime<Utc>) -> StoreResult<Vec<DeviceRow>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT d.device_id, d.volunteer_id, d.area_id, a.name, d.revoked_at IS NOT NULL, d.enrolled_at,
                        d.last_seen_at, d.last_success_at, d.pending_docs, d.last_error,
                        (SELECT COUNT(*) FROM sessions s WHERE s.device_id = d.device_id AND s.started_at >= ?2),
                        (SELECT COALESCE(SUM(docs_up + docs_down), 0) FROM sessions s WHERE s.device_id = d.device_id AND s.started_at >= ?2),
                        (SELECT COALESCE(SUM(bytes_up + bytes_down), 0) FROM sessions s WHERE s.device_id = d.device_id AND s.started_at >= ?2)
                 FROM devices d JOIN areas a ON a.area_id = d.area_id
                 WHERE a.commune = ?1 ORDER BY d.volunteer_id, d.device_id",
            )?;
            let rows = stmt
                .query_map(params![commune, ts(since)], |r| {
                    Ok(DeviceRow {
                        device_id: r.get(0)?,
                        volunteer_id: r.get(1)?,
                        area_id: r.get(2)?,
                        area_name: r.get(3)?,
                        revoked: r.get(4)?,
                        enrolled_at: r.get(5)?,
                        last_seen_at: r.get(6)?,
                        last_success_at: r.get(7)?,
                        pending_docs: r.get(8)?,
                        last_error: r.get(9)?,
                        recent_sessions: r.get(10)?,
                        recent_docs: r.get::<_, i64>(11)? as u64,
                        recent_bytes: r.get::<_, i64>(12)? as u64,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn device_commune(&self, device_id: &str) -> StoreResult<Option<String>> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT a.commune FROM devices d JOIN areas a ON a.area_id = d.area_id WHERE d.device_id = ?1",
                [device_id],
                |r| r.get(0),
            )
            .optional()?)
        })
    }

    fn sessions_of(
        &self,
        commune: &str,
        device: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<SessionRow>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT s.session_id, s.device_id, s.volunteer_id, s.started_at, s.ended_at, s.outcome, s.docs_up, s.bytes_up,
                        s.docs_down, s.bytes_down, s.rejected, s.pending_before, s.pending_after, s.error
                 FROM sessions s JOIN devices d ON d.device_id = s.device_id JOIN areas a ON a.area_id = d.area_id
                 WHERE a.commune = ?1 AND (?2 IS NULL OR s.device_id = ?2)
                 ORDER BY s.session_id DESC LIMIT ?3",
            )?;
            let rows = stmt
                .query_map(params![commune, device, limit], session_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn households(
        &self,
        commune: &str,
        folded_query: &str,
        limit: u32,
        offset: u32,
    ) -> StoreResult<(Vec<HouseholdRow>, u64)> {
        self.with(|c| {
            let pattern = like_pattern(folded_query);
            let total: i64 = c.query_row(
                "SELECT COUNT(*) FROM dash_households WHERE commune = ?1 AND search LIKE ?2 ESCAPE '\\'",
                params![commune, pattern],
                |r| r.get(0),
            )?;
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {HOUSEHOLD_COLS} FROM dash_households WHERE commune = ?1 AND search LIKE ?2 ESCAPE '\\'
                 ORDER BY hamlet, head_fold, doc_id LIMIT ?3 OFFSET ?4"
            ))?;
            let rows = stmt
                .query_map(params![commune, pattern, limit, offset], household_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((rows, total as u64))
        })
    }

    fn household_row(&self, doc_id: &str) -> StoreResult<Option<(String, HouseholdRow)>> {
        self.with(|c| {
            Ok(c.query_row(
                &format!("SELECT {HOUSEHOLD_COLS}, commune FROM dash_households WHERE doc_id = ?1"),
                [doc_id],
                |r| Ok((r.get(13)?, household_row(r)?)),
            )
            .optional()?)
        })
    }

    fn members(&self, commune: &str) -> StoreResult<Vec<MemberRow>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT doc_id, member_id, hamlet, full_name, birth, gender, relation, id_number, phone FROM dash_members
                 WHERE commune = ?1 ORDER BY hamlet, doc_id, member_id",
            )?;
            let rows = stmt
                .query_map([commune], |r| {
                    Ok(MemberRow {
                        doc_id: r.get(0)?,
                        member_id: r.get(1)?,
                        hamlet: r.get(2)?,
                        full_name: r.get(3)?,
                        birth: r.get(4)?,
                        gender: r.get(5)?,
                        relation: r.get(6)?,
                        id_number: r.get(7)?,
                        phone: r.get(8)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn checklist(&self, commune: &str) -> StoreResult<Vec<ChecklistRow>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT doc_id, member_id, item, status FROM dash_checklist WHERE commune = ?1",
            )?;
            let rows = stmt
                .query_map([commune], |r| {
                    Ok(ChecklistRow {
                        doc_id: r.get(0)?,
                        member_id: r.get(1)?,
                        item: r.get(2)?,
                        status: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn shared_identifiers(&self, commune: &str) -> StoreResult<Vec<(String, String, Vec<String>)>> {
        self.with(|c| {
            let mut out = Vec::new();
            for (kind, col) in SHARED_IDENTIFIERS {
                let mut stmt = c.prepare_cached(&format!(
                    "SELECT {col}, group_concat(DISTINCT doc_id) FROM dash_members WHERE commune = ?1 AND {col} IS NOT NULL
                     GROUP BY {col} HAVING COUNT(DISTINCT doc_id) > 1 ORDER BY {col}"
                ))?;
                let rows = stmt
                    .query_map([commune], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                for (value, docs) in rows {
                    let mut docs: Vec<String> = docs.split(',').map(str::to_owned).collect();
                    docs.sort();
                    out.push((kind.to_owned(), value, docs));
                }
            }
            Ok(out)
        })
    }

    fn shared_plus_codes(&self, commune: &str) -> StoreResult<Vec<(String, Vec<HouseholdRow>)>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {HOUSEHOLD_COLS}, plus_code FROM dash_households WHERE commune = ?1 AND active = 1 AND plus_code IN (
                    SELECT plus_code FROM dash_households WHERE commune = ?1 AND active = 1 AND plus_code IS NOT NULL
                    GROUP BY plus_code HAVING COUNT(*) > 1)
                 ORDER BY plus_code, doc_id"
            ))?;
            let rows = stmt
                .query_map([commune], |r| Ok((r.get::<_, String>(13)?, household_row(r)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(group_by_code(rows))
        })
    }

    fn warnings(&self, commune: &str, limit: u32) -> StoreResult<Vec<WarningRow>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT doc_id, member_id, field, code, message_vi, message_en FROM dash_warnings WHERE commune = ?1
                 ORDER BY doc_id, member_id, field LIMIT ?2",
            )?;
            let rows = stmt
                .query_map(params![commune, limit], |r| {
                    Ok(WarningRow {
                        doc_id: r.get(0)?,
                        member_id: r.get(1)?,
                        field: r.get(2)?,
                        code: r.get(3)?,
                        message_vi: r.get(4)?,
                        message_en: r.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn conflicted(&self, commune: &str, limit: u32) -> StoreResult<Vec<HouseholdRow>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {HOUSEHOLD_COLS} FROM dash_households WHERE commune = ?1 AND conflicts > 0 ORDER BY updated_at DESC LIMIT ?2"
            ))?;
            let rows = stmt
                .query_map(params![commune, limit], household_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn dismissed(&self, commune: &str) -> StoreResult<Vec<String>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached("SELECT key FROM dash_dismissed WHERE commune = ?1")?;
            let rows = stmt
                .query_map([commune], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn dismiss(&self, commune: &str, key: &str, at: DateTime<Utc>) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT OR REPLACE INTO dash_dismissed (commune, key, at) VALUES (?1, ?2, ?3)",
                params![commune, key, ts(at)],
            )?;
            Ok(())
        })
    }

    fn write_hub_doc(
        &self,
        w: &DocWrite,
        expected_seq: u64,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let current: Option<i64> = tx
                .query_row("SELECT seq FROM docs WHERE doc_id = ?1", [&w.id], |r| r.get(0))
                .optional()?;
            if current != Some(expected_seq as i64) {
                return Err(StoreError::ChangedMeanwhile { id: w.id.clone() });
            }
            let seq: i64 =
                tx.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM docs", [], |r| r.get(0))?;
            tx.execute(
                "UPDATE docs SET commune = ?2, hamlet = ?3, seq = ?4, heads = ?5, bytes = ?6, updated_at = ?7, updated_by = ?8 WHERE doc_id = ?1",
                params![w.id, w.commune, w.hamlet, seq, heads_to_blob(&w.heads), w.bytes, ts(at), by],
            )?;
            index::index_doc(&tx, &w.id, &w.bytes, at)?;
            tx.commit()?;
            Ok(())
        })
    }
}
