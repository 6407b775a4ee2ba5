//! Bad input (issue 6), the stable counterpart of the `fuzz/` libFuzzer targets: random bytes,
//! and truncations and mutations of valid encodings, fed to every decoder that takes bytes from
//! the network or a file — the sync wire (`sync::wire::decode` of every body type), a household
//! document (`HouseholdDoc::load`), and an imported file (`Register::merge_document`, what
//! `gocua import` calls). Each must answer an error, never panic, and a refused import must leave
//! the register unchanged.

mod common;

use common::*;
use gocua_core::HouseholdDoc;
use gocua_core::model::*;
use gocua_core::sync::wire::*;
use proptest::prelude::*;

fn valid_request() -> Vec<u8> {
    encode(&SyncRequest {
        protocol: PROTOCOL_VERSION,
        session: Some(7),
        cursor: 42,
        pending_docs: 1,
        push: vec![PushDoc {
            id: "h-1".into(),
            heads: vec![[3; 32]],
            changes: vec![1, 2, 3, 4, 5, 6, 7, 8],
        }],
        resend: vec!["h-2".into()],
        erase: vec![EraseRequest {
            id: "h-3".into(),
            member: Some("m-1".into()),
        }],
        epochs: vec![DocEpoch {
            id: "h-1".into(),
            epoch: 1,
            gone: false,
        }],
        device_time: Some(1_790_000_000),
        hub_tag: None,
    })
}

fn valid_response() -> Vec<u8> {
    encode(&SyncResponse {
        session: 7,
        results: vec![PushResult {
            id: "h-1".into(),
            outcome: PushOutcome::Rejected {
                code: "bad_id".into(),
                message_vi: "sai".into(),
                message_en: "wrong".into(),
            },
        }],
        pull: vec![PullDoc {
            id: "h-4".into(),
            heads: vec![[9; 32]],
            changes: vec![0; 40],
        }],
        cursor: 99,
        more: false,
        finished: false,
        erased: vec![],
        area: None,
        erase_answers: Some(vec![]),
        hub_time: Some(1_790_000_000),
        lineage: None,
        erased_proofs: Vec::new(),
        merged_hamlets: vec![MergedHamlet {
            from: "thon-cu".into(),
            into: "thon-moi".into(),
        }],
    })
}

/// Every wire decoder on `bytes`: none may panic; the results are returned for checks.
fn decode_all(bytes: &[u8]) -> [bool; 4] {
    [
        decode::<SyncRequest>(bytes).is_ok(),
        decode::<SyncResponse>(bytes).is_ok(),
        decode::<FinishRequest>(bytes).is_ok(),
        decode::<FinishResponse>(bytes).is_ok(),
    ]
}

/// A valid household document (with a member and checklist progress).
fn valid_document() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "doc.db");
    let id = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let m = reg
        .add_member_consented(&id, member_input("Nguyễn Văn Thử", Relation::Head))
        .unwrap()
        .value;
    reg.set_checklist(
        &id,
        &m,
        ChecklistItem::VneidInstalled,
        ChecklistStatus::Done,
        None,
        None,
    )
    .unwrap();
    reg.export_document(&id).unwrap()
}

fn cases() -> u32 {
    std::env::var("GOCUA_BAD_INPUT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_are_refused_by_the_wire(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        // Random bytes are not a zstd frame (a 4-byte magic number): every decoder refuses.
        prop_assert_eq!(decode_all(&bytes), [false; 4]);
    }

    #[test]
    fn zstd_of_random_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let body = zstd::bulk::compress(&bytes, 3).unwrap();
        let _ = decode_all(&body);
    }

    #[test]
    fn cut_and_mutated_wire_bodies_never_panic(
        which in 0..2usize,
        cut in 0.0..1.0f64,
        flips in proptest::collection::vec((0.0..1.0f64, any::<u8>()), 0..8),
    ) {
        let valid = if which == 0 { valid_request() } else { valid_response() };
        // A body cut short is refused.
        let at = ((valid.len() as f64) * cut) as usize;
        prop_assert_eq!(decode_all(&valid[..at]), [false; 4]);
        // A body with bytes changed may happen to decode; it must not panic.
        let mut bad = valid.clone();
        for (pos, byte) in &flips {
            let last = bad.len() - 1;
            let i = ((bad.len() as f64) * pos) as usize;
            bad[i.min(last)] ^= byte | 1;
        }
        let _ = decode_all(&bad);
    }

    #[test]
    fn random_bytes_are_not_a_document(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        prop_assert!(HouseholdDoc::load(&bytes).is_err());
    }

    #[test]
    fn cut_and_mutated_documents_never_panic(
        cut in 0.0..1.0f64,
        flips in proptest::collection::vec((0.0..1.0f64, any::<u8>()), 1..8),
    ) {
        let valid = document();
        let at = ((valid.len() as f64) * cut) as usize;
        // Cut short: refused, or (a cut at a chunk boundary) a document that still reads or not,
        // but never a panic.
        if let Ok(d) = HouseholdDoc::load(&valid[..at]) {
            let _ = d.read();
        }
        let mut bad = valid.clone();
        for (pos, byte) in &flips {
            let last = bad.len() - 1;
            let i = ((bad.len() as f64) * pos) as usize;
            bad[i.min(last)] ^= byte | 1;
        }
        if let Ok(d) = HouseholdDoc::load(&bad) {
            let _ = d.read();
        }
    }
}

fn document() -> Vec<u8> {
    static DOC: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    DOC.get_or_init(valid_document).clone()
}

proptest! {
    // Each case opens a register: fewer cases.
    #![proptest_config(ProptestConfig { cases: cases() / 8 + 1, ..ProptestConfig::default() })]

    #[test]
    fn a_bad_import_is_refused_and_changes_nothing(
        random in proptest::collection::vec(any::<u8>(), 0..1024),
        cut in 0.0..1.0f64,
        flips in proptest::collection::vec((0.0..1.0f64, any::<u8>()), 1..8),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut reg = register(&dir, "import.db");
        prop_assert!(reg.merge_document(&random).is_err());
        prop_assert!(reg.merge_document(&[]).is_err());
        let valid = document();
        let at = ((valid.len() as f64) * cut) as usize;
        let _ = reg.merge_document(&valid[..at]);
        let mut bad = valid.clone();
        for (pos, byte) in &flips {
            let last = bad.len() - 1;
            let i = ((bad.len() as f64) * pos) as usize;
            bad[i.min(last)] ^= byte | 1;
        }
        let _ = reg.merge_document(&bad);
        // Whatever was refused left nothing; whatever was taken reads back.
        for id in reg.household_ids().unwrap() {
            prop_assert!(reg.household(&id).is_ok());
        }
        prop_assert_eq!(reg.integrity_check().unwrap(), "ok");
    }
}

#[test]
fn random_import_leaves_the_register_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "import.db");
    let before = reg.household_ids().unwrap();
    for bad in [
        &b""[..],
        b"garbage",
        &[0x85, 0x6f, 0x4a, 0x83][..],
        &[0u8; 300][..],
    ] {
        assert!(reg.merge_document(bad).is_err());
    }
    assert_eq!(reg.household_ids().unwrap(), before);
    // The valid document is taken.
    reg.merge_document(&document()).unwrap();
    // `GOCUA_FUZZ_SEEDS=fuzz/corpus` refreshes the fuzz targets' seed document.
    if let Ok(dir) = std::env::var("GOCUA_FUZZ_SEEDS") {
        let dir = std::path::Path::new(&dir);
        for target in ["household_doc", "import_file"] {
            std::fs::write(dir.join(target).join("household"), document()).unwrap();
        }
    }
    assert_eq!(reg.household_ids().unwrap().len(), before.len() + 1);
}
