//! Register benchmark (issue 2): 10,000 households with 4 members each, on disk, durable writes.
//!
//! Run: `cargo bench -p gocua-core --bench register` (add `-- --households N` for another size).
//! Prints a Markdown table for docs/BENCHMARKS.md.

use std::time::{Duration, Instant};

use cpu_time::ThreadTime;

use chrono::NaiveDate;
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::*;
use gocua_core::{MemberField, Register};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const COMMUNE: &str = "00004";
const HAMLETS: usize = 10;
const SURNAMES: [&str; 10] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
];
const MIDDLES: [&str; 8] = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc"];
const GIVEN: [&str; 16] = [
    "An", "Bình", "Cường", "Dũng", "Hoà", "Hương", "Lan", "Long", "Mai", "Nam", "Phúc", "Quân",
    "Sơn", "Thảo", "Trang", "Yến",
];

fn name(rng: &mut StdRng) -> String {
    format!(
        "{} {} {}",
        SURNAMES[rng.random_range(0..10)],
        MIDDLES[rng.random_range(0..8)],
        GIVEN[rng.random_range(0..16)]
    )
}

fn member(rng: &mut StdRng, relation: Relation) -> MemberInput {
    // Adults only: a minor's birth date needs a guardian's consent (consent_rule.rs).
    let year = rng.random_range(1950..2008);
    let gender = if rng.random_bool(0.5) {
        Gender::Male
    } else {
        Gender::Female
    };
    let century_digit = match (year >= 2000, gender) {
        (false, Gender::Male) => 0,
        (false, Gender::Female) => 1,
        (true, Gender::Male) => 2,
        (true, Gender::Female) => 3,
    };
    MemberInput {
        full_name: name(rng),
        birth: Some(BirthDate::Year(year)),
        gender: Some(gender),
        relation,
        id_number: Some(format!(
            "001{century_digit}{:02}{:06}",
            year % 100,
            rng.random_range(0..1_000_000)
        )),
        phone: Some(phone(rng)),
        residence: ResidenceType::Permanent,
    }
}

/// A mobile number from the 09x ranges in use (095 is not one).
fn phone(rng: &mut StdRng) -> String {
    const THIRD: [u32; 8] = [1, 2, 3, 4, 6, 7, 8, 9];
    format!(
        "09{}{:07}",
        THIRD[rng.random_range(0..8)],
        rng.random_range(0..10_000_000)
    )
}

struct Stats(Vec<Duration>);

impl Stats {
    fn pct(&mut self, p: f64) -> Duration {
        self.0.sort();
        let i = ((self.0.len() as f64 - 1.0) * p).round() as usize;
        self.0[i]
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let households = args
        .iter()
        .position(|a| a == "--households")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000usize);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.db");
    let mut rng = StdRng::seed_from_u64(7);
    let mut reg =
        Register::create(&path, VolunteerId("bench".into()), COMMUNE).expect("create register");
    let hamlets: Vec<String> = (0..HAMLETS)
        .map(|i| {
            reg.add_hamlet(COMMUNE, &format!("Thôn {}", i + 1))
                .expect("hamlet")
                .id
        })
        .collect();

    let mut writes = Stats(Vec::with_capacity(households * 5));
    // CPU time of the writing thread: what a write costs apart from waiting for the disk and for
    // other processes on a shared machine.
    let mut write_cpu = Stats(Vec::with_capacity(households * 5));
    let mut ids = Vec::with_capacity(households);
    let started = Instant::now();
    for n in 0..households {
        let input = HouseholdInput {
            area: Area {
                province_code: "01".into(),
                commune_code: COMMUNE.into(),
                hamlet_id: hamlets[n % HAMLETS].clone(),
            },
            address: Address {
                street: Some("Đường Liễu Giai".into()),
                alley: Some(format!("Ngõ {}", n % 40)),
                house_number: Some(n.to_string()),
            },
            gps: Some(GpsFix {
                lat: 21.03 + rng.random_range(0.0..0.01),
                lon: 105.81 + rng.random_range(0.0..0.01),
                accuracy_m: 5.0,
                fixed_at: chrono::Utc::now(),
                source: GpsSource::Fix,
            }),
            official: None,
            notes: None,
        };
        let (t, c) = (Instant::now(), ThreadTime::now());
        let hid = reg.create_household(input).expect("household").value;
        writes.0.push(t.elapsed());
        write_cpu.0.push(c.elapsed());
        for relation in [
            Relation::Head,
            Relation::Wife,
            Relation::Child,
            Relation::Child,
        ] {
            let m = member(&mut rng, relation);
            let (t, c) = (Instant::now(), ThreadTime::now());
            reg.add_member_with_consent(
                &hid,
                m,
                &gocua_core::consent_rule::ConsentGiven::every_purpose(),
            )
            .expect("member");
            writes.0.push(t.elapsed());
            write_cpu.0.push(c.elapsed());
        }
        ids.push(hid);
    }
    let load_time = started.elapsed();

    // Five edits on a sample of households, then the bytes they take.
    let sample: Vec<HouseholdId> = ids
        .iter()
        .step_by((households / 1000).max(1))
        .cloned()
        .collect();
    let mut edits = Stats(Vec::new());
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    for hid in &sample {
        let h = reg.household(hid).expect("read");
        let members: Vec<MemberId> = h.members.keys().cloned().collect();
        let t = Instant::now();
        reg.set_checklist(
            hid,
            &members[0],
            ChecklistItem::VneidInstalled,
            ChecklistStatus::Done,
            None,
            None,
        )
        .expect("edit");
        reg.set_checklist(
            hid,
            &members[0],
            ChecklistItem::VneidLevel1,
            ChecklistStatus::Done,
            None,
            None,
        )
        .expect("edit");
        reg.set_checklist(
            hid,
            &members[1],
            ChecklistItem::VneidLevel2,
            ChecklistStatus::Referred,
            None,
            None,
        )
        .expect("edit");
        reg.set_member_field(
            hid,
            &members[2],
            MemberField::Phone(Some("0912345678".into())),
        )
        .expect("edit");
        reg.record_visit(hid, today, VisitOutcome::Registered, None, None)
            .expect("edit");
        edits.0.push(t.elapsed() / 5);
    }
    let mut reads = Stats(Vec::new());
    for hid in &sample {
        let t = Instant::now();
        reg.household(hid).expect("read");
        reads.0.push(t.elapsed());
    }
    let doc_bytes: i64 = sample
        .iter()
        .map(|h| reg.stored_bytes(h).expect("bytes"))
        .sum();
    let doc_bytes_per = doc_bytes as f64 / sample.len() as f64;
    drop(reg);

    // Open + list a hamlet (first screen of 50, and the whole hamlet).
    let t = Instant::now();
    let reg = Register::open(&path).expect("open");
    let first = reg.list_hamlet(COMMUNE, &hamlets[3], 50, 0).expect("list");
    let open_list = t.elapsed();
    assert_eq!(first.len(), 50);
    let t = Instant::now();
    let whole = reg
        .list_hamlet(COMMUNE, &hamlets[3], 100_000, 0)
        .expect("list");
    let whole_list = t.elapsed();

    let mut searches = Stats(Vec::new());
    let mut hits = 0;
    for _ in 0..500 {
        let q = gocua_core::text::fold(&name(&mut rng));
        let t = Instant::now();
        hits += reg.search(&q, 20).expect("search").len();
        searches.0.push(t.elapsed());
    }
    let mut phone_search = Stats(Vec::new());
    for _ in 0..200 {
        let q = phone(&mut rng);
        let t = Instant::now();
        reg.search(&q, 20).expect("search");
        phone_search.0.push(t.elapsed());
    }
    drop(reg);
    // File size after a checkpoint, all tables included.
    let conn_bytes = {
        let reg = Register::open(&path).expect("open");
        drop(reg);
        std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
            + std::fs::metadata(path.with_extension("db-wal"))
                .map(|m| m.len())
                .unwrap_or(0)
    };

    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!(
        "| households x members | {households} x 4 ({} writes in {:.1} s) | |",
        writes.0.len(),
        load_time.as_secs_f64()
    );
    println!("| write p50 | {} | |", ms(writes.pct(0.5)));
    println!("| write p99 | {} | < 5 ms |", ms(writes.pct(0.99)));
    println!(
        "| write CPU time p50 / p99 (the writing thread only) | {} / {} | |",
        ms(write_cpu.pct(0.5)),
        ms(write_cpu.pct(0.99))
    );
    println!(
        "| open one household (load document + read) p50 / p99 | {} / {} | |",
        ms(reads.pct(0.5)),
        ms(reads.pct(0.99))
    );
    println!(
        "| edit p50 / p99 (checklist, field, visit) | {} / {} | |",
        ms(edits.pct(0.5)),
        ms(edits.pct(0.99))
    );
    println!(
        "| open + list first 50 of a hamlet | {} | < 200 ms |",
        ms(open_list)
    );
    println!(
        "| list a whole hamlet ({} households) | {} | |",
        whole.len(),
        ms(whole_list)
    );
    println!(
        "| name search p50 / p99 (500 queries, {hits} hits) | {} / {} | < 10 ms |",
        ms(searches.pct(0.5)),
        ms(searches.pct(0.99))
    );
    println!(
        "| phone search p50 / p99 | {} / {} | < 10 ms |",
        ms(phone_search.pct(0.5)),
        ms(phone_search.pct(0.99))
    );
    println!(
        "| document bytes per household after 5 edits ({} sampled) | {:.0} B | < 8 KB |",
        sample.len(),
        doc_bytes_per
    );
    println!(
        "| database file per household (all tables and indexes) | {:.0} B | |",
        conn_bytes as f64 / households as f64
    );
}
