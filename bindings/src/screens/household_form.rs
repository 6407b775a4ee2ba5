//! Registering a household: hamlet, address, position with its warnings accepted explicitly.

use std::sync::{Arc, Mutex};

use gocua_core::model::HouseholdId;
use gocua_core::screens::household_form::{
    HouseholdFormEvent as CoreEvent, HouseholdFormModel, HouseholdFormView, LocationAnswer,
};
use gocua_core::screens::{ActionView, FieldView, Notice};

use super::lock;
use super::view::lang_of;
use crate::register::GocuaRegister;
use crate::types::GpsFix;

#[uniffi::remote(Record)]
pub struct HouseholdFormView {
    pub title: String,
    pub fields: Vec<FieldView>,
    pub position: String,
    pub locate: ActionView,
    pub clear_gps: ActionView,
    pub location_notice: Option<Notice>,
    pub open_settings: Option<ActionView>,
    pub warnings: Vec<Notice>,
    pub actions: Vec<ActionView>,
    pub notices: Vec<Notice>,
    pub saved: Option<HouseholdId>,
}

#[uniffi::remote(Enum)]
pub enum LocationAnswer {
    Precise,
    Approximate,
    Refused,
    RefusedForGood,
    ServiceOff,
    NoFix,
}

/// What the volunteer did on the household form (the core's event, with the bindings' GPS fix).
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum HouseholdFormEvent {
    /// A field's text (`street`, `alley`, `house_number`, `notes`) or the code picked for it
    /// (`hamlet`).
    Set {
        key: String,
        value: String,
    },
    Gps {
        fix: GpsFix,
    },
    ClearGps,
    /// What the phone answered when the volunteer asked for a position.
    Location {
        answer: LocationAnswer,
    },
    Save,
    /// Saves with the warnings shown, recording that they were accepted.
    AcceptWarnings,
}

impl From<HouseholdFormEvent> for CoreEvent {
    fn from(e: HouseholdFormEvent) -> Self {
        match e {
            HouseholdFormEvent::Set { key, value } => CoreEvent::Set { key, value },
            HouseholdFormEvent::Gps { fix } => CoreEvent::Gps(fix.into()),
            HouseholdFormEvent::ClearGps => CoreEvent::ClearGps,
            HouseholdFormEvent::Location { answer } => CoreEvent::Location(answer),
            HouseholdFormEvent::Save => CoreEvent::Save,
            HouseholdFormEvent::AcceptWarnings => CoreEvent::AcceptWarnings,
        }
    }
}

/// A position (WGS84 degrees).
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

#[derive(uniffi::Object)]
pub struct HouseholdFormScreen {
    register: Arc<GocuaRegister>,
    model: Mutex<HouseholdFormModel>,
}

#[uniffi::export]
impl HouseholdFormScreen {
    /// `commune_centre`, when known, enables the "far from the commune" warning.
    #[uniffi::constructor]
    pub fn new(register: Arc<GocuaRegister>, commune_centre: Option<LatLon>) -> Arc<Self> {
        let model = HouseholdFormModel::new(
            lang_of(register.lang()),
            commune_centre.map(|c| (c.lat, c.lon)),
        );
        Arc::new(Self {
            register,
            model: Mutex::new(model),
        })
    }

    pub fn view(&self) -> HouseholdFormView {
        let model = lock(&self.model);
        model.view(&self.register.register())
    }

    pub fn send(&self, event: HouseholdFormEvent) -> HouseholdFormView {
        let mut model = lock(&self.model);
        model.handle(&mut self.register.register(), event.into())
    }
}
