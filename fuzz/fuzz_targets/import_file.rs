//! `gocua import FILE`: the file's bytes merged into a register (`Register::merge_document`).
#![no_main]

use std::sync::Mutex;

use gocua_core::Register;
use gocua_core::model::VolunteerId;
use libfuzzer_sys::fuzz_target;

struct Fixture {
    _dir: tempfile::TempDir,
    reg: Register,
}

static REG: Mutex<Option<Fixture>> = Mutex::new(None);

fuzz_target!(|data: &[u8]| {
    let mut guard = REG.lock().unwrap();
    let fx = guard.get_or_insert_with(|| {
        let dir = tempfile::tempdir().unwrap();
        let reg = Register::create(
            &dir.path().join("fuzz.db"),
            VolunteerId("vol-fuzz".into()),
            "00004",
        )
        .unwrap();
        Fixture { _dir: dir, reg }
    });
    if let Ok(id) = fx.reg.merge_document(data) {
        // Whatever was taken reads back.
        fx.reg.household(&id).unwrap();
    }
});
