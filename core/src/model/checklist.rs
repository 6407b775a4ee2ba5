//! The account-set-up checklist kept for every member.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::coded_enum;
use super::ids::{DeviceId, VolunteerId};

macro_rules! checklist_items {
    ($($variant:ident => $code:literal, $vi:literal, $en:literal;)+) => {
        coded_enum! {
            /// One item of the account-set-up checklist (DOMAIN.md).
            pub enum ChecklistItem { $($variant => $code),+ }
        }

        impl ChecklistItem {
            pub fn label_vi(self) -> &'static str {
                match self { $(ChecklistItem::$variant => $vi),+ }
            }

            pub fn label_en(self) -> &'static str {
                match self { $(ChecklistItem::$variant => $en),+ }
            }
        }
    };
}

checklist_items! {
    Smartphone => "smartphone", "Có điện thoại thông minh", "Owns a smartphone";
    SimOwnName => "sim_own_name", "SIM chính chủ", "SIM registered in own name";
    VneidInstalled => "vneid_installed", "Đã cài VNeID", "VNeID app installed";
    VneidLevel1 => "vneid_level1", "Định danh điện tử mức 1", "VNeID level 1";
    VneidLevel2 => "vneid_level2", "Định danh điện tử mức 2", "VNeID level 2";
    WelfareAccountLinked => "welfare_account_linked", "Tích hợp tài khoản an sinh xã hội", "Welfare account linked in VNeID";
    PublicServicePortal => "public_service_portal", "Tài khoản Cổng dịch vụ công quốc gia", "National public-service portal account";
    FirstOnlineService => "first_online_service", "Đã nộp dịch vụ công trực tuyến đầu tiên", "First online public service submitted";
    BankAccount => "bank_account", "Có tài khoản ngân hàng", "Has a bank account";
    MobileMoney => "mobile_money", "Ví điện tử / Mobile Money", "E-wallet or Mobile Money";
    QrPayment => "qr_payment", "Đã thanh toán bằng QR", "Has paid by QR";
    EcommerceBuyer => "ecommerce_buyer", "Đã mua hàng trực tuyến", "Has bought online";
    EcommerceSeller => "ecommerce_seller", "Bán hàng trên sàn", "Sells on a platform";
    Vssid => "vssid", "Ứng dụng VssID", "Social-insurance app (VssID)";
    HealthRecord => "health_record", "Sổ sức khỏe điện tử", "Electronic health record";
    DigitalSignature => "digital_signature", "Chữ ký số", "Digital signature";
    CyberSafety => "cyber_safety", "Đã được hướng dẫn an toàn trên mạng", "Online-safety briefing received";
    LocalPlatform => "local_platform", "Tham gia nền tảng số địa phương", "Joined the local digital platform";
}

impl ChecklistItem {
    /// What must be achieved before an item can be done (DOMAIN.md: the app needs a phone, level 1 is
    /// done in the installed app, level 2 at the police after level 1, the welfare account, the health
    /// record and the portal login need level 2).
    pub fn prerequisites(self) -> &'static [ChecklistItem] {
        use ChecklistItem::*;
        match self {
            VneidInstalled => &[Smartphone],
            VneidLevel1 => &[VneidInstalled, SimOwnName],
            VneidLevel2 => &[VneidLevel1],
            WelfareAccountLinked => &[VneidLevel2],
            HealthRecord => &[VneidLevel2],
            PublicServicePortal => &[VneidLevel1],
            FirstOnlineService => &[PublicServicePortal],
            MobileMoney => &[Smartphone, SimOwnName],
            QrPayment | EcommerceBuyer | EcommerceSeller | Vssid | LocalPlatform => &[Smartphone],
            DigitalSignature => &[VneidLevel2],
            Smartphone | SimOwnName | BankAccount | CyberSafety => &[],
        }
    }

    /// The items that stand for the campaign's 5 basic digital skills, in order: use online
    /// public services, shop online, pay online, protect yourself online, use local platforms.
    pub const FIVE_SKILLS: [ChecklistItem; 5] = [
        ChecklistItem::FirstOnlineService,
        ChecklistItem::EcommerceBuyer,
        ChecklistItem::QrPayment,
        ChecklistItem::CyberSafety,
        ChecklistItem::LocalPlatform,
    ];
}

coded_enum! {
    /// Status of one checklist item. See [`ChecklistStatus::rank`] for how concurrent values merge.
    pub enum ChecklistStatus {
        NotAsked => "not_asked",
        NotApplicable => "not_applicable",
        AlreadyHad => "already_had",
        Declined => "declined",
        InProgress => "in_progress",
        Referred => "referred",
        Done => "done",
        Failed => "failed",
    }
}

impl ChecklistStatus {
    /// How far along a status is. When two phones set the same item concurrently (neither saw
    /// the other's change), the higher rank wins, so a stale phone can never pull progress back:
    ///
    /// `not_asked` 0 < `declined` 1 < `failed` 2 < `in_progress` 3 < `referred` 4
    /// < `not_applicable` 5 < `already_had` 6 < `done` 7.
    ///
    /// A failed or declined attempt still tells more than nothing; an attempt under way beats a
    /// failure (someone is working on it); referral is further along than an attempt; the settled
    /// outcomes come last, with `done` (seen done by a volunteer) above all. A change made after
    /// seeing the current value is a deliberate correction and stands whatever its rank.
    pub fn rank(self) -> u8 {
        match self {
            ChecklistStatus::NotAsked => 0,
            ChecklistStatus::Declined => 1,
            ChecklistStatus::Failed => 2,
            ChecklistStatus::InProgress => 3,
            ChecklistStatus::Referred => 4,
            ChecklistStatus::NotApplicable => 5,
            ChecklistStatus::AlreadyHad => 6,
            ChecklistStatus::Done => 7,
        }
    }

    /// Whether the item counts as achieved (for progress and the 5-skills flag).
    pub fn is_achieved(self) -> bool {
        matches!(self, ChecklistStatus::Done | ChecklistStatus::AlreadyHad)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ChecklistStatus::NotAsked => "Chưa hỏi",
            ChecklistStatus::NotApplicable => "Không áp dụng",
            ChecklistStatus::AlreadyHad => "Đã có từ trước",
            ChecklistStatus::Declined => "Từ chối",
            ChecklistStatus::InProgress => "Đang thực hiện",
            ChecklistStatus::Referred => "Đã chuyển công an xã",
            ChecklistStatus::Done => "Hoàn thành",
            ChecklistStatus::Failed => "Không thành công",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ChecklistStatus::NotAsked => "Not asked",
            ChecklistStatus::NotApplicable => "Not applicable",
            ChecklistStatus::AlreadyHad => "Already had",
            ChecklistStatus::Declined => "Declined",
            ChecklistStatus::InProgress => "In progress",
            ChecklistStatus::Referred => "Referred",
            ChecklistStatus::Done => "Done",
            ChecklistStatus::Failed => "Failed",
        }
    }
}

coded_enum! {
    /// Answer to the `smartphone` item.
    pub enum SmartphoneAccess {
        Own => "own",
        Shared => "shared",
        None => "none",
    }
}

/// The current state of one checklist item for one member, with who set it, when and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistEntry {
    pub status: ChecklistStatus,
    /// Why it failed or was declined (free text, no personal data expected).
    pub reason: Option<String>,
    /// Only for the `smartphone` item.
    pub smartphone: Option<SmartphoneAccess>,
    pub set_by: VolunteerId,
    pub set_at: DateTime<Utc>,
    pub device: DeviceId,
}
