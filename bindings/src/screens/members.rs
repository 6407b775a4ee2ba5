//! A household's members: add, edit, remove; personal fields wait for the consent screen, which
//! this screen opens with what was typed.

use std::sync::{Arc, Mutex};

use gocua_core::model::{HouseholdId, MemberId};
use gocua_core::screens::members::{MemberRow, MembersEvent, MembersModel, MembersView};
use gocua_core::screens::{ActionView, FieldView, Notice};

use super::consent::ConsentScreen;
use super::lock;
use super::view::lang_of;
use crate::register::GocuaRegister;

#[uniffi::remote(Enum)]
pub enum MembersEvent {
    Set { key: String, value: String },
    NewMember,
    EditMember(MemberId),
    Save,
    AcceptWarnings,
    Cancel,
    Remove(MemberId),
}

#[uniffi::remote(Record)]
pub struct MemberRow {
    pub id: MemberId,
    pub name: String,
    pub relation: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    pub consent: String,
    pub details: Vec<String>,
}

#[uniffi::remote(Record)]
pub struct MembersView {
    pub title: String,
    pub rows: Vec<MemberRow>,
    pub fields: Vec<FieldView>,
    pub actions: Vec<ActionView>,
    pub notices: Vec<Notice>,
    pub consent_next: Option<MemberId>,
    pub checks: Vec<Notice>,
}

#[derive(uniffi::Object)]
pub struct MembersScreen {
    register: Arc<GocuaRegister>,
    household: HouseholdId,
    model: Mutex<MembersModel>,
}

#[uniffi::export]
impl MembersScreen {
    #[uniffi::constructor]
    pub fn new(register: Arc<GocuaRegister>, household: HouseholdId) -> Arc<Self> {
        let model = MembersModel::new(lang_of(register.lang()), household.clone());
        Arc::new(Self {
            register,
            household,
            model: Mutex::new(model),
        })
    }

    pub fn view(&self) -> MembersView {
        let model = lock(&self.model);
        model.view(&self.register.register())
    }

    pub fn send(&self, event: MembersEvent) -> MembersView {
        let mut model = lock(&self.model);
        model.handle(&mut self.register.register(), event)
    }

    /// The consent screen of `member`, holding what was typed for them and not stored yet
    /// (handed over once: this screen no longer holds it).
    pub fn consent_screen(&self, member: MemberId) -> Arc<ConsentScreen> {
        let pending = lock(&self.model).take_pending();
        ConsentScreen::with_pending(
            self.register.clone(),
            self.household.clone(),
            member,
            pending,
        )
    }
}
