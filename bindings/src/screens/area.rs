//! "My area": a hamlet's counts, follow-ups due, its households a page at a time, search, and
//! search before create.

use std::sync::{Arc, Mutex};

use gocua_core::model::{HouseholdId, MemberId};
use gocua_core::screens::area::{AreaEvent, AreaModel, AreaView, HouseholdRow, MatchRow};
use gocua_core::screens::{ActionView, Notice, OptionView};

use super::lock;
use super::view::lang_of;
use crate::register::GocuaRegister;

#[uniffi::remote(Enum)]
pub enum AreaEvent {
    ChooseHamlet(String),
    More,
    Search(String),
    CheckBeforeCreate {
        name: String,
        phone: String,
        id_number: String,
    },
    NoneOfThese,
}

#[uniffi::remote(Record)]
pub struct HouseholdRow {
    pub id: HouseholdId,
    pub head: String,
    pub address: String,
    pub members: u32,
    pub members_line: String,
    pub badges: Vec<String>,
    pub badge_line: String,
}

#[uniffi::remote(Record)]
pub struct MatchRow {
    pub household: HouseholdId,
    pub member: MemberId,
    pub name: String,
    pub address: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    pub matched: String,
    pub details: Vec<String>,
}

#[uniffi::remote(Record)]
pub struct AreaView {
    pub title: String,
    pub hamlet_options: Vec<OptionView>,
    pub header: Vec<String>,
    pub follow_ups_title: Option<String>,
    pub follow_ups_due: Vec<HouseholdRow>,
    pub households: Vec<HouseholdRow>,
    pub search_results: Vec<MatchRow>,
    pub candidates: Vec<MatchRow>,
    pub create_next: bool,
    pub actions: Vec<ActionView>,
    pub notices: Vec<Notice>,
}

#[derive(uniffi::Object)]
pub struct AreaScreen {
    register: Arc<GocuaRegister>,
    model: Mutex<AreaModel>,
}

#[uniffi::export]
impl AreaScreen {
    #[uniffi::constructor]
    pub fn new(register: Arc<GocuaRegister>) -> Arc<Self> {
        let model = AreaModel::new(lang_of(register.lang()));
        Arc::new(Self {
            register,
            model: Mutex::new(model),
        })
    }

    pub fn view(&self) -> AreaView {
        let model = lock(&self.model);
        model.view(&self.register.register())
    }

    pub fn send(&self, event: AreaEvent) -> AreaView {
        let mut model = lock(&self.model);
        model.handle(&self.register.register(), event)
    }
}
