//! A commune's hamlets changed during a campaign (issue 17): merged, renamed, retired, and a
//! device moved to another area, while phones hold work they have not sent.

use chrono::Utc;
use gocua_core::HouseholdField;
use gocua_core::sync::{SessionOutcome, SyncOptions};
use gocua_hub::{coordinator_admin, hamlet_admin};
use gocua_tests::*;

fn hamlets_of(phone: &gocua_core::Register) -> Vec<String> {
    phone
        .hamlets(COMMUNE)
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect()
}

fn a_merge_moves_every_household_and_loses_nothing_unsent(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "hamlet_merge") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let transport = hub.in_process();
    let mut lan = enrolled(&fx, &transport, dir.path(), "vol-lan", "a");
    let mut minh = enrolled(&fx, &transport, dir.path(), "vol-minh", "a");
    let east = add_households(&mut lan, "thon-dong", 0..1, "Nguyễn Văn Đông");
    let west = add_households(&mut lan, "thon-tay", 1..3, "Trần Văn Tây");
    let opts = SyncOptions::default();
    assert_eq!(lan.sync_with(&transport, &opts).unwrap().pushed, 3);
    minh.sync_with(&transport, &opts).unwrap();

    // Offline, Lan registers one more household of Thôn Tây and edits one already sent.
    let unsent = add_households(&mut lan, "thon-tay", 3..4, "Lê Thị Tây");
    lan.set_household_field(&west[0], HouseholdField::Notes(Some("cổng xanh".into())))
        .unwrap();

    // The commune merges Thôn Tây into Thôn Đông.
    let report = hamlet_admin::merge_hamlet(
        store.as_ref(),
        "coord",
        COMMUNE,
        "thon-tay",
        "thon-dong",
        Utc::now(),
    )
    .unwrap();
    assert_eq!((report.moved, report.left), (2, 0));
    let area = store.area("a").unwrap().unwrap();
    assert_eq!(
        area.hamlets
            .iter()
            .map(|h| h.id.as_str())
            .collect::<Vec<_>>(),
        ["thon-dong"]
    );
    let dash = store.dashboard().unwrap();
    assert!(
        dash.hamlet_names(COMMUNE)
            .unwrap()
            .iter()
            .all(|(id, _)| id != "thon-tay"),
        "a retired hamlet leaves the lists"
    );

    // Lan's phone moves its own households of Thôn Tây too, and sends what it had not.
    let first = lan.sync_with(&transport, &opts).unwrap();
    assert_eq!(first.left_area, 0, "nothing dropped: {first:?}");
    let second = lan.sync_with(&transport, &opts).unwrap();
    assert_eq!(second.outcome, SessionOutcome::Success, "{second:?}");
    assert_eq!(lan.pending_count().unwrap(), 0);
    assert_eq!(hamlets_of(&lan), ["thon-dong"]);
    minh.sync_with(&transport, &opts).unwrap();

    let on_hub = households_on(store.as_ref());
    assert_eq!(on_hub.len(), 4);
    assert!(on_hub.iter().all(|h| h.area.hamlet_id == "thon-dong"));
    let edited = on_hub.iter().find(|h| h.id == west[0]).unwrap();
    assert_eq!(edited.notes.as_deref(), Some("cổng xanh"));
    assert!(on_hub.iter().any(|h| h.id == unsent[0]));
    for id in store.doc_ids().unwrap().into_iter().map(|(id, _, _)| id) {
        let mut doc =
            gocua_core::HouseholdDoc::load(&store.load_doc(&id).unwrap().unwrap().bytes).unwrap();
        assert!(
            doc.conflicts().unwrap().is_empty(),
            "the same hamlet set on the hub and on the phone is no conflict"
        );
    }
    for phone in [&lan, &minh] {
        let mut held = phone.household_ids().unwrap();
        held.sort();
        let mut all: Vec<_> = east.iter().chain(&west).chain(&unsent).cloned().collect();
        all.sort();
        assert_eq!(held, all);
        for id in &held {
            assert_eq!(phone.household(id).unwrap().area.hamlet_id, "thon-dong");
        }
    }
}

fn hamlets_are_renamed_added_and_retired_by_their_rules(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "hamlet_rules") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let s = store.as_ref();
    let transport = hub.in_process();
    let mut lan = enrolled(&fx, &transport, dir.path(), "vol-lan", "a");
    add_households(&mut lan, "thon-tay", 0..1, "Trần Văn Tây");
    lan.sync_with(&transport, &SyncOptions::default()).unwrap();

    // A rename keeps the id, so the household keeps its hamlet; the phone reads the new name.
    let renamed = hamlet_admin::rename_hamlet(s, COMMUNE, "thon-tay", "Thôn Tây Sơn").unwrap();
    assert_eq!(renamed.id, "thon-tay");
    lan.sync_with(&transport, &SyncOptions::default()).unwrap();
    let names: Vec<_> = lan
        .hamlets(COMMUNE)
        .unwrap()
        .into_iter()
        .map(|h| h.name)
        .collect();
    assert!(names.contains(&"Thôn Tây Sơn".to_owned()), "{names:?}");
    assert_eq!(lan.household_ids().unwrap().len(), 1);

    // Names are unique in the commune, accents aside.
    let taken = hamlet_admin::add_hamlet(s, COMMUNE, "b", "Thon Dong").unwrap_err();
    assert!(
        taken.to_string().contains("already has a hamlet"),
        "{taken}"
    );
    assert!(hamlet_admin::add_hamlet(s, COMMUNE, "b", "  ").is_err());
    assert!(
        hamlet_admin::add_hamlet(s, "06994", "b", "Thôn Mới").is_err(),
        "other commune"
    );
    let new = hamlet_admin::add_hamlet(s, COMMUNE, "b", "Thôn Mới").unwrap();
    assert_eq!(new.id, "thon-moi");

    // A hamlet with households is merged, not retired; an empty one retires, and comes back.
    let refused = hamlet_admin::retire_hamlet(s, COMMUNE, "thon-tay", Utc::now()).unwrap_err();
    assert!(refused.to_string().contains("merge it"), "{refused}");
    hamlet_admin::retire_hamlet(s, COMMUNE, "thon-moi", Utc::now()).unwrap();
    let b = store.area("b").unwrap().unwrap();
    assert!(b.hamlets.iter().all(|h| h.id != "thon-moi"));
    hamlet_admin::add_hamlet(s, COMMUNE, "a", "Thôn Mới").unwrap();
    assert!(
        store
            .dashboard()
            .unwrap()
            .hamlet_names(COMMUNE)
            .unwrap()
            .iter()
            .any(|(id, _)| id == "thon-moi")
    );

    // Moving a hamlet to another area takes its households along to that area's phones.
    let mut binh = enrolled(&fx, &transport, dir.path(), "vol-binh", "b");
    binh.sync_with(&transport, &SyncOptions::default()).unwrap();
    assert_eq!(binh.household_ids().unwrap().len(), 0);
    hamlet_admin::move_hamlet(s, COMMUNE, "thon-tay", "b").unwrap();
    binh.sync_with(&transport, &SyncOptions::default()).unwrap();
    assert_eq!(binh.household_ids().unwrap().len(), 1);
    let gone = lan.sync_with(&transport, &SyncOptions::default()).unwrap();
    assert_eq!((gone.left_area, lan.household_ids().unwrap().len()), (1, 0));
}

fn a_device_moves_to_another_area(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "device_move") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let transport = hub.in_process();
    let mut lan = enrolled(&fx, &transport, dir.path(), "vol-lan", "a");
    let mut binh = enrolled(&fx, &transport, dir.path(), "vol-binh", "b");
    add_households(&mut binh, "thon-bac", 0..2, "Phạm Văn Bắc");
    binh.sync_with(&transport, &SyncOptions::default()).unwrap();
    add_households(&mut lan, "thon-dong", 2..3, "Nguyễn Văn Đông");
    lan.sync_with(&transport, &SyncOptions::default()).unwrap();

    let device = lan.sync_peer().unwrap().unwrap().device_id;
    let wrong = hamlet_admin::move_device(store.as_ref(), COMMUNE, &device, "nowhere");
    assert!(wrong.is_err());
    assert!(hamlet_admin::move_device(store.as_ref(), "06994", &device, "b").is_err());
    hamlet_admin::move_device(store.as_ref(), COMMUNE, &device, "b").unwrap();
    let moved = lan.sync_with(&transport, &SyncOptions::default()).unwrap();
    assert_eq!(moved.left_area, 1);
    assert_eq!(hamlets_of(&lan), ["thon-bac"]);
    assert_eq!(lan.household_ids().unwrap().len(), 2);
}

fn coordinators_are_invited_reset_and_removed(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "coordinators") else {
        return;
    };
    let s = fx.store.as_ref();
    let now = Utc::now();
    let role = gocua_hub::store::Role::Viewer;
    let temp = coordinator_admin::invite(s, COMMUNE, "cb-hoa", "Lê Thị Hoa", role, now).unwrap();
    assert_eq!(temp.len(), 12);
    let dash = s.dashboard().unwrap();
    let login = dash.coordinator_login("cb-hoa").unwrap().unwrap();
    assert!(gocua_hub::dashboard::auth::verify_password(
        &temp,
        login.password_hash.as_deref().unwrap()
    ));
    assert_eq!(login.role, role);
    assert!(coordinator_admin::invite(s, COMMUNE, "cb-hoa", "Hoa", role, now).is_err());

    // Hoa changes her password; a reset gives a new temporary one.
    assert!(coordinator_admin::change_own_password(s, "cb-hoa", "wrong", "mat-khau-moi").is_err());
    assert!(coordinator_admin::change_own_password(s, "cb-hoa", &temp, "short").is_err());
    coordinator_admin::change_own_password(s, "cb-hoa", &temp, "mat-khau-moi").unwrap();
    let again = coordinator_admin::reset_password(s, COMMUNE, "coord", "cb-hoa").unwrap();
    assert_ne!(again, temp);
    assert!(coordinator_admin::reset_password(s, COMMUNE, "coord", "coord").is_err());

    // The last editor stays; another commune's coordinator is not this commune's to remove.
    let last = coordinator_admin::remove(s, COMMUNE, "cb-hoa", "coord").unwrap_err();
    assert!(last.to_string().contains("at least one editor"), "{last}");
    gocua_hub::admin::add_coordinator(s, "cb-khac", "Khác", "06994", now).unwrap();
    assert!(coordinator_admin::remove(s, COMMUNE, "coord", "cb-khac").is_err());
    coordinator_admin::remove(s, COMMUNE, "coord", "cb-hoa").unwrap();
    assert!(dash.coordinator_login("cb-hoa").unwrap().is_none());
    let left: Vec<_> = s
        .coordinators(COMMUNE)
        .unwrap()
        .into_iter()
        .map(|c| c.coordinator_id)
        .collect();
    assert_eq!(left, ["coord"]);
}

fn a_paused_device_keeps_its_data_and_syncs_once_resumed(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "device_pause") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let transport = hub.in_process();
    let mut lan = enrolled(&fx, &transport, dir.path(), "vol-lan", "a");
    add_households(&mut lan, "thon-dong", 0..1, "Nguyễn Văn Đông");
    lan.sync_with(&transport, &SyncOptions::default()).unwrap();
    let device = lan.sync_peer().unwrap().unwrap().device_id;
    let s = store.as_ref();
    assert!(hamlet_admin::pause_device(s, "06994", &device, true, Utc::now()).is_err());
    hamlet_admin::pause_device(s, COMMUNE, &device, true, Utc::now()).unwrap();
    add_households(&mut lan, "thon-dong", 1..2, "Trần Văn Tạm");
    let refused = lan
        .sync_with(&transport, &SyncOptions::default())
        .unwrap_err();
    assert!(
        matches!(refused, gocua_core::sync::SyncError::Paused),
        "{refused:?}"
    );
    assert_eq!(lan.household_ids().unwrap().len(), 2, "nothing erased");
    assert_eq!(lan.pending_count().unwrap(), 1, "the new one waits");
    let dash = s.dashboard().unwrap();
    let row = dash.devices(COMMUNE, Utc::now()).unwrap();
    let row = row.iter().find(|d| d.device_id == device).unwrap();
    assert!(row.paused && !row.revoked);
    assert!(!gocua_hub::dashboard::sync_report::is_stale(
        row,
        Utc::now() + chrono::Duration::days(9),
        24
    ));
    hamlet_admin::pause_device(s, COMMUNE, &device, false, Utc::now()).unwrap();
    let ok = lan.sync_with(&transport, &SyncOptions::default()).unwrap();
    assert_eq!((ok.outcome, ok.pushed), (SessionOutcome::Success, 1));
}

on_both_backends!(
    a_paused_device_keeps_its_data_and_syncs_once_resumed,
    a_merge_moves_every_household_and_loses_nothing_unsent,
    hamlets_are_renamed_added_and_retired_by_their_rules,
    a_device_moves_to_another_area,
    coordinators_are_invited_reset_and_removed,
);
