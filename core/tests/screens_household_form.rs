//! Registering a household: the hamlet picker, warnings shown once and accepted explicitly.

mod common;

use common::*;
use gocua_core::model::*;
use gocua_core::screens::household_form::{
    ACCEPTED_NOTE_PREFIX, HouseholdFormEvent as E, HouseholdFormModel, LocationAnswer,
};
use gocua_core::screens::{FieldKind, Lang};

fn fix(lat: f64, lon: f64, accuracy_m: f64, source: GpsSource) -> GpsFix {
    GpsFix {
        lat,
        lon,
        accuracy_m,
        fixed_at: at(0),
        source,
    }
}

fn hamlet_set(code: &str) -> E {
    E::Set {
        key: "hamlet".into(),
        value: code.into(),
    }
}

#[test]
fn a_household_is_saved_with_a_hamlet_chosen_from_the_picker() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let mut form = HouseholdFormModel::new(Lang::En, None);
    let view = form.handle(&mut reg, E::Save);
    let hamlet = view.fields.iter().find(|f| f.key == "hamlet").unwrap();
    assert_eq!(hamlet.messages[0].text, "Choose the hamlet.");
    // iOS had no picker, so a household could never be saved there: the field carries its own
    // choices, and the pick goes back as the field's value.
    assert_eq!(hamlet.kind, FieldKind::Choice);
    assert_eq!(hamlet.options.len(), 1);
    assert!(!hamlet.options[0].selected);
    let code = hamlet.options[0].code.clone();
    let view = form.handle(&mut reg, hamlet_set(&code));
    let hamlet = view.fields.iter().find(|f| f.key == "hamlet").unwrap();
    assert_eq!(hamlet.value, code);
    assert!(hamlet.options[0].selected);
    let typed = view.fields.iter().find(|f| f.key == "street").unwrap();
    assert_eq!(typed.kind, FieldKind::Text);
    assert!(typed.options.is_empty());
    form.handle(
        &mut reg,
        E::Set {
            key: "house_number".into(),
            value: "12".into(),
        },
    );
    form.handle(&mut reg, E::Gps(fix(21.03, 105.85, 8.0, GpsSource::Fix)));
    let view = form.handle(&mut reg, E::Save);
    let id = view.saved.expect("saved");
    let h = reg.household(&id).unwrap();
    assert_eq!(h.area.hamlet_id, code);
    assert_eq!(h.address.house_number.as_deref(), Some("12"));
    assert!(h.visits.is_empty(), "no warning, nothing accepted");
}

#[test]
fn a_warning_is_shown_once_and_accepted_by_an_explicit_action() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let mut form = HouseholdFormModel::new(Lang::En, Some((21.03, 105.85)));
    form.handle(&mut reg, hamlet_set("thon-dong"));
    form.handle(&mut reg, E::Gps(fix(21.03, 105.85, 120.0, GpsSource::Fix)));
    let view = form.handle(&mut reg, E::Save);
    assert!(view.saved.is_none());
    assert_eq!(view.warnings.len(), 1);
    assert!(view.warnings[0].text.contains("50 metres"));
    let accept = view
        .actions
        .iter()
        .find(|a| a.id == "accept_warnings")
        .unwrap();
    assert!(accept.enabled);
    // Android cleared warningsSeen before every save, so this press never saved.
    let view = form.handle(&mut reg, E::AcceptWarnings);
    let id = view.saved.expect("saved after accepting");
    let h = reg.household(&id).unwrap();
    let note = h.visits[0].note.as_deref().unwrap();
    assert!(
        note.starts_with(ACCEPTED_NOTE_PREFIX) && note.contains("accuracy_m"),
        "{note}"
    );
}

#[test]
fn accepting_needs_the_warnings_to_have_been_shown_and_a_change_shows_them_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let mut form = HouseholdFormModel::new(Lang::Vi, Some((21.03, 105.85)));
    form.handle(&mut reg, hamlet_set("thon-dong"));
    form.handle(&mut reg, E::Gps(fix(21.03, 105.85, 120.0, GpsSource::Fix)));
    // Accept before anything was shown: shows, does not save.
    assert!(form.handle(&mut reg, E::AcceptWarnings).saved.is_none());
    // A new position far from the commune (Ho Chi Minh City) brings a new warning to show.
    let view = form.handle(&mut reg, E::Gps(fix(10.77, 106.70, 5.0, GpsSource::MapPin)));
    assert!(view.warnings.is_empty());
    assert!(view.notices.iter().any(|n| n.code == "gps_pinned"));
    let view = form.handle(&mut reg, E::Save);
    assert!(
        view.warnings[0].text.contains("20 km"),
        "{:?}",
        view.warnings
    );
    let view = form.handle(&mut reg, E::Save);
    assert!(view.saved.is_none(), "Save never accepts a warning");
    assert!(form.handle(&mut reg, E::AcceptWarnings).saved.is_some());
}

#[test]
fn outside_vietnam_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let mut form = HouseholdFormModel::new(Lang::En, None);
    form.handle(&mut reg, hamlet_set("thon-dong"));
    form.handle(&mut reg, E::Gps(fix(13.75, 100.50, 5.0, GpsSource::Fix)));
    let view = form.handle(&mut reg, E::Save);
    assert!(view.warnings[0].text.contains("outside Vietnam"));
}

/// What the phone answered about the location is said by the core, under the position, in
/// both shells alike; only a refusal for good offers the phone's settings.
#[test]
fn the_location_answers_are_sentences_and_a_fix_settles_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(&dir, "r.db");
    let mut form = HouseholdFormModel::new(Lang::En, None);
    let view = form.handle(&mut reg, E::Location(LocationAnswer::Precise));
    assert_eq!(view.location_notice, None);
    assert_eq!(view.open_settings, None);
    assert!(view.locate.enabled);
    assert!(!view.clear_gps.enabled, "no position to clear");

    let view = form.handle(&mut reg, E::Location(LocationAnswer::Refused));
    let said = view.location_notice.expect("a refusal is explained");
    assert_eq!(said.code, "location_refused");
    assert_eq!(view.open_settings, None, "the app may still ask");

    let view = form.handle(&mut reg, E::Location(LocationAnswer::RefusedForGood));
    assert_eq!(
        view.location_notice.unwrap().code,
        "location_refused_for_good"
    );
    let settings = view.open_settings.expect("only the settings can allow it");
    assert!(settings.enabled);

    let view = form.handle(&mut reg, E::Location(LocationAnswer::NoFix));
    assert_eq!(view.location_notice.unwrap().code, "location_no_fix");
    assert_eq!(view.open_settings, None);

    // A fix settles a missing one; the position can then be cleared.
    let view = form.handle(&mut reg, E::Gps(fix(21.03, 105.85, 8.0, GpsSource::Fix)));
    assert_eq!(view.location_notice, None);
    assert!(view.clear_gps.enabled);

    // An approximate permission stays said while its fixes come.
    form.handle(&mut reg, E::Location(LocationAnswer::Approximate));
    let view = form.handle(&mut reg, E::Gps(fix(21.03, 105.85, 900.0, GpsSource::Fix)));
    assert_eq!(view.location_notice.unwrap().code, "location_approximate");
    let view = form.handle(&mut reg, E::Location(LocationAnswer::ServiceOff));
    assert_eq!(view.location_notice.unwrap().code, "location_service_off");

    // In Vietnamese too.
    let mut vi = HouseholdFormModel::new(Lang::Vi, None);
    let view = vi.handle(&mut reg, E::Location(LocationAnswer::RefusedForGood));
    assert!(
        view.location_notice
            .unwrap()
            .text
            .starts_with("Quyền vị trí")
    );
    assert_eq!(view.open_settings.unwrap().label, "Mở Cài đặt");
}
