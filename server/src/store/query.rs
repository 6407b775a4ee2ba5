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
    pub role: crate::store::Role,
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
    /// Households the commune expects in the hamlet, when a coordinator set it.
    pub expected: Option<u64>,
    /// Members (who share with the commune) with each campaign indicator achieved.
    pub vneid_level2: u64,
    pub public_service: u64,
    pub cashless: u64,
    /// Households registered per week (Monday to Sunday, Vietnam's days), the last
    /// [`TREND_WEEKS`] weeks, oldest first: the last is this week.
    pub weekly: Vec<u64>,
}

/// Weeks of each hamlet's trend on the overview.
pub const TREND_WEEKS: usize = 6;

/// The checklist items a campaign reports per hamlet, as the overview's columns.
pub const HAMLET_INDICATORS: [&str; 3] = ["vneid_level2", "public_service_portal", "qr_payment"];

#[derive(Debug, Clone, Serialize, Default)]
pub struct Overview {
    pub households: u64,
    pub members: u64,
    pub visits_this_week: u64,
    pub with_five_skills: u64,
    /// Imported from the commune's list and not yet confirmed at the door.
    pub to_verify: u64,
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
    /// Paused by the commune (refused at sync until resumed).
    pub paused: bool,
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

/// One volunteer's work in a date range (Vietnam's days): households registered, later visits
/// (a registration's own visit is the registration), checklist items achieved, and the last day
/// anything of theirs was recorded (at any time).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ActivityRow {
    pub volunteer_id: String,
    pub registered: u64,
    pub visits: u64,
    pub items_done: u64,
    pub last_day: Option<String>,
    /// Per day of the range with anything: (day, registered, visits, items).
    pub days: Vec<(String, u64, u64, u64)>,
}

/// What the map marks a household by: its latest visit (a registration's included) and how many
/// set-up items its people achieved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseholdMark {
    pub doc_id: String,
    pub last_visit: Option<String>,
    pub items_done: u64,
}

/// The marks from the stores' two reads: (doc, latest visit day) and (doc, items achieved).
pub(crate) fn marks_of(
    visits: Vec<(String, String)>,
    items: Vec<(String, u64)>,
) -> Vec<HouseholdMark> {
    use std::collections::BTreeMap;
    let mut marks: BTreeMap<String, HouseholdMark> = BTreeMap::new();
    for (id, day) in visits {
        marks
            .entry(id.clone())
            .or_insert_with(|| HouseholdMark {
                doc_id: id,
                last_visit: None,
                items_done: 0,
            })
            .last_visit = Some(day);
    }
    for (id, n) in items {
        marks
            .entry(id.clone())
            .or_insert_with(|| HouseholdMark {
                doc_id: id,
                last_visit: None,
                items_done: 0,
            })
            .items_done = n;
    }
    marks.into_values().collect()
}

/// Counts per (volunteer, day) as the stores read them.
pub(crate) struct ActivityCounts {
    pub registered: Vec<(String, String, u64)>,
    pub visits: Vec<(String, String, u64)>,
    pub items: Vec<(String, String, u64)>,
    pub last_days: Vec<(String, String)>,
}

/// The volunteers' rows from the stores' counts, by volunteer id.
pub(crate) fn activity_rows(counts: ActivityCounts) -> Vec<ActivityRow> {
    use std::collections::BTreeMap;
    let mut rows: BTreeMap<String, ActivityRow> = BTreeMap::new();
    let mut days: BTreeMap<(String, String), [u64; 3]> = BTreeMap::new();
    let kinds = [counts.registered, counts.visits, counts.items];
    for (kind, list) in kinds.into_iter().enumerate() {
        for (volunteer, day, n) in list {
            let row = rows
                .entry(volunteer.clone())
                .or_insert_with(|| ActivityRow {
                    volunteer_id: volunteer.clone(),
                    ..Default::default()
                });
            match kind {
                0 => row.registered += n,
                1 => row.visits += n,
                _ => row.items_done += n,
            }
            days.entry((volunteer, day)).or_default()[kind] += n;
        }
    }
    for (volunteer, day) in counts.last_days {
        let row = rows
            .entry(volunteer.clone())
            .or_insert_with(|| ActivityRow {
                volunteer_id: volunteer,
                ..Default::default()
            });
        if row.last_day.as_deref().is_none_or(|l| l < day.as_str()) {
            row.last_day = Some(day);
        }
    }
    for ((volunteer, day), [registered, visits, items]) in days {
        if let Some(row) = rows.get_mut(&volunteer) {
            row.days.push((day, registered, visits, items));
        }
    }
    rows.into_values()
        .filter(|r| !r.volunteer_id.is_empty())
        .collect()
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
    /// The commune's audit entries at or after `start` and before `end` (RFC 3339, as stored),
    /// newest first.
    fn audit_between(
        &self,
        commune: &str,
        start: &str,
        end: &str,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>>;

    fn overview(&self, commune: &str, week_start: NaiveDate) -> StoreResult<Overview>;
    fn hamlet_names(&self, commune: &str) -> StoreResult<Vec<(String, String)>>;
    /// The communes that have hamlets on this hub (several share a PostgreSQL database).
    fn communes(&self) -> StoreResult<Vec<String>>;
    /// Each household's latest visit and items achieved (households with neither are absent).
    fn household_marks(&self, commune: &str) -> StoreResult<Vec<HouseholdMark>>;
    /// Each volunteer's work from `from` to `to` (Vietnam's days, both included).
    fn activity(
        &self,
        commune: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ActivityRow>>;
    fn areas(&self, commune: &str) -> StoreResult<Vec<AreaRow>>;
    fn devices(&self, commune: &str, since: DateTime<Utc>) -> StoreResult<Vec<DeviceRow>>;
    fn device_commune(&self, device_id: &str) -> StoreResult<Option<String>>;
    /// The commune's sessions (one device's, or all) started in `[started.0, started.1)` (as
    /// stored; `("", "~")` for any time), newest first.
    fn sessions_of(
        &self,
        commune: &str,
        device: Option<&str>,
        started: (&str, &str),
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
    /// The active households of one hamlet, by head's name: what its printed cards list.
    fn hamlet_households(&self, commune: &str, hamlet: &str) -> StoreResult<Vec<String>>;
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
                ..Default::default()
            }),
        }
    }
    o.hamlets = hamlets;
}

/// Puts each hamlet's expected households and its members per indicator
/// ([`HAMLET_INDICATORS`]) into the overview's hamlets.
pub(crate) fn add_hamlet_targets_and_items(
    o: &mut Overview,
    targets: Vec<(String, u64)>,
    items: Vec<(String, String, u64)>,
) {
    for (hamlet, expected) in targets {
        if let Some(h) = o.hamlets.iter_mut().find(|h| h.hamlet_id == hamlet) {
            h.expected = Some(expected);
        }
    }
    for (hamlet, item, n) in items {
        let Some(h) = o.hamlets.iter_mut().find(|h| h.hamlet_id == hamlet) else {
            continue;
        };
        match item.as_str() {
            "vneid_level2" => h.vneid_level2 = n,
            "public_service_portal" => h.public_service = n,
            "qr_payment" => h.cashless = n,
            _ => {}
        }
    }
}

/// The first day of the hamlets' trend: the Monday [`TREND_WEEKS`] - 1 weeks before this week's.
pub(crate) fn trend_start(week_start: NaiveDate) -> NaiveDate {
    week_start - chrono::Duration::weeks(TREND_WEEKS as i64 - 1)
}

/// Puts registrations per (hamlet, day since [`trend_start`]) into each hamlet's weeks.
pub(crate) fn add_hamlet_weeks(
    o: &mut Overview,
    week_start: NaiveDate,
    rows: Vec<(String, String, u64)>,
) {
    let start = trend_start(week_start);
    for h in &mut o.hamlets {
        h.weekly = vec![0; TREND_WEEKS];
    }
    for (hamlet, day, n) in rows {
        let Ok(day) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") else {
            continue;
        };
        let week = (day - start).num_days().div_euclid(7);
        let (Ok(week), Some(h)) = (
            usize::try_from(week),
            o.hamlets.iter_mut().find(|h| h.hamlet_id == hamlet),
        ) else {
            continue;
        };
        if let Some(w) = h.weekly.get_mut(week) {
            *w += n;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_fall_into_their_week() {
        let monday = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let mut o = Overview {
            hamlets: vec![HamletProgress {
                hamlet_id: "thon-dong".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let rows = vec![
            ("thon-dong".to_owned(), "2026-11-02".to_owned(), 4), // the first week's Monday
            ("thon-dong".to_owned(), "2026-11-08".to_owned(), 1), // its Sunday
            ("thon-dong".to_owned(), "2026-12-06".to_owned(), 2), // last week's Sunday
            ("thon-dong".to_owned(), "2026-12-09".to_owned(), 3), // this week
            ("thon-dong".to_owned(), "2026-11-01".to_owned(), 9), // too early
            ("thon-xa".to_owned(), "2026-12-08".to_owned(), 9),   // not a listed hamlet
        ];
        add_hamlet_weeks(&mut o, monday, rows);
        assert_eq!(o.hamlets[0].weekly, [5, 0, 0, 0, 2, 3]);
    }
}
