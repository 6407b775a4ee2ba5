//! Render time of the dashboard's pages (overview, sync report, activity, map, a hamlet's cards)
//! for a commune of 10,000 households (4 members each, a GPS position, checklist progress,
//! visits) and 50 devices with 20 sessions each.
//! `cargo bench -p gocua-hub --bench dashboard`; results in docs/BENCHMARKS.md.
//!
//! On PostgreSQL: `scripts/with-postgres.sh cargo bench -p gocua-hub --bench dashboard -- --postgres`
//! (a new database on the cluster named by `GOCUA_TEST_POSTGRES_URL`, a pool of 4).
//!
//! The households are written through the store's `commit_push` (the path a sync takes), so the
//! dashboard's query tables are derived exactly as in service.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::*;
use gocua_core::sync::wire::SessionOutcome;
use gocua_core::{ChangeContext, Edit, HouseholdDoc, HouseholdField};
use gocua_hub::dashboard::i18n::Lang;
use gocua_hub::dashboard::{Dash, Signed, activity, exports, map, overview, print, sync_report};
use gocua_hub::store::Traffic;
use gocua_hub::store::query::WebSession;
use gocua_hub::{Hub, HubConfig, HubStore, PgStore, SqliteStore, admin};

/// Households seeded, unless GOCUA_BENCH_HOUSEHOLDS says otherwise (issue 17 asks for 10,000
/// and 100,000).
const HOUSEHOLDS: usize = 10_000;
const DEVICES: usize = 50;
const HAMLETS: usize = 10;
/// Renders per page, unless GOCUA_BENCH_RUNS says otherwise.
const RUNS: usize = 30;

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô",
];
const GIVEN: &[&str] = &[
    "Văn An",
    "Thị Lan",
    "Đức Cường",
    "Thị Mai",
    "Minh Dũng",
    "Thu Hà",
    "Quang Hải",
];

/// A new database on the test cluster, as a key=value connection string.
fn postgres_database() -> Result<String, Box<dyn std::error::Error>> {
    let url = std::env::var("GOCUA_TEST_POSTGRES_URL")
        .map_err(|_| "--postgres needs GOCUA_TEST_POSTGRES_URL (scripts/with-postgres.sh)")?;
    let name = format!("gocua_bench_{}", hex::encode(rand::random::<[u8; 6]>()));
    ::postgres::Client::connect(&url, ::postgres::NoTls)?
        .batch_execute(&format!("CREATE DATABASE {name}"))?;
    let config: ::postgres::Config = url.parse()?;
    let host = match config.get_hosts().first() {
        Some(::postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "127.0.0.1".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("postgres");
    let password = config
        .get_password()
        .map(|p| format!(" password='{}'", String::from_utf8_lossy(p)))
        .unwrap_or_default();
    Ok(format!(
        "host={host} port={port} user={user}{password} dbname={name}"
    ))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let on_postgres = std::env::args().any(|a| a == "--postgres");
    let households = env_count("GOCUA_BENCH_HOUSEHOLDS", HOUSEHOLDS);
    let runs = env_count("GOCUA_BENCH_RUNS", RUNS);
    let store: Arc<dyn HubStore> = if on_postgres {
        Arc::new(PgStore::open(&postgres_database()?, 4)?)
    } else {
        Arc::new(SqliteStore::open(&dir.path().join("hub.db"))?)
    };
    println!(
        "store: {}",
        if on_postgres { "PostgreSQL" } else { "SQLite" }
    );
    let now = Utc::now();
    admin::add_coordinator(store.as_ref(), "coord", "Cán bộ xã", "00004", now)?;
    let hamlets: Vec<String> = (1..=HAMLETS).map(|i| format!("Thôn {i}")).collect();
    let area = admin::create_area(store.as_ref(), "all", "Cả xã", "00004", &hamlets)?;
    let mut seed = 0x2545_f491_u64;
    let mut rnd = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };

    let t0 = Instant::now();
    let mut batch = Vec::new();
    let start = Utc.timestamp_opt(1_780_000_000, 0).single().ok_or("time")?;
    for i in 0..households {
        let hamlet = &area.hamlets[i % HAMLETS].id;
        let ctx = ChangeContext {
            volunteer: VolunteerId(format!("vol-{:02}", i % DEVICES)),
            device: DeviceId(format!("dev-{:02}", i % DEVICES)),
            // Registrations spread over 120 days.
            at: start + chrono::Duration::minutes(rnd(120 * 24 * 60) as i64),
        };
        let id = HouseholdId(format!("hh{i:06}"));
        let input = HouseholdInput {
            area: Area {
                province_code: "01".into(),
                commune_code: "00004".into(),
                hamlet_id: hamlet.clone(),
            },
            address: Address {
                street: Some("Đường Làng".into()),
                alley: None,
                house_number: Some((i + 1).to_string()),
            },
            gps: Some(GpsFix {
                lat: 21.02 + (i % 97) as f64 * 0.0002 + (i / 1000) as f64 * 0.004,
                lon: 105.80 + (i % 89) as f64 * 0.0002,
                accuracy_m: 8.0,
                fixed_at: ctx.at,
                source: GpsSource::Fix,
            }),
            official: None,
            notes: None,
        };
        let mut doc = HouseholdDoc::create(&id, &input, "2026-07-25", &ctx)?;
        let mut head = None;
        for m in 0..4 {
            let member = MemberId(format!("m{i}-{m}"));
            let relation = if m == 0 {
                Relation::Head
            } else {
                Relation::Child
            };
            doc.apply(
                &Edit::AddMember {
                    id: member.clone(),
                    member: MemberInput {
                        full_name: format!(
                            "{} {}",
                            FAMILY[rnd(FAMILY.len() as u64) as usize],
                            GIVEN[rnd(GIVEN.len() as u64) as usize]
                        ),
                        birth: Some(BirthDate::Year(1950 + rnd(60) as i32)),
                        gender: Some(if m % 2 == 0 {
                            Gender::Male
                        } else {
                            Gender::Female
                        }),
                        relation,
                        id_number: None,
                        phone: None,
                        residence: ResidenceType::Permanent,
                    },
                },
                &ctx,
            )?;
            if m == 0 {
                head = Some(member.clone());
            }
            // Checklist progress: a few items per member.
            let done = rnd(8) as usize;
            for item in ChecklistItem::ALL.iter().take(done) {
                let later = ChangeContext {
                    at: ctx.at + chrono::Duration::days(rnd(30) as i64),
                    ..ctx.clone()
                };
                doc.apply(
                    &Edit::SetChecklist {
                        member: member.clone(),
                        item: *item,
                        status: ChecklistStatus::Done,
                        reason: None,
                        smartphone: None,
                    },
                    &later,
                )?;
            }
        }
        doc.apply(
            &Edit::SetHousehold {
                field: HouseholdField::Head(head),
            },
            &ctx,
        )?;
        doc.apply(
            &Edit::AddVisit {
                id: RecordId(format!("v{i}")),
                date: ctx.at.date_naive(),
                outcome: VisitOutcome::Registered,
                note: None,
                follow_up_on: None,
            },
            &ctx,
        )?;
        batch.push(gocua_hub::hub::write_of(&id.0, &mut doc, None, now)?);
        if batch.len() == 500 {
            store.commit_push("bench", &batch, &[], now)?;
            batch.clear();
        }
    }
    store.commit_push("bench", &batch, &[], now)?;
    let seeded = t0.elapsed();

    // 50 devices, 20 sessions each (some failed, some partial).
    for d in 0..DEVICES {
        let vol = format!("vol-{d:02}");
        let code = admin::issue_pairing(
            store.as_ref(),
            "coord",
            &vol,
            "all",
            chrono::Duration::hours(1),
            now,
        )?;
        let device = store
            .redeem_pairing(
                &gocua_hub::hub::secret_hash(&gocua_hub::hub::normalise_code(&code)),
                now,
                &format!("dev-{d:02}"),
                &vol,
                "00004",
                &format!("token-{d}"),
            )?
            .map_err(|e| format!("{e:?}"))?;
        for s in 0..20 {
            let at = now - chrono::Duration::hours((20 - s) as i64 * 7 + d as i64);
            let session = store.start_session(&device, at, 3)?;
            store.record_traffic(
                session,
                &Traffic {
                    docs_up: 3,
                    bytes_up: 4000,
                    docs_down: 12,
                    bytes_down: 30_000,
                    rejected: 0,
                },
                &[],
                &[],
            )?;
            let outcome = match s % 10 {
                3 => SessionOutcome::Failed,
                7 => SessionOutcome::Partial,
                _ => SessionOutcome::Success,
            };
            store.finish_session(
                session,
                &device.device_id,
                outcome,
                at,
                0,
                Some("network_timeout"),
            )?;
        }
    }

    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
    let dash = Dash::new(hub, false);
    let dstore = store.dashboard().ok_or("no dashboard")?;
    let who = Signed {
        coordinator: dstore.coordinator_login("coord")?.ok_or("coordinator")?,
        session: WebSession {
            token_hash: "bench".into(),
            coordinator_id: "coord".into(),
            csrf: "bench".into(),
            created_at: now,
            expires_at: now + chrono::Duration::hours(1),
        },
    };
    let measure = |name: &str, f: &dyn Fn() -> usize| {
        let bytes = f(); // warm-up
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "| {name} | {:.1} | {:.1} | {:.1} | {} |",
            times[runs / 2].as_secs_f64() * 1e3,
            times[runs * 95 / 100].as_secs_f64() * 1e3,
            times[runs - 1].as_secs_f64() * 1e3,
            bytes
        );
    };
    println!(
        "seeded {households} households ({} members) and {DEVICES} devices in {:.1} s",
        households * 4,
        seeded.as_secs_f64()
    );
    println!("\n| page | median ms | p95 ms | max ms | HTML bytes |\n|---|---|---|---|---|");
    measure("Overview", &|| {
        overview::render(
            &dash,
            &who,
            Lang::Vi,
            &gocua_hub::dashboard::date_range::RangeQuery::default(),
        )
        .map(|h| h.len())
        .unwrap_or(0)
    });
    measure("Sync report", &|| {
        sync_report::render(
            &dash,
            &who,
            Lang::Vi,
            &gocua_hub::dashboard::date_range::RangeQuery::default(),
        )
        .map(|h| h.len())
        .unwrap_or(0)
    });
    measure("Activity (4 weeks)", &|| {
        activity::html(
            &dash,
            &who,
            Lang::Vi,
            &gocua_hub::dashboard::date_range::RangeQuery::default(),
        )
        .map(|h| h.len())
        .unwrap_or(0)
    });
    measure("Map (commune)", &|| {
        map::html(&dash, &who, Lang::Vi, &map::MapQuery::default())
            .map(|h| h.len())
            .unwrap_or(0)
    });
    measure("Cards of a hamlet (100)", &|| {
        print::html(&dash, &who, Lang::Vi, "thon-1", 1)
            .map(|h| h.len())
            .unwrap_or(0)
    });
    measure("Export: households (CSV)", &|| {
        exports::households(&dash, &who, Lang::Vi, None)
            .map(|t| exports::to_csv(&t).len())
            .unwrap_or(0)
    });
    measure("Export: members (CSV)", &|| {
        exports::members(&dash, &who, Lang::Vi, None)
            .map(|t| exports::to_csv(&t).len())
            .unwrap_or(0)
    });
    measure("Export: progress (XLSX)", &|| {
        exports::progress(&dash, &who, Lang::Vi)
            .ok()
            .and_then(|t| exports::to_xlsx(&[t]).ok())
            .map(|b| b.len())
            .unwrap_or(0)
    });
    Ok(())
}
