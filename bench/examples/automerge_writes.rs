//! What writing a household-sized document costs in automerge 0.12, whatever the order: the
//! squash at a household's first departure writes every value again into a fresh document
//! (`core/src/doc/rewrite.rs`). A document of 119 map ops (14 root keys, four members of 12 keys
//! and a four-item checklist each), written 300 times three ways: depth first (each object
//! filled before the next key of its parent, as the rewrite does), breadth first (every op
//! appended at the end of the op set), and through `Automerge::transaction` instead of
//! `AutoCommit`. `cargo run --release -p gocua-bench --example automerge_writes`.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT};
use std::time::Instant;

fn main() {
    let members = 4;
    let keys = 12;
    for round in 0..3 {
        // Depth first: each member's map filled before the next root key.
        let t = Instant::now();
        for _ in 0..300 {
            let mut d = AutoCommit::new();
            for r in 0..8 {
                d.put(ROOT, format!("r{r}"), "x").unwrap();
            }
            let m = d.put_object(ROOT, "members", ObjType::Map).unwrap();
            for i in 0..members {
                let o = d.put_object(&m, format!("m{i}"), ObjType::Map).unwrap();
                for k in 0..keys {
                    d.put(&o, format!("k{k:02}"), "value").unwrap();
                }
                let c = d.put_object(&o, "checklist", ObjType::Map).unwrap();
                for k in 0..4 {
                    let e = d.put_object(&c, format!("i{k}"), ObjType::Map).unwrap();
                    d.put(&e, "status", "done").unwrap();
                    d.put(&e, "by", "vol").unwrap();
                }
            }
            for r in 8..14 {
                d.put(ROOT, format!("z{r}"), "x").unwrap();
            }
            d.commit();
        }
        let dfs = t.elapsed().as_secs_f64() * 1000.0 / 300.0;
        // Breadth first: every key of an object before any of its children's.
        let t = Instant::now();
        for _ in 0..300 {
            let mut d = AutoCommit::new();
            for r in 0..8 {
                d.put(ROOT, format!("r{r}"), "x").unwrap();
            }
            let m = d.put_object(ROOT, "members", ObjType::Map).unwrap();
            for r in 8..14 {
                d.put(ROOT, format!("z{r}"), "x").unwrap();
            }
            let ms: Vec<_> = (0..members)
                .map(|i| d.put_object(&m, format!("m{i}"), ObjType::Map).unwrap())
                .collect();
            let mut cs = Vec::new();
            for o in &ms {
                for k in 0..keys {
                    d.put(o, format!("k{k:02}"), "value").unwrap();
                }
                cs.push(d.put_object(o, "checklist", ObjType::Map).unwrap());
            }
            let mut es = Vec::new();
            for c in &cs {
                for k in 0..4 {
                    es.push(d.put_object(c, format!("i{k}"), ObjType::Map).unwrap());
                }
            }
            for e in &es {
                d.put(e, "status", "done").unwrap();
                d.put(e, "by", "vol").unwrap();
            }
            d.commit();
        }
        let bfs = t.elapsed().as_secs_f64() * 1000.0 / 300.0;
        let t = Instant::now();
        for _ in 0..300 {
            let mut a = automerge::Automerge::new();
            let mut d = a.transaction();
            for r in 0..8 {
                d.put(ROOT, format!("r{r}"), "x").unwrap();
            }
            let m = d.put_object(ROOT, "members", ObjType::Map).unwrap();
            for i in 0..members {
                let o = d.put_object(&m, format!("m{i}"), ObjType::Map).unwrap();
                for k in 0..keys {
                    d.put(&o, format!("k{k:02}"), "value").unwrap();
                }
                let c = d.put_object(&o, "checklist", ObjType::Map).unwrap();
                for k in 0..4 {
                    let e = d.put_object(&c, format!("i{k}"), ObjType::Map).unwrap();
                    d.put(&e, "status", "done").unwrap();
                    d.put(&e, "by", "vol").unwrap();
                }
            }
            for r in 8..14 {
                d.put(ROOT, format!("z{r}"), "x").unwrap();
            }
            d.commit();
        }
        let tx = t.elapsed().as_secs_f64() * 1000.0 / 300.0;
        println!("round {round}: Automerge::transaction {tx:.3} ms");
        println!("round {round}: depth first {dfs:.3} ms, breadth first {bfs:.3} ms a document");
    }
}
