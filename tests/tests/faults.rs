//! Network faults (issue 6): a fault-injecting TCP proxy on 127.0.0.1 between three devices and
//! the hub. Seeded: it drops connections at random byte offsets in either direction, stalls
//! briefly, truncates responses, and once the hub restarts on the same database. At least 100
//! sync attempts go through it; each may fail, but only with a clean error, and a reported
//! success must be true (the hub holds everything the device has). Then every device syncs
//! without the proxy: all replicas equal the hub, nothing a device created is missing, nothing is
//! duplicated.
//! Both backends (`on_both_backends!`); on PostgreSQL the restart opens a new pool on the same
//! database.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gocua_core::model::*;
use gocua_core::sync::{self, HttpTransport, SessionOutcome, SyncOptions, TlsOptions};
use gocua_core::{HouseholdField, Register};
use gocua_hub::http::RunningHub;
use gocua_hub::{Hub, HubConfig};
use gocua_tests::proxy::{Plan, Proxy};
use gocua_tests::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// What one device created: households and their members.
#[derive(Default)]
struct Created {
    households: BTreeMap<HouseholdId, BTreeSet<MemberId>>,
}

fn random_edit(reg: &mut Register, rng: &mut StdRng, n: &mut usize, created: &mut Created) {
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
            let m = reg
                .add_member_with_consent(
                    &id,
                    member("Người Thử Nghiệm", Relation::Head),
                    &gocua_core::consent_rule::ConsentGiven::every_purpose(),
                )
                .unwrap()
                .value;
            created.households.entry(id).or_default().insert(m);
        }
        1 => {
            let id = &ids[rng.random_range(0..ids.len())];
            let m = reg
                .add_member_with_consent(
                    id,
                    member("Người Con", Relation::Child),
                    &gocua_core::consent_rule::ConsentGiven::every_purpose(),
                )
                .unwrap()
                .value;
            created.households.entry(id.clone()).or_default().insert(m);
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

fn by_id(hs: Vec<Household>) -> BTreeMap<HouseholdId, Household> {
    hs.into_iter().map(|h| (h.id.clone(), h)).collect()
}

/// Attempts through the proxy (3 devices x rounds).
const ROUNDS: usize = 40;

fn syncs_through_a_faulty_network_lose_and_duplicate_nothing(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(
        backend,
        dir.path(),
        "syncs_through_a_faulty_network_lose_and_duplicate_nothing",
    ) else {
        return;
    };
    let store = fx.store.clone();
    let mut running = RunningHub::start(fx.hub.clone(), "127.0.0.1:0", None, false).unwrap();
    let direct_url = running.url();

    let mut devices: Vec<Register> = Vec::new();
    for i in 0..3 {
        let vol = format!("vol-{i}");
        let mut reg = register(dir.path(), &vol);
        sync::enrol(
            &mut reg,
            &direct_url,
            &code_on(store.as_ref(), &vol, "a"),
            &TlsOptions::default(),
        )
        .unwrap();
        devices.push(reg);
    }
    let mut created: Vec<Created> = (0..3).map(|_| Created::default()).collect();

    let mut plans = StdRng::seed_from_u64(0x6f63_7561);
    let proxy = Proxy::start(running.addr, move || match plans.random_range(0..10) {
        0 | 1 => Plan::DropUp(plans.random_range(0..1500)),
        2 | 3 => Plan::DropDown(plans.random_range(0..1500)),
        4 => Plan::Truncate(plans.random_range(1..400)),
        5 => Plan::Stall(Duration::from_millis(plans.random_range(5..60))),
        _ => Plan::Pass,
    });
    let proxy_url = proxy.url();
    let mut rng = StdRng::seed_from_u64(20_260_601);
    let mut n = 0;
    let (mut attempts, mut failures, mut successes, mut other) = (0usize, 0usize, 0usize, 0usize);
    let mut restarted = false;
    let mut running_store = store.clone();
    let started = Instant::now();
    for round in 0..ROUNDS {
        // Once, halfway: the hub restarts on the same database (a new store, a new port).
        if round == ROUNDS / 2 {
            running.stop();
            let reopened = fx.open_again();
            let hub = Arc::new(Hub::new(reopened.clone(), HubConfig::default()));
            running = RunningHub::start(hub, "127.0.0.1:0", None, false).unwrap();
            proxy.redirect(running.addr);
            running_store = reopened;
            restarted = true;
        }
        for (i, reg) in devices.iter_mut().enumerate() {
            for _ in 0..rng.random_range(0..3) {
                random_edit(reg, &mut rng, &mut n, &mut created[i]);
            }
            // Low timeouts: a stall here is tens of milliseconds.
            let transport =
                HttpTransport::new(&proxy_url, &TlsOptions::default(), Duration::from_secs(5))
                    .unwrap();
            attempts += 1;
            match reg.sync_with(&transport, &SyncOptions::default()) {
                Ok(r) if r.outcome == SessionOutcome::Success => {
                    successes += 1;
                    // A success is true: nothing pending, and every household of the device is
                    // on the hub exactly as the device holds it (no one else synced meanwhile).
                    assert_eq!(reg.pending_count().unwrap(), 0, "attempt {attempts}");
                    let hub_all = by_id(households_on(running_store.as_ref()));
                    for h in device_households(reg) {
                        assert_eq!(
                            hub_all.get(&h.id),
                            Some(&h),
                            "attempt {attempts}: a reported success the hub does not hold"
                        );
                    }
                }
                Ok(_) => other += 1,
                Err(e) => {
                    failures += 1;
                    // A clean error, with a message and nothing personal in it.
                    let text = e.to_string();
                    assert!(!text.is_empty());
                    assert!(!text.contains("Người"), "{text}");
                }
            }
        }
    }
    let connections = proxy.stop();
    eprintln!(
        "faults: {attempts} attempts through the proxy ({connections} connections): \
         {successes} succeeded, {failures} failed cleanly, {other} finished otherwise; \
         hub restarted: {restarted}; {backend:?}, {:?}",
        started.elapsed()
    );
    assert!(attempts >= 100);
    assert!(failures > 0, "the proxy injected no failure");
    assert!(successes > 0, "no attempt got through");

    // Then every device syncs directly, twice round.
    let url = running.url();
    for _ in 0..2 {
        for reg in devices.iter_mut() {
            let transport =
                HttpTransport::new(&url, &TlsOptions::default(), Duration::from_secs(30)).unwrap();
            let r = reg
                .sync_with(&transport, &SyncOptions::default())
                .expect("a clean sync after the faults");
            assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
        }
    }
    let hub_all = by_id(households_on(running_store.as_ref()));
    for (i, reg) in devices.iter().enumerate() {
        assert_eq!(reg.pending_count().unwrap(), 0);
        assert_eq!(
            by_id(device_households(reg)),
            hub_all,
            "device {i} differs from the hub"
        );
    }
    // Nothing acknowledged lost: every household and member any device created is on the hub.
    let mut all: BTreeMap<HouseholdId, BTreeSet<MemberId>> = BTreeMap::new();
    for c in &created {
        for (h, ms) in &c.households {
            all.entry(h.clone()).or_default().extend(ms.iter().cloned());
        }
    }
    for (h, ms) in &all {
        let on_hub = hub_all
            .get(h)
            .expect("a created household is missing on the hub");
        for m in ms {
            assert!(
                on_hub.members.contains_key(m),
                "a created member is missing"
            );
        }
        // Nothing duplicated: exactly the members created.
        assert_eq!(on_hub.members.len(), ms.len());
    }
    assert_eq!(
        hub_all.len(),
        all.len(),
        "households duplicated or invented"
    );
    assert_eq!(store.doc_ids().unwrap().len(), all.len());
    running.stop();
}

on_both_backends!(syncs_through_a_faulty_network_lose_and_duplicate_nothing);
