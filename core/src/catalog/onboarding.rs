//! Guided-onboarding scripts: for every checklist item, the steps (Vietnamese and English) a
//! volunteer walks a person through on the person's own phone, and the cautions that go with
//! them. The content is embedded from `core/data/onboarding.json` and parsed once.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::model::ChecklistItem;

const DATA: &str = include_str!("../../data/onboarding.json");

/// One line of a guide, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub vi: String,
    pub en: String,
}

/// The guide for one checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    pub item: ChecklistItem,
    pub title_vi: String,
    pub title_en: String,
    /// What to do, in order.
    pub steps: Vec<Step>,
    /// What never to do, and what to warn the person about.
    pub cautions: Vec<Step>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Content {
    version: u32,
    guides: Vec<Guide>,
}

#[derive(Debug)]
struct Parsed {
    version: u32,
    /// In [`ChecklistItem::ALL`] order, one per item.
    guides: Vec<Guide>,
}

fn parsed() -> &'static Parsed {
    static PARSED: OnceLock<Parsed> = OnceLock::new();
    PARSED.get_or_init(|| {
        parse(DATA).unwrap_or_else(|e| panic!("embedded onboarding.json is malformed: {e}"))
    })
}

fn position(item: ChecklistItem) -> usize {
    ChecklistItem::ALL
        .iter()
        .position(|&i| i == item)
        .expect("ALL lists every item")
}

fn parse(json: &str) -> Result<Parsed, String> {
    let content: Content = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut slots: Vec<Option<Guide>> = vec![None; ChecklistItem::ALL.len()];
    for g in content.guides {
        let slot = &mut slots[position(g.item)];
        if slot.is_some() {
            return Err(format!("two guides for {}", g.item));
        }
        *slot = Some(g);
    }
    let guides = slots
        .into_iter()
        .zip(ChecklistItem::ALL)
        .map(|(g, item)| g.ok_or_else(|| format!("no guide for {item}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Parsed {
        version: content.version,
        guides,
    })
}

/// The guide for a checklist item.
pub fn guide(item: ChecklistItem) -> &'static Guide {
    &parsed().guides[position(item)]
}

/// Every guide, in checklist order.
pub fn all() -> &'static [Guide] {
    &parsed().guides
}

/// Version of the embedded onboarding content; bumped when the steps change.
pub fn version() -> u32 {
    parsed().version
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChecklistStatus;

    fn texts(g: &Guide) -> impl Iterator<Item = &str> {
        [g.title_vi.as_str(), g.title_en.as_str()]
            .into_iter()
            .chain(
                g.steps
                    .iter()
                    .chain(&g.cautions)
                    .flat_map(|s| [s.vi.as_str(), s.en.as_str()]),
            )
    }

    #[test]
    fn every_item_has_exactly_one_guide() {
        assert_eq!(all().len(), ChecklistItem::ALL.len());
        for &item in ChecklistItem::ALL {
            assert_eq!(all().iter().filter(|g| g.item == item).count(), 1, "{item}");
            assert_eq!(guide(item).item, item);
        }
        assert!(version() >= 1);
    }

    #[test]
    fn no_unknown_codes_and_codes_match_serde() {
        let raw: serde_json::Value = serde_json::from_str(DATA).unwrap();
        let guides = raw["guides"].as_array().unwrap();
        assert_eq!(guides.len(), ChecklistItem::ALL.len());
        for g in guides {
            let code = g["item"].as_str().unwrap();
            assert!(
                ChecklistItem::from_code(code).is_some(),
                "unknown item code {code:?}"
            );
        }
    }

    #[test]
    fn steps_are_complete_and_clean() {
        for g in all() {
            assert!(
                (3..=8).contains(&g.steps.len()),
                "{}: {} steps",
                g.item,
                g.steps.len()
            );
            assert!(!g.cautions.is_empty(), "{}: no cautions", g.item);
            for t in texts(g) {
                assert!(!t.trim().is_empty(), "{}: empty text", g.item);
                assert_eq!(
                    t,
                    crate::text::nfc(t),
                    "{}: not NFC or stray whitespace: {t}",
                    g.item
                );
            }
        }
    }

    #[test]
    fn vietnamese_text_has_diacritics() {
        // A guard against content pasted without tone marks.
        for g in all() {
            for s in g.steps.iter().chain(&g.cautions) {
                assert!(!s.vi.is_ascii(), "{}: {}", g.item, s.vi);
            }
        }
    }

    #[test]
    fn cautions_forbid_asking_for_secrets() {
        for item in [
            ChecklistItem::VneidLevel1,
            ChecklistItem::VneidLevel2,
            ChecklistItem::WelfareAccountLinked,
            ChecklistItem::BankAccount,
            ChecklistItem::MobileMoney,
            ChecklistItem::QrPayment,
        ] {
            let cautions: String = guide(item).cautions.iter().map(|c| c.en.as_str()).collect();
            assert!(cautions.contains("OTP"), "{item}");
        }
        let level1: String = guide(ChecklistItem::VneidLevel1)
            .cautions
            .iter()
            .map(|c| c.en.as_str())
            .collect();
        assert!(level1.contains("photograph the ID card"));
    }

    #[test]
    fn level2_is_a_referral_to_the_commune_police() {
        let g = guide(ChecklistItem::VneidLevel2);
        let vi: String = g.steps.iter().map(|s| s.vi.as_str()).collect();
        let en: String = g.steps.iter().map(|s| s.en.as_str()).collect();
        assert!(vi.contains("công an xã") && en.contains("in person"));
        assert!(vi.contains(ChecklistStatus::Referred.label_vi()));
        assert!(en.contains(ChecklistStatus::Referred.label_en()));
    }

    #[test]
    fn money_items_record_yes_or_no_only() {
        for item in [ChecklistItem::BankAccount, ChecklistItem::MobileMoney] {
            let g = guide(item);
            let en: String = g.cautions.iter().map(|c| c.en.as_str()).collect();
            let vi: String = g.cautions.iter().map(|c| c.vi.as_str()).collect();
            assert!(
                en.contains("yes or no only") && en.contains("never record"),
                "{item}"
            );
            assert!(vi.contains("Chỉ ghi có hay chưa có"), "{item}");
        }
    }

    #[test]
    fn rejects_duplicate_and_missing_guides() {
        let one = r#"{"item": "smartphone", "title_vi": "a", "title_en": "a", "steps": [], "cautions": []}"#;
        let dup = format!(r#"{{"version": 1, "guides": [{one}, {one}]}}"#);
        assert!(parse(&dup).unwrap_err().contains("two guides"));
        let missing = format!(r#"{{"version": 1, "guides": [{one}]}}"#);
        assert!(parse(&missing).unwrap_err().contains("no guide for"));
        let unknown = one.replace("smartphone", "fax_machine");
        assert!(parse(&format!(r#"{{"version": 1, "guides": [{unknown}]}}"#)).is_err());
    }
}
