//! Corrections after the visit: edit the household's fields, remove a member, withdraw consent,
//! request erasure, each destructive action confirmed first.

use std::sync::{Arc, Mutex};

use gocua_core::model::{HouseholdId, MemberId};
use gocua_core::screens::corrections::{
    CorrectionMemberView, CorrectionsEvent, CorrectionsModel, CorrectionsView,
};
use gocua_core::screens::{ActionView, FieldView, Notice};

use super::lock;
use super::view::lang_of;
use crate::register::GocuaRegister;

#[uniffi::remote(Enum)]
pub enum CorrectionsEvent {
    SetHouseholdField { key: String, value: String },
    RemoveMember(MemberId),
    WithdrawConsent(MemberId),
    RequestErasure(Option<MemberId>),
    Confirm,
    Cancel,
}

#[uniffi::remote(Record)]
pub struct CorrectionMemberView {
    pub id: MemberId,
    pub name: String,
    pub actions: Vec<ActionView>,
}

#[uniffi::remote(Record)]
pub struct CorrectionsView {
    pub title: String,
    pub fields: Vec<FieldView>,
    pub members: Vec<CorrectionMemberView>,
    pub confirm_question: Option<String>,
    pub actions: Vec<ActionView>,
    pub notices: Vec<Notice>,
    pub gone: bool,
}

#[derive(uniffi::Object)]
pub struct CorrectionsScreen {
    register: Arc<GocuaRegister>,
    model: Mutex<CorrectionsModel>,
}

#[uniffi::export]
impl CorrectionsScreen {
    #[uniffi::constructor]
    pub fn new(register: Arc<GocuaRegister>, household: HouseholdId) -> Arc<Self> {
        let model = CorrectionsModel::new(lang_of(register.lang()), household);
        Arc::new(Self {
            register,
            model: Mutex::new(model),
        })
    }

    pub fn view(&self) -> CorrectionsView {
        let model = lock(&self.model);
        model.view(&self.register.register())
    }

    pub fn send(&self, event: CorrectionsEvent) -> CorrectionsView {
        let mut model = lock(&self.model);
        model.handle(&mut self.register.register(), event)
    }
}
