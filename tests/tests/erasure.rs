//! Erasure through sync: a member's or a household's erasure, requested on a device or by a
//! coordinator on the hub, reaches every replica; a stale device that syncs later with old
//! changes does not bring the data back; afterwards no file of any device or of the hub (WAL
//! included) holds the person's name or ID number.

use gocua_core::Register;
use gocua_core::model::*;
use gocua_core::sync::{InProcess, SessionOutcome, SyncOptions};
use gocua_hub::HubStore;
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

#[test]
fn erasure_reaches_every_replica_and_leaves_nothing_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let (store, hub) = hub(dir.path());
    let t = hub.in_process();
    let mut a = register(dir.path(), "vol-a");
    let mut b = register(dir.path(), "vol-b");
    let mut c = register(dir.path(), "vol-c");
    for (reg, v) in [(&mut a, "vol-a"), (&mut b, "vol-b"), (&mut c, "vol-c")] {
        reg.sync_enrol("inproc", &t, &code(&store, v, "a"), None)
            .unwrap();
    }

    // A registers a household: a head and the person who will ask for erasure.
    let hid = a.create_household(household("thon-dong", 1)).unwrap().value;
    let head = a
        .add_member(
            &hid,
            person(HEAD_NAME, HEAD_ID, Relation::Head, 1980, Gender::Male),
        )
        .unwrap()
        .value;
    let p = a
        .add_member(
            &hid,
            person(NAME, ID_NUMBER, Relation::Wife, 1985, Gender::Female),
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

    // 1. The person asks volunteer A for erasure: A rewrites locally, the hub at the next sync.
    a.erase_member(&hid, &p).unwrap();
    let r = sync_ok(&mut a, &t);
    assert!(r.erased >= 1, "{r:?}");
    sync_ok(&mut b, &t);
    // C syncs its stale change: refused as erased; C drops its copy and takes the rewrite.
    let r = sync_ok(&mut c, &t);
    assert!(r.erased >= 1, "{r:?}");
    sync_ok(&mut a, &t);

    let hub_h = hub_households(&store);
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
        let found = files_with(dir.path(), needle);
        assert!(found.is_empty(), "{needle:?} still on disk: {found:?}");
    }
    assert!(
        !files_with(dir.path(), HEAD_NAME).is_empty(),
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
        let found = files_with(dir.path(), needle);
        assert!(found.is_empty(), "{needle:?} still on disk: {found:?}");
    }
    // The audit log recorded both erasures, with ids only.
    let log = store.audit_entries(100).unwrap();
    assert!(log.iter().any(|e| e.action == "erase.member"
        && e.actor == "device:".to_owned() + a.identity().device.as_str()));
    assert!(
        log.iter()
            .any(|e| e.action == "erase.household" && e.actor == "coordinator:coord")
    );
    assert!(log.iter().all(|e| !e.target.contains(NAME)));
}
