//! The enrolment screen: a pairing QR or link, the commune, the volunteer's id. It needs no
//! register: its `ready` request is what the shell hands to `GocuaRegister.create_encrypted` and
//! `enrol`.

use std::sync::{Arc, Mutex};

use gocua_core::screens::enrol::{
    EnrolEvent, EnrolModel, EnrolRequest, EnrolView, Pairing, parse_pairing,
};
use gocua_core::screens::{ActionView, FieldView, Notice};

use gocua_core::sync::{self, TlsOptions};

use super::lock;
use super::view::lang_of;
use crate::register::GocuaRegister;
use crate::types::Language;

#[uniffi::remote(Record)]
pub struct Pairing {
    pub hub_url: String,
    pub code: String,
    pub pin_sha256: Option<String>,
    pub commune_code: Option<String>,
}

#[uniffi::remote(Record)]
pub struct EnrolRequest {
    pub pairing: Pairing,
    pub commune_code: String,
    pub volunteer_id: String,
}

#[uniffi::remote(Enum)]
pub enum EnrolEvent {
    Set { key: String, value: String },
    Payload(String),
    Choose { key: String, code: String },
}

#[uniffi::remote(Record)]
pub struct EnrolView {
    pub title: String,
    pub fields: Vec<FieldView>,
    pub missing: Vec<String>,
    pub actions: Vec<ActionView>,
    pub notices: Vec<Notice>,
    pub ready: Option<EnrolRequest>,
    pub enrolled: bool,
}

/// The parsed pairing, or the sentence to show under the pairing field.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PairingParse {
    pub pairing: Option<Pairing>,
    pub message: Option<String>,
}

/// Parses a scanned QR text or an opened link; a bad payload is a message, never an error.
#[uniffi::export]
pub fn parse_pairing_payload(text: String, lang: Language) -> PairingParse {
    match parse_pairing(&text) {
        Ok(p) => PairingParse {
            pairing: Some(p),
            message: None,
        },
        Err(e) => PairingParse {
            pairing: None,
            message: Some(e.text(lang_of(lang))),
        },
    }
}

#[derive(uniffi::Object)]
pub struct EnrolScreen(Mutex<EnrolModel>);

#[uniffi::export]
impl EnrolScreen {
    #[uniffi::constructor]
    pub fn new(lang: Language) -> Arc<Self> {
        Arc::new(Self(Mutex::new(EnrolModel::new(lang_of(lang)))))
    }

    pub fn view(&self) -> EnrolView {
        lock(&self.0).view()
    }

    pub fn send(&self, event: EnrolEvent) -> EnrolView {
        lock(&self.0).handle(event)
    }

    /// Enrols `register` (just created from `view().ready`) with the hub of the pairing, with
    /// its pin when the link carried one. Blocks on the network. The outcome is in the view:
    /// `enrolled`, and a notice saying what happened (on failure, what to do). Without a ready
    /// request nothing is sent.
    pub fn enrol(&self, register: Arc<GocuaRegister>) -> EnrolView {
        let mut model = lock(&self.0);
        let Some(request) = model.view().ready else {
            return model.view();
        };
        let tls = TlsOptions {
            pin_sha256: request.pairing.pin_sha256.clone(),
            extra_root_pem: None,
        };
        let outcome = sync::enrol(
            &mut register.register(),
            &request.pairing.hub_url,
            &request.pairing.code,
            &tls,
        );
        match outcome {
            Ok(enrolment) => model.enrolled(&enrolment.area),
            Err(e) => model.failed(&e),
        }
    }
}
