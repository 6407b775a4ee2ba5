//! The hub's PostgreSQL store: for a province, several hub processes (behind a load balancer) on
//! one database. Chosen with `gocua-hub serve --database postgres://...` or the environment
//! variable `GOCUA_HUB_DATABASE_URL`; SQLite stays the default.
//!
//! Driver: the synchronous `postgres` crate with an `r2d2` pool. [`HubStore`] is synchronous and
//! the HTTP layer already runs every hub call on tokio's blocking threads (`spawn_blocking`), so
//! a blocking client fits without a bridge; `postgres` is `tokio-postgres` (the well-kept async
//! driver) driven by its own small runtime, and r2d2 checks connections out per call.
//!
//! Correctness across processes (docs/sync-protocol.md, "Several hub processes on one
//! database") rests on the database only, never on the hub's in-process lock; the design is
//! every store's (`store/mod.rs`):
//! - every write of documents (`commit_push`, `erase_doc`, `write_hub_doc`) first locks the one
//!   row of `hub_seq` (`SELECT ... FOR UPDATE`) and keeps it until it commits: sequence numbers
//!   are handed out in commit order, so a device's cursor never passes a change that commits
//!   later;
//! - it then locks the rows of the documents it writes (`FOR UPDATE`) and compares their
//!   sequence numbers with the ones the hub merged from: when another process stored one
//!   meanwhile, nothing is written and the hub merges again ([`StoreError::ChangedMeanwhile`]),
//!   so no change is lost to a race and this store never decodes a document;
//! - readers of changes (`changed_since`) read the rows and the counter in one snapshot.
//!
//! The dashboard's queries are in `dashboard.rs`, the query tables in `index.rs`.
//!
//! Schema: the SQL files in `server/migrations/postgres/`, applied in order at open, each once,
//! under an advisory lock (several hubs may start at once).

use std::path::Path;
use std::time::Duration;

use ::postgres::error::SqlState;
use ::postgres::{GenericClient, Transaction};
use chrono::{DateTime, Utc};
use gocua_core::sync::merge::{heads_from_blob, heads_to_blob};
use gocua_core::sync::wire::{AreaInfo, DocEpoch, HamletInfo, Head, SessionOutcome};
use r2d2_postgres::PostgresConnectionManager;

use crate::store::query::SessionRow;
use crate::store::*;
use crate::time::ts;
pub(crate) use rows::TxError;
use rows::{drop_doc_rows, hamlet_ids, lock_seq, write_device_heads};

mod activity;
mod bundles;
mod dashboard;
mod erase_requests;
mod index;
mod pairing;
mod refill;
mod rows;
mod targets;
mod team;
pub mod tls;

/// The environment variable naming the hub's database when `--database` is not given.
pub const DATABASE_URL_ENV: &str = "GOCUA_HUB_DATABASE_URL";

/// The schema's migrations, in order: (version, SQL).
const MIGRATIONS: &[(i32, &str)] = &[
    (
        1,
        include_str!("../../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        include_str!("../../../migrations/postgres/0002_dashboard.sql"),
    ),
    (
        3,
        include_str!("../../../migrations/postgres/0003_member_shared.sql"),
    ),
    (
        4,
        include_str!("../../../migrations/postgres/0004_device_wiped.sql"),
    ),
    (
        5,
        include_str!("../../../migrations/postgres/0005_erase_requests.sql"),
    ),
    (
        6,
        include_str!("../../../migrations/postgres/0006_clock_skew.sql"),
    ),
    (
        7,
        include_str!("../../../migrations/postgres/0007_merges.sql"),
    ),
    (
        8,
        include_str!("../../../migrations/postgres/0008_refill.sql"),
    ),
    (
        9,
        include_str!("../../../migrations/postgres/0009_pairing_cancel.sql"),
    ),
    (
        10,
        include_str!("../../../migrations/postgres/0010_hamlet_targets.sql"),
    ),
    (
        11,
        include_str!("../../../migrations/postgres/0011_activity.sql"),
    ),
    (
        12,
        include_str!("../../../migrations/postgres/0012_coordinator_role.sql"),
    ),
    (
        13,
        include_str!("../../../migrations/postgres/0013_activity_indexes.sql"),
    ),
    (
        14,
        include_str!("../../../migrations/postgres/0014_hamlet_retired.sql"),
    ),
    (
        15,
        include_str!("../../../migrations/postgres/0015_pending_imports.sql"),
    ),
    (
        16,
        include_str!("../../../migrations/postgres/0016_to_verify.sql"),
    ),
    (
        17,
        include_str!("../../../migrations/postgres/0017_device_paused.sql"),
    ),
    (
        18,
        include_str!("../../../migrations/postgres/0018_bundles.sql"),
    ),
];

/// Key of the advisory lock held while migrating (any constant shared by all hub versions).
const MIGRATION_LOCK: i64 = 0x676f_6375_615f_6d67; // "gocua_mg"

/// Times a transaction is retried after a serialization failure or a deadlock.
const RETRIES: u32 = 5;

type Pool = r2d2::Pool<PostgresConnectionManager<tls::Tls>>;

impl From<::postgres::Error> for StoreError {
    fn from(e: ::postgres::Error) -> Self {
        StoreError::Database(e.to_string())
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(e: r2d2::Error) -> Self {
        StoreError::Database(format!("connection pool: {e}"))
    }
}

pub struct PgStore {
    pool: Pool,
}

fn retryable(e: &::postgres::Error) -> bool {
    e.code().is_some_and(|c| {
        *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED
    })
}

/// An error with its causes ("error performing TLS handshake: invalid peer certificate: ...").
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/db`, or key=value pairs) with a
    /// pool of at most `max_connections`, and brings the schema up to date.
    /// TLS when the URL says `sslmode=require`, verified against the CA in
    /// `GOCUA_HUB_DATABASE_CA` if set ([`tls`]).
    pub fn open(url: &str, max_connections: u32) -> StoreResult<Self> {
        let ca = std::env::var_os(tls::CA_ENV).filter(|v| !v.is_empty());
        Self::open_with_ca(url, max_connections, ca.as_deref().map(Path::new))
    }

    /// [`PgStore::open`] with the CA given rather than read from the environment.
    pub fn open_with_ca(url: &str, max_connections: u32, ca: Option<&Path>) -> StoreResult<Self> {
        let mut config: ::postgres::Config = url
            .parse()
            .map_err(|e: ::postgres::Error| StoreError::Config(format!("database URL: {e}")))?;
        let connector = tls::connector(&mut config, ca)?;
        // One connection first, so a refused certificate or password is told now, in its own
        // words, not after the pool's 30 s wait as a timeout.
        config
            .connect(connector.clone())
            .map_err(|e| StoreError::Database(with_causes(&e)))?;
        let manager = PostgresConnectionManager::new(config, connector);
        let pool = r2d2::Pool::builder()
            .max_size(max_connections.max(1))
            .connection_timeout(Duration::from_secs(30))
            .build(manager)?;
        let store = Self { pool };
        store.migrate()?;
        Ok(store)
    }

    /// A connection of the pool, for tools and benchmarks (seeding with COPY).
    pub fn connection(
        &self,
    ) -> StoreResult<r2d2::PooledConnection<PostgresConnectionManager<tls::Tls>>> {
        Ok(self.pool.get()?)
    }

    fn migrate(&self) -> StoreResult<()> {
        let mut c = self.pool.get()?;
        c.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])?;
        let result = (|| -> StoreResult<()> {
            c.batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
            )?;
            for (version, sql) in MIGRATIONS {
                let done = c
                    .query_opt(
                        "SELECT 1 FROM schema_migrations WHERE version = $1",
                        &[version],
                    )?
                    .is_some();
                if done {
                    continue;
                }
                let mut tx = c.transaction()?;
                tx.batch_execute(sql)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version) VALUES ($1)",
                    &[version],
                )?;
                tx.commit()?;
            }
            // The dashboard's query tables, derived from the documents (rebuilt when new or of
            // another index version).
            index::ensure_index(&mut c)?;
            let id = format!("hub-{}", hex::encode(rand::random::<[u8; 8]>()));
            c.execute(
                "INSERT INTO meta (key, value) VALUES ('hub_id', $1) ON CONFLICT (key) DO NOTHING",
                &[&id],
            )?;
            // Made with the hub, so that every dump carries it.
            refill::erasure_key(&mut c).map_err(|e| match e {
                TxError::Pg(e) => StoreError::from(e),
                TxError::Store(e) => e,
            })?;
            Ok(())
        })();
        let unlocked = c.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]);
        result?;
        unlocked?;
        Ok(())
    }

    /// Runs `f` in a transaction and commits it; retried (from the start) after a serialization
    /// failure or a deadlock.
    pub(crate) fn tx<T>(
        &self,
        mut f: impl FnMut(&mut Transaction<'_>) -> Result<T, TxError>,
    ) -> StoreResult<T> {
        let mut c = self.pool.get()?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = (|| {
                let mut tx = c.transaction()?;
                let v = f(&mut tx)?;
                tx.commit()?;
                Ok::<T, TxError>(v)
            })();
            match result {
                Ok(v) => return Ok(v),
                Err(TxError::Pg(e)) => {
                    if retryable(&e) && attempt < RETRIES {
                        std::thread::sleep(Duration::from_millis(5 * u64::from(attempt)));
                        continue;
                    }
                    return Err(e.into());
                }
                Err(TxError::Store(e)) => return Err(e),
            }
        }
    }

    /// One statement (or a few reads) outside an explicit transaction.
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&mut ::postgres::Client) -> Result<T, TxError>,
    ) -> StoreResult<T> {
        let mut c = self.pool.get()?;
        f(&mut c).map_err(|e| match e {
            TxError::Pg(e) => e.into(),
            TxError::Store(e) => e,
        })
    }
}

fn area_of(c: &mut impl GenericClient, area_id: &str) -> Result<Option<AreaInfo>, TxError> {
    let Some(row) = c.query_opt(
        "SELECT name, province, commune, hamlets_json FROM areas WHERE area_id = $1",
        &[&area_id],
    )?
    else {
        return Ok(None);
    };
    let hamlets: String = row.get(3);
    let hamlets: Vec<HamletInfo> =
        serde_json::from_str(&hamlets).map_err(|_| StoreError::Corrupt {
            what: "area hamlets",
        })?;
    let commune_code: String = row.get(2);
    Ok(Some(AreaInfo {
        area_id: area_id.to_owned(),
        name: row.get(0),
        province_code: row.get(1),
        commune_code,
        hamlets,
    }))
}

fn device_by(
    c: &mut impl GenericClient,
    column: &str,
    key: &str,
) -> Result<Option<DeviceRecord>, TxError> {
    let Some(row) = c.query_opt(
        &format!(
            "SELECT device_id, volunteer_id, area_id, revoked_at IS NOT NULL, refill_budget, paused_at IS NOT NULL
             FROM devices WHERE {column} = $1"
        ),
        &[&key],
    )?
    else {
        return Ok(None);
    };
    let area_id: String = row.get(2);
    let area = area_of(c, &area_id)?.ok_or(StoreError::UnknownArea)?;
    Ok(Some(DeviceRecord {
        device_id: row.get(0),
        volunteer_id: row.get(1),
        area,
        revoked: row.get(3),
        paused: row.get(5),
        refill_budget: row.get::<_, i32>(4).max(0) as u32,
    }))
}

/// Locks the row of `w`'s document until the transaction ends, and fails with
/// [`StoreError::ChangedMeanwhile`] when its sequence number is not the one `w` was merged from
/// (`must_exist`: a document that is gone changed too).
pub(super) fn lock_doc(
    tx: &mut Transaction<'_>,
    w: &DocWrite,
    must_exist: bool,
) -> Result<(), TxError> {
    let current: Option<i64> = tx
        .query_opt(
            "SELECT seq FROM docs WHERE doc_id = $1 FOR UPDATE",
            &[&w.id],
        )?
        .map(|r| r.get(0));
    if (must_exist && current.is_none()) || current.map(|s| s as u64) != w.expected_seq {
        return Err(TxError::from(StoreError::ChangedMeanwhile {
            id: w.id.clone(),
        }));
    }
    Ok(())
}

/// One row of the sessions SELECT (same columns as SQLite's `session_row`).
pub(crate) fn session_row(r: &::postgres::Row) -> SessionRow {
    SessionRow {
        session_id: r.get::<_, i64>(0) as u64,
        device_id: r.get(1),
        volunteer_id: r.get(2),
        started_at: r.get(3),
        ended_at: r.get(4),
        outcome: r.get(5),
        docs_up: r.get::<_, i32>(6) as u32,
        bytes_up: r.get::<_, i64>(7) as u64,
        docs_down: r.get::<_, i32>(8) as u32,
        bytes_down: r.get::<_, i64>(9) as u64,
        rejected: r.get::<_, i32>(10) as u32,
        pending_before: r.get::<_, i32>(11) as u32,
        pending_after: r.get::<_, Option<i32>>(12).map(|v| v as u32),
        error: r.get(13),
    }
}

impl HubStore for PgStore {
    fn dashboard(&self) -> Option<&dyn DashboardStore> {
        Some(self)
    }

    fn lineage(&self) -> StoreResult<(i64, Option<String>)> {
        self.with(|c| {
            let mut meta = |key: &str| -> Result<Option<String>, ::postgres::Error> {
                Ok(
                    c.query_opt("SELECT value FROM meta WHERE key = $1", &[&key])?
                        .map(|r| r.get(0)),
                )
            };
            let generation = meta("generation")?
                .and_then(|g| g.parse().ok())
                .unwrap_or(0);
            Ok((generation, meta("restored_at")?))
        })
    }

    fn mark_restored(&self, at: DateTime<Utc>) -> StoreResult<i64> {
        self.tx(|tx| refill::mark_restored(tx, at))
    }

    fn adopt_identity(&self, hub_id: &str, erasure_key: &[u8; 32]) -> StoreResult<()> {
        self.tx(|tx| refill::adopt_identity(tx, hub_id, erasure_key))
    }

    fn set_refill_budget(&self, device_id: &str, docs: u32) -> StoreResult<()> {
        let docs = docs.min(i32::MAX as u32) as i32;
        self.with(|c| {
            c.execute(
                "UPDATE devices SET refill_budget = $2 WHERE device_id = $1",
                &[&device_id, &docs],
            )?;
            Ok(())
        })
    }

    fn spend_refill(&self, device_id: &str, docs: u32) -> StoreResult<()> {
        let docs = docs.min(i32::MAX as u32) as i32;
        self.with(|c| {
            c.execute(
                "UPDATE devices SET refill_budget = GREATEST(refill_budget - $2, 0) WHERE device_id = $1",
                &[&device_id, &docs],
            )?;
            Ok(())
        })
    }

    fn current_seq(&self) -> StoreResult<u64> {
        self.with(refill::current_seq)
    }

    fn erasure_key(&self) -> StoreResult<[u8; 32]> {
        self.with(refill::erasure_key)
    }

    fn area_heads(&self, area: &AreaInfo) -> StoreResult<Vec<(String, Vec<Head>)>> {
        self.with(|c| refill::area_heads(c, area))
    }

    fn set_device_heads(&self, device_id: &str, docs: &[(String, Vec<Head>)]) -> StoreResult<()> {
        self.tx(|tx| write_device_heads(tx, device_id, docs))
    }

    fn reinstate_erasure(
        &self,
        erasure: &DocEpoch,
        commune: &str,
        hamlet: &str,
        at: DateTime<Utc>,
        actor: &str,
    ) -> StoreResult<bool> {
        self.tx(|tx| refill::reinstate_erasure(tx, erasure, commune, hamlet, at, actor))
    }

    fn hub_id(&self) -> StoreResult<String> {
        self.with(|c| {
            Ok(
                c.query_one("SELECT value FROM meta WHERE key = 'hub_id'", &[])?
                    .get(0),
            )
        })
    }

    fn add_coordinator(
        &self,
        id: &str,
        name: &str,
        commune: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO coordinators (coordinator_id, name, commune, created_at) VALUES ($1, $2, $3, $4)",
                &[&id, &name, &commune, &ts(at)],
            )?;
            Ok(())
        })
    }

    fn coordinator_commune(&self, id: &str) -> StoreResult<Option<String>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT commune FROM coordinators WHERE coordinator_id = $1",
                &[&id],
            )?
            .map(|r| r.get(0)))
        })
    }

    fn put_area(&self, area: &AreaInfo) -> StoreResult<()> {
        let hamlets = serde_json::to_string(&area.hamlets).map_err(|_| StoreError::OutOfRange {
            what: "hamlet list",
        })?;
        self.tx(|tx| {
            tx.execute(
                "INSERT INTO areas (area_id, name, province, commune, hamlets_json) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (area_id) DO UPDATE SET name = $2, province = $3, commune = $4, hamlets_json = $5",
                &[&area.area_id, &area.name, &area.province_code, &area.commune_code, &hamlets],
            )?;
            for h in &area.hamlets {
                tx.execute(
                    "INSERT INTO hamlets (commune, hamlet_id, name) VALUES ($1, $2, $3)
                     ON CONFLICT (commune, hamlet_id)
                     DO UPDATE SET name = $3, retired_at = NULL, merged_into = NULL",
                    &[&area.commune_code, &h.id, &h.name],
                )?;
            }
            // The area's devices drop the households of hamlets that left it (core/src/sync/
            // area.rs): forget that they hold them, so they are sent whole if the hamlets return.
            let ids: Vec<&str> = area.hamlets.iter().map(|h| h.id.as_str()).collect();
            tx.execute(
                "DELETE FROM device_docs
                 WHERE device_id IN (SELECT device_id FROM devices WHERE area_id = $1)
                   AND doc_id IN (SELECT doc_id FROM docs WHERE commune <> $2 OR hamlet <> ALL($3))",
                &[&area.area_id, &area.commune_code, &ids],
            )?;
            Ok(())
        })
    }

    fn area(&self, area_id: &str) -> StoreResult<Option<AreaInfo>> {
        self.with(|c| area_of(c, area_id))
    }

    fn issue_pairing(&self, p: &Pairing) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO pairing_codes (code_hash, volunteer_id, area_id, coordinator_id, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[&p.code_hash, &p.volunteer_id, &p.area_id, &p.coordinator_id, &ts(p.created_at), &ts(p.expires_at)],
            )?;
            Ok(())
        })
    }

    fn redeem_pairing(
        &self,
        code_hash: &str,
        now: DateTime<Utc>,
        device_id: &str,
        volunteer_id: &str,
        commune: &str,
        token_hash: &str,
    ) -> StoreResult<Result<DeviceRecord, RedeemError>> {
        self.tx(|tx| {
            // The code's row stays locked until commit: two hubs redeeming it at once, one wins.
            let Some(row) = tx.query_opt(
                "SELECT volunteer_id, area_id, expires_at, COALESCE(used_at, cancelled_at) FROM pairing_codes WHERE code_hash = $1 FOR UPDATE",
                &[&code_hash],
            )?
            else {
                return Ok(Err(RedeemError::Invalid));
            };
            let (code_volunteer, area_id, expires, used): (String, String, String, Option<String>) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            let expired = DateTime::parse_from_rfc3339(&expires)
                .map(|e| e.with_timezone(&Utc) <= now)
                .unwrap_or(true);
            if used.is_some() || expired {
                return Ok(Err(RedeemError::Invalid));
            }
            let area = area_of(tx, &area_id)?
                .ok_or(StoreError::UnknownArea)?;
            if code_volunteer != volunteer_id || area.commune_code != commune {
                return Ok(Err(RedeemError::Mismatch));
            }
            let exists = tx
                .query_opt("SELECT 1 FROM devices WHERE device_id = $1", &[&device_id])?
                .is_some();
            if exists {
                return Ok(Err(RedeemError::DeviceExists));
            }
            tx.execute(
                "UPDATE pairing_codes SET used_at = $2, used_by = $3 WHERE code_hash = $1",
                &[&code_hash, &ts(now), &device_id],
            )?;
            tx.execute(
                "INSERT INTO devices (device_id, token_hash, volunteer_id, area_id, enrolled_at) VALUES ($1, $2, $3, $4, $5)",
                &[&device_id, &token_hash, &volunteer_id, &area_id, &ts(now)],
            )?;
            Ok(Ok(DeviceRecord {
                device_id: device_id.to_owned(),
                volunteer_id: volunteer_id.to_owned(),
                area,
                revoked: false,
                paused: false,
                refill_budget: 0,
            }))
        })
    }

    fn set_coordinator_role(&self, id: &str, role: Role) -> StoreResult<bool> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE coordinators SET role = $2 WHERE coordinator_id = $1",
                &[&id, &role.code()],
            )? > 0)
        })
    }

    fn retire_hamlet(
        &self,
        commune: &str,
        hamlet_id: &str,
        merged_into: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.tx(|tx| team::retire_hamlet(tx, commune, hamlet_id, merged_into, at))
    }

    fn merged_hamlets(&self, area: &AreaInfo) -> StoreResult<Vec<MergedHamlet>> {
        self.with(|c| team::merged_into_area(c, &area.commune_code, &area.hamlets))
    }

    fn hamlet_docs(&self, commune: &str, hamlet_id: &str) -> StoreResult<Vec<String>> {
        self.with(|c| team::hamlet_docs(c, commune, hamlet_id))
    }

    fn put_pending_import(
        &self,
        token_hash: &str,
        coordinator: &str,
        file: &[u8],
        at: DateTime<Utc>,
        purge_before: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.tx(|tx| {
            tx.execute("DELETE FROM pending_imports WHERE created_at < $1", &[&ts(purge_before)])?;
            tx.execute(
                "INSERT INTO pending_imports (token_hash, coordinator_id, created_at, file) VALUES ($1, $2, $3, $4)",
                &[&token_hash, &coordinator, &ts(at), &file],
            )?;
            Ok(())
        })
    }

    fn take_pending_import(
        &self,
        token_hash: &str,
        coordinator: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<Option<Vec<u8>>> {
        self.with(|c| {
            Ok(c.query_opt(
                "DELETE FROM pending_imports WHERE token_hash = $1 AND coordinator_id = $2 AND created_at >= $3 RETURNING file",
                &[&token_hash, &coordinator, &ts(since)],
            )?
            .map(|r| r.get(0)))
        })
    }

    fn coordinators(&self, commune: &str) -> StoreResult<Vec<CoordinatorRow>> {
        self.with(|c| team::coordinators(c, commune))
    }

    fn remove_coordinator(&self, id: &str) -> StoreResult<bool> {
        self.tx(|tx| team::remove_coordinator(tx, id))
    }

    fn bundle_device(
        &self,
        device_id: &str,
    ) -> StoreResult<Option<(DeviceRecord, Option<String>)>> {
        self.with(|c| {
            let Some(device) = device_by(c, "device_id", device_id)? else {
                return Ok(None);
            };
            Ok(Some((device, bundles::bundle_keys(c, device_id)?)))
        })
    }

    fn bundle_peers(&self, area_id: &str) -> StoreResult<Vec<(String, String, String)>> {
        self.with(|c| bundles::bundle_peers(c, area_id))
    }

    fn set_bundle_keys(&self, device_id: &str, keys: &str) -> StoreResult<()> {
        self.with(|c| bundles::set_bundle_keys(c, device_id, keys))
    }

    fn bundle_applied(&self, bundle_id: &str) -> StoreResult<bool> {
        self.with(|c| bundles::bundle_applied(c, bundle_id))
    }

    fn record_bundle(&self, receipt: &BundleReceipt, answer: Option<&[u8]>) -> StoreResult<()> {
        self.with(|c| bundles::record_bundle(c, receipt, answer))
    }

    fn bundles_received(&self, commune: &str, limit: u32) -> StoreResult<Vec<BundleReceipt>> {
        self.with(|c| bundles::bundles_received(c, commune, limit))
    }

    fn bundle_answer(
        &self,
        commune: &str,
        receipt_id: i64,
    ) -> StoreResult<Option<(String, Vec<u8>)>> {
        self.with(|c| bundles::bundle_answer(c, commune, receipt_id))
    }

    fn set_device_paused(&self, device_id: &str, at: Option<DateTime<Utc>>) -> StoreResult<bool> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE devices SET paused_at = $2 WHERE device_id = $1 AND revoked_at IS NULL",
                &[&device_id, &at.map(ts)],
            )? > 0)
        })
    }

    fn move_device(&self, device_id: &str, area_id: &str) -> StoreResult<bool> {
        self.tx(|tx| {
            let Some(area) = area_of(tx, area_id)? else {
                return Ok(false);
            };
            team::move_device(tx, device_id, &area)
        })
    }

    fn set_hamlet_target(
        &self,
        commune: &str,
        hamlet_id: &str,
        expected: Option<u32>,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.with(|c| targets::set_hamlet_target(c, commune, hamlet_id, expected, by, at))
    }

    fn pairings(&self, commune: &str, limit: u32) -> StoreResult<Vec<PairingRow>> {
        self.with(|c| pairing::pairings(c, commune, limit))
    }

    fn cancel_pairing(
        &self,
        commune: &str,
        reference: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.with(|c| pairing::cancel_pairing(c, commune, reference, by, at))
    }

    fn revoke_device(&self, device_id: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE devices SET revoked_at = $2 WHERE device_id = $1 AND revoked_at IS NULL",
                &[&device_id, &ts(at)],
            )? > 0)
        })
    }

    fn record_wipe(&self, device_id: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE devices SET wiped_at = $2
                 WHERE device_id = $1 AND revoked_at IS NOT NULL AND wiped_at IS NULL",
                &[&device_id, &ts(at)],
            )? > 0)
        })
    }

    fn record_clock_skew(&self, device_id: &str, skew_secs: i64) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE devices SET clock_skew_secs = $2 WHERE device_id = $1",
                &[&device_id, &skew_secs],
            )?;
            Ok(())
        })
    }

    fn device_by_token_hash(&self, token_hash: &str) -> StoreResult<Option<DeviceRecord>> {
        self.with(|c| device_by(c, "token_hash", token_hash))
    }

    fn load_doc(&self, id: &str) -> StoreResult<Option<DocRecord>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT bytes, commune, hamlet, seq, heads FROM docs WHERE doc_id = $1",
                &[&id],
            )?
            .map(|r| DocRecord {
                bytes: r.get(0),
                commune: r.get(1),
                hamlet: r.get(2),
                seq: r.get::<_, i64>(3) as u64,
                heads: heads_from_blob(r.get::<_, &[u8]>(4)),
            }))
        })
    }

    fn commit_push(
        &self,
        device_id: &str,
        writes: &[DocWrite],
        device_heads: &[(String, Vec<Head>)],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let at = ts(at);
        self.tx(|tx| {
            if !writes.is_empty() {
                let mut seq = lock_seq(tx)?;
                let ids: Vec<&str> = writes.iter().map(|w| w.id.as_str()).collect();
                let stored: std::collections::HashMap<String, i64> = tx
                    .query(
                        "SELECT doc_id, seq FROM docs WHERE doc_id = ANY($1) ORDER BY doc_id FOR UPDATE",
                        &[&ids],
                    )?
                    .into_iter()
                    .map(|r| (r.get(0), r.get(1)))
                    .collect();
                // Written by another process since the hub read it: the hub merges again.
                if let Some(w) = writes
                    .iter()
                    .find(|w| stored.get(&w.id).map(|s| *s as u64) != w.expected_seq)
                {
                    return Err(TxError::from(StoreError::ChangedMeanwhile {
                        id: w.id.clone(),
                    }));
                }
                let insert = tx.prepare(
                    "INSERT INTO docs (doc_id, commune, hamlet, seq, heads, bytes, updated_at, updated_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                     ON CONFLICT (doc_id) DO UPDATE SET commune = $2, hamlet = $3, seq = $4, heads = $5,
                        bytes = $6, updated_at = $7, updated_by = $8",
                )?;
                for w in writes {
                    seq += 1;
                    tx.execute(
                        &insert,
                        &[&w.id, &w.commune, &w.hamlet, &seq, &heads_to_blob(&w.heads), &w.bytes, &at, &device_id],
                    )?;
                }
                tx.execute("UPDATE hub_seq SET value = $1 WHERE id = 1", &[&seq])?;
                // The dashboard's query rows of what was stored, in this transaction.
                index::write_rows(tx, writes.iter().map(|w| (w.id.as_str(), Some(&w.rows))))?;
            }
            write_device_heads(tx, device_id, device_heads)?;
            Ok(())
        })
    }

    fn changed_since(
        &self,
        area: &AreaInfo,
        cursor: u64,
        limit: usize,
    ) -> StoreResult<(Vec<(String, u64)>, u64)> {
        let hamlets = hamlet_ids(area);
        let cursor = cursor.min(i64::MAX as u64) as i64;
        let limit = limit.min(i64::MAX as usize) as i64;
        self.tx(|tx| {
            // The rows and the counter from one snapshot: every sequence number up to the
            // counter's value is committed in it (writers commit in sequence order).
            tx.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
            let max: i64 = tx
                .query_one("SELECT value FROM hub_seq WHERE id = 1", &[])?
                .get(0);
            let rows = tx
                .query(
                    "SELECT doc_id, seq FROM docs WHERE commune = $1 AND seq > $2
                       AND (cardinality($3::text[]) = 0 OR hamlet = ANY($3))
                     ORDER BY seq LIMIT $4",
                    &[&area.commune_code, &cursor, &hamlets, &limit],
                )?
                .into_iter()
                .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1) as u64))
                .collect();
            Ok((rows, max as u64))
        })
    }

    fn device_heads(&self, device_id: &str, doc_id: &str) -> StoreResult<Vec<Head>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT heads FROM device_docs WHERE device_id = $1 AND doc_id = $2",
                &[&device_id, &doc_id],
            )?
            .map(|r| heads_from_blob(r.get::<_, &[u8]>(0)))
            .unwrap_or_default())
        })
    }

    fn doc_count(&self) -> StoreResult<u64> {
        self.with(|c| {
            Ok(c.query_one("SELECT COUNT(*) FROM docs", &[])?
                .get::<_, i64>(0) as u64)
        })
    }

    fn doc_ids(&self) -> StoreResult<Vec<(String, String, String)>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT doc_id, commune, hamlet FROM docs ORDER BY doc_id",
                &[],
            )?
            .into_iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
        })
    }

    fn start_session(
        &self,
        device: &DeviceRecord,
        at: DateTime<Utc>,
        pending: u32,
    ) -> StoreResult<u64> {
        let at = ts(at);
        let pending = pending as i32;
        self.tx(|tx| {
            let id: i64 = tx
                .query_one(
                    "INSERT INTO sessions (device_id, volunteer_id, started_at, pending_before) VALUES ($1, $2, $3, $4)
                     RETURNING session_id",
                    &[&device.device_id, &device.volunteer_id, &at, &pending],
                )?
                .get(0);
            tx.execute(
                "UPDATE devices SET last_seen_at = $2, pending_docs = $3 WHERE device_id = $1",
                &[&device.device_id, &at, &pending],
            )?;
            Ok(id as u64)
        })
    }

    fn session_device(&self, session: u64) -> StoreResult<Option<(String, bool)>> {
        let Ok(session) = i64::try_from(session) else {
            return Ok(None);
        };
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT device_id, ended_at IS NOT NULL FROM sessions WHERE session_id = $1",
                &[&session],
            )?
            .map(|r| (r.get(0), r.get(1))))
        })
    }

    fn record_traffic(
        &self,
        session: u64,
        t: &Traffic,
        sent: &[(String, Vec<Head>)],
        rejections: &[(String, String)],
    ) -> StoreResult<()> {
        let session = session as i64;
        self.tx(|tx| {
            tx.execute(
                "UPDATE sessions SET docs_up = docs_up + $2, bytes_up = bytes_up + $3, docs_down = docs_down + $4,
                 bytes_down = bytes_down + $5, rejected = rejected + $6 WHERE session_id = $1",
                &[&session, &(t.docs_up as i32), &(t.bytes_up as i64), &(t.docs_down as i32), &(t.bytes_down as i64), &(t.rejected as i32)],
            )?;
            if !sent.is_empty() {
                let upsert = tx.prepare(
                    "INSERT INTO session_sent (session_id, doc_id, heads) VALUES ($1, $2, $3)
                     ON CONFLICT (session_id, doc_id) DO UPDATE SET heads = $3",
                )?;
                for (doc, heads) in sent {
                    tx.execute(&upsert, &[&session, doc, &heads_to_blob(heads)])?;
                }
            }
            for (doc, code) in rejections {
                tx.execute(
                    "INSERT INTO rejections (session_id, doc_id, code) VALUES ($1, $2, $3)",
                    &[&session, doc, code],
                )?;
            }
            Ok(())
        })
    }

    fn finish_session(
        &self,
        session: u64,
        device_id: &str,
        outcome: SessionOutcome,
        at: DateTime<Utc>,
        pending_after: u32,
        error: Option<&str>,
    ) -> StoreResult<()> {
        let session = session as i64;
        let at = ts(at);
        let pending_after = pending_after as i32;
        self.tx(|tx| {
            tx.execute(
                "UPDATE sessions SET ended_at = $2, outcome = $3, pending_after = $4, error = $5
                 WHERE session_id = $1 AND ended_at IS NULL",
                &[&session, &at, &outcome.code(), &pending_after, &error],
            )?;
            let stored = matches!(outcome, SessionOutcome::Success | SessionOutcome::Partial);
            if stored {
                tx.execute(
                    "INSERT INTO device_docs (device_id, doc_id, heads)
                     SELECT $2, doc_id, heads FROM session_sent WHERE session_id = $1
                     ON CONFLICT (device_id, doc_id) DO UPDATE SET heads = EXCLUDED.heads",
                    &[&session, &device_id],
                )?;
            }
            tx.execute("DELETE FROM session_sent WHERE session_id = $1", &[&session])?;
            let last_error = match outcome {
                SessionOutcome::Success => None,
                SessionOutcome::Partial => Some("partial: some documents rejected".to_owned()),
                other => Some(
                    error
                        .map(|e| format!("{}: {e}", other.code()))
                        .unwrap_or_else(|| other.code().to_owned()),
                ),
            };
            if stored {
                tx.execute(
                    "UPDATE devices SET last_seen_at = $2, last_success_at = $2, pending_docs = $3, last_error = $4
                     WHERE device_id = $1",
                    &[&device_id, &at, &pending_after, &last_error],
                )?;
            } else {
                tx.execute(
                    "UPDATE devices SET last_seen_at = $2, pending_docs = $3, last_error = $4 WHERE device_id = $1",
                    &[&device_id, &at, &pending_after, &last_error],
                )?;
            }
            Ok(())
        })
    }

    fn sessions(&self, limit: u32) -> StoreResult<Vec<SessionRecord>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT session_id, device_id, volunteer_id, started_at, ended_at, outcome, docs_up, bytes_up,
                        docs_down, bytes_down, rejected, pending_before, pending_after, error
                 FROM sessions ORDER BY session_id DESC LIMIT $1",
                &[&i64::from(limit)],
            )?
            .into_iter()
            .map(|r| session_row(&r))
            .collect())
        })
    }

    fn device_statuses(&self) -> StoreResult<Vec<DeviceStatus>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT device_id, volunteer_id, area_id, revoked_at IS NOT NULL, enrolled_at, last_seen_at,
                        last_success_at, pending_docs, last_error
                 FROM devices ORDER BY volunteer_id, device_id",
                &[],
            )?
            .into_iter()
            .map(|r| DeviceStatus {
                device_id: r.get(0),
                volunteer_id: r.get(1),
                area_id: r.get(2),
                revoked: r.get(3),
                enrolled_at: r.get(4),
                last_seen_at: r.get(5),
                last_success_at: r.get(6),
                pending_docs: r.get::<_, Option<i32>>(7).map(|v| v as u32),
                last_error: r.get(8),
            })
            .collect())
        })
    }

    fn doc_epoch(&self, id: &str) -> StoreResult<Option<DocEpoch>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT epoch, gone FROM doc_epochs WHERE doc_id = $1",
                &[&id],
            )?
            .map(|r| DocEpoch {
                id: id.to_owned(),
                epoch: r.get::<_, i32>(0) as u32,
                gone: r.get(1),
            }))
        })
    }

    fn erase_doc(
        &self,
        id: &str,
        commune: &str,
        hamlet: &str,
        rewrite: Option<&DocWrite>,
        at: DateTime<Utc>,
        actor: &str,
    ) -> StoreResult<DocEpoch> {
        let at = ts(at);
        let epoch = self.tx(|tx| {
            let seq = lock_seq(tx)? + 1;
            match rewrite {
                Some(w) => lock_doc(tx, w, false)?,
                None => {
                    tx.query_opt("SELECT 1 FROM docs WHERE doc_id = $1 FOR UPDATE", &[&id])?;
                }
            }
            let epoch: i32 = tx
                .query_opt("SELECT epoch FROM doc_epochs WHERE doc_id = $1", &[&id])?
                .map(|r| r.get::<_, i32>(0))
                .unwrap_or(0)
                + 1;
            // Every derived row of the document goes (the dashboard's query tables too).
            drop_doc_rows(tx, id)?;
            tx.execute("DELETE FROM docs WHERE doc_id = $1", &[&id])?;
            if let Some(w) = rewrite {
                tx.execute(
                    "INSERT INTO docs (doc_id, commune, hamlet, seq, heads, bytes, updated_at, updated_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    &[&w.id, &w.commune, &w.hamlet, &seq, &heads_to_blob(&w.heads), &w.bytes, &at, &actor],
                )?;
                // The household stays, without the erased member: its query rows from the rewrite.
                index::write_rows(tx, [(w.id.as_str(), Some(&w.rows))])?;
            }
            tx.execute(
                "INSERT INTO doc_epochs (doc_id, epoch, gone, commune, hamlet, seq, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (doc_id) DO UPDATE SET epoch = $2, gone = $3, commune = $4, hamlet = $5, seq = $6, at = $7",
                &[&id, &epoch, &rewrite.is_none(), &commune, &hamlet, &seq, &at],
            )?;
            tx.execute("UPDATE hub_seq SET value = $1 WHERE id = 1", &[&seq])?;
            let action = if rewrite.is_none() {
                "erase.household"
            } else {
                "erase.member"
            };
            tx.execute(
                "INSERT INTO audit_log (at, actor, action, target) VALUES ($1, $2, $3, $4)",
                &[&at, &actor, &action, &id],
            )?;
            Ok(epoch as u32)
        })?;
        Ok(DocEpoch {
            id: id.to_owned(),
            epoch,
            gone: rewrite.is_none(),
        })
    }

    fn erasures_since(
        &self,
        area: &AreaInfo,
        cursor: u64,
        limit: usize,
    ) -> StoreResult<Vec<DocEpoch>> {
        let hamlets = hamlet_ids(area);
        let cursor = cursor.min(i64::MAX as u64) as i64;
        let limit = limit.min(i64::MAX as usize) as i64;
        self.with(|c| {
            Ok(c.query(
                "SELECT doc_id, epoch, gone FROM doc_epochs WHERE commune = $1 AND seq > $2
                   AND (cardinality($3::text[]) = 0 OR hamlet = ANY($3))
                 ORDER BY seq LIMIT $4",
                &[&area.commune_code, &cursor, &hamlets, &limit],
            )?
            .into_iter()
            .map(|r| DocEpoch {
                id: r.get(0),
                epoch: r.get::<_, i32>(1) as u32,
                gone: r.get(2),
            })
            .collect())
        })
    }

    fn held_elsewhere(&self, doc_id: &str, device_id: &str) -> StoreResult<bool> {
        self.with(|c| erase_requests::held_elsewhere(c, doc_id, device_id))
    }

    fn file_erase_request(
        &self,
        request: &NewEraseRequest<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<EraseDecision> {
        self.tx(|tx| erase_requests::file(tx, request, at))
    }

    fn erase_requests(&self, commune: &str, limit: u32) -> StoreResult<Vec<EraseRequestRecord>> {
        self.with(|c| erase_requests::of_commune(c, commune, limit))
    }

    fn erase_request(&self, request_id: i64) -> StoreResult<Option<EraseRequestRecord>> {
        self.with(|c| erase_requests::one(c, request_id))
    }

    fn decide_erase_requests(
        &self,
        household: &str,
        member: Option<&str>,
        approve: bool,
        at: DateTime<Utc>,
        actor: &str,
    ) -> StoreResult<u32> {
        self.tx(|tx| erase_requests::decide(tx, household, member, approve, at, actor))
    }

    fn audit(&self, at: DateTime<Utc>, actor: &str, action: &str, target: &str) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO audit_log (at, actor, action, target) VALUES ($1, $2, $3, $4)",
                &[&ts(at), &actor, &action, &target],
            )?;
            Ok(())
        })
    }

    fn audit_entries(&self, limit: u32) -> StoreResult<Vec<AuditRecord>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT id, at, actor, action, target FROM audit_log ORDER BY id DESC LIMIT $1",
                &[&i64::from(limit)],
            )?
            .into_iter()
            .map(|r| AuditRecord {
                id: r.get(0),
                at: r.get(1),
                actor: r.get(2),
                action: r.get(3),
                target: r.get(4),
            })
            .collect())
        })
    }
}
