//! A pushed document is decoded and validated once, by the hub (`Hub::check_push`); its query
//! rows are projected from the household the hub read (`gocua_hub::projection::project`), and no
//! store decodes it again (`projection::from_bytes`, which only rebuilds read, is not called).
//! A household pulled by several phones is decoded once for all of them, and a new one pushed
//! as one change not at all (`hub/pull_cache.rs`).
//! Its own test binary: the projection's counter is per process.

use gocua_core::HouseholdField;
use gocua_core::sync::SyncOptions;
use gocua_tests::*;

fn one_decode_per_pushed_document(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "one_decode_per_pushed_document") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let mut reg = register(dir.path(), "vol-x");
    let transport = hub.in_process();
    reg.sync_enrol(
        "inproc",
        &transport,
        &code_on(store.as_ref(), "vol-x", "a"),
        None,
    )
    .unwrap();
    add_households(&mut reg, "thon-dong", 0..20, "Phạm Thị Lan");
    let (hub_before, stores_before) = (hub.documents_decoded(), gocua_hub::projection::decoded());
    reg.sync_with(&transport, &SyncOptions::default()).unwrap();
    assert_eq!(store.doc_count().unwrap(), 20);
    assert_eq!(
        hub.documents_decoded() - hub_before,
        20,
        "one decode per document"
    );
    assert_eq!(
        gocua_hub::projection::decoded(),
        stores_before,
        "no store decodes a pushed document"
    );
    // The rows the hub projected are the dashboard's.
    let (_, total) = store
        .dashboard()
        .unwrap()
        .households(COMMUNE, "", 100, 0)
        .unwrap();
    assert_eq!(total, 20);
}

fn a_household_pulled_by_several_phones_is_decoded_once(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "pulled_decoded_once") else {
        return;
    };
    let hub = fx.hub.clone();
    let transport = hub.in_process();
    let phone = |name: &str| enrolled(&fx, &transport, dir.path(), name, "a");
    let (mut lan, mut binh, mut chi) = (phone("vol-lan"), phone("vol-binh"), phone("vol-chi"));
    let ids = add_households(&mut lan, "thon-dong", 0..10, "Phạm Thị Lan");
    let sync = |reg: &mut gocua_core::Register| {
        let before = hub.pulls_decoded();
        reg.sync_with(&transport, &SyncOptions::default()).unwrap();
        hub.pulls_decoded() - before
    };
    assert_eq!(sync(&mut lan), 0, "a push alone decodes nothing to pull");

    // New households pushed as one change each are kept as pushed: no phone pulling them costs
    // a decode.
    assert_eq!(sync(&mut binh), 0);
    assert_eq!(sync(&mut chi), 0);
    assert_eq!(device_households(&binh), device_households(&lan));
    assert_eq!(device_households(&chi), device_households(&lan));

    // An edit: the phones that had the household get only what changed, decoded once.
    lan.set_household_field(&ids[3], HouseholdField::Notes(Some("cổng xanh".into())))
        .unwrap();
    sync(&mut lan);
    assert_eq!(sync(&mut binh), 1);
    assert_eq!(sync(&mut chi), 0);
    for reg in [&binh, &chi] {
        let notes = reg.household(&ids[3]).unwrap().notes;
        assert_eq!(
            notes.as_deref(),
            Some("cổng xanh"),
            "never the household as it was"
        );
    }

    // A new phone pulls every household whole: the nine unchanged ones are still as kept, the
    // edited one is decoded again at its new heads.
    let mut dung = phone("vol-dung");
    assert_eq!(sync(&mut dung), 1);
    assert_eq!(device_households(&dung), device_households(&lan));
}

on_both_backends!(
    one_decode_per_pushed_document,
    a_household_pulled_by_several_phones_is_decoded_once
);
