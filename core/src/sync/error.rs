//! Errors of the device-side sync. Every message is safe to show to a volunteer (Vietnamese and
//! English) and never holds personal data.

use super::wire::ErrorBody;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("không kết nối được máy chủ xã / cannot reach the commune hub: {0}")]
    Network(String),
    /// The link dropped, stalled or timed out during a request (after the hub was reached).
    #[error("mất kết nối giữa chừng / the connection dropped during the sync: {0}")]
    Interrupted(String),
    #[error("thiết bị chưa được ghép với máy chủ xã / this device is not enrolled with a hub")]
    NotEnrolled,
    #[error(
        "thiết bị đã bị xã thu hồi, dữ liệu trên máy đã được xoá / this device was revoked by the commune and its data was erased"
    )]
    Revoked,
    /// The commune paused this device for a while: nothing was sent or received, nothing is
    /// erased, and it syncs again once resumed.
    #[error(
        "xã đã tạm dừng thiết bị này, dữ liệu trên máy vẫn giữ / the commune paused this device; its data stays on it"
    )]
    Paused,
    #[error("máy chủ không nhận thiết bị này / the hub refused this device: {0}")]
    Unauthorized(String),
    #[error(
        "mã ghép không hợp lệ, đã dùng hoặc đã hết hạn / the pairing code is invalid, used or expired"
    )]
    PairingInvalid,
    #[error("mã ghép không khớp với sổ này / the pairing code does not match this register: {0}")]
    Mismatch(String),
    #[error(
        "phiên bản giao thức không khớp, cần cập nhật ứng dụng / protocol version mismatch, update the app"
    )]
    ProtocolVersion,
    /// The hub that answered is not the one this device enrolled with (rebuilt with a new
    /// identity, or another machine at the same address): nothing is sent to it.
    #[error(
        "máy chủ xã không phải máy đã ghép, cần ghép lại bằng mã mới / this is not the hub this device enrolled with: enrol again with a new pairing code"
    )]
    HubChanged,
    #[error("máy chủ trả lời không hợp lệ / the hub sent an invalid answer: {0}")]
    Protocol(String),
    #[error("máy chủ báo lỗi / the hub reported an error: {0}")]
    Hub(String),
    #[error("đã hủy đồng bộ / sync cancelled")]
    Cancelled,
    #[error("chứng chỉ máy chủ không đúng / the hub's certificate is not the pinned one")]
    CertificateMismatch,
    #[error(
        "địa chỉ máy chủ phải bắt đầu bằng http:// hoặc https:// / the hub address must start with http:// or https://"
    )]
    BadHubAddress,
    #[error(
        "mã ghim chứng chỉ phải là SHA-256 dạng hex / the certificate pin must be a hex SHA-256"
    )]
    BadPin,
    #[error(transparent)]
    Bundle(#[from] crate::bundle::BundleError),
    #[error(transparent)]
    Core(#[from] crate::Error),
}

impl SyncError {
    /// A short machine-readable kind, for logs and the hub's session records.
    pub fn kind(&self) -> &'static str {
        match self {
            SyncError::Network(_) | SyncError::Interrupted(_) => "network",
            SyncError::NotEnrolled => "not_enrolled",
            SyncError::Revoked => "revoked",
            SyncError::Paused => "paused",
            SyncError::Unauthorized(_) => "unauthorized",
            SyncError::PairingInvalid => "pairing_invalid",
            SyncError::Mismatch(_) => "mismatch",
            SyncError::ProtocolVersion => "protocol_version",
            SyncError::HubChanged => "hub_changed",
            SyncError::Protocol(_) => "protocol",
            SyncError::Hub(_) => "hub",
            SyncError::Cancelled => "cancelled",
            SyncError::CertificateMismatch => "certificate",
            SyncError::BadHubAddress => "bad_hub_address",
            SyncError::BadPin => "bad_pin",
            SyncError::Bundle(_) => "bundle",
            SyncError::Core(_) => "local",
        }
    }

    /// Maps a hub's error answer.
    pub fn from_hub(status: u16, body: &[u8]) -> Self {
        let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
        let code = parsed.as_ref().map(|b| b.code.as_str()).unwrap_or("");
        let text = parsed
            .as_ref()
            .map(|b| format!("{} / {}", b.message_vi, b.message_en))
            .unwrap_or_else(|| format!("HTTP {status}"));
        match code {
            "revoked" => SyncError::Revoked,
            "paused" => SyncError::Paused,
            "pairing_invalid" => SyncError::PairingInvalid,
            "protocol_version" => SyncError::ProtocolVersion,
            "hub_changed" => SyncError::HubChanged,
            "mismatch" => SyncError::Mismatch(parsed.map(|b| b.message_en).unwrap_or_default()),
            "unauthorized" => SyncError::Unauthorized(text),
            _ if status == 401 || status == 403 => SyncError::Unauthorized(text),
            _ => SyncError::Hub(text),
        }
    }
}

impl From<rusqlite::Error> for SyncError {
    fn from(e: rusqlite::Error) -> Self {
        SyncError::Core(crate::Error::from(e))
    }
}
