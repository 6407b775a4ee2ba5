//! Scanned or typed text: the household card (`GOCUA:1:<id>:<plus code>`,
//! `digital_address::parse_card_payload`), a Plus Code (`decode_plus_code`), and a typed pairing
//! code as the hub reads it (`gocua_hub::hub::normalise_code`). A card that parses prints back
//! to a card that parses to the same; a Plus Code that decodes encodes to a valid one; eight
//! bytes as two coordinates give a valid code or none.
#![no_main]

use gocua_core::digital_address::*;
use libfuzzer_sys::fuzz_target;

fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let docs = gocua_fuzz::documents();
    let plus = plus_code(21.0337, 105.8142);
    vec![
        ("card", card_payload(&docs.id, Some(&plus)).into_bytes()),
        ("card_no_plus", card_payload(&docs.id, None).into_bytes()),
        ("plus_code", plus.clone().into_bytes()),
        ("short_code", b"QCJ+2V".to_vec()),
        ("card_v2", format!("GOCUA:2:{}:", docs.id.0).into_bytes()),
        ("pairing_code", b"abcd-efgh-jk".to_vec()),
    ]
}

fuzz_target!(
    init: gocua_fuzz::seeds("card_payload", seeds),
    |data: &[u8]| {
        if data.len() >= 16 {
            let lat = f64::from_le_bytes(data[0..8].try_into().unwrap());
            let lon = f64::from_le_bytes(data[8..16].try_into().unwrap());
            let code = plus_code(lat, lon);
            assert!(code.is_empty() || is_plus_code(&code), "{lat} {lon} -> {code}");
        }
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        if let Ok((id, plus)) = parse_card_payload(text) {
            let printed = card_payload(&id, plus.as_deref());
            assert_eq!(parse_card_payload(&printed), Ok((id, plus)));
        }
        if let Some((lat, lon)) = decode_plus_code(text) {
            let code = plus_code(lat, lon);
            assert!(is_plus_code(&code), "{text} -> {lat} {lon} -> {code}");
        }
        let code = gocua_hub::hub::normalise_code(text);
        assert!(code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
    }
);
