//! Seeded people for the benchmarks: Vietnamese names with diacritics, 09x mobile numbers and
//! 12-digit ID numbers whose century/gender digit and birth year agree (the core's validators
//! accept every one).

use gocua_core::input::MemberInput;
use gocua_core::model::{BirthDate, Gender, Relation, ResidenceType};
use rand::Rng;
use rand::rngs::StdRng;

const SURNAMES: [&str; 10] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
];
const MIDDLES: [&str; 8] = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc"];
const GIVEN: [&str; 16] = [
    "An", "Bình", "Cường", "Dũng", "Hoà", "Hương", "Lan", "Long", "Mai", "Nam", "Phúc", "Quân",
    "Sơn", "Thảo", "Trang", "Yến",
];

/// Surname, middle name and given name.
pub fn name(rng: &mut StdRng) -> String {
    format!(
        "{} {} {}",
        SURNAMES[rng.random_range(0..SURNAMES.len())],
        MIDDLES[rng.random_range(0..MIDDLES.len())],
        GIVEN[rng.random_range(0..GIVEN.len())]
    )
}

/// A mobile number from the 09x ranges in use.
pub fn phone(rng: &mut StdRng) -> String {
    const THIRD: [u32; 8] = [1, 2, 3, 4, 6, 7, 8, 9];
    format!(
        "09{}{:07}",
        THIRD[rng.random_range(0..THIRD.len())],
        rng.random_range(0..10_000_000)
    )
}

/// A member of Hà Nội (province code 001) with a birth year fitting the relation.
pub fn member(rng: &mut StdRng, relation: Relation) -> MemberInput {
    let year = match relation {
        Relation::Child => rng.random_range(1985..2005),
        _ => rng.random_range(1950..1985),
    };
    let gender = if rng.random_bool(0.5) {
        Gender::Male
    } else {
        Gender::Female
    };
    let century_digit = match (year >= 2000, gender) {
        (false, Gender::Male) => 0,
        (false, Gender::Female) => 1,
        (true, Gender::Male) => 2,
        (true, Gender::Female) => 3,
    };
    MemberInput {
        full_name: name(rng),
        birth: Some(BirthDate::Year(year)),
        gender: Some(gender),
        relation,
        id_number: Some(format!(
            "001{century_digit}{:02}{:06}",
            year % 100,
            rng.random_range(0..1_000_000)
        )),
        phone: Some(phone(rng)),
        residence: ResidenceType::Permanent,
    }
}
