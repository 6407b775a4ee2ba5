//! The core's small rules that a shell needs outside a screen model (a list row, a progress
//! bar, a scanned link): exported so that no shell writes them again.

use gocua_core::screens::{area, mask, position_text, sync_status};

use super::view::lang_of;
use crate::types::Language;

/// An ID number as a list shows it (the core's one mask rule).
#[uniffi::export]
pub fn mask_id_number(value: Option<String>) -> String {
    value
        .as_deref()
        .map(mask::mask_id_number)
        .unwrap_or_default()
}

/// A phone as a list shows it (the core's one mask rule).
#[uniffi::export]
pub fn mask_phone(value: Option<String>) -> String {
    value.as_deref().map(mask::mask_phone).unwrap_or_default()
}

/// Whether a household list row's follow-up date is due on `today` (both `YYYY-MM-DD`).
#[uniffi::export]
pub fn follow_up_is_due(follow_up_on: Option<String>, today: String) -> bool {
    let Ok(today) = chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d") else {
        return false;
    };
    follow_up_on
        .as_deref()
        .is_some_and(|d| area::listed_follow_up_due(d, today))
}

/// A position as the registration shows it: coordinates and accuracy, or pinned by hand.
#[uniffi::export]
pub fn position_text(lat: f64, lon: f64, accuracy_m: f64, pinned: bool, lang: Language) -> String {
    position_text::position_text(lat, lon, accuracy_m, pinned, lang_of(lang))
}

/// A fix's accuracy in whole metres, in words.
#[uniffi::export]
pub fn accuracy_text(metres: f64, lang: Language) -> String {
    position_text::accuracy_text(metres, lang_of(lang))
}

/// Coordinates to five decimals.
#[uniffi::export]
pub fn coordinates_text(lat: f64, lon: f64) -> String {
    position_text::coordinates_text(lat, lon)
}

/// A record's id as a list shows it (its first 8 characters).
#[uniffi::export]
pub fn short_id(id: String) -> String {
    position_text::short_id(&id)
}

/// How far a sync's phase is, 0 to 100.
#[uniffi::export]
pub fn progress_percent(done: u64, total: u64) -> u8 {
    sync_status::progress_percent(done, total)
}
