//! A pushed document is decoded and validated once, by the hub (`Hub::check_push`); its query
//! rows are projected from the household the hub read (`gocua_hub::projection::project`), and no
//! store decodes it again (`projection::from_bytes`, which only rebuilds read, is not called).
//! Its own test binary: the projection's counter is per process.

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

on_both_backends!(one_decode_per_pushed_document);
