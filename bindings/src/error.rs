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
            // Both end in a new pairing code from the commune; a pause ends when the commune
            // resumes the phone (its reason says so).
            SyncError::Unauthorized(_) | SyncError::HubChanged | SyncError::Paused => {
                GocuaError::Unauthorized { reason }
            }
            SyncError::PairingInvalid | SyncError::Mismatch(_) => {
                GocuaError::PairingInvalid { reason }
            }
            SyncError::ProtocolVersion => GocuaError::UpdateRequired { reason },
            SyncError::Protocol(_) | SyncError::Hub(_) => GocuaError::Hub { reason },
            SyncError::Cancelled => GocuaError::Cancelled { reason },
            SyncError::CertificateMismatch => GocuaError::Certificate { reason },
            // A bundle file refused (altered, foreign, expired...): its reason says which.
            SyncError::BadHubAddress | SyncError::BadPin | SyncError::Bundle(_) => {
                GocuaError::InvalidInput { reason }
            }
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

/// The sentence a shell shows for a failed call: what happened and what to do, in `lang`. The
/// kinds a volunteer acts on get a sentence of their own (the technical reason of a network or
/// hub failure helps nobody at the door); a refusal of what was typed, a record not found or a
/// malformed input keep the core's own message.
#[uniffi::export]
pub fn error_text(error: GocuaError, lang: Language) -> String {
    let (vi, en) = match &error {
        GocuaError::Validation { reason, .. }
        | GocuaError::NotFound { reason }
        | GocuaError::InvalidInput { reason }
        | GocuaError::NoConflict { reason } => return reason.clone(),
        // The kinds a sync raises: the sync screen's own sentences, written once in the core.
        GocuaError::Network { .. } => {
            return sync_sentence(SyncError::Network(String::new()), lang);
        }
        GocuaError::NotEnrolled { .. } => return sync_sentence(SyncError::NotEnrolled, lang),
        GocuaError::Revoked { .. } => return sync_sentence(SyncError::Revoked, lang),
        GocuaError::Unauthorized { .. } => {
            return sync_sentence(SyncError::Unauthorized(String::new()), lang);
        }
        GocuaError::PairingInvalid { .. } => return sync_sentence(SyncError::PairingInvalid, lang),
        GocuaError::Certificate { .. } => {
            return sync_sentence(SyncError::CertificateMismatch, lang);
        }
        GocuaError::Hub { .. } => return sync_sentence(SyncError::Hub(String::new()), lang),
        GocuaError::Cancelled { .. } => return sync_sentence(SyncError::Cancelled, lang),
        // Also a register written by a newer app, not only a newer hub.
        GocuaError::UpdateRequired { .. } => ("Cần cập nhật ứng dụng.", "Update the app."),
        GocuaError::WrongKey { .. } | GocuaError::KeyStore { .. } => (
            "Không mở được khóa của sổ trên máy. Mở khóa màn hình rồi thử lại.",
            "The register's key could not be opened on this phone. Unlock the screen and try again.",
        ),
        GocuaError::NotInitialised { .. } => (
            "Máy chưa có sổ hộ: hãy ghép máy với xã.",
            "This phone has no register yet: enrol it with the commune.",
        ),
        GocuaError::AlreadyExists { .. } => (
            "Máy đã có sổ hộ: mở sổ đó thay vì tạo mới.",
            "This phone already has a register: open it instead of creating one.",
        ),
        GocuaError::Storage { .. } => (
            "Không đọc/ghi được sổ trên máy. Giải phóng bộ nhớ rồi thử lại; nếu vẫn lỗi, báo cán bộ xã.",
            "The register on this phone could not be read or written. Free some storage and try again; if it keeps failing, tell the commune officer.",
        ),
        GocuaError::Internal { .. } => (
            "Ứng dụng gặp lỗi. Thử lại; nếu vẫn lỗi, báo cán bộ xã.",
            "The app hit an error. Try again; if it keeps failing, tell the commune officer.",
        ),
    };
    lang.pick(vi, en).to_owned()
}

fn sync_sentence(error: SyncError, lang: Language) -> String {
    gocua_core::screens::sync_status::error_sentence(&error, crate::screens::lang_of(lang))
}
