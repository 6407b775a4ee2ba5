//! The PostgreSQL store's answers to the dashboard's queries ([`DashboardStore`]): the same
//! queries as the SQLite store's, over the tables of `server/migrations/postgres/0002_dashboard.sql`.
//! What to do with the rows around the SQL (`store/query.rs`'s shared functions) is the same code
//! on both stores; only the SQL differs.
//!
//! Several hub processes share one database: the query rows of a document are written in the
//! transaction that writes it (`commit_push`, `erase_doc`, [`DashboardStore::write_hub_doc`]),
//! which holds the hub-wide counter's row lock (`hub_seq`, taken first by every writer) and the
//! document's row lock; so the rows always match the stored document, whichever process wrote
//! it. Reads that combine several queries (the overview) run in one snapshot.

use chrono::{DateTime, NaiveDate, Utc};
use gocua_core::sync::merge::{heads_from_blob, heads_to_blob};
use postgres::GenericClient;

use super::{PgStore, index, lock_doc, session_row};
use crate::store::Role;
use crate::store::query::*;
use crate::store::{DocWrite, StoreError, StoreResult};
use crate::time::{parse_ts, ts};

fn household_row(r: &postgres::Row) -> HouseholdRow {
    HouseholdRow {
        doc_id: r.get(0),
        hamlet: r.get(1),
        head_name: r.get(2),
        head_fold: r.get(3),
        address: r.get(4),
        plus_code: r.get(5),
        members: r.get::<_, i32>(6) as u32,
        five_skills: r.get(7),
        active: r.get(8),
        conflicts: r.get::<_, i32>(9) as u32,
        warnings: r.get::<_, i32>(10) as u32,
        created_at: r.get(11),
        created_by: r.get(12),
    }
}

fn day_counts(
    c: &mut impl GenericClient,
    sql: &str,
    commune: &str,
) -> Result<Vec<(NaiveDate, u64)>, postgres::Error> {
    let rows = c
        .query(sql, &[&commune])?
        .into_iter()
        .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1) as u64))
        .collect();
    Ok(days(rows))
}

fn limit(n: u32) -> i64 {
    i64::from(n)
}

impl DashboardStore for PgStore {
    fn coordinator_login(&self, id: &str) -> StoreResult<Option<CoordinatorLogin>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT c.coordinator_id, c.name, c.commune, p.hash, c.role FROM coordinators c
                 LEFT JOIN dash_passwords p ON p.coordinator_id = c.coordinator_id WHERE c.coordinator_id = $1",
                &[&id],
            )?
            .map(|r| CoordinatorLogin {
                coordinator_id: r.get(0),
                name: r.get(1),
                commune: r.get(2),
                password_hash: r.get(3),
                role: Role::from_code(&r.get::<_, String>(4)),
            }))
        })
    }

    fn set_password(&self, coordinator: &str, hash: &str) -> StoreResult<bool> {
        self.tx(|tx| {
            let exists = tx
                .query_opt(
                    "SELECT 1 FROM coordinators WHERE coordinator_id = $1",
                    &[&coordinator],
                )?
                .is_some();
            if !exists {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO dash_passwords (coordinator_id, hash) VALUES ($1, $2)
                 ON CONFLICT (coordinator_id) DO UPDATE SET hash = $2",
                &[&coordinator, &hash],
            )?;
            // A new password ends every session of the account, on every hub process.
            tx.execute(
                "DELETE FROM dash_sessions WHERE coordinator_id = $1",
                &[&coordinator],
            )?;
            Ok(true)
        })
    }

    fn create_session(&self, s: &WebSession) -> StoreResult<()> {
        let created = ts(s.created_at);
        let expires = ts(s.expires_at);
        self.tx(|tx| {
            tx.execute(
                "DELETE FROM dash_sessions WHERE expires_at < $1",
                &[&created],
            )?;
            tx.execute(
                "INSERT INTO dash_sessions (token_hash, coordinator_id, csrf, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
                &[&s.token_hash, &s.coordinator_id, &s.csrf, &created, &expires],
            )?;
            Ok(())
        })
    }

    fn session(&self, token_hash: &str) -> StoreResult<Option<WebSession>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT token_hash, coordinator_id, csrf, created_at, expires_at FROM dash_sessions WHERE token_hash = $1",
                &[&token_hash],
            )?
            .map(|r| WebSession {
                token_hash: r.get(0),
                coordinator_id: r.get(1),
                csrf: r.get(2),
                created_at: parse_ts(r.get(3)),
                expires_at: parse_ts(r.get(4)),
            }))
        })
    }

    fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "DELETE FROM dash_sessions WHERE token_hash = $1",
                &[&token_hash],
            )?;
            Ok(())
        })
    }

    fn stale_hours(&self, coordinator: &str) -> StoreResult<Option<u32>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT stale_hours FROM dash_settings WHERE coordinator_id = $1",
                &[&coordinator],
            )?
            .map(|r| r.get::<_, i32>(0) as u32))
        })
    }

    fn set_stale_hours(&self, coordinator: &str, hours: u32) -> StoreResult<()> {
        let hours = i32::try_from(hours).map_err(|_| StoreError::OutOfRange {
            what: "stale hours",
        })?;
        self.with(|c| {
            c.execute(
                "INSERT INTO dash_settings (coordinator_id, stale_hours) VALUES ($1, $2)
                 ON CONFLICT (coordinator_id) DO UPDATE SET stale_hours = $2",
                &[&coordinator, &hours],
            )?;
            Ok(())
        })
    }

    fn audit(&self, e: &AuditEntry) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO dash_audit (at, coordinator_id, commune, action, target, outcome) VALUES ($1, $2, $3, $4, $5, $6)",
                &[&e.at, &e.coordinator_id, &e.commune, &e.action, &e.target, &e.outcome],
            )?;
            Ok(())
        })
    }

    fn audit_log(&self, commune: &str, n: u32) -> StoreResult<Vec<AuditEntry>> {
        self.audit_between(commune, "", "~", n)
    }

    fn audit_between(
        &self,
        commune: &str,
        start: &str,
        end: &str,
        n: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT at, coordinator_id, commune, action, target, outcome FROM dash_audit
                 WHERE commune = $1 AND at >= $2 AND at < $3 ORDER BY id DESC LIMIT $4",
                &[&commune, &start, &end, &limit(n)],
            )?
            .into_iter()
            .map(|r| AuditEntry {
                at: r.get(0),
                coordinator_id: r.get(1),
                commune: r.get(2),
                action: r.get(3),
                target: r.get(4),
                outcome: r.get(5),
            })
            .collect())
        })
    }

    fn overview(&self, commune: &str, week_start: NaiveDate) -> StoreResult<Overview> {
        let monday = week_start;
        let trend_from = trend_start(monday).format("%Y-%m-%d").to_string();
        let week_start = week_start.format("%Y-%m-%d").to_string();
        self.tx(|tx| {
            // Every number from one snapshot, whatever other hub processes commit meanwhile.
            tx.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
            let mut o = Overview::default();
            let hamlets: Vec<HamletProgress> = tx
                .query(
                    "SELECT hamlet_id, name FROM hamlets WHERE commune = $1 AND retired_at IS NULL ORDER BY name COLLATE \"C\"",
                    &[&commune],
                )?
                .into_iter()
                .map(|r| HamletProgress {
                    hamlet_id: r.get(0),
                    name: r.get(1),
                    ..Default::default()
                })
                .collect();
            o.to_verify = tx
                .query_one(
                    "SELECT COUNT(*) FROM dash_households WHERE commune = $1 AND NOT active AND to_verify",
                    &[&commune],
                )?
                .get::<_, i64>(0) as u64;
            let counts = tx
                .query(
                    "SELECT hamlet, COUNT(*), COUNT(*) FILTER (WHERE five_skills), COALESCE(SUM(members), 0)::BIGINT
                     FROM dash_households WHERE commune = $1 AND active GROUP BY hamlet ORDER BY hamlet",
                    &[&commune],
                )?
                .into_iter()
                .map(|r| {
                    (
                        r.get::<_, String>(0),
                        r.get::<_, i64>(1) as u64,
                        r.get::<_, i64>(2) as u64,
                        r.get::<_, i64>(3) as u64,
                    )
                })
                .collect();
            add_hamlet_counts(&mut o, hamlets, counts);
            let targets = tx
                .query(
                    "SELECT hamlet_id, expected_households FROM hamlet_targets WHERE commune = $1",
                    &[&commune],
                )?
                .into_iter()
                .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1).max(0) as u64))
                .collect();
            let indicators: Vec<&str> = HAMLET_INDICATORS.to_vec();
            let items = tx
                .query(
                    "SELECT hamlet, item, COUNT(*) FROM dash_checklist
                     WHERE commune = $1 AND achieved AND active AND item = ANY($2) GROUP BY hamlet, item",
                    &[&commune, &indicators],
                )?
                .into_iter()
                .map(|r| {
                    (
                        r.get::<_, String>(0),
                        r.get::<_, String>(1),
                        r.get::<_, i64>(2) as u64,
                    )
                })
                .collect();
            add_hamlet_targets_and_items(&mut o, targets, items);
            o.visits_this_week = tx
                .query_one(
                    "SELECT COUNT(*) FROM dash_visits WHERE commune = $1 AND date >= $2",
                    &[&commune, &week_start],
                )?
                .get::<_, i64>(0) as u64;
            o.items_achieved = tx
                .query(
                    "SELECT item, COUNT(*) FROM dash_checklist WHERE commune = $1 AND achieved AND active
                     GROUP BY item ORDER BY item",
                    &[&commune],
                )?
                .into_iter()
                .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1) as u64))
                .collect();
            o.registrations = day_counts(
                tx,
                "SELECT created_day, COUNT(*) FROM dash_households WHERE commune = $1 AND active
                 GROUP BY created_day ORDER BY created_day",
                commune,
            )?;
            o.completions = day_counts(
                tx,
                "SELECT day, COUNT(*) FROM dash_checklist WHERE commune = $1 AND achieved AND active
                 GROUP BY day ORDER BY day",
                commune,
            )?;
            let weeks = tx
                .query(
                    "SELECT hamlet, created_day, COUNT(*) FROM dash_households
                     WHERE commune = $1 AND active AND created_day >= $2 GROUP BY hamlet, created_day",
                    &[&commune, &trend_from],
                )?
                .into_iter()
                .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1), r.get::<_, i64>(2) as u64))
                .collect();
            add_hamlet_weeks(&mut o, monday, weeks);
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
            Ok(c.query(
                "SELECT hamlet_id, name FROM hamlets WHERE commune = $1 AND retired_at IS NULL ORDER BY name COLLATE \"C\"",
                &[&commune],
            )?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
        })
    }

    fn communes(&self) -> StoreResult<Vec<String>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT DISTINCT commune FROM hamlets WHERE retired_at IS NULL ORDER BY commune",
                &[],
            )?
            .into_iter()
            .map(|r| r.get(0))
            .collect())
        })
    }

    fn areas(&self, commune: &str) -> StoreResult<Vec<AreaRow>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT area_id, name, hamlets_json FROM areas WHERE commune = $1 ORDER BY name COLLATE \"C\"",
                &[&commune],
            )?
            .into_iter()
            .map(|r| area_row(r.get(0), r.get(1), r.get(2)))
            .collect())
        })
    }

    fn devices(&self, commune: &str, since: DateTime<Utc>) -> StoreResult<Vec<DeviceRow>> {
        let since = ts(since);
        self.with(|c| {
            Ok(c.query(
                "SELECT d.device_id, d.volunteer_id, d.area_id, a.name, d.revoked_at IS NOT NULL, d.enrolled_at,
                        d.last_seen_at, d.last_success_at, d.pending_docs, d.last_error,
                        COALESCE(s.n, 0), COALESCE(s.docs, 0), COALESCE(s.bytes, 0), d.wiped_at, d.clock_skew_secs,
                        d.paused_at IS NOT NULL
                 FROM devices d JOIN areas a ON a.area_id = d.area_id
                 LEFT JOIN LATERAL (
                    SELECT COUNT(*) AS n, SUM(docs_up + docs_down)::BIGINT AS docs,
                           SUM(bytes_up + bytes_down)::BIGINT AS bytes
                    FROM sessions WHERE device_id = d.device_id AND started_at >= $2) s ON TRUE
                 WHERE a.commune = $1 ORDER BY d.volunteer_id COLLATE \"C\", d.device_id COLLATE \"C\"",
                &[&commune, &since],
            )?
            .into_iter()
            .map(|r| DeviceRow {
                device_id: r.get(0),
                volunteer_id: r.get(1),
                area_id: r.get(2),
                area_name: r.get(3),
                revoked: r.get(4),
                enrolled_at: r.get(5),
                last_seen_at: r.get(6),
                last_success_at: r.get(7),
                pending_docs: r.get::<_, Option<i32>>(8).map(|v| v as u32),
                last_error: r.get(9),
                recent_sessions: r.get::<_, i64>(10) as u32,
                recent_docs: r.get::<_, i64>(11) as u64,
                recent_bytes: r.get::<_, i64>(12) as u64,
                wiped_at: r.get(13),
                clock_skew_secs: r.get(14),
                paused: r.get(15),
            })
            .collect())
        })
    }

    fn device_commune(&self, device_id: &str) -> StoreResult<Option<String>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT a.commune FROM devices d JOIN areas a ON a.area_id = d.area_id WHERE d.device_id = $1",
                &[&device_id],
            )?
            .map(|r| r.get(0)))
        })
    }

    fn sessions_of(
        &self,
        commune: &str,
        device: Option<&str>,
        started: (&str, &str),
        n: u32,
    ) -> StoreResult<Vec<SessionRow>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT s.session_id, s.device_id, s.volunteer_id, s.started_at, s.ended_at, s.outcome, s.docs_up,
                        s.bytes_up, s.docs_down, s.bytes_down, s.rejected, s.pending_before, s.pending_after, s.error
                 FROM sessions s JOIN devices d ON d.device_id = s.device_id JOIN areas a ON a.area_id = d.area_id
                 WHERE a.commune = $1 AND ($2::text IS NULL OR s.device_id = $2)
                   AND s.started_at >= $3 AND s.started_at < $4
                 ORDER BY s.session_id DESC LIMIT $5",
                &[&commune, &device, &started.0, &started.1, &limit(n)],
            )?
            .iter()
            .map(session_row)
            .collect())
        })
    }

    fn refusals_of(
        &self,
        commune: &str,
        device: Option<&str>,
        n: u32,
    ) -> StoreResult<Vec<RefusalRow>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT r.session_id, s.device_id, r.doc_id, r.code
                 FROM rejections r JOIN sessions s ON s.session_id = r.session_id
                 JOIN devices d ON d.device_id = s.device_id JOIN areas a ON a.area_id = d.area_id
                 WHERE a.commune = $1 AND ($2::text IS NULL OR s.device_id = $2)
                 ORDER BY r.session_id DESC, r.doc_id COLLATE \"C\" LIMIT $3",
                &[&commune, &device, &limit(n)],
            )?
            .iter()
            .map(|r| RefusalRow {
                session_id: r.get::<_, i64>(0) as u64,
                device_id: r.get(1),
                doc_id: r.get(2),
                code: r.get(3),
            })
            .collect())
        })
    }

    fn households(
        &self,
        commune: &str,
        folded_query: &str,
        n: u32,
        offset: u32,
    ) -> StoreResult<(Vec<HouseholdRow>, u64)> {
        let pattern = like_pattern(folded_query);
        self.tx(|tx| {
            tx.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
            let total: i64 = tx
                .query_one(
                    "SELECT COUNT(*) FROM dash_households WHERE commune = $1 AND search LIKE $2 ESCAPE '\\'",
                    &[&commune, &pattern],
                )?
                .get(0);
            let rows = tx
                .query(
                    &format!(
                        "SELECT {HOUSEHOLD_COLS} FROM dash_households WHERE commune = $1 AND search LIKE $2 ESCAPE '\\'
                         ORDER BY hamlet, head_fold NULLS FIRST, doc_id LIMIT $3 OFFSET $4"
                    ),
                    &[&commune, &pattern, &limit(n), &i64::from(offset)],
                )?
                .iter()
                .map(household_row)
                .collect();
            Ok((rows, total as u64))
        })
    }

    fn hamlet_households(&self, commune: &str, hamlet: &str) -> StoreResult<Vec<String>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT doc_id FROM dash_households WHERE commune = $1 AND hamlet = $2 AND active
                 ORDER BY head_fold NULLS FIRST, doc_id",
                &[&commune, &hamlet],
            )?
            .into_iter()
            .map(|r| r.get(0))
            .collect())
        })
    }

    fn household_row(&self, doc_id: &str) -> StoreResult<Option<(String, HouseholdRow)>> {
        self.with(|c| {
            Ok(c.query_opt(
                &format!("SELECT {HOUSEHOLD_COLS}, commune FROM dash_households WHERE doc_id = $1"),
                &[&doc_id],
            )?
            .map(|r| (r.get(13), household_row(&r))))
        })
    }

    fn members(&self, commune: &str) -> StoreResult<Vec<MemberRow>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT doc_id, member_id, hamlet, full_name, birth, gender, relation, id_number, phone, shared FROM dash_members
                 WHERE commune = $1 ORDER BY hamlet, doc_id, member_id",
                &[&commune],
            )?
            .into_iter()
            .map(|r| MemberRow {
                doc_id: r.get(0),
                member_id: r.get(1),
                hamlet: r.get(2),
                full_name: r.get(3),
                birth: r.get(4),
                gender: r.get(5),
                relation: r.get(6),
                id_number: r.get(7),
                phone: r.get(8),
                shared: r.get(9),
            })
            .collect())
        })
    }

    fn checklist(&self, commune: &str) -> StoreResult<Vec<ChecklistRow>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT doc_id, member_id, item, status FROM dash_checklist WHERE commune = $1
                 ORDER BY doc_id, member_id, item",
                &[&commune],
            )?
            .into_iter()
            .map(|r| ChecklistRow {
                doc_id: r.get(0),
                member_id: r.get(1),
                item: r.get(2),
                status: r.get(3),
            })
            .collect())
        })
    }

    fn shared_identifiers(&self, commune: &str) -> StoreResult<Vec<(String, String, Vec<String>)>> {
        self.with(|c| {
            let mut out = Vec::new();
            for (kind, col) in SHARED_IDENTIFIERS {
                let rows = c.query(
                    &format!(
                        "SELECT {col}, array_agg(DISTINCT doc_id) FROM dash_members WHERE commune = $1 AND {col} IS NOT NULL
                         GROUP BY {col} HAVING COUNT(DISTINCT doc_id) > 1 ORDER BY {col}"
                    ),
                    &[&commune],
                )?;
                for r in rows {
                    let mut docs: Vec<String> = r.get(1);
                    docs.sort();
                    out.push((kind.to_owned(), r.get(0), docs));
                }
            }
            Ok(out)
        })
    }

    fn active_households(&self, commune: &str) -> StoreResult<Vec<HouseholdRow>> {
        self.with(|c| {
            Ok(c.query(
                &format!(
                    "SELECT {HOUSEHOLD_COLS} FROM dash_households WHERE commune = $1 AND active ORDER BY doc_id"
                ),
                &[&commune],
            )?
            .iter()
            .map(household_row)
            .collect())
        })
    }

    fn warnings(&self, commune: &str, n: u32) -> StoreResult<Vec<WarningRow>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT doc_id, member_id, field, code, message_vi, message_en FROM dash_warnings WHERE commune = $1
                 ORDER BY doc_id, member_id NULLS FIRST, field LIMIT $2",
                &[&commune, &limit(n)],
            )?
            .into_iter()
            .map(|r| WarningRow {
                doc_id: r.get(0),
                member_id: r.get(1),
                field: r.get(2),
                code: r.get(3),
                message_vi: r.get(4),
                message_en: r.get(5),
            })
            .collect())
        })
    }

    fn conflicted(&self, commune: &str, n: u32) -> StoreResult<Vec<HouseholdRow>> {
        self.with(|c| {
            Ok(c.query(
                &format!(
                    "SELECT {HOUSEHOLD_COLS} FROM dash_households WHERE commune = $1 AND conflicts > 0
                     ORDER BY updated_at DESC LIMIT $2"
                ),
                &[&commune, &limit(n)],
            )?
            .iter()
            .map(household_row)
            .collect())
        })
    }

    fn dismissed(&self, commune: &str) -> StoreResult<Vec<String>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT key FROM dash_dismissed WHERE commune = $1 ORDER BY key COLLATE \"C\"",
                &[&commune],
            )?
            .into_iter()
            .map(|r| r.get(0))
            .collect())
        })
    }

    fn dismiss(&self, commune: &str, key: &str, at: DateTime<Utc>) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO dash_dismissed (commune, key, at) VALUES ($1, $2, $3)
                 ON CONFLICT (commune, key) DO UPDATE SET at = $3",
                &[&commune, &key, &ts(at)],
            )?;
            Ok(())
        })
    }

    fn record_merge(&self, m: &MergeRecord) -> StoreResult<i64> {
        self.with(|c| {
            let row = c.query_one(
                "INSERT INTO merges (commune, keep_id, other_id, keep_heads, other_heads, keep_seq, other_seq, at, by_whom)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING merge_id",
                &[
                    &m.commune,
                    &m.keep_id,
                    &m.other_id,
                    &heads_to_blob(&m.keep_heads),
                    &heads_to_blob(&m.other_heads),
                    &(m.keep_seq as i64),
                    &(m.other_seq as i64),
                    &m.at,
                    &m.by,
                ],
            )?;
            Ok(row.get(0))
        })
    }

    fn merges(&self, commune: &str, limit: u32) -> StoreResult<Vec<MergeRecord>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT merge_id, commune, keep_id, other_id, keep_heads, other_heads, keep_seq, other_seq, at, by_whom, undone_at
                 FROM merges WHERE commune = $1 ORDER BY merge_id DESC LIMIT $2",
                &[&commune, &i64::from(limit)],
            )?
            .iter()
            .map(|r| MergeRecord {
                merge_id: r.get(0),
                commune: r.get(1),
                keep_id: r.get(2),
                other_id: r.get(3),
                keep_heads: heads_from_blob(&r.get::<_, Vec<u8>>(4)),
                other_heads: heads_from_blob(&r.get::<_, Vec<u8>>(5)),
                keep_seq: r.get::<_, i64>(6) as u64,
                other_seq: r.get::<_, i64>(7) as u64,
                at: r.get(8),
                by: r.get(9),
                undone_at: r.get(10),
            })
            .collect())
        })
    }

    fn merge_undone(&self, merge_id: i64, at: DateTime<Utc>) -> StoreResult<bool> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE merges SET undone_at = $2 WHERE merge_id = $1 AND undone_at IS NULL",
                &[&merge_id, &ts(at)],
            )? > 0)
        })
    }

    fn write_hub_doc(&self, w: &DocWrite, by: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let stamp = ts(at);
        let heads = heads_to_blob(&w.heads);
        self.tx(|tx| {
            // The counter first, as every writer of documents (see `store/mod.rs`), then the
            // document's row: another hub process writing it meanwhile is seen here.
            let seq: i64 = tx
                .query_one("SELECT value FROM hub_seq WHERE id = 1 FOR UPDATE", &[])?
                .get(0);
            lock_doc(tx, w, true)?;
            let seq = seq + 1;
            tx.execute(
                "UPDATE docs SET commune = $2, hamlet = $3, seq = $4, heads = $5, bytes = $6, updated_at = $7,
                    updated_by = $8 WHERE doc_id = $1",
                &[&w.id, &w.commune, &w.hamlet, &seq, &heads, &w.bytes, &stamp, &by],
            )?;
            tx.execute("UPDATE hub_seq SET value = $1 WHERE id = 1", &[&seq])?;
            index::write_rows(tx, [(w.id.as_str(), Some(&w.rows))])?;
            Ok(())
        })
    }
}
