//! The erasure workflow (docs/SECURITY.md, "Erasure requests"): a device erases at once only what
//! nobody else has (never synced, or written by it alone and seen by no other device); anything
//! else becomes a request that a coordinator approves or refuses, and the device is told which.
//! A device of another area cannot even file one. Both backends.

use gocua_core::model::*;
use gocua_core::screens::Lang;
use gocua_core::screens::corrections::CorrectionsModel;
use gocua_core::sync::wire::{
    EraseRequest, EraseRequestState, PATH_SYNC, PROTOCOL_VERSION, SyncRequest,
    decode_sync_response, encode,
};
use gocua_core::sync::{InProcess, SessionOutcome, SyncOptions, SyncReport};
use gocua_core::{ErasureStep, Register, RequestState};
use gocua_hub::store::EraseDecision;
use gocua_tests::*;

fn sync_ok(reg: &mut Register, t: &InProcess) -> SyncReport {
    let r = reg.sync_with(t, &SyncOptions::default()).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
    r
}

/// The notice codes the corrections screen shows for a household.
fn notices(reg: &Register, id: &HouseholdId) -> Vec<String> {
    CorrectionsModel::new(Lang::En, id.clone())
        .view(reg)
        .notices
        .into_iter()
        .map(|n| n.code)
        .collect()
}

fn states(reg: &Register, id: &HouseholdId) -> Vec<RequestState> {
    reg.erasure_requests(id)
        .unwrap()
        .into_iter()
        .map(|r| r.state)
        .collect()
}

/// Volunteer B asks to erase a household volunteer A registered: only a request; the coordinator
/// refuses it, B is told and may edit again; asked again, it is a new request, approved, and the
/// household leaves every replica.
fn a_colleagues_household_is_only_requested_then_decided(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "erasure_requests_decided") else {
        return;
    };
    let t = fx.hub.in_process();
    let mut a = enrolled(&fx, &t, dir.path(), "vol-a", "a");
    let mut b = enrolled(&fx, &t, dir.path(), "vol-b", "a");
    let hid = add_households(&mut a, "thon-dong", 1..2, "Lương Văn Tâm")[0].clone();
    sync_ok(&mut a, &t);
    sync_ok(&mut b, &t);

    assert_eq!(b.erase_household(&hid).unwrap(), ErasureStep::Requested);
    assert_eq!(states(&b, &hid), [RequestState::Queued]);
    let r = sync_ok(&mut b, &t);
    assert_eq!((r.erasures_filed, r.erased), (1, 0), "{r:?}");
    assert_eq!(states(&b, &hid), [RequestState::Filed]);
    assert!(notices(&b, &hid).contains(&"erasure_filed".to_owned()));
    // Nothing erased on a device's word: the hub, A and B still hold it.
    assert_eq!(households_on(fx.store.as_ref()).len(), 1);
    sync_ok(&mut a, &t);
    assert!(a.household(&hid).is_ok());
    assert!(b.household(&hid).is_ok());
    // B does not edit it while the request is open; A, who did not ask, does.
    let head = a.household(&hid).unwrap().head.unwrap();
    let edit = |reg: &mut Register| {
        reg.set_checklist(
            &hid,
            &head,
            ChecklistItem::VneidInstalled,
            ChecklistStatus::Done,
            None,
            None,
        )
    };
    assert!(edit(&mut b).is_err());
    edit(&mut a).unwrap();
    sync_ok(&mut a, &t);

    let requests = fx.store.erase_requests(COMMUNE, 10).unwrap();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        (
            request.decision,
            request.household.as_str(),
            &request.member
        ),
        (EraseDecision::Pending, hid.as_str(), &None)
    );
    // A coordinator of another commune cannot decide it.
    assert!(
        fx.hub
            .decide_erasure("coord", "99999", request.request_id, false)
            .is_err()
    );
    let refused = fx
        .hub
        .decide_erasure("coord", COMMUNE, request.request_id, false)
        .unwrap();
    assert_eq!(refused.decision, EraseDecision::Refused);
    assert_eq!(refused.decided_by.as_deref(), Some("coordinator:coord"));

    let r = sync_ok(&mut b, &t);
    assert_eq!(r.erasures_refused, 1, "{r:?}");
    assert_eq!(states(&b, &hid), [RequestState::Refused]);
    assert!(notices(&b, &hid).contains(&"erasure_refused".to_owned()));
    assert_eq!(b.pending_erasures().unwrap(), 0);
    edit(&mut b).unwrap();
    // The refusal is told once; the household stays on the hub.
    let r = sync_ok(&mut b, &t);
    assert_eq!((r.erasures_refused, r.erasures_filed), (0, 0), "{r:?}");
    assert_eq!(households_on(fx.store.as_ref()).len(), 1);

    // Asked again: a new request, approved this time.
    assert_eq!(b.erase_household(&hid).unwrap(), ErasureStep::Requested);
    let r = sync_ok(&mut b, &t);
    assert_eq!(r.erasures_filed, 1, "{r:?}");
    let request = fx.store.erase_requests(COMMUNE, 10).unwrap()[0].clone();
    assert_eq!(request.decision, EraseDecision::Pending);
    let approved = fx
        .hub
        .decide_erasure("coord", COMMUNE, request.request_id, true)
        .unwrap();
    assert_eq!(approved.decision, EraseDecision::Approved);
    assert!(households_on(fx.store.as_ref()).is_empty());
    for reg in [&mut a, &mut b] {
        let r = sync_ok(reg, &t);
        assert_eq!(r.erased, 1, "{r:?}");
        assert!(reg.is_erased(&hid).unwrap());
        assert_eq!(reg.pending_erasures().unwrap(), 0);
    }
    assert!(states(&b, &hid).is_empty());

    let log = fx.store.audit_entries(100).unwrap();
    let device_b = format!("device:{}", b.identity().device.as_str());
    let count = |action: &str| log.iter().filter(|e| e.action == action).count();
    assert_eq!(count("erase.requested"), 2);
    assert!(
        log.iter()
            .filter(|e| e.action == "erase.requested")
            .all(|e| e.actor == device_b && e.target == hid.as_str())
    );
    assert_eq!(count("erase.refused"), 1);
    assert_eq!(count("erase.approved"), 1);
    assert_eq!(count("erase.household"), 1);
    assert_eq!(count("erase.refused_other_commune"), 1);
}

/// What never left the phone is erased there at once; what only this device wrote and no other
/// device has seen is erased by the hub on its request; once another device has it, it waits for
/// a coordinator.
fn a_device_erases_at_once_only_what_nobody_else_has(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "erasure_requests_own") else {
        return;
    };
    let t = fx.hub.in_process();
    let mut a = enrolled(&fx, &t, dir.path(), "vol-a", "a");
    let mut b = enrolled(&fx, &t, dir.path(), "vol-b", "a");
    let ids = add_households(&mut a, "thon-dong", 1..4, "Lương Văn Tâm");

    // Never synced: gone here now; the request only confirms the hub has nothing.
    assert_eq!(a.erase_household(&ids[0]).unwrap(), ErasureStep::Erased);
    assert!(a.household(&ids[0]).is_err());
    let r = sync_ok(&mut a, &t);
    assert_eq!((r.erasures_filed, r.pushed), (0, 2), "{r:?}");
    assert_eq!(a.pending_erasures().unwrap(), 0);
    assert_eq!(households_on(fx.store.as_ref()).len(), 2);

    // On the hub, written by A alone, no other device has it: the hub erases on A's request.
    assert_eq!(a.erase_household(&ids[1]).unwrap(), ErasureStep::Requested);
    let r = sync_ok(&mut a, &t);
    assert_eq!((r.erasures_filed, r.erased), (0, 1), "{r:?}");
    assert!(a.is_erased(&ids[1]).unwrap());
    assert_eq!(households_on(fx.store.as_ref()).len(), 1);

    // Once B has it, A's request waits for a coordinator.
    sync_ok(&mut b, &t);
    assert_eq!(a.erase_household(&ids[2]).unwrap(), ErasureStep::Requested);
    let r = sync_ok(&mut a, &t);
    assert_eq!((r.erasures_filed, r.erased), (1, 0), "{r:?}");
    assert!(a.household(&ids[2]).is_ok());
    assert_eq!(households_on(fx.store.as_ref()).len(), 1);
    let pending: Vec<_> = fx
        .store
        .erase_requests(COMMUNE, 10)
        .unwrap()
        .into_iter()
        .filter(|r| r.decision == EraseDecision::Pending)
        .map(|r| r.household)
        .collect();
    assert_eq!(pending, [ids[2].as_str()]);
}

/// A request crafted for a household of another area (a device of area b, a household of area a)
/// is refused and audited; nothing is filed.
fn a_request_outside_the_area_is_refused(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "erasure_requests_outside") else {
        return;
    };
    let t = fx.hub.in_process();
    let mut a = enrolled(&fx, &t, dir.path(), "vol-a", "a");
    let _b = enrolled(&fx, &t, dir.path(), "vol-b", "b");
    let hid = add_households(&mut a, "thon-dong", 1..2, "Lương Văn Tâm")[0].clone();
    sync_ok(&mut a, &t);
    let token_b: String = rusqlite::Connection::open(dir.path().join("vol-b.db"))
        .unwrap()
        .query_row("SELECT token FROM sync_peer", [], |r| r.get(0))
        .unwrap();
    let body = encode(&SyncRequest {
        protocol: PROTOCOL_VERSION,
        erase: vec![EraseRequest {
            id: hid.as_str().to_owned(),
            member: None,
        }],
        ..Default::default()
    });
    let resp = fx.hub.handle(PATH_SYNC, Some(&token_b), &body);
    assert_eq!(resp.status, 200);
    let answer = decode_sync_response(&resp.body).unwrap();
    let answers = answer.erase_answers.unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].state, EraseRequestState::Refused);
    assert!(fx.store.erase_requests(COMMUNE, 10).unwrap().is_empty());
    assert_eq!(households_on(fx.store.as_ref()).len(), 1);
    assert!(
        fx.store
            .audit_entries(50)
            .unwrap()
            .iter()
            .any(|e| e.action == "erase.refused_outside_area" && e.target == hid.as_str())
    );
}

on_both_backends!(
    a_colleagues_household_is_only_requested_then_decided,
    a_device_erases_at_once_only_what_nobody_else_has,
    a_request_outside_the_area_is_refused,
);
