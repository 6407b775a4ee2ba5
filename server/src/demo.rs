//! `gocua-hub demo`: a hub on embedded SQLite whose demo commune arrived through the real
//! protocol, over HTTP, from three volunteer devices that worked offline (two of them edited
//! the same household), then a campaign of three weeks by ten more (`demo_campaign`).

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;
use gocua_core::input::HouseholdInput;
use gocua_core::model::*;
use gocua_core::sync::{self, SyncOptions, SyncReport, TlsOptions};
use gocua_core::{HouseholdField, Register};

use crate::admin;
use crate::demo_campaign::Shift;
use crate::http::RunningHub;
use crate::{Hub, HubConfig, SqliteStore};

use crate::demo_people::member;
pub use crate::demo_people::{DEMO_COMMUNE, DEMO_PROVINCE};
/// The demo coordinator's dashboard password (a demo only: real ones come from stdin).
pub const DEMO_PASSWORD: &str = "demo-ubnd-xa";

type DemoResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Around the demo commune's office (Ba Đình, Hà Nội); each house a few tens of metres apart.
const CENTRE: (f64, f64) = (21.0337, 105.8142);

fn position(number: usize) -> GpsFix {
    GpsFix {
        lat: CENTRE.0 + (number % 7) as f64 * 0.0007,
        lon: CENTRE.1 + (number / 7) as f64 * 0.0007,
        accuracy_m: 8.0,
        fixed_at: Utc::now() - chrono::Duration::minutes(10),
        source: GpsSource::Fix,
    }
}

fn household(hamlet: &str, street: &str, number: usize) -> HouseholdInput {
    HouseholdInput {
        area: Area {
            province_code: DEMO_PROVINCE.into(),
            commune_code: DEMO_COMMUNE.into(),
            hamlet_id: hamlet.into(),
        },
        address: Address {
            street: Some(street.into()),
            alley: None,
            house_number: Some(number.to_string()),
        },
        gps: Some(position(number)),
        official: None,
        notes: None,
    }
}

const FAMILY: &[&str] = &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
const GIVEN_M: &[&str] = &["Văn An", "Văn Bình", "Đức Cường", "Minh Dũng", "Quang Hải"];
const GIVEN_F: &[&str] = &["Thị Lan", "Thị Mai", "Thu Hà", "Ngọc Anh", "Thị Hoa"];

/// Registers `n` households with a head and a spouse in `hamlet`, offline.
fn register_households(
    reg: &mut Register,
    hamlet: &str,
    street: &str,
    n: usize,
    seed: usize,
) -> DemoResult<Vec<HouseholdId>> {
    let mut ids = Vec::new();
    for i in 0..n {
        let k = seed + i;
        let id = reg
            .create_household(household(hamlet, street, 10 + k))?
            .value;
        let head = reg
            .add_member_with_consent(
                &id,
                member(
                    &format!(
                        "{} {}",
                        FAMILY[k % FAMILY.len()],
                        GIVEN_M[k % GIVEN_M.len()]
                    ),
                    1960 + (k % 30) as i32,
                    Gender::Male,
                    Relation::Head,
                ),
                &gocua_core::consent_rule::ConsentGiven::every_purpose(),
            )?
            .value;
        reg.set_household_field(&id, HouseholdField::Head(Some(head.clone())))?;
        let wife = reg
            .add_member_with_consent(
                &id,
                member(
                    &format!(
                        "{} {}",
                        FAMILY[(k + 3) % FAMILY.len()],
                        GIVEN_F[k % GIVEN_F.len()]
                    ),
                    1962 + (k % 30) as i32,
                    Gender::Female,
                    Relation::Wife,
                ),
                &gocua_core::consent_rule::ConsentGiven::every_purpose(),
            )?
            .value;
        reg.set_checklist(
            &id,
            &head,
            ChecklistItem::Smartphone,
            ChecklistStatus::Done,
            None,
            Some(SmartphoneAccess::Own),
        )?;
        reg.set_checklist(
            &id,
            &wife,
            ChecklistItem::VneidInstalled,
            ChecklistStatus::InProgress,
            None,
            None,
        )?;
        ids.push(id);
    }
    Ok(ids)
}

fn line(who: &str, r: &SyncReport) {
    println!(
        "  {who:<9} sync: {:?}, {} round trips, {} B up / {} B down, {} households sent, {} received",
        r.outcome, r.round_trips, r.bytes_up, r.bytes_down, r.pushed, r.pulled
    );
}

/// What the data-quality page is for, one example of each problem, registered by Hoa offline:
/// the same house registered twice, a household with two heads, a child born before the head
/// and VNeID level 2 "done" after level 1 failed, a position in Hồ Chí Minh City, and a
/// household an older app version wrote with a phone number today's rules refuse.
fn data_quality_examples(hoa: &mut Register) -> DemoResult<()> {
    println!(
        "\nHoa registers more households offline, with the mistakes the data-quality page shows:"
    );
    // The same house, head and position as her first household.
    register_households(hoa, "thon-bac", "Đường Đê", 1, 20)?;
    println!("  Đường Đê 30 registered a second time");
    let odd = hoa
        .create_household(household("thon-bac", "Đường Đê", 40))?
        .value;
    let every = gocua_core::consent_rule::ConsentGiven::every_purpose();
    let head = member("Lò Văn Páo", 1968, Gender::Male, Relation::Head);
    let head_id = hoa
        .add_member_with_consent(&odd, head.clone(), &every)?
        .value;
    hoa.add_member_with_consent(&odd, head, &every)?;
    hoa.add_member_with_consent(
        &odd,
        member("Lò Văn Chứ", 1920, Gender::Male, Relation::Child),
        &every,
    )?;
    for (item, status) in [
        (ChecklistItem::VneidLevel1, ChecklistStatus::Failed),
        (ChecklistItem::VneidLevel2, ChecklistStatus::Done),
    ] {
        hoa.set_checklist(
            &odd,
            &head_id,
            item,
            status,
            Some("mất sóng".into()).filter(|_| status == ChecklistStatus::Failed),
            None,
        )?;
    }
    println!(
        "  Đường Đê 40: two identical heads, a child born 1920, VNeID level 2 done after level 1 failed"
    );
    let far = HouseholdInput {
        gps: Some(GpsFix {
            lat: 10.7769,
            lon: 106.7009,
            ..position(41)
        }),
        ..household("thon-bac", "Đường Đê", 41)
    };
    let far_id = hoa.create_household(far)?.value;
    hoa.add_member_with_consent(
        &far_id,
        member("Đinh Văn Quý", 1975, Gender::Male, Relation::Head),
        &every,
    )?;
    println!("  Đường Đê 41: a GPS position in Hồ Chí Minh City");
    // A household as an older app wrote it: a phone number that today's rules refuse.
    let old = hoa
        .create_household(household("thon-bac", "Đường Đê", 42))?
        .value;
    let old_head = hoa
        .add_member_with_consent(
            &old,
            member("Hà Văn Sơn", 1980, Gender::Male, Relation::Head),
            &every,
        )?
        .value;
    let mut doc = gocua_core::HouseholdDoc::load(&hoa.export_document(&old)?)?;
    let me = hoa.identity().clone();
    doc.apply(
        &gocua_core::Edit::SetMember {
            member: old_head,
            field: gocua_core::MemberField::Phone(Some("0123".into())),
        },
        &gocua_core::ChangeContext {
            volunteer: me.volunteer,
            device: me.device,
            at: Utc::now(),
        },
    )?;
    hoa.merge_document(&doc.save())?;
    hoa.set_household_field(&old, HouseholdField::Notes(Some("Gọi lại sau".into())))?;
    println!("  Đường Đê 42: written by an older app with a phone number the hub refuses");
    Ok(())
}

/// A fourth phone whose clock runs three hours ahead (a drained battery, no network time):
/// the hub tells its volunteer and the coordinator, and flags the dates it recorded.
fn wrong_clock_example(
    store: &SqliteStore,
    url: &str,
    devices: &Path,
    now: chrono::DateTime<Utc>,
) -> DemoResult<()> {
    let ahead = now + chrono::Duration::hours(3);
    let mut reg = Register::create(
        &devices.join("vol-dung.db"),
        VolunteerId("vol-dung".into()),
        DEMO_COMMUNE,
    )?
    .with_clock(gocua_core::FixedClock(ahead));
    let code = admin::issue_pairing(
        store,
        "ubnd-xa",
        "vol-dung",
        "bac",
        chrono::Duration::hours(24),
        now,
    )?;
    sync::enrol(&mut reg, url, &code, &TlsOptions::default())?;
    let input = HouseholdInput {
        gps: Some(GpsFix {
            fixed_at: ahead,
            ..position(50)
        }),
        ..household("thon-bac", "Đường Đê", 50)
    };
    let id = reg.create_household(input)?.value;
    reg.add_member_with_consent(
        &id,
        member("Mạc Văn Tùng", 1985, Gender::Male, Relation::Head),
        &gocua_core::consent_rule::ConsentGiven::every_purpose(),
    )?;
    let r = sync::sync(&mut reg, &SyncOptions::default())?;
    println!("\nDũng's phone, its clock three hours ahead, registers Đường Đê 50:");
    line("vol-dung", &r);
    for note in gocua_core::screens::sync_status::report_notes(&r, gocua_core::screens::Lang::Vi) {
        println!("  {note}");
    }
    Ok(())
}

/// Builds the demo under `data` and serves it on `listen` until Ctrl-C.
pub fn run(data: &Path, listen: &str) -> DemoResult<()> {
    crate::store::private_dir(data)?;
    let db = data.join("hub.db");
    if db.exists() {
        return Err(format!(
            "{} already exists: give an empty --data directory for the demo",
            db.display()
        )
        .into());
    }
    let store = Arc::new(SqliteStore::open(&db)?);
    // The campaign's three weeks are worked through on a shifted clock the hub reads too.
    let shift = Shift::default();
    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()).with_clock({
        let shift = shift.clone();
        move || shift.now()
    }));
    let running = RunningHub::start(hub.clone(), listen, None, true)?;
    let url = running.url();
    println!("gocua-hub demo: hub on {url}, data in {}", data.display());

    // The coordinator sets up the commune: two areas, each a team's hamlets.
    let now = Utc::now();
    admin::add_coordinator(
        store.as_ref(),
        "ubnd-xa",
        "Cán bộ UBND xã",
        DEMO_COMMUNE,
        now,
    )?;
    crate::dashboard::auth::set_password(store.as_ref(), "ubnd-xa", DEMO_PASSWORD)?;
    admin::create_area(
        store.as_ref(),
        "dong-tay",
        "Thôn Đông và Thôn Tây",
        DEMO_COMMUNE,
        &["Thôn Đông".into(), "Thôn Tây".into()],
    )?;
    admin::create_area(
        store.as_ref(),
        "bac",
        "Thôn Bắc",
        DEMO_COMMUNE,
        &["Thôn Bắc".into()],
    )?;

    // Three volunteers enrol their phones with pairing codes, over HTTP.
    let devices = data.join("devices");
    std::fs::create_dir_all(&devices)?;
    let mut regs = Vec::new();
    for (vol, area) in [
        ("vol-lan", "dong-tay"),
        ("vol-minh", "dong-tay"),
        ("vol-hoa", "bac"),
    ] {
        let path = devices.join(format!("{vol}.db"));
        let mut reg = Register::create(&path, VolunteerId(vol.into()), DEMO_COMMUNE)?;
        let code = admin::issue_pairing(
            store.as_ref(),
            "ubnd-xa",
            vol,
            area,
            chrono::Duration::hours(24),
            now,
        )?;
        let enrolment = sync::enrol(&mut reg, &url, &code, &TlsOptions::default())?;
        println!(
            "  {vol:<9} enrolled with code {code} for area '{}'",
            enrolment.area.name
        );
        regs.push((vol, reg));
    }

    // Offline days: each registers the households of its hamlets.
    let lan = register_households(&mut regs[0].1, "thon-dong", "Đường Làng", 6, 0)?;
    register_households(&mut regs[1].1, "thon-tay", "Xóm Giữa", 5, 10)?;
    register_households(&mut regs[2].1, "thon-bac", "Đường Đê", 5, 20)?;
    println!("\nCoverage returns: each device syncs.");
    for (vol, reg) in regs.iter_mut() {
        line(vol, &sync::sync(reg, &SyncOptions::default())?);
    }
    // Lan's teammate Minh now holds Lan's households too (same area). Both go offline again
    // and edit the same household: Minh adds a child and a note, Lan finishes the wife's VNeID
    // set-up, and both change the house number (a conflict to review).
    for (vol, reg) in regs.iter_mut().take(2) {
        line(vol, &sync::sync(reg, &SyncOptions::default())?);
    }
    let shared = lan[0].clone();
    {
        let minh = &mut regs[1].1;
        // A child of 14: the head consents for him, as his guardian.
        let guardian = minh.household(&shared)?.head;
        minh.add_member_with_consent(
            &shared,
            member("Nguyễn Văn Bảo", 2012, Gender::Male, Relation::Child),
            &gocua_core::consent_rule::ConsentGiven {
                guardian,
                ..gocua_core::consent_rule::ConsentGiven::every_purpose()
            },
        )?;
        minh.set_household_field(
            &shared,
            HouseholdField::Notes(Some("Hẹn quay lại hướng dẫn VNeID mức 2".into())),
        )?;
        minh.set_household_field(&shared, HouseholdField::HouseNumber(Some("12A".into())))?;
    }
    {
        let lan_reg = &mut regs[0].1;
        let h = lan_reg.household(&shared)?;
        let wife = h
            .members
            .values()
            .find(|m| m.relation == Relation::Wife)
            .map(|m| m.id.clone())
            .ok_or("no wife")?;
        lan_reg.set_checklist(
            &shared,
            &wife,
            ChecklistItem::VneidInstalled,
            ChecklistStatus::Done,
            None,
            None,
        )?;
        lan_reg.set_household_field(&shared, HouseholdField::HouseNumber(Some("12B".into())))?;
    }
    println!("\nOverlapping offline edits of household {shared}, then sync in turn:");
    for i in [1usize, 0, 1, 0] {
        let (vol, reg) = &mut regs[i];
        line(vol, &sync::sync(reg, &SyncOptions::default())?);
    }
    let merged = regs[0].1.household(&shared)?;
    println!(
        "  merged on both devices: {} members, notes kept, {} field(s) in conflict for review",
        merged.current_members().count(),
        regs[0].1.conflicts(&shared)?.len()
    );
    println!("  a sync with nothing new:");
    line(
        regs[2].0,
        &sync::sync(&mut regs[2].1, &SyncOptions::default())?,
    );

    let hoa = regs
        .iter_mut()
        .find(|(v, _)| *v == "vol-hoa")
        .ok_or("no hoa")?;
    data_quality_examples(&mut hoa.1)?;
    line("vol-hoa", &sync::sync(&mut hoa.1, &SyncOptions::default())?);
    wrong_clock_example(store.as_ref(), &url, &devices, now)?;

    println!(
        "\nThe campaign: ten volunteers over the three weeks before today (one phone quiet for five days)…"
    );
    let started = std::time::Instant::now();
    let campaign = crate::demo_campaign::run(
        store.as_ref(),
        &url,
        &devices,
        "ubnd-xa",
        &shift,
        crate::demo_campaign::FULL,
    )?;
    println!(
        "  {} households in {} hamlets, {} syncs, in {:.1} s; expected households set per hamlet;\n  \
         {} households imported from the commune's list, to verify at the door (Import page)",
        campaign.households,
        campaign.hamlets,
        campaign.syncs,
        started.elapsed().as_secs_f64(),
        campaign.imported,
    );

    let report = crate::report::Report::collect(store.as_ref())?;
    println!("\n{}", report.to_text());
    println!("Where to look:");
    println!("  {url}/              device sync status and sessions (browser)");
    println!("  {url}/status.json   the same as JSON");
    println!(
        "  {url}/dashboard/    the coordinators' dashboard: sign in as ubnd-xa / {DEMO_PASSWORD}"
    );
    println!("  {}   the hub's SQLite database", db.display());
    println!(
        "  {}/   the demo devices' registers (gocua CLI)",
        devices.display()
    );
    println!("Serving until stopped (Ctrl-C).");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let _ = tokio::signal::ctrl_c().await;
    });
    running.stop();
    Ok(())
}
