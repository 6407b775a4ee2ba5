//! A device refills a hub that lost writes (restored from a backup, rebuilt, re-enrolled with):
//! `POST /v1/reconcile` (docs/sync-protocol.md, "Reconciliation"). The hub compares what the
//! device offers with what it holds of the device's area and names what it lacks; the device
//! sends those documents whole in the sync that follows. Erasures the device proves (by the
//! hub's own tags, [`erasure_proof`]) are carried out again first, so a restore never brings an
//! erased household back.
//!
//! Nothing here trusts the device beyond what a sync does: it only learns which of its own
//! fingerprints the hub lacks, an erasure is carried out only on the hub's own proof and only in
//! the device's area, and every document it then sends is checked as any push is.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use gocua_core::model::is_valid_id;
use gocua_core::sync::offer::{MAX_BUCKETS, bucket_of, digests, fingerprint};
use gocua_core::sync::wire::*;
use hmac::{Hmac, KeyInit, Mac};

use super::{ApiError, Hub, area_contains};
use crate::store::DeviceRecord;

/// Erasure claims read from one request (a device of 10,000 households rarely holds 100).
const MAX_CLAIMS: usize = 100_000;
/// Fingerprints read from one request: a commune's households many times over. It also bounds
/// the refill budget a device can be given.
const MAX_FINGERPRINTS: usize = 1_000_000;

/// The hub's tag on one of its erasures: HMAC-SHA-256 under the hub's erasure key over a label,
/// the id, the epoch and whether it was whole; first 16 bytes.
pub fn erasure_proof(key: &[u8; 32], erasure: &DocEpoch) -> ErasureProof {
    let tag = erasure_mac(key, erasure).finalize().into_bytes();
    let mut out = [0u8; 16];
    out.copy_from_slice(&tag[..16]);
    out
}

/// Whether `proof` is the hub's tag on `erasure` (compared in constant time).
fn proven(key: &[u8; 32], erasure: &DocEpoch, proof: &ErasureProof) -> bool {
    erasure_mac(key, erasure)
        .verify_truncated_left(proof)
        .is_ok()
}

fn erasure_mac(key: &[u8; 32], erasure: &DocEpoch) -> Hmac<sha2::Sha256> {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"gocua-erasure-v1\0");
    mac.update(erasure.id.as_bytes());
    mac.update(&[0]);
    mac.update(&erasure.epoch.to_le_bytes());
    mac.update(&[u8::from(erasure.gone)]);
    mac
}

impl Hub {
    /// The proofs of erasure notices, in order.
    pub(crate) fn erasure_proofs(
        &self,
        erased: &[DocEpoch],
    ) -> Result<Vec<ErasureProof>, ApiError> {
        if erased.is_empty() {
            return Ok(Vec::new());
        }
        let key = self.store.erasure_key()?;
        Ok(erased.iter().map(|e| erasure_proof(&key, e)).collect())
    }

    /// `POST /v1/reconcile`.
    pub(crate) fn reconcile(
        &self,
        device: &DeviceRecord,
        body: &[u8],
    ) -> Result<Vec<u8>, ApiError> {
        let req: ReconcileRequest =
            decode(body).map_err(|_| ApiError::bad_request("reconcile body"))?;
        if req.protocol != PROTOCOL_VERSION {
            return Err(ApiError::protocol());
        }
        if req.buckets == 0 || req.buckets > MAX_BUCKETS {
            return Err(ApiError::bad_request("reconcile buckets"));
        }
        if req.detail.len() > req.buckets as usize
            || req
                .detail
                .iter()
                .map(|b| b.fingerprints.len())
                .sum::<usize>()
                > MAX_FINGERPRINTS
        {
            return Err(ApiError::bad_request("reconcile detail"));
        }
        if req.erasures.len() > MAX_CLAIMS
            || req.erasures.iter().any(|c| !is_valid_id(&c.erasure.id))
        {
            return Err(ApiError::bad_request("reconcile erasures"));
        }
        let now = self.now();
        let reinstated = self.reinstate(device, &req.erasures, now)?;
        let held = self.store.area_heads(&device.area)?;
        let answer = if req.detail.is_empty() {
            if req.digests.len() != req.buckets as usize {
                return Err(ApiError::bad_request("reconcile digests"));
            }
            let prints: Vec<(&str, [u8; 8])> = held
                .iter()
                .map(|(id, heads)| (id.as_str(), fingerprint(id, heads)))
                .collect();
            let ours = digests(prints.iter().copied(), req.buckets);
            let differing: Vec<u32> = (0..req.buckets)
                .filter(|&b| ours[b as usize] != req.digests[b as usize])
                .collect();
            // The device holds exactly what the hub holds in the other buckets: never sent to
            // it again.
            let differing_set: HashSet<u32> = differing.iter().copied().collect();
            let known: Vec<(String, Vec<Head>)> = held
                .iter()
                .filter(|(id, _)| !differing_set.contains(&bucket_of(id, req.buckets)))
                .cloned()
                .collect();
            self.store.set_device_heads(&device.device_id, &known)?;
            self.store.audit(
                now,
                &format!("device:{}", device.device_id),
                "device.reconciled",
                &format!(
                    "generation:{} buckets:{} differing:{} reinstated:{reinstated}",
                    self.store.lineage()?.0,
                    req.buckets,
                    differing.len()
                ),
            )?;
            ReconcileResponse {
                differing,
                lacking: Vec::new(),
                reinstated,
            }
        } else {
            let mut by_print: HashMap<[u8; 8], &(String, Vec<Head>)> = HashMap::new();
            for doc in &held {
                by_print.insert(fingerprint(&doc.0, &doc.1), doc);
            }
            let mut lacking = Vec::with_capacity(req.detail.len());
            let mut known = Vec::new();
            for bucket in &req.detail {
                if bucket.bucket >= req.buckets {
                    return Err(ApiError::bad_request("reconcile bucket"));
                }
                let mut missing = Vec::new();
                for (i, fp) in bucket.fingerprints.iter().enumerate() {
                    match by_print.get(fp) {
                        Some(doc) => known.push((*doc).clone()),
                        None => missing.push(i as u32),
                    }
                }
                lacking.push(missing);
            }
            self.store.set_device_heads(&device.device_id, &known)?;
            let count: usize = lacking.iter().map(Vec::len).sum();
            // What it holds and the hub lacks may carry other phones' changes: it may push
            // that many such documents (and no more) in the syncs that follow.
            self.store
                .set_refill_budget(&device.device_id, count.min(u32::MAX as usize) as u32)?;
            self.store.audit(
                now,
                &format!("device:{}", device.device_id),
                "device.refilled",
                &format!("lacking:{count}"),
            )?;
            ReconcileResponse {
                differing: Vec::new(),
                lacking,
                reinstated,
            }
        };
        Ok(encode(&answer))
    }

    /// Carries out again the erasures a device proves and the hub no longer knows of.
    fn reinstate(
        &self,
        device: &DeviceRecord,
        claims: &[ErasureClaim],
        now: DateTime<Utc>,
    ) -> Result<u32, ApiError> {
        if claims.is_empty() {
            return Ok(0);
        }
        let key = self.store.erasure_key()?;
        let _write = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut done = 0;
        for claim in claims {
            if !proven(&key, &claim.erasure, &claim.proof) {
                tracing::warn!(device = %device.device_id, "erasure claim without a valid proof");
                continue;
            }
            let place = match self.store.load_doc(&claim.erasure.id)? {
                Some(rec) if area_contains(&device.area, &rec.commune, &rec.hamlet) => {
                    (rec.commune, rec.hamlet)
                }
                // Another area's household: not this device's to tell.
                Some(_) => continue,
                // Not on the hub: recorded in the device's commune.
                None => (device.area.commune_code.clone(), String::new()),
            };
            if self.store.reinstate_erasure(
                &claim.erasure,
                &place.0,
                &place.1,
                now,
                &format!("device:{}", device.device_id),
            )? {
                done += 1;
            }
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proof_holds_for_its_erasure_only() {
        let key = [9u8; 32];
        let e = DocEpoch {
            id: "hh-1".into(),
            epoch: 2,
            gone: true,
        };
        let p = erasure_proof(&key, &e);
        assert!(proven(&key, &e, &p));
        assert!(!proven(&[8u8; 32], &e, &p), "another hub's key");
        for other in [
            DocEpoch {
                epoch: 3,
                ..e.clone()
            },
            DocEpoch {
                gone: false,
                ..e.clone()
            },
            DocEpoch {
                id: "hh-2".into(),
                ..e.clone()
            },
        ] {
            assert!(!proven(&key, &other, &p), "{other:?}");
        }
    }
}
