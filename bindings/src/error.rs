//! The one error of the FFI. Each variant is a kind the shell can act on; `reason` is a message
//! safe to show (Vietnamese and English, or in the chosen language for validation), never personal
//! data. Kotlin sees `GocuaException.<Kind>`, Swift `GocuaError.<kind>`.
//!
//! (The field is `reason`, not `message`: UniFFI's Kotlin exceptions already have a `message`.)

use gocua_core::sync::SyncError;

use crate::types::{Language, ValidationIssue};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum GocuaError {
    /// What was typed is not valid: show `issues` beside their fields. `reason` lists the errors.
    #[error("{reason}")]
    Validation {
        issues: Vec<ValidationIssue>,
        reason: String,
    },
    /// The household, member or record does not exist (or no longer does).
    #[error("{reason}")]
    NotFound { reason: String },
    /// The register file does not exist or was never set up: go to the setup screen.
    #[error("{reason}")]
    NotInitialised { reason: String },
    /// A register file is already there: open it instead of creating one.
    #[error("{reason}")]
    AlreadyExists { reason: String },
    /// The key store has no key for this register, or not the right one.
    #[error("{reason}")]
    WrongKey { reason: String },
    /// The platform key store failed (locked, unavailable, denied).
    #[error("{reason}")]
    KeyStore { reason: String },
    /// The register file could not be read or written.
    #[error("{reason}")]
    Storage { reason: String },
    /// The data or the hub is newer than this app: update the app.
    #[error("{reason}")]
    UpdateRequired { reason: String },
    /// The field has no conflict (any more), or the value chosen is not one of its values:
    /// reload the conflicts.
    #[error("{reason}")]
    NoConflict { reason: String },
    /// The shell passed something malformed (a date not in `YYYY-MM-DD`, an unknown field).
    #[error("{reason}")]
    InvalidInput { reason: String },
    /// The hub cannot be reached: try again later.
    #[error("{reason}")]
    Network { reason: String },
    /// This device is not enrolled with a hub: ask the coordinator for a pairing code.
    #[error("{reason}")]
    NotEnrolled { reason: String },
    /// The commune revoked this device.
    #[error("{reason}")]
    Revoked { reason: String },
    /// The hub refused this device's credentials.
    #[error("{reason}")]
    Unauthorized { reason: String },
    /// The pairing code is invalid, used, expired, or for another volunteer or commune.
    #[error("{reason}")]
    PairingInvalid { reason: String },
    /// The hub's certificate is not the pinned one.
    #[error("{reason}")]
    Certificate { reason: String },
    /// The hub answered with an error or something unreadable.
    #[error("{reason}")]
    Hub { reason: String },
    /// The sync was cancelled; what was stored stays stored.
    #[error("{reason}")]
    Cancelled { reason: String },
    /// A bug: report it.
    #[error("{reason}")]
    Internal { reason: String },
}

impl GocuaError {
    /// Maps a core error; validation messages are given in `lang`.
    pub(crate) fn from_core(e: gocua_core::Error, lang: Language) -> Self {
        use gocua_core::Error as E;
        let reason = e.to_string();
        match e {
            E::Validation(report) => {
                let errors: Vec<&str> = report
                    .errors()
                    .map(|i| lang.pick(&i.message_vi, &i.message_en))
                    .collect();
                GocuaError::Validation {
                    issues: ValidationIssue::list(&report.issues, lang),
                    reason: errors.join(" "),
                }
            }
            E::NotFound { .. } => GocuaError::NotFound { reason },
            E::NotInitialised(_) => GocuaError::NotInitialised { reason },
            E::WrongKey => GocuaError::WrongKey { reason },
            E::KeyStore(_) => GocuaError::KeyStore { reason },
            E::CorruptDocument(_) | E::Database(_) => GocuaError::Storage { reason },
            E::SchemaTooNew { .. } => GocuaError::UpdateRequired { reason },
            E::AlreadyExists => GocuaError::AlreadyExists { reason },
            E::NoConflict(_) | E::NotAConflictValue => GocuaError::NoConflict { reason },
            E::UnknownField(_) => GocuaError::InvalidInput { reason },
            E::Internal(_) => GocuaError::Internal { reason },
        }
    }

    pub(crate) fn from_sync(e: SyncError, lang: Language) -> Self {
        let reason = e.to_string();
        match e {
            SyncError::Core(e) => Self::from_core(e, lang),
            SyncError::Network(_) | SyncError::Interrupted(_) => GocuaError::Network { reason },
            SyncError::NotEnrolled => GocuaError::NotEnrolled { reason },
            SyncError::Revoked => GocuaError::Revoked { reason },
            // Both end in a new pairing code from the commune.
            SyncError::Unauthorized(_) | SyncError::HubChanged => {
                GocuaError::Unauthorized { reason }
            }
            SyncError::PairingInvalid | SyncError::Mismatch(_) => {
                GocuaError::PairingInvalid { reason }
            }
            SyncError::ProtocolVersion => GocuaError::UpdateRequired { reason },
            SyncError::Protocol(_) | SyncError::Hub(_) => GocuaError::Hub { reason },
            SyncError::Cancelled => GocuaError::Cancelled { reason },
            SyncError::CertificateMismatch => GocuaError::Certificate { reason },
            SyncError::BadHubAddress | SyncError::BadPin => GocuaError::InvalidInput { reason },
        }
    }

    /// The safe message, whatever the kind.
    pub fn reason(&self) -> &str {
        match self {
            GocuaError::Validation { reason, .. }
            | GocuaError::NotFound { reason }
            | GocuaError::NotInitialised { reason }
            | GocuaError::AlreadyExists { reason }
            | GocuaError::WrongKey { reason }
            | GocuaError::KeyStore { reason }
            | GocuaError::Storage { reason }
            | GocuaError::UpdateRequired { reason }
            | GocuaError::NoConflict { reason }
            | GocuaError::InvalidInput { reason }
            | GocuaError::Network { reason }
            | GocuaError::NotEnrolled { reason }
            | GocuaError::Revoked { reason }
            | GocuaError::Unauthorized { reason }
            | GocuaError::PairingInvalid { reason }
            | GocuaError::Certificate { reason }
            | GocuaError::Hub { reason }
            | GocuaError::Cancelled { reason }
            | GocuaError::Internal { reason } => reason,
        }
    }
}

/// A foreign implementation (key store, progress) threw something other than a `GocuaError`.
/// Its text is dropped: it comes from the shell and could hold anything.
impl From<uniffi::UnexpectedUniFFICallbackError> for GocuaError {
    fn from(_: uniffi::UnexpectedUniFFICallbackError) -> Self {
        GocuaError::Internal {
            reason: "lỗi trong ứng dụng / a callback of the app failed unexpectedly".into(),
        }
    }
}
