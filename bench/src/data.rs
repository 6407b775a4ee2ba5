//! Deterministic households: the same data for every system. Written as JSON for the Node peers.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// Hamlets of the bench commune (the hub's area holds them all); ids are derived from the names.
pub const HAMLETS: [&str; 4] = ["Thôn Đông", "Thôn Tây", "Thôn Bắc", "Thôn Nam"];
pub const HAMLET_IDS: [&str; 4] = ["thon-dong", "thon-tay", "thon-bac", "thon-nam"];

const SURNAMES: [&str; 12] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
];
const MIDDLES_M: [&str; 6] = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh"];
const MIDDLES_F: [&str; 6] = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ"];
const GIVEN_M: [&str; 10] = [
    "An", "Bình", "Cường", "Dũng", "Hải", "Long", "Nam", "Phúc", "Quân", "Sơn",
];
const GIVEN_F: [&str; 10] = [
    "Hoà", "Hương", "Lan", "Mai", "Thảo", "Trang", "Yến", "Hằng", "Nhung", "Loan",
];
const STREETS: [&str; 5] = ["Đường Làng", "Xóm Giữa", "Đường Đê", "Ngõ Chùa", "Xóm Bãi"];
/// Checklist items as their stored codes, with the statuses a visit records.
pub const ITEMS: [&str; 6] = [
    "smartphone",
    "vneid_installed",
    "vneid_level1",
    "bank_account",
    "mobile_money",
    "cyber_safety",
];
pub const STATUSES: [&str; 4] = ["done", "in_progress", "referred", "declined"];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Member {
    pub full_name: String,
    pub birth_year: i32,
    /// "male" or "female".
    pub gender: String,
    /// "chu_ho", "vo", "chong", "con_de".
    pub relation: String,
    /// 12 digits: province, century/gender digit, year, serial.
    pub id_number: String,
    pub phone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Check {
    pub member: usize,
    pub item: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GenHousehold {
    /// Stable key of the generated household (the systems assign their own ids).
    pub key: String,
    pub hamlet: usize,
    pub street: String,
    pub alley: String,
    pub house_number: String,
    pub lat: f64,
    pub lon: f64,
    pub members: Vec<Member>,
    pub checklist: Vec<Check>,
}

fn phone(rng: &mut StdRng) -> String {
    const THIRD: [u32; 8] = [1, 2, 3, 4, 6, 7, 8, 9];
    format!(
        "09{}{:07}",
        THIRD[rng.random_range(0..8)],
        rng.random_range(0..10_000_000)
    )
}

fn member(rng: &mut StdRng, relation: &str, male: bool, year: i32) -> Member {
    let (middle, given) = if male {
        (
            MIDDLES_M[rng.random_range(0..6)],
            GIVEN_M[rng.random_range(0..10)],
        )
    } else {
        (
            MIDDLES_F[rng.random_range(0..6)],
            GIVEN_F[rng.random_range(0..10)],
        )
    };
    let century = match (year >= 2000, male) {
        (false, true) => 0,
        (false, false) => 1,
        (true, true) => 2,
        (true, false) => 3,
    };
    Member {
        full_name: format!("{} {middle} {given}", SURNAMES[rng.random_range(0..12)]),
        birth_year: year,
        gender: if male { "male" } else { "female" }.into(),
        relation: relation.into(),
        id_number: format!(
            "001{century}{:02}{:06}",
            year % 100,
            rng.random_range(0..1_000_000)
        ),
        phone: phone(rng),
    }
}

/// `n` households from `seed`: 2 to 5 members (head, spouse, children), 2 to 4 checklist items.
pub fn households(seed: u64, n: usize) -> Vec<GenHousehold> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let head_male = rng.random_bool(0.7);
            let head_year = rng.random_range(1950..1995);
            let mut members = vec![member(&mut rng, "chu_ho", head_male, head_year)];
            if rng.random_bool(0.85) {
                let spouse_year = head_year + rng.random_range(-3..4);
                let rel = if head_male { "vo" } else { "chong" };
                members.push(member(&mut rng, rel, !head_male, spouse_year));
            }
            for _ in 0..rng.random_range(0..4) {
                let y = (head_year + rng.random_range(20..32)).min(2020);
                let male = rng.random_bool(0.5);
                members.push(member(&mut rng, "con_de", male, y));
            }
            let checklist = (0..rng.random_range(2..5))
                .map(|k| Check {
                    member: rng.random_range(0..members.len()),
                    item: ITEMS[k].into(),
                    status: STATUSES[rng.random_range(0..STATUSES.len())].into(),
                })
                .collect();
            GenHousehold {
                key: format!("s{seed}-h{i:05}"),
                hamlet: i % HAMLETS.len(),
                street: STREETS[rng.random_range(0..STREETS.len())].into(),
                alley: format!("Ngõ {}", rng.random_range(1..40)),
                house_number: format!("{}", rng.random_range(1..400)),
                lat: 21.03 + rng.random_range(0.0..0.02),
                lon: 105.81 + rng.random_range(0.0..0.02),
                members,
                checklist,
            }
        })
        .collect()
}

/// A week's edit of a household: which field and the new value (both systems apply the same).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GenEdit {
    /// Index into the hub's base households.
    pub household: usize,
    /// "phone" (member 0's phone), "notes", "house_number", or a checklist item code on member 0.
    pub field: String,
    pub value: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_households() {
        assert_eq!(households(1, 50), households(1, 50));
        let h = &households(1, 1)[0];
        assert_eq!(h.members[0].id_number.len(), 12);
        assert!(h.members[0].id_number.chars().all(|c| c.is_ascii_digit()));
    }
}
