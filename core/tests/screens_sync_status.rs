//! The sync status screen model (issue 14): sentences for success, refusals and a network failure.

mod common;

use common::*;
use gocua_core::screens::sync_status::{SyncStatusEvent as Ev, SyncStatusModel};
use gocua_core::screens::{Lang, NoticeLevel};
use gocua_core::sync::{Rejected, SessionOutcome, SyncError, SyncReport};

fn report(outcome: SessionOutcome, rejected: Vec<Rejected>) -> SyncReport {
    SyncReport {
        outcome,
        session: Some(1),
        round_trips: 2,
        bytes_up: 100,
        bytes_down: 50,
        pushed: 3,
        pulled: 1,
        rejected,
        pending_after: 0,
        erased: 0,
        left_area: 0,
        erasures_filed: 0,
        erasures_refused: 0,
        clock_skew_secs: Some(40),
        refilled: 0,
        bundles_delivered: 0,
        bundles_refused: 0,
    }
}

#[test]
fn success_partial_and_network_failure_read_as_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    reg.create_household(household_input("thon-dong")).unwrap();
    let mut m = SyncStatusModel::new(Lang::En);

    let v = m.handle(&reg, Ev::Started).unwrap();
    assert!(v.running && !v.sync.enabled);
    assert_eq!(v.pending, 1);
    assert_eq!(
        v.pending_line,
        "1 household is waiting to be sent to the commune hub."
    );

    let v = m
        .handle(
            &reg,
            Ev::Progress {
                phase: gocua_core::sync::Phase::Sending,
                done: 3,
                total: 10,
            },
        )
        .unwrap();
    assert_eq!(v.headline, "Sending 3 of 10 households…");
    assert!(v.running);

    let v = m
        .handle(&reg, Ev::Finished(&report(SessionOutcome::Success, vec![])))
        .unwrap();
    assert_eq!(v.headline, "Sync complete.");
    assert_eq!(v.severity, NoticeLevel::Info);
    assert_eq!(v.details[0], "Sent 3 households, received 1 changed.");
    assert!(v.sync.enabled);
    // The household made before is still pending here (the report is made up): try again.
    assert!(v.retry_later);

    let refused = vec![
        Rejected {
            doc_id: "h1".into(),
            code: "outside_area".into(),
            message_vi: "x".into(),
            message_en: "y".into(),
        },
        Rejected {
            doc_id: "h2".into(),
            code: "invalid".into(),
            message_vi: "trường phone không hợp lệ".into(),
            message_en: "field phone is invalid".into(),
        },
    ];
    let v = m
        .handle(
            &reg,
            Ev::Finished(&report(SessionOutcome::Partial, refused.clone())),
        )
        .unwrap();
    assert_eq!(
        v.headline,
        "Sync finished, but the commune hub refused 2 households."
    );
    assert_eq!(v.severity, NoticeLevel::Warning);
    assert_eq!(
        v.refused[0].reason,
        "This household is not in this phone's area."
    );
    assert_eq!(v.refused[1].reason, "field phone is invalid");
    assert!(!v.retry_later, "refused households wait for a person");

    let mut vi = SyncStatusModel::new(Lang::Vi);
    let v = vi
        .handle(
            &reg,
            Ev::Finished(&report(SessionOutcome::Partial, refused)),
        )
        .unwrap();
    assert_eq!(v.headline, "Đồng bộ xong, nhưng máy chủ xã từ chối 2 hộ.");
    assert_eq!(v.refused[1].reason, "trường phone không hợp lệ");

    let err = SyncError::Network("connection refused".into());
    let v = m.handle(&reg, Ev::Failed(&err)).unwrap();
    assert_eq!(
        v.headline,
        "Cannot reach the commune hub. Try again with signal or Wi-Fi."
    );
    assert_eq!(v.severity, NoticeLevel::Error);
    assert!(!v.headline.contains("refused"), "no raw error text");
    assert!(v.retry_later, "the network may come back");
    for (error, retry) in [
        (SyncError::Revoked, false),
        (SyncError::NotEnrolled, false),
        (SyncError::HubChanged, false),
        (SyncError::ProtocolVersion, false),
        (SyncError::CertificateMismatch, false),
        (SyncError::Interrupted("cut".into()), true),
        (SyncError::Hub("busy".into()), true),
    ] {
        let v = m.handle(&reg, Ev::Failed(&error)).unwrap();
        assert_eq!(v.retry_later, retry, "{error:?}");
    }
}

#[test]
fn a_progress_bar_reads_its_percent_from_the_core() {
    use gocua_core::screens::sync_status::progress_percent;
    assert_eq!(progress_percent(3, 0), 0, "total unknown");
    assert_eq!(progress_percent(2, 4), 50);
    assert_eq!(progress_percent(9, 4), 100, "never past the end");
}

#[test]
fn a_clock_minutes_off_is_told_and_a_few_seconds_are_not() {
    use gocua_core::screens::sync_status::{clock_skew_sentence, report_notes};
    let mut r = report(SessionOutcome::Success, Vec::new());
    assert!(
        report_notes(&r, Lang::En).is_empty(),
        "40 s is normal drift"
    );
    // A phone left at 2035 after a drained battery.
    r.clock_skew_secs = Some(8 * 365 * 86_400 + 3 * 86_400);
    let notes = report_notes(&r, Lang::Vi);
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].starts_with("Đồng hồ điện thoại đang nhanh 2923 ngày"),
        "{notes:?}"
    );
    assert_eq!(
        clock_skew_sentence(-(2 * 3600 + 5 * 60), Lang::En).unwrap(),
        "This phone's clock is 2 hours 5 minutes behind the commune hub. Set the phone's date and time (automatic) so that dates are recorded right."
    );
    assert!(clock_skew_sentence(300, Lang::En).is_none());
}
