//! Devices and a real hub: convergence under random offline edits, honest completion through
//! interruptions, access control, and per-document rejection.

use std::collections::BTreeMap;

use gocua_core::model::*;
use gocua_core::sync::wire::*;
use gocua_core::sync::{self, SessionOutcome, SyncError, SyncOptions, TlsOptions};
use gocua_core::{HouseholdField, Register};
use gocua_hub::http::RunningHub;
use gocua_tests::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn sync_ok(reg: &mut Register) -> sync::SyncReport {
    let r = sync::sync(reg, &SyncOptions::default()).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
    r
}

fn by_id(hs: Vec<Household>) -> BTreeMap<HouseholdId, Household> {
    hs.into_iter().map(|h| (h.id.clone(), h)).collect()
}

/// One random offline edit on a device of area `a`.
fn random_edit(reg: &mut Register, rng: &mut StdRng, n: &mut usize) {
    let ids = reg.household_ids().unwrap();
    let choice = if ids.is_empty() {
        0
    } else {
        rng.random_range(0..4)
    };
    *n += 1;
    match choice {
        0 => {
            let hamlet = if rng.random_bool(0.5) {
                "thon-dong"
            } else {
                "thon-tay"
            };
            let id = reg.create_household(household(hamlet, *n)).unwrap().value;
            let names = [
                "Nguyễn Thị Lan",
                "Trần Văn Bình",
                "Lê Thị Mai",
                "Phạm Văn Hải",
                "Hoàng Thu Hà",
            ];
            reg.add_member_with_consent(
                &id,
                member(names[*n % names.len()], Relation::Head),
                &gocua_core::consent_rule::ConsentGiven::every_purpose(),
            )
            .unwrap();
        }
        1 => {
            let id = &ids[rng.random_range(0..ids.len())];
            reg.add_member_with_consent(
                id,
                member("Trần Văn Con", Relation::Child),
                &gocua_core::consent_rule::ConsentGiven::every_purpose(),
            )
            .unwrap();
        }
        2 => {
            let id = &ids[rng.random_range(0..ids.len())];
            let h = reg.household(id).unwrap();
            if let Some(m) = h.current_members().next() {
                let status = [
                    ChecklistStatus::InProgress,
                    ChecklistStatus::Done,
                    ChecklistStatus::Referred,
                ][rng.random_range(0..3)];
                reg.set_checklist(
                    id,
                    &m.id.clone(),
                    ChecklistItem::VneidInstalled,
                    status,
                    None,
                    None,
                )
                .unwrap();
            }
        }
        _ => {
            let id = &ids[rng.random_range(0..ids.len())];
            reg.set_household_field(id, HouseholdField::Notes(Some(format!("ghi chú {}", *n))))
                .unwrap();
        }
    }
}

fn five_devices_with_random_offline_edits_converge_with_the_hub(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(
        backend,
        dir.path(),
        "five_devices_with_random_offline_edits_converge_with_the_hub",
    ) else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let running = RunningHub::start(hub, "127.0.0.1:0", None, false).unwrap();
    let url = running.url();

    // Four devices share area a; the fifth works in area b.
    let mut devices: Vec<Register> = Vec::new();
    for (i, area) in ["a", "a", "a", "a", "b"].iter().enumerate() {
        let vol = format!("vol-{i}");
        let mut reg = register(dir.path(), &vol);
        sync::enrol(
            &mut reg,
            &url,
            &code_on(store.as_ref(), &vol, area),
            &TlsOptions::default(),
        )
        .unwrap();
        devices.push(reg);
    }
    let mut rng = StdRng::seed_from_u64(20261123);
    let mut n = 0;
    for _round in 0..6 {
        for (i, reg) in devices.iter_mut().enumerate() {
            if i == 4 {
                if rng.random_bool(0.5) {
                    n += 1;
                    let id = reg
                        .create_household(household("thon-bac", n))
                        .unwrap()
                        .value;
                    reg.add_member_with_consent(
                        &id,
                        member("Lê Thị Bắc", Relation::Head),
                        &gocua_core::consent_rule::ConsentGiven::every_purpose(),
                    )
                    .unwrap();
                }
                continue;
            }
            for _ in 0..rng.random_range(0..5) {
                random_edit(reg, &mut rng, &mut n);
            }
        }
        // Some devices sync, in a random order.
        let mut order: Vec<usize> = (0..devices.len())
            .filter(|_| rng.random_bool(0.6))
            .collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.random_range(0..=i));
        }
        for i in order {
            sync_ok(&mut devices[i]);
        }
    }
    // Everyone syncs twice: the first sends the last edits, the second brings the others'.
    for _ in 0..2 {
        for reg in devices.iter_mut() {
            sync_ok(reg);
        }
    }

    let hub_all = by_id(households_on(store.as_ref()));
    let in_area = |h: &Household, hamlets: &[&str]| hamlets.contains(&h.area.hamlet_id.as_str());
    for (i, reg) in devices.iter().enumerate() {
        let hamlets: &[&str] = if i == 4 {
            &["thon-bac"]
        } else {
            &["thon-dong", "thon-tay"]
        };
        let expected: BTreeMap<_, _> = hub_all
            .iter()
            .filter(|(_, h)| in_area(h, hamlets))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let got = by_id(device_households(reg));
        assert_eq!(
            got.len(),
            expected.len(),
            "device {i} holds {} households, hub has {} in its area",
            got.len(),
            expected.len()
        );
        assert_eq!(got, expected, "device {i} differs from the hub");
        assert_eq!(reg.pending_count().unwrap(), 0);
    }
    // No household duplicated: as many documents as households created, ids unique by construction.
    let created = devices
        .iter()
        .take(4)
        .map(|r| r.household_ids().unwrap().len())
        .max()
        .unwrap()
        + devices[4].household_ids().unwrap().len();
    assert_eq!(hub_all.len(), created);

    // A sync with no change: one round trip, almost nothing on the wire (the two clocks, the
    // device's and the hub's, are 6 bytes each way of it).
    let r = sync_ok(&mut devices[0]);
    assert_eq!(r.round_trips, 1);
    assert!(
        r.bytes_up + r.bytes_down < 128,
        "no-change sync moved {} + {} bytes",
        r.bytes_up,
        r.bytes_down
    );
    running.stop();
}

fn interrupted_syncs_lose_and_duplicate_nothing(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(
        backend,
        dir.path(),
        "interrupted_syncs_lose_and_duplicate_nothing",
    ) else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let mut reg = register(dir.path(), "vol-x");
    let mut other = register(dir.path(), "vol-y");
    let transport = hub.in_process();
    reg.sync_enrol(
        "inproc",
        &transport,
        &code_on(store.as_ref(), "vol-x", "a"),
        None,
    )
    .unwrap();
    other
        .sync_enrol(
            "inproc",
            &transport,
            &code_on(store.as_ref(), "vol-y", "a"),
            None,
        )
        .unwrap();
    let mut n = 0;
    for (path, nth, fault) in [
        (PATH_SYNC, 0, Fault::BeforeHub),
        (PATH_SYNC, 0, Fault::AfterHub),
        (PATH_FINISH, 0, Fault::BeforeHub),
        (PATH_FINISH, 0, Fault::AfterHub),
    ] {
        // New work on both devices, so the interrupted sync both sends and receives.
        for r in [&mut reg, &mut other] {
            n += 1;
            let id = r.create_household(household("thon-dong", n)).unwrap().value;
            r.add_member_with_consent(
                &id,
                member("Phạm Thị Lan", Relation::Head),
                &gocua_core::consent_rule::ConsentGiven::every_purpose(),
            )
            .unwrap();
        }
        other
            .sync_with(&transport, &SyncOptions::default())
            .unwrap();
        let faulty = Faulty {
            inner: transport.clone(),
            path,
            nth,
            fault,
            seen: Default::default(),
        };
        let err = reg.sync_with(&faulty, &SyncOptions::default()).unwrap_err();
        assert!(matches!(err, SyncError::Network(_)), "{err:?}");
        assert!(reg.sync_status().unwrap().unwrap().last_error.is_some());
        // The next clean sync finishes the work.
        let report = reg.sync_with(&transport, &SyncOptions::default()).unwrap();
        assert_eq!(report.outcome, SessionOutcome::Success);
        other
            .sync_with(&transport, &SyncOptions::default())
            .unwrap();
        let hub_all = by_id(households_on(store.as_ref()));
        assert_eq!(hub_all.len(), n, "after {path} {fault:?}");
        assert_eq!(
            by_id(device_households(&reg)),
            hub_all,
            "after {path} {fault:?}"
        );
        assert_eq!(
            by_id(device_households(&other)),
            hub_all,
            "after {path} {fault:?}"
        );
        assert_eq!(reg.pending_count().unwrap(), 0);
        for h in hub_all.values() {
            assert_eq!(
                h.current_members().count(),
                1,
                "a member duplicated after {path} {fault:?}"
            );
        }
    }
    // Interrupted sessions show as such in the hub's records.
    let sessions = store.sessions(100).unwrap();
    assert!(sessions.iter().any(|s| s.outcome.is_none()));
}

/// Makes the hub's store fail *inside* `commit_push`, after the documents of the batch were
/// written in its transaction: a trigger on the hub's database aborts the write of the `nth`
/// (1-based, counting committed ones) "known to the device" row. The transaction rolls back, as
/// after a crash or a full disk mid-write. Returns a handle that disarms it.
enum FaultHandle {
    Sqlite(rusqlite::Connection),
    Postgres(::postgres::Client),
}

fn fail_inside_commit_push(fx: &Fixture, nth: u32) -> FaultHandle {
    match fx.backend {
        Backend::Sqlite => {
            let conn = rusqlite::Connection::open(&fx.location).unwrap();
            conn.busy_timeout(std::time::Duration::from_secs(30))
                .unwrap();
            let committed: u32 = conn
                .query_row("SELECT COUNT(*) FROM device_docs", [], |r| r.get(0))
                .unwrap();
            conn.execute_batch(&format!(
                "CREATE TABLE test_fault (writes INTEGER NOT NULL, fail_at INTEGER NOT NULL);
                 INSERT INTO test_fault VALUES ({committed}, {});
                 CREATE TRIGGER test_fault AFTER INSERT ON device_docs BEGIN
                     UPDATE test_fault SET writes = writes + 1;
                     SELECT RAISE(ABORT, 'injected failure inside commit_push')
                         WHERE (SELECT writes >= fail_at FROM test_fault);
                 END;",
                committed + nth
            ))
            .unwrap();
            FaultHandle::Sqlite(conn)
        }
        Backend::Postgres => {
            let mut c = ::postgres::Client::connect(&fx.location, ::postgres::NoTls).unwrap();
            let committed: i64 = c
                .query_one("SELECT COUNT(*) FROM device_docs", &[])
                .unwrap()
                .get(0);
            c.batch_execute(&format!(
                "CREATE TABLE test_fault (writes BIGINT NOT NULL, fail_at BIGINT NOT NULL);
                 INSERT INTO test_fault VALUES ({committed}, {});
                 CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                     UPDATE test_fault SET writes = writes + 1;
                     IF (SELECT writes >= fail_at FROM test_fault) THEN
                         RAISE EXCEPTION 'injected failure inside commit_push';
                     END IF;
                     RETURN NEW;
                 END $$;
                 CREATE TRIGGER test_fault AFTER INSERT OR UPDATE ON device_docs
                     FOR EACH ROW EXECUTE FUNCTION test_fault();",
                committed + i64::from(nth)
            ))
            .unwrap();
            FaultHandle::Postgres(c)
        }
    }
}

fn disarm(fault: FaultHandle) {
    match fault {
        FaultHandle::Sqlite(conn) => conn
            .execute_batch("DROP TRIGGER test_fault; DROP TABLE test_fault;")
            .unwrap(),
        FaultHandle::Postgres(mut c) => c
            .batch_execute(
                "DROP TRIGGER test_fault ON device_docs; DROP FUNCTION test_fault(); DROP TABLE test_fault;",
            )
            .unwrap(),
    }
}

fn a_failure_inside_the_hubs_write_loses_and_duplicates_nothing(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(
        backend,
        dir.path(),
        "a_failure_inside_the_hubs_write_loses_and_duplicates_nothing",
    ) else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let transport = hub.in_process();
    let mut reg = register(dir.path(), "vol-w1");
    let mut other = register(dir.path(), "vol-w2");
    reg.sync_enrol(
        "inproc",
        &transport,
        &code_on(store.as_ref(), "vol-w1", "a"),
        None,
    )
    .unwrap();
    other
        .sync_enrol(
            "inproc",
            &transport,
            &code_on(store.as_ref(), "vol-w2", "a"),
            None,
        )
        .unwrap();
    // Something on the hub for `reg` to receive in the interrupted sync.
    let theirs = other
        .create_household(household("thon-tay", 100))
        .unwrap()
        .value;
    other
        .sync_with(&transport, &SyncOptions::default())
        .unwrap();
    let shared = reg
        .create_household(household("thon-dong", 0))
        .unwrap()
        .value;
    reg.sync_with(&transport, &SyncOptions::default()).unwrap();

    let mut n = 0;
    // (documents per request, which document write fails): one batch failing as a whole, and
    // the third of six one-document requests, after two were durably stored.
    for (batch_bytes, fail_at) in [(usize::MAX, 3), (1, 3)] {
        let mut new_ids = Vec::new();
        for _ in 0..6 {
            n += 1;
            let id = reg
                .create_household(household("thon-dong", n))
                .unwrap()
                .value;
            reg.add_member_with_consent(
                &id,
                member("Lê Thị Mai", Relation::Head),
                &gocua_core::consent_rule::ConsentGiven::every_purpose(),
            )
            .unwrap();
            new_ids.push(id);
        }
        // An edit of a household the hub already has: only its new change travels.
        reg.set_household_field(&shared, HouseholdField::Notes(Some(format!("lần {n}"))))
            .unwrap();
        other
            .set_household_field(&theirs, HouseholdField::Notes(Some(format!("bên kia {n}"))))
            .unwrap();
        other
            .sync_with(&transport, &SyncOptions::default())
            .unwrap();

        let docs_before = store.doc_count().unwrap();
        let fault = fail_inside_commit_push(&fx, fail_at);
        let options = SyncOptions {
            batch_bytes,
            ..SyncOptions::default()
        };
        let err = reg.sync_with(&transport, &options).unwrap_err();
        assert!(matches!(err, SyncError::Hub(_)), "{err:?}");
        disarm(fault);

        // Honest: what the hub answered `Stored` is stored, the rest is still pending, and the
        // device does not claim success.
        let stored_now = store.doc_count().unwrap() - docs_before;
        let status = reg.sync_status().unwrap().unwrap();
        assert!(status.last_error.is_some());
        if batch_bytes == usize::MAX {
            assert_eq!(
                stored_now, 0,
                "the failed transaction left documents behind"
            );
            assert_eq!(status.pending, 7);
        } else {
            // The two requests before the failure are stored. One of them may have been the
            // edit of the household the hub already had (the order follows random ids), which
            // adds no document to the hub.
            assert_eq!(status.pending, 5);
            let shared_went = !reg.summary(&shared).unwrap().pending_sync;
            assert_eq!(
                stored_now,
                2 - u64::from(shared_went),
                "the two requests before the failure are stored"
            );
        }

        // The next clean sync finishes the work.
        let r = reg.sync_with(&transport, &SyncOptions::default()).unwrap();
        assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
        assert_eq!(reg.pending_count().unwrap(), 0);
        other
            .sync_with(&transport, &SyncOptions::default())
            .unwrap();
        let hub_all = by_id(households_on(store.as_ref()));
        assert_eq!(hub_all.len(), n + 2, "batch {batch_bytes}");
        assert_eq!(by_id(device_households(&reg)), hub_all);
        assert_eq!(by_id(device_households(&other)), hub_all);
        for id in &new_ids {
            assert_eq!(
                hub_all[id].current_members().count(),
                1,
                "a member lost or duplicated"
            );
        }
        assert_eq!(
            hub_all[&shared].notes.as_deref(),
            Some(format!("lần {n}").as_str())
        );
        assert_eq!(
            hub_all[&theirs].notes.as_deref(),
            Some(format!("bên kia {n}").as_str())
        );
        // No document twice in the hub's store.
        let ids = store.doc_ids().unwrap();
        let unique: std::collections::BTreeSet<_> = ids.iter().map(|(id, _, _)| id).collect();
        assert_eq!(unique.len(), ids.len());
    }
}

fn hub_restart_between_syncs_loses_nothing(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(
        backend,
        dir.path(),
        "hub_restart_between_syncs_loses_nothing",
    ) else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let running = RunningHub::start(hub, "127.0.0.1:0", None, false).unwrap();
    let mut reg = register(dir.path(), "vol-r");
    sync::enrol(
        &mut reg,
        &running.url(),
        &code_on(store.as_ref(), "vol-r", "a"),
        &TlsOptions::default(),
    )
    .unwrap();
    let id = reg
        .create_household(household("thon-tay", 1))
        .unwrap()
        .value;
    sync_ok(&mut reg);
    let addr = running.addr;
    running.stop();
    drop(store);
    // Same storage (data directory or database), same address.
    let store = fx.open_again();
    let hub = std::sync::Arc::new(gocua_hub::Hub::new(store.clone(), Default::default()));
    let running = RunningHub::start(hub, &addr.to_string(), None, false).unwrap();
    reg.set_household_field(
        &id,
        HouseholdField::Notes(Some("sau khi khởi động lại".into())),
    )
    .unwrap();
    sync_ok(&mut reg);
    assert_eq!(
        by_id(households_on(store.as_ref())),
        by_id(device_households(&reg))
    );
    running.stop();
}

fn revoked_and_other_area_devices_are_refused(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(
        backend,
        dir.path(),
        "revoked_and_other_area_devices_are_refused",
    ) else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let transport = hub.in_process();
    let mut a = register(dir.path(), "vol-a");
    let mut b = register(dir.path(), "vol-b");
    a.sync_enrol(
        "inproc",
        &transport,
        &code_on(store.as_ref(), "vol-a", "a"),
        None,
    )
    .unwrap();
    b.sync_enrol(
        "inproc",
        &transport,
        &code_on(store.as_ref(), "vol-b", "b"),
        None,
    )
    .unwrap();
    let ha = a.create_household(household("thon-dong", 1)).unwrap().value;
    a.sync_with(&transport, &SyncOptions::default()).unwrap();

    // Area b never receives area a's household.
    b.sync_with(&transport, &SyncOptions::default()).unwrap();
    assert!(b.household_ids().unwrap().is_empty());

    // A household of area a handed to device b (by a file, say) is refused when b pushes it,
    // and b still gets nothing of area a back.
    let doc = a.export_document(&ha).unwrap();
    let mut b_same_commune = b;
    b_same_commune.add_hamlet(COMMUNE, "Thôn Đông").unwrap();
    b_same_commune.merge_document(&doc).unwrap();
    b_same_commune
        .set_household_field(&ha, HouseholdField::Notes(Some("đoán mã".into())))
        .unwrap();
    let r = b_same_commune
        .sync_with(&transport, &SyncOptions::default())
        .unwrap();
    assert_eq!(r.outcome, SessionOutcome::Partial);
    assert_eq!(r.rejected.len(), 1);
    assert_eq!(r.rejected[0].code, "outside_area");
    assert_eq!(r.pending_after, 1, "a rejected document stays pending");
    // The coordinator's sync report knows which document was refused and why (it showed only
    // "partial, refused 1" with an empty last error).
    let refusals = store
        .dashboard()
        .unwrap()
        .refusals_of(COMMUNE, Some(b_same_commune.identity().device.as_str()), 10)
        .unwrap();
    assert_eq!(
        refusals
            .iter()
            .map(|r| (r.doc_id.as_str(), r.code.as_str()))
            .collect::<Vec<_>>(),
        [(ha.as_str(), "outside_area")]
    );
    assert!(
        gocua_hub::dashboard::i18n::refusal_reason(
            gocua_hub::dashboard::i18n::Lang::Vi,
            "outside_area"
        )
        .contains("không thuộc địa bàn")
    );
    let on_hub = by_id(households_on(store.as_ref()));
    assert_eq!(
        on_hub[&ha].notes, None,
        "the refused change did not reach the hub"
    );

    // A pairing code works once, and only for its volunteer.
    let c = code_on(store.as_ref(), "vol-c", "a");
    let mut wrong = register(dir.path(), "vol-d");
    assert!(matches!(
        wrong.sync_enrol("inproc", &transport, &c, None),
        Err(SyncError::Mismatch(_))
    ));
    let mut right = register(dir.path(), "vol-c");
    right.sync_enrol("inproc", &transport, &c, None).unwrap();
    let mut again = register(dir.path(), "vol-c2");
    assert!(matches!(
        again.sync_enrol("inproc", &transport, &c, None),
        Err(SyncError::PairingInvalid | SyncError::Mismatch(_))
    ));

    // Revocation is refused at once, with a clear error.
    let device = a.identity().device.0.clone();
    gocua_hub::admin::revoke(store.as_ref(), &device, chrono::Utc::now()).unwrap();
    a.set_household_field(&ha, HouseholdField::Notes(Some("sau thu hồi".into())))
        .unwrap();
    let err = a
        .sync_with(&transport, &SyncOptions::default())
        .unwrap_err();
    assert!(matches!(err, SyncError::Revoked), "{err:?}");
    assert!(err.to_string().contains("revoked"));
}

fn a_corrupt_document_is_rejected_alone(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "a_corrupt_document_is_rejected_alone") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let mut reg = register(dir.path(), "vol-k");
    let enrol = EnrolRequest {
        protocol: PROTOCOL_VERSION,
        code: code_on(store.as_ref(), "vol-k", "a"),
        device_id: reg.identity().device.0.clone(),
        volunteer_id: "vol-k".into(),
        commune_code: COMMUNE.into(),
    };
    let resp = hub.handle(PATH_ENROL, None, &serde_json::to_vec(&enrol).unwrap());
    assert_eq!(resp.status, 200);
    let token = serde_json::from_slice::<EnrolResponse>(&resp.body)
        .unwrap()
        .token;
    reg.add_hamlet(COMMUNE, "Thôn Đông").unwrap();
    let good1 = reg
        .create_household(household("thon-dong", 1))
        .unwrap()
        .value;
    let good2 = reg
        .create_household(household("thon-dong", 2))
        .unwrap()
        .value;
    let push = vec![
        PushDoc {
            id: good1.0.clone(),
            heads: vec![],
            changes: reg.export_document(&good1).unwrap(),
        },
        PushDoc {
            id: "broken".into(),
            heads: vec![],
            changes: b"\x85\x6f\x4a\x83 definitely not automerge".to_vec(),
        },
        PushDoc {
            id: good2.0.clone(),
            heads: vec![],
            changes: reg.export_document(&good2).unwrap(),
        },
        PushDoc {
            id: "../../etc".into(),
            heads: vec![],
            changes: vec![1, 2, 3],
        },
    ];
    let req = SyncRequest {
        protocol: PROTOCOL_VERSION,
        push,
        ..Default::default()
    };
    let resp = hub.handle(PATH_SYNC, Some(&token), &encode(&req));
    assert_eq!(resp.status, 200);
    let answer: SyncResponse = decode(&resp.body).unwrap();
    let outcomes: Vec<_> = answer.results.iter().map(|r| r.outcome.clone()).collect();
    assert_eq!(outcomes[0], PushOutcome::Stored);
    assert!(matches!(&outcomes[1], PushOutcome::Rejected { code, .. } if code == "corrupt"));
    assert_eq!(outcomes[2], PushOutcome::Stored);
    assert!(matches!(&outcomes[3], PushOutcome::Rejected { code, .. } if code == "bad_id"));
    assert_eq!(store.doc_count().unwrap(), 2);

    // Garbage bodies and unknown tokens get clear errors, never a panic.
    assert_eq!(hub.handle(PATH_SYNC, Some(&token), b"garbage").status, 400);
    assert_eq!(
        hub.handle(PATH_SYNC, Some("nope"), &encode(&req)).status,
        401
    );
    assert_eq!(hub.handle(PATH_SYNC, None, &encode(&req)).status, 401);
    assert_eq!(hub.handle(PATH_ENROL, None, b"{").status, 400);
}

fn progress_is_reported_and_cancel_is_honest(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(
        backend,
        dir.path(),
        "progress_is_reported_and_cancel_is_honest",
    ) else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let transport = hub.in_process();
    let mut reg = register(dir.path(), "vol-p");
    reg.sync_enrol(
        "inproc",
        &transport,
        &code_on(store.as_ref(), "vol-p", "a"),
        None,
    )
    .unwrap();
    for i in 0..5 {
        reg.create_household(household("thon-dong", i)).unwrap();
    }
    let cancel = sync::CancelToken::new();
    cancel.cancel();
    let err = reg
        .sync_with(
            &transport,
            &SyncOptions {
                cancel,
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, SyncError::Cancelled));
    assert_eq!(reg.pending_count().unwrap(), 5);

    let seen = std::sync::Mutex::new(Vec::new());
    let progress =
        |phase: sync::Phase, done: u64, total: u64| seen.lock().unwrap().push((phase, done, total));
    let r = reg
        .sync_with(
            &transport,
            &SyncOptions {
                progress: &progress,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success);
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.first().unwrap().0, sync::Phase::Preparing);
    assert!(seen.contains(&(sync::Phase::Sending, 5, 5)));
    assert_eq!(seen.last().unwrap().0, sync::Phase::Done);
}

fn a_no_change_sync_is_under_a_kilobyte_on_the_wire_whatever_the_number_of_households(
    backend: Backend,
) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(
        backend,
        dir.path(),
        "a_no_change_sync_is_under_a_kilobyte_on_the_wire_whatever_the_number_of_households",
    ) else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let running = RunningHub::start(hub, "127.0.0.1:0", None, false).unwrap();
    let relay = gocua_tests::proxy::Proxy::start(running.addr, || gocua_tests::proxy::Plan::Pass);
    let url = relay.url();
    let mut reg = register(dir.path(), "vol-w");
    sync::enrol(
        &mut reg,
        &url,
        &code_on(store.as_ref(), "vol-w", "a"),
        &TlsOptions::default(),
    )
    .unwrap();
    add_households(&mut reg, "thon-dong", 0..200, "Vũ Thị Hoa");
    sync_ok(&mut reg);
    let before = relay.bytes();
    let r = sync_ok(&mut reg);
    let (up, down) = (relay.bytes().0 - before.0, relay.bytes().1 - before.1);
    eprintln!(
        "no-change sync, 200 households: {} round trip(s), bodies {} B up / {} B down, on the wire {up} B up / {down} B down",
        r.round_trips, r.bytes_up, r.bytes_down
    );
    assert_eq!(r.round_trips, 1);
    assert!(
        up + down < 1024,
        "no-change sync moved {up} + {down} bytes on the wire"
    );
    relay.stop();
    running.stop();
}

on_both_backends!(
    five_devices_with_random_offline_edits_converge_with_the_hub,
    interrupted_syncs_lose_and_duplicate_nothing,
    a_failure_inside_the_hubs_write_loses_and_duplicates_nothing,
    hub_restart_between_syncs_loses_nothing,
    revoked_and_other_area_devices_are_refused,
    a_corrupt_document_is_rejected_alone,
    progress_is_reported_and_cancel_is_honest,
    a_no_change_sync_is_under_a_kilobyte_on_the_wire_whatever_the_number_of_households,
);
