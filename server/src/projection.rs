//! Pure: what a household document gives every query table of the dashboard (one [`DocRows`]),
//! from the household as read, its number of conflicts and the time. Each backend only writes
//! these rows with its own SQL (`store/sqlite/index.rs`, `store/postgres/index.rs`), in the
//! transaction that writes the document; so what the dashboard shows is derived the same way on
//! SQLite and PostgreSQL, and can be rebuilt from the documents at any time.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use gocua_core::HouseholdDoc;
use gocua_core::commune_view::{for_commune, shared_with_commune};
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::{Household, Lifecycle};
use gocua_core::text::fold;
use gocua_core::validate::{validate_household_input, validate_member_input};

use crate::time::{day, ts};

/// Bump when the rows change shape or meaning: the query tables are rebuilt on the next start.
pub const VERSION: &str = "6";

/// Validation warnings of a stored household (errors were refused at sync).
pub fn warnings(
    h: &Household,
    now: DateTime<Utc>,
) -> Vec<(Option<String>, gocua_core::validate::Issue)> {
    let later = now + chrono::Duration::days(2);
    let input = HouseholdInput::from(h);
    let mut out: Vec<_> = validate_household_input(&input, later)
        .1
        .warnings()
        .cloned()
        .map(|i| (None, i))
        .collect();
    // The distance from the commune is judged live on the data-quality page, where the
    // commune's centre is known; dates against the hub's clock, which is right.
    out.extend(
        gocua_core::validate::check_consistency(h, None)
            .into_iter()
            .chain(gocua_core::validate::check_recorded_times(h, now))
            .map(|(m, i)| (m.map(|m| m.0), i)),
    );
    for m in h.current_members() {
        let input = MemberInput::from(m);
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
    /// Imported from the commune's list, not yet confirmed at the door.
    pub to_verify: bool,
    pub conflicts: i64,
    pub warnings: i64,
    pub search: String,
    pub updated_at: String,
    pub created_day: String,
    /// The household a merged one was merged into: not a column, read by the hub to carry a
    /// late change of a merged household into the kept one (`hub/merged.rs`).
    pub merged_into: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MemberIdx {
    pub member_id: String,
    /// Consent in force to share with the commune; without it the personal fields are empty.
    pub shared: bool,
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
    /// The volunteer who set it.
    pub set_by: String,
}

#[derive(Debug, Clone)]
pub struct VisitIdx {
    pub visit_id: String,
    pub date: String,
    pub volunteer: String,
    pub outcome: String,
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

/// Documents decoded by [`from_bytes`] in this process (rebuilds of the query tables): a push
/// never comes here, the hub projects the household it already read (tests check it).
static DECODED: AtomicU64 = AtomicU64::new(0);

/// How many documents [`from_bytes`] decoded in this process.
pub fn decoded() -> u64 {
    DECODED.load(Ordering::Relaxed)
}

/// The rows of a stored document from its bytes, for a rebuild of the query tables (at start,
/// when [`VERSION`] changed); `None` for a document that cannot be read (it keeps no rows;
/// logged by id only: never its content).
pub fn from_bytes(doc_id: &str, bytes: &[u8], at: DateTime<Utc>) -> Option<DocRows> {
    DECODED.fetch_add(1, Ordering::Relaxed);
    let read = HouseholdDoc::load(bytes).and_then(|mut doc| Ok((doc.read()?, doc.conflicts()?)));
    match read {
        Ok((h, conflicts)) => Some(project(&h, conflicts.len(), at)),
        Err(_) => {
            tracing::warn!(doc = doc_id, "document unreadable, not indexed");
            None
        }
    }
}

/// The rows of a household as read from its document, with its number of conflicts, at `at`.
/// Only what the commune may see goes into them (`commune_view`): a person who has not
/// consented to sharing with the commune is a member row without name or personal fields
/// (`shared` false), still counted, and none of their fields is searched or checked.
pub fn project(whole: &Household, conflicts: usize, at: DateTime<Utc>) -> DocRows {
    let seen = for_commune(whole);
    let h = &seen;
    let head = h
        .head_member()
        .map(|m| m.full_name.clone())
        .filter(|n| !n.is_empty());
    let address = h.address.one_line();
    let mut search = String::new();
    for m in h.current_members().filter(|m| !m.full_name.is_empty()) {
        search.push_str(&fold(&m.full_name));
        search.push('|');
    }
    search.push_str(&fold(&address));
    let warns = warnings(h, at);
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
        to_verify: h.lifecycle == Lifecycle::ToVerify,
        conflicts: conflicts as i64,
        warnings: warns.len() as i64,
        search,
        updated_at: ts(at),
        created_day: day(h.created_at),
        merged_into: h
            .merged_into
            .as_ref()
            .filter(|_| h.lifecycle == Lifecycle::Merged)
            .map(|m| m.0.clone()),
    };
    let mut members = Vec::new();
    let mut checklist = Vec::new();
    for m in h.current_members() {
        members.push(MemberIdx {
            member_id: m.id.0.clone(),
            shared: shared_with_commune(whole, &m.id),
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
                set_by: e.set_by.0.clone(),
            });
        }
    }
    // One row per visit id (the last one wins, as the SQLite store's `INSERT OR REPLACE`).
    let mut visits: Vec<VisitIdx> = Vec::new();
    for v in &h.visits {
        let row = VisitIdx {
            visit_id: v.id.0.clone(),
            date: v.date.format("%Y-%m-%d").to_string(),
            volunteer: v.volunteer.0.clone(),
            outcome: v.outcome.code().to_owned(),
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
    DocRows {
        household,
        members,
        checklist,
        visits,
        warnings,
    }
}
