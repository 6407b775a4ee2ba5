//! Labels of coded values in the chosen language: the core's labels, plus the few that only this
//! client shows (search match kinds, severities).

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
    UnitKind,
    Gender,
    ResidenceType,
    Lifecycle,
    ConsentAction,
    ConsentMethod,
    GpsSource,
    SmartphoneAccess
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
