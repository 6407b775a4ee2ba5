//! Recording a visit: outcome, follow-up date as typed, note, and the household's earlier visits.

use std::sync::{Arc, Mutex};

use gocua_core::model::HouseholdId;
use gocua_core::screens::visit::{VisitEvent, VisitModel, VisitView};
use gocua_core::screens::{ActionView, FieldView, Notice, OptionView};

use super::lock;
use super::view::lang_of;
use crate::error::GocuaError;
use crate::register::GocuaRegister;

#[uniffi::remote(Enum)]
pub enum VisitEvent {
    ChooseOutcome(String),
    FollowUpTyped(String),
    NoteTyped(String),
    Save,
}

#[uniffi::remote(Record)]
pub struct VisitView {
    pub title: String,
    pub history: Vec<String>,
    pub outcomes: Vec<OptionView>,
    pub follow_up: FieldView,
    pub note: FieldView,
    pub save: ActionView,
    pub notices: Vec<Notice>,
    pub saved: bool,
}

#[derive(uniffi::Object)]
pub struct VisitScreen {
    register: Arc<GocuaRegister>,
    model: Mutex<VisitModel>,
}

#[uniffi::export]
impl VisitScreen {
    #[uniffi::constructor]
    pub fn new(register: Arc<GocuaRegister>, household: HouseholdId) -> Arc<Self> {
        let model = VisitModel::new(household, lang_of(register.lang()));
        Arc::new(Self {
            register,
            model: Mutex::new(model),
        })
    }

    /// Fails only when the household cannot be read (gone from this phone).
    pub fn view(&self) -> Result<VisitView, GocuaError> {
        let model = lock(&self.model);
        let view = model.view(&self.register.register());
        view.map_err(|e| GocuaError::from_core(e, self.register.lang()))
    }

    pub fn send(&self, event: VisitEvent) -> Result<VisitView, GocuaError> {
        let mut model = lock(&self.model);
        let view = model.handle(&mut self.register.register(), event);
        view.map_err(|e| GocuaError::from_core(e, self.register.lang()))
    }
}
