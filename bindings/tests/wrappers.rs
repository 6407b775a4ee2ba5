//! The wrappers from Rust: what the Kotlin and Swift suites rely on, checked without a JVM or
//! Swift (those suites, scripts/test-kotlin.sh and scripts/test-swift.sh, exercise the bindings).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use gocua_core::model::{
    ChecklistItem, ConsentAction, ConsentMethod, ConsentPurposes, Gender, Relation, ResidenceType,
};
use gocua_ffi::*;

#[derive(Default)]
struct Keys(Mutex<HashMap<String, Vec<u8>>>);

impl PlatformKeyStore for Keys {
    fn load(&self, name: String) -> Result<Option<Vec<u8>>, GocuaError> {
        Ok(self.0.lock().unwrap().get(&name).cloned())
    }
    fn save(&self, name: String, key: Vec<u8>) -> Result<(), GocuaError> {
        self.0.lock().unwrap().insert(name, key);
        Ok(())
    }
    fn delete(&self, name: String) -> Result<(), GocuaError> {
        self.0.lock().unwrap().remove(&name);
        Ok(())
    }
}

fn member(name: &str, id_number: Option<&str>) -> MemberInput {
    MemberInput {
        full_name: name.into(),
        birth: Some("1990-05-01".into()),
        gender: Some(Gender::Male),
        relation: Relation::Head,
        id_number: id_number.map(Into::into),
        phone: None,
        residence: ResidenceType::Permanent,
    }
}

fn household(hamlet_id: &str) -> HouseholdInput {
    HouseholdInput {
        province_code: "01".into(),
        commune_code: "00004".into(),
        hamlet_id: hamlet_id.into(),
        street: Some("Đội Cấn".into()),
        alley: None,
        house_number: None,
        gps: None,
        official: None,
        notes: None,
    }
}

#[test]
fn errors_carry_a_kind_and_a_message_without_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db").to_string_lossy().into_owned();
    let keys = Arc::new(Keys::default());
    let register = GocuaRegister::create_encrypted(
        path.clone(),
        "vol-01".into(),
        "00004".into(),
        keys.clone(),
        Language::Vi,
    )
    .unwrap();
    let hamlet = register
        .add_hamlet("00004".into(), "Thôn Đông".into())
        .unwrap();
    let hid = register.create_household(household(&hamlet.id)).unwrap().id;

    let err = register
        .add_member(hid.clone(), member("Nguyễn Văn An", Some("0010900123")))
        .unwrap_err();
    let GocuaError::Validation { issues, reason } = &err else {
        panic!("expected Validation, got {err:?}");
    };
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].code, "id_number_format");
    assert_eq!(reason, "Số định danh cá nhân phải gồm đúng 12 chữ số.");
    assert!(!format!("{err} {err:?}").contains("0010900123"));

    register.set_language(Language::En);
    let err = register
        .add_member(hid.clone(), member("Nguyễn Văn An", Some("0010900123")))
        .unwrap_err();
    assert_eq!(
        err.reason(),
        "The personal ID number must have exactly 12 digits."
    );

    // Without the person's consent the register keeps no birth date or ID number.
    let err = register
        .add_member(hid.clone(), member("Nguyễn Văn An", Some("001090012345")))
        .unwrap_err();
    assert_eq!(
        err.reason(),
        "This person's consent (for the right purpose) is needed before this is stored."
    );

    // A duplicate ID number is a warning the volunteer accepts by saving.
    let consented = |household: &str| {
        let mut input = member("Nguyễn Văn An", None);
        input.birth = None;
        let id = register.add_member(household.into(), input).unwrap().id;
        let purposes = ConsentPurposes {
            local_register: true,
            setup_help: false,
            share_with_commune: false,
        };
        register
            .record_consent(
                household.into(),
                id.clone(),
                ConsentAction::Given,
                purposes,
                "2026-01".into(),
                ConsentMethod::WitnessedVerbal,
                None,
            )
            .unwrap();
        register
            .set_member_field(
                household.into(),
                id.clone(),
                MemberFieldUpdate::Birth {
                    value: Some("1990-05-01".into()),
                },
            )
            .unwrap();
        register
            .set_member_field(
                household.into(),
                id,
                MemberFieldUpdate::IdNumber {
                    value: Some("001090012345".into()),
                },
            )
            .unwrap()
    };
    consented(&hid);
    let other = register.create_household(household(&hamlet.id)).unwrap().id;
    let warnings = consented(&other);
    assert!(warnings.iter().any(|w| w.code == "duplicate_id_number"));

    assert!(matches!(
        register.household("nothing-here".into()),
        Err(GocuaError::NotFound { .. })
    ));
    assert!(matches!(
        register.sync(None, None),
        Err(GocuaError::NotEnrolled { .. })
    ));
    drop(register);
    assert!(matches!(
        GocuaRegister::open_encrypted(path.clone(), Arc::new(Keys::default()), Language::Vi),
        Err(GocuaError::WrongKey { .. })
    ));
    let reopened = GocuaRegister::open_encrypted(path, keys, Language::Vi).unwrap();
    assert_eq!(reopened.household_ids().unwrap().len(), 2);
}

#[test]
fn labels_and_guides_in_both_languages() {
    assert_eq!(gender_label(Gender::Female, Language::Vi), "nữ");
    assert_eq!(
        checklist_item_label(ChecklistItem::Vssid, Language::En),
        "Social-insurance app (VssID)"
    );
    let vi = onboarding_guide(ChecklistItem::VneidLevel1, Language::Vi);
    let en = onboarding_guide(ChecklistItem::VneidLevel1, Language::En);
    assert_eq!(vi.steps.len(), en.steps.len());
    assert_ne!(vi.title, en.title);
    assert_eq!(
        checklist_items(Language::Vi).len(),
        ChecklistItem::ALL.len()
    );
    assert!(relations(Language::Vi).iter().any(|r| r.label == "Chủ hộ"));
}

#[test]
fn a_pairing_link_is_parsed_and_a_bad_one_is_a_message() {
    let pin = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let link = format!("gocua://pair?hub=https%3A%2F%2Fhub.xa.vn&code=AB12&pin={pin}");
    let parsed = parse_pairing_payload(link, Language::En);
    let pairing = parsed.pairing.unwrap();
    assert_eq!(pairing.hub_url, "https://hub.xa.vn");
    assert_eq!(pairing.pin_sha256.as_deref(), Some(pin));
    let bad = parse_pairing_payload("hello".into(), Language::En);
    assert!(bad.pairing.is_none());
    assert!(bad.message.unwrap().contains("not a gocua pairing code"));
}
