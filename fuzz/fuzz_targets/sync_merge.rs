//! Changes received in a sync, merged into a stored document (`sync::merge::merge_changes`):
//! what the hub does with every pushed document and the device with every pulled one. The first
//! byte chooses the stored side (none, the fixture household, another household); the rest are
//! the received changes. A merge that succeeds gives a document of the expected household that
//! loads, reads, and answers its changes after the old heads.
#![no_main]

use std::sync::OnceLock;

use gocua_core::HouseholdDoc;
use gocua_core::sync::merge::{changes_after, merge_changes};
use libfuzzer_sys::fuzz_target;

static DOCS: OnceLock<gocua_fuzz::Documents> = OnceLock::new();

fn docs() -> &'static gocua_fuzz::Documents {
    DOCS.get_or_init(gocua_fuzz::documents)
}

fn with(selector: u8, bytes: &[u8]) -> Vec<u8> {
    let mut v = vec![selector];
    v.extend_from_slice(bytes);
    v
}

fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let d = gocua_fuzz::documents();
    vec![
        ("new_whole", with(0, &d.whole)),
        ("stored_changes", with(1, &d.changes)),
        ("stored_whole", with(1, &d.whole)),
        ("new_changes_only", with(0, &d.changes)),
        ("wrong_household", with(1, &d.other)),
        ("other_stored", with(2, &d.whole)),
    ]
}

fuzz_target!(
    init: {
        gocua_fuzz::seeds("sync_merge", seeds);
        docs();
    },
    |data: &[u8]| {
        let Some((&selector, incoming)) = data.split_first() else {
            return;
        };
        let d = docs();
        let existing = match selector % 3 {
            0 => None,
            1 => Some(d.whole.as_slice()),
            _ => Some(d.other.as_slice()),
        };
        if let Ok(merged) = merge_changes(&d.id, existing, incoming) {
            assert_eq!(merged.household.id, d.id);
            let doc = HouseholdDoc::load(&merged.snapshot).expect("a merged snapshot loads");
            assert_eq!(doc.read().expect("reads"), merged.household);
            let (_, heads) =
                changes_after(&merged.snapshot, &merged.heads_before).expect("changes after");
            assert_eq!(heads, merged.heads);
        }
    }
);
