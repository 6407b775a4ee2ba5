//! Fixtures shared by the fuzz targets, and their seed inputs made by the real encoders.
//!
//! Every target calls [`seeds`] once when it starts: with `GOCUA_FUZZ_WRITE_SEEDS=DIR` in the
//! environment it writes its seed inputs to `DIR/<target>/` (this is how `fuzz/corpus/` is made:
//! `fuzz/run.sh --seeds`). The seeds are whatever the register, the device's sync client and the
//! hub produce, so they stay valid when an encoding changes.

use std::path::Path;

use chrono::{TimeZone, Utc};
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::*;
use gocua_core::sync::wire::*;
use gocua_core::{FixedClock, HouseholdDoc, Register};

pub const PROVINCE: &str = "01";
pub const COMMUNE: &str = "00004";
/// The hamlet every fixture household lives in (the hub's area `a` holds it).
pub const HAMLET: &str = "Thôn Đông";

/// A register in `dir` with one hamlet, writing at a fixed time.
/// The device id of every register made here: fixed, so the documents of one run (the seeds
/// written to `fuzz/corpus/`) and of the next (the hub's enrolled device) share their author, and
/// the hub's attribution check lets fuzzed pushes through to the merge.
pub const DEVICE: &str = "f0220000f0220000f0220000f0220000";

pub fn register(dir: &Path, volunteer: &str) -> Register {
    let path = dir.join(format!("{volunteer}.db"));
    drop(Register::create(&path, VolunteerId(volunteer.into()), COMMUNE).expect("register"));
    rusqlite::Connection::open(&path)
        .and_then(|c| c.execute("UPDATE meta SET value = ?1 WHERE key = 'device_id'", [DEVICE]))
        .expect("fixed device id");
    let mut reg = Register::open(&path)
        .expect("register")
        .with_clock(FixedClock(Utc.timestamp_opt(1_790_000_000, 0).unwrap()));
    reg.add_hamlet(COMMUNE, HAMLET).expect("hamlet");
    reg
}

pub fn household_input(hamlet_id: &str) -> HouseholdInput {
    HouseholdInput {
        area: Area {
            province_code: PROVINCE.into(),
            commune_code: COMMUNE.into(),
            hamlet_id: hamlet_id.into(),
        },
        address: Address {
            street: Some("Đường Làng".into()),
            alley: Some("Ngõ 5".into()),
            house_number: Some("12".into()),
        },
        gps: Some(GpsFix {
            lat: 21.0337,
            lon: 105.8142,
            accuracy_m: 8.0,
            fixed_at: Utc.timestamp_opt(1_789_999_000, 0).unwrap(),
            source: GpsSource::Fix,
        }),
        official: None,
        notes: Some("ghi chú".into()),
    }
}

pub fn member_input(name: &str, relation: Relation) -> MemberInput {
    MemberInput {
        full_name: name.into(),
        birth: Some(BirthDate::Year(1980)),
        gender: Some(Gender::Female),
        relation,
        id_number: None,
        phone: None,
        residence: ResidenceType::Permanent,
    }
}

/// A household with a member and checklist progress, in `reg`; its id.
pub fn add_household(reg: &mut Register, name: &str) -> HouseholdId {
    let hamlet = reg.hamlets(COMMUNE).expect("hamlets")[0].id.clone();
    let id = reg
        .create_household(household_input(&hamlet))
        .expect("household")
        .value;
    let m = reg
        .add_member_with_consent(
            &id,
            member_input(name, Relation::Head),
            &gocua_core::consent_rule::ConsentGiven::every_purpose(),
        )
        .expect("member")
        .value;
    reg.set_checklist(
        &id,
        &m,
        ChecklistItem::VneidInstalled,
        ChecklistStatus::Done,
        None,
        None,
    )
    .expect("checklist");
    id
}

/// A whole household document as `gocua export` writes it, and two later versions of it made on
/// two devices (for change sets that extend it).
pub struct Documents {
    pub id: HouseholdId,
    pub whole: Vec<u8>,
    pub heads: Vec<Head>,
    /// Changes after `whole` (another member added), as a device pushes them.
    pub changes: Vec<u8>,
    pub later_heads: Vec<Head>,
    /// A document of another household.
    pub other: Vec<u8>,
}

pub fn documents() -> Documents {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut reg = register(dir.path(), "vol-seed");
    let id = add_household(&mut reg, "Nguyễn Thị Thử");
    let whole = reg.export_document(&id).expect("export");
    let mut doc = HouseholdDoc::load(&whole).expect("load");
    let heads = doc.heads();
    reg.add_member_with_consent(
        &id,
        member_input("Trần Văn Hai", Relation::Child),
        &gocua_core::consent_rule::ConsentGiven::every_purpose(),
    )
    .expect("member");
    let later = reg.export_document(&id).expect("export");
    let mut later_doc = HouseholdDoc::load(&later).expect("load");
    let changes = later_doc.changes_since(&heads);
    let later_heads = later_doc.heads();
    let other_id = add_household(&mut reg, "Lê Văn Khác");
    let other = reg.export_document(&other_id).expect("export");
    Documents {
        id,
        whole,
        heads,
        changes,
        later_heads,
        other,
    }
}

/// A sync request pushing `docs`.
pub fn sync_request(session: Option<u64>, push: Vec<PushDoc>) -> SyncRequest {
    SyncRequest {
        protocol: PROTOCOL_VERSION,
        session,
        cursor: 0,
        pending_docs: push.len() as u32,
        push,
        resend: vec![],
        erase: vec![],
        epochs: vec![],
        device_time: Some(1_790_000_000),
        hub_tag: None,
    }
}

/// With `GOCUA_FUZZ_WRITE_SEEDS=DIR`, writes `make()`'s seeds to `DIR/<target>/` (replacing the
/// files of the same names). Does nothing otherwise.
pub fn seeds(target: &str, make: impl FnOnce() -> Vec<(&'static str, Vec<u8>)>) {
    let Ok(dir) = std::env::var("GOCUA_FUZZ_WRITE_SEEDS") else {
        return;
    };
    let dir = Path::new(&dir).join(target);
    std::fs::create_dir_all(&dir).expect("seed directory");
    for (name, bytes) in make() {
        std::fs::write(dir.join(name), bytes).expect("seed file");
    }
}
