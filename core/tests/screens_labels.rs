//! One label and one masking rule for every field (issue 14).

use gocua_core::FieldPath;
use gocua_core::model::MemberId;
use gocua_core::screens::Lang;
use gocua_core::screens::labels::{field_keys, field_label, field_value_text};

#[test]
fn every_field_path_has_a_label_in_both_languages() {
    let (household, member) = field_keys();
    let m = MemberId("m1".into());
    let paths = household
        .iter()
        .map(|k| FieldPath::household(k))
        .chain(member.iter().map(|k| FieldPath::member(&m, k)));
    let mut n = 0;
    for path in paths {
        for lang in [Lang::Vi, Lang::En] {
            let label = field_label(&path, lang);
            assert_ne!(label, path.key, "{path} has no {lang:?} label");
            assert!(!label.is_empty());
        }
        n += 1;
    }
    assert_eq!(n, household.len() + member.len());
    assert_eq!(n, 18);
}

#[test]
fn conflict_values_are_masked_by_their_field() {
    let m = MemberId("m1".into());
    let id = FieldPath::member(&m, "id_number");
    let phone = FieldPath::member(&m, "phone");
    assert_eq!(
        field_value_text(&id, "001085012345", Lang::Vi),
        "••••••••2345"
    );
    assert_eq!(
        field_value_text(&phone, "0912345678", Lang::En),
        "•••••••678"
    );
    let name = FieldPath::member(&m, "full_name");
    assert_eq!(
        field_value_text(&name, "Lê Thị Hoa", Lang::Vi),
        "Lê Thị Hoa"
    );
    let gps = FieldPath::household("gps");
    assert_eq!(
        field_value_text(&gps, "21.03,105.8,5,1760000000000,map_pin", Lang::En),
        "21.03, 105.8 (±5 m, map pin)"
    );
}
