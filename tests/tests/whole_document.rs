//! The hub checks the whole document a device pushes (issue 16, docs/SECURITY.md "Whole
//! documents"): a hostile device that writes Automerge changes by hand, past the register's
//! checks, gets each bad document refused alone while its honest ones are stored, and nothing
//! of the bad ones reaches the hub or the other phones.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc};
use gocua_core::sync::wire::*;
use gocua_core::sync::{SessionOutcome, SyncOptions};
use gocua_tests::*;

/// The register's token, read from its (unencrypted) file as an attacker holding the phone would.
fn token_of(dir: &std::path::Path, volunteer: &str) -> String {
    rusqlite::Connection::open(dir.join(format!("{volunteer}.db")))
        .unwrap()
        .query_row("SELECT token FROM sync_peer", [], |r| r.get(0))
        .unwrap()
}

/// A change on top of the document `bytes`, made by `edit` with raw Automerge under the actor
/// of device `device` (as that device would sign it).
fn tampered_as(device: &str, bytes: &[u8], edit: impl FnOnce(&mut AutoCommit)) -> Vec<u8> {
    let mut doc = AutoCommit::load(bytes).unwrap();
    doc.set_actor(automerge::ActorId::from(device.as_bytes()));
    edit(&mut doc);
    doc.save()
}

fn members(doc: &AutoCommit) -> automerge::ObjId {
    doc.get(ROOT, "members").unwrap().unwrap().1
}

fn a_bad_document_is_refused_alone_and_never_passed_on(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(fx) = fixture(backend, dir.path(), "whole_document") else {
        return;
    };
    let (store, hub) = (fx.store.clone(), fx.hub.clone());
    let transport = hub.in_process();
    let mut phone = enrolled(&fx, &transport, dir.path(), "vol-a", "a");
    let ids = add_households(&mut phone, "thon-dong", 0..2, "Nguyễn Văn An");
    let ok = phone
        .sync_with(&transport, &SyncOptions::default())
        .unwrap();
    assert_eq!(ok.outcome, SessionOutcome::Success);
    let token = token_of(dir.path(), "vol-a");
    let original = phone.export_document(&ids[0]).unwrap();
    let device = phone.identity().device.0.clone();
    let tampered =
        |bytes: &[u8], edit: &dyn Fn(&mut AutoCommit)| tampered_as(&device, bytes, |d| edit(d));
    let honest_id = phone
        .create_household(household("thon-dong", 7))
        .unwrap()
        .value;
    let honest = phone.export_document(&honest_id).unwrap();

    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "a 100 KB note",
            tampered(&original, &|d: &mut AutoCommit| {
                d.put(ROOT, "notes", "a".repeat(100_000)).unwrap();
            }),
        ),
        (
            "an unknown key",
            tampered(&original, &|d: &mut AutoCommit| {
                d.put(ROOT, "payload", "anything").unwrap();
            }),
        ),
        (
            "a bidi override in the street",
            tampered(&original, &|d: &mut AutoCommit| {
                d.put(ROOT, "street", "Đội Cấn\u{202E}gnaH").unwrap();
            }),
        ),
        (
            "a terminal escape in the notes",
            tampered(&original, &|d: &mut AutoCommit| {
                d.put(ROOT, "notes", "xin chào \u{1b}[2J").unwrap();
            }),
        ),
        (
            "a removed member with an invalid ID number",
            tampered(&original, &|d: &mut AutoCommit| {
                let ms = members(d);
                let m = d.put_object(&ms, "m-ghost", ObjType::Map).unwrap();
                d.put(&m, "full_name", "Bóng Ma").unwrap();
                d.put(&m, "relation", "con_de").unwrap();
                d.put(&m, "residence", "thuong_tru").unwrap();
                d.put(&m, "id_number", "123").unwrap();
                d.put(&m, "status", "removed").unwrap();
            }),
        ),
        (
            "a member id that is not an id",
            tampered(&original, &|d: &mut AutoCommit| {
                let ms = members(d);
                let m = d.put_object(&ms, "../x y", ObjType::Map).unwrap();
                d.put(&m, "full_name", "Lạ").unwrap();
                d.put(&m, "relation", "con_de").unwrap();
                d.put(&m, "residence", "thuong_tru").unwrap();
            }),
        ),
        (
            "an oversized checklist reason",
            tampered(&original, &|d: &mut AutoCommit| {
                let ms = members(d);
                let id = d.keys(&ms).next().unwrap();
                let m = d.get(&ms, &id).unwrap().unwrap().1;
                let list = d.get(&m, "checklist").unwrap().unwrap().1;
                let e = d.put_object(&list, "smartphone", ObjType::Map).unwrap();
                d.put(&e, "status", "failed").unwrap();
                d.put(&e, "reason", "x".repeat(1_500)).unwrap();
                d.put(&e, "by", "vol-a").unwrap();
                d.put(
                    &e,
                    "at",
                    automerge::ScalarValue::Timestamp(1_790_000_000_000),
                )
                .unwrap();
                d.put(&e, "device", "dev-a").unwrap();
            }),
        ),
        (
            "a change signed as another device",
            tampered_as("dev-someone-else", &original, |d| {
                d.put(ROOT, "street", "Phố Khác").unwrap();
            }),
        ),
        (
            "the device's own actor named as another volunteer",
            tampered(&original, &|d: &mut AutoCommit| {
                let actors = d.get(ROOT, "actors").unwrap().unwrap().1;
                let own = automerge::ActorId::from(device.as_bytes()).to_hex_string();
                d.put(&actors, own, format!("vol-other|{device}")).unwrap();
            }),
        ),
    ];
    for (name, bytes) in cases {
        let request = SyncRequest {
            protocol: PROTOCOL_VERSION,
            push: vec![
                PushDoc {
                    id: ids[0].0.clone(),
                    heads: vec![],
                    changes: bytes,
                },
                PushDoc {
                    id: honest_id.0.clone(),
                    heads: vec![],
                    changes: honest.clone(),
                },
            ],
            ..Default::default()
        };
        let answer = hub.handle(PATH_SYNC, Some(&token), &encode(&request));
        assert_eq!(answer.status, 200, "{name}");
        let answer: SyncResponse = decode(&answer.body).unwrap();
        match &answer.results[0].outcome {
            PushOutcome::Rejected {
                code, message_en, ..
            } => {
                let want = if name.contains("device") {
                    "forged_actor"
                } else {
                    "invalid"
                };
                assert_eq!(code, want, "{name}");
                assert!(!message_en.contains("Bóng Ma"), "no personal data: {name}");
            }
            other => panic!("{name}: {other:?}"),
        }
        assert_eq!(
            answer.results[1].outcome,
            PushOutcome::Stored,
            "{name}: the honest document of the same push is stored"
        );
        let on_hub = store.load_doc(&ids[0].0).unwrap().unwrap();
        let stored = AutoCommit::load(&on_hub.bytes).unwrap();
        assert!(stored.get(ROOT, "payload").unwrap().is_none(), "{name}");
        assert!(stored.get(ROOT, "notes").unwrap().is_none(), "{name}");
        let street: Option<String> = stored
            .get(ROOT, "street")
            .unwrap()
            .and_then(|(v, _)| v.into_string().ok());
        assert_ne!(street.as_deref(), Some("Phố Khác"), "{name}");
        assert_eq!(
            stored.keys(members(&stored).clone()).count(),
            1,
            "{name}: no member was added on the hub"
        );
    }

    // A second phone of the area receives only clean documents.
    let mut other = enrolled(&fx, &transport, dir.path(), "vol-b", "a");
    other
        .sync_with(&transport, &SyncOptions::default())
        .unwrap();
    assert_eq!(other.household_ids().unwrap().len(), 3);
    let h = other.household(&ids[0]).unwrap();
    assert_eq!(h.notes, None);
    assert_eq!(h.members.len(), 1);
}

on_both_backends!(a_bad_document_is_refused_alone_and_never_passed_on);
