//! Where one household's bytes and CPU go (issue 21): W1's 300 households (`data::households(1,
//! 300)`), registered on a device as the side-by-side bench registers them, measured as the
//! documents a push carries, then pushed to a hub in this process over 127.0.0.1. A benchmark
//! run by hand, not a test:
//!
//! `cargo run --release -p gocua-bench --bin household_bytes`
//!
//! Prints a Markdown table, per household: the Automerge history as registered (a change per
//! step of the visit) and squashed into one change (what `gocua_core`'s first departure sends),
//! raw and in one zstd batch at levels 9 and 19; the same content as JSON; the bench floor's
//! JSON; the CPU of reading and of a hub's merge; what the push put on the wire; and the hub's
//! merge of a new household step by step.

use std::time::Instant;

use automerge::AutoCommit;
use gocua_bench::data;
use gocua_bench::gocua::{self, BResult};
use gocua_core::sync::merge::merge_changes;
use gocua_core::sync::{
    DEFAULT_TIMEOUT, HttpTransport, Response, SyncError, SyncOptions, TlsOptions, Transport,
};
use gocua_core::{ChangeContext, HouseholdDoc};

const HOUSEHOLDS: usize = 300;

/// Counts what crosses the transport, per path.
struct Counted {
    inner: HttpTransport,
    log: std::sync::Mutex<Vec<(String, usize, usize)>>,
}

impl Transport for Counted {
    fn post(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<Response, SyncError> {
        let up = body.len();
        let resp = self.inner.post(path, token, content_type, body)?;
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        log.push((path.to_owned(), up, resp.body.len()));
        Ok(resp)
    }
}

fn zstd_len(parts: &[Vec<u8>], level: i32) -> BResult<usize> {
    Ok(zstd::bulk::compress(&parts.concat(), level)?.len())
}

/// Milliseconds per item of `f` over `items`, the best of three rounds (this machine is shared).
fn per_item<T>(items: &[T], mut f: impl FnMut(&T) -> BResult<()>) -> BResult<f64> {
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        for item in items {
            f(item)?;
        }
        best = best.min(t.elapsed().as_secs_f64() * 1000.0 / items.len() as f64);
    }
    Ok(best)
}

fn main() -> BResult<()> {
    let dir = tempfile::tempdir()?;
    let mut reg = gocua::new_register(&dir.path().join("device.db"), "vol-1")?;
    let generated = data::households(1, HOUSEHOLDS);
    let mut ids = Vec::new();
    for g in &generated {
        ids.push(gocua::register_household(&mut reg, g)?);
    }
    let identity = reg.identity().clone();

    let (mut whole, mut one, mut json) = (Vec::new(), Vec::new(), Vec::new());
    let (mut changes_whole, mut changes_one) = (0, 0);
    for id in &ids {
        let mut doc = reg.document(id)?;
        changes_whole += doc.change_count();
        json.extend(serde_json::to_vec(&doc.read()?)?);
        let ctx = ChangeContext {
            volunteer: identity.volunteer.clone(),
            device: identity.device.clone(),
            at: doc.last_change_at().unwrap_or_default(),
        };
        let mut squashed = doc.squashed(&ctx)?;
        changes_one += squashed.change_count();
        whole.push(doc.save_for_batch());
        one.push(squashed.save_for_batch());
    }
    let n = HOUSEHOLDS as f64;
    let per = |bytes: usize| format!("{:.0} B", bytes as f64 / n);
    let floor_json = serde_json::to_vec(&generated)?;

    let docs: Vec<HouseholdDoc> = whole
        .iter()
        .map(|b| HouseholdDoc::load(b))
        .collect::<Result<_, _>>()?;
    let read_ms = per_item(&docs, |d| Ok(d.read().map(|_| ())?))?;
    let pairs: Vec<_> = ids.iter().zip(whole.iter()).collect();
    let merge_ms = per_item(
        &pairs,
        |(id, b)| Ok(merge_changes(id, None, b).map(|_| ())?),
    )?;
    let pairs_one: Vec<_> = ids.iter().zip(one.iter()).collect();
    let merge_one_ms = per_item(&pairs_one, |(id, b)| {
        Ok(merge_changes(id, None, b).map(|_| ())?)
    })?;
    let load_ms = per_item(&whole, |b| Ok(AutoCommit::load(b).map(|_| ())?))?;
    let merge_steps = merge_steps(&one)?;
    let squash_ctx = ChangeContext {
        volunteer: identity.volunteer.clone(),
        device: identity.device.clone(),
        at: chrono::DateTime::UNIX_EPOCH,
    };
    let squash_ms = per_item(&docs, |d| Ok(d.squashed(&squash_ctx).map(|_| ())?))?;

    // The push, as a phone makes it: its first departure squashes, then one batch.
    let (store, code) = gocua::hub_with_code(&dir.path().join("hub.db"), "vol-1")?;
    let hub = std::sync::Arc::new(gocua_hub::Hub::new(store, gocua_hub::HubConfig::default()));
    let running = gocua_hub::http::RunningHub::start(hub, "127.0.0.1:0", None, false)?;
    let url = format!("http://{}", running.addr);
    gocua::enrol(&mut reg, &url, &code)?;
    let counted = Counted {
        inner: HttpTransport::new(&url, &TlsOptions::default(), DEFAULT_TIMEOUT)?,
        log: Default::default(),
    };
    let t = Instant::now();
    reg.sync_with(&counted, &SyncOptions::default())?;
    let push_ms = t.elapsed().as_secs_f64() * 1000.0;
    let log = counted.log.into_inner().unwrap_or_default();
    let up: usize = log.iter().map(|(_, u, _)| u).sum();
    let down: usize = log.iter().map(|(_, _, d)| d).sum();

    println!("| per household ({HOUSEHOLDS} of W1) | history as registered | one change |");
    println!("|---|---|---|");
    println!(
        "| changes | {:.1} | {:.1} |",
        changes_whole as f64 / n,
        changes_one as f64 / n
    );
    println!(
        "| Automerge document, uncompressed | {} | {} |",
        per(whole.iter().map(Vec::len).sum()),
        per(one.iter().map(Vec::len).sum())
    );
    for level in [9, 19] {
        println!(
            "| in one batch, zstd {level} | {} | {} |",
            per(zstd_len(&whole, level)?),
            per(zstd_len(&one, level)?)
        );
    }
    println!("| merged by a hub, new household (CPU) | {merge_ms:.2} ms | {merge_one_ms:.2} ms |");
    println!();
    println!("| per household, other measures | |");
    println!("|---|---|");
    println!(
        "| the household as the register reads it, JSON: raw / zstd 19 | {} / {} |",
        per(json.len()),
        per(zstd::bulk::compress(&json, 19)?.len())
    );
    println!(
        "| the bench floor's JSON: raw / zstd 3 / zstd 19 | {} / {} / {} |",
        per(floor_json.len()),
        per(zstd::bulk::compress(&floor_json, 3)?.len()),
        per(zstd::bulk::compress(&floor_json, 19)?.len())
    );
    println!("| loading the Automerge document (CPU) | {load_ms:.3} ms |");
    println!("| reading the household from it (CPU) | {read_ms:.3} ms |");
    println!("| squashing its history into one change (CPU) | {squash_ms:.3} ms |");
    println!(
        "| the push on the wire (bodies, {} requests: {}) | {} up, {} down |",
        log.len(),
        log.iter()
            .map(|(p, u, d)| format!("{p} {u} B up {d} B down"))
            .collect::<Vec<_>>()
            .join("; "),
        per(up),
        per(down)
    );
    println!("| the push, device and hub in one process | {push_ms:.0} ms for {HOUSEHOLDS} |");
    println!();
    println!("| a hub's merge of a new household pushed as one change, by step (CPU) | |");
    println!("|---|---|");
    for (step, ms) in merge_steps {
        println!("| {step} | {ms:.3} ms |");
    }
    Ok(())
}

/// What `merge_changes` does with a new household, step by step (each best of three): where the
/// hub's CPU per pushed household goes before its HTTP, validators and store.
fn merge_steps(one: &[Vec<u8>]) -> BResult<Vec<(&'static str, f64)>> {
    let apply = |b: &Vec<u8>| -> BResult<AutoCommit> {
        let mut doc = AutoCommit::new();
        doc.load_incremental(b)?;
        Ok(doc)
    };
    let applied: Vec<AutoCommit> = one.iter().map(apply).collect::<Result<_, _>>()?;
    let copy_ms = per_item(&applied, |d| {
        drop(d.clone());
        Ok(())
    })?;
    // `save` needs the document mutable: each is timed on a copy, the copy's time taken off.
    let save_ms = per_item(&applied, |d| {
        d.clone().save();
        Ok(())
    })? - copy_ms;
    let save_plain_ms = per_item(&applied, |d| {
        d.clone().save_nocompress();
        Ok(())
    })? - copy_ms;
    Ok(vec![
        (
            "applying the change to a new document",
            per_item(one, |b| apply(b).map(|_| ()))?,
        ),
        ("saving it, columns deflated (what is stored)", save_ms),
        ("saving it without deflate", save_plain_ms),
        (
            "reading the household from it",
            per_item(&applied, |d| Ok(HouseholdDoc::read_doc(d).map(|_| ())?))?,
        ),
    ])
}
