//! Recording a visit at the door after the registration: its outcome, when to come back, a note,
//! and the household's earlier visits. The day is Vietnam's (`vietnam_time`), the follow-up date
//! is typed as people write it (`dates::parse_date`) and must not be in the past: a follow-up
//! that is already due the moment it is written would never be a reminder.

use chrono::NaiveDate;

use super::common::{Field, action, notice, notice_of, option};
use super::dates::{parse_date, show_date};
use super::household_form::ACCEPTED_NOTE_PREFIX;
use super::view::{ActionView, FieldView, Lang, Notice, NoticeLevel, OptionView, tr};
use crate::error::{Error, Result};
use crate::model::{Household, HouseholdId, Visit, VisitOutcome};
use crate::register::Register;
use crate::vietnam_time::local_date;

/// Earlier visits listed, newest first.
const HISTORY_SHOWN: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VisitEvent {
    /// An outcome's code (`not_home`, `follow_up_needed`, `refused`, `registered`).
    ChooseOutcome(String),
    /// The follow-up date as typed.
    FollowUpTyped(String),
    NoteTyped(String),
    Save,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitView {
    pub title: String,
    /// Earlier visits as sentences, newest first.
    pub history: Vec<String>,
    pub outcomes: Vec<OptionView>,
    /// Enabled and required only for "follow-up needed".
    pub follow_up: FieldView,
    pub note: FieldView,
    pub save: ActionView,
    pub notices: Vec<Notice>,
    /// True after a visit was stored by the last event (the form is cleared for the next one).
    pub saved: bool,
}

pub struct VisitModel {
    household: HouseholdId,
    lang: Lang,
    outcome: Option<VisitOutcome>,
    follow_up: String,
    note: String,
    follow_up_messages: Vec<Notice>,
    note_messages: Vec<Notice>,
    notices: Vec<Notice>,
    saved: bool,
}

impl VisitModel {
    pub fn new(household: HouseholdId, lang: Lang) -> Self {
        Self {
            household,
            lang,
            outcome: None,
            follow_up: String::new(),
            note: String::new(),
            follow_up_messages: Vec::new(),
            note_messages: Vec::new(),
            notices: Vec::new(),
            saved: false,
        }
    }

    pub fn handle(&mut self, reg: &mut Register, event: VisitEvent) -> Result<VisitView> {
        self.notices.clear();
        self.saved = false;
        match event {
            VisitEvent::ChooseOutcome(code) => {
                if let Some(o) = VisitOutcome::from_code(&code) {
                    self.outcome = Some(o);
                    self.follow_up_messages.clear();
                }
            }
            VisitEvent::FollowUpTyped(text) => {
                self.follow_up = text;
                self.follow_up_messages.clear();
            }
            VisitEvent::NoteTyped(text) => {
                self.note = text;
                self.note_messages.clear();
            }
            VisitEvent::Save => self.save(reg)?,
        }
        self.view(reg)
    }

    fn save(&mut self, reg: &mut Register) -> Result<()> {
        let Some(outcome) = self.outcome else {
            return Ok(());
        };
        let lang = self.lang;
        let today = local_date(reg.sync_now());
        let follow_up = if outcome == VisitOutcome::FollowUpNeeded {
            match follow_up_date(&self.follow_up, today, lang) {
                Ok(d) => Some(d),
                Err(message) => {
                    self.follow_up_messages = vec![message];
                    return Ok(());
                }
            }
        } else {
            None
        };
        let note = Some(self.note.trim().to_owned()).filter(|n| !n.is_empty());
        match reg.record_visit(&self.household, today, outcome, note, follow_up) {
            Ok(_) => {
                self.outcome = None;
                self.follow_up.clear();
                self.note.clear();
                self.saved = true;
                self.notices.push(notice(
                    "saved",
                    NoticeLevel::Info,
                    lang,
                    "Đã ghi lần thăm.",
                    "Visit recorded.",
                ));
                Ok(())
            }
            Err(Error::Validation(report)) => {
                for issue in &report.issues {
                    let shown = notice_of(issue, lang);
                    match issue.field.as_str() {
                        "visit.follow_up_on" => self.follow_up_messages.push(shown),
                        "visit.note" => self.note_messages.push(shown),
                        _ => self.notices.push(shown),
                    }
                }
                Ok(())
            }
            Err(other) => Err(other),
        }
    }

    pub fn view(&self, reg: &Register) -> Result<VisitView> {
        let h = reg.household(&self.household)?;
        let lang = self.lang;
        let needs_date = self.outcome == Some(VisitOutcome::FollowUpNeeded);
        let outcomes = VisitOutcome::ALL
            .iter()
            .map(|o| option(o.code(), &outcome_label(*o, lang), self.outcome == Some(*o)))
            .collect();
        let mut follow_up = Field {
            key: "follow_up_on",
            label: tr(lang, "Hẹn quay lại ngày", "Come back on"),
            value: if needs_date {
                self.follow_up.clone()
            } else {
                String::new()
            },
            hint: tr(
                lang,
                "ngày/tháng/năm, ví dụ 12/1/2027",
                "day/month/year, e.g. 12/1/2027",
            ),
            required: needs_date,
        }
        .view(self.follow_up_messages.clone());
        follow_up.enabled = needs_date;
        let note = Field {
            key: "note",
            label: tr(lang, "Ghi chú", "Note"),
            value: self.note.clone(),
            hint: tr(
                lang,
                "không ghi số CCCD hay số điện thoại",
                "no ID numbers or phone numbers",
            ),
            required: false,
        }
        .view(self.note_messages.clone());
        let ready = self.outcome.is_some() && (!needs_date || !self.follow_up.trim().is_empty());
        Ok(VisitView {
            title: tr(lang, "Ghi lần thăm hôm nay", "Record today's visit"),
            history: history(&h, lang),
            outcomes,
            follow_up,
            note,
            save: action("save", lang, "Ghi lần thăm", "Record the visit", ready),
            notices: self.notices.clone(),
            saved: self.saved,
        })
    }
}

/// The follow-up date typed, or the message to show beside it.
fn follow_up_date(
    text: &str,
    today: NaiveDate,
    lang: Lang,
) -> std::result::Result<NaiveDate, Notice> {
    let invalid = |vi: &str, en: &str| notice("invalid_value", NoticeLevel::Error, lang, vi, en);
    match parse_date(text, lang) {
        Ok(Some(d)) if d < today => Err(invalid(
            "Ngày hẹn đã qua: chọn hôm nay hoặc một ngày sau.",
            "That date has passed: choose today or a later day.",
        )),
        Ok(Some(d)) => Ok(d),
        Ok(None) => Err(notice(
            "required",
            NoticeLevel::Error,
            lang,
            "Cần ngày hẹn quay lại.",
            "A follow-up date is needed.",
        )),
        Err(message) => Err(Notice {
            code: "invalid_value".into(),
            severity: NoticeLevel::Error,
            text: message,
        }),
    }
}

fn outcome_label(o: VisitOutcome, lang: Lang) -> String {
    tr(lang, o.label_vi(), o.label_en())
}

/// "05/12/2026 · Cần quay lại · hẹn 12/12/2026 · vol-07 · Ghi chú" for each earlier visit, newest
/// first. The note the registration keeps for accepted warnings is the form's, not the
/// volunteer's, and is not shown.
fn history(h: &Household, lang: Lang) -> Vec<String> {
    let mut visits: Vec<&Visit> = h.visits.iter().collect();
    visits.sort_by_key(|v| std::cmp::Reverse((v.date, v.recorded_at)));
    visits
        .into_iter()
        .take(HISTORY_SHOWN)
        .map(|v| {
            let mut parts = vec![show_date(v.date), outcome_label(v.outcome, lang)];
            if let Some(f) = v.follow_up_on {
                parts.push(format!("{} {}", tr(lang, "hẹn", "back on"), show_date(f)));
            }
            parts.push(v.volunteer.0.clone());
            if let Some(note) = v
                .note
                .as_deref()
                .filter(|n| !n.starts_with(ACCEPTED_NOTE_PREFIX))
            {
                parts.push(note.to_owned());
            }
            parts.join(" · ")
        })
        .collect()
}
