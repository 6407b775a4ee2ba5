//! The building blocks of every screen's view state: plain data a shell draws as it is.

use serde::Serialize;

/// The language every sentence of a view state is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The text in this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// `vi` or `en` (anything else is Vietnamese, the product's language).
    pub fn from_code(code: &str) -> Lang {
        if code.trim().eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }
}

/// The lines a row shows under its title: the parts that say something, in order (an empty
/// masked phone, say, is no line at all).
pub(crate) fn shown_lines(parts: &[&str]) -> Vec<String> {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| (*p).to_owned())
        .collect()
}

/// Parts shown on one line, in order, the empty ones left out: the core's separator, so both
/// shells show the same line.
pub(crate) fn one_line<S: AsRef<str>>(parts: &[S]) -> String {
    parts
        .iter()
        .map(AsRef::as_ref)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Picks the sentence of `lang`.
pub fn tr(lang: Lang, vi: &str, en: &str) -> String {
    lang.pick(vi, en).to_owned()
}

/// How much a message matters: an error blocks the action, a warning must be accepted
/// explicitly, information only informs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NoticeLevel {
    Info,
    Warning,
    Error,
}

/// A sentence to show, with its weight and a stable code the shell may use for an icon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub code: String,
    pub severity: NoticeLevel,
    pub text: String,
}

/// One input field: what it is called, what it holds, what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldView {
    /// Stable key the shell sends back with its events.
    pub key: String,
    pub label: String,
    pub value: String,
    /// A hint shown under an empty field (an example of the expected form).
    pub hint: String,
    pub required: bool,
    pub enabled: bool,
    pub messages: Vec<Notice>,
    /// The shell offers to paste the clipboard into it (a code copied from a message).
    pub paste: bool,
    /// How the volunteer fills it: typed, picked from `options`, or typed to find `options`.
    pub kind: FieldKind,
    /// The field's own choices: all of them for a picker, the matches so far for a search.
    pub options: Vec<OptionView>,
}

/// How a field is filled; the shell draws each kind one way on every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FieldKind {
    /// Text typed into it.
    Text,
    /// One of its options, picked; the pick goes back as the field's value (its code).
    Choice,
    /// Text typed into it to find its options; a found option is then picked.
    Search,
}

/// One choice of a picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OptionView {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

/// A button: the shell sends its `id` back as an event when it is enabled and pressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionView {
    pub id: String,
    pub label: String,
    pub enabled: bool,
}
