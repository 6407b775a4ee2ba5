//! The documents of pull answers, kept by what they are so that the next device asking for the
//! same thing gets them without the stored document being decoded again.
//!
//! A household is pulled by every phone of its area: in a commune week (W2, `bench/`) each new
//! household goes to nine phones, and the hub spent half its CPU decoding stored documents to
//! write them out (`docs/BENCHMARKS.md`). What a pull sends is fixed by three things: the
//! document, the heads the device has, and the document's heads. Automerge heads are hashes of
//! the whole history, so a key holding both sets of heads can never name stale content: a
//! document changed, merged or rewritten by an erasure has other heads, and the old entry is
//! simply never asked for again. Entries leave oldest first when the bytes bound is reached.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use gocua_core::sync::wire::Head;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    id: String,
    /// What the device has, sorted: empty for a whole document.
    known: Vec<Head>,
    /// The stored document's heads the changes lead to, sorted.
    heads: Vec<Head>,
}

impl Key {
    /// Heads are a set: the same ones in another order name the same document.
    fn new(id: &str, known: &[Head], heads: &[Head]) -> Self {
        let (mut known, mut heads) = (known.to_vec(), heads.to_vec());
        known.sort_unstable();
        heads.sort_unstable();
        Key {
            id: id.to_owned(),
            known,
            heads,
        }
    }
}

#[derive(Default)]
struct Entries {
    changes: HashMap<Key, Vec<u8>>,
    /// Insertion order, for eviction.
    order: VecDeque<Key>,
    bytes: usize,
}

pub(crate) struct PullCache {
    entries: Mutex<Entries>,
    max_bytes: usize,
}

impl PullCache {
    /// A cache holding at most `max_bytes` of changes (0: none kept).
    pub(crate) fn new(max_bytes: usize) -> Self {
        Self {
            entries: Mutex::new(Entries::default()),
            max_bytes,
        }
    }

    /// The changes a device that has `known` needs to reach `heads` of document `id`, if some
    /// device asked for them before.
    pub(crate) fn get(&self, id: &str, known: &[Head], heads: &[Head]) -> Option<Vec<u8>> {
        let key = Key::new(id, known, heads);
        self.lock().changes.get(&key).cloned()
    }

    /// Keeps the changes from `known` to `heads` of document `id`.
    pub(crate) fn put(&self, id: &str, known: &[Head], heads: &[Head], changes: &[u8]) {
        if changes.len() > self.max_bytes {
            return;
        }
        let key = Key::new(id, known, heads);
        let mut entries = self.lock();
        if entries.changes.contains_key(&key) {
            return;
        }
        while entries.bytes + changes.len() > self.max_bytes {
            let Some(oldest) = entries.order.pop_front() else {
                break;
            };
            if let Some(gone) = entries.changes.remove(&oldest) {
                entries.bytes -= gone.len();
            }
        }
        entries.bytes += changes.len();
        entries.order.push_back(key.clone());
        entries.changes.insert(key, changes.to_vec());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // Entries are whole or absent at every step a panic could interrupt.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Head = [1; 32];
    const B: Head = [2; 32];

    #[test]
    fn an_entry_is_found_only_by_its_document_and_both_heads() {
        let cache = PullCache::new(1024);
        cache.put("h1", &[], &[A], b"whole");
        cache.put("h1", &[A], &[B], b"after a");
        assert_eq!(cache.get("h1", &[], &[A]).as_deref(), Some(&b"whole"[..]));
        assert_eq!(
            cache.get("h1", &[A], &[B]).as_deref(),
            Some(&b"after a"[..])
        );
        // The document moved on: its whole form at B was never kept.
        assert_eq!(cache.get("h1", &[], &[B]), None);
        assert_eq!(cache.get("h2", &[], &[A]), None);
    }

    #[test]
    fn heads_are_a_set() {
        let cache = PullCache::new(1024);
        cache.put("h1", &[B, A], &[A, B], b"x");
        assert!(cache.get("h1", &[A, B], &[B, A]).is_some());
    }

    #[test]
    fn the_oldest_entries_leave_when_the_bound_is_reached() {
        let cache = PullCache::new(10);
        cache.put("h1", &[], &[A], b"12345");
        cache.put("h2", &[], &[A], b"12345");
        cache.put("h3", &[], &[A], b"123");
        assert_eq!(cache.get("h1", &[], &[A]), None);
        assert!(cache.get("h2", &[], &[A]).is_some());
        assert!(cache.get("h3", &[], &[A]).is_some());
        // Larger than the whole bound: not kept, and nothing else evicted for it.
        cache.put("h4", &[], &[A], b"12345678901");
        assert_eq!(cache.get("h4", &[], &[A]), None);
        assert!(cache.get("h2", &[], &[A]).is_some());
    }

    #[test]
    fn a_cache_of_no_bytes_keeps_nothing() {
        let cache = PullCache::new(0);
        cache.put("h1", &[], &[A], b"x");
        assert_eq!(cache.get("h1", &[], &[A]), None);
    }
}
