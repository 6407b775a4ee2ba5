//! The register encrypted at rest: the key comes from a key store, a wrong key is a clear error,
//! the key can be rotated (and a rotation cut short still leaves a key that opens the file), and
//! nothing personal can be read from the files on disk.

mod common;

use common::*;
use gocua_core::keystore::{KeyStore, MemoryKeyStore, NEXT_REGISTER_KEY, REGISTER_KEY};
use gocua_core::model::{Relation, VolunteerId};
use gocua_core::{Error, FixedClock, Register};

const NAME: &str = "Phạm Thị Bí Mật";
const ID_NUMBER: &str = "001185024680";

fn files_contain(dir: &std::path::Path, needle: &[u8]) -> bool {
    std::fs::read_dir(dir).unwrap().any(|e| {
        let bytes = std::fs::read(e.unwrap().path()).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle)
    })
}

#[test]
fn an_encrypted_register_keeps_personal_data_unreadable_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("enc.db");
    let keys = MemoryKeyStore::default();
    let mut reg = Register::create_encrypted(&path, VolunteerId("vol-1".into()), COMMUNE, &keys)
        .unwrap()
        .with_clock(FixedClock(at(0)));
    reg.add_hamlet(COMMUNE, "Thôn Đông").unwrap();
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let mut m = member_input(NAME, Relation::Head);
    m.id_number = Some(ID_NUMBER.into());
    m.birth = Some(gocua_core::model::BirthDate::Year(1985));
    m.gender = Some(gocua_core::model::Gender::Female);
    reg.add_member_consented(&hid, m).unwrap();

    // While open (the WAL holds the latest writes) and after closing, the files hide both.
    for _ in 0..2 {
        assert!(
            !files_contain(dir.path(), NAME.as_bytes()),
            "name readable on disk"
        );
        assert!(
            !files_contain(dir.path(), ID_NUMBER.as_bytes()),
            "ID number readable on disk"
        );
        assert!(!files_contain(dir.path(), "Thôn Đông".as_bytes()));
        drop(std::mem::replace(
            &mut reg,
            Register::open_encrypted(&path, &keys).unwrap(),
        ));
    }
    assert_eq!(reg.search("pham thi bi mat", 5).unwrap().len(), 1);
}

#[test]
fn a_wrong_or_missing_key_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("enc.db");
    let keys = MemoryKeyStore::default();
    drop(Register::create_encrypted(&path, VolunteerId("vol-1".into()), COMMUNE, &keys).unwrap());

    let other = MemoryKeyStore::default();
    other.save(REGISTER_KEY, &[7u8; 32]).unwrap();
    let err = Register::open_encrypted(&path, &other).err().unwrap();
    assert!(matches!(err, Error::WrongKey));
    assert!(err.to_string().contains("khoá mã hoá") && err.to_string().contains("encryption key"));
    assert!(matches!(
        Register::open_encrypted(&path, &MemoryKeyStore::default()),
        Err(Error::WrongKey)
    ));
    assert!(
        matches!(Register::open(&path), Err(Error::WrongKey)),
        "opening without a key fails clearly"
    );
    // The right key still works after the failed attempts.
    Register::open_encrypted(&path, &keys).unwrap();
}

#[test]
fn the_key_can_be_rotated_and_an_interrupted_rotation_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("enc.db");
    let keys = MemoryKeyStore::default();
    let mut reg =
        Register::create_encrypted(&path, VolunteerId("vol-1".into()), COMMUNE, &keys).unwrap();
    reg.add_hamlet(COMMUNE, "Thôn Đông").unwrap();
    let hid = reg
        .create_household(household_input("thon-dong"))
        .unwrap()
        .value;
    let old = keys.load(REGISTER_KEY).unwrap().unwrap();
    reg.rotate_key(&keys).unwrap();
    let new = keys.load(REGISTER_KEY).unwrap().unwrap();
    assert_ne!(old, new);
    assert_eq!(keys.load(NEXT_REGISTER_KEY).unwrap(), None);
    // Writes go on under the new key.
    reg.create_household(household_input("thon-dong")).unwrap();
    drop(reg);
    let stale = MemoryKeyStore::default();
    stale.save(REGISTER_KEY, &old).unwrap();
    assert!(matches!(
        Register::open_encrypted(&path, &stale),
        Err(Error::WrongKey)
    ));

    // A crash after the rekey but before the new key was promoted: the next key opens the file
    // and is promoted on open.
    stale.save(NEXT_REGISTER_KEY, &new).unwrap();
    let reg = Register::open_encrypted(&path, &stale).unwrap();
    assert_eq!(reg.household_ids().unwrap().len(), 2);
    assert!(reg.household(&hid).is_ok());
    assert_eq!(stale.load(REGISTER_KEY).unwrap(), Some(new));
    assert_eq!(stale.load(NEXT_REGISTER_KEY).unwrap(), None);
}
