//! A household document from the network or a file: load it and read it as the register does,
//! apply it as changes to a stored household (`HouseholdDoc::apply_bytes`), and merge it into
//! one (`HouseholdDoc::merge`), and check it whole as the hub does (`validate_document`). Whatever is taken still reads, and saves to bytes that load.
#![no_main]

use std::sync::OnceLock;

use gocua_core::HouseholdDoc;
use libfuzzer_sys::fuzz_target;

static STORED: OnceLock<Vec<u8>> = OnceLock::new();

fn stored() -> &'static [u8] {
    STORED.get_or_init(|| gocua_fuzz::documents().whole)
}

fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let docs = gocua_fuzz::documents();
    vec![
        ("household", docs.whole),
        ("changes", docs.changes),
        ("other_household", docs.other),
        ("garbage", b"garbage".to_vec()),
    ]
}

fuzz_target!(
    init: {
        gocua_fuzz::seeds("household_doc", seeds);
        stored();
    },
    |data: &[u8]| {
        if let Ok(mut doc) = HouseholdDoc::load(data) {
            let household = doc.read().expect("a loaded document reads");
            assert_eq!(doc.id().expect("a loaded document has an id"), household.id);
            let _ = doc.conflicts();
            let _ = doc.history();
            // The hub's whole-document check of a pushed document never panics.
            let _ = gocua_core::validate::validate_document(
                &mut doc,
                &household,
                data.len(),
                chrono::Utc::now(),
            );
            let again = HouseholdDoc::load(&doc.save()).expect("a saved document loads");
            assert_eq!(again.read().expect("reads"), household);

            let mut base = HouseholdDoc::load(stored()).unwrap();
            if base.merge(&mut doc).is_ok() {
                base.read().expect("a merged document reads");
            }
        }
        let mut base = HouseholdDoc::load(stored()).unwrap();
        if base.apply_bytes(data).is_ok() {
            base.read().expect("a document with changes applied reads");
            HouseholdDoc::load(&base.save()).expect("saved after changes, loads");
        }
    }
);
