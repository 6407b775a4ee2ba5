//! Digital address: Plus Code and the household card.
//!
//! The Plus Code (Open Location Code) is computed offline from the household's GPS fix. The
//! household card's QR code carries only [`card_payload`]: a version, the household's random id
//! and the Plus Code, nothing personal.

use open_location_code::CodeArea;

use crate::model::HouseholdId;

/// Plus Code length used for households: 11 digits, a cell of about 3 m (1/8000 by 1/32000
/// degree), enough to tell houses apart.
pub const PLUS_CODE_LENGTH: usize = 11;

/// The Plus Code (full form, [`PLUS_CODE_LENGTH`] digits) of a WGS84 position.
///
/// Latitude is clamped to ±90 and longitude wrapped into [-180, 180), as the Open Location Code
/// specification says. A non-finite coordinate (NaN, infinity) has no code: the result is empty.
pub fn plus_code(lat: f64, lon: f64) -> String {
    encode(lat, lon, PLUS_CODE_LENGTH).unwrap_or_default()
}

fn encode(lat: f64, lon: f64, code_length: usize) -> Option<String> {
    if !lat.is_finite() || !lon.is_finite() {
        return None;
    }
    let lat = lat.clamp(-90.0, 90.0);
    // open-location-code 0.1 normalises longitude by repeated subtraction, which never ends for
    // huge values: wrap it here first.
    let mut lon = (lon + 180.0).rem_euclid(360.0) - 180.0;
    if lon >= 180.0 {
        lon = -180.0;
    }
    // The crate takes a `geo` 0.4 `Point(x = lon, y = lat)`, and does not re-export `geo`. A
    // zero-size `CodeArea` at the position has exactly that point as its centre
    // ((x + x) / 2 == x in floating point), which spares this crate a direct dependency on `geo`.
    let point = CodeArea::new(lat, lon, lat, lon, 0).center;
    Some(open_location_code::encode(point, code_length))
}

/// Parses a full Plus Code and checks its cell lies on the globe.
fn decode_area(code: &str) -> Option<CodeArea> {
    let code = code.trim().to_ascii_uppercase();
    if !code.is_ascii() || !open_location_code::is_full(&code) {
        return None;
    }
    let area = open_location_code::decode(&code).ok()?;
    let on_globe =
        area.south >= -90.0 && area.north <= 90.0 && area.west >= -180.0 && area.east <= 180.0;
    on_globe.then_some(area)
}

/// The centre `(lat, lon)` of a full Plus Code, or `None` if it is not a valid full code (short
/// codes such as "QCJ+2V" need a reference location and are not accepted). Case-insensitive.
pub fn decode_plus_code(code: &str) -> Option<(f64, f64)> {
    decode_area(code).map(|a| ((a.south + a.north) / 2.0, (a.west + a.east) / 2.0))
}

/// Whether `code` is a valid full Plus Code.
pub fn is_plus_code(code: &str) -> bool {
    decode_area(code).is_some()
}

/// Prefix of every household-card payload.
pub const CARD_PREFIX: &str = "GOCUA";
/// Current household-card payload version.
pub const CARD_VERSION: &str = "1";
/// Longest payload [`parse_card_payload`] looks at.
const CARD_MAX_LEN: usize = 128;

/// The text encoded in the household card's QR code: `GOCUA:1:<household id>:<plus code>`,
/// with the Plus Code upper-cased, or empty when there is none or it is not a valid full code.
/// It names no person: the household id is random and means nothing without the register.
pub fn card_payload(household_id: &HouseholdId, plus_code: Option<&str>) -> String {
    let plus = plus_code
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| is_plus_code(c))
        .unwrap_or_default();
    format!(
        "{CARD_PREFIX}:{CARD_VERSION}:{}:{plus}",
        household_id.as_str()
    )
}

/// Why a scanned text is not a household card.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("Không phải thẻ hộ gia đình gocua / Not a gocua household card")]
    NotACard,
    #[error(
        "Thẻ hộ gia đình phiên bản {0} chưa được hỗ trợ, hãy cập nhật ứng dụng / Household card version {0} is not supported; update the app"
    )]
    UnsupportedVersion(String),
    #[error("Mã hộ gia đình trên thẻ không hợp lệ / Invalid household id on the card")]
    BadHouseholdId,
    #[error("Plus Code trên thẻ không hợp lệ / Invalid Plus Code on the card")]
    BadPlusCode,
}

/// Whether `s` can be a household id (1 to 64 of `[0-9A-Za-z_-]`, the ids' own rule).
fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Reads a scanned household-card payload back into the household id and Plus Code.
/// Surrounding whitespace is ignored; anything else out of shape is an error.
pub fn parse_card_payload(s: &str) -> Result<(HouseholdId, Option<String>), CardError> {
    let s = s.trim();
    if s.len() > CARD_MAX_LEN {
        return Err(CardError::NotACard);
    }
    let mut parts = s.split(':');
    if parts.next() != Some(CARD_PREFIX) {
        return Err(CardError::NotACard);
    }
    let version = parts.next().ok_or(CardError::NotACard)?;
    if version != CARD_VERSION {
        let shown: String = version.chars().take(8).collect();
        return Err(CardError::UnsupportedVersion(shown));
    }
    let (Some(id), Some(plus), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(CardError::NotACard);
    };
    if !is_id(id) {
        return Err(CardError::BadHouseholdId);
    }
    let plus = match plus {
        "" => None,
        // Whitespace inside the payload is out of shape (`is_plus_code` alone would trim it and
        // hand back a code with a control character in it).
        p if p.trim() == p && is_plus_code(p) => Some(p.to_ascii_uppercase()),
        _ => return Err(CardError::BadPlusCode),
    };
    Ok((HouseholdId(id.to_owned()), plus))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From the Open Location Code project's test data (test_data/encoding.csv):
    /// latitude, longitude, length, code.
    const ENCODING: &[(f64, f64, usize, &str)] = &[
        (20.375, 2.775, 6, "7FG49Q00+"),
        (20.3700625, 2.7821875, 10, "7FG49QCJ+2V"),
        (20.3701125, 2.782234375, 11, "7FG49QCJ+2VX"),
        (20.3701135, 2.78223535156, 13, "7FG49QCJ+2VXGJ"),
        (47.0000625, 8.0000625, 10, "8FVC2222+22"),
        (-41.2730625, 174.7859375, 10, "4VCPPQGP+Q9"),
        (0.5, -179.5, 4, "62G20000+"),
        (-89.5, -179.5, 4, "22220000+"),
        (20.5, 2.5, 4, "7FG40000+"),
        (-89.9999375, -179.9999375, 10, "22222222+22"),
        (0.5, 179.5, 4, "6VGX0000+"),
        (1.0, 1.0, 11, "6FH32222+222"),
        (90.0, 1.0, 4, "CFX30000+"),
        (92.0, 1.0, 4, "CFX30000+"),
        (90.0, 1.0, 10, "CFX3X2X2+X2"),
        (1.0, 180.0, 4, "62H20000+"),
        (1.0, 181.0, 4, "62H30000+"),
        (20.3701135, 362.78223535156, 13, "7FG49QCJ+2VXGJ"),
        (47.0000625, -711.9999375, 10, "8FVC2222+22"),
        (1.2, 3.4, 10, "6FH56C22+22"),
    ];

    /// Hồ Hoàn Kiếm, Hà Nội.
    const HANOI: (f64, f64) = (21.028_7, 105.852_2);

    #[test]
    fn official_encoding_vectors() {
        for &(lat, lon, len, code) in ENCODING {
            assert_eq!(
                encode(lat, lon, len).unwrap(),
                code,
                "lat {lat} lon {lon} length {len}"
            );
        }
    }

    #[test]
    fn official_decoding_vectors() {
        // code, south, west, north, east (test_data/encodingTests.csv).
        let cases = [
            ("7FG49Q00+", 20.35, 2.75, 20.4, 2.8),
            ("7FG49QCJ+2V", 20.37, 2.782125, 20.370125, 2.78225),
            ("7FG49QCJ+2VX", 20.3701, 2.78221875, 20.370125, 2.78225),
            ("8FVC2222+22", 47.0, 8.0, 47.000125, 8.000125),
            ("4VCPPQGP+Q9", -41.273125, 174.785875, -41.273, 174.786),
        ];
        for (code, s, w, n, e) in cases {
            let (lat, lon) = decode_plus_code(code).unwrap();
            assert!(((s + n) / 2.0 - lat).abs() < 1e-10, "{code}");
            assert!(((w + e) / 2.0 - lon).abs() < 1e-10, "{code}");
        }
    }

    #[test]
    fn hanoi_point_round_trips_within_its_cell() {
        let (lat, lon) = HANOI;
        let code = plus_code(lat, lon);
        assert_eq!(code.len(), PLUS_CODE_LENGTH + 1, "{code}");
        assert!(
            code.starts_with("7PH7") && code.as_bytes()[8] == b'+',
            "{code}"
        );
        let (clat, clon) = decode_plus_code(&code).unwrap();
        // An 11-digit cell is 1/8000 degree tall and 1/32000 degree wide.
        assert!(
            (clat - lat).abs() <= 0.000125 / 5.0 / 2.0 + 1e-12,
            "{clat} vs {lat}"
        );
        assert!(
            (clon - lon).abs() <= 0.000125 / 4.0 / 2.0 + 1e-12,
            "{clon} vs {lon}"
        );
        assert_eq!(
            plus_code(clat, clon),
            code,
            "the centre encodes to the same code"
        );
        assert_eq!(decode_plus_code(&code.to_lowercase()), Some((clat, clon)));
    }

    #[test]
    fn odd_inputs_neither_hang_nor_panic() {
        assert_eq!(plus_code(f64::NAN, 105.0), "");
        assert_eq!(plus_code(21.0, f64::INFINITY), "");
        assert_eq!(plus_code(21.0, 1e300).len(), PLUS_CODE_LENGTH + 1);
        assert_eq!(plus_code(21.0, 105.0 + 360.0 * 5.0), plus_code(21.0, 105.0));
        assert_eq!(plus_code(21.0, -180.0), plus_code(21.0, 180.0));
        assert!(decode_plus_code(&plus_code(90.0, 0.0)).is_some());
    }

    #[test]
    fn rejects_invalid_codes() {
        for bad in [
            "",
            "+",
            "7FG49Q",
            "QCJ+2V",
            "7FG49QCJ2V",
            "7FG49QCJ+2",
            "7FG49QCJ+2VA",
            "7FG4+9QCJ2V",
            "XX000000+",
            "F2220000+",
            "2X220000+",
            "7FG49QCJ+2Vé",
            "ĐĐĐĐĐĐĐĐ+ĐĐ",
        ] {
            assert_eq!(decode_plus_code(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn card_payload_round_trips() {
        let id = HouseholdId::from("3f2a9c0d8e7b4a6f9e1d2c3b4a5f6e7d");
        let code = plus_code(HANOI.0, HANOI.1);
        let payload = card_payload(&id, Some(&code));
        assert_eq!(
            payload,
            format!("GOCUA:1:3f2a9c0d8e7b4a6f9e1d2c3b4a5f6e7d:{code}")
        );
        assert_eq!(
            parse_card_payload(&payload),
            Ok((id.clone(), Some(code.clone())))
        );

        let bare = card_payload(&id, None);
        assert_eq!(bare, "GOCUA:1:3f2a9c0d8e7b4a6f9e1d2c3b4a5f6e7d:");
        assert_eq!(parse_card_payload(&bare), Ok((id.clone(), None)));

        let lower = card_payload(&id, Some(&code.to_lowercase()));
        assert_eq!(lower, payload, "the Plus Code is upper-cased");
        assert_eq!(
            card_payload(&id, Some("not a code")),
            bare,
            "an invalid code is left out"
        );
        assert_eq!(
            parse_card_payload(&format!(" {payload}\n")),
            Ok((id, Some(code)))
        );
    }

    #[test]
    fn card_payload_rejects_garbage() {
        use CardError::*;
        let cases: &[(&str, CardError)] = &[
            ("", NotACard),
            ("hello", NotACard),
            ("https://example.com/GOCUA:1:abc:", NotACard),
            ("gocua:1:abc:", NotACard),
            ("GOCUA", NotACard),
            ("GOCUA:1", NotACard),
            ("GOCUA:1:abc", NotACard),
            ("GOCUA:1:abc:7PH7:extra", NotACard),
            ("GOCUA:2:abc:", UnsupportedVersion("2".into())),
            ("GOCUA::abc:", UnsupportedVersion(String::new())),
            ("GOCUA:1::", BadHouseholdId),
            ("GOCUA:1:a b:", BadHouseholdId),
            ("GOCUA:1:Nguyễn:", BadHouseholdId),
            ("GOCUA:1:abc:7FG49QCJ", BadPlusCode),
            ("GOCUA:1:abc:XX000000+", BadPlusCode),
        ];
        for (s, err) in cases {
            assert_eq!(parse_card_payload(s).as_ref(), Err(err), "{s:?}");
        }
        let long = format!("GOCUA:1:{}:", "a".repeat(200));
        assert_eq!(parse_card_payload(&long), Err(NotACard));
        let id65 = format!("GOCUA:1:{}:", "a".repeat(65));
        assert_eq!(parse_card_payload(&id65), Err(BadHouseholdId));
    }

    /// Found by the `card_payload` fuzz target: a Plus Code after a vertical tab was taken, tab
    /// and all, so the card read back as a different card.
    #[test]
    fn card_payload_refuses_whitespace_inside() {
        for s in [
            "GOCUA:1:_a:\u{b}7PH30RM7+",
            "GOCUA:1:abc: 7FG49QCJ+2V",
            "GOCUA:1:abc:\r7FG49QCJ+2V",
        ] {
            assert_eq!(parse_card_payload(s), Err(CardError::BadPlusCode), "{s:?}");
        }
        // Around the whole payload, whitespace is still ignored.
        assert_eq!(
            parse_card_payload(" GOCUA:1:_a:7PH30RM7+\n"),
            Ok((HouseholdId("_a".into()), Some("7PH30RM7+".into())))
        );
    }

    #[test]
    fn card_errors_speak_both_languages() {
        for e in [
            CardError::NotACard,
            CardError::UnsupportedVersion("9".into()),
            CardError::BadHouseholdId,
            CardError::BadPlusCode,
        ] {
            let msg = e.to_string();
            let (vi, en) = msg.split_once(" / ").unwrap();
            assert!(!vi.is_ascii(), "{msg}");
            assert!(!en.is_empty(), "{msg}");
        }
    }
}
