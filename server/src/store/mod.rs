//! The hub's storage: [`HubStore`] (what the sync and administration use) and
//! [`query::DashboardStore`] (what the dashboard's pages ask), with typed errors
//! ([`StoreError`]); one folder per backend, each with its own SQL and numbered migrations:
//! [`sqlite::SqliteStore`] (embedded, the default) and [`postgres::PgStore`] (several hub
//! processes on one database). No SQL lives outside this folder, and no backend decodes a
//! household document: the hub hands each write its rows ([`crate::projection`]).
//!
//! Every method is one durable transaction.
//!
//! # Concurrency: one design for both stores
//!
//! Writes of documents are optimistic. The hub reads a document ([`HubStore::load_doc`], which
//! gives its sequence number), merges the device's changes into it, validates and projects the
//! result, and writes it with the sequence number it read ([`DocWrite::expected_seq`], `None`
//! for a new document). In the transaction of the write, the store takes the hub-wide sequence
//! counter's lock first (SQLite: `BEGIN IMMEDIATE`, the database's one writer; PostgreSQL:
//! `SELECT ... FROM hub_seq FOR UPDATE`), then compares each document's stored sequence number
//! with the expected one: when another writer (another hub process on PostgreSQL, or another
//! process on the same SQLite file) stored the document meanwhile, nothing is written and the
//! call fails with [`StoreError::ChangedMeanwhile`]; the hub reads the document again, merges
//! again and retries (`Hub::sync`, `Hub::erase`; the dashboard's conflict page says "changed
//! meanwhile" to the coordinator). So no change is ever lost to a race, sequence numbers are
//! handed out in commit order (a device's cursor never passes a change that commits later), and
//! the query rows always match the stored document. Inside one process the hub also serialises
//! its own merges (its write lock), so retries only happen between processes.

use chrono::{DateTime, Utc};
use gocua_core::sync::wire::{AreaInfo, DocEpoch, Head, MergedHamlet, SessionOutcome};
use serde::Serialize;

use crate::projection::DocRows;

pub mod postgres;
pub mod query;
pub mod sqlite;

pub use query::DashboardStore;

/// Creates the hub's data folder readable by the hub's user only (0700), with any missing parent;
/// a folder that exists is left as it is (it may be shared, such as the current directory).
pub fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes a secret to a new file readable by its owner only (never over an existing one),
/// durable when it returns.
pub fn write_private_new(path: &std::path::Path, contents: &str) -> StoreResult<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| {
        StoreError::Config(match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "{}: tệp đã có, không ghi đè / the file exists and is not overwritten",
                path.display()
            ),
            _ => format!("{}: {e}", path.display()),
        })
    })?;
    file.write_all(contents.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| StoreError::Config(format!("{}: {e}", path.display())))
}

/// What a store call can fail with. Callers match on the variant (or [`StoreError::code`]),
/// never on the text; no variant carries personal data (ids of records at most).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed (connection, I/O, SQL): the driver's text, for the log only.
    #[error("database: {0}")]
    Database(String),
    /// The document was written by someone else since it was read (`expected_seq` no longer
    /// matches): read it again, merge, and retry.
    #[error("document {id} changed meanwhile")]
    ChangedMeanwhile { id: String },
    /// A device or pairing code names an area the store does not have.
    #[error("unknown area")]
    UnknownArea,
    /// A stored value could not be read back (the area's hamlet list).
    #[error("stored {what} unreadable")]
    Corrupt { what: &'static str },
    /// A value out of the range the store can keep.
    #[error("{what} out of range")]
    OutOfRange { what: &'static str },
    /// The database URL or the store's configuration is wrong.
    #[error("configuration: {0}")]
    Config(String),
    /// The database was made by a newer hub (its schema version is above this hub's).
    #[error("database schema {found} is newer than this hub supports ({supported})")]
    SchemaTooNew { found: i64, supported: i64 },
}

impl StoreError {
    /// A stable, machine-readable code: what pages, clients and logs match on.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Database(_) => "database",
            StoreError::ChangedMeanwhile { .. } => "changed_meanwhile",
            StoreError::UnknownArea => "unknown_area",
            StoreError::Corrupt { .. } => "corrupt",
            StoreError::OutOfRange { .. } => "out_of_range",
            StoreError::Config(_) => "config",
            StoreError::SchemaTooNew { .. } => "schema_too_new",
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Database(e.to_string())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// An enrolled device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceRecord {
    pub device_id: String,
    pub volunteer_id: String,
    pub area: AreaInfo,
    pub revoked: bool,
    /// Paused by the commune: refused at sync until resumed, its data kept on it.
    pub paused: bool,
    /// Documents it may still push with other devices' changes in them, refilling a hub that
    /// lost writes (docs/sync-protocol.md, "Reconciliation").
    pub refill_budget: u32,
}

/// A sealed bundle delivered to the hub: by whom, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleReceipt {
    /// The store's number of this delivery (0 before it is recorded).
    pub receipt_id: i64,
    pub bundle_id: String,
    /// The commune the bundle's header names.
    pub commune: String,
    /// The device that sealed it (as its header says, for refused ones).
    pub device_id: String,
    pub received_at: DateTime<Utc>,
    /// `carrier:<device id>`, `dashboard:<login>` or `cli:<login>`.
    pub via: String,
    /// `applied`, or the code of the refusal.
    pub outcome: String,
    pub session: Option<u64>,
    pub households: u32,
    /// Whether its sealed answer is kept to download.
    pub has_answer: bool,
}

/// A household document as the hub keeps it.
#[derive(Debug, Clone)]
pub struct DocRecord {
    pub bytes: Vec<u8>,
    pub commune: String,
    pub hamlet: String,
    pub seq: u64,
    /// The document's heads, as stored beside it (read without decoding it).
    pub heads: Vec<Head>,
}

/// A document to write: its merged snapshot, where it lives, its query rows, and the sequence
/// number it had when read (see the module's header on concurrency).
#[derive(Debug, Clone)]
pub struct DocWrite {
    pub id: String,
    pub bytes: Vec<u8>,
    pub commune: String,
    pub hamlet: String,
    pub heads: Vec<Head>,
    /// The query tables' rows of this document, projected by the hub from what it validated.
    pub rows: DocRows,
    /// The stored sequence number the write was merged from; `None` for a new document.
    pub expected_seq: Option<u64>,
}

/// A pairing code as issued (only the hash of the code is kept).
#[derive(Debug, Clone)]
pub struct Pairing {
    pub code_hash: String,
    pub volunteer_id: String,
    pub area_id: String,
    pub coordinator_id: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// An issued pairing code as the coordinators list it. The code itself is never stored; it is
/// known by `reference`, the first characters of its hash ([`PAIRING_REFERENCE_LEN`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairingRow {
    pub reference: String,
    pub volunteer_id: String,
    pub area_id: String,
    pub area_name: String,
    pub coordinator_id: String,
    pub created_at: String,
    pub expires_at: String,
    pub used_at: Option<String>,
    pub used_by: Option<String>,
    pub cancelled_at: Option<String>,
    pub cancelled_by: Option<String>,
}

/// Hex digits of a code's hash that name it in lists and cancellations (48 bits: unique among
/// a commune's codes in practice, and no help in guessing a code).
pub const PAIRING_REFERENCE_LEN: usize = 12;

/// What a coordinator may do in the dashboard: an editor runs the campaign (pairing codes,
/// corrections, merges, erasure decisions, targets); a viewer reads every page and changes
/// nothing. A role the hub does not know reads as a viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Editor,
    Viewer,
    /// A province's follower (issue 17): sees each commune's aggregates, no household and no
    /// person. Their account's commune is the province's code.
    Province,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Viewer => "viewer",
            Role::Province => "province",
        }
    }

    pub fn from_code(code: &str) -> Role {
        match code {
            "editor" => Role::Editor,
            "province" => Role::Province,
            _ => Role::Viewer,
        }
    }
}

/// A coordinator account of a commune, as the team page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoordinatorRow {
    pub coordinator_id: String,
    pub name: String,
    pub role: Role,
    pub created_at: String,
    /// Whether a dashboard password is set (an account made without one cannot sign in).
    pub has_password: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PairingState {
    Open,
    Used,
    Cancelled,
    Expired,
}

impl PairingRow {
    pub fn state(&self, now: DateTime<Utc>) -> PairingState {
        if self.used_at.is_some() {
            PairingState::Used
        } else if self.cancelled_at.is_some() {
            PairingState::Cancelled
        } else if crate::time::parse_ts(&self.expires_at) <= now {
            PairingState::Expired
        } else {
            PairingState::Open
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedeemError {
    /// Unknown, used or expired: the device is told the same in every case.
    Invalid,
    /// The volunteer or commune of the register is not the code's.
    Mismatch,
    /// The device id is already enrolled.
    DeviceExists,
}

/// What a session moved, added to its record after each request.
#[derive(Debug, Clone, Default)]
pub struct Traffic {
    pub docs_up: u32,
    pub bytes_up: u64,
    pub docs_down: u32,
    pub bytes_down: u64,
    pub rejected: u32,
}

/// A sync session, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRecord {
    pub session_id: u64,
    pub device_id: String,
    pub volunteer_id: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    /// `success`, `partial`, `cancelled`, `failed`, or `None` while open or if interrupted.
    pub outcome: Option<String>,
    pub docs_up: u32,
    pub bytes_up: u64,
    pub docs_down: u32,
    pub bytes_down: u64,
    pub rejected: u32,
    pub pending_before: u32,
    pub pending_after: Option<u32>,
    pub error: Option<String>,
}

/// Per-device sync status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceStatus {
    pub device_id: String,
    pub volunteer_id: String,
    pub area_id: String,
    pub revoked: bool,
    pub enrolled_at: String,
    pub last_seen_at: Option<String>,
    pub last_success_at: Option<String>,
    /// Documents the device reported as not yet synced.
    pub pending_docs: Option<u32>,
    pub last_error: Option<String>,
}

/// One entry of the hub's append-only audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: String,
    /// `device:<id>`, `coordinator:<id>` or `hub`.
    pub actor: String,
    /// `sync.start`, `sync.finish.<outcome>`, `erase.household`, `erase.member`, `enrol`, ...
    pub action: String,
    /// The record acted on (a session, document or device id), never personal data.
    pub target: String,
}

/// Where an erasure request filed by a device stands (docs/SECURITY.md, "Erasure requests").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EraseDecision {
    Pending,
    Approved,
    Refused,
}

impl EraseDecision {
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Refused => "refused",
        }
    }

    pub fn from_code(code: &str) -> Self {
        match code {
            "approved" => Self::Approved,
            "refused" => Self::Refused,
            _ => Self::Pending,
        }
    }
}

/// A device's request to erase a household (`member = None`) or one member, as filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEraseRequest<'a> {
    pub household: &'a str,
    pub member: Option<&'a str>,
    pub commune: &'a str,
    pub hamlet: &'a str,
    pub device_id: &'a str,
    pub volunteer_id: &'a str,
}

/// An erasure request as the hub keeps it: ids and codes, never personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EraseRequestRecord {
    pub request_id: i64,
    pub household: String,
    pub member: Option<String>,
    pub commune: String,
    pub hamlet: String,
    pub device_id: String,
    pub volunteer_id: String,
    pub requested_at: String,
    pub decision: EraseDecision,
    pub decided_at: Option<String>,
    /// `coordinator:<id>`.
    pub decided_by: Option<String>,
}

/// `household` or `household/member`: the audit log's target of an erasure request.
/// Why a hub does not take another's identity.
pub const IDENTITY_TAKEN: &str = "máy chủ này đã có dữ liệu hoặc thiết bị; chỉ máy chủ dựng lại từ đầu mới nhận danh tính cũ / this hub already holds data or devices: only a hub rebuilt from nothing takes a lost hub's identity";

pub fn erase_target(household: &str, member: Option<&str>) -> String {
    match member {
        Some(m) => format!("{household}/{m}"),
        None => household.to_owned(),
    }
}

pub trait HubStore: Send + Sync {
    /// The hub's stable id (made when the store was created).
    fn hub_id(&self) -> StoreResult<String>;
    /// The hub's generation (0, then one more at each restore from a backup) and when it was
    /// last restored.
    fn lineage(&self) -> StoreResult<(i64, Option<String>)>;

    // --- administration
    // --- a hub restored or rebuilt, refilled from the devices (docs/sync-protocol.md,
    // "Reconciliation")
    /// Marks a database restored by the database's own tools (PostgreSQL's `pg_restore`): one
    /// generation on, `restored_at` set, every sequence number moved past any device's cursor.
    /// Returns the new generation. The SQLite store's `restore` does this itself.
    fn mark_restored(&self, at: DateTime<Utc>) -> StoreResult<i64>;
    /// Takes the identity of a lost hub (its id and erasure key, from `gocua-hub identity`),
    /// so its phones recognise the rebuilt one and their erasure proofs hold. Refused
    /// ([`IDENTITY_TAKEN`]) on a hub that holds any document or device.
    fn adopt_identity(&self, hub_id: &str, erasure_key: &[u8; 32]) -> StoreResult<()>;
    /// How many documents a device may push with other devices' changes (what it reported
    /// the hub lacks); and what it has spent.
    fn set_refill_budget(&self, device_id: &str, docs: u32) -> StoreResult<()>;
    fn spend_refill(&self, device_id: &str, docs: u32) -> StoreResult<()>;
    /// The hub's sequence number now: the highest given to a document or an erasure.
    fn current_seq(&self) -> StoreResult<u64>;
    /// The key of the hub's erasure proofs, made at first use and kept with the hub's data (so a
    /// backup carries it).
    fn erasure_key(&self) -> StoreResult<[u8; 32]>;
    /// Every document of `area`, with its heads.
    fn area_heads(&self, area: &AreaInfo) -> StoreResult<Vec<(String, Vec<Head>)>>;
    /// Records that a device holds these documents at these heads (what it offered and the hub
    /// holds the same), so they are not sent to it again.
    fn set_device_heads(&self, device_id: &str, docs: &[(String, Vec<Head>)]) -> StoreResult<()>;
    /// Carries out again an erasure that a device proved the hub made (a restore lost it): the
    /// document and its rows go, the erasure is recorded at its epoch under a new sequence
    /// number, audited (`erase.reinstated`). `false` when the hub's record is as far already.
    fn reinstate_erasure(
        &self,
        erasure: &DocEpoch,
        commune: &str,
        hamlet: &str,
        at: DateTime<Utc>,
        actor: &str,
    ) -> StoreResult<bool>;
    fn add_coordinator(
        &self,
        id: &str,
        name: &str,
        commune: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    fn coordinator_commune(&self, id: &str) -> StoreResult<Option<String>>;
    /// Creates or replaces an area; its hamlets are added to the commune's hamlet list.
    fn put_area(&self, area: &AreaInfo) -> StoreResult<()>;
    fn area(&self, area_id: &str) -> StoreResult<Option<AreaInfo>>;
    fn issue_pairing(&self, pairing: &Pairing) -> StoreResult<()>;
    /// Atomically uses a pairing code and enrols the device; a code works once.
    #[allow(clippy::too_many_arguments)]
    fn redeem_pairing(
        &self,
        code_hash: &str,
        now: DateTime<Utc>,
        device_id: &str,
        volunteer_id: &str,
        commune: &str,
        token_hash: &str,
    ) -> StoreResult<Result<DeviceRecord, RedeemError>>;
    /// Makes a coordinator an editor or a viewer; false when there is no such coordinator.
    fn set_coordinator_role(&self, id: &str, role: Role) -> StoreResult<bool>;
    /// Sets (or with `None` clears) how many households a hamlet of the commune is expected to
    /// have; false when the commune has no such hamlet.
    fn set_hamlet_target(
        &self,
        commune: &str,
        hamlet_id: &str,
        expected: Option<u32>,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Retires a hamlet of the commune, merged into `merged_into` or alone; hamlets merged into
    /// it follow it there. The caller has taken it out of its area first (`put_area`). False
    /// when the commune has no such hamlet in service. Adding it back to an area revives it.
    fn retire_hamlet(
        &self,
        commune: &str,
        hamlet_id: &str,
        merged_into: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// The retired hamlets of the area's commune merged into one of the area's hamlets: sent
    /// with the area at the start of each session.
    fn merged_hamlets(&self, area: &AreaInfo) -> StoreResult<Vec<MergedHamlet>>;
    /// The households (document ids) the hub holds in a hamlet of the commune.
    fn hamlet_docs(&self, commune: &str, hamlet_id: &str) -> StoreResult<Vec<String>>;
    /// Keeps a checked import file until its coordinator imports it; files older than `purge_before`
    /// are deleted on the way.
    fn put_pending_import(
        &self,
        token_hash: &str,
        coordinator: &str,
        file: &[u8],
        at: DateTime<Utc>,
        purge_before: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Takes (and deletes) a checked import file of `coordinator` kept since `since` or later.
    fn take_pending_import(
        &self,
        token_hash: &str,
        coordinator: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<Option<Vec<u8>>>;
    /// The commune's coordinator accounts, by id.
    fn coordinators(&self, commune: &str) -> StoreResult<Vec<CoordinatorRow>>;
    /// Deletes a coordinator account with its password, web sessions and settings; the audit
    /// logs keep its id. False when there is no such coordinator.
    fn remove_coordinator(&self, id: &str) -> StoreResult<bool>;
    /// Pauses a device (`Some(at)`) or resumes it (`None`); false when there is no such device
    /// or it is revoked.
    fn set_device_paused(&self, device_id: &str, at: Option<DateTime<Utc>>) -> StoreResult<bool>;

    // Sealed bundles (docs/sync-protocol.md, "Sealed bundles").
    /// A device by its id, with its public bundle keys (hex) when it registered them.
    fn bundle_device(&self, device_id: &str)
    -> StoreResult<Option<(DeviceRecord, Option<String>)>>;
    /// The enrolled, not revoked devices of an area that registered bundle keys: (device,
    /// volunteer, keys).
    fn bundle_peers(&self, area_id: &str) -> StoreResult<Vec<(String, String, String)>>;
    /// Records a device's public bundle keys (hex), replacing earlier ones.
    fn set_bundle_keys(&self, device_id: &str, keys: &str) -> StoreResult<()>;
    /// Whether a bundle of this id was applied already.
    fn bundle_applied(&self, bundle_id: &str) -> StoreResult<bool>;
    /// Records a bundle delivered, applied (with its sealed answer) or refused. An applied
    /// bundle recorded twice (two carriers delivering it at once) is kept once.
    fn record_bundle(&self, receipt: &BundleReceipt, answer: Option<&[u8]>) -> StoreResult<()>;
    /// The bundles of a commune delivered, newest first.
    fn bundles_received(&self, commune: &str, limit: u32) -> StoreResult<Vec<BundleReceipt>>;
    /// The sealed answer of a delivery of the commune: (bundle's device, answer).
    fn bundle_answer(
        &self,
        commune: &str,
        receipt_id: i64,
    ) -> StoreResult<Option<(String, Vec<u8>)>>;
    /// Gives a device another area of its commune; the hub forgets which households outside it
    /// the device holds, as `put_area` does. False when there is no such device.
    fn move_device(&self, device_id: &str, area_id: &str) -> StoreResult<bool>;
    /// The commune's pairing codes, newest first: who they were for, and whether each was used,
    /// cancelled or let expire.
    fn pairings(&self, commune: &str, limit: u32) -> StoreResult<Vec<PairingRow>>;
    /// Cancels the commune's unused, uncancelled code known by `reference`; false when there is
    /// none such. A cancelled code enrols nothing.
    fn cancel_pairing(
        &self,
        commune: &str,
        reference: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    fn revoke_device(&self, device_id: &str, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Records that a revoked device wiped its register (the first report only); false when the
    /// device is not revoked or already reported.
    fn record_wipe(&self, device_id: &str, at: DateTime<Utc>) -> StoreResult<bool>;
    /// The error of the device's clock measured at its latest sync (device minus hub).
    fn record_clock_skew(&self, device_id: &str, skew_secs: i64) -> StoreResult<()>;
    fn device_by_token_hash(&self, token_hash: &str) -> StoreResult<Option<DeviceRecord>>;

    // --- documents
    fn load_doc(&self, id: &str) -> StoreResult<Option<DocRecord>>;
    /// Stores merged documents (each gets a new sequence number) with their query rows, and
    /// what the device is now known to have, in one durable transaction; nothing when one of
    /// them changed since it was read ([`StoreError::ChangedMeanwhile`]).
    fn commit_push(
        &self,
        device_id: &str,
        writes: &[DocWrite],
        device_heads: &[(String, Vec<Head>)],
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Documents of `area` with a sequence number above `cursor`, oldest first, at most
    /// `limit`; and the highest sequence number of the hub.
    fn changed_since(
        &self,
        area: &AreaInfo,
        cursor: u64,
        limit: usize,
    ) -> StoreResult<(Vec<(String, u64)>, u64)>;
    /// Heads the hub knows the device has, of one document.
    fn device_heads(&self, device_id: &str, doc_id: &str) -> StoreResult<Vec<Head>>;
    fn doc_count(&self) -> StoreResult<u64>;
    /// Every document id with its commune and hamlet (reports, tests).
    fn doc_ids(&self) -> StoreResult<Vec<(String, String, String)>>;

    // --- sessions
    fn start_session(
        &self,
        device: &DeviceRecord,
        at: DateTime<Utc>,
        pending: u32,
    ) -> StoreResult<u64>;
    fn session_device(&self, session: u64) -> StoreResult<Option<(String, bool)>>;
    /// Adds traffic to a session and remembers what was sent to the device in it.
    fn record_traffic(
        &self,
        session: u64,
        traffic: &Traffic,
        sent: &[(String, Vec<Head>)],
        rejections: &[(String, String)],
    ) -> StoreResult<()>;
    /// Closes a session; when the device stored what it was sent, what was sent becomes what
    /// the hub knows the device has.
    #[allow(clippy::too_many_arguments)]
    fn finish_session(
        &self,
        session: u64,
        device_id: &str,
        outcome: SessionOutcome,
        at: DateTime<Utc>,
        pending_after: u32,
        error: Option<&str>,
    ) -> StoreResult<()>;
    fn sessions(&self, limit: u32) -> StoreResult<Vec<SessionRecord>>;
    fn device_statuses(&self) -> StoreResult<Vec<DeviceStatus>>;

    // --- erasure and audit (docs/SECURITY.md)
    /// The erasure state of a document: `None` when it was never erased.
    fn doc_epoch(&self, id: &str) -> StoreResult<Option<DocEpoch>>;
    /// Erases a document in one durable transaction: drops it (`rewrite = None`) or replaces it by
    /// its rewrite (refused with [`StoreError::ChangedMeanwhile`] when the document changed since
    /// the rewrite was made from it), forgets what every device was known to have of it, bumps its epoch with a new
    /// sequence number (so devices of the area are told), appends to the audit log; then
    /// checkpoints the WAL so no old page image stays on disk.
    fn erase_doc(
        &self,
        id: &str,
        commune: &str,
        hamlet: &str,
        rewrite: Option<&DocWrite>,
        at: DateTime<Utc>,
        actor: &str,
    ) -> StoreResult<DocEpoch>;
    /// Erasures of `area` with a sequence number above `cursor`, oldest first, at most `limit`.
    fn erasures_since(
        &self,
        area: &AreaInfo,
        cursor: u64,
        limit: usize,
    ) -> StoreResult<Vec<DocEpoch>>;
    /// Whether a device other than `device_id` holds the document or was sent it (a session not
    /// yet finished included).
    fn held_elsewhere(&self, doc_id: &str, device_id: &str) -> StoreResult<bool>;
    /// Files a device's erasure request, once per device, household and member, and says where
    /// it stands. A refusal is told to the device once: the same request sent after that is a
    /// new one, pending again. The filing is audited (`erase.requested`).
    fn file_erase_request(
        &self,
        request: &NewEraseRequest<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<EraseDecision>;
    /// A commune's erasure requests: pending first (oldest first), then decided (newest first),
    /// at most `limit`.
    fn erase_requests(&self, commune: &str, limit: u32) -> StoreResult<Vec<EraseRequestRecord>>;
    fn erase_request(&self, request_id: i64) -> StoreResult<Option<EraseRequestRecord>>;
    /// Decides every undecided request about a member (or, `member = None`, about the household
    /// and each of its members when approved), audited as `erase.approved` or `erase.refused`;
    /// returns how many were decided.
    fn decide_erase_requests(
        &self,
        household: &str,
        member: Option<&str>,
        approve: bool,
        at: DateTime<Utc>,
        actor: &str,
    ) -> StoreResult<u32>;
    /// Appends one entry to the append-only audit log (ids and codes only, never personal data).
    fn audit(&self, at: DateTime<Utc>, actor: &str, action: &str, target: &str) -> StoreResult<()>;
    /// The latest audit entries, newest first.
    fn audit_entries(&self, limit: u32) -> StoreResult<Vec<AuditRecord>>;

    /// The coordinators' dashboard's queries and writes, when this store has them.
    fn dashboard(&self) -> Option<&dyn DashboardStore> {
        None
    }
}
