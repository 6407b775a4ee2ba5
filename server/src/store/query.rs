//! What the dashboard reads and writes, behind [`DashboardStore`] (the query trait the pages
//! ask): the row types it answers with, and what every backend does the same around its SQL
//! (merging counts, grouping, patterns), so the backends differ only in their SQL. SQLite's
//! implementation is in `sqlite/dashboard.rs`, PostgreSQL's in `postgres/dashboard.rs`. Every
//! method is one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{DocWrite, SessionRecord, StoreResult};
use gocua_core::sync::wire::Head;

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
    /// When a revoked device reported that it wiped its register.
    pub wiped_at: Option<String>,
    pub enrolled_at: String,
    pub last_seen_at: Option<String>,
    pub last_success_at: Option<String>,
    pub pending_docs: Option<u32>,
    pub last_error: Option<String>,
    pub recent_sessions: u32,
    pub recent_docs: u64,
    pub recent_bytes: u64,
    /// The device's clock minus the hub's at its latest sync, in seconds.
    pub clock_skew_secs: Option<i64>,
}

/// A sync session as the dashboard lists it: the store's own record.
pub type SessionRow = SessionRecord;

/// A document the hub refused in a device's session: which one, and the refusal's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusalRow {
    pub session_id: u64,
    pub device_id: String,
    pub doc_id: String,
    pub code: String,
}

/// A merge of two households made on the hub (`Hub::merge_households`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeRecord {
    pub merge_id: i64,
    pub commune: String,
    pub keep_id: String,
    pub other_id: String,
    /// Each document's heads before the merge.
    pub keep_heads: Vec<Head>,
    pub other_heads: Vec<Head>,
    /// The sequence numbers the merge wrote.
    pub keep_seq: u64,
    pub other_seq: u64,
    pub at: String,
    pub by: String,
    pub undone_at: Option<String>,
}

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
    /// Consent in force to share with the commune: without it the name and personal fields are
    /// empty, and the row is only counted (`gocua_core::commune_view`).
    pub shared: bool,
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
    /// The refusals of a commune's sessions (one device's, or all), newest session first.
    fn refusals_of(
        &self,
        commune: &str,
        device: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<RefusalRow>>;

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
    /// Every active household of the commune (for the near-duplicate and position rules).
    fn active_households(&self, commune: &str) -> StoreResult<Vec<HouseholdRow>>;
    fn warnings(&self, commune: &str, limit: u32) -> StoreResult<Vec<WarningRow>>;
    fn conflicted(&self, commune: &str, limit: u32) -> StoreResult<Vec<HouseholdRow>>;
    fn dismissed(&self, commune: &str) -> StoreResult<Vec<String>>;
    fn dismiss(&self, commune: &str, key: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Records a merge made on the hub; returns its id.
    fn record_merge(&self, m: &MergeRecord) -> StoreResult<i64>;
    /// The commune's merges, newest first.
    fn merges(&self, commune: &str, limit: u32) -> StoreResult<Vec<MergeRecord>>;
    /// Marks a merge undone; false when it was already.
    fn merge_undone(&self, merge_id: i64, at: DateTime<Utc>) -> StoreResult<bool>;

    /// Writes a document changed on the hub (a coordinator's edit): new sequence number, so
    /// devices of its area receive it at their next sync; its query rows in the same
    /// transaction. Fails with [`super::StoreError::ChangedMeanwhile`] when the document changed
    /// since `w.expected_seq`.
    fn write_hub_doc(&self, w: &DocWrite, by: &str, at: DateTime<Utc>) -> StoreResult<()>;
}

pub(crate) const HOUSEHOLD_COLS: &str = "doc_id, hamlet, head_name, head_fold, address, plus_code, members, five_skills, active, conflicts, warnings, created_at, created_by";

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

/// The identifier kinds checked for duplicates across households: (kind, column).
pub(crate) const SHARED_IDENTIFIERS: [(&str, &str); 2] =
    [("id_number", "id_number"), ("phone", "phone")];

/// The query tables derived from the documents ([`crate::projection`]), in every backend.
pub(crate) const DERIVED: [&str; 5] = [
    "dash_households",
    "dash_members",
    "dash_checklist",
    "dash_visits",
    "dash_warnings",
];
