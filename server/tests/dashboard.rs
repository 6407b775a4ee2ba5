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
    let ctx = ChangeContext {
        volunteer: VolunteerId("vol".into()),
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
        gps: None,
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
    assert!(dash.sessions_of("00008", None, 10).unwrap().is_empty());
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
    let cookie = sign_in(&c, &url, PASSWORD).1.unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();

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
