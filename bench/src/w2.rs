//! W2, a commune week: the plan every system follows. The hub holds the base households; each
//! device, offline for the week, registers its own new households and edits base households;
//! 5% of the base households are edited on two devices (half the same field with different
//! values, half different fields); then the devices sync in a seeded random order, round after
//! round, until all agree.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use crate::data::{GenEdit, GenHousehold};

/// Fields a W2 edit changes: text a volunteer types (member 0 is the head).
pub const FIELDS: [&str; 3] = ["phone", "notes", "house_number"];

/// One edit as the Node peers take it.
#[derive(Debug, Clone, Serialize)]
pub struct KeyedEdit {
    pub key: String,
    pub field: String,
    pub value: String,
}

/// A value that must survive the week: the last one a device wrote to a household's field.
#[derive(Debug, Clone, Serialize)]
pub struct Expect {
    pub household: usize,
    pub key: String,
    pub field: String,
    pub value: String,
    pub device: usize,
    /// Another device wrote the same field concurrently (a same-field conflict).
    pub concurrent: bool,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub devices: usize,
    pub regs_per_device: usize,
    /// Each device's edits, in the order it makes them.
    pub edits: Vec<Vec<GenEdit>>,
    pub expected: Vec<Expect>,
    pub pairs_same_field: usize,
    pub pairs_other_field: usize,
    pub seed: u64,
}

fn value(field: &str, device: usize, k: usize) -> String {
    match field {
        "phone" => format!("091{:07}", device * 100_000 + k),
        "notes" => format!("Ghi chú tuần này, máy {device}, lần {k}"),
        _ => format!("{k}A/{device}"),
    }
}

/// The plan for `base` households, `devices` devices with `regs` registrations and `edits`
/// edits each.
pub fn plan(base: &[GenHousehold], devices: usize, regs: usize, edits: usize, seed: u64) -> Plan {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..base.len()).collect();
    order.shuffle(&mut rng);
    let pairs = base.len() * 5 / 100;
    let (paired, rest) = order.split_at(pairs);
    let mut per_device: Vec<Vec<GenEdit>> = vec![Vec::new(); devices];
    let mut k = 0usize;
    let mut next = |f: &str, d: usize| {
        k += 1;
        value(f, d, k)
    };
    let mut same = 0;
    for (i, &h) in paired.iter().enumerate() {
        let a = rng.random_range(0..devices);
        let b = (a + rng.random_range(1..devices.max(2))) % devices;
        let f1 = FIELDS[rng.random_range(0..FIELDS.len())];
        let f2 = if i % 2 == 0 {
            same += 1;
            f1
        } else {
            FIELDS[(FIELDS.iter().position(|f| *f == f1).unwrap() + rng.random_range(1..3)) % 3]
        };
        for (d, f) in [(a, f1), (b, f2)] {
            per_device[d].push(GenEdit {
                household: h,
                field: f.into(),
                value: next(f, d),
            });
        }
    }
    // The other households belong to one device each: sequential edits, never concurrent.
    for (d, list) in per_device.iter_mut().enumerate() {
        let own: Vec<usize> = rest.iter().copied().skip(d).step_by(devices).collect();
        while list.len() < edits && !own.is_empty() {
            let h = own[rng.random_range(0..own.len())];
            let f = FIELDS[rng.random_range(0..FIELDS.len())];
            list.push(GenEdit {
                household: h,
                field: f.into(),
                value: next(f, d),
            });
        }
        list.shuffle(&mut rng);
    }
    // What must survive: each device's last value per household and field.
    let mut last: BTreeMap<(usize, String), BTreeMap<usize, String>> = BTreeMap::new();
    for (d, list) in per_device.iter().enumerate() {
        for e in list {
            last.entry((e.household, e.field.clone()))
                .or_default()
                .insert(d, e.value.clone());
        }
    }
    let mut expected = Vec::new();
    for ((h, f), by_dev) in last {
        let concurrent = by_dev.len() > 1;
        for (d, v) in by_dev {
            expected.push(Expect {
                household: h,
                key: base[h].key.clone(),
                field: f.clone(),
                value: v,
                device: d,
                concurrent,
            });
        }
    }
    Plan {
        devices,
        regs_per_device: regs,
        edits: per_device,
        expected,
        pairs_same_field: same,
        pairs_other_field: pairs - same,
        seed,
    }
}

impl Plan {
    /// Device `d`'s edits with household keys, for the Node peers.
    pub fn keyed(&self, base: &[GenHousehold], d: usize) -> Vec<KeyedEdit> {
        self.edits[d]
            .iter()
            .map(|e| KeyedEdit {
                key: base[e.household].key.clone(),
                field: e.field.clone(),
                value: e.value.clone(),
            })
            .collect()
    }

    /// The order devices sync in, in round `round` (seeded).
    pub fn order(&self, round: u32) -> Vec<usize> {
        let mut o: Vec<usize> = (0..self.devices).collect();
        o.shuffle(&mut StdRng::seed_from_u64(
            self.seed.wrapping_mul(31).wrapping_add(round as u64),
        ));
        o
    }

    /// The new households device `d` registers.
    pub fn registrations(&self, d: usize) -> Vec<GenHousehold> {
        crate::data::households(100 + d as u64, self.regs_per_device)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_percent_of_households_are_edited_on_two_devices() {
        let base = crate::data::households(2, 400);
        let p = plan(&base, 4, 10, 30, 7);
        assert_eq!(p.pairs_same_field + p.pairs_other_field, 20);
        assert!(p.edits.iter().all(|l| l.len() == 30));
        assert_eq!(p.expected.iter().filter(|e| e.concurrent).count(), 20);
        let mut touched: BTreeMap<usize, std::collections::BTreeSet<usize>> = BTreeMap::new();
        for (d, l) in p.edits.iter().enumerate() {
            for e in l {
                touched.entry(e.household).or_default().insert(d);
            }
        }
        assert_eq!(touched.values().filter(|s| s.len() == 2).count(), 20);
        assert!(touched.values().all(|s| s.len() <= 2));
    }
}
