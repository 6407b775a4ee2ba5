//! The bundles screen (sync without coverage): its state, sealing a file to share, opening a
//! file given to the phone, and the answers it carries for other phones. The shell moves bytes
//! only (share sheet, file picker, "open with"); every sentence comes from the core.

use std::sync::Arc;

use gocua_core::screens::bundles::{self, BundleFileView, BundleRowView, BundlesView, OpenedView};

use super::view::lang_of;
use crate::error::GocuaError;
use crate::register::GocuaRegister;

#[uniffi::remote(Record)]
pub struct BundleRowView {
    pub id: String,
    pub title: String,
    pub state: String,
    pub done: bool,
}

#[uniffi::remote(Record)]
pub struct BundlesView {
    pub headline: String,
    pub details: Vec<String>,
    pub seal: gocua_core::screens::ActionView,
    pub open: gocua_core::screens::ActionView,
    pub hand_over: gocua_core::screens::ActionView,
    pub sealed: Vec<BundleRowView>,
    pub carried: Vec<BundleRowView>,
    pub phones: Vec<gocua_core::screens::OptionView>,
}

#[uniffi::remote(Record)]
pub struct BundleFileView {
    pub id: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub sentence: String,
}

#[uniffi::remote(Record)]
pub struct OpenedView {
    pub sentence: String,
    pub severity: gocua_core::screens::NoticeLevel,
}

#[derive(uniffi::Object)]
pub struct BundleScreen {
    register: Arc<GocuaRegister>,
}

#[uniffi::export]
impl BundleScreen {
    #[uniffi::constructor]
    pub fn new(register: Arc<GocuaRegister>) -> Arc<Self> {
        Arc::new(Self { register })
    }

    pub fn view(&self) -> Result<BundlesView, GocuaError> {
        let lang = self.register.lang();
        bundles::bundles_view(&self.register.register(), lang_of(lang))
            .map_err(|e| GocuaError::from_sync(e, lang))
    }

    /// Seals what waits into one file; the shell shares `bytes` under `file_name`.
    pub fn seal(&self) -> Result<BundleFileView, GocuaError> {
        let lang = self.register.lang();
        bundles::seal(&mut self.register.register(), lang_of(lang))
            .map_err(|e| GocuaError::from_sync(e, lang))
    }

    /// One household sealed for another phone of the area (a code of the view's `phones`).
    pub fn hand_over(&self, household: String, to: String) -> Result<BundleFileView, GocuaError> {
        let lang = self.register.lang();
        let household = gocua_core::model::HouseholdId(household);
        bundles::hand_over(
            &mut self.register.register(),
            &household,
            &to,
            lang_of(lang),
        )
        .map_err(|e| GocuaError::from_sync(e, lang))
    }

    /// A file given to this phone; a refusal is a sentence, never an error.
    pub fn open(&self, bytes: Vec<u8>) -> OpenedView {
        let lang = self.register.lang();
        bundles::open(&mut self.register.register(), &bytes, lang_of(lang))
    }

    /// The answers carried for other phones, to share; then `handed(id)` for each.
    pub fn answers_to_hand(&self) -> Result<Vec<BundleFileView>, GocuaError> {
        let lang = self.register.lang();
        bundles::answers_to_hand(&self.register.register(), lang_of(lang))
            .map_err(|e| GocuaError::from_sync(e, lang))
    }

    pub fn handed(&self, id: String) -> Result<bool, GocuaError> {
        let lang = self.register.lang();
        bundles::handed(&mut self.register.register(), &id)
            .map_err(|e| GocuaError::from_sync(e, lang))
    }
}

/// The largest sealed file the core reads: a shell reads at most one byte more of a file it is
/// given (the core refuses it, with its reason), never a whole file of any size into memory.
#[uniffi::export]
pub fn max_bundle_bytes() -> u64 {
    gocua_core::bundle::MAX_BUNDLE_BYTES as u64
}
