//! Coded values as people type them: the stable code (`female`, `chu_ho`, `not_home`), or the
//! label in Vietnamese or English (`nữ`, `Chủ hộ`, `Head of household`), forgiving case,
//! diacritics, spaces, `-` and `_`. The CLI, the dashboard's corrections and any text import
//! read codes the same way.

use super::{
    ChecklistItem, ChecklistStatus, ConsentMethod, Gender, Lifecycle, Relation, ResidenceType,
    SmartphoneAccess, VisitOutcome,
};
use crate::text::fold;

/// Folded for comparison: no diacritics, lower case, `_` and `-` as spaces.
fn folded(s: &str) -> String {
    fold(&s.replace(['_', '-'], " "))
}

/// A coded value with labels in both languages.
pub trait Typed: Sized + Copy + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    fn label_vi(self) -> &'static str;
    fn label_en(self) -> &'static str;

    /// The value typed as its code or either label; `None` when nothing matches.
    fn from_typed(text: &str) -> Option<Self> {
        let typed = folded(text);
        if typed.is_empty() {
            return None;
        }
        Self::all().iter().copied().find(|c| {
            folded(c.code()) == typed
                || folded(c.label_vi()) == typed
                || folded(c.label_en()) == typed
        })
    }
}

macro_rules! typed {
    ($($t:ty),+ $(,)?) => {$(
        impl Typed for $t {
            fn all() -> &'static [Self] { <$t>::ALL }
            fn code(self) -> &'static str { <$t>::code(self) }
            fn label_vi(self) -> &'static str { <$t>::label_vi(self) }
            fn label_en(self) -> &'static str { <$t>::label_en(self) }
        }
    )+};
}

typed!(
    Relation,
    ChecklistItem,
    ChecklistStatus,
    SmartphoneAccess,
    Gender,
    ResidenceType,
    VisitOutcome,
    ConsentMethod,
    Lifecycle,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_in_both_languages() {
        assert_eq!(Gender::from_typed("female"), Some(Gender::Female));
        assert_eq!(Gender::from_typed(" Nữ "), Some(Gender::Female));
        assert_eq!(Gender::from_typed("nu"), Some(Gender::Female));
        assert_eq!(Relation::from_typed("chu-ho"), Some(Relation::Head));
        assert_eq!(
            Relation::from_typed("Head of household"),
            Some(Relation::Head)
        );
        assert_eq!(Relation::from_typed("Con đẻ"), Some(Relation::Child));
        assert_eq!(
            VisitOutcome::from_typed("NOT_HOME"),
            Some(VisitOutcome::NotHome)
        );
        assert_eq!(Gender::from_typed(""), None);
        assert_eq!(Gender::from_typed("x"), None);
    }
}
