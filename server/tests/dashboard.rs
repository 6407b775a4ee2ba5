//! The dashboard's handlers over HTTP on 127.0.0.1 (port 0): sign-in, cookies, CSRF, refusals,
//! bad input, commune scoping; the query tables against a rebuild from the documents, after
//! erasure, and seen from two hubs on one database.
//!
//! Every test runs on both stores: `sqlite::NAME` and `postgres::NAME`, the latter in its own new
//! database of the cluster named by `GOCUA_TEST_POSTGRES_URL` (skipped, with a message, when it
//! is not set: `scripts/with-postgres.sh cargo test -p gocua-hub --test dashboard`).

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::*;
use gocua_core::sync::merge::merge_changes;
use gocua_core::sync::{SessionOutcome, SyncOptions};
use gocua_core::{ChangeContext, Edit, FixedClock, HouseholdDoc, Register};
use gocua_hub::http::RunningHub;
use gocua_hub::store::{DocWrite, StoreError};
use gocua_hub::{Hub, HubConfig, HubStore, PgStore, SqliteStore, admin};
use reqwest::blocking::{Client, Response};
use reqwest::redirect::Policy;

const PASSWORD: &str = "mat-khau-thu";
const POSTGRES_URL_ENV: &str = "GOCUA_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// A test's own storage: a SQLite file, or a new PostgreSQL database.
struct Db {
    backend: Backend,
    location: String,
}

impl Db {
    /// `None` (the test is skipped, with a message) on PostgreSQL when no cluster is given.
    fn new(backend: Backend, dir: &std::path::Path, test: &str) -> Option<Db> {
        let location = match backend {
            Backend::Sqlite => dir.join("hub.db").to_string_lossy().into_owned(),
            Backend::Postgres => {
                let Ok(url) = std::env::var(POSTGRES_URL_ENV) else {
                    eprintln!(
                        "skipped on PostgreSQL ({test}): {POSTGRES_URL_ENV} is not set; run it with \
                         scripts/with-postgres.sh cargo test -p gocua-hub --test dashboard"
                    );
                    return None;
                };
                let mut client = ::postgres::Client::connect(&url, ::postgres::NoTls)
                    .unwrap_or_else(|e| panic!("{POSTGRES_URL_ENV} is set but unreachable: {e}"));
                let name = format!("gocua_dash_{}", hex::encode(rand::random::<[u8; 8]>()));
                client
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .unwrap();
                let mut config: ::postgres::Config = url.parse().unwrap();
                config.dbname(&name);
                key_value(&config)
            }
        };
        Some(Db { backend, location })
    }

    /// A store on this storage, as a hub process opens it (its own connection or pool).
    fn open(&self) -> Arc<dyn HubStore> {
        match self.backend {
            Backend::Sqlite => {
                Arc::new(SqliteStore::open(std::path::Path::new(&self.location)).unwrap())
            }
            Backend::Postgres => Arc::new(PgStore::open(&self.location, 4).unwrap()),
        }
    }

    /// Runs SQL on the storage directly, outside the hub (to damage the query tables).
    fn execute(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => {
                let conn = rusqlite::Connection::open(&self.location).unwrap();
                conn.execute_batch(sql).unwrap();
            }
            Backend::Postgres => {
                let mut c = ::postgres::Client::connect(&self.location, ::postgres::NoTls).unwrap();
                c.batch_execute(sql).unwrap();
            }
        }
    }
}

/// A key=value connection string of a parsed configuration.
fn key_value(c: &::postgres::Config) -> String {
    let mut parts = Vec::new();
    if let Some(::postgres::config::Host::Tcp(h)) = c.get_hosts().first() {
        parts.push(format!("host={h}"));
    }
    if let Some(p) = c.get_ports().first() {
        parts.push(format!("port={p}"));
    }
    if let Some(u) = c.get_user() {
        parts.push(format!("user={u}"));
    }
    if let Some(p) = c.get_password() {
        parts.push(format!("password='{}'", String::from_utf8_lossy(p)));
    }
    if let Some(d) = c.get_dbname() {
        parts.push(format!("dbname={d}"));
    }
    parts.join(" ")
}

/// Runs each named `fn(Backend)` once per store: `sqlite::NAME` and `postgres::NAME`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::Backend::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name(super::Backend::Postgres) } )*
        }
    };
}

on_both_backends!(
    sign_in_cookies_csrf_and_refusals,
    query_tables_follow_each_write_and_rebuild_the_same,
    another_communes_coordinator_sees_none_of_it,
    erasure_removes_the_households_dashboard_rows,
    two_hubs_on_one_database_show_the_same_overview,
    failed_sign_ins_are_limited_per_address_and_per_coordinator,
    the_commune_sees_a_person_only_with_consent_to_share,
    erasure_requests_are_decided_in_the_dashboard,
    exports_are_named_by_the_day_in_vietnam,
    pairing_codes_are_listed_and_cancelled_while_unused,
    hamlets_are_measured_against_their_expected_households,
    a_hamlets_household_cards_print_without_personal_numbers,
    each_volunteers_activity_in_a_range_of_days,
    households_are_points_on_a_map_drawn_offline,
    a_viewer_reads_every_page_and_changes_nothing,
    areas_and_hamlets_are_changed_in_the_dashboard,
    coordinators_are_managed_in_the_dashboard,
    a_list_is_checked_then_imported_in_the_dashboard,
    a_province_follower_sees_each_communes_totals_and_no_person,
    reports_follow_a_range_of_days,
);

/// A hub on `backend` with two coordinators (`coord` with [`PASSWORD`]) and one area; `None`
/// (skipped) on PostgreSQL without a cluster.
fn setup(
    backend: Backend,
    dir: &std::path::Path,
    test: &str,
) -> Option<(Arc<dyn HubStore>, RunningHub)> {
    let store = Db::new(backend, dir, test)?.open();
    admin::add_coordinator(store.as_ref(), "coord", "Cán bộ", "00004", Utc::now()).unwrap();
    admin::add_coordinator(store.as_ref(), "other", "Xã khác", "00008", Utc::now()).unwrap();
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "coord", PASSWORD).unwrap();
    admin::create_area(store.as_ref(), "a", "Đông", "00004", &["Thôn Đông".into()]).unwrap();
    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
    let running = RunningHub::start(hub, "127.0.0.1:0", None, false).unwrap();
    Some((store, running))
}

fn client() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

fn cookies(r: &Response) -> Vec<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

/// The session cookie (`name=value`) of `who` signed in with [`PASSWORD`].
fn session_cookie(c: &Client, url: &str, who: &str) -> String {
    let cookie = sign_in_as(c, url, who, PASSWORD).1.expect("signed in");
    cookie.split(';').next().unwrap().to_owned()
}

/// Signs in as `coord`; returns the status and the session cookie.
fn sign_in(c: &Client, url: &str, password: &str) -> (u16, Option<String>) {
    sign_in_as(c, url, "coord", password)
}

fn sign_in_as(c: &Client, url: &str, who: &str, password: &str) -> (u16, Option<String>) {
    let login = c.get(format!("{url}/dashboard/login")).send().unwrap();
    let login_cookie = cookies(&login)[0].split(';').next().unwrap().to_owned();
    let csrf = csrf_of(&login.text().unwrap());
    let r = c
        .post(format!("{url}/dashboard/login"))
        .header("cookie", &login_cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("coordinator", who),
            ("password", password),
        ])
        .send()
        .unwrap();
    let session = cookies(&r)
        .into_iter()
        .find(|c| c.starts_with("gocua_session=") && !c.starts_with("gocua_session=;"));
    (r.status().as_u16(), session)
}

fn sign_in_cookies_csrf_and_refusals(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "sign_in_cookies_csrf_and_refusals") else {
        return;
    };
    let url = hub.url();
    let c = client();

    let r = c.get(format!("{url}/dashboard/")).send().unwrap();
    assert_eq!(r.status().as_u16(), 303, "signed out: to the sign-in page");

    let (status, session) = sign_in(&c, &url, "wrong password");
    assert_eq!((status, session), (401, None));

    let (status, session) = sign_in(&c, &url, PASSWORD);
    assert_eq!(status, 303);
    let session = session.expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Strict"),
        "{session}"
    );
    assert!(
        !session.contains("Secure"),
        "no Secure flag over plain HTTP: {session}"
    );
    let cookie = session.split(';').next().unwrap().to_owned();

    let page = c
        .get(format!("{url}/dashboard/"))
        .header("cookie", &cookie)
        .send()
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().unwrap();
    assert!(html.contains("Tổng quan"));
    let csrf = csrf_of(&html);

    let dash = store.dashboard().unwrap();
    // A form without the session's token: refused, nothing changed.
    let r = c
        .post(format!("{url}/dashboard/sync/threshold"))
        .header("cookie", &cookie)
        .form(&[("csrf", "forged"), ("hours", "5")])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(dash.stale_hours("coord").unwrap(), None);
    // Garbage bodies and values: a clear answer, never a panic.
    for body in [&b"\xff\xfe%%%"[..], b"csrf", b""] {
        let r = c
            .post(format!("{url}/dashboard/quality/resolve"))
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_vec())
            .send()
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
    }
    let r = c
        .post(format!("{url}/dashboard/quality/resolve"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("household", "../x"),
            ("field", "nope"),
            ("value", "1"),
            ("seq", "x"),
        ])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let r = c
        .post(format!("{url}/dashboard/sync/threshold"))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str()), ("hours", "-3")])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(dash.stale_hours("coord").unwrap(), None);
    let r = c
        .post(format!("{url}/dashboard/sync/threshold"))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str()), ("hours", "5")])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(dash.stale_hours("coord").unwrap(), Some(5));
    for path in [
        "households/nope",
        "households/..%2F..",
        "sync/device/nope",
        "exports/secret.txt",
    ] {
        let r = c
            .get(format!("{url}/dashboard/{path}"))
            .header("cookie", &cookie)
            .send()
            .unwrap();
        assert_eq!(r.status().as_u16(), 404, "{path}");
    }
    // A forged or unknown session cookie: a clear "expired" page.
    let r = c
        .get(format!("{url}/dashboard/"))
        .header("cookie", "gocua_session=0123")
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);

    // Sign-out ends the session on the hub.
    let r = c
        .post(format!("{url}/dashboard/logout"))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let r = c
        .get(format!("{url}/dashboard/"))
        .header("cookie", &cookie)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let audit: Vec<String> = dash
        .audit_log("00004", 50)
        .unwrap()
        .into_iter()
        .map(|e| format!("{}:{}", e.action, e.outcome))
        .collect();
    for want in [
        "sign_in:wrong_password",
        "sign_in:ok",
        "form.refused:refused",
        "sync.threshold:ok",
        "sign_out:ok",
    ] {
        assert!(audit.contains(&want.to_owned()), "{want} in {audit:?}");
    }
    hub.stop();
}

fn doc(i: usize, hamlet: &str, skills: bool) -> DocWrite {
    doc_by(i, hamlet, skills, "vol", false, None)
}

/// A household registered by `volunteer`, with the five skills for its head when `skills`, a
/// later visit (nobody home) when `visited`, and a GPS position when `at` is given.
fn doc_by(
    i: usize,
    hamlet: &str,
    skills: bool,
    volunteer: &str,
    visited: bool,
    at: Option<(f64, f64)>,
) -> DocWrite {
    let ctx = ChangeContext {
        volunteer: VolunteerId(volunteer.into()),
        device: DeviceId("dev".into()),
        at: Utc::now(),
    };
    let id = HouseholdId(format!("hh{i}"));
    let input = HouseholdInput {
        area: Area {
            province_code: "01".into(),
            commune_code: "00004".into(),
            hamlet_id: hamlet.into(),
        },
        address: Address {
            street: Some("Đường Làng".into()),
            alley: None,
            house_number: Some(i.to_string()),
        },
        gps: at.map(|(lat, lon)| GpsFix {
            lat,
            lon,
            accuracy_m: 8.0,
            fixed_at: Utc::now(),
            source: GpsSource::Fix,
        }),
        official: None,
        notes: None,
    };
    let mut d = HouseholdDoc::create(&id, &input, "2026-07-25", &ctx).unwrap();
    let m = MemberId(format!("m{i}"));
    d.apply(
        &Edit::AddMember {
            id: m.clone(),
            member: MemberInput {
                full_name: "Nguyễn Văn An".into(),
                birth: Some(BirthDate::Year(1980)),
                gender: Some(Gender::Male),
                relation: Relation::Head,
                id_number: Some("001080012345".into()),
                phone: None,
                residence: ResidenceType::Permanent,
            },
        },
        &ctx,
    )
    .unwrap();
    // As a phone records it: the person consented to every purpose (the dashboard shows only
    // people who share with the commune).
    d.apply(
        &Edit::AddConsent {
            id: RecordId::random(),
            member: m.clone(),
            action: ConsentAction::Given,
            purposes: ConsentPurposes {
                local_register: true,
                setup_help: true,
                share_with_commune: true,
            },
            notice_version: "2026-01".into(),
            method: ConsentMethod::WitnessedVerbal,
            guardian: None,
        },
        &ctx,
    )
    .unwrap();
    if skills {
        for item in ChecklistItem::FIVE_SKILLS {
            d.apply(
                &Edit::SetChecklist {
                    member: m.clone(),
                    item,
                    status: ChecklistStatus::Done,
                    reason: None,
                    smartphone: None,
                },
                &ctx,
            )
            .unwrap();
        }
    }
    if visited {
        d.apply(
            &Edit::AddVisit {
                id: RecordId::random(),
                date: gocua_hub::time::local_date(Utc::now()),
                outcome: VisitOutcome::NotHome,
                note: None,
                follow_up_on: None,
            },
            &ctx,
        )
        .unwrap();
    }
    gocua_hub::hub::write_of(&id.0, &mut d, None, Utc::now()).unwrap()
}

fn query_tables_follow_each_write_and_rebuild_the_same(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(db) = Db::new(backend, dir.path(), "query_tables_rebuild") else {
        return;
    };
    let store = db.open();
    admin::create_area(
        store.as_ref(),
        "a",
        "Đông",
        "00004",
        &["Thôn Đông".into(), "Thôn Tây".into()],
    )
    .unwrap();
    let writes: Vec<_> = (0..6)
        .map(|i| doc(i, if i < 4 { "thon-dong" } else { "thon-tay" }, i % 2 == 0))
        .collect();
    store.commit_push("dev", &writes, &[], Utc::now()).unwrap();
    let week = Utc::now().date_naive() - chrono::Duration::days(7);
    let before = store.dashboard().unwrap().overview("00004", week).unwrap();
    assert_eq!(
        (before.households, before.members, before.with_five_skills),
        (6, 6, 3)
    );
    let dong = before
        .hamlets
        .iter()
        .find(|h| h.hamlet_id == "thon-dong")
        .unwrap();
    assert_eq!((dong.households, dong.with_five_skills), (4, 2));
    // The same ID number in six households: one duplicate candidate naming all six.
    let shared = store
        .dashboard()
        .unwrap()
        .shared_identifiers("00004")
        .unwrap();
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].2.len(), 6);
    drop(store);
    // Derived tables dropped and rebuilt from the documents give the same numbers.
    db.execute(
        "UPDATE meta SET value = 'old' WHERE key = 'dash_index_version';
         DELETE FROM dash_households;",
    );
    let store = db.open();
    let after = store.dashboard().unwrap().overview("00004", week).unwrap();
    assert_eq!(
        serde_json::to_string(&after).unwrap(),
        serde_json::to_string(&before).unwrap()
    );
}

#[test]
fn similar_head_names_and_masking() {
    use gocua_core::validate::similar_names;
    assert!(similar_names("Nguyễn Văn An", "Nguyen Van Ân"));
    assert!(similar_names("Nguyễn Văn An", "Nguyễn V. An"));
    assert!(!similar_names("Nguyễn Văn An", "Trần Thị Mai"));
    assert!(!similar_names("", ""));
    assert_eq!(
        gocua_hub::dashboard::mask_id_number("001080012345"),
        "••••••••2345"
    );
    assert_eq!(gocua_hub::dashboard::mask_phone("0912345678"), "•••••••678");
    assert_eq!(gocua_hub::dashboard::mask_id_number("12"), "12");
}

/// One sign-in attempt from `c` as `coordinator`: status, session cookie, page.
fn attempt(c: &Client, url: &str, coordinator: &str, password: &str) -> (u16, bool, String) {
    let login = c.get(format!("{url}/dashboard/login")).send().unwrap();
    let login_cookie = cookies(&login)[0].split(';').next().unwrap().to_owned();
    let csrf = csrf_of(&login.text().unwrap());
    let r = c
        .post(format!("{url}/dashboard/login"))
        .header("cookie", &login_cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("coordinator", coordinator),
            ("password", password),
        ])
        .send()
        .unwrap();
    let status = r.status().as_u16();
    let signed_in = cookies(&r)
        .iter()
        .any(|c| c.starts_with("gocua_session=") && !c.starts_with("gocua_session=;"));
    if status == 429 {
        let wait: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&wait), "Retry-After {wait}");
    }
    (status, signed_in, r.text().unwrap())
}

fn failed_sign_ins_are_limited_per_address_and_per_coordinator(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "failed_sign_ins_are_limited") else {
        return;
    };
    let url = hub.url();
    let other_password = "mat-khau-khac";
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "other", other_password).unwrap();
    let here = client();
    // Another client address: the whole of 127.0.0.0/8 is loopback.
    let elsewhere = Client::builder()
        .redirect(Policy::none())
        .local_address(Some("127.0.0.2".parse().unwrap()))
        .build()
        .unwrap();

    // Five wrong passwords from one address: each an ordinary refusal.
    let guesses: Vec<String> = (0..5).map(|i| format!("doan-mat-khau-{i}")).collect();
    for g in &guesses {
        let (status, signed_in, _) = attempt(&here, &url, "coord", g);
        assert_eq!((status, signed_in), (401, false));
    }
    // The sixth, even with the right password, is refused without a look at it.
    let (status, signed_in, html) = attempt(&here, &url, "coord", PASSWORD);
    assert_eq!((status, signed_in), (429, false));
    // Both languages, and when to come back: at most the 15 minutes of the window (less when
    // this machine took minutes between the first failure and now).
    let minutes = |before: &str, after: &str| -> u64 {
        let at = html
            .find(before)
            .unwrap_or_else(|| panic!("{before} in {html}"))
            + before.len();
        let rest = &html[at..];
        let n = &rest[..rest.find(after).expect(after)];
        n.parse().unwrap_or_else(|_| panic!("{n:?}"))
    };
    let vi = minutes("Quá nhiều lần đăng nhập sai, thử lại sau ", " phút");
    let en = minutes("Too many failed sign-ins, try again in ", " minute");
    assert!(vi == en && (1..=15).contains(&vi), "{vi} {en}");
    // Per address: another coordinator from the same address is refused too.
    let (status, signed_in, _) = attempt(&here, &url, "other", other_password);
    assert_eq!((status, signed_in), (429, false));
    // Per coordinator: the same coordinator from another address is refused too...
    let (status, signed_in, _) = attempt(&elsewhere, &url, "coord", PASSWORD);
    assert_eq!((status, signed_in), (429, false));
    // ...while another coordinator from there signs in.
    let (status, signed_in, _) = attempt(&elsewhere, &url, "other", other_password);
    assert_eq!((status, signed_in), (303, true));

    // Audited (the limited attempts on known accounts), and no guess is kept anywhere.
    let audit: Vec<String> = store
        .dashboard()
        .unwrap()
        .audit_log("00004", 50)
        .unwrap()
        .into_iter()
        .map(|e| {
            format!(
                "{}:{}:{}:{}",
                e.coordinator_id, e.action, e.target, e.outcome
            )
        })
        .collect();
    let wrong = audit
        .iter()
        .filter(|e| *e == "coord:sign_in:-:wrong_password")
        .count();
    let limited = audit
        .iter()
        .filter(|e| *e == "coord:sign_in:-:rate_limited")
        .count();
    assert_eq!((wrong, limited), (5, 2), "{audit:?}");
    hub.stop();
    drop(store);
    for f in ["hub.db", "hub.db-wal"] {
        let Ok(bytes) = std::fs::read(dir.path().join(f)) else {
            continue;
        };
        for secret in guesses.iter().map(String::as_str).chain([PASSWORD]) {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{f} holds a password"
            );
        }
    }
}

/// A GET with a session cookie: (status, body).
fn get(c: &Client, url: &str, path: &str, cookie: &str) -> (u16, String) {
    let r = c
        .get(format!("{url}/dashboard/{path}"))
        .header("cookie", cookie)
        .send()
        .unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

/// Enrols a device for `volunteer` in area `a` directly in the store (no HTTP).
fn enrol(store: &dyn HubStore, volunteer: &str, device: &str) {
    let code = admin::issue_pairing(
        store,
        "coord",
        volunteer,
        "a",
        chrono::Duration::hours(1),
        Utc::now(),
    )
    .unwrap();
    store
        .redeem_pairing(
            &gocua_hub::hub::secret_hash(&gocua_hub::hub::normalise_code(&code)),
            Utc::now(),
            device,
            volunteer,
            "00004",
            &format!("token-of-{device}"),
        )
        .unwrap()
        .unwrap();
}

fn another_communes_coordinator_sees_none_of_it(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "another_commune") else {
        return;
    };
    let url = hub.url();
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "other", PASSWORD).unwrap();
    let writes: Vec<_> = (0..3).map(|i| doc(i, "thon-dong", i == 0)).collect();
    store.commit_push("dev", &writes, &[], Utc::now()).unwrap();
    enrol(store.as_ref(), "vol", "dev-a");
    let c = client();

    let (status, own) = sign_in(&c, &url, PASSWORD);
    assert_eq!(status, 303);
    let own = own.unwrap().split(';').next().unwrap().to_owned();
    assert_eq!(get(&c, &url, "households/hh0", &own).0, 200);
    assert!(get(&c, &url, "households", &own).1.contains("hh1"));
    assert_eq!(get(&c, &url, "sync/device/dev-a", &own).0, 200);

    let (status, other) = sign_in_as(&c, &url, "other", PASSWORD);
    assert_eq!(status, 303);
    let other = other.unwrap().split(';').next().unwrap().to_owned();
    // Pages of the other commune: refused, and the refusal is in the audit log.
    assert_eq!(get(&c, &url, "households/hh0", &other).0, 403);
    assert_eq!(get(&c, &url, "sync/device/dev-a", &other).0, 403);
    // Lists and reports of the coordinator's own commune hold none of it (the audit log names
    // the refused ids: it is checked below).
    for page in ["households", "quality", "sync", "devices", "exports", ""] {
        let (status, html) = get(&c, &url, page, &other);
        assert_eq!(status, 200, "{page}");
        for secret in ["hh0", "hh1", "dev-a", "Nguyễn Văn An", "Đường Làng"] {
            assert!(!html.contains(secret), "{secret} on /dashboard/{page}");
        }
    }
    let (_, csrf_page) = get(&c, &url, "devices", &other);
    let r = c
        .post(format!("{url}/dashboard/devices/revoke"))
        .header("cookie", &other)
        .form(&[("csrf", csrf_of(&csrf_page).as_str()), ("device", "dev-a")])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(
        !store.device_statuses().unwrap()[0].revoked,
        "revoked from another commune"
    );

    let dash = store.dashboard().unwrap();
    let week = Utc::now().date_naive() - chrono::Duration::days(7);
    assert_eq!(dash.overview("00008", week).unwrap().households, 0);
    assert_eq!(dash.overview("00004", week).unwrap().households, 3);
    assert_eq!(dash.households("00008", "", 100, 0).unwrap().1, 0);
    assert!(dash.members("00008").unwrap().is_empty());
    assert!(dash.devices("00008", Utc::now()).unwrap().is_empty());
    assert!(
        dash.sessions_of("00008", None, ("", "~"), 10)
            .unwrap()
            .is_empty()
    );
    let refusals: Vec<String> = dash
        .audit_log("00008", 50)
        .unwrap()
        .into_iter()
        .map(|e| format!("{}:{}", e.action, e.outcome))
        .collect();
    for want in [
        "household.view:refused_other_commune",
        "device.revoke:refused_other_commune",
    ] {
        assert!(
            refusals.contains(&want.to_owned()),
            "{want} in {refusals:?}"
        );
    }
    assert!(
        dash.audit_log("00004", 50)
            .unwrap()
            .iter()
            .all(|e| e.commune == "00004")
    );
    hub.stop();
}

fn erasure_removes_the_households_dashboard_rows(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(db) = Db::new(backend, dir.path(), "erasure_dashboard_rows") else {
        return;
    };
    let store = db.open();
    admin::add_coordinator(store.as_ref(), "coord", "Cán bộ", "00004", Utc::now()).unwrap();
    admin::create_area(store.as_ref(), "a", "Đông", "00004", &["Thôn Đông".into()]).unwrap();
    let writes: Vec<_> = (0..3).map(|i| doc(i, "thon-dong", true)).collect();
    store.commit_push("dev", &writes, &[], Utc::now()).unwrap();
    let hub = Hub::new(store.clone(), HubConfig::default());
    let dash = store.dashboard().unwrap();
    let week = Utc::now().date_naive() - chrono::Duration::days(7);
    assert_eq!(dash.overview("00004", week).unwrap().households, 3);

    hub.erase("coordinator:coord", "00004", "hh1", None)
        .unwrap()
        .unwrap();
    assert!(dash.household_row("hh1").unwrap().is_none());
    assert!(
        dash.members("00004")
            .unwrap()
            .iter()
            .all(|m| m.doc_id != "hh1")
    );
    assert!(
        dash.checklist("00004")
            .unwrap()
            .iter()
            .all(|c| c.doc_id != "hh1")
    );
    let o = dash.overview("00004", week).unwrap();
    assert_eq!((o.households, o.members, o.with_five_skills), (2, 2, 2));
    let (rows, total) = dash.households("00004", "", 100, 0).unwrap();
    assert_eq!(total, 2);
    assert!(rows.iter().all(|r| r.doc_id != "hh1"));
    let shared = dash.shared_identifiers("00004").unwrap();
    assert_eq!(shared[0].2, vec!["hh0".to_owned(), "hh2".to_owned()]);

    // One member erased: none of their rows stay.
    hub.erase("coordinator:coord", "00004", "hh2", Some("m2"))
        .unwrap()
        .unwrap();
    assert!(
        dash.members("00004")
            .unwrap()
            .iter()
            .all(|m| m.member_id != "m2")
    );
    assert!(
        dash.checklist("00004")
            .unwrap()
            .iter()
            .all(|c| c.member_id != "m2")
    );
    // The household stays, without the member: re-derived from the rewritten document in the
    // erasure's transaction.
    let (_, row) = dash.household_row("hh2").unwrap().unwrap();
    assert_eq!((row.members, row.five_skills), (0, false));

    // A coordinator's write after a whole erasure is numbered after it: a device whose cursor
    // already covers the erasure still receives it.
    hub.erase("coordinator:coord", "00004", "hh2", None)
        .unwrap()
        .unwrap();
    let area = store.area("a").unwrap().unwrap();
    let (_, after_erasures) = store.changed_since(&area, 0, 1000).unwrap();
    let stored = store.load_doc("hh0").unwrap().unwrap();
    let mut hh0 = HouseholdDoc::load(&stored.bytes).unwrap();
    let w = gocua_hub::hub::write_of("hh0", &mut hh0, Some(stored.seq), Utc::now()).unwrap();
    dash.write_hub_doc(&w, "coordinator:coord", Utc::now())
        .unwrap();
    let (changed, _) = store.changed_since(&area, after_erasures, 10).unwrap();
    assert_eq!(
        changed
            .iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>(),
        ["hh0"]
    );
}

/// Requests filed by a device are listed for the coordinator, who approves one and refuses
/// another; another commune's coordinator decides nothing; a household is erased from its page
/// on a request made at the commune office.
fn erasure_requests_are_decided_in_the_dashboard(backend: Backend) {
    use gocua_hub::store::{EraseDecision, NewEraseRequest};
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "erasure_requests_dashboard") else {
        return;
    };
    let url = hub.url();
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "other", PASSWORD).unwrap();
    let writes: Vec<_> = (0..3).map(|i| doc(i, "thon-dong", false)).collect();
    store.commit_push("dev", &writes, &[], Utc::now()).unwrap();
    enrol(store.as_ref(), "vol", "dev-a");
    for (household, member) in [("hh1", None), ("hh0", Some("m0"))] {
        let filed = store
            .file_erase_request(
                &NewEraseRequest {
                    household,
                    member,
                    commune: "00004",
                    hamlet: "thon-dong",
                    device_id: "dev-a",
                    volunteer_id: "vol",
                },
                Utc::now(),
            )
            .unwrap();
        assert_eq!(filed, EraseDecision::Pending);
    }
    let ids: Vec<i64> = store
        .erase_requests("00004", 10)
        .unwrap()
        .iter()
        .map(|r| r.request_id)
        .collect();
    assert_eq!(ids.len(), 2);
    let c = client();
    let (_, own) = sign_in(&c, &url, PASSWORD);
    let own = own.unwrap().split(';').next().unwrap().to_owned();
    let (status, html) = get(&c, &url, "erasure", &own);
    assert_eq!(status, 200);
    for id in &ids {
        assert!(html.contains(&format!("data-request=\"{id}\"")), "{html}");
    }
    assert!(html.contains("/dashboard/households/hh1"));
    let decide = |cookie: &str, request: i64, decision: &str| {
        let (_, page) = get(&c, &url, "erasure", cookie);
        c.post(format!("{url}/dashboard/erasure/decide"))
            .header("cookie", cookie)
            .form(&[
                ("csrf", csrf_of(&page).as_str()),
                ("request", &request.to_string()),
                ("decision", decision),
            ])
            .send()
            .unwrap()
            .status()
            .as_u16()
    };

    // Another commune's coordinator: not found, nothing decided.
    let (_, other) = sign_in_as(&c, &url, "other", PASSWORD);
    let other = other.unwrap().split(';').next().unwrap().to_owned();
    assert_eq!(decide(&other, ids[0], "approve"), 404);
    assert!(!get(&c, &url, "erasure", &other).1.contains("hh1"));
    assert!(store.load_doc("hh1").unwrap().is_some());

    assert_eq!(decide(&own, ids[0], "approve"), 200);
    assert!(store.load_doc("hh1").unwrap().is_none(), "not erased");
    assert_eq!(decide(&own, ids[1], "refuse"), 200);
    let decided: Vec<EraseDecision> = ids
        .iter()
        .map(|id| store.erase_request(*id).unwrap().unwrap().decision)
        .collect();
    assert_eq!(decided, [EraseDecision::Approved, EraseDecision::Refused]);
    let h0 = HouseholdDoc::load(&store.load_doc("hh0").unwrap().unwrap().bytes)
        .unwrap()
        .read()
        .unwrap();
    assert!(
        h0.members.contains_key(&MemberId("m0".into())),
        "refused, yet erased"
    );

    // From the household's page: the whole household, on a request made at the office.
    let (status, page) = get(&c, &url, "households/hh2", &own);
    assert_eq!(status, 200);
    assert!(page.contains("id=\"erase-form\""));
    let r = c
        .post(format!("{url}/dashboard/erasure/erase"))
        .header("cookie", &own)
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("household", "hh2"),
            ("member", ""),
        ])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(store.load_doc("hh2").unwrap().is_none());

    let actions: Vec<String> = store
        .audit_entries(50)
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.actor, e.action))
        .collect();
    for want in [
        "coordinator:coord erase.household",
        "coordinator:coord erase.approved",
        "coordinator:coord erase.refused",
        "coordinator:other erase.refused_other_commune",
    ] {
        assert!(
            actions.contains(&want.to_owned()),
            "{want} not in {actions:?}"
        );
    }
    hub.stop();
}

/// At 23:30 UTC it is already 06:30 the next day in Vietnam: an export made then is named by
/// Vietnam's day, as every page shows it (it was named by the UTC day).
fn exports_are_named_by_the_day_in_vietnam(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(db) = Db::new(backend, dir.path(), "exports_vietnam_day") else {
        return;
    };
    let store = db.open();
    admin::add_coordinator(store.as_ref(), "coord", "Cán bộ", "00004", Utc::now()).unwrap();
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "coord", PASSWORD).unwrap();
    admin::create_area(store.as_ref(), "a", "Đông", "00004", &["Thôn Đông".into()]).unwrap();
    let late = Utc.with_ymd_and_hms(2026, 12, 4, 23, 30, 0).unwrap();
    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()).with_clock(move || late));
    let running = RunningHub::start(hub, "127.0.0.1:0", None, false).unwrap();
    let url = running.url();
    let c = client();
    let (_, cookie) = sign_in(&c, &url, PASSWORD);
    let cookie = cookie.unwrap().split(';').next().unwrap().to_owned();
    let r = c
        .get(format!("{url}/dashboard/exports/households.csv"))
        .header("cookie", &cookie)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let disposition = r
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.contains("-20261205.csv"), "{disposition}");
    running.stop();
}

fn two_hubs_on_one_database_show_the_same_overview(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(db) = Db::new(backend, dir.path(), "two_hubs_same_overview") else {
        return;
    };
    // Two hub processes: each its own store (connection or pool) on the one database.
    let store_a = db.open();
    admin::add_coordinator(store_a.as_ref(), "coord", "Cán bộ", "00004", Utc::now()).unwrap();
    admin::create_area(
        store_a.as_ref(),
        "a",
        "Đông Tây",
        "00004",
        &["Thôn Đông".into(), "Thôn Tây".into()],
    )
    .unwrap();
    let store_b = db.open();
    let hubs = [
        Arc::new(Hub::new(store_a.clone(), HubConfig::default())),
        Arc::new(Hub::new(store_b.clone(), HubConfig::default())),
    ];
    let clock = Utc.timestamp_opt(1_790_000_000, 0).unwrap();
    let mut devices: Vec<Register> = (0..3)
        .map(|i| {
            let vol = format!("vol-{i}");
            let mut reg = Register::create(
                &dir.path().join(format!("{vol}.db")),
                VolunteerId(vol.clone()),
                "00004",
            )
            .unwrap()
            .with_clock(FixedClock(clock));
            let code = admin::issue_pairing(
                store_a.as_ref(),
                "coord",
                &vol,
                "a",
                chrono::Duration::hours(1),
                Utc::now(),
            )
            .unwrap();
            reg.sync_enrol("inproc", &hubs[i % 2].in_process(), &code, None)
                .unwrap();
            reg
        })
        .collect();
    let sync = |reg: &mut Register, hub: &Arc<Hub>| {
        let r = reg
            .sync_with(&hub.in_process(), &SyncOptions::default())
            .unwrap();
        assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
    };
    // Each device registers households, syncs through one hub, edits, syncs through the other.
    for round in 0..2 {
        for (i, reg) in devices.iter_mut().enumerate() {
            for k in 0..2 + i {
                let hamlet = if k % 2 == 0 { "thon-dong" } else { "thon-tay" };
                let input = HouseholdInput {
                    area: Area {
                        province_code: "01".into(),
                        commune_code: "00004".into(),
                        hamlet_id: hamlet.into(),
                    },
                    address: Address {
                        street: Some("Đường Làng".into()),
                        alley: None,
                        house_number: Some(format!("{round}-{i}-{k}")),
                    },
                    gps: None,
                    official: None,
                    notes: None,
                };
                let id = reg.create_household(input).unwrap().value;
                reg.add_member_with_consent(
                    &id,
                    MemberInput {
                        full_name: format!("Trần Thị {}", ["Lan", "Mai", "Hoa", "Hương", "Thu"][k]),
                        birth: Some(BirthDate::Year(1985)),
                        gender: Some(Gender::Female),
                        relation: Relation::Head,
                        id_number: None,
                        phone: None,
                        residence: ResidenceType::Permanent,
                    },
                    &gocua_core::consent_rule::ConsentGiven::every_purpose(),
                )
                .unwrap();
            }
            sync(reg, &hubs[(i + round) % 2]);
        }
    }
    // Everyone brings the others' households down, through the other hub.
    for (i, reg) in devices.iter_mut().enumerate() {
        sync(reg, &hubs[(i + 1) % 2]);
    }

    let week = Utc::now().date_naive() - chrono::Duration::days(7);
    let overview = |s: &Arc<dyn HubStore>| {
        serde_json::to_string(&s.dashboard().unwrap().overview("00004", week).unwrap()).unwrap()
    };
    let a = store_a
        .dashboard()
        .unwrap()
        .overview("00004", week)
        .unwrap();
    // 3 devices x 2 rounds, (2, 3, 4) households a round: 18 households of one member each.
    assert_eq!((a.households, a.members), (18, 18));
    assert_eq!(a.households, store_a.doc_count().unwrap());
    assert_eq!(overview(&store_a), overview(&store_b));
    for reg in &devices {
        assert_eq!(reg.household_ids().unwrap().len(), 18);
    }
    let list = |s: &Arc<dyn HubStore>| {
        let (rows, total) = s
            .dashboard()
            .unwrap()
            .households("00004", "", 100, 0)
            .unwrap();
        (
            rows.into_iter().map(|r| r.doc_id).collect::<Vec<_>>(),
            total,
        )
    };
    assert_eq!(list(&store_a), list(&store_b));
    let devices_of = |s: &Arc<dyn HubStore>| {
        s.dashboard()
            .unwrap()
            .devices("00004", Utc::now() - chrono::Duration::days(1))
            .unwrap()
            .into_iter()
            .map(|d| (d.device_id, d.recent_sessions, d.last_success_at.is_some()))
            .collect::<Vec<_>>()
    };
    let seen = devices_of(&store_a);
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|(_, n, ok)| *n == 3 && *ok), "{seen:?}");
    assert_eq!(seen, devices_of(&store_b));
}

/// The same documents give the same dashboard on both stores: every query, row for row, in the
/// same order (skipped without a PostgreSQL cluster).
#[test]
fn both_stores_answer_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let Some(pg) = Db::new(Backend::Postgres, dir.path(), "both_stores_answer_the_same") else {
        return;
    };
    let stores = [
        Db::new(Backend::Sqlite, dir.path(), "").unwrap().open(),
        pg.open(),
    ];
    let at = Utc.timestamp_opt(1_790_000_000, 0).unwrap();
    let mut writes: Vec<_> = (0..8)
        .map(|i| doc(i, ["thon-dong", "thon-tay", "thon-x"][i % 3], i % 3 == 0))
        .collect();
    // A household without members (no head: sorted first in its hamlet on both stores).
    let mut bare = doc(8, "thon-dong", false);
    let ctx = ChangeContext {
        volunteer: VolunteerId("vol".into()),
        device: DeviceId("dev".into()),
        at,
    };
    let mut d = HouseholdDoc::load(&bare.bytes).unwrap();
    d.apply(
        &Edit::RemoveMember {
            member: MemberId("m8".into()),
        },
        &ctx,
    )
    .unwrap();
    bare = gocua_hub::hub::write_of("hh8", &mut d, None, at).unwrap();
    writes.push(bare);
    for store in &stores {
        admin::add_coordinator(store.as_ref(), "coord", "Cán bộ", "00004", at).unwrap();
        admin::create_area(
            store.as_ref(),
            "a",
            "Đông Tây",
            "00004",
            &["Thôn Đông".into(), "Thôn Tây".into()],
        )
        .unwrap();
        store.commit_push("dev", &writes, &[], at).unwrap();
    }
    let week = at.date_naive() - chrono::Duration::days(7);
    let answers = |s: &Arc<dyn HubStore>| {
        let d = s.dashboard().unwrap();
        let households = |q: &str| {
            let (rows, total) = d.households("00004", q, 100, 0).unwrap();
            (serde_json::to_string(&rows).unwrap(), total)
        };
        vec![
            serde_json::to_string(&d.overview("00004", week).unwrap()).unwrap(),
            format!("{:?}", households("")),
            format!("{:?}", households("5")),
            format!("{:?}", households("nguyen van")),
            serde_json::to_string(&d.members("00004").unwrap()).unwrap(),
            serde_json::to_string(&d.checklist("00004").unwrap()).unwrap(),
            serde_json::to_string(&d.warnings("00004", 100).unwrap()).unwrap(),
            format!("{:?}", d.shared_identifiers("00004").unwrap()),
            serde_json::to_string(&d.active_households("00004").unwrap()).unwrap(),
            format!("{:?}", d.hamlet_names("00004").unwrap()),
            serde_json::to_string(&d.household_row("hh3").unwrap()).unwrap(),
        ]
    };
    let (sqlite, postgres) = (answers(&stores[0]), answers(&stores[1]));
    for (s, p) in sqlite.iter().zip(&postgres) {
        assert_eq!(s, p);
    }
    assert!(sqlite[1].contains("hh8"), "{}", sqlite[1]);
}

/// On PostgreSQL a hub process that writes a document another process changed since it read it
/// is told so (`StoreError::ChangedMeanwhile`, nothing written) and merges again, as `Hub::sync`
/// does: the query rows are those of the merged document, not of what this process sent first.
#[test]
fn rows_follow_a_write_merged_with_another_hubs() {
    let dir = tempfile::tempdir().unwrap();
    let Some(db) = Db::new(Backend::Postgres, dir.path(), "rows_follow_a_merged_write") else {
        return;
    };
    let (store_a, store_b) = (db.open(), db.open());
    let base = doc(0, "thon-dong", false);
    store_a
        .commit_push("dev", std::slice::from_ref(&base), &[], Utc::now())
        .unwrap();
    let base_seq = store_a.load_doc("hh0").unwrap().unwrap().seq;
    // Each on its own device (an Automerge actor of its own).
    let with_member = |id: &str, name: &str| {
        let ctx = ChangeContext {
            volunteer: VolunteerId("vol".into()),
            device: DeviceId(format!("dev-{id}")),
            at: Utc::now(),
        };
        let mut d = HouseholdDoc::load(&base.bytes).unwrap();
        d.apply(
            &Edit::AddMember {
                id: MemberId(id.into()),
                member: MemberInput {
                    full_name: name.into(),
                    birth: Some(BirthDate::Year(2010)),
                    gender: Some(Gender::Female),
                    relation: Relation::Child,
                    id_number: None,
                    phone: None,
                    residence: ResidenceType::Permanent,
                },
            },
            &ctx,
        )
        .unwrap();
        gocua_hub::hub::write_of("hh0", &mut d, Some(base_seq), Utc::now()).unwrap()
    };
    // Both processes read the first version; each adds a member.
    store_a
        .commit_push(
            "dev",
            &[with_member("ma", "Trần Thị Bình")],
            &[],
            Utc::now(),
        )
        .unwrap();
    let mb = with_member("mb", "Lê Thị Cúc");
    let refused = store_b.commit_push("dev", std::slice::from_ref(&mb), &[], Utc::now());
    assert!(
        matches!(refused, Err(StoreError::ChangedMeanwhile { ref id }) if id == "hh0"),
        "{refused:?}"
    );
    // What the hub does then: read the stored document again, merge, project, write.
    let stored = store_b.load_doc("hh0").unwrap().unwrap();
    let merged = merge_changes(&HouseholdId("hh0".into()), Some(&stored.bytes), &mb.bytes).unwrap();
    let mut d = HouseholdDoc::load(&merged.snapshot).unwrap();
    let again = gocua_hub::hub::write_of("hh0", &mut d, Some(stored.seq), Utc::now()).unwrap();
    store_b
        .commit_push("dev", &[again], &[], Utc::now())
        .unwrap();
    for store in [&store_a, &store_b] {
        let dash = store.dashboard().unwrap();
        let (_, row) = dash.household_row("hh0").unwrap().unwrap();
        assert_eq!(row.members, 3);
        let mut members: Vec<String> = dash
            .members("00004")
            .unwrap()
            .into_iter()
            .map(|m| m.member_id)
            .collect();
        members.sort();
        assert_eq!(members, ["m0", "ma", "mb"]);
    }
}

/// A household of three: An consented to every purpose, Hoa to the local register and set-up
/// help but not to sharing with the commune, Bình (a child) has no consent at all.
fn household_with_consents() -> DocWrite {
    let ctx = ChangeContext {
        volunteer: VolunteerId("vol".into()),
        device: DeviceId("dev".into()),
        at: Utc::now(),
    };
    let id = HouseholdId("hh-consent".into());
    let input = HouseholdInput {
        area: Area {
            province_code: "01".into(),
            commune_code: "00004".into(),
            hamlet_id: "thon-dong".into(),
        },
        address: Address::default(),
        gps: None,
        official: None,
        notes: None,
    };
    let mut d = HouseholdDoc::create(&id, &input, "2026-07-25", &ctx).unwrap();
    let people = [
        (
            "an",
            "Nguyễn Văn An",
            Relation::Head,
            Some("001080012345"),
            true,
        ),
        (
            "hoa",
            "Trần Thị Hoa",
            Relation::Wife,
            Some("001182054321"),
            false,
        ),
    ];
    for (m, name, relation, id_number, share) in people {
        let m = MemberId(m.into());
        d.apply(
            &Edit::AddMember {
                id: m.clone(),
                member: MemberInput {
                    full_name: name.into(),
                    birth: None,
                    gender: None,
                    relation,
                    id_number: None,
                    phone: None,
                    residence: ResidenceType::Permanent,
                },
            },
            &ctx,
        )
        .unwrap();
        d.apply(
            &Edit::AddConsent {
                id: RecordId::random(),
                member: m.clone(),
                action: ConsentAction::Given,
                purposes: ConsentPurposes {
                    local_register: true,
                    setup_help: true,
                    share_with_commune: share,
                },
                notice_version: "2026-01".into(),
                method: ConsentMethod::WitnessedVerbal,
                guardian: None,
            },
            &ctx,
        )
        .unwrap();
        d.apply(
            &Edit::SetMember {
                member: m.clone(),
                field: gocua_core::MemberField::IdNumber(id_number.map(str::to_owned)),
            },
            &ctx,
        )
        .unwrap();
        d.apply(
            &Edit::SetChecklist {
                member: m,
                item: ChecklistItem::Smartphone,
                status: ChecklistStatus::Done,
                reason: None,
                smartphone: None,
            },
            &ctx,
        )
        .unwrap();
    }
    d.apply(
        &Edit::AddMember {
            id: MemberId("binh".into()),
            member: MemberInput {
                full_name: "Nguyễn Văn Bình".into(),
                birth: None,
                gender: None,
                relation: Relation::Child,
                id_number: None,
                phone: None,
                residence: ResidenceType::Permanent,
            },
        },
        &ctx,
    )
    .unwrap();
    gocua_hub::hub::write_of(&id.0, &mut d, None, Utc::now()).unwrap()
}

/// A page without the values of its CSRF fields.
fn without_csrf(page: &str) -> String {
    const FIELD: &str = "name=\"csrf\" value=\"";
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(at) = rest.find(FIELD) {
        let value = at + FIELD.len();
        out.push_str(&rest[..value]);
        rest = &rest[value..];
        rest = &rest[rest.find('"').unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    out
}

fn the_commune_sees_a_person_only_with_consent_to_share(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "consent_to_share") else {
        return;
    };
    let url = hub.url();
    store
        .commit_push("dev", &[household_with_consents()], &[], Utc::now())
        .unwrap();
    let c = client();
    let cookie = session_cookie(&c, &url, "coord");

    // Everyone is counted.
    let week = Utc::now().date_naive() - chrono::Duration::days(7);
    let o = store.dashboard().unwrap().overview("00004", week).unwrap();
    assert_eq!((o.households, o.members), (1, 3));

    // The household's page names An only; Hoa and Bình are counted, not shown.
    let (status, page) = get(&c, &url, "households/hh-consent", &cookie);
    assert_eq!(status, 200);
    // The forms' random CSRF token (64 hex digits) holds "4321" about once in a thousand pages.
    let page = without_csrf(&page);
    assert!(page.contains("Nguyễn Văn An"));
    for hidden in ["Trần Thị Hoa", "Nguyễn Văn Bình", "4321", "001182054321"] {
        if let Some(at) = page.find(hidden) {
            let mut from = at.saturating_sub(120);
            while !page.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = (at + 60).min(page.len());
            while !page.is_char_boundary(to) {
                to += 1;
            }
            panic!("{hidden} on the household page: …{}…", &page[from..to]);
        }
    }
    assert!(
        page.contains("id=\"not-shared\">2 "),
        "the page says two are not shown"
    );

    // Lists, search and exports: the same rule.
    let (_, list) = get(&c, &url, "households?q=hoa", &cookie);
    assert!(
        !list.contains("hh-consent"),
        "a hidden name is not searchable"
    );
    let (_, members) = get(&c, &url, "exports/members.csv", &cookie);
    assert!(members.contains("Nguyễn Văn An"));
    for hidden in ["Trần Thị Hoa", "Nguyễn Văn Bình", "4321"] {
        assert!(!members.contains(hidden), "{hidden} in the members export");
    }
    let (_, progress) = get(&c, &url, "exports/progress.csv", &cookie);
    assert!(
        progress.contains(",3,"),
        "three members counted: {progress}"
    );
    hub.stop();
}

/// The reference of a code as the devices page lists it.
fn reference_of(code: &str) -> String {
    gocua_hub::hub::secret_hash(&gocua_hub::hub::normalise_code(code))[..12].to_owned()
}

fn pairing_codes_are_listed_and_cancelled_while_unused(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "pairing_codes") else {
        return;
    };
    let url = hub.url();
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "other", PASSWORD).unwrap();
    let issue = |volunteer: &str, hours: i64| {
        admin::issue_pairing(
            store.as_ref(),
            "coord",
            volunteer,
            "a",
            chrono::Duration::hours(hours),
            Utc::now(),
        )
        .unwrap()
    };
    let mistaken = issue("vol-sai", 24);
    let kept = issue("vol-lan", 24);
    enrol(store.as_ref(), "vol-minh", "dev-m");
    let c = client();
    let cookie = session_cookie(&c, &url, "coord");
    let (_, page) = get(&c, &url, "devices", &cookie);
    for (code, state) in [(&mistaken, "pairing_open"), (&kept, "pairing_open")] {
        let row = format!(
            "data-reference=\"{}\" data-state=\"{state}\"",
            reference_of(code)
        );
        assert!(page.contains(&row), "{row}");
    }
    assert!(
        page.contains("data-state=\"pairing_used\""),
        "the used code"
    );
    assert!(
        !page.contains(&mistaken) && !page.contains(&kept),
        "codes are never shown again"
    );

    // Another commune's coordinator cannot cancel it.
    let other = session_cookie(&c, &url, "other");
    let (_, other_page) = get(&c, &url, "devices", &other);
    assert!(!other_page.contains(&reference_of(&mistaken)));
    let cancel = |cookie: &str, csrf_page: &str, reference: &str| {
        c.post(format!("{url}/dashboard/devices/unpair"))
            .header("cookie", cookie)
            .form(&[
                ("csrf", csrf_of(csrf_page).as_str()),
                ("reference", reference),
            ])
            .send()
            .unwrap()
    };
    let r = cancel(&other, &other_page, &reference_of(&mistaken));
    assert_eq!(r.status().as_u16(), 400);

    // The coordinator cancels the mistaken code: the phone can no longer enrol with it.
    let r = cancel(&cookie, &page, &reference_of(&mistaken));
    assert_eq!(r.status().as_u16(), 200);
    let after = r.text().unwrap();
    assert!(after.contains("Đã huỷ mã ghép."));
    assert!(after.contains(&format!(
        "data-reference=\"{}\" data-state=\"pairing_cancelled\"",
        reference_of(&mistaken)
    )));
    let redeem = |code: &str, volunteer: &str, device: &str| {
        store
            .redeem_pairing(
                &gocua_hub::hub::secret_hash(&gocua_hub::hub::normalise_code(code)),
                Utc::now(),
                device,
                volunteer,
                "00004",
                "token",
            )
            .unwrap()
    };
    assert_eq!(
        redeem(&mistaken, "vol-sai", "dev-x").unwrap_err(),
        gocua_hub::store::RedeemError::Invalid
    );
    // Cancelling twice, or a used code, or nonsense, is refused; the other code still works.
    for reference in [reference_of(&mistaken), "not-hex!".into(), String::new()] {
        let r = cancel(&cookie, &page, &reference);
        assert_eq!(r.status().as_u16(), 400, "{reference}");
    }
    assert!(redeem(&kept, "vol-lan", "dev-l").is_ok());
    let r = cancel(&cookie, &page, &reference_of(&kept));
    assert_eq!(r.status().as_u16(), 400, "a used code is not cancelled");

    let rows = admin::pairings(store.as_ref(), "coord", 10).unwrap();
    let states: Vec<_> = rows.iter().map(|r| r.state(Utc::now())).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        states
            .iter()
            .filter(|s| **s == gocua_hub::store::PairingState::Used)
            .count(),
        2
    );
    let cancelled = rows
        .iter()
        .find(|r| r.reference == reference_of(&mistaken))
        .unwrap();
    assert_eq!(cancelled.cancelled_by.as_deref(), Some("coord"));
    let audit: Vec<String> = store
        .dashboard()
        .unwrap()
        .audit_log("00004", 50)
        .unwrap()
        .into_iter()
        .map(|e| format!("{}:{}", e.action, e.outcome))
        .collect();
    assert!(audit.contains(&"device.unpair:ok".to_owned()), "{audit:?}");
    assert!(
        audit.contains(&"device.unpair:refused".to_owned()),
        "{audit:?}"
    );
}

/// The hamlet ids of the overview's table, top to bottom.
fn hamlet_order(html: &str) -> Vec<String> {
    html.split("<tr data-hamlet=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect()
}

fn hamlets_are_measured_against_their_expected_households(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "hamlet_targets") else {
        return;
    };
    admin::create_area(
        store.as_ref(),
        "b",
        "Bắc",
        "00004",
        &["Thôn Bắc".into(), "Thôn Ấp".into(), "Thôn An".into()],
    )
    .unwrap();
    let writes = vec![
        doc(0, "thon-dong", true),
        doc(1, "thon-dong", false),
        doc(2, "thon-dong", false),
        doc(3, "thon-bac", true),
    ];
    store.commit_push("dev", &writes, &[], Utc::now()).unwrap();
    let url = hub.url();
    let c = client();
    let cookie = session_cookie(&c, &url, "coord");
    let (_, page) = get(&c, &url, "", &cookie);
    // No targets yet: by the five skills, then in Vietnamese order (An, Ấp, Bắc, Đông).
    assert_eq!(
        hamlet_order(&page),
        ["thon-an", "thon-ap", "thon-dong", "thon-bac"]
    );
    // Each hamlet's registrations of the last six weeks, this week last.
    for (hamlet, weekly) in [("thon-dong", "0,0,0,0,0,3"), ("thon-bac", "0,0,0,0,0,1")] {
        let row = &page[page.find(&format!("data-hamlet=\"{hamlet}\"")).unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains(&format!("data-weekly=\"{weekly}\"")), "{row}");
    }
    let post = |fields: &[(&str, &str)], csrf_page: &str| {
        let csrf = csrf_of(csrf_page);
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        c.post(format!("{url}/dashboard/targets"))
            .header("cookie", &cookie)
            .form(&form)
            .send()
            .unwrap()
    };
    let r = post(
        &[
            ("h:thon-dong", "10"),
            ("h:thon-bac", " 2 "),
            ("h:thon-an", ""),
        ],
        &page,
    );
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = get(&c, &url, "", &cookie);
    // Đông 3 of 10 lags behind Bắc 1 of 2; hamlets without a target come last.
    assert_eq!(
        hamlet_order(&page),
        ["thon-dong", "thon-bac", "thon-an", "thon-ap"]
    );
    assert!(page.contains("data-hamlet=\"thon-dong\" data-households=\"3\" data-expected=\"10\""));
    assert!(page.contains("3 / 10 <span class=\"muted\">(30%)</span>"));
    // Bắc's one person has paid by QR; nobody has VNeID level 2.
    let bac = &page[page.find("data-hamlet=\"thon-bac\"").unwrap()..];
    let bac = &bac[..bac.find("</tr>").unwrap()];
    assert!(
        bac.contains("data-cashless=\"1\">1 <span class=\"muted\">(100%)"),
        "{bac}"
    );
    assert!(bac.contains("data-vneid2=\"0\""), "{bac}");

    // A typo or an unknown hamlet saves nothing, not even the good values beside it.
    for fields in [
        [("h:thon-an", "5"), ("h:thon-dong", "mười")],
        [("h:thon-an", "5"), ("h:thon-moi", "4")],
        [("h:thon-an", "5"), ("h:thon-dong", "100001")],
    ] {
        let r = post(&fields, &page);
        assert_eq!(r.status().as_u16(), 400, "{fields:?}");
    }
    let (_, after) = get(&c, &url, "", &cookie);
    assert!(after.contains("data-hamlet=\"thon-an\" data-households=\"0\" data-expected=\"\""));
    assert!(after.contains("data-expected=\"10\""));
    // Cleared by a blank.
    let r = post(&[("h:thon-dong", "")], &after);
    assert_eq!(r.status().as_u16(), 303);
    let (_, cleared) = get(&c, &url, "", &cookie);
    assert!(!cleared.contains("data-expected=\"10\""));
}

fn a_hamlets_household_cards_print_without_personal_numbers(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "print_cards") else {
        return;
    };
    admin::create_area(store.as_ref(), "b", "Bắc", "00004", &["Thôn Bắc".into()]).unwrap();
    let writes = vec![
        doc(0, "thon-dong", true),
        doc(1, "thon-dong", false),
        doc(2, "thon-bac", false),
    ];
    store.commit_push("dev", &writes, &[], Utc::now()).unwrap();
    let url = hub.url();
    let c = client();
    let cookie = session_cookie(&c, &url, "coord");
    let (status, page) = get(&c, &url, "print/hamlet/thon-dong", &cookie);
    assert_eq!(status, 200, "{page}");
    let cards: Vec<&str> = page.split("data-household=\"").skip(1).collect();
    let ids: Vec<&str> = cards.iter().map(|c| &c[..c.find('"').unwrap()]).collect();
    assert_eq!(ids.len(), 2, "the hamlet's two households, not Bắc's");
    assert!(ids.contains(&"hh0") && ids.contains(&"hh1"));
    assert_eq!(page.matches("<svg").count(), 2, "a QR code each");
    assert!(
        page.contains("Nguyễn Văn An"),
        "the person who shares with the commune"
    );
    // The card never carries an ID number, whole or masked.
    assert!(!page.contains("001080012345") && !page.contains("2345"));
    // The overview links each hamlet with households to its cards.
    let (_, overview) = get(&c, &url, "", &cookie);
    assert!(overview.contains("href=\"/dashboard/print/hamlet/thon-dong\""));
    // A hamlet of another commune, or none, is not found.
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "other", PASSWORD).unwrap();
    let other = session_cookie(&c, &url, "other");
    assert_eq!(get(&c, &url, "print/hamlet/thon-dong", &other).0, 404);
    assert_eq!(get(&c, &url, "print/hamlet/no-such-hamlet", &cookie).0, 404);
    // One household's take-home sheet, linked from its page; another commune's is not theirs.
    let (_, hh) = get(&c, &url, "households/hh0", &cookie);
    assert!(hh.contains("href=\"/dashboard/print/household/hh0\""));
    let (status, sheet) = get(&c, &url, "print/household/hh0", &cookie);
    assert_eq!(status, 200);
    assert_eq!(sheet.matches("data-household=").count(), 1);
    assert!(sheet.contains("Nguyễn Văn An") && !sheet.contains("2345"));
    assert_ne!(get(&c, &url, "print/household/hh0", &other).0, 200);
    assert_eq!(get(&c, &url, "print/household/nope", &cookie).0, 404);
}

/// The `data-*` numbers of a volunteer's row on the activity page.
fn activity_of(page: &str, volunteer: &str) -> (u64, u64, u64, String) {
    let at = page
        .find(&format!("data-volunteer=\"{volunteer}\""))
        .unwrap_or_else(|| panic!("{volunteer} is listed"));
    let row = &page[at..at + page[at..].find("</tr>").unwrap()];
    let n = |attr: &str| -> u64 {
        let a = row.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
        row[a..a + row[a..].find('"').unwrap()].parse().unwrap()
    };
    (
        n("data-registered"),
        n("data-visits"),
        n("data-items"),
        row.to_owned(),
    )
}

fn each_volunteers_activity_in_a_range_of_days(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "activity") else {
        return;
    };
    let writes = vec![
        doc_by(0, "thon-dong", true, "vol-lan", false, None),
        doc_by(1, "thon-dong", false, "vol-lan", true, None),
        doc_by(2, "thon-dong", false, "vol-minh", false, None),
    ];
    store.commit_push("dev", &writes, &[], Utc::now()).unwrap();
    // A volunteer whose phone never synced: listed with nothing done, the device overdue.
    enrol(store.as_ref(), "vol-hoa", "dev-hoa");
    let url = hub.url();
    let c = client();
    let cookie = session_cookie(&c, &url, "coord");
    let (status, page) = get(&c, &url, "activity", &cookie);
    assert_eq!(status, 200, "{page}");
    let (registered, visits, items, _) = activity_of(&page, "vol-lan");
    assert_eq!(
        (registered, visits, items),
        (2, 1, 5),
        "five skills of one head"
    );
    let (registered, visits, items, _) = activity_of(&page, "vol-minh");
    assert_eq!((registered, visits, items), (1, 0, 0));
    let (registered, _, _, row) = activity_of(&page, "vol-hoa");
    assert_eq!(registered, 0);
    assert!(
        row.contains("class=\"stale\"") && row.contains("badge warn"),
        "{row}"
    );

    // Another range: nothing in it, everyone still listed.
    let (_, old) = get(&c, &url, "activity?from=2020-01-01&to=2020-01-31", &cookie);
    assert_eq!(activity_of(&old, "vol-lan").0, 0);
    assert!(old.contains("value=\"2020-01-01\""));
    // A date that does not read: the last four weeks, and a sentence saying so.
    let (status, bad) = get(&c, &url, "activity?from=1%2F12%2F2026", &cookie);
    assert_eq!(status, 200);
    assert!(bad.contains("id=\"notice\""));
    assert_eq!(activity_of(&bad, "vol-lan").0, 2);
    // Another commune's coordinator sees none of these volunteers.
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "other", PASSWORD).unwrap();
    let other = session_cookie(&c, &url, "other");
    let (_, theirs) = get(&c, &url, "activity", &other);
    assert!(!theirs.contains("vol-lan") && !theirs.contains("vol-hoa"));
}

fn households_are_points_on_a_map_drawn_offline(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "map") else {
        return;
    };
    admin::create_area(store.as_ref(), "b", "Bắc", "00004", &["Thôn Bắc".into()]).unwrap();
    let writes = vec![
        doc_by(0, "thon-dong", true, "vol", true, Some((21.0337, 105.8142))),
        doc_by(
            1,
            "thon-dong",
            false,
            "vol",
            false,
            Some((21.0341, 105.8150)),
        ),
        doc_by(
            2,
            "thon-bac",
            false,
            "vol",
            false,
            Some((21.0400, 105.8200)),
        ),
        doc_by(3, "thon-bac", false, "vol", false, None),
        doc_by(
            4,
            "thon-bac",
            false,
            "vol",
            false,
            Some((21.0405, 105.8210)),
        ),
        doc_by(
            5,
            "thon-bac",
            false,
            "vol",
            false,
            Some((21.0398, 105.8190)),
        ),
        // A fix taken in Hồ Chí Minh City: off the map, counted.
        doc_by(
            6,
            "thon-bac",
            false,
            "vol",
            false,
            Some((10.7769, 106.7009)),
        ),
    ];
    store.commit_push("dev", &writes, &[], Utc::now()).unwrap();
    let url = hub.url();
    let c = client();
    let cookie = session_cookie(&c, &url, "coord");
    let legend = |page: &str, class: &str| -> u64 {
        let at = page
            .find(&format!("data-class=\"{class}\" data-count=\""))
            .unwrap();
        let a = at + format!("data-class=\"{class}\" data-count=\"").len();
        page[a..a + page[a..].find('"').unwrap()].parse().unwrap()
    };
    let (status, page) = get(&c, &url, "map", &cookie);
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page.matches("<a href=\"/dashboard/households/").count(),
        5,
        "five near each other"
    );
    assert!(
        page.contains("id=\"unplaced\" data-count=\"1\""),
        "one without a position"
    );
    assert!(
        page.contains("id=\"far\" data-count=\"1\""),
        "one far away, counted"
    );
    assert!(
        !page.contains("/dashboard/households/hh6\""),
        "and not drawn"
    );
    assert_eq!((legend(&page, "green"), legend(&page, "grey")), (1, 4));
    assert!(page.contains("href=\"/dashboard/households/hh0\""));
    assert!(
        !page.contains("Nguyễn Văn An"),
        "points name the address, not a person"
    );
    assert!(
        !page.contains("https://"),
        "nothing is fetched from the Internet"
    );
    // By visits: one visited today, four never; one hamlet only.
    let (_, visits) = get(&c, &url, "map?by=visits", &cookie);
    assert_eq!((legend(&visits, "green"), legend(&visits, "red")), (1, 4));
    let (_, dong) = get(&c, &url, "map?hamlet=thon-dong", &cookie);
    assert_eq!(dong.matches("<a href=\"/dashboard/households/").count(), 2);
    // An unknown hamlet is the whole commune, not an error.
    let (status, all) = get(&c, &url, "map?hamlet=nowhere", &cookie);
    assert_eq!(status, 200);
    assert_eq!(all.matches("<a href=\"/dashboard/households/").count(), 5);
}

fn a_viewer_reads_every_page_and_changes_nothing(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "viewer") else {
        return;
    };
    admin::add_coordinator(
        store.as_ref(),
        "chu-tich",
        "Chủ tịch xã",
        "00004",
        Utc::now(),
    )
    .unwrap();
    admin::set_role(store.as_ref(), "chu-tich", "viewer").unwrap();
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "chu-tich", PASSWORD).unwrap();
    store
        .commit_push("dev", &[doc(0, "thon-dong", true)], &[], Utc::now())
        .unwrap();
    let url = hub.url();
    let c = client();
    let cookie = session_cookie(&c, &url, "chu-tich");
    for page in [
        "",
        "households",
        "households/hh0",
        "sync",
        "quality",
        "activity",
        "map",
        "devices",
        "areas",
        "team",
        "import",
        "audit",
    ] {
        let (status, html) = get(&c, &url, page, &cookie);
        assert_eq!(status, 200, "{page}");
        assert!(html.contains("id=\"read-only\""), "{page} says read only");
        assert!(
            !html.contains("name=\"op\""),
            "{page} offers a viewer no edit form"
        );
    }
    let (_, page) = get(&c, &url, "", &cookie);
    let post = |path: &str, fields: &[(&str, &str)]| {
        let csrf = csrf_of(&page);
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        c.post(format!("{url}/dashboard/{path}"))
            .header("cookie", &cookie)
            .form(&form)
            .send()
            .unwrap()
    };
    for (path, fields) in [
        ("targets", vec![("h:thon-dong", "10")]),
        ("devices/pair", vec![("volunteer", "vol-x"), ("area", "a")]),
        (
            "areas",
            vec![("op", "add_hamlet"), ("area", "a"), ("name", "Thôn X")],
        ),
        (
            "team",
            vec![
                ("op", "invite"),
                ("id", "cb-x"),
                ("name", "X"),
                ("role", "editor"),
            ],
        ),
    ] {
        let r = post(path, &fields);
        assert_eq!(r.status().as_u16(), 403, "{path}");
        assert!(r.text().unwrap().contains("chỉ được xem"), "{path}");
    }
    assert!(
        admin::pairings(store.as_ref(), "coord", 10)
            .unwrap()
            .is_empty(),
        "no code issued"
    );
    let dash = store.dashboard().unwrap();
    let week = Utc::now().date_naive();
    assert!(
        dash.overview("00004", week)
            .unwrap()
            .hamlets
            .iter()
            .all(|h| h.expected.is_none())
    );
    // Their own settings and signing out are theirs.
    assert_eq!(
        post("sync/threshold", &[("hours", "48")]).status().as_u16(),
        303
    );
    let refusals: Vec<String> = dash
        .audit_log("00004", 50)
        .unwrap()
        .into_iter()
        .map(|e| format!("{}:{}", e.action, e.outcome))
        .collect();
    assert!(
        refusals.contains(&"form.refused:refused".to_owned()),
        "{refusals:?}"
    );
    // Made an editor, the same form goes through.
    admin::set_role(store.as_ref(), "chu-tich", "editor").unwrap();
    assert_eq!(
        post("targets", &[("h:thon-dong", "10")]).status().as_u16(),
        303
    );
    assert!(admin::set_role(store.as_ref(), "chu-tich", "owner").is_err());
    assert!(admin::set_role(store.as_ref(), "nobody", "viewer").is_err());
}

/// Posts a form of `page` (its CSRF token) to `path` as the holder of `cookie`: (status, body).
fn post_form(
    c: &Client,
    url: &str,
    cookie: &str,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let csrf = csrf_of(page);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let r = c
        .post(format!("{url}/dashboard/{path}"))
        .header("cookie", cookie)
        .form(&form)
        .send()
        .unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

fn areas_and_hamlets_are_changed_in_the_dashboard(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "areas_page") else {
        return;
    };
    admin::create_area(store.as_ref(), "b", "Tây", "00004", &["Thôn Tây".into()]).unwrap();
    store
        .commit_push(
            "dev",
            &[doc(0, "thon-tay", false), doc(1, "thon-tay", true)],
            &[],
            Utc::now(),
        )
        .unwrap();
    let url = hub.url();
    let c = client();
    let cookie = session_cookie(&c, &url, "coord");
    let (status, page) = get(&c, &url, "areas", &cookie);
    assert_eq!(status, 200);
    assert!(page.contains("data-hamlet=\"thon-tay\""));
    let post = |fields: &[(&str, &str)]| post_form(&c, &url, &cookie, &page, "areas", fields);

    let (status, html) = post(&[("op", "add_hamlet"), ("area", "a"), ("name", "Thôn Mới")]);
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("data-hamlet=\"thon-moi\""));
    let (status, html) = post(&[("op", "add_hamlet"), ("area", "a"), ("name", "thon moi")]);
    assert_eq!(status, 400);
    assert!(html.contains("đã có thôn mang tên này"), "a clear refusal");
    let (status, html) = post(&[
        ("op", "rename_hamlet"),
        ("hamlet", "thon-moi"),
        ("name", "Thôn Mới Lập"),
    ]);
    assert_eq!(status, 200);
    assert!(html.contains("Thôn Mới Lập"));
    // Households of Thôn Tây: retiring it is refused, merging moves them, then it is gone.
    let (status, html) = post(&[("op", "retire_hamlet"), ("hamlet", "thon-tay")]);
    assert_eq!(status, 400);
    assert!(html.contains("thôn còn 2 hộ"), "{html}");
    let (status, html) = post(&[
        ("op", "merge_hamlet"),
        ("hamlet", "thon-tay"),
        ("into", "thon-dong"),
    ]);
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("chuyển 2 hộ"), "{html}");
    assert!(!html.contains("data-hamlet=\"thon-tay\""));
    let dash = store.dashboard().unwrap();
    let (rows, total) = dash.households("00004", "", 50, 0).unwrap();
    assert_eq!(total, 2);
    assert!(rows.iter().all(|r| r.hamlet == "thon-dong"), "{rows:?}");
    let (status, _) = post(&[("op", "retire_hamlet"), ("hamlet", "thon-moi")]);
    assert_eq!(status, 200);
    let (status, _) = post(&[
        ("op", "create_area"),
        ("area_id", "c"),
        ("name", "Cụm Nam"),
        ("hamlets", "Thôn Nam\r\nThôn Nam Hai\r\n"),
    ]);
    assert_eq!(status, 200);
    assert_eq!(store.area("c").unwrap().unwrap().hamlets.len(), 2);
    let (status, _) = post(&[
        ("op", "create_area"),
        ("area_id", "c"),
        ("name", "X"),
        ("hamlets", "Y"),
    ]);
    assert_eq!(status, 400, "an area id is not taken over");
    let (status, _) = post(&[("op", "move_hamlet"), ("hamlet", "thon-nam"), ("area", "a")]);
    assert_eq!(status, 200);
    assert!(
        store
            .area("a")
            .unwrap()
            .unwrap()
            .hamlets
            .iter()
            .any(|h| h.id == "thon-nam")
    );
    assert_eq!(post(&[("op", "explode")]).0, 400);
    // Splitting a hamlet: a household moved to the new one, where the page says so.
    let (_, hh) = get(&c, &url, "households/hh0", &cookie);
    let at = hh.find("name=\"seq\" value=\"").unwrap() + 18;
    let seq = hh[at..at + hh[at..].find('"').unwrap()].to_owned();
    let (status, _) = post_form(
        &c,
        &url,
        &cookie,
        &hh,
        "households/hh0/hamlet",
        &[("seq", &seq), ("hamlet", "thon-xa")],
    );
    assert_eq!(status, 400, "not a hamlet of the commune");
    let r = c
        .post(format!("{url}/dashboard/households/hh0/hamlet"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", csrf_of(&hh).as_str()),
            ("seq", &seq),
            ("hamlet", "thon-nam"),
        ])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        dash.household_row("hh0").unwrap().unwrap().1.hamlet,
        "thon-nam"
    );
    let (_, hh) = get(&c, &url, "households/hh0?done=moved", &cookie);
    assert!(hh.contains("id=\"notice\""));

    // Another commune's coordinator touches none of it.
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "other", PASSWORD).unwrap();
    let other = session_cookie(&c, &url, "other");
    let (_, other_page) = get(&c, &url, "areas", &other);
    assert!(!other_page.contains("thon-dong"));
    let (status, _) = post_form(
        &c,
        &url,
        &other,
        &other_page,
        "areas",
        &[
            ("op", "rename_hamlet"),
            ("hamlet", "thon-dong"),
            ("name", "Của tôi"),
        ],
    );
    assert_eq!(status, 404);
    let audit: Vec<String> = dash
        .audit_log("00004", 50)
        .unwrap()
        .into_iter()
        .map(|e| format!("{}:{}:{}", e.action, e.target, e.outcome))
        .collect();
    assert!(
        audit.contains(&"area.merge_hamlet:thon-tay -> thon-dong:ok".to_owned()),
        "{audit:?}"
    );
}

fn coordinators_are_managed_in_the_dashboard(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "team_page") else {
        return;
    };
    let url = hub.url();
    let c = client();
    let cookie = session_cookie(&c, &url, "coord");
    let (_, page) = get(&c, &url, "team", &cookie);
    assert!(page.contains("data-coordinator=\"coord\""));
    assert!(
        !page.contains("data-coordinator=\"other\""),
        "another commune's"
    );
    let (status, html) = post_form(
        &c,
        &url,
        &cookie,
        &page,
        "team",
        &[
            ("op", "invite"),
            ("id", "cb-hoa"),
            ("name", "Lê Thị Hoa"),
            ("role", "viewer"),
        ],
    );
    assert_eq!(status, 200, "{html}");
    let marker = "id=\"temporary-password\">";
    let at = html.find(marker).unwrap() + marker.len();
    let temporary = html[at..at + 12].to_owned();
    let (_, again) = get(&c, &url, "team", &cookie);
    assert!(!again.contains(&temporary), "shown once");

    // Hoa signs in with it and sets her own password; her sessions then end.
    let (status, hoa) = sign_in_as(&c, &url, "cb-hoa", &temporary);
    assert_eq!(status, 303);
    let hoa = hoa.unwrap().split(';').next().unwrap().to_owned();
    let (_, hoa_page) = get(&c, &url, "team", &hoa);
    let change = |current: &str, new: &str| {
        post_form(
            &c,
            &url,
            &hoa,
            &hoa_page,
            "team/password",
            &[("current", current), ("new", new)],
        )
    };
    assert_eq!(change("sai-mat-khau", "mat-khau-cua-hoa").0, 400);
    let (status, html) = change(&temporary, "mat-khau-cua-hoa");
    assert_eq!(status, 200);
    assert!(html.contains("id=\"password-changed\""));
    assert_eq!(get(&c, &url, "team", &hoa).0, 401, "signed out");
    assert_eq!(sign_in_as(&c, &url, "cb-hoa", "mat-khau-cua-hoa").0, 303);

    // The editor resets it, makes her an editor, and cannot remove themselves.
    let (_, page) = get(&c, &url, "team", &cookie);
    let post = |fields: &[(&str, &str)]| post_form(&c, &url, &cookie, &page, "team", fields);
    let (status, html) = post(&[("op", "reset"), ("id", "cb-hoa")]);
    assert_eq!(status, 200);
    assert!(html.contains("id=\"temporary-password\""));
    assert_eq!(sign_in_as(&c, &url, "cb-hoa", "mat-khau-cua-hoa").0, 401);
    assert_eq!(
        post(&[("op", "role"), ("id", "cb-hoa"), ("role", "editor")]).0,
        200
    );
    let login = store
        .dashboard()
        .unwrap()
        .coordinator_login("cb-hoa")
        .unwrap()
        .unwrap();
    assert_eq!(login.role, gocua_hub::store::Role::Editor);
    assert_eq!(post(&[("op", "remove"), ("id", "coord")]).0, 400);
    assert_eq!(
        post(&[("op", "role"), ("id", "coord"), ("role", "viewer")]).0,
        400
    );
    assert_eq!(post(&[("op", "remove"), ("id", "other")]).0, 404);
    assert_eq!(post(&[("op", "remove"), ("id", "cb-hoa")]).0, 200);
    assert!(
        store
            .dashboard()
            .unwrap()
            .coordinator_login("cb-hoa")
            .unwrap()
            .is_none()
    );
}

/// A multipart form as a browser sends it: the CSRF token and one file.
fn upload(
    c: &Client,
    url: &str,
    cookie: &str,
    csrf: &str,
    name: &str,
    file: &[u8],
) -> (u16, String) {
    let boundary = "gocuaBoundary7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = c
        .post(format!("{url}/dashboard/import"))
        .header("cookie", cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

fn a_list_is_checked_then_imported_in_the_dashboard(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "import_page") else {
        return;
    };
    let url = hub.url();
    let c = client();
    let cookie = session_cookie(&c, &url, "coord");
    let (status, page) = get(&c, &url, "import", &cookie);
    assert_eq!(status, 200);
    let csrf = csrf_of(&page);
    let template = c
        .get(format!("{url}/dashboard/import/template.csv"))
        .header("cookie", &cookie)
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(template.starts_with("\u{feff}ma_ho,thon,"));
    let list = "ma_ho,thon,ho_ten,quan_he,so_dinh_danh\n\
                H1,Thôn Đông,Nguyễn Văn An,Chủ hộ,001080012345\n\
                H2,Thôn Đông,Lê Văn Bình,Chủ hộ,\n";
    // A row with an error: the verdict per row, nothing kept to import.
    let (status, html) = upload(
        &c,
        &url,
        &cookie,
        &csrf,
        "a.csv",
        format!("{list}H3,Thôn Nam,Phạm Văn C,Chủ hộ,\n").as_bytes(),
    );
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("data-line=\"4\" data-status=\"import_error\""),
        "{html}"
    );
    assert!(html.contains("id=\"import-refused\""));
    assert!(!html.contains("id=\"import-apply\""));
    assert!(
        !html.contains("001080012345"),
        "the ID number is never shown"
    );
    // Refusals: not UTF-8, too large, no CSRF token.
    let (status, html) = upload(
        &c,
        &url,
        &cookie,
        &csrf,
        "b.csv",
        b"ma_ho,thon\nH1,Th\xf4n\n",
    );
    assert_eq!(status, 400);
    assert!(html.contains("CSV UTF-8"), "{html}");
    let big = vec![b'a'; 100 * 1024 * 1024];
    let (status, html) = upload(&c, &url, &cookie, &csrf, "big.csv", &big);
    assert_eq!(status, 400);
    assert!(html.contains("16 MB"), "{html}");
    assert_eq!(
        upload(&c, &url, &cookie, "forged", "a.csv", list.as_bytes()).0,
        403
    );
    assert_eq!(store.doc_ids().unwrap().len(), 0);
    // The good file: checked, then imported in one step.
    let (status, html) = upload(&c, &url, &cookie, &csrf, "a.csv", list.as_bytes());
    assert_eq!(status, 200);
    assert!(html.contains("data-new=\"2\""), "{html}");
    let marker = "name=\"token\" value=\"";
    let at = html.find(marker).unwrap() + marker.len();
    let token = html[at..at + 32].to_owned();
    let apply = |token: &str| {
        c.post(format!("{url}/dashboard/import/apply"))
            .header("cookie", &cookie)
            .form(&[("csrf", csrf.as_str()), ("token", token)])
            .send()
            .unwrap()
    };
    let r = apply(&token);
    let status = r.status().as_u16();
    let body = r.text().unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("2 hộ"));
    assert_eq!(store.doc_ids().unwrap().len(), 2);
    assert_eq!(
        apply(&token).status().as_u16(),
        400,
        "a checked file imports once"
    );
    let (_, html) = upload(&c, &url, &cookie, &csrf, "a.csv", list.as_bytes());
    assert!(
        html.contains("id=\"import-nothing\""),
        "importing again adds nothing"
    );
}

fn a_province_follower_sees_each_communes_totals_and_no_person(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "province") else {
        return;
    };
    let s = store.as_ref();
    assert!(admin::add_province_viewer(s, "tinh-x", "Sở", "99", Utc::now()).is_err());
    admin::add_province_viewer(s, "tinh-hn", "Sở TT&TT Hà Nội", "01", Utc::now()).unwrap();
    gocua_hub::dashboard::auth::set_password(s, "tinh-hn", PASSWORD).unwrap();
    admin::create_area(s, "x", "Tổ 1", "00008", &["Tổ 1".into()]).unwrap();
    let writes = vec![
        doc(0, "thon-dong", true),
        doc(1, "thon-dong", false),
        doc(2, "thon-dong", false),
    ];
    s.commit_push("dev", &writes, &[], Utc::now()).unwrap();
    admin::set_hamlet_target(s, "coord", "thon-dong", Some(6), Utc::now()).unwrap();
    let url = hub.url();
    let c = client();
    let cookie = session_cookie(&c, &url, "tinh-hn");
    for page in [
        "",
        "households",
        "households/hh0",
        "map",
        "exports",
        "import",
    ] {
        let r = c
            .get(format!("{url}/dashboard/{page}"))
            .header("cookie", &cookie)
            .send()
            .unwrap();
        assert_eq!(r.status().as_u16(), 303, "{page}");
        assert_eq!(r.headers()["location"], "/dashboard/province", "{page}");
    }
    let (status, html) = get(&c, &url, "province", &cookie);
    assert_eq!(status, 200);
    assert!(
        html.contains("data-commune=\"00004\" data-households=\"3\""),
        "{html}"
    );
    assert!(html.contains("data-commune=\"00008\" data-households=\"0\""));
    assert!(html.contains("3 / 6"), "against the target");
    for secret in ["hh0", "Nguyễn Văn An", "Đường Làng", "thon-dong"] {
        assert!(!html.contains(secret), "{secret} on the province's page");
    }
    let (status, _) = post_form(&c, &url, &cookie, &html, "targets", &[("h:thon-dong", "9")]);
    assert_eq!(status, 403, "a follower changes nothing");
    // A commune's coordinator has no province page.
    let coord = session_cookie(&c, &url, "coord");
    let r = c
        .get(format!("{url}/dashboard/province"))
        .header("cookie", &coord)
        .send()
        .unwrap();
    assert_eq!(r.headers()["location"], "/dashboard/");
}

fn reports_follow_a_range_of_days(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((store, hub)) = setup(backend, dir.path(), "ranges") else {
        return;
    };
    let writes = vec![doc(0, "thon-dong", true), doc(1, "thon-dong", false)];
    store.commit_push("dev", &writes, &[], Utc::now()).unwrap();
    let code = admin::issue_pairing(
        store.as_ref(),
        "coord",
        "vol-lan",
        "a",
        chrono::Duration::hours(1),
        Utc::now(),
    )
    .unwrap();
    let device = store
        .redeem_pairing(
            &gocua_hub::hub::secret_hash(&gocua_hub::hub::normalise_code(&code)),
            Utc::now(),
            "dev-l",
            "vol-lan",
            "00004",
            &gocua_hub::hub::secret_hash("token-of-dev-l"),
        )
        .unwrap()
        .unwrap();
    let session = store.start_session(&device, Utc::now(), 0).unwrap();
    store
        .finish_session(
            session,
            "dev-l",
            SessionOutcome::Success,
            Utc::now(),
            0,
            None,
        )
        .unwrap();
    let url = hub.url();
    let c = client();
    let cookie = session_cookie(&c, &url, "coord");
    let long_ago = "from=2020-01-01&to=2020-01-31";
    // The audit log: today's sign-in by default, nothing in January 2020.
    let (_, html) = get(&c, &url, "audit", &cookie);
    assert!(html.contains("data-action=\"sign_in\""));
    let (_, html) = get(&c, &url, &format!("audit?{long_ago}"), &cookie);
    assert!(!html.contains("data-action="), "nothing then");
    assert!(
        html.contains("value=\"2020-01-01\""),
        "the form keeps the range"
    );
    // The sync report's session log.
    let (_, html) = get(&c, &url, "sync", &cookie);
    assert!(html.contains(&format!("data-session=\"{session}\"")));
    let (_, html) = get(&c, &url, &format!("sync?{long_ago}"), &cookie);
    assert!(!html.contains("data-session="));
    // Exports: every household, or those registered in the range.
    let csv = |q: &str| {
        let r = c
            .get(format!("{url}/dashboard/exports/households.csv{q}"))
            .header("cookie", &cookie)
            .send()
            .unwrap();
        (r.status().as_u16(), r.text().unwrap().lines().count())
    };
    assert_eq!(csv(""), (200, 3));
    assert_eq!(csv(&format!("?{long_ago}")), (200, 1), "the header only");
    let today = gocua_hub::time::local_date(Utc::now());
    assert_eq!(csv(&format!("?from={today}&to={today}")), (200, 3));
    assert_eq!(csv("?from=05/12/2026").0, 400);
    // A date that does not read: the default range, and a notice.
    let (status, html) = get(&c, &url, "?from=hôm-qua", &cookie);
    assert_eq!(status, 200);
    assert!(html.contains("id=\"notice\""));
}
