//! The language a volunteer reads: every message and label is chosen once, here, from a
//! Vietnamese and an English text, so that no command mixes the two.

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Lang {
    /// Tiếng Việt
    #[default]
    Vi,
    /// English
    En,
}

impl Lang {
    /// The same language for the core's screen models.
    pub fn screens(self) -> gocua_core::screens::Lang {
        gocua_core::screens::Lang::from_code(self.pick("vi", "en"))
    }

    /// The text in this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// A message in both languages, rendered late because errors are built before anyone knows
/// whether they will be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub vi: String,
    pub en: String,
}

impl Msg {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.vi, &self.en)
    }
}
