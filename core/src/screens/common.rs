//! Small helpers the screen models share: turning the core's issues and errors into notices,
//! building fields, options and actions.

use super::view::{ActionView, FieldKind, FieldView, Lang, Notice, NoticeLevel, OptionView, tr};
use crate::error::Error;
use crate::validate::{self, Issue};

/// An issue of the core as a notice in `lang`.
pub fn notice_of(issue: &Issue, lang: Lang) -> Notice {
    Notice {
        code: issue.kind.code().to_owned(),
        severity: match issue.severity {
            validate::Severity::Error => NoticeLevel::Error,
            validate::Severity::Warning => NoticeLevel::Warning,
        },
        text: tr(lang, &issue.message_vi, &issue.message_en),
    }
}

pub fn notice(code: &str, severity: NoticeLevel, lang: Lang, vi: &str, en: &str) -> Notice {
    Notice {
        code: code.to_owned(),
        severity,
        text: tr(lang, vi, en),
    }
}

/// The issues of a refused write, or one sentence for any other failure (the core's error
/// messages hold no personal data, but a volunteer needs a sentence, not a code).
pub fn issues_of(error: &Error) -> Option<&[Issue]> {
    match error {
        Error::Validation(report) => Some(&report.issues),
        _ => None,
    }
}

pub fn save_failed(lang: Lang) -> Notice {
    notice(
        "save_failed",
        NoticeLevel::Error,
        lang,
        "Chưa lưu được. Hãy thử lại; nếu vẫn lỗi, báo cho cán bộ xã.",
        "Could not save. Please try again; if it keeps failing, tell the commune staff.",
    )
}

pub struct Field<'a> {
    pub key: &'a str,
    pub label: String,
    pub value: String,
    pub hint: String,
    pub required: bool,
}

impl Field<'_> {
    pub fn view(self, messages: Vec<Notice>) -> FieldView {
        FieldView {
            key: self.key.to_owned(),
            label: self.label,
            value: self.value,
            hint: self.hint,
            required: self.required,
            enabled: true,
            messages,
            paste: false,
            kind: FieldKind::Text,
            options: Vec::new(),
        }
    }
}

impl FieldView {
    /// The field as a picker of `options`.
    pub fn choice(self, options: Vec<OptionView>) -> FieldView {
        FieldView {
            kind: FieldKind::Choice,
            options,
            ..self
        }
    }

    /// The field as a search whose matches so far are `options`.
    pub fn search(self, options: Vec<OptionView>) -> FieldView {
        FieldView {
            kind: FieldKind::Search,
            options,
            ..self
        }
    }
}

pub fn action(id: &str, lang: Lang, vi: &str, en: &str, enabled: bool) -> ActionView {
    ActionView {
        id: id.to_owned(),
        label: tr(lang, vi, en),
        enabled,
    }
}

pub fn option(code: &str, label: &str, selected: bool) -> OptionView {
    OptionView {
        code: code.to_owned(),
        label: label.to_owned(),
        selected,
    }
}
