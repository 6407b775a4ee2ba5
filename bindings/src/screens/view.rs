//! The pieces every screen's view state is made of, exported as the core defines them, and the
//! ids the screens name households and members by (strings on the Kotlin and Swift side).

use gocua_core::model::{HouseholdId, MemberId};
use gocua_core::screens::{
    ActionView, FieldKind, FieldView, Lang, Notice, NoticeLevel, OptionView,
};

use crate::types::Language;

uniffi::custom_type!(HouseholdId, String, {
    remote,
    lower: |id| id.0,
    try_lift: |s| Ok(HouseholdId(s)),
});

uniffi::custom_type!(MemberId, String, {
    remote,
    lower: |id| id.0,
    try_lift: |s| Ok(MemberId(s)),
});

#[uniffi::remote(Enum)]
pub enum NoticeLevel {
    Info,
    Warning,
    Error,
}

#[uniffi::remote(Record)]
pub struct Notice {
    pub code: String,
    pub severity: NoticeLevel,
    pub text: String,
}

#[uniffi::remote(Record)]
pub struct FieldView {
    pub key: String,
    pub label: String,
    pub value: String,
    pub hint: String,
    pub required: bool,
    pub enabled: bool,
    pub messages: Vec<Notice>,
    pub paste: bool,
    pub kind: FieldKind,
    pub options: Vec<OptionView>,
}

#[uniffi::remote(Enum)]
pub enum FieldKind {
    Text,
    Choice,
    Search,
}

#[uniffi::remote(Record)]
pub struct OptionView {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

#[uniffi::remote(Record)]
pub struct ActionView {
    pub id: String,
    pub label: String,
    pub enabled: bool,
}

/// The screens' language from the bindings' one.
pub(crate) fn lang_of(lang: Language) -> Lang {
    match lang {
        Language::Vi => Lang::Vi,
        Language::En => Lang::En,
    }
}
