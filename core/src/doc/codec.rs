//! String forms of composite values kept as one scalar, so that their parts can never be mixed
//! from two concurrent writes (a latitude from one phone with a longitude from another).

use chrono::{DateTime, TimeZone, Utc};

use crate::model::{GpsFix, GpsSource, OfficialCode};

/// `lat,lon,accuracy_m,fixed_at_millis,source`.
pub fn encode_gps(fix: &GpsFix) -> String {
    format!(
        "{},{},{},{},{}",
        fix.lat,
        fix.lon,
        fix.accuracy_m,
        fix.fixed_at.timestamp_millis(),
        fix.source.code()
    )
}

pub fn decode_gps(s: &str) -> Option<GpsFix> {
    let mut parts = s.split(',');
    let lat = parts.next()?.parse().ok()?;
    let lon = parts.next()?.parse().ok()?;
    let accuracy_m = parts.next()?.parse().ok()?;
    let fixed_at = millis_to_time(parts.next()?.parse().ok()?)?;
    let source = GpsSource::from_code(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    Some(GpsFix {
        lat,
        lon,
        accuracy_m,
        fixed_at,
        source,
    })
}

/// `SCHEME:code`.
pub fn encode_official(code: &OfficialCode) -> String {
    format!("{}:{}", code.scheme, code.code)
}

pub fn decode_official(s: &str) -> Option<OfficialCode> {
    let (scheme, code) = s.split_once(':')?;
    Some(OfficialCode {
        scheme: scheme.to_owned(),
        code: code.to_owned(),
    })
}

pub fn millis_to_time(ms: i64) -> Option<DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms).single()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gps_round_trips() {
        let fix = GpsFix {
            lat: 21.028511,
            lon: 105.804817,
            accuracy_m: 4.5,
            fixed_at: millis_to_time(1_760_000_000_123).unwrap(),
            source: GpsSource::MapPin,
        };
        assert_eq!(decode_gps(&encode_gps(&fix)), Some(fix));
        assert_eq!(decode_gps("1,2,3"), None);
        assert_eq!(decode_gps("1,2,3,4,gps_fix,extra"), None);
    }
}
