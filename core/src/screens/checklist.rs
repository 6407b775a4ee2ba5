//! The checklist screen of one member: every item with its status, the progress line, the five
//! basic digital skills, next steps held back by their prerequisites, and the guide of the item
//! being set. "Failed" needs a reason, answered with a field message before the register is asked.
//! Progress never regresses: the register merges concurrent statuses by rank (a later `done` wins).

use serde::Serialize;

use super::common::Field;
use super::view::{ActionView, FieldView, Lang, Notice, NoticeLevel, OptionView, tr};
use crate::catalog::onboarding;
use crate::error::{Error, Result};
use crate::model::{ChecklistItem, ChecklistStatus, HouseholdId, Member, MemberId};
use crate::register::Register;

pub fn item_label(item: ChecklistItem, lang: Lang) -> String {
    tr(lang, item.label_vi(), item.label_en())
}

pub fn status_label(status: ChecklistStatus, lang: Lang) -> String {
    tr(lang, status.label_vi(), status.label_en())
}

fn status_of(member: &Member, item: ChecklistItem) -> ChecklistStatus {
    member
        .checklist
        .get(&item)
        .map_or(ChecklistStatus::NotAsked, |e| e.status)
}

fn achieved(member: &Member, item: ChecklistItem) -> bool {
    status_of(member, item).is_achieved()
}

/// One checklist row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemView {
    pub code: String,
    pub label: String,
    pub status: String,
    pub status_label: String,
    pub achieved: bool,
    /// The reason a failed item was recorded with.
    pub reason: Option<String>,
}

/// A suggestion of what to help with next; `ready` is false while a prerequisite is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextStepView {
    pub code: String,
    pub label: String,
    pub ready: bool,
    /// Labels of the missing prerequisites.
    pub waiting_for: Vec<String>,
    /// `Cài VNeID` or `Chờ: Định danh điện tử mức 2`.
    pub text: String,
    /// The guide's anti-scam cautions, to tell the person and print on the card.
    pub cautions: Vec<String>,
}

/// How far a member is: achieved items out of the applicable ones, and the five skills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressView {
    pub achieved: u32,
    pub applicable: u32,
    pub skills_achieved: u32,
    pub has_five_skills: bool,
    pub line: String,
}

pub fn progress(member: &Member, lang: Lang) -> ProgressView {
    let applicable = ChecklistItem::ALL
        .iter()
        .filter(|&&i| status_of(member, i) != ChecklistStatus::NotApplicable)
        .count() as u32;
    let done = ChecklistItem::ALL
        .iter()
        .filter(|&&i| achieved(member, i))
        .count() as u32;
    let skills = ChecklistItem::FIVE_SKILLS
        .iter()
        .filter(|&&i| achieved(member, i))
        .count() as u32;
    let line = match lang {
        Lang::Vi => format!("Đã xong {done}/{applicable} mục · {skills}/5 kỹ năng số cơ bản"),
        Lang::En => format!("{done}/{applicable} items done · {skills}/5 basic digital skills"),
    };
    ProgressView {
        achieved: done,
        applicable,
        skills_achieved: skills,
        has_five_skills: skills == 5,
        line,
    }
}

/// Items still open (not achieved, not declined, not applicable), in checklist order, each
/// ready or waiting for its prerequisites.
pub fn next_steps(member: &Member, lang: Lang) -> Vec<NextStepView> {
    ChecklistItem::ALL
        .iter()
        .copied()
        .filter(|&i| {
            !matches!(
                status_of(member, i),
                ChecklistStatus::Done
                    | ChecklistStatus::AlreadyHad
                    | ChecklistStatus::NotApplicable
                    | ChecklistStatus::Declined
            )
        })
        .map(|item| {
            let waiting_for: Vec<String> = item
                .prerequisites()
                .iter()
                .filter(|&&p| !achieved(member, p))
                .map(|&p| item_label(p, lang))
                .collect();
            let label = item_label(item, lang);
            let text = if waiting_for.is_empty() {
                label.clone()
            } else {
                format!(
                    "{label} — {} {}",
                    tr(lang, "chờ:", "waiting for:"),
                    waiting_for.join(", ")
                )
            };
            NextStepView {
                code: item.code().to_owned(),
                ready: waiting_for.is_empty(),
                label,
                waiting_for,
                text,
                cautions: cautions(item, lang),
            }
        })
        .collect()
}

fn cautions(item: ChecklistItem, lang: Lang) -> Vec<String> {
    onboarding::guide(item)
        .cautions
        .iter()
        .map(|s| tr(lang, &s.vi, &s.en))
        .collect()
}

/// The guide of one item: what to do, in order, and what never to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuideView {
    pub title: String,
    pub steps: Vec<String>,
    pub cautions: Vec<String>,
}

pub fn guide(item: ChecklistItem, lang: Lang) -> GuideView {
    let g = onboarding::guide(item);
    GuideView {
        title: tr(lang, &g.title_vi, &g.title_en),
        steps: g.steps.iter().map(|s| tr(lang, &s.vi, &s.en)).collect(),
        cautions: cautions(item, lang),
    }
}

/// The item being set: its status options, the reason field, the guide and the save button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditorView {
    pub item: String,
    pub title: String,
    pub statuses: Vec<OptionView>,
    pub reason: FieldView,
    pub guide: GuideView,
    /// Prerequisites still missing, as a warning (the volunteer may still record what happened).
    pub notices: Vec<Notice>,
    pub save: ActionView,
    pub close: ActionView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistView {
    pub member_name: String,
    pub progress: ProgressView,
    pub items: Vec<ItemView>,
    /// The five basic digital skills, in the campaign's order.
    pub skills: Vec<ItemView>,
    pub next_steps: Vec<NextStepView>,
    pub editor: Option<EditorView>,
    /// What happened after the last event (saved).
    pub notices: Vec<Notice>,
}

/// What the shell sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChecklistEvent {
    /// A row tapped: open its editor with its current status.
    Open(ChecklistItem),
    ChooseStatus(ChecklistStatus),
    ReasonTyped(String),
    Save,
    Close,
}

struct Editing {
    item: ChecklistItem,
    status: ChecklistStatus,
    reason: String,
    reason_messages: Vec<Notice>,
}

pub struct ChecklistModel {
    household: HouseholdId,
    member: MemberId,
    lang: Lang,
    editing: Option<Editing>,
    notices: Vec<Notice>,
}

impl ChecklistModel {
    pub fn new(household: HouseholdId, member: MemberId, lang: Lang) -> Self {
        Self {
            household,
            member,
            lang,
            editing: None,
            notices: Vec::new(),
        }
    }

    fn read_member(&self, reg: &Register) -> Result<Member> {
        reg.household(&self.household)?
            .members
            .get(&self.member)
            .cloned()
            .ok_or_else(|| Error::NotFound {
                what: "member",
                id: self.member.0.clone(),
            })
    }

    /// Applies an event; only `Save` writes, through [`Register::set_checklist`].
    pub fn handle(&mut self, reg: &mut Register, event: ChecklistEvent) -> Result<ChecklistView> {
        self.notices.clear();
        match event {
            ChecklistEvent::Open(item) => {
                let member = self.read_member(reg)?;
                let entry = member.checklist.get(&item);
                self.editing = Some(Editing {
                    item,
                    status: entry.map_or(ChecklistStatus::NotAsked, |e| e.status),
                    reason: entry.and_then(|e| e.reason.clone()).unwrap_or_default(),
                    reason_messages: Vec::new(),
                });
            }
            ChecklistEvent::ChooseStatus(status) => {
                if let Some(e) = &mut self.editing {
                    e.status = status;
                    e.reason_messages.clear();
                }
            }
            ChecklistEvent::ReasonTyped(text) => {
                if let Some(e) = &mut self.editing {
                    e.reason = text;
                    e.reason_messages.clear();
                }
            }
            ChecklistEvent::Close => self.editing = None,
            ChecklistEvent::Save => self.save(reg)?,
        }
        self.view(reg)
    }

    fn save(&mut self, reg: &mut Register) -> Result<()> {
        let Some(e) = &mut self.editing else {
            return Ok(());
        };
        let reason = e.reason.trim();
        if e.status == ChecklistStatus::Failed && reason.is_empty() {
            e.reason_messages = vec![Notice {
                code: "reason_required".into(),
                severity: NoticeLevel::Error,
                text: tr(
                    self.lang,
                    "Cần ghi lý do khi mục không thành công.",
                    "A failed item needs a reason.",
                ),
            }];
            return Ok(());
        }
        let reason = (e.status == ChecklistStatus::Failed).then(|| reason.to_owned());
        match reg.set_checklist(
            &self.household,
            &self.member,
            e.item,
            e.status,
            reason,
            None,
        ) {
            Ok(()) => {
                self.notices.push(Notice {
                    code: "saved".into(),
                    severity: NoticeLevel::Info,
                    text: tr(self.lang, "Đã lưu.", "Saved."),
                });
                self.editing = None;
                Ok(())
            }
            Err(Error::Validation(report)) => {
                e.reason_messages = report
                    .issues
                    .iter()
                    .map(|i| Notice {
                        code: i.field.clone(),
                        severity: NoticeLevel::Error,
                        text: tr(self.lang, &i.message_vi, &i.message_en),
                    })
                    .collect();
                Ok(())
            }
            Err(other) => Err(other),
        }
    }

    pub fn view(&self, reg: &Register) -> Result<ChecklistView> {
        let member = self.read_member(reg)?;
        let lang = self.lang;
        let row = |item: ChecklistItem| {
            let entry = member.checklist.get(&item);
            let status = entry.map_or(ChecklistStatus::NotAsked, |e| e.status);
            ItemView {
                code: item.code().to_owned(),
                label: item_label(item, lang),
                status: status.code().to_owned(),
                status_label: status_label(status, lang),
                achieved: status.is_achieved(),
                reason: entry.and_then(|e| e.reason.clone()),
            }
        };
        let editor = self.editing.as_ref().map(|e| {
            let missing: Vec<String> = e
                .item
                .prerequisites()
                .iter()
                .filter(|&&p| !achieved(&member, p))
                .map(|&p| item_label(p, lang))
                .collect();
            let notices = if missing.is_empty() {
                Vec::new()
            } else {
                vec![Notice {
                    code: "prerequisite_missing".into(),
                    severity: NoticeLevel::Warning,
                    text: format!(
                        "{} {}",
                        tr(lang, "Nên làm trước:", "Best done first:"),
                        missing.join(", ")
                    ),
                }]
            };
            EditorView {
                item: e.item.code().to_owned(),
                title: item_label(e.item, lang),
                statuses: ChecklistStatus::ALL
                    .iter()
                    .map(|&s| OptionView {
                        code: s.code().to_owned(),
                        label: status_label(s, lang),
                        selected: s == e.status,
                    })
                    .collect(),
                reason: FieldView {
                    enabled: e.status == ChecklistStatus::Failed,
                    ..Field {
                        key: "reason",
                        label: tr(lang, "Lý do", "Reason"),
                        value: e.reason.clone(),
                        hint: tr(
                            lang,
                            "Ví dụ: chưa có SIM chính chủ",
                            "e.g. no SIM in own name",
                        ),
                        required: e.status == ChecklistStatus::Failed,
                    }
                    .view(e.reason_messages.clone())
                },
                guide: guide(e.item, lang),
                notices,
                save: ActionView {
                    id: "save".into(),
                    label: tr(lang, "Lưu", "Save"),
                    enabled: true,
                },
                close: ActionView {
                    id: "close".into(),
                    label: tr(lang, "Đóng", "Close"),
                    enabled: true,
                },
            }
        });
        Ok(ChecklistView {
            member_name: member.full_name.clone(),
            progress: progress(&member, lang),
            items: ChecklistItem::ALL.iter().map(|&i| row(i)).collect(),
            skills: ChecklistItem::FIVE_SKILLS.iter().map(|&i| row(i)).collect(),
            next_steps: next_steps(&member, lang),
            editor,
            notices: self.notices.clone(),
        })
    }
}
