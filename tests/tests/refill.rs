//! A hub lost and refilled from its phones (issue 22, docs/sync-protocol.md "Reconciliation").
//!
//! Three phones (two in area `a`, one in area `b`) sync with a hub; a backup is taken; a day of
//! work follows on every phone (new households, an edit of a colleague's household, a member
//! erased and a household erased by the coordinator), synced. Then the hub is lost, one of three
//! ways: restored from the backup, rebuilt from nothing under its old identity, rebuilt under a
//! new one. Each phone syncs once (re-enrolled first when the hub lost its enrolments): the hub
//! then holds every household and edit and neither erasure came back; one more round and every
//! phone agrees with the hub.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gocua_core::consent_rule::ConsentGiven;
use gocua_core::model::{Household, HouseholdId, Relation};
use gocua_core::sync::wire::*;
use gocua_core::sync::{SessionOutcome, SyncError, SyncOptions};
use gocua_core::{HouseholdField, Register};
use gocua_hub::store::sqlite::backup::{backup, restore};
use gocua_hub::store::sqlite::cipher::DbKey;
use gocua_hub::{Hub, HubConfig, HubStore, SqliteStore};
use gocua_tests::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loss {
    /// Restored from the backup (SQLite: `gocua-hub restore`; PostgreSQL: `pg_restore`, then
    /// `gocua-hub mark-restored`).
    Restore,
    /// A new, empty hub that took the lost hub's identity (`gocua-hub adopt-identity`).
    RebuildSameIdentity,
    /// A new, empty hub with an identity of its own.
    RebuildNewIdentity,
}

/// What the backup is, per backend.
enum Copy {
    Sqlite { file: PathBuf, key: DbKey },
    Postgres { dump: PathBuf },
}

fn pg_tool(name: &str) -> PathBuf {
    let mut bins: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's tools")
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin").join(name))
        .filter(|p| p.exists())
        .collect();
    bins.sort();
    bins.pop().expect("pg tool")
}

fn take_copy(fx: &Fixture, dir: &Path) -> Copy {
    match fx.backend {
        Backend::Sqlite => {
            let key = DbKey::generate();
            let file = dir.join("hub-backup.db");
            backup(Path::new(&fx.location), None, &file, &key).unwrap();
            Copy::Sqlite { file, key }
        }
        Backend::Postgres => {
            let dump = dir.join("hub.dump");
            let out = std::process::Command::new(pg_tool("pg_dump"))
                .arg("--format=custom")
                .arg(format!("--file={}", dump.display()))
                .arg(format!("--dbname={}", fx.location))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            Copy::Postgres { dump }
        }
    }
}

/// A second hub on the same backend: the restored copy, or an empty one.
fn lost_hub(fx: &Fixture, dir: &Path, loss: Loss, copy: &Copy) -> Fixture {
    let (store, location): (Arc<dyn HubStore>, String) = match (fx.backend, copy) {
        (Backend::Sqlite, Copy::Sqlite { file, key }) => {
            let db = dir.join("second").join("hub.db");
            std::fs::create_dir_all(db.parent().unwrap()).unwrap();
            if loss == Loss::Restore {
                restore(file, key, &db, None, chrono::Utc::now()).unwrap();
            }
            let store = SqliteStore::open(&db).unwrap();
            (Arc::new(store), db.to_string_lossy().into_owned())
        }
        (Backend::Postgres, Copy::Postgres { dump }) => {
            let url = postgres_database("refill_second").unwrap();
            if loss == Loss::Restore {
                let out = std::process::Command::new(pg_tool("pg_restore"))
                    .arg("--no-owner")
                    .arg(format!("--dbname={url}"))
                    .arg(dump)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            let store = gocua_hub::PgStore::open(&url, 4).unwrap();
            if loss == Loss::Restore {
                assert_eq!(store.mark_restored(chrono::Utc::now()).unwrap(), 1);
            }
            (Arc::new(store), url)
        }
        _ => unreachable!(),
    };
    match loss {
        Loss::Restore => {}
        Loss::RebuildSameIdentity => {
            let file = dir.join(format!("identity-{}.json", rand_suffix()));
            gocua_hub::identity::export(fx.store.as_ref(), &file).unwrap();
            gocua_hub::identity::adopt(store.as_ref(), &file).unwrap();
            assert_eq!(store.hub_id().unwrap(), fx.store.hub_id().unwrap());
            seed(store.as_ref());
        }
        Loss::RebuildNewIdentity => seed(store.as_ref()),
    }
    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
    Fixture {
        backend: fx.backend,
        store,
        hub,
        location,
    }
}

fn rand_suffix() -> u32 {
    std::process::id()
        ^ (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos())
}

fn synced(reg: &mut Register, t: &dyn gocua_core::sync::Transport) -> gocua_core::sync::SyncReport {
    let r = reg.sync_with(t, &SyncOptions::default()).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
    r
}

fn by_id(hs: Vec<Household>) -> BTreeMap<HouseholdId, Household> {
    hs.into_iter().map(|h| (h.id.clone(), h)).collect()
}

fn lose_and_refill(backend: Backend, loss: Loss) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "refill") else {
        return;
    };
    let t = fx.hub.in_process();
    let mut a = enrolled(&fx, &t, dir.path(), "vol-a", "a");
    let mut b = enrolled(&fx, &t, dir.path(), "vol-b", "a");
    let mut c = enrolled(&fx, &t, dir.path(), "vol-c", "b");
    let a_ids = add_households(&mut a, "thon-dong", 0..6, "Trần Văn Long");
    let b_ids = add_households(&mut b, "thon-tay", 10..16, "Lê Thị Hằng");
    add_households(&mut c, "thon-bac", 20..26, "Phạm Văn Minh");
    let spouse = a
        .add_member_with_consent(
            &a_ids[2],
            member("Nguyễn Thị Lan", Relation::Wife),
            &ConsentGiven::every_purpose(),
        )
        .unwrap()
        .value;
    for reg in [&mut a, &mut b, &mut c] {
        synced(reg, &t);
    }
    synced(&mut a, &t);
    let copy = take_copy(&fx, dir.path());

    // A day of work, every bit of it synced.
    let new_a = add_households(&mut a, "thon-dong", 100..104, "Đỗ Văn Nam");
    let new_c = add_households(&mut c, "thon-bac", 200..203, "Vũ Thị Mai");
    b.set_household_field(
        &a_ids[0],
        HouseholdField::Notes(Some("đã đến lần hai".into())),
    )
    .unwrap();
    synced(&mut b, &t);
    let gone = b_ids[1].clone();
    fx.hub
        .erase("coordinator:coord", COMMUNE, &gone.0, None)
        .unwrap()
        .unwrap();
    fx.hub
        .erase("coordinator:coord", COMMUNE, &a_ids[2].0, Some(&spouse.0))
        .unwrap()
        .unwrap();
    for _ in 0..2 {
        for reg in [&mut a, &mut b, &mut c] {
            synced(reg, &t);
        }
    }
    assert!(b.household(&gone).is_err() && a.household(&gone).is_err());
    let before = by_id(households_on(fx.store.as_ref()));
    assert_eq!(before.len(), 6 + 5 + 6 + 4 + 3);

    // The hub is lost.
    let second = lost_hub(&fx, dir.path(), loss, &copy);
    let t2 = second.hub.in_process();
    if loss != Loss::Restore {
        // Its enrolments are gone with it: each phone is told, and re-enrols.
        let err = a.sync_with(&t2, &SyncOptions::default()).unwrap_err();
        assert!(matches!(err, SyncError::Unauthorized(_)), "{err:?}");
        for (reg, vol, area) in [
            (&mut a, "vol-a", "a"),
            (&mut b, "vol-b", "a"),
            (&mut c, "vol-c", "b"),
        ] {
            let code = code_on(second.store.as_ref(), vol, area);
            reg.sync_enrol("inproc", &t2, &code, None).unwrap();
        }
    }

    // One sync each refills the hub.
    let mut refilled = 0;
    for reg in [&mut a, &mut b, &mut c] {
        refilled += synced(reg, &t2).refilled;
    }
    let after = by_id(households_on(second.store.as_ref()));
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "every household is back, the erased one is not"
    );
    for (id, h) in &before {
        assert_eq!(&after[id], h, "{id:?} as it was before the loss");
    }
    assert!(!after.contains_key(&gone));
    assert!(
        after[&a_ids[2]].members.keys().all(|m| *m != spouse),
        "the erased member stays erased"
    );
    assert_eq!(
        after[&a_ids[0]].notes.as_deref(),
        Some("đã đến lần hai"),
        "the edit is back"
    );
    for id in new_a.iter().chain(&new_c) {
        assert!(after.contains_key(id));
    }
    match loss {
        // The backup lacked the day's work: 4 + 3 new, the edited one, the rewritten one.
        Loss::Restore => assert!(refilled >= 4 + 3 + 2, "{refilled}"),
        // Everything came back from the phones.
        _ => assert!(refilled as usize >= before.len(), "{refilled}"),
    }

    // One more round: every phone agrees with the hub, nothing pending.
    for reg in [&mut a, &mut b, &mut c] {
        let r = synced(reg, &t2);
        assert_eq!(r.refilled, 0, "a phone refills once");
    }
    for (reg, hamlets) in [
        (&a, &["thon-dong", "thon-tay"][..]),
        (&b, &["thon-dong", "thon-tay"][..]),
        (&c, &["thon-bac"][..]),
    ] {
        let held = by_id(device_households(reg));
        let of_area: BTreeMap<_, _> = after
            .iter()
            .filter(|(_, h)| hamlets.contains(&h.area.hamlet_id.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert_eq!(held, of_area);
        assert_eq!(reg.pending_count().unwrap(), 0);
    }
}

fn restored_hub_is_refilled(backend: Backend) {
    lose_and_refill(backend, Loss::Restore);
}

fn rebuilt_hub_with_its_identity_is_refilled(backend: Backend) {
    lose_and_refill(backend, Loss::RebuildSameIdentity);
}

fn rebuilt_hub_with_a_new_identity_is_refilled_after_new_enrolments(backend: Backend) {
    lose_and_refill(backend, Loss::RebuildNewIdentity);
}

/// A device never hands its area to a hub with another id: the hub refuses the request before
/// reading it, and the device refuses an answer from another hub.
fn a_hub_of_another_identity_is_sent_nothing(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "refill_identity") else {
        return;
    };
    let t = fx.hub.in_process();
    let mut a = enrolled(&fx, &t, dir.path(), "vol-a", "a");
    let peer = a.sync_peer().unwrap().unwrap();
    let ids = add_households(&mut a, "thon-dong", 0..2, "Trần Văn Long");
    let request = SyncRequest {
        protocol: PROTOCOL_VERSION,
        hub_tag: Some(hub_tag("hub-0000000000000000")),
        push: vec![PushDoc {
            id: ids[0].0.clone(),
            heads: Vec::new(),
            changes: a.export_document(&ids[0]).unwrap(),
        }],
        ..Default::default()
    };
    let token = token_of(dir.path(), "vol-a");
    let resp = fx.hub.handle(PATH_SYNC, Some(&token), &encode(&request));
    assert_eq!(resp.status, 409);
    assert!(String::from_utf8_lossy(&resp.body).contains("hub_changed"));
    assert!(
        households_on(fx.store.as_ref()).is_empty(),
        "nothing stored"
    );
    assert_eq!(peer.peer_id, fx.store.hub_id().unwrap());
}

/// An erasure claim the hub did not sign erases nothing.
fn a_forged_erasure_claim_erases_nothing(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "refill_forged") else {
        return;
    };
    let t = fx.hub.in_process();
    let mut a = enrolled(&fx, &t, dir.path(), "vol-a", "a");
    let mut b = enrolled(&fx, &t, dir.path(), "vol-b", "a");
    let ids = add_households(&mut b, "thon-tay", 0..2, "Lê Thị Hằng");
    synced(&mut b, &t);
    let claim = |proof| ReconcileRequest {
        protocol: PROTOCOL_VERSION,
        buckets: 1,
        digests: vec![[0; 8]],
        detail: Vec::new(),
        erasures: vec![ErasureClaim {
            erasure: DocEpoch {
                id: ids[0].0.clone(),
                epoch: 1,
                gone: true,
            },
            proof,
        }],
    };
    let token = token_of(dir.path(), "vol-a");
    let resp = fx
        .hub
        .handle(PATH_RECONCILE, Some(&token), &encode(&claim([7; 16])));
    assert_eq!(resp.status, 200);
    let answer: ReconcileResponse = decode(&resp.body).unwrap();
    assert_eq!(answer.reinstated, 0);
    assert_eq!(households_on(fx.store.as_ref()).len(), 2, "nothing erased");
    // The hub's own proof is what makes a claim hold.
    let key = fx.store.erasure_key().unwrap();
    let real = gocua_hub::hub::erasure_proof(
        &key,
        &DocEpoch {
            id: ids[0].0.clone(),
            epoch: 1,
            gone: true,
        },
    );
    let resp = fx
        .hub
        .handle(PATH_RECONCILE, Some(&token), &encode(&claim(real)));
    let answer: ReconcileResponse = decode(&resp.body).unwrap();
    assert_eq!(answer.reinstated, 1);
    assert_eq!(households_on(fx.store.as_ref()).len(), 1);
    synced(&mut a, &t);
    assert!(a.household(&ids[0]).is_err());
}

/// A phone of 400 households in agreement with a restored hub: the offer is one digest per 16
/// households, and nothing goes again.
fn an_offer_in_agreement_is_small_and_sends_nothing(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "refill_small") else {
        return;
    };
    let t = fx.hub.in_process();
    let mut a = enrolled(&fx, &t, dir.path(), "vol-a", "a");
    add_households(&mut a, "thon-dong", 0..400, "Trần Văn Long");
    synced(&mut a, &t);
    // Restored from a backup of this very state: the phone offers what it holds.
    let copy = take_copy(&fx, dir.path());
    let second = lost_hub(&fx, dir.path(), Loss::Restore, &copy);
    let r = synced(&mut a, &second.hub.in_process());
    assert_eq!(r.refilled, 0, "{r:?}");
    assert_eq!(r.pushed, 0);
    assert!(
        r.bytes_up < 1_000,
        "{} bytes up for 400 households",
        r.bytes_up
    );
}

/// A hub of before reconciliation (no `/v1/reconcile`): a register that enrols holding
/// households syncs as it did, with nothing marked to go again.
fn a_hub_without_reconciliation_is_synced_as_before(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "refill_old_hub") else {
        return;
    };
    let hub = fx.hub.clone();
    let old_hub = gocua_core::sync::InProcess::new(Arc::new(
        move |path: &str, token: Option<&str>, body: &[u8]| {
            if path == PATH_RECONCILE {
                gocua_core::sync::Response {
                    status: 404,
                    body: br#"{"code":"not_found","message_vi":"","message_en":""}"#.to_vec(),
                }
            } else {
                hub.handle(path, token, body)
            }
        },
    ));
    let mut a = register(dir.path(), "vol-a");
    a.add_hamlet(COMMUNE, "Thôn Đông").unwrap();
    add_households(&mut a, "thon-dong", 0..3, "Trần Văn Long");
    let code = code_on(fx.store.as_ref(), "vol-a", "a");
    a.sync_enrol("inproc", &old_hub, &code, None).unwrap();
    let r = synced(&mut a, &old_hub);
    assert_eq!((r.pushed, r.refilled), (3, 0), "{r:?}");
    assert_eq!(
        synced(&mut a, &old_hub).pushed,
        0,
        "nothing marked to go again"
    );
}

/// The token is private to the core; read from the register's file as one with the phone could
/// (the registers of these tests are not encrypted).
fn token_of(dir: &Path, volunteer: &str) -> String {
    rusqlite::Connection::open(dir.join(format!("{volunteer}.db")))
        .unwrap()
        .query_row("SELECT token FROM sync_peer", [], |r| r.get(0))
        .unwrap()
}

on_both_backends!(
    restored_hub_is_refilled,
    rebuilt_hub_with_its_identity_is_refilled,
    rebuilt_hub_with_a_new_identity_is_refilled_after_new_enrolments,
    a_hub_of_another_identity_is_sent_nothing,
    a_forged_erasure_claim_erases_nothing,
    an_offer_in_agreement_is_small_and_sends_nothing,
    a_hub_without_reconciliation_is_synced_as_before,
);
