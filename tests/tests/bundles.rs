//! Sealed bundles (issue 19): phones without coverage send their work as sealed files that a
//! carrier phone or the dashboard brings to the hub, and take the hub's sealed answers back.
//! Deliveries are duplicated, reordered and delayed; tampered, foreign, expired and revoked
//! bundles are refused with nothing applied.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use gocua_core::HouseholdField;
use gocua_core::bundle::BundleError;
use gocua_core::sync::{Received, SessionOutcome, SyncError, SyncOptions, bundle_file_name};
use gocua_hub::hub::{DeliveryError, Via};
use gocua_hub::{Hub, HubConfig};
use gocua_tests::*;

/// The phones of these tests live at a fixed date (`gocua_tests::register`); their hub an hour
/// later and `days` after, so a bundle's lifetime is judged against the phones' dates.
fn hub_near_phones(fx: &Fixture, days: i64) -> Arc<Hub> {
    let at = Utc.timestamp_opt(1_790_000_000 + 3600, 0).unwrap() + Duration::days(days);
    Arc::new(Hub::new(fx.store.clone(), HubConfig::default()).with_clock(move || at))
}

fn refused(e: SyncError) -> BundleError {
    match e {
        SyncError::Bundle(b) => b,
        other => panic!("not a bundle refusal: {other:?}"),
    }
}

fn hub_refused(e: DeliveryError) -> BundleError {
    match e {
        DeliveryError::Refused(b) => b,
        other => panic!("not a bundle refusal: {other:?}"),
    }
}

fn a_hamlet_without_coverage_converges_through_carried_bundles(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "bundles_converge") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), hub_near_phones(&fx, 0));
    let t = hub.in_process();
    let opts = SyncOptions::default();
    let mut lan = enrolled(&fx, &t, dir.path(), "vol-lan", "a");
    let mut minh = enrolled(&fx, &t, dir.path(), "vol-minh", "a");
    let mut hoa = enrolled(&fx, &t, dir.path(), "vol-hoa", "a");
    let mut carrier = enrolled(&fx, &t, dir.path(), "vol-tuan", "a");
    let shared = add_households(&mut lan, "thon-dong", 0..2, "Nguyễn Văn Chung");
    lan.sync_with(&t, &opts).unwrap();
    for phone in [&mut minh, &mut hoa, &mut carrier] {
        phone.sync_with(&t, &opts).unwrap();
    }

    // Offline for weeks: each phone works, and seals what the hub lacks.
    let lan_new = add_households(&mut lan, "thon-dong", 10..13, "Trần Văn Lan");
    let lan_first = lan.bundle_seal().unwrap();
    assert_eq!(lan_first.households, 3);
    lan.set_household_field(&shared[0], HouseholdField::Notes(Some("cổng xanh".into())))
        .unwrap();
    let lan_second = lan.bundle_seal().unwrap();
    assert_eq!(lan_second.households, 4, "everything still unacknowledged");
    assert_eq!(lan.pending_count().unwrap(), 4, "sealing sends nothing");
    let minh_new = add_households(&mut minh, "thon-tay", 20..22, "Lê Thị Minh");
    minh.set_household_field(&shared[0], HouseholdField::Notes(Some("cổng đỏ".into())))
        .unwrap();
    let minh_bundle = minh.bundle_seal().unwrap();
    let hoa_new = add_households(&mut hoa, "thon-tay", 30..31, "Phạm Thị Hoa");
    let hoa_bundle = hoa.bundle_seal().unwrap();

    // The carrier learns nothing: no name, no household id in what it carries.
    for b in [&lan_first, &lan_second, &minh_bundle, &hoa_bundle] {
        let text = String::from_utf8_lossy(&b.bytes);
        assert!(!text.contains("Trần") && !text.contains("Minh") && !text.contains("Hoa"));
        for id in lan_new.iter().chain(&minh_new).chain(&hoa_new) {
            assert!(!text.contains(id.as_str()), "a household id is readable");
        }
    }

    // The carrier reaches coverage: the newer bundle of Lan first, then the older, then the
    // newer again; Minh's comes by the dashboard (a USB stick).
    let answer_lan_second = carrier.bundle_deliver(&t, &lan_second.bytes).unwrap();
    let answer_lan_first = carrier.bundle_deliver(&t, &lan_first.bytes).unwrap();
    assert_eq!(
        refused(carrier.bundle_deliver(&t, &lan_second.bytes).unwrap_err()),
        BundleError::AlreadyApplied
    );
    let minh_delivered = hub
        .receive_bundle(&minh_bundle.bytes, &Via::Dashboard("coord".into()))
        .unwrap();
    assert_eq!((minh_delivered.households, minh_delivered.stored), (3, 3));
    assert_eq!(households_on(store.as_ref()).len(), 2 + 3 + 2);

    // Hoà finds coverage herself before her bundle arrives: the late bundle changes nothing.
    assert_eq!(hoa.sync_with(&t, &opts).unwrap().pushed, 1);
    let hoa_list = hoa.bundle_list().unwrap();
    assert_eq!(hoa_list[0].answered_via.as_deref(), Some("sync"));
    let answer_hoa = carrier.bundle_deliver(&t, &hoa_bundle.bytes).unwrap();
    let before = device_households(&hoa);
    let applied = hoa.bundle_apply(&answer_hoa).unwrap();
    assert_eq!(applied.pulled, 0, "{applied:?}");
    assert_eq!(hoa.pending_count().unwrap(), 0);
    assert_eq!(device_households(&hoa), before);

    // Answers come back in any order, and twice: the second time is refused, nothing changes.
    let first = lan.bundle_apply(&answer_lan_first).unwrap();
    assert_eq!(first.pushed, 3, "{first:?}");
    assert_eq!(
        lan.pending_count().unwrap(),
        1,
        "the edit rides the newer bundle"
    );
    let second = lan.bundle_apply(&answer_lan_second).unwrap();
    assert_eq!(second.pushed, 4, "{second:?}");
    assert_eq!(lan.pending_count().unwrap(), 0);
    assert_eq!(
        refused(lan.bundle_apply(&answer_lan_second).unwrap_err()),
        BundleError::AlreadyApplied
    );
    // An answer is sealed to its phone alone.
    assert_eq!(
        refused(minh.bundle_apply(&answer_lan_first).unwrap_err()),
        BundleError::NotForUs
    );
    let listed = lan.bundle_list().unwrap();
    assert!(
        listed
            .iter()
            .all(|b| b.answered_via.as_deref() == Some("bundle"))
    );
    minh.bundle_apply(&minh_delivered.answer).unwrap();
    assert_eq!(minh.pending_count().unwrap(), 0);

    // Coverage for everyone: all converge, the concurrent notes kept as a conflict, nothing lost.
    for _ in 0..2 {
        for phone in [&mut lan, &mut minh, &mut hoa, &mut carrier] {
            let r = phone.sync_with(&t, &opts).unwrap();
            assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
        }
    }
    let mut on_hub = households_on(store.as_ref());
    on_hub.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(on_hub.len(), 2 + 3 + 2 + 1);
    for phone in [&lan, &minh, &hoa, &carrier] {
        let mut here = device_households(phone);
        here.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(here, on_hub);
    }
    let note = on_hub
        .iter()
        .find(|h| h.id == shared[0])
        .unwrap()
        .notes
        .clone();
    assert!(matches!(note.as_deref(), Some("cổng xanh" | "cổng đỏ")));

    // The hub's report: every delivery, applied or refused, by which path.
    let received = store.bundles_received(COMMUNE, 20).unwrap();
    let applied: Vec<_> = received.iter().filter(|r| r.outcome == "applied").collect();
    assert_eq!(applied.len(), 4);
    assert!(received.iter().any(|r| r.outcome == "already_applied"));
    assert!(applied.iter().any(|r| r.via == "dashboard:coord"));
    assert!(applied.iter().any(|r| r.via.starts_with("carrier:")));
}

fn a_carrier_phone_delivers_at_its_sync_and_hands_the_answers_back(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "bundles_carrier") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), hub_near_phones(&fx, 0));
    let t = hub.in_process();
    let opts = SyncOptions::default();
    let mut lan = enrolled(&fx, &t, dir.path(), "vol-lan", "a");
    let mut minh = enrolled(&fx, &t, dir.path(), "vol-minh", "a");
    let mut carrier = enrolled(&fx, &t, dir.path(), "vol-tuan", "a");
    let mut other_area = enrolled(&fx, &t, dir.path(), "vol-bac", "b");
    add_households(&mut lan, "thon-dong", 0..2, "Nguyễn Văn Lan");
    add_households(&mut minh, "thon-tay", 5..6, "Lê Thị Minh");
    let lan_bundle = lan.bundle_seal().unwrap();
    let minh_bundle = minh.bundle_seal().unwrap();

    // In the hamlet, the bundles are shared to the carrier phone (twice for Lan's).
    assert!(matches!(
        carrier.bundle_receive(&lan_bundle.bytes).unwrap(),
        Received::CarriedToHub { .. }
    ));
    assert_eq!(
        carrier.bundle_receive(&lan_bundle.bytes).unwrap(),
        Received::AlreadyHeld
    );
    carrier.bundle_receive(&minh_bundle.bytes).unwrap();
    // A phone's own bundle given back to it is not carried.
    assert_eq!(
        lan.bundle_receive(&lan_bundle.bytes).unwrap(),
        Received::AlreadyHeld
    );
    // Nothing to carry for itself: its own pending work goes by its own sync.
    assert_eq!(carrier.bundle_carried().unwrap().len(), 2);

    // The carrier reaches coverage: its sync delivers both before its own work.
    let r = carrier.sync_with(&t, &opts).unwrap();
    assert_eq!((r.bundles_delivered, r.bundles_refused), (2, 0), "{r:?}");
    assert_eq!(households_on(store.as_ref()).len(), 3);
    let r = carrier.sync_with(&t, &opts).unwrap();
    assert_eq!(r.bundles_delivered, 0, "delivered once");
    let carried = carrier.bundle_carried().unwrap();
    assert!(
        carried
            .iter()
            .filter(|c| c.to_hub)
            .all(|c| c.outcome.as_deref() == Some("applied"))
    );

    // Back in the hamlet: each phone gets its own answer.
    let lan_id = lan.sync_peer().unwrap().unwrap().device_id;
    let for_lan = carrier.bundle_answers_to_hand(Some(&lan_id)).unwrap();
    assert_eq!(for_lan.len(), 1);
    let everything = carrier.bundle_answers_to_hand(None).unwrap();
    assert_eq!(everything.len(), 2);
    for (id, device, bytes) in everything {
        let phone = if device == lan_id {
            &mut lan
        } else {
            &mut minh
        };
        assert!(matches!(
            phone.bundle_receive(&bytes).unwrap(),
            Received::Applied(_)
        ));
        assert!(carrier.bundle_handed(&id).unwrap());
        assert!(
            bundle_file_name(&bytes)
                .unwrap()
                .starts_with("gocua-answer-")
        );
    }
    assert!(carrier.bundle_answers_to_hand(None).unwrap().is_empty());
    assert_eq!(lan.pending_count().unwrap(), 0);
    assert_eq!(minh.pending_count().unwrap(), 0);
    assert_eq!(
        lan.bundle_list().unwrap()[0].answered_via.as_deref(),
        Some("bundle")
    );

    // A phone of the commune's other area can carry too, but it only learns the header.
    let late = add_households(&mut lan, "thon-dong", 9..10, "Trần Văn Muộn");
    let sealed = lan.bundle_seal().unwrap();
    other_area.bundle_receive(&sealed.bytes).unwrap();
    assert_eq!(
        other_area.sync_with(&t, &opts).unwrap().bundles_delivered,
        1
    );
    assert!(store.load_doc(&late[0].0).unwrap().is_some());
    assert!(
        other_area.household(&late[0]).is_err(),
        "not readable by the carrier"
    );
}

fn the_bundles_screen_says_what_waits_and_what_became_of_each_file(backend: Backend) {
    use gocua_core::screens::Lang;
    use gocua_core::screens::bundles;
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "bundles_screen") else {
        return;
    };
    let t = hub_near_phones(&fx, 0).in_process();
    let unenrolled = register(dir.path(), "vol-moi");
    let v = bundles::bundles_view(&unenrolled, Lang::En).unwrap();
    assert!(!v.seal.enabled && !v.open.enabled, "{v:?}");
    assert!(v.headline.contains("not enrolled"), "{}", v.headline);

    let mut lan = enrolled(&fx, &t, dir.path(), "vol-lan", "a");
    let mut carrier = enrolled(&fx, &t, dir.path(), "vol-tuan", "a");
    add_households(&mut lan, "thon-dong", 0..2, "Nguyễn Văn Lan");
    let v = bundles::bundles_view(&lan, Lang::En).unwrap();
    assert!(v.seal.enabled);
    assert!(
        v.headline.starts_with("2 households wait to be sent"),
        "{}",
        v.headline
    );
    let file = bundles::seal(&mut lan, Lang::Vi).unwrap();
    assert!(file.file_name.starts_with("gocua-to-hub-") && file.file_name.ends_with(".gocua"));
    assert!(
        file.sentence.starts_with("Đã đóng gói 2 hộ"),
        "{}",
        file.sentence
    );
    let v = bundles::bundles_view(&lan, Lang::En).unwrap();
    assert_eq!(v.sealed.len(), 1);
    assert_eq!(v.sealed[0].state, "Awaiting the commune's answer.");
    assert!(
        v.details[0].starts_with("1 bundles await"),
        "{:?}",
        v.details
    );

    // The carrier is given the file, then a file that is not a bundle.
    let opened = bundles::open(&mut carrier, &file.bytes, Lang::En);
    assert!(
        opened.sentence.contains("to carry to the commune"),
        "{}",
        opened.sentence
    );
    let junk = bundles::open(&mut carrier, b"photo.jpg", Lang::Vi);
    assert_eq!(junk.severity, gocua_core::screens::NoticeLevel::Error);
    assert_eq!(junk.sentence, "tệp không phải gói đồng bộ gocua");
    carrier.sync_with(&t, &SyncOptions::default()).unwrap();
    let v = bundles::bundles_view(&carrier, Lang::En).unwrap();
    assert!(
        v.hand_over.enabled && v.hand_over.label.ends_with("(1)"),
        "{v:?}"
    );
    let answers = bundles::answers_to_hand(&carrier, Lang::En).unwrap();
    assert_eq!(answers.len(), 1);
    let back = bundles::open(&mut lan, &answers[0].bytes, Lang::En);
    assert!(
        back.sentence
            .starts_with("The commune's answer is in: 2 households stored"),
        "{}",
        back.sentence
    );
    assert!(bundles::handed(&mut carrier, &answers[0].id).unwrap());
    let v = bundles::bundles_view(&carrier, Lang::En).unwrap();
    assert!(!v.hand_over.enabled);
    assert!(v.carried.iter().all(|c| c.done));
    let v = bundles::bundles_view(&lan, Lang::En).unwrap();
    assert!(
        v.sealed[0].state.starts_with("Answered by the commune"),
        "{:?}",
        v.sealed
    );
    assert_eq!(v.headline, "Nothing is waiting to be sent.");
}

fn a_household_handed_between_two_phones_without_coverage_reaches_the_hub(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "bundles_handover") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), hub_near_phones(&fx, 0));
    let t = hub.in_process();
    let opts = SyncOptions::default();
    let mut lan = enrolled(&fx, &t, dir.path(), "vol-lan", "a");
    let mut minh = enrolled(&fx, &t, dir.path(), "vol-minh", "a");
    let mut bac = enrolled(&fx, &t, dir.path(), "vol-bac", "b");
    // Each phone learns the area's other phones from the hub (a sync asks every few minutes;
    // these phones' clocks stand still, so they ask now: Minh enrolled after Lan).
    for phone in [&mut lan, &mut minh, &mut bac] {
        phone.sync_with(&t, &opts).unwrap();
        phone.bundle_refresh_peers(&t).unwrap();
    }
    let minh_id = minh.sync_peer().unwrap().unwrap().device_id;
    let bac_id = bac.sync_peer().unwrap().unwrap().device_id;
    assert!(
        lan.bundle_peers()
            .unwrap()
            .iter()
            .any(|p| p.device_id == minh_id)
    );
    assert!(
        lan.bundle_peers()
            .unwrap()
            .iter()
            .all(|p| p.device_id != bac_id),
        "only the phones of the same area"
    );

    let view =
        gocua_core::screens::bundles::bundles_view(&lan, gocua_core::screens::Lang::En).unwrap();
    assert_eq!(
        view.phones
            .iter()
            .map(|p| p.code.clone())
            .collect::<Vec<_>>(),
        vec![minh_id.clone()]
    );
    assert!(
        view.phones[0].label.starts_with("vol-minh"),
        "{:?}",
        view.phones
    );

    // Without coverage, Lan registers a household and hands it to Minh.
    let ids = add_households(&mut lan, "thon-tay", 0..1, "Đặng Văn Trao");
    let handed = lan.bundle_hand_over(&ids[0], &minh_id).unwrap();
    assert!(!String::from_utf8_lossy(&handed.bytes).contains("Trao"));
    assert_eq!(
        refused(lan.bundle_hand_over(&ids[0], &bac_id).unwrap_err()),
        BundleError::UnknownPhone
    );
    // Only Minh can take it.
    assert_eq!(
        refused(bac.bundle_receive(&handed.bytes).unwrap_err()),
        BundleError::NotForUs
    );
    let taken = minh.bundle_receive(&handed.bytes).unwrap();
    assert!(matches!(taken, Received::HandedOver { .. }), "{taken:?}");
    let taken_here = minh.household(&ids[0]).unwrap();
    assert_eq!(
        taken_here.head_member().map(|m| m.full_name.as_str()),
        Some("Đặng Văn Trao")
    );
    // Minh visits it; then reaches coverage: Lan's bundle goes first, then Minh's own work.
    minh.set_household_field(&ids[0], HouseholdField::Notes(Some("đã gặp".into())))
        .unwrap();
    let r = minh.sync_with(&t, &opts).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
    assert_eq!(r.bundles_delivered, 1);
    let on_hub = households_on(store.as_ref());
    let h = on_hub.iter().find(|h| h.id == ids[0]).unwrap();
    assert_eq!(h.notes.as_deref(), Some("đã gặp"));
    // Lan gets her answer back through Minh, and then has nothing pending.
    let answers = minh.bundle_answers_to_hand(None).unwrap();
    assert_eq!(answers.len(), 1);
    assert!(matches!(
        lan.bundle_receive(&answers[0].2).unwrap(),
        Received::Applied(_)
    ));
    assert_eq!(lan.pending_count().unwrap(), 0);
    // A tampered handover is refused, nothing taken.
    let mut bad = handed.bytes.clone();
    let n = bad.len();
    bad[n / 2] ^= 1;
    assert!(minh.bundle_receive(&bad).is_err());
}

fn tampered_foreign_expired_and_revoked_bundles_are_refused(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "bundles_refused") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), hub_near_phones(&fx, 0));
    let t = hub.in_process();
    let mut lan = enrolled(&fx, &t, dir.path(), "vol-lan", "a");
    let carrier = enrolled(&fx, &t, dir.path(), "vol-tuan", "a");
    add_households(&mut lan, "thon-dong", 0..2, "Nguyễn Văn Lan");
    let sealed = lan.bundle_seal().unwrap();
    let dashboard = Via::Dashboard("coord".into());

    // Altered anywhere, or cut: refused, nothing stored.
    for i in [3, 20, sealed.bytes.len() / 2, sealed.bytes.len() - 1] {
        let mut bad = sealed.bytes.clone();
        bad[i] ^= 0x40;
        let e = hub_refused(hub.receive_bundle(&bad, &dashboard).unwrap_err());
        assert!(
            matches!(
                e,
                BundleError::Tampered
                    | BundleError::NotABundle
                    | BundleError::UnknownSender
                    | BundleError::NotForUs
            ),
            "{i}: {e:?}"
        );
    }
    let cut = &sealed.bytes[..sealed.bytes.len() - 10];
    assert_eq!(
        hub_refused(hub.receive_bundle(cut, &dashboard).unwrap_err()),
        BundleError::Truncated
    );
    assert_eq!(
        refused(carrier.bundle_deliver(&t, b"not a bundle").unwrap_err()),
        BundleError::NotABundle
    );
    assert!(households_on(store.as_ref()).is_empty());

    // A bundle of a phone enrolled with another hub.
    let other_dir = tempfile::tempdir().unwrap();
    let (_other_store, other_hub) = gocua_tests::hub(other_dir.path());
    let other_t = other_hub.in_process();
    let mut stranger = register(dir.path(), "vol-la");
    let code = code(&_other_store, "vol-la", "a");
    stranger
        .sync_enrol("inproc", &other_t, &code, None)
        .unwrap();
    add_households(&mut stranger, "thon-dong", 50..51, "Đỗ Văn Lạ");
    let foreign = stranger.bundle_seal().unwrap();
    assert_eq!(
        hub_refused(hub.receive_bundle(&foreign.bytes, &dashboard).unwrap_err()),
        BundleError::NotForUs
    );

    // Expired: delivered after its lifetime.
    let late = hub_near_phones(&fx, 91);
    assert_eq!(
        hub_refused(late.receive_bundle(&sealed.bytes, &dashboard).unwrap_err()),
        BundleError::Expired
    );
    assert!(households_on(store.as_ref()).is_empty());

    // Revoked: the commune withdrew the phone; its bundles no longer count.
    let device = lan.sync_peer().unwrap().unwrap().device_id;
    gocua_hub::admin::revoke(store.as_ref(), &device, Utc::now()).unwrap();
    assert_eq!(
        refused(carrier.bundle_deliver(&t, &sealed.bytes).unwrap_err()),
        BundleError::Revoked
    );
    assert!(households_on(store.as_ref()).is_empty());
    let refusals = store.bundles_received(COMMUNE, 20).unwrap();
    assert!(refusals.iter().all(|r| r.outcome != "applied"));
    assert!(refusals.iter().any(|r| r.outcome == "revoked"));
}

fn a_bundle_replayed_after_an_erasure_brings_nothing_back(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "bundles_erasure") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), hub_near_phones(&fx, 0));
    let t = hub.in_process();
    let opts = SyncOptions::default();
    let mut lan = enrolled(&fx, &t, dir.path(), "vol-lan", "a");
    let ids = add_households(&mut lan, "thon-dong", 0..2, "Nguyễn Văn Xoá");
    lan.sync_with(&t, &opts).unwrap();

    // Offline, Lan edits a household; meanwhile the commune erases it at the person's request.
    lan.set_household_field(&ids[0], HouseholdField::Notes(Some("ghi chú".into())))
        .unwrap();
    let sealed = lan.bundle_seal().unwrap();
    hub.erase("coordinator:coord", COMMUNE, &ids[0].0, None)
        .unwrap()
        .unwrap();
    let delivered = hub
        .receive_bundle(&sealed.bytes, &Via::Cli("coord".into()))
        .unwrap();
    assert_eq!(delivered.stored, 0);
    assert!(
        store.load_doc(&ids[0].0).unwrap().is_none(),
        "not brought back"
    );
    let applied = lan.bundle_apply(&delivered.answer).unwrap();
    assert!(applied.erased >= 1, "{applied:?}");
    assert!(lan.household(&ids[0]).is_err(), "dropped on the phone too");
    let r = lan.sync_with(&t, &opts).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
    assert_eq!(households_on(store.as_ref()).len(), 1);
}

fn a_phone_seals_nothing_before_it_has_the_hubs_keys(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "bundles_keys") else {
        return;
    };
    let mut unenrolled = register(dir.path(), "vol-lan");
    assert!(matches!(
        unenrolled.bundle_seal().unwrap_err(),
        SyncError::NotEnrolled
    ));
    let t = hub_near_phones(&fx, 0).in_process();
    let mut lan = enrolled(&fx, &t, dir.path(), "vol-lan2", "a");
    // Enrolment exchanged the keys: sealing works at once, before any sync.
    add_households(&mut lan, "thon-dong", 0..1, "Nguyễn Văn Khoá");
    let sealed = lan.bundle_seal().unwrap();
    assert_eq!(sealed.households, 1);
}

on_both_backends!(
    a_household_handed_between_two_phones_without_coverage_reaches_the_hub,
    the_bundles_screen_says_what_waits_and_what_became_of_each_file,
    a_carrier_phone_delivers_at_its_sync_and_hands_the_answers_back,
    a_hamlet_without_coverage_converges_through_carried_bundles,
    tampered_foreign_expired_and_revoked_bundles_are_refused,
    a_bundle_replayed_after_an_erasure_brings_nothing_back,
    a_phone_seals_nothing_before_it_has_the_hubs_keys,
);
