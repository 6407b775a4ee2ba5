//! The household card and take-home sheet: the QR drawn by the core (SVG and module matrix),
//! Plus Code, digital address, each member's progress and next steps; no ID number.

use std::sync::Arc;

use gocua_core::model::HouseholdId;
use gocua_core::screens::card::{CardMemberView, CardView, HouseholdCardModel, QrView};

use super::view::lang_of;
use crate::error::GocuaError;
use crate::register::GocuaRegister;

#[uniffi::remote(Record)]
pub struct QrView {
    pub payload: String,
    pub version: u32,
    pub modules: Vec<Vec<bool>>,
    pub svg: String,
}

#[uniffi::remote(Record)]
pub struct CardMemberView {
    pub name: String,
    pub progress_line: String,
    pub next_steps: Vec<String>,
    pub cautions: Vec<String>,
}

#[uniffi::remote(Record)]
pub struct CardView {
    pub title: String,
    pub address_line: String,
    pub plus_code: Option<String>,
    pub official_code: Option<String>,
    pub qr: QrView,
    pub members: Vec<CardMemberView>,
    pub general_cautions: Vec<String>,
    pub text: String,
}

/// The card of a household, read anew at each `view()` (it has no events).
#[derive(uniffi::Object)]
pub struct CardScreen {
    register: Arc<GocuaRegister>,
    model: HouseholdCardModel,
}

#[uniffi::export]
impl CardScreen {
    #[uniffi::constructor]
    pub fn new(register: Arc<GocuaRegister>, household: HouseholdId) -> Arc<Self> {
        let model = HouseholdCardModel::new(household, lang_of(register.lang()));
        Arc::new(Self { register, model })
    }

    pub fn view(&self) -> Result<CardView, GocuaError> {
        let view = self.model.view(&self.register.register());
        view.map_err(|e| GocuaError::from_core(e, self.register.lang()))
    }
}
