//! Consent before personal data: purposes unticked, the method recorded honestly, a guardian for
//! a minor; declining discards what was typed.

use std::sync::{Arc, Mutex};

use gocua_core::model::{HouseholdId, MemberId};
use gocua_core::screens::consent::{ConsentModel, ConsentStepEvent, ConsentView};
use gocua_core::screens::members::PendingPersonal;
use gocua_core::screens::{ActionView, Notice, OptionView};

use super::lock;
use super::view::lang_of;
use crate::register::GocuaRegister;

#[uniffi::remote(Enum)]
pub enum ConsentStepEvent {
    TogglePurpose(String),
    ChooseMethod(String),
    PaperFormKept(bool),
    ChooseGuardian(MemberId),
    Give,
    Decline,
}

#[uniffi::remote(Record)]
pub struct ConsentView {
    pub title: String,
    pub person: String,
    pub notice_text: String,
    pub notice_version: String,
    pub purposes: Vec<OptionView>,
    pub methods: Vec<OptionView>,
    pub paper_form_question: Option<String>,
    pub paper_form_kept: bool,
    pub guardian_needed: bool,
    pub guardian_options: Vec<OptionView>,
    pub actions: Vec<ActionView>,
    pub notices: Vec<Notice>,
    pub finished: bool,
}

#[derive(uniffi::Object)]
pub struct ConsentScreen {
    register: Arc<GocuaRegister>,
    model: Mutex<ConsentModel>,
}

impl ConsentScreen {
    pub(crate) fn with_pending(
        register: Arc<GocuaRegister>,
        household: HouseholdId,
        member: MemberId,
        pending: Option<PendingPersonal>,
    ) -> Arc<Self> {
        let model = ConsentModel::new(lang_of(register.lang()), household, member, pending);
        Arc::new(Self {
            register,
            model: Mutex::new(model),
        })
    }
}

#[uniffi::export]
impl ConsentScreen {
    /// The consent screen of a member already saved (nothing typed waits for it); after the
    /// members screen, use `MembersScreen.consent_screen`.
    #[uniffi::constructor]
    pub fn new(
        register: Arc<GocuaRegister>,
        household: HouseholdId,
        member: MemberId,
    ) -> Arc<Self> {
        Self::with_pending(register, household, member, None)
    }

    pub fn view(&self) -> ConsentView {
        let model = lock(&self.model);
        model.view(&self.register.register())
    }

    pub fn send(&self, event: ConsentStepEvent) -> ConsentView {
        let mut model = lock(&self.model);
        model.handle(&mut self.register.register(), event)
    }
}
