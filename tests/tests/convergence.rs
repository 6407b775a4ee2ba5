//! Convergence with many replicas through the real sync code (issue 6): in each case 6 to 8
//! devices of one area make random offline edits (new households, members added to shared
//! households, checklist progress set concurrently on several devices, notes), random subsets
//! sync in random orders (partitions), then everyone syncs twice. Then: every replica equals the
//! hub, nothing a device created and synced is missing, nothing is duplicated, and a checklist
//! item set concurrently by devices that never saw another's value ends, on the hub, at the
//! highest rank of those values ([`ChecklistStatus::rank`]): progress never regresses.
//!
//! Both backends (`on_both_backends!`), each case on a new hub (on PostgreSQL, a new database).
//!
//! Cases: `GOCUA_CONVERGENCE_CASES` (default 8 on SQLite, [`POSTGRES_CASES`] on PostgreSQL), first
//! seed `GOCUA_CONVERGENCE_SEED`. Long run:
//! `GOCUA_CONVERGENCE_CASES=1000 cargo test -p gocua-tests --test convergence -- --nocapture`.

use std::collections::{BTreeMap, BTreeSet};

use gocua_core::model::*;
use gocua_core::sync::{InProcess, SessionOutcome, SyncOptions};
use gocua_core::{HouseholdField, Register};
use gocua_tests::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const STATUSES: [ChecklistStatus; 8] = [
    ChecklistStatus::NotAsked,
    ChecklistStatus::NotApplicable,
    ChecklistStatus::AlreadyHad,
    ChecklistStatus::Declined,
    ChecklistStatus::InProgress,
    ChecklistStatus::Referred,
    ChecklistStatus::Done,
    ChecklistStatus::Failed,
];

const ITEMS: [ChecklistItem; 3] = [
    ChecklistItem::VneidInstalled,
    ChecklistItem::QrPayment,
    ChecklistItem::CyberSafety,
];

type ItemKey = (HouseholdId, MemberId, ChecklistItem);

/// What the devices did, to check against the end state.
#[derive(Default)]
struct Ledger {
    /// Households and members created, by any device.
    created: BTreeMap<HouseholdId, BTreeSet<MemberId>>,
    /// Checklist writes made without having seen any value of the item (pairwise concurrent).
    blind: BTreeMap<ItemKey, Vec<ChecklistStatus>>,
    /// Items some device set after seeing a value: a correction, which stands whatever its rank.
    corrected: BTreeSet<ItemKey>,
}

fn sync_ok(reg: &mut Register, t: &InProcess, case: u64) {
    let r = reg.sync_with(t, &SyncOptions::default()).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success, "case {case}: {r:?}");
    assert_eq!(reg.pending_count().unwrap(), 0, "case {case}");
}

fn random_edit(reg: &mut Register, rng: &mut StdRng, n: &mut usize, ledger: &mut Ledger) {
    let ids = reg.household_ids().unwrap();
    *n += 1;
    let choice = if ids.is_empty() {
        0
    } else {
        rng.random_range(0..10)
    };
    match choice {
        0 | 1 => {
            let hamlet = if rng.random_bool(0.5) {
                "thon-dong"
            } else {
                "thon-tay"
            };
            let id = reg.create_household(household(hamlet, *n)).unwrap().value;
            let m = reg
                .add_member_with_consent(
                    &id,
                    member("Chủ Hộ", Relation::Head),
                    &gocua_core::consent_rule::ConsentGiven::every_purpose(),
                )
                .unwrap()
                .value;
            ledger.created.entry(id).or_default().insert(m);
        }
        2 | 3 => {
            let id = &ids[rng.random_range(0..ids.len())];
            let m = reg
                .add_member_with_consent(
                    id,
                    member("Thành Viên", Relation::Child),
                    &gocua_core::consent_rule::ConsentGiven::every_purpose(),
                )
                .unwrap()
                .value;
            ledger.created.entry(id.clone()).or_default().insert(m);
        }
        4..=8 => {
            let id = &ids[rng.random_range(0..ids.len())];
            let h = reg.household(id).unwrap();
            let members: Vec<&Member> = h.current_members().collect();
            if members.is_empty() {
                return;
            }
            let m = members[rng.random_range(0..members.len())];
            let item = ITEMS[rng.random_range(0..ITEMS.len())];
            let status = STATUSES[rng.random_range(0..STATUSES.len())];
            let key = (id.clone(), m.id.clone(), item);
            let seen = m.checklist.contains_key(&item);
            let reason = matches!(status, ChecklistStatus::Failed | ChecklistStatus::Declined)
                .then(|| "chưa được".to_string());
            reg.set_checklist(id, &m.id.clone(), item, status, reason, None)
                .unwrap();
            if seen {
                ledger.corrected.insert(key);
            } else {
                ledger.blind.entry(key).or_default().push(status);
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

/// Cases on PostgreSQL by default: fewer than on SQLite, to keep CI's time modest (each case
/// makes its own database); `GOCUA_CONVERGENCE_CASES` sets both.
const POSTGRES_CASES: u64 = 4;

/// One case; `None` when the backend is not available (see [`fixture`]).
fn run_case(backend: Backend, seed: u64) -> Option<(usize, usize, usize)> {
    let mut rng = StdRng::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let fx = fixture(
        backend,
        dir.path(),
        "many_replicas_with_random_partitions_converge",
    )?;
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let t = hub.in_process();
    let count = rng.random_range(6..=8);
    let mut devices: Vec<Register> = (0..count)
        .map(|i| {
            let vol = format!("vol-{i}");
            let mut reg = register(dir.path(), &vol);
            reg.sync_enrol("inproc", &t, &code_on(store.as_ref(), &vol, "a"), None)
                .unwrap();
            reg
        })
        .collect();
    let mut ledger = Ledger::default();
    let mut n = 0;
    let rounds = rng.random_range(3..=6);
    for _ in 0..rounds {
        for reg in devices.iter_mut() {
            if rng.random_bool(0.7) {
                for _ in 0..rng.random_range(1..=4) {
                    random_edit(reg, &mut rng, &mut n, &mut ledger);
                }
            }
        }
        // A partition: a random subset syncs, in a random order (some more than once).
        let mut order: Vec<usize> = (0..count).filter(|_| rng.random_bool(0.5)).collect();
        if !order.is_empty() && rng.random_bool(0.3) {
            order.push(order[rng.random_range(0..order.len())]);
        }
        for i in (1..order.len()).rev() {
            order.swap(i, rng.random_range(0..=i));
        }
        for i in order {
            sync_ok(&mut devices[i], &t, seed);
        }
    }
    // Everyone syncs twice, in a random order each time.
    for _ in 0..2 {
        let mut order: Vec<usize> = (0..count).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.random_range(0..=i));
        }
        for i in order {
            sync_ok(&mut devices[i], &t, seed);
        }
    }

    let hub_all = by_id(households_on(store.as_ref()));
    for (i, reg) in devices.iter().enumerate() {
        assert_eq!(
            by_id(device_households(reg)),
            hub_all,
            "case {seed}: device {i} differs from the hub"
        );
    }
    // Nothing acknowledged lost, nothing duplicated.
    assert_eq!(hub_all.len(), ledger.created.len(), "case {seed}");
    assert_eq!(store.doc_ids().unwrap().len(), ledger.created.len());
    for (h, ms) in &ledger.created {
        let on_hub = hub_all
            .get(h)
            .unwrap_or_else(|| panic!("case {seed}: a household is lost"));
        assert_eq!(
            on_hub.members.keys().cloned().collect::<BTreeSet<_>>(),
            *ms,
            "case {seed}: members lost or duplicated"
        );
    }
    // Checklist progress never regresses: concurrent blind writes end at their highest rank.
    let mut concurrent = 0;
    for (key, statuses) in &ledger.blind {
        if ledger.corrected.contains(key) {
            continue;
        }
        let (h, m, item) = key;
        let max = statuses.iter().map(|s| s.rank()).max().unwrap();
        let got = hub_all[h].members[m]
            .checklist
            .get(item)
            .unwrap_or_else(|| panic!("case {seed}: a checklist entry is lost"))
            .status;
        assert_eq!(
            got.rank(),
            max,
            "case {seed}: concurrent values {statuses:?} ended at {got:?}"
        );
        if statuses.len() > 1 {
            concurrent += 1;
        }
    }
    Some((count, hub_all.len(), concurrent))
}

fn many_replicas_with_random_partitions_converge(backend: Backend) {
    let cases: u64 = std::env::var("GOCUA_CONVERGENCE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => POSTGRES_CASES,
        });
    let first: u64 = std::env::var("GOCUA_CONVERGENCE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x676f_6375_6100);
    let started = std::time::Instant::now();
    let (mut devices, mut households, mut concurrent) = (0, 0, 0);
    for seed in first..first + cases {
        let Some((d, h, c)) = run_case(backend, seed) else {
            return;
        };
        devices += d;
        households += h;
        concurrent += c;
        if (seed - first + 1).is_multiple_of(25) {
            eprintln!("convergence: {} cases passed", seed - first + 1);
        }
    }
    eprintln!(
        "convergence on {backend:?}: {cases} cases from seed {first}: {devices} devices, {households} households, \
         {concurrent} checklist items set concurrently on several devices; {:?}",
        started.elapsed()
    );
}

on_both_backends!(many_replicas_with_random_partitions_converge);
