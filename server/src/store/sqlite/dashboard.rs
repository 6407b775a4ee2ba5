//! The SQLite store's answers to the dashboard's queries ([`DashboardStore`]), over the query
//! tables of [`super::index`].

use chrono::{DateTime, NaiveDate, Utc};
use gocua_core::sync::merge::{heads_from_blob, heads_to_blob};
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, check_seq, index, session_row};
use crate::store::Role;
use crate::store::query::*;
use crate::store::{DocWrite, StoreResult};
use crate::time::{parse_ts, ts};

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
                "SELECT c.coordinator_id, c.name, c.commune, p.hash, c.role FROM coordinators c
                 LEFT JOIN dash_passwords p ON p.coordinator_id = c.coordinator_id WHERE c.coordinator_id = ?1",
                [id],
                |r| {
                    Ok(CoordinatorLogin {
                        coordinator_id: r.get(0)?,
                        name: r.get(1)?,
                        commune: r.get(2)?,
                        password_hash: r.get(3)?,
                        role: Role::from_code(&r.get::<_, String>(4)?),
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
        self.audit_between(commune, "", "~", limit)
    }

    fn audit_between(
        &self,
        commune: &str,
        start: &str,
        end: &str,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT at, coordinator_id, commune, action, target, outcome FROM dash_audit
                 WHERE commune = ?1 AND at >= ?2 AND at < ?3 ORDER BY id DESC LIMIT ?4",
            )?;
            let rows = stmt
                .query_map(params![commune, start, end, limit], |r| {
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
                    "SELECT hamlet_id, name FROM hamlets WHERE commune = ?1 AND retired_at IS NULL ORDER BY name",
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
            o.to_verify = tx.query_row(
                "SELECT COUNT(*) FROM dash_households WHERE commune = ?1 AND active = 0 AND to_verify = 1",
                [commune],
                |r| r.get::<_, i64>(0),
            )? as u64;
            {
                let targets = tx
                    .prepare_cached(
                        "SELECT hamlet_id, expected_households FROM hamlet_targets WHERE commune = ?1",
                    )?
                    .query_map([commune], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                let indicators = serde_json::to_string(&HAMLET_INDICATORS).unwrap_or_default();
                let items = tx
                    .prepare_cached(
                        "SELECT hamlet, item, COUNT(*) FROM dash_checklist
                         WHERE commune = ?1 AND achieved = 1 AND active = 1
                           AND item IN (SELECT value FROM json_each(?2)) GROUP BY hamlet, item",
                    )?
                    .query_map(params![commune, indicators], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, i64>(2)? as u64,
                        ))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                add_hamlet_targets_and_items(&mut o, targets, items);
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
            let weeks = tx
                .prepare_cached(
                    "SELECT hamlet, created_day, COUNT(*) FROM dash_households
                     WHERE commune = ?1 AND active = 1 AND created_day >= ?2 GROUP BY hamlet, created_day",
                )?
                .query_map(
                    params![commune, trend_start(week_start).format("%Y-%m-%d").to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64)),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            add_hamlet_weeks(&mut o, week_start, weeks);
            Ok(o)
        })
    }

    fn household_marks(&self, commune: &str) -> StoreResult<Vec<HouseholdMark>> {
        self.with(|c| super::activity::household_marks(c, commune))
    }

    fn activity(
        &self,
        commune: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ActivityRow>> {
        self.with(|c| super::activity::activity(c, commune, from, to))
    }

    fn hamlet_names(&self, commune: &str) -> StoreResult<Vec<(String, String)>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT hamlet_id, name FROM hamlets WHERE commune = ?1 AND retired_at IS NULL ORDER BY name",
            )?;
            let rows = stmt
                .query_map([commune], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn communes(&self) -> StoreResult<Vec<String>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT DISTINCT commune FROM hamlets WHERE retired_at IS NULL ORDER BY commune",
            )?;
            let rows = stmt
                .query_map([], |r| r.get(0))?
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
                        (SELECT COALESCE(SUM(bytes_up + bytes_down), 0) FROM sessions s WHERE s.device_id = d.device_id AND s.started_at >= ?2),
                        d.wiped_at, d.clock_skew_secs, d.paused_at IS NOT NULL
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
                        wiped_at: r.get(13)?,
                        clock_skew_secs: r.get(14)?,
                        paused: r.get(15)?,
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
        started: (&str, &str),
        limit: u32,
    ) -> StoreResult<Vec<SessionRow>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT s.session_id, s.device_id, s.volunteer_id, s.started_at, s.ended_at, s.outcome, s.docs_up, s.bytes_up,
                        s.docs_down, s.bytes_down, s.rejected, s.pending_before, s.pending_after, s.error
                 FROM sessions s JOIN devices d ON d.device_id = s.device_id JOIN areas a ON a.area_id = d.area_id
                 WHERE a.commune = ?1 AND (?2 IS NULL OR s.device_id = ?2) AND s.started_at >= ?3 AND s.started_at < ?4
                 ORDER BY s.session_id DESC LIMIT ?5",
            )?;
            let rows = stmt
                .query_map(params![commune, device, started.0, started.1, limit], session_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn refusals_of(
        &self,
        commune: &str,
        device: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<RefusalRow>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT r.session_id, s.device_id, r.doc_id, r.code
                 FROM rejections r JOIN sessions s ON s.session_id = r.session_id
                 JOIN devices d ON d.device_id = s.device_id JOIN areas a ON a.area_id = d.area_id
                 WHERE a.commune = ?1 AND (?2 IS NULL OR s.device_id = ?2)
                 ORDER BY r.session_id DESC, r.doc_id LIMIT ?3",
            )?;
            let rows = stmt
                .query_map(params![commune, device, limit], |r| {
                    Ok(RefusalRow {
                        session_id: r.get::<_, i64>(0)? as u64,
                        device_id: r.get(1)?,
                        doc_id: r.get(2)?,
                        code: r.get(3)?,
                    })
                })?
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

    fn hamlet_households(&self, commune: &str, hamlet: &str) -> StoreResult<Vec<String>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT doc_id FROM dash_households WHERE commune = ?1 AND hamlet = ?2 AND active = 1
                 ORDER BY head_fold, doc_id",
            )?;
            let ids = stmt
                .query_map(params![commune, hamlet], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(ids)
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
                "SELECT doc_id, member_id, hamlet, full_name, birth, gender, relation, id_number, phone, shared FROM dash_members
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
                        shared: r.get(9)?,
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

    fn active_households(&self, commune: &str) -> StoreResult<Vec<HouseholdRow>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {HOUSEHOLD_COLS} FROM dash_households WHERE commune = ?1 AND active = 1 ORDER BY doc_id"
            ))?;
            let rows = stmt
                .query_map([commune], household_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
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

    fn record_merge(&self, m: &MergeRecord) -> StoreResult<i64> {
        self.with(|c| {
            c.execute(
                "INSERT INTO merges (commune, keep_id, other_id, keep_heads, other_heads, keep_seq, other_seq, at, by_whom)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    m.commune,
                    m.keep_id,
                    m.other_id,
                    heads_to_blob(&m.keep_heads),
                    heads_to_blob(&m.other_heads),
                    m.keep_seq as i64,
                    m.other_seq as i64,
                    m.at,
                    m.by
                ],
            )?;
            Ok(c.last_insert_rowid())
        })
    }

    fn merges(&self, commune: &str, limit: u32) -> StoreResult<Vec<MergeRecord>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT merge_id, commune, keep_id, other_id, keep_heads, other_heads, keep_seq, other_seq, at, by_whom, undone_at
                 FROM merges WHERE commune = ?1 ORDER BY merge_id DESC LIMIT ?2",
            )?;
            let rows = stmt
                .query_map(params![commune, limit], |r| {
                    Ok(MergeRecord {
                        merge_id: r.get(0)?,
                        commune: r.get(1)?,
                        keep_id: r.get(2)?,
                        other_id: r.get(3)?,
                        keep_heads: heads_from_blob(&r.get::<_, Vec<u8>>(4)?),
                        other_heads: heads_from_blob(&r.get::<_, Vec<u8>>(5)?),
                        keep_seq: r.get::<_, i64>(6)? as u64,
                        other_seq: r.get::<_, i64>(7)? as u64,
                        at: r.get(8)?,
                        by: r.get(9)?,
                        undone_at: r.get(10)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    fn merge_undone(&self, merge_id: i64, at: DateTime<Utc>) -> StoreResult<bool> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE merges SET undone_at = ?2 WHERE merge_id = ?1 AND undone_at IS NULL",
                params![merge_id, ts(at)],
            )? > 0)
        })
    }

    fn write_hub_doc(&self, w: &DocWrite, by: &str, at: DateTime<Utc>) -> StoreResult<()> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            check_seq(&tx, w, true)?;
            // Documents and erasures share the hub's sequence: a number below an erasure's would
            // sit behind the cursor of a device that already saw the erasure, which would then
            // never receive this write.
            let seq = super::max_seq(&tx)? + 1;
            tx.execute(
                "UPDATE docs SET commune = ?2, hamlet = ?3, seq = ?4, heads = ?5, bytes = ?6, updated_at = ?7, updated_by = ?8 WHERE doc_id = ?1",
                params![w.id, w.commune, w.hamlet, seq, heads_to_blob(&w.heads), w.bytes, ts(at), by],
            )?;
            index::write_rows(&tx, &w.id, Some(&w.rows))?;
            tx.commit()?;
            Ok(())
        })
    }
}
