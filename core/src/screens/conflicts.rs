//! The conflict review screen: each field of a household two phones wrote differently while
//! apart, its label, the competing values masked by the one rule, who set each and when, and the
//! action that keeps one of them (through [`Register::resolve_conflict`]).

use serde::Serialize;

use super::labels::{field_label, field_value_text};
use super::view::{ActionView, Lang, Notice, NoticeLevel, one_line, tr};
use crate::doc::{Conflict, FieldPath};
use crate::error::Result;
use crate::model::{Household, HouseholdId};
use crate::register::Register;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueView {
    /// The value as read, masked by its field's kind (never a whole ID number or phone).
    pub text: String,
    /// `vol-7 · 2025-06-01 09:30 UTC`.
    pub who: String,
    /// Keeps this value; its id is `keep:<conflict index>:<value index>`.
    pub keep: ActionView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConflictView {
    /// `household.street` or `member.<id>.phone`, stable across devices.
    pub field: String,
    pub label: String,
    /// The member's name for a member field, so two members' conflicts are told apart.
    pub member_name: Option<String>,
    /// The label and the member's name as the one line over the values.
    pub heading: String,
    pub values: Vec<ValueView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConflictsView {
    pub title: String,
    pub conflicts: Vec<ConflictView>,
    pub notices: Vec<Notice>,
}

pub enum ConflictsEvent {
    /// Keep value `value` (0-based) of conflict `conflict` (0-based, as listed).
    Keep { conflict: usize, value: usize },
}

pub struct ConflictsModel {
    household: HouseholdId,
    lang: Lang,
    notices: Vec<Notice>,
}

impl ConflictsModel {
    pub fn new(household: HouseholdId, lang: Lang) -> Self {
        Self {
            household,
            lang,
            notices: Vec::new(),
        }
    }

    /// Resolves with a value the register itself listed, so nothing typed is ever written; a
    /// stale index (another phone resolved it meanwhile) is answered with a notice.
    pub fn handle(&mut self, reg: &mut Register, event: ConflictsEvent) -> Result<ConflictsView> {
        self.notices.clear();
        let ConflictsEvent::Keep { conflict, value } = event;
        let conflicts = reg.conflicts(&self.household)?;
        let chosen = conflicts.get(conflict).and_then(|c| {
            c.values
                .get(value)
                .map(|v| (c.field.clone(), v.value.clone()))
        });
        match chosen {
            Some((field, value)) => {
                reg.resolve_conflict(&self.household, &field, Some(value))?;
                self.notices.push(notice(
                    "resolved",
                    NoticeLevel::Info,
                    tr(
                        self.lang,
                        "Đã giữ giá trị đã chọn.",
                        "The chosen value was kept.",
                    ),
                ));
            }
            None => self.notices.push(notice(
                "stale",
                NoticeLevel::Warning,
                tr(
                    self.lang,
                    "Xung đột này đã thay đổi; xem lại danh sách.",
                    "This conflict has changed; review the list again.",
                ),
            )),
        }
        self.view(reg)
    }

    pub fn view(&self, reg: &Register) -> Result<ConflictsView> {
        let household = reg.household(&self.household)?;
        let conflicts = reg.conflicts(&self.household)?;
        let lang = self.lang;
        let title = match (conflicts.len(), lang) {
            (0, _) => tr(lang, "Không có xung đột.", "No conflicts."),
            (n, Lang::Vi) => format!("{n} trường được sửa khác nhau trên hai máy"),
            (1, Lang::En) => "1 field was edited differently on two phones".into(),
            (n, Lang::En) => format!("{n} fields were edited differently on two phones"),
        };
        Ok(ConflictsView {
            title,
            conflicts: conflicts
                .iter()
                .enumerate()
                .map(|(i, c)| conflict_view(i, c, &household, lang))
                .collect(),
            notices: self.notices.clone(),
        })
    }
}

fn notice(code: &str, severity: NoticeLevel, text: String) -> Notice {
    Notice {
        code: code.into(),
        severity,
        text,
    }
}

fn conflict_view(index: usize, c: &Conflict, household: &Household, lang: Lang) -> ConflictView {
    let member_name = member_name(&c.field, household);
    let label = field_label(&c.field, lang);
    ConflictView {
        field: c.field.to_string(),
        heading: one_line(&[label.as_str(), member_name.as_deref().unwrap_or_default()]),
        label,
        member_name,
        values: c
            .values
            .iter()
            .enumerate()
            .map(|(j, v)| {
                let who = v
                    .volunteer
                    .as_ref()
                    .map_or_else(|| tr(lang, "không rõ", "unknown"), |v| v.to_string());
                let when =
                    v.at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                        .unwrap_or_default();
                ValueView {
                    text: field_value_text(&c.field, &v.value, lang),
                    who: if when.is_empty() {
                        who
                    } else {
                        format!("{who} · {when}")
                    },
                    keep: ActionView {
                        id: format!("keep:{index}:{j}"),
                        label: tr(lang, "Giữ giá trị này", "Keep this value"),
                        enabled: true,
                    },
                }
            })
            .collect(),
    }
}

fn member_name(field: &FieldPath, household: &Household) -> Option<String> {
    let m = household.members.get(field.member.as_ref()?)?;
    Some(m.full_name.clone())
}
