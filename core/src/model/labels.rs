//! Labels in Vietnamese and English for the coded values that have no richer description
//! elsewhere (relations, checklist items and statuses, visit outcomes carry theirs beside them).

use super::{
    ConsentAction, ConsentMethod, Gender, GpsSource, Lifecycle, ResidenceType, SmartphoneAccess,
};

macro_rules! labels {
    ($($t:ident { $($v:ident => $vi:literal, $en:literal;)+ })+) => {$(
        impl $t {
            pub fn label_vi(self) -> &'static str {
                match self { $($t::$v => $vi),+ }
            }

            pub fn label_en(self) -> &'static str {
                match self { $($t::$v => $en),+ }
            }
        }
    )+};
}

labels! {
    Gender {
        Male => "nam", "male";
        Female => "nữ", "female";
    }
    ResidenceType {
        Permanent => "thường trú", "permanent residence";
        Temporary => "tạm trú", "temporary residence";
    }
    Lifecycle {
        Active => "đang ở", "active";
        MovedAway => "đã chuyển đi", "moved away";
        Merged => "đã gộp vào hộ khác", "merged into another household";
        Dissolved => "không còn", "dissolved";
        ToVerify => "cần xác minh tại nhà", "to verify at the door";
    }
    ConsentAction {
        Given => "đồng ý", "given";
        Withdrawn => "rút lại đồng ý", "withdrawn";
    }
    ConsentMethod {
        SignatureOnScreen => "ký trên màn hình", "signature on screen";
        WitnessedVerbal => "đồng ý bằng lời có người chứng kiến", "witnessed verbal";
        Thumbprint => "điểm chỉ", "thumbprint";
    }
    GpsSource {
        Fix => "định vị GPS", "GPS fix";
        MapPin => "ghim trên bản đồ", "pin on map";
    }
    SmartphoneAccess {
        Own => "máy riêng", "own phone";
        Shared => "dùng chung", "shared phone";
        None => "không có", "none";
    }
}
