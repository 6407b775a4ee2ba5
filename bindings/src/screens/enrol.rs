//! The pairing payload parser of the enrolment screen.

use gocua_core::screens::Lang;
use gocua_core::screens::enrol::parse_pairing;

use crate::types::Language;

/// What a pairing QR text or `gocua://pair?` link carries.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PairingPayload {
    pub hub_url: String,
    pub code: String,
    /// SHA-256 (hex) of the hub's certificate, for `TlsOptions`.
    pub pin_sha256: Option<String>,
    pub commune_code: Option<String>,
}

/// The parsed pairing, or the sentence to show under the pairing field.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PairingParse {
    pub pairing: Option<PairingPayload>,
    pub message: Option<String>,
}

/// Parses a scanned QR text or an opened link; a bad payload is a message, never an error.
#[uniffi::export]
pub fn parse_pairing_payload(text: String, lang: Language) -> PairingParse {
    let lang = match lang {
        Language::Vi => Lang::Vi,
        Language::En => Lang::En,
    };
    match parse_pairing(&text) {
        Ok(p) => PairingParse {
            pairing: Some(PairingPayload {
                hub_url: p.hub_url,
                code: p.code,
                pin_sha256: p.pin_sha256,
                commune_code: p.commune_code,
            }),
            message: None,
        },
        Err(e) => PairingParse {
            pairing: None,
            message: Some(e.text(lang)),
        },
    }
}
