//! Erasure through sync: a member's or a household's erasure, requested on a device or by a
//! coordinator on the hub, reaches every replica; a stale device that syncs later with old
//! changes does not bring the data back; afterwards no file of any device holds the person's name
//! or ID number, nor does the hub's storage: on SQLite no file of the hub (WAL included), on
//! PostgreSQL no row of any table (every column, documents also read uncompressed, see
//! [`hub_holds`]). Both backends (`on_both_backends!`).

use gocua_core::model::*;
use gocua_core::sync::{InProcess, SessionOutcome, SyncOptions};
use gocua_core::{ErasureStep, Register};
use gocua_hub::store::EraseDecision;
use gocua_tests::*;

const NAME: &str = "Đỗ Quỳnh Xuyến";
const ID_NUMBER: &str = "001185024680";
const HEAD_NAME: &str = "Vũ Trọng Khiêm";
const HEAD_ID: &str = "001080013579";

fn sync_ok(reg: &mut Register, t: &InProcess) -> gocua_core::sync::SyncReport {
    let r = reg.sync_with(t, &SyncOptions::default()).unwrap();
    assert_eq!(r.outcome, SessionOutcome::Success, "{r:?}");
    r
}

/// Files under `dir` (recursively) whose bytes contain `needle`.
fn files_with(dir: &std::path::Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).unwrap_or_default();
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(p.display().to_string());
            }
        }
    }
    found
}

fn person(
    name: &str,
    id: &str,
    relation: Relation,
    year: i32,
    gender: Gender,
) -> gocua_core::input::MemberInput {
    let mut m = member(name, relation);
    m.id_number = Some(id.into());
    m.birth = Some(BirthDate::Year(year));
    m.gender = Some(gender);
    m
}

/// Every non-null value of every table of the hub's SQLite file, as `(table, column, bytes)`:
/// blobs as stored, text as UTF-8, numbers in their text form.
fn sqlite_values(db: &std::path::Path) -> Vec<(String, String, Vec<u8>)> {
    use rusqlite::types::ValueRef;
    let c = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for (i, name) in names.iter().enumerate() {
                let bytes = match row.get_ref(i).unwrap() {
                    ValueRef::Null => continue,
                    ValueRef::Integer(v) => v.to_string().into_bytes(),
                    ValueRef::Real(v) => v.to_string().into_bytes(),
                    ValueRef::Text(b) | ValueRef::Blob(b) => b.to_vec(),
                };
                out.push((t.clone(), name.clone(), bytes));
            }
        }
    }
    out
}

/// Where the hub's storage holds `needle`. Every value of every column of every table, with
/// documents also read uncompressed (an Automerge document deflates its larger columns, which
/// hides a name from a byte scan); on SQLite, also the bytes of its files (`hub.db` and its WAL:
/// old page images, free pages). On PostgreSQL the check is of the rows, not of the cluster's
/// files: dead row versions stay in table files until vacuumed and WAL segments until recycled,
/// neither under the hub's control (docs/SECURITY.md).
fn hub_holds(fx: &Fixture, dir: &std::path::Path, needle: &str) -> Vec<String> {
    let contains = |bytes: &[u8]| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    let (values, mut found) = match fx.backend {
        Backend::Sqlite => (
            sqlite_values(std::path::Path::new(&fx.location)),
            files_with(dir, needle)
                .into_iter()
                .filter(|f| {
                    std::path::Path::new(f)
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("hub.db"))
                })
                .collect(),
        ),
        Backend::Postgres => (postgres_values(&fx.location), Vec::new()),
    };
    found.extend(
        values
            .into_iter()
            .filter(|(_, _, v)| {
                contains(v)
                    || automerge::Automerge::load(v).is_ok_and(|d| contains(&d.save_nocompress()))
            })
            .map(|(t, c, _)| format!("{t}.{c}")),
    );
    found
}

/// Where the hub or any device holds `needle` (the test's folder holds every register).
fn anywhere(fx: &Fixture, dir: &std::path::Path, needle: &str) -> Vec<String> {
    let mut found = files_with(dir, needle);
    found.extend(hub_holds(fx, dir, needle));
    found
}

fn erasure_reaches_every_replica_and_leaves_nothing_at_rest(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(
        backend,
        dir.path(),
        "erasure_reaches_every_replica_and_leaves_nothing_at_rest",
    ) else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let t = hub.in_process();
    let mut a = register(dir.path(), "vol-a");
    let mut b = register(dir.path(), "vol-b");
    let mut c = register(dir.path(), "vol-c");
    for (reg, v) in [(&mut a, "vol-a"), (&mut b, "vol-b"), (&mut c, "vol-c")] {
        reg.sync_enrol("inproc", &t, &code_on(store.as_ref(), v, "a"), None)
            .unwrap();
    }

    // A registers a household: a head and the person who will ask for erasure.
    let hid = a.create_household(household("thon-dong", 1)).unwrap().value;
    let head = a
        .add_member_with_consent(
            &hid,
            person(HEAD_NAME, HEAD_ID, Relation::Head, 1980, Gender::Male),
            &gocua_core::consent_rule::ConsentGiven::every_purpose(),
        )
        .unwrap()
        .value;
    let p = a
        .add_member_with_consent(
            &hid,
            person(NAME, ID_NUMBER, Relation::Wife, 1985, Gender::Female),
            &gocua_core::consent_rule::ConsentGiven::every_purpose(),
        )
        .unwrap()
        .value;
    a.set_checklist(
        &hid,
        &head,
        ChecklistItem::VneidInstalled,
        ChecklistStatus::Done,
        None,
        None,
    )
    .unwrap();
    sync_ok(&mut a, &t);
    sync_ok(&mut b, &t);
    sync_ok(&mut c, &t);
    // The scans find what is there: both people are on the hub.
    for (what, needle) in [("the member's name", NAME), ("the head's name", HEAD_NAME)] {
        let found = hub_holds(&fx, dir.path(), needle);
        assert!(
            !found.is_empty(),
            "the scan of the hub does not find {what}"
        );
        eprintln!("{backend:?}: before the erasure, {what} is in {found:?}");
    }

    // C goes offline and keeps editing the person (a stale copy with old history).
    c.set_checklist(
        &hid,
        &p,
        ChecklistItem::Vssid,
        ChecklistStatus::InProgress,
        None,
        None,
    )
    .unwrap();

    // 1. The person asks volunteer A for erasure. The hub has the household, so A only files a
    // request; nothing is erased on a device's word.
    assert_eq!(a.erase_member(&hid, &p).unwrap(), ErasureStep::Requested);
    let r = sync_ok(&mut a, &t);
    assert_eq!((r.erasures_filed, r.erased), (1, 0), "{r:?}");
    assert!(a.household(&hid).unwrap().members.contains_key(&p));
    assert_eq!(a.pending_erasures().unwrap(), 1);
    let requests = store.erase_requests(COMMUNE, 10).unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].decision, EraseDecision::Pending);
    assert_eq!(requests[0].member.as_deref(), Some(p.as_str()));
    // The coordinator approves: the hub rewrites its copy, every device follows at its sync.
    let decided = hub
        .decide_erasure("coord", COMMUNE, requests[0].request_id, true)
        .unwrap();
    assert_eq!(decided.decision, EraseDecision::Approved);
    let r = sync_ok(&mut a, &t);
    assert!(r.erased >= 1, "{r:?}");
    assert_eq!(a.pending_erasures().unwrap(), 0);
    sync_ok(&mut b, &t);
    // C syncs its stale change: refused as erased; C drops its copy and takes the rewrite.
    let r = sync_ok(&mut c, &t);
    assert!(r.erased >= 1, "{r:?}");
    sync_ok(&mut a, &t);

    let hub_h = households_on(store.as_ref());
    assert_eq!(hub_h.len(), 1);
    for reg in [&a, &b, &c] {
        let h = reg.household(&hid).unwrap();
        assert!(!h.members.contains_key(&p), "the erased member came back");
        assert_eq!(h, hub_h[0], "replicas differ after the erasure");
        assert_eq!(
            h.members[&head].checklist[&ChecklistItem::VneidInstalled].status,
            ChecklistStatus::Done
        );
        assert_eq!(reg.pending_count().unwrap(), 0);
        assert_eq!(reg.integrity_check().unwrap(), "ok");
    }
    for needle in [NAME, ID_NUMBER] {
        let found = anywhere(&fx, dir.path(), needle);
        assert!(found.is_empty(), "{needle:?} still at rest: {found:?}");
    }
    assert!(
        !hub_holds(&fx, dir.path(), HEAD_NAME).is_empty(),
        "the scan finds what is there"
    );

    // Work goes on with the rewritten household on every device.
    b.set_checklist(
        &hid,
        &head,
        ChecklistItem::CyberSafety,
        ChecklistStatus::Done,
        None,
        None,
    )
    .unwrap();
    sync_ok(&mut b, &t);
    sync_ok(&mut a, &t);
    assert_eq!(
        a.household(&hid).unwrap().members[&head].checklist[&ChecklistItem::CyberSafety].status,
        ChecklistStatus::Done
    );

    // 2. The whole household is erased by the coordinator on the hub. D is a stale replica (a
    // copy of A's register taken before) that syncs only afterwards, with an edit.
    let d_path = dir.path().join("vol-d.db");
    drop(std::fs::copy(dir.path().join("vol-a.db"), &d_path));
    let _ = std::fs::copy(
        dir.path().join("vol-a.db-wal"),
        dir.path().join("vol-d.db-wal"),
    );
    let erased = hub
        .erase("coordinator:coord", COMMUNE, hid.as_str(), None)
        .unwrap();
    assert!(erased.is_some_and(|e| e.gone));
    for reg in [&mut a, &mut b, &mut c] {
        let r = sync_ok(reg, &t);
        assert_eq!(r.erased, 1);
        assert!(reg.household_ids().unwrap().is_empty());
        assert!(reg.is_erased(&hid).unwrap());
    }
    {
        let mut d = Register::open(&d_path).unwrap();
        d.set_checklist(
            &hid,
            &head,
            ChecklistItem::Vssid,
            ChecklistStatus::Done,
            None,
            None,
        )
        .unwrap();
        let r = sync_ok(&mut d, &t);
        assert_eq!(r.erased, 1, "{r:?}");
        assert!(d.household_ids().unwrap().is_empty());
    }
    assert_eq!(
        store.doc_count().unwrap(),
        0,
        "the stale device resurrected the household"
    );
    // Nothing of the household anywhere: not the head either.
    for needle in [NAME, ID_NUMBER, HEAD_NAME, HEAD_ID] {
        let found = anywhere(&fx, dir.path(), needle);
        assert!(found.is_empty(), "{needle:?} still at rest: {found:?}");
    }
    // The audit log recorded both erasures, with ids only.
    let log = store.audit_entries(100).unwrap();
    let device_a = "device:".to_owned() + a.identity().device.as_str();
    assert!(
        log.iter()
            .any(|e| e.action == "erase.requested" && e.actor == device_a)
    );
    assert!(
        log.iter()
            .any(|e| e.action == "erase.member" && e.actor == "coordinator:coord")
    );
    assert!(
        log.iter()
            .any(|e| e.action == "erase.approved" && e.actor == "coordinator:coord")
    );
    assert!(
        log.iter()
            .any(|e| e.action == "erase.household" && e.actor == "coordinator:coord")
    );
    assert!(log.iter().all(|e| !e.target.contains(NAME)));
}

on_both_backends!(erasure_reaches_every_replica_and_leaves_nothing_at_rest);
