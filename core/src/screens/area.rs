//! "My area": the header counts of a hamlet, the follow-ups due, its households a page at a
//! time (never a silent cap: a "more" action while there are more), search, and search before
//! create: before a new household is started, the name, phone and ID number typed are looked up
//! and the matches offered ("is it one of these?"), masked as lists are.
//!
//! A follow-up is due when the household's latest visit set a follow-up date that is today or
//! past: any later visit settles it (`Household::pending_follow_up`, which the query table's
//! `follow_up_on` holds too).

use chrono::NaiveDate;

use super::common::{action, notice, option, save_failed};
use super::mask::{mask_id_number, mask_phone};
use super::view::{ActionView, Lang, Notice, NoticeLevel, OptionView, one_line, shown_lines, tr};
use crate::model::{Household, HouseholdId, Lifecycle, MemberId};
use crate::{HouseholdSummary, Register, SearchHit};

/// Households per page.
pub const PAGE_SIZE: u32 = 50;
/// Matches shown by a search.
const SEARCH_LIMIT: u32 = 20;
/// Rows read at a time when counting a hamlet.
const SCAN_PAGE: u32 = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AreaEvent {
    ChooseHamlet(String),
    /// Shows the next page of households.
    More,
    Search(String),
    /// Before a new household: what the volunteer was told at the door.
    CheckBeforeCreate {
        name: String,
        phone: String,
        id_number: String,
    },
    /// None of the matches is this household: go on and create it.
    NoneOfThese,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdRow {
    pub id: HouseholdId,
    pub head: String,
    pub address: String,
    pub members: u32,
    /// "3 người" / "3 people".
    pub members_line: String,
    /// "Follow-up due 2026-07-01", "Not synced", ... in the chosen language.
    pub badges: Vec<String>,
    /// The badges as the one line a row shows.
    pub badge_line: String,
}

/// A person found by search, masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchRow {
    pub household: HouseholdId,
    pub member: MemberId,
    pub name: String,
    pub address: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    /// What matched: "name", "phone" or "ID number", in the chosen language.
    pub matched: String,
    /// The lines shown under the name: address, masked ID number and phone, what matched; the
    /// empty ones left out.
    pub details: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaView {
    pub title: String,
    pub hamlet_options: Vec<OptionView>,
    /// One line each: households, members, follow-ups due, not yet synced.
    pub header: Vec<String>,
    /// The title over the follow-ups due; none when nothing is due, and the section is not drawn.
    pub follow_ups_title: Option<String>,
    pub follow_ups_due: Vec<HouseholdRow>,
    pub households: Vec<HouseholdRow>,
    pub search_results: Vec<MatchRow>,
    /// Matches offered before creating a household ("is it one of these?").
    pub candidates: Vec<MatchRow>,
    /// Set when the new household may be created (nothing matched, or none was it).
    pub create_next: bool,
    pub actions: Vec<ActionView>,
    pub notices: Vec<Notice>,
}

pub struct AreaModel {
    lang: Lang,
    hamlet: Option<String>,
    pages: u32,
    query: String,
    candidates: Vec<SearchHit>,
    checked: bool,
    create_next: bool,
    notices: Vec<Notice>,
}

impl AreaModel {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            hamlet: None,
            pages: 1,
            query: String::new(),
            candidates: Vec::new(),
            checked: false,
            create_next: false,
            notices: Vec::new(),
        }
    }

    pub fn handle(&mut self, reg: &Register, event: AreaEvent) -> AreaView {
        self.notices.clear();
        match event {
            AreaEvent::ChooseHamlet(h) => {
                self.hamlet = Some(h);
                self.pages = 1;
            }
            AreaEvent::More => self.pages += 1,
            AreaEvent::Search(q) => self.query = q,
            AreaEvent::CheckBeforeCreate {
                name,
                phone,
                id_number,
            } => {
                self.candidates = matches_before_create(reg, &[&name, &phone, &id_number]);
                self.checked = true;
                self.create_next = self.candidates.is_empty();
            }
            AreaEvent::NoneOfThese => self.create_next = self.checked,
        }
        self.view(reg)
    }

    pub fn view(&self, reg: &Register) -> AreaView {
        let lang = self.lang;
        let mut notices = self.notices.clone();
        let commune = reg.identity().commune_code.clone();
        let hamlets = reg.hamlets(&commune).unwrap_or_default();
        let hamlet = self
            .hamlet
            .clone()
            .or_else(|| hamlets.first().map(|h| h.id.clone()))
            .unwrap_or_default();
        let today = crate::vietnam_time::local_date(reg.sync_now());
        let all = match scan_hamlet(reg, &commune, &hamlet) {
            Ok(all) => all,
            Err(_) => {
                notices.push(save_failed(lang));
                Vec::new()
            }
        };
        let due: Vec<HouseholdRow> = all
            .iter()
            .filter(|s| s.follow_up_on.is_some())
            .filter_map(|s| {
                let h = reg.household(&s.id).ok()?;
                let date = follow_up_due(&h, today)?;
                Some(row(s, lang, Some(date)))
            })
            .collect();
        let shown = (self.pages * PAGE_SIZE) as usize;
        let households: Vec<HouseholdRow> =
            all.iter().take(shown).map(|s| row(s, lang, None)).collect();
        let more = all.len() > shown;
        let members: u32 = all.iter().map(|s| s.member_count).sum();
        let pending = all.iter().filter(|s| s.pending_sync).count();
        let to_verify = all
            .iter()
            .filter(|s| s.lifecycle == Lifecycle::ToVerify)
            .count();
        let mut header = vec![
            format!("{} {}", all.len(), tr(lang, "hộ", "households")),
            format!("{members} {}", tr(lang, "người", "people")),
            format!(
                "{} {}",
                due.len(),
                tr(lang, "hộ cần quay lại", "follow-ups due")
            ),
            format!(
                "{pending} {}",
                tr(lang, "hộ chưa đồng bộ", "households not synced")
            ),
        ];
        if to_verify > 0 {
            header.push(format!(
                "{to_verify} {}",
                tr(
                    lang,
                    "hộ cần xác minh tại nhà",
                    "households to verify at the door"
                )
            ));
        }
        let search_results = if self.query.trim().is_empty() {
            Vec::new()
        } else {
            let hits = reg.search(&self.query, SEARCH_LIMIT).unwrap_or_default();
            if hits.is_empty() {
                notices.push(notice(
                    "no_match",
                    NoticeLevel::Info,
                    lang,
                    "Không tìm thấy.",
                    "Nothing found.",
                ));
            }
            hits.iter().map(|h| match_row(reg, h, lang)).collect()
        };
        let candidates: Vec<MatchRow> = self
            .candidates
            .iter()
            .map(|h| match_row(reg, h, lang))
            .collect();
        if !candidates.is_empty() && !self.create_next {
            notices.push(notice(
                "is_it_one_of_these",
                NoticeLevel::Warning,
                lang,
                "Có thể hộ này đã được đăng ký. Có phải một trong các hộ sau?",
                "This household may already be registered. Is it one of these?",
            ));
        }
        AreaView {
            title: tr(lang, "Địa bàn của tôi", "My area"),
            hamlet_options: hamlets
                .iter()
                .map(|h| option(&h.id, &h.name, h.id == hamlet))
                .collect(),
            header,
            follow_ups_title: (!due.is_empty())
                .then(|| tr(lang, "Hộ cần quay lại", "Follow-ups due")),
            follow_ups_due: due,
            households,
            search_results,
            candidates,
            create_next: self.create_next,
            actions: vec![
                action("more", lang, "Xem thêm", "Show more", more),
                action(
                    "none_of_these",
                    lang,
                    "Không phải, tạo hộ mới",
                    "None of these, create a new household",
                    self.checked && !self.candidates.is_empty() && !self.create_next,
                ),
            ],
            notices,
        }
    }
}

/// The follow-up date due for a household on `today`, if any: the latest visit's follow-up,
/// when it is today or past. A visit after the one that set it settles it.
pub fn follow_up_due(h: &Household, today: NaiveDate) -> Option<NaiveDate> {
    h.pending_follow_up().filter(|d| is_due(*d, today))
}

/// Whether a pending follow-up date is due on `today`: today or past.
pub fn is_due(follow_up_on: NaiveDate, today: NaiveDate) -> bool {
    follow_up_on <= today
}

/// Whether a list row's follow-up date (`YYYY-MM-DD`, the pending one the list index keeps) is
/// due on `today`; a date that does not read is not due.
pub fn listed_follow_up_due(follow_up_on: &str, today: NaiveDate) -> bool {
    NaiveDate::parse_from_str(follow_up_on, "%Y-%m-%d").is_ok_and(|d| is_due(d, today))
}

fn scan_hamlet(
    reg: &Register,
    commune: &str,
    hamlet: &str,
) -> crate::Result<Vec<HouseholdSummary>> {
    let mut all = Vec::new();
    loop {
        let page = reg.list_hamlet(commune, hamlet, SCAN_PAGE, all.len() as u32)?;
        let last = (page.len() as u32) < SCAN_PAGE;
        all.extend(page);
        if last {
            return Ok(all);
        }
    }
}

/// People matching any of the typed name, phone and ID number, each person once.
fn matches_before_create(reg: &Register, typed: &[&str]) -> Vec<SearchHit> {
    let mut out: Vec<SearchHit> = Vec::new();
    for q in typed.iter().filter(|q| !q.trim().is_empty()) {
        for hit in reg.search(q, SEARCH_LIMIT).unwrap_or_default() {
            if !out
                .iter()
                .any(|h| h.member == hit.member && h.household == hit.household)
            {
                out.push(hit);
            }
        }
    }
    out
}

fn row(s: &HouseholdSummary, lang: Lang, due: Option<NaiveDate>) -> HouseholdRow {
    let mut badges = Vec::new();
    if let Some(d) = due {
        badges.push(format!(
            "{} {}",
            tr(lang, "Cần quay lại", "Follow-up due"),
            d.format("%d/%m/%Y")
        ));
    }
    if s.lifecycle == Lifecycle::ToVerify {
        badges.push(tr(
            lang,
            "Từ danh sách của xã: cần xác minh tại nhà",
            "From the commune's list: to verify at the door",
        ));
    }
    if s.pending_sync {
        badges.push(tr(lang, "Chưa đồng bộ", "Not synced"));
    }
    if s.conflict_count > 0 {
        badges.push(tr(lang, "Có xung đột", "Has conflicts"));
    }
    HouseholdRow {
        id: s.id.clone(),
        members_line: format!("{} {}", s.member_count, tr(lang, "người", "people")),
        badge_line: one_line(&badges),
        head: s
            .head_name
            .clone()
            .unwrap_or_else(|| tr(lang, "(chưa có chủ hộ)", "(no head yet)")),
        address: s.address.clone(),
        members: s.member_count,
        badges,
    }
}

fn match_row(reg: &Register, hit: &SearchHit, lang: Lang) -> MatchRow {
    let household = reg.household(&hit.household).ok();
    let member = household.as_ref().and_then(|h| h.members.get(&hit.member));
    let address = reg
        .summary(&hit.household)
        .map(|s| s.address)
        .unwrap_or_default();
    let mut row = MatchRow {
        household: hit.household.clone(),
        member: hit.member.clone(),
        name: hit.full_name.clone(),
        address,
        id_number_masked: member
            .and_then(|m| m.id_number.as_deref())
            .map(mask_id_number)
            .unwrap_or_default(),
        phone_masked: member
            .and_then(|m| m.phone.as_deref())
            .map(mask_phone)
            .unwrap_or_default(),
        matched: match hit.matched {
            crate::SearchMatch::Name => tr(lang, "tên", "name"),
            crate::SearchMatch::Phone => tr(lang, "số điện thoại", "phone"),
            crate::SearchMatch::IdNumber => tr(lang, "số định danh", "ID number"),
        },
        details: Vec::new(),
    };
    row.details = shown_lines(&[
        &row.address,
        &row.id_number_masked,
        &row.phone_masked,
        &row.matched,
    ]);
    row
}
