//! Minimal data on phones (issue 16, docs/SECURITY.md): a device keeps only the households of
//! its area as the hub holds it now, and a revoked device keeps nothing and says so to the hub.

use gocua_core::sync::{SessionOutcome, SyncError, SyncOptions};
use gocua_hub::admin;
use gocua_tests::*;

fn area_narrowed_then_widened_again(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "area_narrowed_then_widened") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let transport = hub.in_process();
    let mut phone = enrolled(&fx, &transport, dir.path(), "vol-a", "a");
    let east = add_households(&mut phone, "thon-dong", 0..2, "Nguyễn Văn Đông");
    let west = add_households(&mut phone, "thon-tay", 2..5, "Trần Văn Tây");
    let ok = phone
        .sync_with(&transport, &SyncOptions::default())
        .unwrap();
    assert_eq!((ok.outcome, ok.pushed), (SessionOutcome::Success, 5));

    // The coordinator gives Thôn Tây to another team; the phone edits a west household offline
    // meanwhile. The hub refuses that change now, but the phone keeps it: a write the volunteer
    // was told succeeded is never dropped unseen.
    admin::create_area(store.as_ref(), "a", "Đông", COMMUNE, &["Thôn Đông".into()]).unwrap();
    phone
        .set_household_field(
            &west[0],
            gocua_core::HouseholdField::Notes(Some("ghi chú".into())),
        )
        .unwrap();
    let narrowed = phone
        .sync_with(&transport, &SyncOptions::default())
        .unwrap();
    assert_eq!(narrowed.left_area, 2, "{narrowed:?}");
    assert_eq!(narrowed.outcome, SessionOutcome::Partial, "{narrowed:?}");
    let refused: Vec<_> = narrowed
        .rejected
        .iter()
        .map(|r| (r.doc_id.as_str(), r.code.as_str()))
        .collect();
    assert_eq!(refused, [(west[0].0.as_str(), "outside_area")]);
    let mut held = phone.household_ids().unwrap();
    held.sort();
    let mut want = east.clone();
    want.push(west[0].clone());
    want.sort();
    assert_eq!(held, want, "the area's households and the unsent edit stay");
    assert!(phone.household(&west[1]).is_err());
    assert_eq!(
        phone.search("Tây", 10).unwrap().len(),
        1,
        "only the kept household is searchable"
    );
    let hamlets: Vec<_> = phone
        .hamlets(COMMUNE)
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(hamlets, ["thon-dong"]);
    assert_eq!(phone.pending_count().unwrap(), 1);
    assert_eq!(
        households_on(store.as_ref()).len(),
        5,
        "the hub keeps them all"
    );

    // Thôn Tây comes back: the next sync brings its households back.
    admin::create_area(
        store.as_ref(),
        "a",
        "Đông Tây",
        COMMUNE,
        &["Thôn Đông".into(), "Thôn Tây".into()],
    )
    .unwrap();
    let widened = phone
        .sync_with(&transport, &SyncOptions::default())
        .unwrap();
    assert_eq!(widened.outcome, SessionOutcome::Success);
    assert_eq!(phone.household_ids().unwrap().len(), 5);
    assert_eq!(
        phone.household(&west[1]).unwrap().members.len(),
        1,
        "the whole household came back"
    );
    assert_eq!(phone.pending_count().unwrap(), 0, "the kept edit was sent");
    let on_hub = households_on(store.as_ref());
    let sent = on_hub.iter().find(|h| h.id == west[0]).unwrap();
    assert_eq!(sent.notes.as_deref(), Some("ghi chú"));
}

fn a_revoked_device_wipes_itself_and_reports_it(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "revoked_device_wipes") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let transport = hub.in_process();
    let mut phone = enrolled(&fx, &transport, dir.path(), "vol-a", "a");
    add_households(&mut phone, "thon-dong", 0..3, "Nguyễn Văn Mất");
    phone
        .sync_with(&transport, &SyncOptions::default())
        .unwrap();
    let device = phone.identity().device.0.clone();
    let status = |store: &dyn gocua_hub::HubStore| {
        store
            .dashboard()
            .unwrap()
            .devices(COMMUNE, chrono::Utc::now())
            .unwrap()
            .into_iter()
            .find(|d| d.device_id == device)
            .unwrap()
    };
    assert_eq!(status(store.as_ref()).wiped_at, None);

    // The phone is lost: the coordinator revokes it; at its next contact it wipes itself.
    admin::revoke(store.as_ref(), &device, chrono::Utc::now()).unwrap();
    let err = phone
        .sync_with(&transport, &SyncOptions::default())
        .unwrap_err();
    assert!(matches!(err, SyncError::Revoked), "{err:?}");
    assert!(phone.household_ids().unwrap().is_empty());
    assert!(phone.search("Mất", 10).unwrap().is_empty());
    assert!(phone.sync_peer().unwrap().is_none(), "no token, no hub");
    assert!(phone.hamlets(COMMUNE).unwrap().is_empty());
    assert!(
        matches!(
            phone.sync_with(&transport, &SyncOptions::default()),
            Err(SyncError::NotEnrolled)
        ),
        "it cannot sync again without a new pairing"
    );

    // The coordinator sees that it did, once, in the devices list and the audit log.
    let row = status(store.as_ref());
    assert!(row.revoked && row.wiped_at.is_some(), "{row:?}");
    let audit = store.audit_entries(50).unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "device.wiped" && e.actor == format!("device:{device}")),
        "{audit:?}"
    );
    assert_eq!(households_on(store.as_ref()).len(), 3, "the hub keeps them");
}

on_both_backends!(
    area_narrowed_then_widened_again,
    a_revoked_device_wipes_itself_and_reports_it,
);
