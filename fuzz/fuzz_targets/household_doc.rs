//! A household document from the network or a file: load, then read it as the register does.
#![no_main]

use gocua_core::HouseholdDoc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = HouseholdDoc::load(data) {
        let _ = doc.read();
        let _ = doc.id();
    }
});
