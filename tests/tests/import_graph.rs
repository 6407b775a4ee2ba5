//! No import circle among the files of `server/src` (crate `gocua-hub`) or `core/src` (crate
//! `gocua-core`): a file `a` that uses `crate::b` (or `super::`, `self::`, a child module by its
//! name) depends on `b`, and no file may depend on itself through others. A facade's re-exports
//! (`pub use`, `pub(crate) use`), `mod` declarations and `#[cfg(test)]` modules are not
//! dependencies.
//!
//! Draw the graphs (Graphviz DOT on stdout):
//! `cargo test -p gocua-tests --test import_graph -- --ignored --nocapture`

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path: `[]` is the crate root, `["store", "sqlite"]` is `store/sqlite.rs` or
/// `store/sqlite/mod.rs`.
type Module = Vec<String>;

struct Crate {
    /// Module -> (file relative to src, source without comments, tests and facade lines).
    files: BTreeMap<Module, (String, String)>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn module_of(rel: &Path) -> Module {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

/// Drops comments, string and char literals, and everything from the first `#[cfg(test)]`
/// (test modules are at the end of a file and are not the architecture).
fn code_only(src: &str) -> String {
    let src = match src.find("#[cfg(test)]") {
        Some(i) => &src[..i],
        None => src,
    };
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' {
            // A raw string's hashes are not handled: none holds a `"` in these crates' paths.
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            let ch = src[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    // Facade lines: re-exports and module declarations.
    out.lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("pub use ")
                || t.starts_with("pub(crate) use ")
                || t.starts_with("pub(super) use "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn load(src_dir: &Path) -> Crate {
    let mut paths = Vec::new();
    rs_files(src_dir, &mut paths);
    let mut files = BTreeMap::new();
    for p in paths {
        let rel = p.strip_prefix(src_dir).unwrap();
        // Binaries are crate roots of their own.
        if rel == Path::new("main.rs") || rel.starts_with("bin") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        files.insert(
            module_of(rel),
            (rel.to_string_lossy().into_owned(), code_only(&text)),
        );
    }
    Crate { files }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths written in `code` (`a::b::{c, d::e}` expanded), each as its segments.
fn paths(code: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = is_ident(chars[i])
            && (i == 0 || !(is_ident(chars[i - 1]) || chars[i - 1] == ':'))
            && !chars[i].is_ascii_digit();
        if !starts {
            i += 1;
            continue;
        }
        let (found, end) = path_at(&chars, i, Vec::new());
        out.extend(found);
        i = end.max(i + 1);
    }
    out
}

/// Reads a path starting at `i` with `prefix` before it; returns the expanded paths and the end.
fn path_at(chars: &[char], mut i: usize, prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let mut segs = prefix;
    loop {
        let start = i;
        while i < chars.len() && is_ident(chars[i]) {
            i += 1;
        }
        if i == start {
            break;
        }
        segs.push(chars[start..i].iter().collect());
        let mut j = i;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        if j + 1 < chars.len() && chars[j] == ':' && chars[j + 1] == ':' {
            i = j + 2;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if i < chars.len() && chars[i] == '{' {
                let mut all = Vec::new();
                i += 1;
                loop {
                    while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
                        i += 1;
                    }
                    if i >= chars.len() || chars[i] == '}' {
                        i += 1;
                        break;
                    }
                    if chars[i] == '*' {
                        all.push(segs.clone());
                        i += 1;
                        continue;
                    }
                    let (found, end) = path_at(chars, i, segs.clone());
                    if found.is_empty() {
                        i = end.max(i + 1);
                    } else {
                        all.extend(found);
                        i = end;
                    }
                    // `x as y`
                    while i < chars.len() && chars[i] != ',' && chars[i] != '}' {
                        i += 1;
                    }
                }
                return (all, i);
            }
            if i < chars.len() && chars[i] == '*' {
                return (vec![segs], i + 1);
            }
            continue;
        }
        break;
    }
    if segs.len() < 2 {
        return (Vec::new(), i);
    }
    (vec![segs], i)
}

/// The module file a path written in module `from` names, if it is one of this crate's
/// (another file than `from`).
fn resolve(c: &Crate, from: &Module, path: &[String]) -> Option<Module> {
    let children: BTreeSet<&str> = c
        .files
        .keys()
        .filter(|m| m.len() == from.len() + 1 && m.starts_with(from))
        .map(|m| m.last().unwrap().as_str())
        .collect();
    let (mut base, rest): (Module, &[String]) = match path[0].as_str() {
        "crate" => (Vec::new(), &path[1..]),
        "self" => (from.clone(), &path[1..]),
        "super" => {
            let mut m = from.clone();
            let mut k = 0;
            while k < path.len() && path[k] == "super" {
                m.pop()?;
                k += 1;
            }
            (m, &path[k..])
        }
        first if children.contains(first) => (from.clone(), path),
        _ => return None,
    };
    for seg in rest {
        let mut next = base.clone();
        next.push(seg.clone());
        if c.files.contains_key(&next) {
            base = next;
        } else {
            break;
        }
    }
    (base != *from && c.files.contains_key(&base)).then_some(base)
}

fn graph(c: &Crate) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut g = BTreeMap::new();
    for (m, (_, code)) in &c.files {
        let deps: BTreeSet<Module> = paths(code)
            .iter()
            .filter_map(|p| resolve(c, m, p))
            // The crate root holds only declarations and re-exports.
            .filter(|d| !d.is_empty())
            .collect();
        g.insert(m.clone(), deps);
    }
    g
}

/// The strongly connected components of more than one file (Tarjan), each sorted.
fn circles(g: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct T<'a> {
        g: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on: BTreeSet<&'a Module>,
        out: Vec<Vec<Module>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a Module) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        t.on.insert(v);
        for w in &t.g[v] {
            let w = t.g.get_key_value(w).unwrap().0;
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = t.stack.pop().unwrap();
                t.on.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out.sort();
    t.out
}

fn file_names(c: &Crate, comp: &[Module]) -> Vec<String> {
    let mut v: Vec<String> = comp.iter().map(|m| c.files[m].0.clone()).collect();
    v.sort();
    v
}

fn check(dir: &str) {
    let c = load(&root().join(dir));
    let found: Vec<Vec<String>> = circles(&graph(&c))
        .iter()
        .map(|comp| file_names(&c, comp))
        .collect();
    assert!(
        found.is_empty(),
        "import circles in {dir} (files that depend on each other): {found:#?}"
    );
}

#[test]
fn no_import_circle_in_the_hub() {
    check("server/src");
}

#[test]
fn no_import_circle_in_the_core() {
    check("core/src");
}

#[test]
fn a_circle_is_found() {
    let mut files = BTreeMap::new();
    let m = |s: &str| vec![s.to_owned()];
    files.insert(
        Vec::new(),
        ("lib.rs".into(), "pub mod a; pub mod b;".into()),
    );
    files.insert(
        m("a"),
        ("a.rs".into(), code_only("use crate::b::{X, y::Z};")),
    );
    files.insert(
        m("b"),
        ("b.rs".into(), code_only("fn f() { super::a::g() }")),
    );
    let c = Crate { files };
    assert_eq!(circles(&graph(&c)), vec![vec![m("a"), m("b")]]);
}

/// Prints both crates' graphs as Graphviz DOT, with each circle and each file's dependencies.
#[test]
#[ignore = "prints the graphs: run with --ignored --nocapture"]
fn draw_import_graphs() {
    for dir in ["server/src", "core/src"] {
        let c = load(&root().join(dir));
        let g = graph(&c);
        let edges: usize = g.values().map(BTreeSet::len).sum();
        println!("// {dir}: {} files, {edges} dependencies", g.len());
        for comp in circles(&g) {
            println!("// circle: {}", file_names(&c, &comp).join(" "));
        }
        println!("digraph \"{dir}\" {{");
        for (m, deps) in &g {
            for d in deps {
                println!("  \"{}\" -> \"{}\";", c.files[m].0, c.files[d].0);
            }
        }
        println!("}}");
    }
}
