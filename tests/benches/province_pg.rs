//! Province scale on PostgreSQL (issue 9): a commune's "week offline" sync (300 new households and
//! 500 edits) against a small database (the commune's 1,000 households) and against a province's
//! (500,000 households: the commune's real documents cloned server-side with other ids and
//! communes). Round trips, bytes and time are printed for both; docs/BENCHMARKS.md has the results.
//!
//!   scripts/with-postgres.sh cargo bench -p gocua-tests --bench province_pg
//!
//! Without GOCUA_TEST_POSTGRES_URL it says so and does nothing.

use std::time::{Duration, Instant};

use gocua_core::model::*;
use gocua_core::sync::{SessionOutcome, SyncOptions, SyncReport};
use gocua_core::{HouseholdField, Register};
use gocua_tests::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const COMMUNE_HOUSEHOLDS: usize = 1_000;
const PROVINCE_HOUSEHOLDS: i64 = 500_000;
const NEW: usize = 300;
const EDITS: usize = 500;
const GIVEN: [&str; 8] = ["Lan", "Bình", "Mai", "Hải", "Hà", "Dũng", "Hương", "Tuấn"];

fn sync_ok(reg: &mut Register, hub: &std::sync::Arc<gocua_hub::Hub>) -> (SyncReport, Duration) {
    let t = Instant::now();
    let r = reg
        .sync_with(&hub.in_process(), &SyncOptions::default())
        .unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
    (r, t.elapsed())
}

fn new_household(reg: &mut Register, rng: &mut StdRng, n: usize) {
    let hamlet = if n.is_multiple_of(2) {
        "thon-dong"
    } else {
        "thon-tay"
    };
    let id = reg.create_household(household(hamlet, n)).unwrap().value;
    for k in 0..4 {
        let relation = if k == 0 {
            Relation::Head
        } else {
            Relation::Child
        };
        let name = format!("Nguyễn Văn {}", GIVEN[rng.random_range(0..GIVEN.len())]);
        reg.add_member_with_consent(
            &id,
            member(&name, relation),
            &gocua_core::consent_rule::ConsentGiven::every_purpose(),
        )
        .unwrap();
    }
}

/// A week offline: NEW households and EDITS edits of existing ones.
fn week_offline(reg: &mut Register, rng: &mut StdRng, base: usize) {
    let ids = reg.household_ids().unwrap();
    for k in 0..NEW {
        new_household(reg, rng, base + k);
    }
    for k in 0..EDITS {
        let id = &ids[rng.random_range(0..ids.len())];
        if k.is_multiple_of(2) {
            reg.set_household_field(
                id,
                HouseholdField::Notes(Some(format!("tuần {base} ghi chú {k}"))),
            )
            .unwrap();
        } else {
            reg.add_member_with_consent(
                id,
                member("Trần Thị Hoa", Relation::Child),
                &gocua_core::consent_rule::ConsentGiven::every_purpose(),
            )
            .unwrap();
        }
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(Backend::Postgres, dir.path(), "province_pg") else {
        println!(
            "province_pg: {POSTGRES_URL_ENV} is not set; run it with scripts/with-postgres.sh"
        );
        return;
    };
    let hub = fx.hub.clone();
    let mut rng = StdRng::seed_from_u64(9);
    let mut regs: Vec<Register> = ["vol-seed", "vol-1", "vol-2"]
        .iter()
        .map(|v| {
            let mut r = register(dir.path(), v);
            r.sync_enrol(
                "inproc",
                &hub.in_process(),
                &code_on(fx.store.as_ref(), v, "a"),
                None,
            )
            .unwrap();
            r
        })
        .collect();
    let t = Instant::now();
    for n in 0..COMMUNE_HOUSEHOLDS {
        new_household(&mut regs[0], &mut rng, n);
    }
    sync_ok(&mut regs[0], &hub);
    sync_ok(&mut regs[1], &hub);
    sync_ok(&mut regs[2], &hub);
    println!(
        "commune seeded: {COMMUNE_HOUSEHOLDS} households through the protocol in {:.1?}",
        t.elapsed()
    );

    let run = |reg: &mut Register, rng: &mut StdRng, base: usize, label: &str| {
        week_offline(reg, rng, base);
        let (r, took) = sync_ok(reg, &hub);
        let (nc, nc_took) = sync_ok(reg, &hub);
        println!(
            "{label}: week offline: {} round trips, {} B up, {} B down, {:.2?}; no-change sync: {} round trip, {} B, {:.1?}",
            r.round_trips,
            r.bytes_up,
            r.bytes_down,
            took,
            nc.round_trips,
            nc.bytes_up + nc.bytes_down,
            nc_took
        );
    };
    let docs = fx.store.doc_count().unwrap();
    run(
        &mut regs[1],
        &mut rng,
        10_000,
        &format!("small database ({docs} households)"),
    );
    // vol-2 catches up with vol-1's week, so its own week pulls nothing but its echo either.
    sync_ok(&mut regs[2], &hub);

    // The province: clone the commune's documents server-side into other communes.
    let t = Instant::now();
    let mut c = ::postgres::Client::connect(&fx.location, ::postgres::NoTls).unwrap();
    let have = fx.store.doc_count().unwrap() as i64;
    let n = PROVINCE_HOUSEHOLDS - have;
    c.batch_execute(&format!(
        "BEGIN;
         LOCK TABLE hub_seq;
         CREATE TEMP TABLE tpl AS SELECT row_number() OVER (ORDER BY doc_id) - 1 AS k, heads, bytes FROM docs;
         INSERT INTO docs (doc_id, commune, hamlet, seq, heads, bytes, updated_at, updated_by)
         SELECT 'clone-' || g, lpad((10000 + g % 99)::text, 5, '0'), 'thon-' || (g % 7),
                (SELECT value FROM hub_seq) + g, tpl.heads, tpl.bytes, '2026-11-23T00:00:00.000Z', 'seed'
         FROM generate_series(1, {n}) g JOIN tpl ON tpl.k = g % (SELECT count(*) FROM tpl);
         UPDATE hub_seq SET value = value + {n};
         INSERT INTO device_docs (device_id, doc_id, heads)
         SELECT 'dev-' || (g % 2000), 'clone-' || g, '\\x' FROM generate_series(1, {n}) g;
         COMMIT;
         ANALYZE;"
    ))
    .unwrap();
    let size: String = c
        .query_one(
            "SELECT pg_size_pretty(pg_database_size(current_database()))",
            &[],
        )
        .unwrap()
        .get(0);
    println!(
        "province seeded: {} households ({size}) in {:.1?}",
        fx.store.doc_count().unwrap(),
        t.elapsed()
    );
    let docs = fx.store.doc_count().unwrap();
    run(
        &mut regs[2],
        &mut rng,
        20_000,
        &format!("province database ({docs} households)"),
    );
}
