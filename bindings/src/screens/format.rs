//! The core's small rules that a shell needs outside a screen model (a list row, a progress
//! bar, a scanned link): exported so that no shell writes them again.

use gocua_core::screens::{area, mask, sync_status};

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

/// How far a sync's phase is, 0 to 100.
#[uniffi::export]
pub fn progress_percent(done: u64, total: u64) -> u8 {
    sync_status::progress_percent(done, total)
}
