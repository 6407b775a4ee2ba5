//! Several hub processes on one PostgreSQL database (issue 9): two hubs, each with its own store
//! and connection pool (as two processes behind a load balancer would have), and devices that
//! sync through either of them, at random and at the same time. Skipped, with a message, when
//! `GOCUA_TEST_POSTGRES_URL` is not set (`scripts/with-postgres.sh cargo test -p gocua-tests`).
//! The same with two real `gocua-hub serve` processes (the binary, over HTTP):
//! `server/tests/hub_processes.rs`.

use std::collections::BTreeMap;
use std::sync::Barrier;

use gocua_core::model::*;
use gocua_core::sync::{SessionOutcome, SyncOptions};
use gocua_core::{HouseholdDoc, HouseholdField, Register};
use gocua_tests::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn by_id(hs: Vec<Household>) -> BTreeMap<HouseholdId, Household> {
    hs.into_iter().map(|h| (h.id.clone(), h)).collect()
}

fn sync_through(reg: &mut Register, hub: &std::sync::Arc<gocua_hub::Hub>) {
    let transport = hub.in_process();
    let r = reg.sync_with(&transport, &SyncOptions::default()).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
}

/// One random edit: a new household, a new member, or a note.
fn edit(reg: &mut Register, rng: &mut StdRng, n: usize) {
    let ids = reg.household_ids().unwrap();
    match if ids.is_empty() {
        0
    } else {
        rng.random_range(0..3)
    } {
        0 => {
            let hamlet = if rng.random_bool(0.5) {
                "thon-dong"
            } else {
                "thon-tay"
            };
            let id = reg.create_household(household(hamlet, n)).unwrap().value;
            reg.add_member_with_consent(
                &id,
                member("Nguyễn Thị Lan", Relation::Head),
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
        _ => {
            let id = &ids[rng.random_range(0..ids.len())];
            reg.set_household_field(id, HouseholdField::Notes(Some(format!("ghi chú {n}"))))
                .unwrap();
        }
    }
}

#[test]
fn devices_syncing_through_two_hubs_at_random_converge_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(Backend::Postgres, dir.path(), "two_hubs_converge") else {
        return;
    };
    let (_store2, hub2) = fx.second_hub();
    let hubs = [fx.hub.clone(), hub2];

    let mut devices: Vec<Register> = (0..4)
        .map(|i| {
            let vol = format!("vol-{i}");
            let mut reg = register(dir.path(), &vol);
            // Enrolled through either hub: both are the same hub to the device.
            let transport = hubs[i % 2].in_process();
            reg.sync_enrol(
                "inproc",
                &transport,
                &code_on(fx.store.as_ref(), &vol, "a"),
                None,
            )
            .unwrap();
            reg
        })
        .collect();
    assert_eq!(
        fx.store.hub_id().unwrap(),
        hubs[1].store().hub_id().unwrap()
    );

    // Rounds of offline edits, then every device syncs at once, each through a hub drawn at
    // random: the two hubs write the same documents at the same time.
    let barrier = Barrier::new(devices.len());
    std::thread::scope(|s| {
        for (i, reg) in devices.iter_mut().enumerate() {
            let hubs = &hubs;
            let barrier = &barrier;
            s.spawn(move || {
                let mut rng = StdRng::seed_from_u64(9_000 + i as u64);
                for round in 0..8 {
                    for k in 0..rng.random_range(1..4) {
                        edit(reg, &mut rng, 1000 * i + 10 * round + k);
                    }
                    barrier.wait();
                    sync_through(reg, &hubs[rng.random_range(0..2)]);
                }
            });
        }
    });
    // Two quiet rounds: the last edits go up, then everyone brings the others' down.
    for _ in 0..2 {
        for (i, reg) in devices.iter_mut().enumerate() {
            sync_through(reg, &hubs[i % 2]);
        }
    }

    let hub_all = by_id(households_on(fx.store.as_ref()));
    let created: usize = devices
        .iter()
        .map(|r| r.household_ids().unwrap().len())
        .max()
        .unwrap();
    assert_eq!(hub_all.len(), created, "households lost or duplicated");
    for (i, reg) in devices.iter().enumerate() {
        assert_eq!(by_id(device_households(reg)), hub_all, "device {i}");
        assert_eq!(reg.pending_count().unwrap(), 0);
    }
    // Both hubs read the same.
    assert_eq!(by_id(households_on(hubs[1].store().as_ref())), hub_all);
    let ids = fx.store.doc_ids().unwrap();
    let unique: std::collections::BTreeSet<_> = ids.iter().map(|(id, _, _)| id).collect();
    assert_eq!(unique.len(), ids.len());
}

const NAMES: [&str; 12] = [
    "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc", "Quang",
];

#[test]
fn the_same_household_edited_on_two_devices_and_synced_through_two_hubs_at_once_keeps_both() {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(Backend::Postgres, dir.path(), "same_household_two_hubs") else {
        return;
    };
    let (_store2, hub2) = fx.second_hub();
    let hubs = [fx.hub.clone(), hub2];
    let mut a = register(dir.path(), "vol-a");
    let mut b = register(dir.path(), "vol-b");
    for (reg, vol, hub) in [(&mut a, "vol-a", &hubs[0]), (&mut b, "vol-b", &hubs[1])] {
        reg.sync_enrol(
            "inproc",
            &hub.in_process(),
            &code_on(fx.store.as_ref(), vol, "a"),
            None,
        )
        .unwrap();
    }
    let id = a.create_household(household("thon-dong", 1)).unwrap().value;
    sync_through(&mut a, &hubs[0]);
    sync_through(&mut b, &hubs[1]);
    assert_eq!(b.household_ids().unwrap(), vec![id.clone()]);

    let rounds = 12;
    for round in 0..rounds {
        // A adds a member, B writes a note: different changes to one document.
        a.add_member_with_consent(
            &id,
            member(&format!("Trần Văn {}", NAMES[round]), Relation::Child),
            &gocua_core::consent_rule::ConsentGiven::every_purpose(),
        )
        .unwrap();
        b.set_household_field(&id, HouseholdField::Notes(Some(format!("ghi chú {round}"))))
            .unwrap();
        let barrier = Barrier::new(2);
        std::thread::scope(|s| {
            let (hubs, barrier) = (&hubs, &barrier);
            let a = &mut a;
            let b = &mut b;
            s.spawn(move || {
                barrier.wait();
                sync_through(a, &hubs[round % 2]);
            });
            s.spawn(move || {
                barrier.wait();
                sync_through(b, &hubs[(round + 1) % 2]);
            });
        });
        // Both changes landed on the hub, whichever committed first.
        let on_hub = HouseholdDoc::load(&fx.store.load_doc(&id.0).unwrap().unwrap().bytes)
            .unwrap()
            .read()
            .unwrap();
        assert_eq!(
            on_hub.members.len(),
            round + 1,
            "a member lost in round {round}"
        );
        assert_eq!(
            on_hub.notes.as_deref(),
            Some(format!("ghi chú {round}").as_str()),
            "a note lost in round {round}"
        );
    }
    sync_through(&mut a, &hubs[1]);
    sync_through(&mut b, &hubs[0]);
    let on_hub = by_id(households_on(fx.store.as_ref()));
    assert_eq!(by_id(device_households(&a)), on_hub);
    assert_eq!(by_id(device_households(&b)), on_hub);
}
