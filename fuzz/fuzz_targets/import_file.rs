//! `gocua import FILE`: the file's bytes merged into a register (`Register::merge_document`).
//! What is taken reads back; the register holds one household (the fixture's) plus at most one
//! per accepted file.
#![no_main]

use std::sync::Mutex;

use gocua_core::Register;
use libfuzzer_sys::fuzz_target;

struct Fixture {
    _dir: tempfile::TempDir,
    reg: Register,
}

static REG: Mutex<Option<Fixture>> = Mutex::new(None);

fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let docs = gocua_fuzz::documents();
    let mut magic_only = docs.whole.clone();
    magic_only.truncate(4);
    vec![
        ("household", docs.whole),
        ("other_household", docs.other),
        ("changes_only", docs.changes),
        ("magic_only", magic_only),
    ]
}

fuzz_target!(
    init: gocua_fuzz::seeds("import_file", seeds),
    |data: &[u8]| {
        let mut guard = REG.lock().unwrap();
        let fx = guard.get_or_insert_with(|| {
            let dir = tempfile::tempdir().unwrap();
            let mut reg = gocua_fuzz::register(dir.path(), "vol-fuzz");
            gocua_fuzz::add_household(&mut reg, "Phạm Thị Có");
            Fixture { _dir: dir, reg }
        });
        if let Ok(id) = fx.reg.merge_document(data) {
            // Whatever was taken reads back.
            fx.reg.household(&id).unwrap();
            fx.reg.conflicts(&id).unwrap();
        }
    }
);
