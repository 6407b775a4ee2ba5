//! The dashboard's handlers over HTTP on 127.0.0.1 (port 0): sign-in, cookies, CSRF, refusals,
//! bad input; and the query tables against a rebuild from the documents.

use std::sync::Arc;

use chrono::Utc;
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::*;
use gocua_core::{ChangeContext, Edit, HouseholdDoc};
use gocua_hub::http::RunningHub;
use gocua_hub::store::DocWrite;
use gocua_hub::{Hub, HubConfig, HubStore, SqliteStore, admin};
use reqwest::blocking::{Client, Response};
use reqwest::redirect::Policy;

const PASSWORD: &str = "mat-khau-thu";

fn setup(dir: &std::path::Path) -> (Arc<SqliteStore>, RunningHub) {
    let store = Arc::new(SqliteStore::open(&dir.join("hub.db")).unwrap());
    admin::add_coordinator(store.as_ref(), "coord", "Cán bộ", "00004", Utc::now()).unwrap();
    admin::add_coordinator(store.as_ref(), "other", "Xã khác", "00008", Utc::now()).unwrap();
    gocua_hub::dashboard::auth::set_password(store.as_ref(), "coord", PASSWORD).unwrap();
    admin::create_area(store.as_ref(), "a", "Đông", "00004", &["Thôn Đông".into()]).unwrap();
    let hub = Arc::new(Hub::new(store.clone(), HubConfig::default()));
    let running = RunningHub::start(hub, "127.0.0.1:0", None, false).unwrap();
    (store, running)
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

/// Signs in; returns the session cookie pair and the page's CSRF token.
fn sign_in(c: &Client, url: &str, password: &str) -> (u16, Option<String>) {
    let login = c.get(format!("{url}/dashboard/login")).send().unwrap();
    let login_cookie = cookies(&login)[0].split(';').next().unwrap().to_owned();
    let csrf = csrf_of(&login.text().unwrap());
    let r = c
        .post(format!("{url}/dashboard/login"))
        .header("cookie", &login_cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("coordinator", "coord"),
            ("password", password),
        ])
        .send()
        .unwrap();
    let session = cookies(&r)
        .into_iter()
        .find(|c| c.starts_with("gocua_session=") && !c.starts_with("gocua_session=;"));
    (r.status().as_u16(), session)
}

#[test]
fn sign_in_cookies_csrf_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = setup(dir.path());
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
    DocWrite {
        id: id.0.clone(),
        heads: d.heads(),
        bytes: d.save(),
        commune: "00004".into(),
        hamlet: hamlet.into(),
    }
}

#[test]
fn query_tables_follow_each_write_and_rebuild_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hub.db");
    let store = SqliteStore::open(&path).unwrap();
    admin::create_area(
        &store,
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
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE meta SET value = 'old' WHERE key = 'dash_index_version'",
        [],
    )
    .unwrap();
    conn.execute("DELETE FROM dash_households", []).unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    let after = store.dashboard().unwrap().overview("00004", week).unwrap();
    assert_eq!(
        serde_json::to_string(&after).unwrap(),
        serde_json::to_string(&before).unwrap()
    );
}

#[test]
fn similar_head_names_and_masking() {
    use gocua_hub::dashboard::quality::similar_names;
    assert!(similar_names("Nguyễn Văn An", "Nguyen Van Ân"));
    assert!(similar_names("Nguyễn Văn An", "Nguyễn V. An"));
    assert!(!similar_names("Nguyễn Văn An", "Trần Thị Mai"));
    assert!(!similar_names("", ""));
    assert_eq!(gocua_hub::dashboard::mask("001080012345"), "••••••••2345");
    assert_eq!(gocua_hub::dashboard::mask("12"), "12");
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

#[test]
fn failed_sign_ins_are_limited_per_address_and_per_coordinator() {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = setup(dir.path());
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
