//! A sync request or answer cut on the way resumes where it stopped (docs/sync-protocol.md, "A
//! cut request resumes"): through a proxy that cuts every connection after 3 KiB, a device's
//! upload and a new device's download finish within one sync, and the bytes on the wire stay
//! close to those of the same sync on an uncut link (nothing that arrived is sent again).

use std::time::Duration;

use gocua_core::Register;
use gocua_core::sync::{self, HttpTransport, SessionOutcome, SyncOptions, TlsOptions};
use gocua_hub::http::RunningHub;
use gocua_tests::proxy::{Plan, Proxy};
use gocua_tests::*;

const HOUSEHOLDS: usize = 200;
const CUT_AFTER: usize = 3 * 1024;
/// What a cut may cost on top: the resumed request's line and headers and the status question
/// with its answer (about 600 B measured), never the bytes that already arrived.
const PER_CUT: usize = 1024;

/// A device of area `a`, enrolled directly with the hub.
fn device(dir: &std::path::Path, store: &gocua_hub::SqliteStore, url: &str, vol: &str) -> Register {
    let mut reg = register(dir, vol);
    sync::enrol(
        &mut reg,
        url,
        &code(store, vol, "a"),
        &TlsOptions::default(),
    )
    .unwrap();
    reg
}

/// The same households (but their random ids) on any device.
fn register_households(reg: &mut Register) {
    add_households(reg, "thon-dong", 0..HOUSEHOLDS, "Phạm Thị Lan");
}

/// Syncs `reg` through a proxy that does `plan` to every connection; returns the outcome and the
/// bytes the proxy forwarded (up, down) and the connections it accepted.
fn sync_through(
    reg: &mut Register,
    hub: &RunningHub,
    plan: Plan,
) -> (SessionOutcome, (usize, usize), usize) {
    let proxy = Proxy::start(hub.addr, move || plan);
    let transport = HttpTransport::new(
        &proxy.url(),
        &TlsOptions::default(),
        Duration::from_secs(30),
    )
    .unwrap();
    let report = reg
        .sync_with(&transport, &SyncOptions::default())
        .expect("the sync finishes despite the cuts");
    let bytes = proxy.bytes();
    (report.outcome, bytes, proxy.stop())
}

#[test]
fn cut_requests_and_answers_resume_where_they_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = gocua_tests::hub(dir.path());
    let running = RunningHub::start(hub, "127.0.0.1:0", None, false).unwrap();
    let url = running.url();

    // Upload: the same work from two devices, one over a clean link, one over a link that cuts
    // every connection after 3 KiB from the device.
    let mut clean = device(dir.path(), &store, &url, "vol-clean");
    let mut cut = device(dir.path(), &store, &url, "vol-cut");
    register_households(&mut clean);
    register_households(&mut cut);
    let (outcome, (clean_up, _), _) = sync_through(&mut clean, &running, Plan::Pass);
    assert_eq!(outcome, SessionOutcome::Success);
    assert!(
        clean_up > 3 * CUT_AFTER,
        "the upload must span several cuts: {clean_up} B"
    );
    let (outcome, (cut_up, _), connections) =
        sync_through(&mut cut, &running, Plan::DropUp(CUT_AFTER));
    assert_eq!(outcome, SessionOutcome::Success);
    assert_eq!(cut.pending_count().unwrap(), 0);
    eprintln!("upload: clean {clean_up} B, cut {cut_up} B in {connections} connections");
    // Several connections were cut, yet only the requests' headers and the status questions
    // came on top (sending the request again would add the whole of it each time).
    assert!(connections >= 4, "{connections} connections");
    assert!(
        cut_up < clean_up + connections * PER_CUT,
        "cut link {cut_up} B up in {connections} connections vs clean link {clean_up} B"
    );

    // Download: two new devices of the area pull the 400 households, one over a link that cuts
    // every connection after 3 KiB from the hub.
    let mut fresh_clean = device(dir.path(), &store, &url, "vol-new-clean");
    let mut fresh_cut = device(dir.path(), &store, &url, "vol-new-cut");
    let (outcome, (_, clean_down), _) = sync_through(&mut fresh_clean, &running, Plan::Pass);
    assert_eq!(outcome, SessionOutcome::Success);
    assert!(clean_down > 3 * CUT_AFTER, "{clean_down} B");
    let (outcome, (_, cut_down), connections) =
        sync_through(&mut fresh_cut, &running, Plan::DropDown(CUT_AFTER));
    assert_eq!(outcome, SessionOutcome::Success);
    eprintln!("download: clean {clean_down} B, cut {cut_down} B in {connections} connections");
    assert!(connections >= 4, "{connections} connections");
    assert!(
        cut_down < clean_down + connections * PER_CUT,
        "cut link {cut_down} B down in {connections} connections vs clean link {clean_down} B"
    );

    // Everyone holds the same as the hub: every household once, with its member.
    let on_hub = hub_households(&store);
    assert_eq!(on_hub.len(), 2 * HOUSEHOLDS);
    assert!(on_hub.iter().all(|h| h.members.len() == 1));
    assert_eq!(device_households(&fresh_cut), on_hub);
    assert_eq!(device_households(&fresh_clean), on_hub);
    running.stop();
}
