//! What a device and a hub compare when a hub was restored or rebuilt: per document a
//! fingerprint of its id and heads, documents grouped in buckets by id, a digest per bucket
//! (the layout is in [`super::wire::ReconcileRequest`]). Written once, used by both sides, so
//! the two can never compute them differently.

use sha2::{Digest, Sha256};

use super::wire::Head;

/// Documents per bucket aimed at: a differing bucket costs this many fingerprints in step 2.
pub const DOCS_PER_BUCKET: usize = 16;

/// The most buckets a hub accepts (a million households at 16 per bucket).
pub const MAX_BUCKETS: u32 = 1 << 16;

/// The first 8 bytes of SHA-256 over the id, a zero byte and the heads sorted.
pub fn fingerprint(id: &str, heads: &[Head]) -> [u8; 8] {
    let mut sorted = heads.to_vec();
    sorted.sort_unstable();
    let mut h = Sha256::new();
    h.update(id.as_bytes());
    h.update([0u8]);
    for head in &sorted {
        h.update(head);
    }
    first8(&h.finalize())
}

/// How many buckets a device holding `docs` documents uses.
pub fn bucket_count(docs: usize) -> u32 {
    docs.div_ceil(DOCS_PER_BUCKET)
        .clamp(1, MAX_BUCKETS as usize) as u32
}

/// The bucket of a document id.
pub fn bucket_of(id: &str, buckets: u32) -> u32 {
    let h = Sha256::digest(id.as_bytes());
    u32::from_le_bytes([h[0], h[1], h[2], h[3]]) % buckets.max(1)
}

/// One digest per bucket over `(id, fingerprint)` pairs: SHA-256 over the bucket's fingerprints
/// sorted, first 8 bytes (an empty bucket's digest is that of nothing).
pub fn digests<'a>(
    entries: impl IntoIterator<Item = (&'a str, [u8; 8])>,
    buckets: u32,
) -> Vec<[u8; 8]> {
    let mut per: Vec<Vec<[u8; 8]>> = vec![Vec::new(); buckets.max(1) as usize];
    for (id, fp) in entries {
        per[bucket_of(id, buckets) as usize].push(fp);
    }
    per.into_iter()
        .map(|mut fps| {
            fps.sort_unstable();
            let mut h = Sha256::new();
            for fp in &fps {
                h.update(fp);
            }
            first8(&h.finalize())
        })
        .collect()
}

fn first8(bytes: &[u8]) -> [u8; 8] {
    let mut out = [0u8; 8];
    out.copy_from_slice(&bytes[..8]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_order_does_not_change_a_fingerprint_and_ids_do() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        assert_eq!(fingerprint("hh-1", &[a, b]), fingerprint("hh-1", &[b, a]));
        assert_ne!(fingerprint("hh-1", &[a]), fingerprint("hh-2", &[a]));
        assert_ne!(fingerprint("hh-1", &[a]), fingerprint("hh-1", &[b]));
    }

    #[test]
    fn digests_depend_on_the_set_not_the_order() {
        let ids: Vec<String> = (0..100).map(|i| format!("hh-{i}")).collect();
        let fp = |id: &str| fingerprint(id, &[[7u8; 32]]);
        let n = bucket_count(ids.len());
        assert_eq!(n, 7);
        let forward = digests(ids.iter().map(|i| (i.as_str(), fp(i))), n);
        let backward = digests(ids.iter().rev().map(|i| (i.as_str(), fp(i))), n);
        assert_eq!(forward, backward);
        let fewer = digests(ids[1..].iter().map(|i| (i.as_str(), fp(i))), n);
        let differing = forward.iter().zip(&fewer).filter(|(a, b)| a != b).count();
        assert_eq!(differing, 1, "one missing document changes one bucket");
        assert_eq!(bucket_count(0), 1);
        assert_eq!(bucket_count(usize::MAX / 2), MAX_BUCKETS);
    }
}
