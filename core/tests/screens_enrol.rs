//! Enrolment: the pairing QR text and the `gocua://pair` link, with a pin; bad payloads are
//! field messages; what is missing is listed.

use gocua_core::screens::enrol::{EnrolEvent, EnrolModel, PayloadError, parse_pairing};
use gocua_core::screens::{FieldKind, Lang, NoticeLevel};

/// What a shell sends for text typed or pasted into the field `key`.
fn set(key: &str, value: &str) -> EnrolEvent {
    EnrolEvent::Set {
        key: key.into(),
        value: value.into(),
    }
}

/// What a shell sends for an option picked under the field `key`.
fn choose(key: &str, code: &str) -> EnrolEvent {
    EnrolEvent::Choose {
        key: key.into(),
        code: code.into(),
    }
}

const PIN: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

#[test]
fn the_qr_text_as_the_dashboard_writes_it() {
    let p = parse_pairing("GOCUA-PAIR:1:AB12CD:https://hub.xa.vn:8443").unwrap();
    assert_eq!(
        (p.code.as_str(), p.hub_url.as_str()),
        ("AB12CD", "https://hub.xa.vn:8443")
    );
    assert_eq!(p.pin_sha256, None);
    // A camera app may write the link's scheme and host in capitals (they are case-insensitive).
    let upper = parse_pairing("GOCUA://PAIR?hub=https%3A%2F%2Fhub.xa.vn&code=AB12CD").unwrap();
    assert_eq!(
        (upper.code.as_str(), upper.hub_url.as_str()),
        ("AB12CD", "https://hub.xa.vn")
    );
}

#[test]
fn a_pairing_link_with_a_pin_and_a_commune_fills_the_form() {
    let link = format!(
        "gocua://pair?hub=https%3A%2F%2F192.168.1.10%3A8443&code=AB12CD&pin={}&commune=00004",
        PIN.to_uppercase()
    );
    let mut model = EnrolModel::new(Lang::En);
    let view = model.handle(EnrolEvent::Payload(link));
    assert!(view.fields[0].messages.is_empty());
    // A code copied from a message can be pasted into the pairing field, and only there.
    let pasted: Vec<&str> = view
        .fields
        .iter()
        .filter(|f| f.paste)
        .map(|f| f.key.as_str())
        .collect();
    assert_eq!(pasted, ["pairing"]);
    assert_eq!(
        view.missing.len(),
        1,
        "only the volunteer id: {:?}",
        view.missing
    );
    let view = model.handle(set("volunteer", "tnv-01"));
    let ready = view.ready.expect("ready");
    assert_eq!(ready.pairing.hub_url, "https://192.168.1.10:8443");
    assert_eq!(ready.pairing.pin_sha256.as_deref(), Some(PIN));
    assert_eq!(ready.commune_code, "00004");
    assert!(view.actions[0].enabled);
}

#[test]
fn bad_payloads_are_field_messages() {
    let cases = [
        ("hello", PayloadError::NotAPairing),
        ("GOCUA-PAIR:1:AB12CD:ftp://x", PayloadError::BadHubUrl),
        (
            "gocua://pair?hub=https%3A%2F%2Fh&code=",
            PayloadError::MissingCode,
        ),
        (
            "gocua://pair?hub=https%3A%2F%2Fh&code=A&pin=abc",
            PayloadError::BadPin,
        ),
        (
            "gocua://pair?hub=https%3A%2F%2Fh&code=A&commune=99999",
            PayloadError::BadCommune,
        ),
        ("gocua://pair?hub=%ZZ&code=A", PayloadError::NotAPairing),
        (
            "gocua://pair?code=A%20B&hub=https%3A%2F%2Fh.vn",
            PayloadError::BadCode,
        ),
        (
            "gocua://card?code=A&hub=https%3A%2F%2Fh.vn",
            PayloadError::NotAPairing,
        ),
        ("gocua://pair?hub=%FF%FE&code=A", PayloadError::NotAPairing),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_pairing(text), Err(expected), "{text}");
    }
    let view = EnrolModel::new(Lang::Vi).handle(EnrolEvent::Payload("hello".into()));
    assert_eq!(view.fields[0].messages.len(), 1);
    assert_eq!(view.missing.len(), 3);
    assert!(view.ready.is_none());
}

#[test]
fn the_commune_is_searched_in_the_catalog() {
    let mut model = EnrolModel::new(Lang::Vi);
    let view = model.handle(set("commune", "ba dinh"));
    let commune = view.fields.iter().find(|f| f.key == "commune").unwrap();
    assert_eq!(commune.kind, FieldKind::Search);
    let first = commune.options.first().expect("a commune");
    assert!(first.label.contains("Ba Đình"), "{}", first.label);
    let code = first.code.clone();
    // A pick under another field's key, or a code the catalog lacks, changes nothing.
    let view = model.handle(choose("volunteer", &code));
    let view2 = model.handle(choose("commune", "99999999"));
    assert_eq!(view, view2);
    let commune = view.fields.iter().find(|f| f.key == "commune").unwrap();
    assert!(commune.value.is_empty() && !commune.options.iter().any(|o| o.selected));
    let view = model.handle(choose("commune", &code));
    let commune = view.fields.iter().find(|f| f.key == "commune").unwrap();
    assert!(commune.value.contains("Ba Đình"), "{}", commune.value);
    assert!(commune.options.iter().any(|o| o.selected && o.code == code));
    model.handle(set("volunteer", "tnv01"));
    let view = model.handle(EnrolEvent::Payload("GOCUA-PAIR:1:X1:https://hub".into()));
    assert!(view.ready.is_some());
}

#[test]
fn plain_http_to_another_machine_is_warned_about_unless_pinned() {
    use gocua_core::screens::enrol::plain_http_warning;
    let warned = |url: &str, pinned: bool| plain_http_warning(url, pinned, Lang::En).is_some();
    assert!(warned("http://hub.xa-ba-dinh.vn:7878", false));
    assert!(warned("http://192.168.1.10/", false));
    assert!(warned("http://user@10.0.0.2:80", false));
    assert!(!warned("http://hub.xa-ba-dinh.vn:7878", true), "pinned");
    assert!(!warned("https://hub.xa-ba-dinh.vn", false));
    for local in [
        "http://127.0.0.1:7878",
        "http://localhost:80",
        "http://[::1]:7878",
    ] {
        assert!(!warned(local, false), "{local}");
    }
    let text = plain_http_warning("http://10.0.0.2", false, Lang::Vi)
        .unwrap()
        .text;
    assert!(text.contains("https"), "{text}");
}

#[test]
fn the_hubs_answer_is_a_sentence_and_enrolled_disables_the_action() {
    use gocua_core::sync::SyncError;
    use gocua_core::sync::wire::{AreaInfo, HamletInfo};
    let mut m = EnrolModel::new(Lang::En);
    m.handle(EnrolEvent::Payload(
        "GOCUA-PAIR:1:ABCD-EFGH:https://hub.example".into(),
    ));
    m.handle(choose("commune", "00004"));
    let v = m.handle(set("volunteer", "vol-01"));
    assert!(v.ready.is_some() && !v.enrolled);

    let v = m.failed(&SyncError::PairingInvalid);
    assert!(!v.enrolled);
    let said = v.notices.last().unwrap();
    assert_eq!(said.severity, NoticeLevel::Error);
    assert_eq!(
        said.text,
        "The pairing code is invalid, used or expired. Ask for a new one."
    );
    // Typing again clears the failure.
    let v = m.handle(set("volunteer", "vol-01"));
    assert!(v.notices.iter().all(|n| n.code != "enrol_failed"));

    let area = AreaInfo {
        area_id: "a1".into(),
        name: "Ba Đình".into(),
        province_code: "01".into(),
        commune_code: "00004".into(),
        hamlets: vec![
            HamletInfo {
                id: "t1".into(),
                name: "Tổ 1".into(),
            },
            HamletInfo {
                id: "t2".into(),
                name: "Tổ 2".into(),
            },
        ],
    };
    let v = m.enrolled(&area);
    assert!(v.enrolled);
    assert_eq!(
        v.notices.last().unwrap().text,
        "Enrolled. Area: Ba Đình (2 hamlets)."
    );
    assert!(!v.actions.iter().any(|a| a.id == "enrol" && a.enabled));
    // Later events keep the outcome: the phone stays enrolled.
    let v = m.handle(set("commune", "ba"));
    assert!(v.enrolled && v.notices.iter().any(|n| n.code == "enrolled"));
}

#[test]
fn text_pasted_into_the_pairing_field_is_parsed_and_unknown_fields_change_nothing() {
    let mut m = EnrolModel::new(Lang::En);
    let before = m.handle(set("nickname", "GOCUA-PAIR:1:AB12CD:https://hub.xa.vn"));
    assert!(before.ready.is_none());
    let v = m.handle(set("pairing", " GOCUA-PAIR:1:AB12CD:https://hub.xa.vn\n"));
    assert!(v.notices.iter().all(|n| n.severity != NoticeLevel::Error));
    let pairing = v.fields.iter().find(|f| f.key == "pairing").unwrap();
    assert_eq!(pairing.value, "GOCUA-PAIR:1:AB12CD:https://hub.xa.vn");
    assert_eq!(v.missing.len(), before.missing.len() - 1);
    let bad = m.handle(set("pairing", "hello"));
    assert!(
        bad.fields
            .iter()
            .any(|f| f.key == "pairing" && !f.messages.is_empty())
    );
}
