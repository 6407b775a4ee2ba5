//! GPS fixes (WGS84) recorded for a digital address.

use chrono::{DateTime, TimeDelta, Utc};

use super::{Issue, IssueKind, Report};
use crate::model::GpsFix;

/// A generous bounding box around Vietnam, used only for a warning (a fix outside it is more
/// likely a wrong pin or a phone still reporting an old position than a household abroad).
///
/// Extremes it must contain: Lũng Cú, the northernmost point (about 23.39° N); Sín Thầu, the
/// westernmost (about 102.14° E); Mũi Cà Mau and Hòn Khoai for the mainland south (about 8.4° N);
/// the Hoàng Sa (Paracel) islands (about 15.7–17.1° N, 111–113° E); and the Trường Sa (Spratly)
/// islands, which reach about 6.5° N in the south and 117.5° E in the east. The box adds a margin
/// to each: latitude 6.0 to 23.5, longitude 102.0 to 117.9.
const VIETNAM_LAT: (f64, f64) = (6.0, 23.5);
/// See `VIETNAM_LAT`.
const VIETNAM_LON: (f64, f64) = (102.0, 117.9);

/// Accuracy (metres) above which a fix is flagged as poor.
const POOR_ACCURACY_M: f64 = 50.0;

/// How far in the future a fix time may be before it is rejected (phone clocks drift).
const FUTURE_TOLERANCE: TimeDelta = TimeDelta::minutes(5);

/// Checks a GPS fix against `now`.
///
/// Errors: latitude outside [-90, 90], longitude outside [-180, 180], either not finite, or
/// accuracy negative or not finite (`GpsOutOfRange`); fix time more than 5 minutes after `now`
/// (`InvalidValue`). Warnings: position outside Vietnam's bounding box (latitude 6.0 to
/// 23.5, longitude 102.0 to 117.9, which takes in Hoàng Sa and Trường Sa: `GpsOutsideVietnam`), accuracy worse than 50 m (`GpsAccuracyPoor`).
pub fn validate_gps(fix: &GpsFix, now: DateTime<Utc>, report: &mut Report) {
    let lat_ok = fix.lat.is_finite() && (-90.0..=90.0).contains(&fix.lat);
    if !lat_ok {
        report.push(Issue::error(
            IssueKind::GpsOutOfRange,
            "digital_address.gps.lat",
            "Vĩ độ phải là một số từ -90 đến 90.",
            "The latitude must be a number from -90 to 90.",
        ));
    }
    let lon_ok = fix.lon.is_finite() && (-180.0..=180.0).contains(&fix.lon);
    if !lon_ok {
        report.push(Issue::error(
            IssueKind::GpsOutOfRange,
            "digital_address.gps.lon",
            "Kinh độ phải là một số từ -180 đến 180.",
            "The longitude must be a number from -180 to 180.",
        ));
    }
    if lat_ok && lon_ok {
        let in_box = (VIETNAM_LAT.0..=VIETNAM_LAT.1).contains(&fix.lat)
            && (VIETNAM_LON.0..=VIETNAM_LON.1).contains(&fix.lon);
        if !in_box {
            report.push(Issue::warning(
                IssueKind::GpsOutsideVietnam,
                "digital_address.gps",
                "Vị trí này nằm ngoài lãnh thổ Việt Nam. Hãy kiểm tra lại vị trí hoặc ghim lại trên bản đồ.",
                "This position is outside Vietnam. Please check it or pin it again on the map.",
            ));
        }
    }

    if !(fix.accuracy_m.is_finite() && fix.accuracy_m >= 0.0) {
        report.push(Issue::error(
            IssueKind::GpsOutOfRange,
            "digital_address.gps.accuracy_m",
            "Độ chính xác phải là một số mét không âm.",
            "The accuracy must be a non-negative number of metres.",
        ));
    } else if fix.accuracy_m > POOR_ACCURACY_M {
        report.push(Issue::warning(
            IssueKind::GpsAccuracyPoor,
            "digital_address.gps.accuracy_m",
            "Độ chính xác của vị trí kém hơn 50 mét. Nên ra chỗ thoáng và lấy lại vị trí.",
            "The position is less accurate than 50 metres. Consider moving to open sky and taking it again.",
        ));
    }

    if fix.fixed_at > now + FUTURE_TOLERANCE {
        report.push(Issue::error(
            IssueKind::InvalidValue,
            "digital_address.gps.fixed_at",
            "Thời điểm lấy vị trí nằm ở tương lai. Hãy kiểm tra đồng hồ của điện thoại.",
            "The time of the position fix is in the future. Please check the phone's clock.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GpsSource;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn fix(lat: f64, lon: f64, accuracy_m: f64) -> GpsFix {
        GpsFix {
            lat,
            lon,
            accuracy_m,
            fixed_at: now(),
            source: GpsSource::Fix,
        }
    }

    fn check(fix: &GpsFix) -> Vec<(IssueKind, String, bool)> {
        let mut report = Report::default();
        validate_gps(fix, now(), &mut report);
        report
            .issues
            .into_iter()
            .map(|i| (i.kind, i.field.clone(), i.is_error()))
            .collect()
    }

    #[test]
    fn accepts_places_in_vietnam() {
        for (lat, lon) in [
            (21.0285, 105.8542), // Hà Nội
            (10.7769, 106.7009), // TP. Hồ Chí Minh
            (23.3639, 105.3164), // Lũng Cú
            (22.4000, 102.1440), // Sín Thầu
            (8.5800, 104.7300),  // Mũi Cà Mau
            (16.5000, 112.0000), // Hoàng Sa
            (8.6450, 111.9200),  // Trường Sa
            (10.9000, 117.4000), // eastern Trường Sa
            (6.5, 110.0),
        ] {
            assert!(check(&fix(lat, lon, 5.0)).is_empty(), "{lat},{lon}");
        }
        // Exactly at the poor-accuracy limit is still fine.
        assert!(check(&fix(21.0, 105.8, POOR_ACCURACY_M)).is_empty());
    }

    #[test]
    fn out_of_range_is_an_error() {
        assert_eq!(
            check(&fix(90.5, 105.0, 5.0)),
            vec![(
                IssueKind::GpsOutOfRange,
                "digital_address.gps.lat".into(),
                true
            )]
        );
        assert_eq!(
            check(&fix(-91.0, 105.0, 5.0)),
            vec![(
                IssueKind::GpsOutOfRange,
                "digital_address.gps.lat".into(),
                true
            )]
        );
        assert_eq!(
            check(&fix(21.0, 180.1, 5.0)),
            vec![(
                IssueKind::GpsOutOfRange,
                "digital_address.gps.lon".into(),
                true
            )]
        );
        assert_eq!(
            check(&fix(21.0, f64::NAN, 5.0)),
            vec![(
                IssueKind::GpsOutOfRange,
                "digital_address.gps.lon".into(),
                true
            )]
        );
        assert_eq!(
            check(&fix(f64::INFINITY, 105.0, 5.0)),
            vec![(
                IssueKind::GpsOutOfRange,
                "digital_address.gps.lat".into(),
                true
            )]
        );
        for accuracy in [-1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(
                check(&fix(21.0, 105.8, accuracy)),
                vec![(
                    IssueKind::GpsOutOfRange,
                    "digital_address.gps.accuracy_m".into(),
                    true
                )]
            );
        }
        // World extremes themselves are in range (and outside Vietnam).
        assert_eq!(
            check(&fix(-90.0, -180.0, 0.0)),
            vec![(
                IssueKind::GpsOutsideVietnam,
                "digital_address.gps".into(),
                false
            )]
        );
    }

    #[test]
    fn outside_vietnam_is_a_warning() {
        for (lat, lon) in [
            (48.8566, 2.3522),
            (13.7563, 100.5018),
            (23.6, 105.0),
            (5.9, 110.0),
            (12.0, 118.0),
            (0.0, 0.0),
        ] {
            assert_eq!(
                check(&fix(lat, lon, 5.0)),
                vec![(
                    IssueKind::GpsOutsideVietnam,
                    "digital_address.gps".into(),
                    false
                )],
                "{lat},{lon}"
            );
        }
    }

    #[test]
    fn poor_accuracy_is_a_warning() {
        assert_eq!(
            check(&fix(21.0, 105.8, 50.1)),
            vec![(
                IssueKind::GpsAccuracyPoor,
                "digital_address.gps.accuracy_m".into(),
                false
            )]
        );
    }

    #[test]
    fn fix_time_in_the_future() {
        let mut f = fix(21.0, 105.8, 5.0);
        f.fixed_at = now() + TimeDelta::minutes(5);
        assert!(check(&f).is_empty());
        f.fixed_at = now() - TimeDelta::days(30);
        assert!(check(&f).is_empty());
        f.fixed_at = now() + TimeDelta::minutes(5) + TimeDelta::seconds(1);
        assert_eq!(
            check(&f),
            vec![(
                IssueKind::InvalidValue,
                "digital_address.gps.fixed_at".into(),
                true
            )]
        );
    }
}
