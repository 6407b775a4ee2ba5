//! Labels of coded values in the chosen language. The core carries labels for relations, checklist
//! items and statuses, visit outcomes and unit kinds; the few it lacks are kept here (see the
//! report: they belong in the core, the phones need them too).

use gocua_core::catalog::admin_units::UnitKind;
use gocua_core::model::{
    ChecklistItem, ChecklistStatus, ConsentAction, ConsentMethod, ConsentPurposes, Gender,
    GpsSource, Lifecycle, Relation, ResidenceType, SmartphoneAccess, VisitOutcome,
};
use gocua_core::{SearchMatch, validate::Severity};

use crate::lang::Lang;

/// Something with a label in each language.
pub trait Label {
    fn label(&self, lang: Lang) -> &'static str;
}

macro_rules! core_labels {
    ($($t:ty),+) => {$(
        impl Label for $t {
            fn label(&self, lang: Lang) -> &'static str {
                lang.pick(self.label_vi(), self.label_en())
            }
        }
    )+};
}

core_labels!(
    Relation,
    ChecklistItem,
    ChecklistStatus,
    VisitOutcome,
    UnitKind
);

macro_rules! cli_labels {
    ($($t:ty { $($v:path => $vi:literal, $en:literal;)+ })+) => {$(
        impl Label for $t {
            fn label(&self, lang: Lang) -> &'static str {
                match self { $($v => lang.pick($vi, $en)),+ }
            }
        }
    )+};
}

cli_labels! {
    Gender {
        Gender::Male => "nam", "male";
        Gender::Female => "nữ", "female";
    }
    ResidenceType {
        ResidenceType::Permanent => "thường trú", "permanent residence";
        ResidenceType::Temporary => "tạm trú", "temporary residence";
    }
    Lifecycle {
        Lifecycle::Active => "đang ở", "active";
        Lifecycle::MovedAway => "đã chuyển đi", "moved away";
        Lifecycle::Merged => "đã gộp vào hộ khác", "merged into another household";
        Lifecycle::Dissolved => "không còn", "dissolved";
    }
    ConsentAction {
        ConsentAction::Given => "đồng ý", "given";
        ConsentAction::Withdrawn => "rút lại đồng ý", "withdrawn";
    }
    ConsentMethod {
        ConsentMethod::SignatureOnScreen => "ký trên màn hình", "signature on screen";
        ConsentMethod::WitnessedVerbal => "đồng ý bằng lời có người chứng kiến", "witnessed verbal";
        ConsentMethod::Thumbprint => "điểm chỉ", "thumbprint";
    }
    GpsSource {
        GpsSource::Fix => "định vị GPS", "GPS fix";
        GpsSource::MapPin => "ghim trên bản đồ", "pin on map";
    }
    SmartphoneAccess {
        SmartphoneAccess::Own => "máy riêng", "own phone";
        SmartphoneAccess::Shared => "dùng chung", "shared phone";
        SmartphoneAccess::None => "không có", "none";
    }
    SearchMatch {
        SearchMatch::Name => "tên", "name";
        SearchMatch::Phone => "số điện thoại", "phone";
        SearchMatch::IdNumber => "số định danh", "ID number";
    }
    Severity {
        Severity::Error => "Lỗi", "Error";
        Severity::Warning => "Cảnh báo", "Warning";
    }
}

/// The purposes a person agreed to, in words.
pub fn purposes(p: &ConsentPurposes, lang: Lang) -> String {
    let mut out = Vec::new();
    if p.local_register {
        out.push(lang.pick("lưu trong sổ địa phương", "local register"));
    }
    if p.setup_help {
        out.push(lang.pick("hỗ trợ cài đặt tài khoản", "account set-up help"));
    }
    if p.share_with_commune {
        out.push(lang.pick("chia sẻ với UBND xã", "sharing with the commune"));
    }
    if out.is_empty() {
        return lang.pick("(không mục đích nào)", "(no purpose)").to_owned();
    }
    out.join(", ")
}
