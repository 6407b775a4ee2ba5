//! Why a bundle is refused. Every reason is told in Vietnamese and English, kept apart, and
//! names no person: a carrier, a coordinator at the dashboard or the volunteer reads it.

/// A bundle that cannot be sealed, read or applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleError {
    NotABundle,
    Truncated,
    Version(u16),
    Tampered,
    NotForUs,
    UnknownSender,
    Revoked,
    Paused,
    Expired,
    AlreadyApplied,
    UnknownPhone,
    NoKeys,
    BadKey,
    Random,
    Content(String),
}

impl BundleError {
    /// The reason in Vietnamese, then in English.
    pub fn messages(&self) -> (String, String) {
        match self {
            BundleError::NotABundle => (
                "tệp không phải gói đồng bộ gocua".into(),
                "the file is not a gocua sync bundle".into(),
            ),
            BundleError::Truncated => (
                "gói đồng bộ bị cắt cụt".into(),
                "the sync bundle is truncated".into(),
            ),
            BundleError::Version(d) => (
                format!("gói đồng bộ của phiên bản khác ({d}), cần cập nhật ứng dụng"),
                format!("the sync bundle is of another version ({d}); update the app"),
            ),
            BundleError::Tampered => (
                "gói đồng bộ đã bị sửa hoặc chữ ký không đúng".into(),
                "the sync bundle was altered or its signature does not match".into(),
            ),
            BundleError::NotForUs => (
                "gói đồng bộ không gửi cho nơi này".into(),
                "the sync bundle is not addressed to this hub or device".into(),
            ),
            BundleError::UnknownSender => (
                "gói đồng bộ từ thiết bị không được ghép với máy chủ này".into(),
                "the sync bundle comes from a device not enrolled with this hub".into(),
            ),
            BundleError::Revoked => (
                "gói đồng bộ từ thiết bị đã bị thu hồi".into(),
                "the sync bundle comes from a revoked device".into(),
            ),
            BundleError::Paused => (
                "gói đồng bộ từ thiết bị đang tạm dừng".into(),
                "the sync bundle comes from a paused device".into(),
            ),
            BundleError::Expired => (
                "gói đồng bộ đã hết hạn, hãy tạo gói mới".into(),
                "the sync bundle has expired; seal a new one".into(),
            ),
            BundleError::UnknownPhone => (
                "máy này chưa biết máy kia trong địa bàn: đồng bộ một lần khi có sóng để nhận danh sách máy".into(),
                "this phone does not know the other phone of its area yet: sync once where there is coverage to receive the area's phones".into(),
            ),
            BundleError::AlreadyApplied => (
                "gói đồng bộ này đã được áp dụng".into(),
                "this sync bundle was already applied".into(),
            ),
            BundleError::NoKeys => (
                "chưa trao đổi khoá gói với máy chủ: đồng bộ một lần khi có sóng".into(),
                "bundle keys not exchanged with the hub yet: sync once where there is coverage"
                    .into(),
            ),
            BundleError::BadKey => ("khoá gói không hợp lệ".into(), "invalid bundle key".into()),
            BundleError::Random => (
                "không tạo được số ngẫu nhiên".into(),
                "no randomness available".into(),
            ),
            BundleError::Content(d) => (
                "nội dung gói không đọc được".into(),
                format!("the bundle's content cannot be read: {d}"),
            ),
        }
    }

    /// The refusal of a hub, by its code (the version and the content's detail do not travel).
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "not_a_bundle" => BundleError::NotABundle,
            "truncated" => BundleError::Truncated,
            "version" => BundleError::Version(0),
            "tampered" => BundleError::Tampered,
            "not_for_us" => BundleError::NotForUs,
            "unknown_sender" => BundleError::UnknownSender,
            "revoked" => BundleError::Revoked,
            "paused" => BundleError::Paused,
            "expired" => BundleError::Expired,
            "already_applied" => BundleError::AlreadyApplied,
            "unknown_phone" => BundleError::UnknownPhone,
            "no_keys" => BundleError::NoKeys,
            "bad_key" => BundleError::BadKey,
            "content" => BundleError::Content(String::new()),
            _ => return None,
        })
    }

    /// A short stable code, for the sync report and the audit log.
    pub fn code(&self) -> &'static str {
        match self {
            BundleError::NotABundle => "not_a_bundle",
            BundleError::Truncated => "truncated",
            BundleError::Version(_) => "version",
            BundleError::Tampered => "tampered",
            BundleError::NotForUs => "not_for_us",
            BundleError::UnknownSender => "unknown_sender",
            BundleError::Revoked => "revoked",
            BundleError::Paused => "paused",
            BundleError::Expired => "expired",
            BundleError::AlreadyApplied => "already_applied",
            BundleError::UnknownPhone => "unknown_phone",
            BundleError::NoKeys => "no_keys",
            BundleError::BadKey => "bad_key",
            BundleError::Random => "random",
            BundleError::Content(_) => "content",
        }
    }
}

impl std::fmt::Display for BundleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (vi, en) = self.messages();
        write!(f, "{vi} / {en}")
    }
}

impl std::error::Error for BundleError {}
