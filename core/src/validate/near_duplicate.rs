//! Two households that may be one registered twice (two volunteers at one door, a double tap,
//! a re-registration after a lost phone): the same address in the same hamlet, or positions a few
//! metres apart under similar head names. The phone asks before it creates such a household;
//! the hub lists each pair once, with every rule that matched, for a coordinator to merge or
//! dismiss. Same ID numbers and phones are found by the stores' indexes and join the same pair.

use serde::{Deserialize, Serialize};

use super::consistency::distance_km;
use crate::text::fold;

/// Two fixes closer than this are one place: a 10-digit Plus Code cell is about 14 m across.
pub const SAME_PLACE_METRES: f64 = 15.0;

/// What the rules look at in a household (as the query tables hold it).
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateClue {
    pub hamlet: String,
    /// The one-line address (house number, alley, street).
    pub address: String,
    pub head_name: Option<String>,
    /// (lat, lon) of the GPS fix or of the Plus Code's centre.
    pub position: Option<(f64, f64)>,
}

/// Why two households look like one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateRule {
    SameIdNumber,
    SamePhone,
    SameAddress,
    SamePlace,
    SimilarHead,
}

impl DuplicateRule {
    pub fn code(self) -> &'static str {
        match self {
            DuplicateRule::SameIdNumber => "same_id_number",
            DuplicateRule::SamePhone => "same_phone",
            DuplicateRule::SameAddress => "same_address",
            DuplicateRule::SamePlace => "same_place",
            DuplicateRule::SimilarHead => "similar_head",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            DuplicateRule::SameIdNumber => "Cùng số định danh",
            DuplicateRule::SamePhone => "Cùng số điện thoại",
            DuplicateRule::SameAddress => "Cùng địa chỉ trong thôn",
            DuplicateRule::SamePlace => "Vị trí cách nhau dưới 15 m",
            DuplicateRule::SimilarHead => "Tên chủ hộ gần giống",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            DuplicateRule::SameIdNumber => "Same ID number",
            DuplicateRule::SamePhone => "Same phone",
            DuplicateRule::SameAddress => "Same address in the hamlet",
            DuplicateRule::SamePlace => "Positions less than 15 m apart",
            DuplicateRule::SimilarHead => "Similar head names",
        }
    }
}

/// An address that names one house: it holds a digit (a house number). "Đường Lê Lợi" alone is
/// a street, shared by many.
fn house_address(clue: &DuplicateClue) -> Option<String> {
    let folded = fold(&clue.address);
    folded.chars().any(|c| c.is_ascii_digit()).then_some(folded)
}

/// The rules two households match, or nothing when they are not a candidate pair: a pair needs
/// the same house address, or the same place under similar head names.
pub fn duplicate_rules(a: &DuplicateClue, b: &DuplicateClue) -> Vec<DuplicateRule> {
    let mut rules = Vec::new();
    let same_address = a.hamlet == b.hamlet
        && house_address(a).is_some_and(|x| house_address(b).is_some_and(|y| x == y));
    if same_address {
        rules.push(DuplicateRule::SameAddress);
    }
    if let (Some((la, oa)), Some((lb, ob))) = (a.position, b.position)
        && distance_km(la, oa, lb, ob) * 1000.0 <= SAME_PLACE_METRES
    {
        rules.push(DuplicateRule::SamePlace);
    }
    if let (Some(x), Some(y)) = (&a.head_name, &b.head_name)
        && similar_names(x, y)
    {
        rules.push(DuplicateRule::SimilarHead);
    }
    let place_and_name =
        rules.contains(&DuplicateRule::SamePlace) && rules.contains(&DuplicateRule::SimilarHead);
    if same_address || place_and_name {
        rules
    } else {
        Vec::new()
    }
}

/// Every candidate pair among `clues` (indexes, lower first) with its rules. Households are
/// compared within a hamlet for addresses and within a latitude band for positions, so a
/// commune of 10,000 households is not 50 million comparisons.
pub fn candidate_pairs(clues: &[DuplicateClue]) -> Vec<(usize, usize, Vec<DuplicateRule>)> {
    let mut pairs = std::collections::BTreeSet::new();
    // Same address: equal keys sort together.
    let mut by_address: Vec<(String, String, usize)> = clues
        .iter()
        .enumerate()
        .filter_map(|(i, c)| house_address(c).map(|a| (c.hamlet.clone(), a, i)))
        .collect();
    by_address.sort();
    for w in by_address.chunk_by(|x, y| x.0 == y.0 && x.1 == y.1) {
        for (k, x) in w.iter().enumerate() {
            for y in &w[k + 1..] {
                pairs.insert((x.2.min(y.2), x.2.max(y.2)));
            }
        }
    }
    // Same place: a sweep over latitude (15 m is about 0.000135 degrees).
    let band = SAME_PLACE_METRES / 111_000.0;
    let mut by_lat: Vec<(f64, usize)> = clues
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.position.map(|(lat, _)| (lat, i)))
        .collect();
    by_lat.sort_by(|x, y| x.0.total_cmp(&y.0));
    for (k, &(lat, i)) in by_lat.iter().enumerate() {
        for &(other, j) in &by_lat[k + 1..] {
            if other - lat > band {
                break;
            }
            pairs.insert((i.min(j), i.max(j)));
        }
    }
    pairs
        .into_iter()
        .filter_map(|(i, j)| {
            let rules = duplicate_rules(&clues[i], &clues[j]);
            (!rules.is_empty()).then_some((i, j, rules))
        })
        .collect()
}

/// Edit distance in characters (names are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Two names that may be one person written twice: equal without diacritics, at most two
/// letters apart, or the same family name and given name (a middle name left out).
pub fn similar_names(a: &str, b: &str) -> bool {
    let (a, b) = (fold(a), fold(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let first_last = |s: &str| {
        (
            s.split(' ').next().map(str::to_owned),
            s.split(' ').next_back().map(str::to_owned),
        )
    };
    a == b || edit_distance(&a, &b) <= 2 || first_last(&a) == first_last(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clue(hamlet: &str, address: &str, head: &str, pos: Option<(f64, f64)>) -> DuplicateClue {
        DuplicateClue {
            hamlet: hamlet.into(),
            address: address.into(),
            head_name: Some(head.into()),
            position: pos,
        }
    }

    #[test]
    fn same_house_number_and_street_in_a_hamlet_is_a_pair() {
        let a = clue("bac", "12, Ngõ 5, Lê Lợi", "Nguyễn Văn An", None);
        let b = clue("bac", "12, ngõ 5, Lê Lợi", "Trần Thị Bình", None);
        assert_eq!(duplicate_rules(&a, &b), vec![DuplicateRule::SameAddress]);
        let other_hamlet = clue("nam", "12, Ngõ 5, Lê Lợi", "Nguyễn Văn An", None);
        assert!(duplicate_rules(&a, &other_hamlet).is_empty());
    }

    #[test]
    fn a_street_without_a_number_is_not_a_house() {
        let a = clue("bac", "Lê Lợi", "Nguyễn Văn An", None);
        let b = clue("bac", "Lê Lợi", "Trần Thị Bình", None);
        assert!(duplicate_rules(&a, &b).is_empty());
    }

    #[test]
    fn same_place_needs_a_similar_head() {
        let p = Some((21.0285, 105.8542));
        let near = Some((21.02855, 105.85425));
        let a = clue("bac", "", "Nguyễn Văn An", p);
        let b = clue("bac", "", "Nguyen Van An", near);
        assert_eq!(
            duplicate_rules(&a, &b),
            vec![DuplicateRule::SamePlace, DuplicateRule::SimilarHead]
        );
        let neighbour = clue("bac", "", "Lò Thị Mai", near);
        assert!(duplicate_rules(&a, &neighbour).is_empty());
    }

    #[test]
    fn pairs_are_found_once_with_every_rule() {
        let p = Some((21.0285, 105.8542));
        let clues = vec![
            clue("bac", "12 Lê Lợi", "Nguyễn Văn An", p),
            clue("bac", "7 Lê Lợi", "Phạm Văn Cường", Some((21.03, 105.86))),
            clue("bac", "12 Lê Lợi", "Nguyễn Văn An", p),
        ];
        assert_eq!(
            candidate_pairs(&clues),
            vec![(
                0,
                2,
                vec![
                    DuplicateRule::SameAddress,
                    DuplicateRule::SamePlace,
                    DuplicateRule::SimilarHead
                ]
            )]
        );
    }

    #[test]
    fn similar_names_forgive_diacritics_typos_and_a_missing_middle_name() {
        assert!(similar_names("Nguyễn Văn An", "Nguyen Van An"));
        assert!(similar_names("Nguyễn Văn An", "Nguyễn Văn Ân"));
        assert!(similar_names("Nguyễn Văn An", "Nguyễn An"));
        assert!(!similar_names("Nguyễn Văn An", "Trần Thị Bình"));
        assert!(!similar_names("", "Trần Thị Bình"));
    }
}
