//! A phone whose clock is wrong (a drained battery, weeks without network time) is told so at
//! its sync, the coordinator sees it on the sync report, and the dates it recorded ahead of the
//! hub's clock are flagged for review. A hub of before the clock check still syncs (its answer
//! lacks the time, and the device measures nothing). Both backends.

use chrono::{Duration, TimeZone, Utc};
use gocua_core::sync::{SessionOutcome, SyncOptions};
use gocua_core::{FixedClock, Register};
use gocua_tests::*;

fn a_phone_three_hours_ahead_is_told_and_its_dates_flagged(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "clock_skew") else {
        return;
    };
    let t = fx.hub.in_process();
    // The hub's clock is the machine's; the phone runs three hours ahead of it.
    let ahead = Utc::now() + Duration::hours(3);
    let mut fast: Register =
        enrolled(&fx, &t, dir.path(), "vol-fast", "a").with_clock(FixedClock(ahead));
    let mut right =
        enrolled(&fx, &t, dir.path(), "vol-right", "a").with_clock(FixedClock(Utc::now()));
    let late = add_households(&mut fast, "thon-dong", 1..2, "Mạc Văn Tùng")[0].clone();
    add_households(&mut right, "thon-dong", 2..3, "Lê Thị Hoa");

    let r = fast.sync_with(&t, &SyncOptions::default()).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
    let skew = r.clock_skew_secs.expect("measured");
    assert!((3 * 3600 - 120..=3 * 3600 + 120).contains(&skew), "{skew}");
    assert_eq!(
        fast.sync_status().unwrap().unwrap().clock_skew_secs,
        Some(skew)
    );
    let notes = gocua_core::screens::sync_status::report_notes(&r, gocua_core::screens::Lang::En);
    assert!(
        notes.iter().any(|n| n.contains("3 hours ahead")),
        "{notes:?}"
    );

    let r = right.sync_with(&t, &SyncOptions::default()).unwrap();
    assert!(r.clock_skew_secs.unwrap().abs() < 120);
    assert!(
        gocua_core::screens::sync_status::report_notes(&r, gocua_core::screens::Lang::En)
            .is_empty()
    );

    let d = fx.store.dashboard().unwrap();
    let devices = d
        .devices(COMMUNE, Utc.timestamp_opt(0, 0).unwrap())
        .unwrap();
    let fast_row = devices
        .iter()
        .find(|x| x.volunteer_id == "vol-fast")
        .unwrap();
    assert_eq!(fast_row.clock_skew_secs, Some(skew));
    assert!(
        gocua_hub::dashboard::sync_report::clock_note(
            fast_row.clock_skew_secs,
            gocua_hub::dashboard::i18n::Lang::Vi
        )
        .starts_with("Đồng hồ nhanh 3 giờ")
    );
    // Its registration is dated in the hub's future: flagged; the other phone's is not.
    let flagged: Vec<String> = d
        .warnings(COMMUNE, 100)
        .unwrap()
        .into_iter()
        .filter(|w| w.code == "recorded_in_future")
        .map(|w| w.doc_id)
        .collect();
    assert!(
        !flagged.is_empty() && flagged.iter().all(|id| id == late.as_str()),
        "{flagged:?}"
    );
}

on_both_backends!(a_phone_three_hours_ahead_is_told_and_its_dates_flagged);
