//! Reviewing a household's conflicts: each field with its competing values, labelled and masked
//! as everywhere else, and one "keep" action per value.

use std::sync::{Arc, Mutex};

use gocua_core::model::HouseholdId;
use gocua_core::screens::conflicts::{
    ConflictView, ConflictsEvent, ConflictsModel, ConflictsView, ValueView,
};
use gocua_core::screens::{ActionView, Notice};

use super::lock;
use super::view::lang_of;
use crate::error::GocuaError;
use crate::register::GocuaRegister;

#[uniffi::remote(Record)]
pub struct ValueView {
    pub text: String,
    pub who: String,
    pub keep: ActionView,
}

#[uniffi::remote(Record)]
pub struct ConflictView {
    pub field: String,
    pub label: String,
    pub member_name: Option<String>,
    pub heading: String,
    pub values: Vec<ValueView>,
}

#[uniffi::remote(Record)]
pub struct ConflictsView {
    pub title: String,
    pub conflicts: Vec<ConflictView>,
    pub notices: Vec<Notice>,
}

#[derive(uniffi::Object)]
pub struct ConflictsScreen {
    register: Arc<GocuaRegister>,
    model: Mutex<ConflictsModel>,
}

#[uniffi::export]
impl ConflictsScreen {
    #[uniffi::constructor]
    pub fn new(register: Arc<GocuaRegister>, household: HouseholdId) -> Arc<Self> {
        let model = ConflictsModel::new(household, lang_of(register.lang()));
        Arc::new(Self {
            register,
            model: Mutex::new(model),
        })
    }

    pub fn view(&self) -> Result<ConflictsView, GocuaError> {
        let model = lock(&self.model);
        let view = model.view(&self.register.register());
        view.map_err(|e| GocuaError::from_core(e, self.register.lang()))
    }

    /// Keeps value `value` of conflict `conflict` (both counted from 0, as the view lists them).
    pub fn keep(&self, conflict: u32, value: u32) -> Result<ConflictsView, GocuaError> {
        let event = ConflictsEvent::Keep {
            conflict: conflict as usize,
            value: value as usize,
        };
        let mut model = lock(&self.model);
        let view = model.handle(&mut self.register.register(), event);
        view.map_err(|e| GocuaError::from_core(e, self.register.lang()))
    }
}
