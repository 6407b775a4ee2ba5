//! The demo's campaign (issue 17, "a demo worth looking at"): a dozen hamlets in five areas with
//! the households each is expected to have, and ten volunteers whose phones register, revisit
//! and sync every working day of the three weeks before today, through the real protocol over
//! HTTP. The hub and the phones read one shifted clock, so each day's work and sync are dated
//! that day; one volunteer's phone stops syncing five days before the end (a stale device).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use gocua_core::input::HouseholdInput;
use gocua_core::model::*;
use gocua_core::sync::{self, SyncOptions, TlsOptions};
use gocua_core::text::hamlet_id;
use gocua_core::{Clock, HouseholdField, Register};

use crate::admin;
use crate::demo_people::{DEMO_COMMUNE, DEMO_PROVINCE, member};
use crate::store::HubStore;

type CampaignResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Seconds the demo's clock runs behind the real one: the hub and the campaign's phones read
/// `Utc::now()` shifted by it. Zero outside the campaign.
#[derive(Clone, Default)]
pub struct Shift(Arc<AtomicI64>);

impl Shift {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.0.load(Ordering::Relaxed))
    }

    /// Makes the clock read `at` (from now on, running).
    fn set(&self, at: DateTime<Utc>) {
        self.0
            .store((at - Utc::now()).num_seconds(), Ordering::Relaxed);
    }

    fn reset(&self) {
        self.0.store(0, Ordering::Relaxed);
    }
}

impl Clock for Shift {
    fn now(&self) -> DateTime<Utc> {
        Shift::now(self)
    }
}

/// How much work: days before today, households per volunteer per working day, earlier
/// households revisited per day.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub days: i64,
    pub per_day: usize,
    pub revisits: usize,
}

/// Three weeks, about 1,500 households.
pub const FULL: Scale = Scale {
    days: 21,
    per_day: 10,
    revisits: 4,
};

/// The campaign's areas: id, name, hamlets, and how quickly its people take up the accounts
/// (items per household at registration).
const AREAS: &[(&str, &str, &[&str], usize)] = &[
    (
        "nam-trung",
        "Thôn Nam và Thôn Trung",
        &["Thôn Nam", "Thôn Trung"],
        5,
    ),
    (
        "thuong-ha",
        "Thôn Thượng và Thôn Hạ",
        &["Thôn Thượng", "Thôn Hạ"],
        2,
    ),
    (
        "xom-cho",
        "Xóm Chợ, Xóm Bãi và Thôn Gò",
        &["Xóm Chợ", "Xóm Bãi", "Thôn Gò"],
        4,
    ),
    (
        "dong-tam",
        "Thôn Đồng Tâm và Thôn An Lạc",
        &["Thôn Đồng Tâm", "Thôn An Lạc"],
        7,
    ),
    (
        "song-cau",
        "Thôn Sông Cầu, Cầu Đá và Bến Đò",
        &["Thôn Sông Cầu", "Thôn Cầu Đá", "Thôn Bến Đò"],
        3,
    ),
];

/// Two volunteers per area, in the order of [`AREAS`].
const VOLUNTEERS: &[&str] = &[
    "vol-tuan",
    "vol-thu",
    "vol-nga",
    "vol-son",
    "vol-linh",
    "vol-quang",
    "vol-yen",
    "vol-hung",
    "vol-trang",
    "vol-khoa",
];

/// The volunteer whose phone stops syncing five days before today.
const QUIET: &str = "vol-son";

/// The set-up items in the order a volunteer usually helps with them.
const ORDER: &[ChecklistItem] = &[
    ChecklistItem::Smartphone,
    ChecklistItem::SimOwnName,
    ChecklistItem::VneidInstalled,
    ChecklistItem::VneidLevel1,
    ChecklistItem::CyberSafety,
    ChecklistItem::VneidLevel2,
    ChecklistItem::PublicServicePortal,
    ChecklistItem::BankAccount,
    ChecklistItem::QrPayment,
    ChecklistItem::LocalPlatform,
    ChecklistItem::FirstOnlineService,
    ChecklistItem::EcommerceBuyer,
];

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
];
const GIVEN_M: &[&str] = &[
    "Văn An",
    "Văn Bình",
    "Đức Cường",
    "Minh Dũng",
    "Quang Hải",
    "Văn Hùng",
    "Đình Khánh",
    "Văn Lực",
    "Hữu Nghĩa",
    "Công Phúc",
];
const GIVEN_F: &[&str] = &[
    "Thị Lan",
    "Thị Mai",
    "Thu Hà",
    "Ngọc Anh",
    "Thị Hoa",
    "Thị Hằng",
    "Thị Huệ",
    "Kim Oanh",
    "Thị Nhung",
    "Thanh Tâm",
];
const STREETS: &[&str] = &["Đường Làng", "Xóm Giữa", "Ngõ Đình", "Đường Đê", "Xóm Trại"];

/// A small deterministic spread of numbers, so every run builds the same commune.
fn spread(n: usize) -> usize {
    n.wrapping_mul(2_654_435_761) >> 7
}

/// 08:00 in Vietnam on `day`, plus `minutes`.
fn at_local(day: NaiveDate, minutes: i64) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - Duration::hours(7);
    midnight + Duration::hours(8) + Duration::minutes(minutes)
}

/// Where household `k` of hamlet `h` stands: hamlets a kilometre or so apart around the
/// commune, houses scattered within a few hundred metres.
fn spot(h: usize, k: usize, at: DateTime<Utc>) -> GpsFix {
    let (row, col) = ((h / 4) as f64, (h % 4) as f64);
    let r = spread(k * 31 + h);
    GpsFix {
        lat: 21.020 + row * 0.011 + (r % 300) as f64 * 0.00001,
        lon: 105.800 + col * 0.012 + ((r / 300) % 300) as f64 * 0.00001,
        accuracy_m: 5.0 + (r % 20) as f64,
        fixed_at: at,
        source: GpsSource::Fix,
    }
}

/// One household: a head, often a spouse and a grown child, and the first `items` set-up items
/// for the head (the spouse one fewer).
fn register_household(
    reg: &mut Register,
    hamlet: &str,
    hamlet_no: usize,
    k: usize,
    items: usize,
    at: DateTime<Utc>,
) -> CampaignResult<(HouseholdId, MemberId)> {
    let r = spread(k);
    let every = gocua_core::consent_rule::ConsentGiven::every_purpose();
    let input = HouseholdInput {
        area: Area {
            province_code: DEMO_PROVINCE.into(),
            commune_code: DEMO_COMMUNE.into(),
            hamlet_id: hamlet.into(),
        },
        address: Address {
            street: Some(STREETS[r % STREETS.len()].into()),
            alley: None,
            house_number: Some((1 + k % 180).to_string()),
        },
        gps: Some(spot(hamlet_no, k, at)),
        official: None,
        notes: None,
    };
    let id = reg.create_household(input)?.value;
    let family = FAMILY[r % FAMILY.len()];
    let head = reg
        .add_member_with_consent(
            &id,
            member(
                &format!("{family} {}", GIVEN_M[(r / 7) % GIVEN_M.len()]),
                1955 + (r % 40) as i32,
                Gender::Male,
                Relation::Head,
            ),
            &every,
        )?
        .value;
    reg.set_household_field(&id, HouseholdField::Head(Some(head.clone())))?;
    let mut people = vec![(head.clone(), items)];
    if r % 10 < 7 {
        let wife = reg
            .add_member_with_consent(
                &id,
                member(
                    &format!(
                        "{} {}",
                        FAMILY[(r / 3) % FAMILY.len()],
                        GIVEN_F[(r / 11) % GIVEN_F.len()]
                    ),
                    1957 + (r % 40) as i32,
                    Gender::Female,
                    Relation::Wife,
                ),
                &every,
            )?
            .value;
        people.push((wife, items.saturating_sub(1)));
    }
    if r % 10 < 4 {
        reg.add_member_with_consent(
            &id,
            member(
                &format!("{family} {}", GIVEN_M[(r / 13) % GIVEN_M.len()]),
                1990 + (r % 12) as i32,
                Gender::Male,
                Relation::Child,
            ),
            &every,
        )?;
    }
    for (member, n) in people {
        for item in ORDER.iter().take(n) {
            set_done(reg, &id, &member, *item)?;
        }
    }
    Ok((id, head))
}

fn set_done(
    reg: &mut Register,
    id: &HouseholdId,
    member: &MemberId,
    item: ChecklistItem,
) -> CampaignResult<()> {
    let smartphone = (item == ChecklistItem::Smartphone).then_some(SmartphoneAccess::Own);
    reg.set_checklist(id, member, item, ChecklistStatus::Done, None, smartphone)?;
    Ok(())
}

/// A phone of the campaign: its register, its area (index in [`AREAS`]), the households it
/// registered with the items reached so far, and how far into the morning it is working.
struct Phone {
    volunteer: &'static str,
    reg: Register,
    area: usize,
    done: Vec<(HouseholdId, MemberId, usize)>,
    clock: PhoneClock,
}

/// A phone's clock: the demo's, plus the seconds it is into its working morning (zero while it
/// syncs, so the hub sees no clock error).
#[derive(Clone)]
struct PhoneClock {
    shift: Shift,
    late: Arc<AtomicI64>,
}

impl Clock for PhoneClock {
    fn now(&self) -> DateTime<Utc> {
        self.shift.now() + Duration::seconds(self.late.load(Ordering::Relaxed))
    }
}

/// One phone's working day: revisits, then new households. Returns how many it registered.
fn work_day(
    phone: &mut Phone,
    i: usize,
    d: i64,
    day: NaiveDate,
    hamlets: &[(String, usize)],
    scale: Scale,
) -> CampaignResult<usize> {
    let (_, _, area_hamlets, pace) = AREAS[phone.area];
    // Revisits first: a step further for households met earlier.
    let revisit: Vec<usize> = (0..phone.done.len())
        .filter(|j| spread(j + d as usize).is_multiple_of(3))
        .take(scale.revisits)
        .collect();
    for j in revisit {
        let (id, head, reached) = phone.done[j].clone();
        phone.reg.record_visit(
            &id,
            day,
            VisitOutcome::FollowUpNeeded,
            None,
            Some(day + Duration::days(7)),
        )?;
        for item in ORDER.iter().skip(reached).take(2) {
            set_done(&mut phone.reg, &id, &head, *item)?;
        }
        phone.done[j].2 = (reached + 2).min(ORDER.len());
    }
    for n in 0..scale.per_day {
        let k = (i * 100 + d as usize) * 100 + n;
        let hamlet_name = area_hamlets[(n + d as usize) % area_hamlets.len()];
        let (hamlet, hamlet_no) = hamlets
            .iter()
            .find(|(h, _)| *h == hamlet_id(hamlet_name))
            .cloned()
            .ok_or("hamlet")?;
        let items = (pace + spread(k) % 3).saturating_sub(1).min(ORDER.len());
        let at = Clock::now(&phone.clock);
        let (id, head) = register_household(&mut phone.reg, &hamlet, hamlet_no, k, items, at)?;
        phone.done.push((id, head, items));
    }
    Ok(scale.per_day)
}

/// What the campaign did, for the demo's summary.
#[derive(Debug, Default)]
pub struct Summary {
    pub households: usize,
    pub syncs: usize,
    pub hamlets: usize,
    /// Households imported from the commune's list (to verify at the door).
    pub imported: usize,
    /// Of those, the ones confirmed at the door (registered households from then on).
    pub confirmed: usize,
    /// Households registered on days their phone did not sync (the quiet phone's last days):
    /// on the phone, not on the hub.
    pub unsynced: usize,
}

/// Sets up the areas and the volunteers' phones, then works through the days. The hub must
/// read `shift` (`Hub::with_clock`); it reads the real time again when this returns.
pub fn run(
    store: &dyn HubStore,
    url: &str,
    devices: &Path,
    coordinator: &str,
    shift: &Shift,
    scale: Scale,
) -> CampaignResult<Summary> {
    let result = work(store, url, devices, coordinator, shift, scale);
    shift.reset();
    result
}

fn work(
    store: &dyn HubStore,
    url: &str,
    devices: &Path,
    coordinator: &str,
    shift: &Shift,
    scale: Scale,
) -> CampaignResult<Summary> {
    let today = crate::time::local_date(Utc::now());
    let first = today - Duration::days(scale.days);
    shift.set(at_local(first, -60));
    let commune = DEMO_COMMUNE;
    let mut hamlets: Vec<(String, usize)> = Vec::new();
    for (area, name, names, _) in AREAS {
        let list: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        admin::create_area(store, area, name, commune, &list)?;
        for n in *names {
            hamlets.push((hamlet_id(n), hamlets.len()));
        }
    }
    let mut phones = Vec::new();
    for (i, volunteer) in VOLUNTEERS.iter().enumerate() {
        let area = i / 2;
        let clock = PhoneClock {
            shift: shift.clone(),
            late: Arc::new(AtomicI64::new(0)),
        };
        let mut reg = Register::create(
            &devices.join(format!("{volunteer}.db")),
            VolunteerId((*volunteer).into()),
            commune,
        )?
        .with_clock(clock.clone());
        let code = admin::issue_pairing(
            store,
            coordinator,
            volunteer,
            AREAS[area].0,
            Duration::hours(24),
            shift.now(),
        )?;
        sync::enrol(&mut reg, url, &code, &TlsOptions::default())?;
        phones.push(Phone {
            volunteer,
            reg,
            area,
            done: Vec::new(),
            clock,
        });
    }
    let mut summary = Summary {
        hamlets: hamlets.len(),
        ..Default::default()
    };
    for d in 0..scale.days {
        let day = first + Duration::days(d);
        if day.weekday() == Weekday::Sun {
            continue;
        }
        let quiet_days = d >= scale.days - 5;
        // The phones work side by side (their registers write to disk; two cores overlap the
        // waits), each from its own hour of the morning; then they sync one after the other.
        shift.set(at_local(day, 0));
        let worked: Vec<Result<usize, String>> = std::thread::scope(|s| {
            let handles: Vec<_> = phones
                .iter_mut()
                .enumerate()
                .map(|(i, phone)| {
                    let hamlets = &hamlets;
                    s.spawn(move || {
                        let late = &phone.clock.late;
                        late.store(i as i64 * 20 * 60, Ordering::Relaxed);
                        let done =
                            work_day(phone, i, d, day, hamlets, scale).map_err(|e| e.to_string());
                        phone.clock.late.store(0, Ordering::Relaxed);
                        done
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err("a phone's day failed".into()))
                })
                .collect()
        });
        let worked = worked.into_iter().collect::<Result<Vec<usize>, String>>()?;
        summary.households += worked.iter().sum::<usize>();
        for (i, phone) in phones.iter_mut().enumerate() {
            if quiet_days && phone.volunteer == QUIET {
                summary.unsynced += worked[i];
                continue;
            }
            shift.set(at_local(day, 9 * 60 + i as i64 * 7));
            sync::sync(&mut phone.reg, &SyncOptions::default())?;
            summary.syncs += 1;
        }
    }
    // The coordinator types each hamlet's expected households from the residence register:
    // some hamlets are nearly done, others far behind.
    shift.reset();
    let overview = store
        .dashboard()
        .ok_or("no dashboard")?
        .overview(commune, today)?;
    for (n, (hamlet, _)) in hamlets.iter().enumerate() {
        let registered = overview
            .hamlets
            .iter()
            .find(|h| h.hamlet_id == *hamlet)
            .map_or(0, |h| h.households);
        let expected = registered + registered * (10 + (spread(n) % 90) as u64) / 100 + 3;
        let expected = u32::try_from(expected).unwrap_or(admin::MAX_EXPECTED_HOUSEHOLDS);
        admin::set_hamlet_target(store, coordinator, hamlet, Some(expected), Utc::now())?;
    }
    (summary.imported, summary.confirmed) =
        import_list(store, coordinator, &mut phones[IMPORTING_PHONE])?;
    Ok(summary)
}

/// The hamlet whose households the commune imports from the residence register's extract.
const IMPORTED_HAMLET: &str = "Thôn Bến Đò";
/// Households in that extract.
const IMPORTED_HOUSEHOLDS: usize = 60;
/// The phone of that hamlet's area that receives them, and how many it confirms at the door.
const IMPORTING_PHONE: usize = 9;
const CONFIRMED: usize = 8;

/// The commune imports a list it already had (issue 17): the households of one hamlet, names and
/// relations only (no ID number, phone or birth date before people are met). The area's phone
/// receives them "to verify" and confirms a few at the door: how many were imported, and how
/// many confirmed.
fn import_list(
    store: &dyn HubStore,
    coordinator: &str,
    phone: &mut Phone,
) -> CampaignResult<(usize, usize)> {
    let mut csv = String::from("ma_ho,thon,so_nha,duong,ho_ten,quan_he,gioi_tinh,so_dinh_danh\n");
    for k in 0..IMPORTED_HOUSEHOLDS {
        let r = spread(k + 7_000);
        let family = FAMILY[r % FAMILY.len()];
        let street = STREETS[r % STREETS.len()];
        let number = 200 + k;
        let key = format!("BD-{:04}", k + 1);
        let head = format!("{family} {}", GIVEN_M[(r / 3) % GIVEN_M.len()]);
        // The extract has ID numbers; the import leaves them out.
        csv.push_str(&format!(
            "{key},{IMPORTED_HAMLET},{number},{street},{head},Chủ hộ,nam,0010{:08}\n",
            r % 100_000_000
        ));
        if !r.is_multiple_of(3) {
            let wife = format!(
                "{} {}",
                FAMILY[(r / 5) % FAMILY.len()],
                GIVEN_F[r % GIVEN_F.len()]
            );
            csv.push_str(&format!(
                "{key},{IMPORTED_HAMLET},{number},{street},{wife},Vợ,nữ,\n"
            ));
        }
    }
    let table =
        crate::import::table::read(csv.as_bytes()).map_err(|u| format!("{} / {}", u.vi, u.en))?;
    let plan = crate::import::plan(store, coordinator, DEMO_COMMUNE, &table, Utc::now())?;
    let imported = crate::import::apply(store, coordinator, &plan, Utc::now())?;
    sync::sync(&mut phone.reg, &SyncOptions::default())?;
    let today = crate::time::local_date(Utc::now());
    let to_verify: Vec<HouseholdId> = phone
        .reg
        .household_ids()?
        .into_iter()
        .filter(|id| {
            phone
                .reg
                .household(id)
                .is_ok_and(|h| h.lifecycle == Lifecycle::ToVerify)
        })
        .take(CONFIRMED)
        .collect();
    for id in &to_verify {
        phone
            .reg
            .record_visit(id, today, VisitOutcome::Registered, None, None)?;
    }
    sync::sync(&mut phone.reg, &SyncOptions::default())?;
    Ok((imported, to_verify.len()))
}
