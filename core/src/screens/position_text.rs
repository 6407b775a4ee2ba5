//! A position and an id as a person reads them: the household form, the shells' lists and
//! the dashboard say them the same way.

use super::view::{Lang, tr};

/// Coordinates to five decimals (about a metre): `21.03370, 105.81420`.
pub fn coordinates_text(lat: f64, lon: f64) -> String {
    format!("{lat:.5}, {lon:.5}")
}

/// A fix's accuracy in whole metres (`Độ chính xác ±8 m`); a value that is not a distance
/// reads as 0.
pub fn accuracy_text(metres: f64, lang: Lang) -> String {
    let m = if metres.is_finite() && metres >= 0.0 {
        metres.round()
    } else {
        0.0
    };
    match lang {
        Lang::Vi => format!("Độ chính xác ±{m:.0} m"),
        Lang::En => format!("Accuracy ±{m:.0} m"),
    }
}

/// A position as the registration shows it: the coordinates and their accuracy, or, for a
/// position pinned on the map (which has no accuracy of its own), that it was pinned by hand.
pub fn position_text(lat: f64, lon: f64, accuracy_m: f64, pinned: bool, lang: Lang) -> String {
    let at = coordinates_text(lat, lon);
    if pinned {
        format!("{}{at}", tr(lang, "Ghim tay: ", "Pinned by hand: "))
    } else {
        format!("{at} · {}", accuracy_text(accuracy_m, lang))
    }
}

/// A record's id (a device, a household) as people read it in a list: its first 8 characters,
/// enough to tell a commune's phones and households apart; the whole id stays in links.
pub fn short_id(id: &str) -> String {
    match id.char_indices().nth(8) {
        Some((at, _)) => format!("{}…", &id[..at]),
        None => id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_ids_read_the_same_everywhere() {
        assert_eq!(coordinates_text(21.0337, 105.8142), "21.03370, 105.81420");
        assert_eq!(accuracy_text(7.6, Lang::Vi), "Độ chính xác ±8 m");
        assert_eq!(accuracy_text(f64::NAN, Lang::En), "Accuracy ±0 m");
        assert_eq!(
            position_text(21.0337, 105.8142, 7.6, false, Lang::En),
            "21.03370, 105.81420 · Accuracy ±8 m"
        );
        assert_eq!(
            position_text(21.0337, 105.8142, 0.0, true, Lang::Vi),
            "Ghim tay: 21.03370, 105.81420"
        );
        assert_eq!(short_id("fab1c8e689b34da0891380b15c03e8d8"), "fab1c8e6…");
        assert_eq!(short_id("dev-a"), "dev-a");
    }
}
