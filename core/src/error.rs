//! The core's error type. Messages never contain personal data: ids of records are fine,
//! names, ID numbers and phones are not.

use crate::validate::Report;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("dữ liệu không hợp lệ / invalid input: {}", summary(.0))]
    Validation(Report),
    #[error("không tìm thấy {what} / {what} not found: {id}")]
    NotFound { what: &'static str, id: String },
    #[error("tài liệu hộ bị hỏng / household document is corrupt: {0}")]
    CorruptDocument(String),
    #[error("lỗi cơ sở dữ liệu / database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error(
        "cơ sở dữ liệu phiên bản {found} mới hơn ứng dụng ({supported}) / database schema {found} is newer than this app supports ({supported})"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("sổ chưa được khởi tạo / register not initialised: {0}")]
    NotInitialised(String),
    #[error("không có xung đột ở trường này / no conflict on this field: {0}")]
    NoConflict(String),
    #[error("khoá mã hoá sai hoặc thiếu / the encryption key is wrong or missing")]
    WrongKey,
    #[error(transparent)]
    KeyStore(#[from] crate::keystore::KeyStoreError),
    #[error(
        "sổ đăng ký đã có ở đường dẫn này, không ghi đè / a register already exists at this path and is not overwritten"
    )]
    AlreadyExists,
    #[error("không có trường '{0}' / unknown field: {0}")]
    UnknownField(String),
    #[error(
        "giá trị chọn không nằm trong các giá trị xung đột / the chosen value is not one of the conflicting values"
    )]
    NotAConflictValue,
    #[error("lỗi nội bộ / internal error: {0}")]
    Internal(String),
}

fn summary(report: &Report) -> String {
    report
        .errors()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<automerge::AutomergeError> for Error {
    fn from(e: automerge::AutomergeError) -> Self {
        Error::CorruptDocument(e.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
