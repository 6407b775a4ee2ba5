//! A member's account-setup checklist: statuses, progress, next steps with prerequisites, the
//! guide with its cautions; "failed" needs a reason.

use std::sync::{Arc, Mutex};

use gocua_core::model::{ChecklistItem, ChecklistStatus, HouseholdId, MemberId};
use gocua_core::screens::checklist::{
    ChecklistEvent, ChecklistModel, ChecklistView, EditorView, GuideView, ItemView, NextStepView,
    ProgressView,
};
use gocua_core::screens::{ActionView, FieldView, Notice, OptionView};

use super::lock;
use super::view::lang_of;
use crate::error::GocuaError;
use crate::register::GocuaRegister;

#[uniffi::remote(Enum)]
pub enum ChecklistEvent {
    Open(ChecklistItem),
    ChooseStatus(ChecklistStatus),
    ReasonTyped(String),
    Save,
    Close,
}

#[uniffi::remote(Record)]
pub struct ItemView {
    pub code: String,
    pub label: String,
    pub status: String,
    pub status_label: String,
    pub achieved: bool,
    pub reason: Option<String>,
}

#[uniffi::remote(Record)]
pub struct NextStepView {
    pub code: String,
    pub label: String,
    pub ready: bool,
    pub waiting_for: Vec<String>,
    pub text: String,
    pub cautions: Vec<String>,
}

#[uniffi::remote(Record)]
pub struct ProgressView {
    pub achieved: u32,
    pub applicable: u32,
    pub skills_achieved: u32,
    pub has_five_skills: bool,
    pub line: String,
}

#[uniffi::remote(Record)]
pub struct GuideView {
    pub title: String,
    pub steps: Vec<String>,
    pub cautions: Vec<String>,
}

#[uniffi::remote(Record)]
pub struct EditorView {
    pub item: String,
    pub title: String,
    pub statuses: Vec<OptionView>,
    pub reason: FieldView,
    pub guide: GuideView,
    pub notices: Vec<Notice>,
    pub save: ActionView,
    pub close: ActionView,
}

#[uniffi::remote(Record)]
pub struct ChecklistView {
    pub member_name: String,
    pub progress: ProgressView,
    pub items: Vec<ItemView>,
    pub skills: Vec<ItemView>,
    pub next_steps: Vec<NextStepView>,
    pub editor: Option<EditorView>,
    pub notices: Vec<Notice>,
}

#[derive(uniffi::Object)]
pub struct ChecklistScreen {
    register: Arc<GocuaRegister>,
    model: Mutex<ChecklistModel>,
}

#[uniffi::export]
impl ChecklistScreen {
    #[uniffi::constructor]
    pub fn new(
        register: Arc<GocuaRegister>,
        household: HouseholdId,
        member: MemberId,
    ) -> Arc<Self> {
        let model = ChecklistModel::new(household, member, lang_of(register.lang()));
        Arc::new(Self {
            register,
            model: Mutex::new(model),
        })
    }

    /// Fails only when the member cannot be read (gone from this phone).
    pub fn view(&self) -> Result<ChecklistView, GocuaError> {
        let model = lock(&self.model);
        let view = model.view(&self.register.register());
        view.map_err(|e| GocuaError::from_core(e, self.register.lang()))
    }

    pub fn send(&self, event: ChecklistEvent) -> Result<ChecklistView, GocuaError> {
        let mut model = lock(&self.model);
        let view = model.handle(&mut self.register.register(), event);
        view.map_err(|e| GocuaError::from_core(e, self.register.lang()))
    }
}
