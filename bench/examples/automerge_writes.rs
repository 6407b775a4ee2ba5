//! What writing a household-sized document costs in automerge 0.12, whatever the order: the
//! squash at a household's first departure writes every value again into a fresh document
//! (`core/src/doc/rewrite.rs`). A document of 119 map ops (14 root keys, four members of 12 keys
//! and a four-item checklist each), written 300 times three ways: depth first (each object
//! filled before the next key of its parent, as the rewrite does), breadth first (every op
//! appended at the end of the op set), and depth first through `Automerge::transaction` instead
//! of `AutoCommit`. `cargo run --release -p gocua-bench --example automerge_writes`.

use std::time::Instant;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, Automerge, ObjType, ROOT};

const MEMBERS: usize = 4;
const KEYS: usize = 12;
const ITEMS: usize = 4;
const DOCUMENTS: u32 = 300;

/// Each member's map, and each checklist entry, filled before the next key of its parent.
fn depth_first(d: &mut impl Transactable) {
    for r in 0..8 {
        d.put(ROOT, format!("r{r}"), "x").unwrap();
    }
    let m = d.put_object(ROOT, "members", ObjType::Map).unwrap();
    for i in 0..MEMBERS {
        let o = d.put_object(&m, format!("m{i}"), ObjType::Map).unwrap();
        for k in 0..KEYS {
            d.put(&o, format!("k{k:02}"), "value").unwrap();
        }
        let c = d.put_object(&o, "checklist", ObjType::Map).unwrap();
        for k in 0..ITEMS {
            let e = d.put_object(&c, format!("i{k}"), ObjType::Map).unwrap();
            d.put(&e, "status", "done").unwrap();
            d.put(&e, "by", "vol").unwrap();
        }
    }
    for r in 8..14 {
        d.put(ROOT, format!("z{r}"), "x").unwrap();
    }
}

/// Every key of an object before any of its children's: each op lands at the end.
fn breadth_first(d: &mut impl Transactable) {
    for r in 0..8 {
        d.put(ROOT, format!("r{r}"), "x").unwrap();
    }
    let m = d.put_object(ROOT, "members", ObjType::Map).unwrap();
    for r in 8..14 {
        d.put(ROOT, format!("z{r}"), "x").unwrap();
    }
    let members: Vec<_> = (0..MEMBERS)
        .map(|i| d.put_object(&m, format!("m{i}"), ObjType::Map).unwrap())
        .collect();
    let mut checklists = Vec::new();
    for o in &members {
        for k in 0..KEYS {
            d.put(o, format!("k{k:02}"), "value").unwrap();
        }
        checklists.push(d.put_object(o, "checklist", ObjType::Map).unwrap());
    }
    let mut entries = Vec::new();
    for c in &checklists {
        for k in 0..ITEMS {
            entries.push(d.put_object(c, format!("i{k}"), ObjType::Map).unwrap());
        }
    }
    for e in &entries {
        d.put(e, "status", "done").unwrap();
        d.put(e, "by", "vol").unwrap();
    }
}

/// Milliseconds a document, over `DOCUMENTS` fresh documents.
fn per_document(mut write_one: impl FnMut()) -> f64 {
    let t = Instant::now();
    for _ in 0..DOCUMENTS {
        write_one();
    }
    t.elapsed().as_secs_f64() * 1000.0 / f64::from(DOCUMENTS)
}

fn main() {
    for round in 0..3 {
        let dfs = per_document(|| {
            let mut d = AutoCommit::new();
            depth_first(&mut d);
            d.commit();
        });
        let bfs = per_document(|| {
            let mut d = AutoCommit::new();
            breadth_first(&mut d);
            d.commit();
        });
        let tx = per_document(|| {
            let mut doc = Automerge::new();
            let mut d = doc.transaction();
            depth_first(&mut d);
            d.commit();
        });
        println!(
            "round {round}: depth first {dfs:.3} ms, breadth first {bfs:.3} ms, \
             Automerge::transaction {tx:.3} ms a document"
        );
    }
}
