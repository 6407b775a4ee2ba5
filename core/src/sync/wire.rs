//! The wire types of the sync protocol, shared by the device and the hub (docs/sync-protocol.md).
//!
//! Sync bodies are [postcard](https://postcard.jamesmunns.com/wire-format) encodings of these
//! types, compressed with zstd. Enrolment bodies and error bodies are JSON: they are small, sent
//! once, and read by people debugging a pairing.

use serde::{Deserialize, Serialize};

/// The protocol version this code speaks. A hub refuses a request of another major version with
/// `409 protocol_version`; fields are only ever added as new versions.
pub const PROTOCOL_VERSION: u16 = 1;

/// Content type of compressed postcard bodies.
pub const CONTENT_TYPE: &str = "application/x-gocua-sync-v1+zstd";

/// Paths of the endpoints.
pub const PATH_ENROL: &str = "/v1/enrol";
pub const PATH_SYNC: &str = "/v1/sync";
pub const PATH_FINISH: &str = "/v1/sync/finish";
/// Where a device asks how much of a cut sync request the hub holds (see [`UploadStatus`]).
/// A revoked device reports that it wiped its register (accepted from revoked devices only).
pub const PATH_WIPED: &str = "/v1/wiped";
pub const PATH_SYNC_UPLOAD: &str = "/v1/sync/upload";
/// Where a device offers what it holds to a hub that was restored or rebuilt (see
/// [`ReconcileRequest`]).
pub const PATH_RECONCILE: &str = "/v1/reconcile";

/// The answer of [`PATH_SYNC_UPLOAD`] (JSON): how far the hub got with the device's exchange
/// `upload` (a sync request sent as `PATH_SYNC?upload=ID&length=N&offset=K`, body = bytes K..N).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadStatus {
    /// Bytes of the request the hub holds (0 when it does not know the exchange: start again).
    pub offset: u64,
    /// The request was handled and its answer is held: ask for it from the byte the device
    /// lacks with `offset=N&answer_from=M` and no body.
    pub answered: bool,
}

/// zstd level of the hub's answers and of small bodies. Measured on the side-by-side bench's W1
/// batch (300 new households, 627 KB of documents, one x86 core): level 3 gives 117 KB in 2 ms,
/// level 9 104 KB in 30 ms. The hub answers many phones, so its answers stay at 9.
const ZSTD_LEVEL: i32 = 9;

/// zstd level of the documents a phone sends (issue 21, `bench/src/bin/household_bytes.rs`, W1's
/// 953 KB batch of 300 households on this 2-vCPU machine): 426 B a household at level 9 in 13 ms,
/// 391 B at 17 in 137 ms, 384 B at 19 in 294 ms. A low-end phone is about four times slower, so
/// about 1.2 s for such a batch, against 2.7 s less on an EDGE link (50 kbit/s): the phone's
/// link is where a hamlet's sync waits, and its batches are rarely that large.
const PUSH_LEVEL: i32 = 19;

/// The largest decompressed body either side accepts (a guard against decompression bombs).
pub const MAX_BODY: usize = 64 * 1024 * 1024;

/// A head of a document's change graph: an Automerge change hash.
pub type Head = [u8; 32];

// --- enrolment (JSON) ---------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub protocol: u16,
    /// The pairing code as typed or scanned (case and dashes do not matter).
    pub code: String,
    /// The register's device id (its Automerge actor), so the hub can attribute every change.
    pub device_id: String,
    /// The volunteer the register was created for; must be the one the code was issued to.
    pub volunteer_id: String,
    /// The commune the register was created for; must be the code's area's commune.
    pub commune_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolResponse {
    pub hub_id: String,
    pub device_id: String,
    /// The device's bearer token. The hub keeps only its SHA-256.
    pub token: String,
    pub volunteer_id: String,
    pub area: AreaInfo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaInfo {
    pub area_id: String,
    pub name: String,
    pub province_code: String,
    pub commune_code: String,
    /// The hamlets of the area. The device reads and writes only households of these hamlets.
    pub hamlets: Vec<HamletInfo>,
}

/// A retired hamlet and the hamlet that took its households (see
/// [`SyncResponse::merged_hamlets`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedHamlet {
    pub from: String,
    pub into: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HamletInfo {
    pub id: String,
    pub name: String,
}

/// The body of every error answer (any status other than 2xx), JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Machine-readable: `unauthorized`, `revoked`, `pairing_invalid`, `protocol_version`,
    /// `bad_request`, `mismatch`, `internal`.
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

// --- sync (postcard + zstd) ----------------------------------------------------------------

/// Round trip 1 (and further ones only when a batch did not fit): the device's changes, and
/// where it left off on the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SyncRequest {
    pub protocol: u16,
    /// `None` on the first request of a sync; then the session the hub answered with.
    pub session: Option<u64>,
    /// The hub sequence number up to which the device has stored everything of its area.
    pub cursor: u64,
    /// Documents changed on the device and not yet synced, as counted before this sync.
    pub pending_docs: u32,
    /// Changed documents: only the changes after the heads shared with the hub.
    pub push: Vec<PushDoc>,
    /// Documents the device could not complete from what it was sent (missing dependencies):
    /// the hub sends them whole.
    pub resend: Vec<String>,
    /// Erasure requests recorded on the device (a person's or a household's right to deletion),
    /// sent at every sync until the hub answers that they were carried out or refused. The hub
    /// files them for a coordinator's decision; it erases nothing on a device's word alone.
    pub erase: Vec<EraseRequest>,
    /// The erasure epoch of pushed documents that were rewritten by an erasure (absent = 0), so
    /// the hub can refuse changes of a lineage it erased.
    pub epochs: Vec<DocEpoch>,
    /// The device's clock when it built the request (Unix seconds): the hub compares it with
    /// its own to tell a phone whose clock is wrong. Last, so that a hub of before it reads the
    /// request (postcard ignores trailing bytes); a hub reads an older device's request through
    /// [`decode_sync_request`].
    pub device_time: Option<i64>,
    /// The hub the device is enrolled with ([`hub_tag`] of its id), in the first request of a
    /// sync: a hub with another id refuses the request before reading anything of it (`409
    /// hub_changed`), so a device never hands its area to a hub it did not enrol with. Four bytes
    /// rather than the id: every sync carries it. After `device_time` for the same reason.
    pub hub_tag: Option<u32>,
}

/// The first 4 bytes of SHA-256 of a hub id, little-endian: what a request names its hub by.
pub fn hub_tag(hub_id: &str) -> u32 {
    use sha2::Digest;
    let h = sha2::Sha256::digest(hub_id.as_bytes());
    u32::from_le_bytes([h[0], h[1], h[2], h[3]])
}

/// [`SyncRequest`] as devices sent it before `hub_tag`.
#[derive(Deserialize)]
struct SyncRequestBeforeHubTag {
    protocol: u16,
    session: Option<u64>,
    cursor: u64,
    pending_docs: u32,
    push: Vec<PushDoc>,
    resend: Vec<String>,
    erase: Vec<EraseRequest>,
    epochs: Vec<DocEpoch>,
    device_time: Option<i64>,
}

/// [`SyncRequest`] as devices sent it before `device_time`.
#[derive(Deserialize)]
struct SyncRequestBeforeDeviceTime {
    protocol: u16,
    session: Option<u64>,
    cursor: u64,
    pending_docs: u32,
    push: Vec<PushDoc>,
    resend: Vec<String>,
    erase: Vec<EraseRequest>,
    epochs: Vec<DocEpoch>,
}

/// Decodes a sync request, from a device of now or of before `device_time`.
pub fn decode_sync_request(body: &[u8]) -> Result<SyncRequest, WireError> {
    let e = match decode::<SyncRequest>(body) {
        Ok(req) => return Ok(req),
        Err(e) => e,
    };
    if let Ok(old) = decode::<SyncRequestBeforeHubTag>(body) {
        return Ok(SyncRequest {
            protocol: old.protocol,
            session: old.session,
            cursor: old.cursor,
            pending_docs: old.pending_docs,
            push: old.push,
            resend: old.resend,
            erase: old.erase,
            epochs: old.epochs,
            device_time: old.device_time,
            hub_tag: None,
        });
    }
    let old: SyncRequestBeforeDeviceTime = decode(body).map_err(|_| e)?;
    Ok(SyncRequest {
        protocol: old.protocol,
        session: old.session,
        cursor: old.cursor,
        pending_docs: old.pending_docs,
        push: old.push,
        resend: old.resend,
        erase: old.erase,
        epochs: old.epochs,
        device_time: None,
        hub_tag: None,
    })
}

/// A request to erase a household (`member = None`) or one member's personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EraseRequest {
    pub id: String,
    pub member: Option<String>,
}

/// What became of an erasure request a device sent (see docs/SECURITY.md, "Erasure requests").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EraseRequestState {
    /// Carried out (the erasure itself travels in `SyncResponse.erased`), or nothing of it is
    /// on the hub (a household that never reached it, a member already gone): the device
    /// forgets the request.
    Erased,
    /// Filed: a coordinator decides. The device keeps the household as it is, not editable.
    Pending,
    /// A coordinator refused it, or the household is outside the device's area.
    Refused,
}

/// The hub's answer to one [`EraseRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EraseAnswer {
    pub id: String,
    pub member: Option<String>,
    pub state: EraseRequestState,
}

/// The erasure state of a document: `epoch` counts the rewrites by erasure (0 = never erased);
/// `gone` = the whole household was erased (a tombstone: no document exists any more).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocEpoch {
    pub id: String,
    pub epoch: u32,
    pub gone: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushDoc {
    pub id: String,
    /// The document's heads on the device (after these changes). Empty when `changes` is the
    /// whole document: the hub reads them from it (32 incompressible bytes per document saved).
    pub heads: Vec<Head>,
    /// Automerge changes after the shared heads (`save_after`), concatenated.
    pub changes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncResponse {
    pub session: u64,
    /// One result per pushed document, in the order pushed.
    pub results: Vec<PushResult>,
    /// Changes of the device's area the device does not have yet.
    pub pull: Vec<PullDoc>,
    /// Store `pull`, then remember this cursor.
    pub cursor: u64,
    /// More of the area's changes wait: send another request with the new cursor.
    pub more: bool,
    /// Nothing was pushed and nothing is to be pulled: the hub closed the session as a success
    /// and the device need not send `finish`.
    pub finished: bool,
    /// Erasures of the device's area after its cursor: the device drops its copy of each
    /// document whose epoch it has not reached (and, when not `gone`, gets the rewritten one in
    /// `pull`).
    pub erased: Vec<DocEpoch>,
    /// The device's area as the hub holds it now, in the first answer of a session: a device
    /// drops the households of hamlets that left it and asks again from the start for hamlets
    /// that joined it. Last, so that a device of before it reads an answer of a hub that sends
    /// it (postcard ignores trailing bytes); a device reads an older hub's answer without it
    /// through [`decode_sync_response`].
    pub area: Option<AreaInfo>,
    /// One answer per erasure request of the request, after `area` for the same reason; `None`
    /// from a hub of before it, which erased on a device's request at once.
    pub erase_answers: Option<Vec<EraseAnswer>>,
    /// The hub's clock when it answered (Unix seconds), after `erase_answers` for the same
    /// reason: the device measures its own clock's error against it.
    pub hub_time: Option<i64>,
    /// The hub's lineage, in the first answer of a session: its generation (raised by every
    /// restore from a backup) and its sequence number. A device that last synced with
    /// another generation, or whose cursor is past the hub's sequence, reconciles (see
    /// [`ReconcileRequest`]). After `hub_time` for the same reason.
    pub lineage: Option<HubLineage>,
    /// One proof per entry of `erased`, in order: a tag by which this hub recognises the
    /// erasure as its own when a device tells it back after a restore (see [`ErasureClaim`]).
    pub erased_proofs: Vec<ErasureProof>,
    /// With `area`: the retired hamlets of the commune merged into one of the area's (issue 17).
    /// A household the device still holds in `from` moves to `into` on the device instead of
    /// being dropped, so work not yet sent is kept. After `erased_proofs` for the same reason.
    pub merged_hamlets: Vec<MergedHamlet>,
}

/// [`SyncResponse`] as hubs sent it before `merged_hamlets`.
#[derive(Deserialize)]
struct SyncResponseBeforeMergedHamlets {
    session: u64,
    results: Vec<PushResult>,
    pull: Vec<PullDoc>,
    cursor: u64,
    more: bool,
    finished: bool,
    erased: Vec<DocEpoch>,
    area: Option<AreaInfo>,
    erase_answers: Option<Vec<EraseAnswer>>,
    hub_time: Option<i64>,
    lineage: Option<HubLineage>,
    erased_proofs: Vec<ErasureProof>,
}

/// The hub a device talks to, as far as a device can tell (see [`SyncResponse::lineage`]; the
/// hub's identity is checked by the hub, from [`SyncRequest::hub_tag`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubLineage {
    /// 0, then one more at each restore from a backup.
    pub generation: u32,
    /// The hub's sequence number when it answered: a cursor past it means the hub lost writes.
    pub seq: u64,
}

/// A hub's tag on one of its erasures: 16 bytes of HMAC-SHA-256 under a key only the hub holds
/// (and its backups), over the document id, the epoch and whether it was erased whole.
pub type ErasureProof = [u8; 16];

/// [`SyncResponse`] as hubs sent it before `lineage`.
#[derive(Deserialize)]
struct SyncResponseBeforeLineage {
    session: u64,
    results: Vec<PushResult>,
    pull: Vec<PullDoc>,
    cursor: u64,
    more: bool,
    finished: bool,
    erased: Vec<DocEpoch>,
    area: Option<AreaInfo>,
    erase_answers: Option<Vec<EraseAnswer>>,
    hub_time: Option<i64>,
}

/// [`SyncResponse`] as hubs sent it before `hub_time`.
#[derive(Deserialize)]
struct SyncResponseBeforeHubTime {
    session: u64,
    results: Vec<PushResult>,
    pull: Vec<PullDoc>,
    cursor: u64,
    more: bool,
    finished: bool,
    erased: Vec<DocEpoch>,
    area: Option<AreaInfo>,
    erase_answers: Option<Vec<EraseAnswer>>,
}

/// A revoked device's report that it wiped its register: every household of the commune, the
/// enrolment and its token are gone from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WipedRequest {
    pub protocol: u16,
    /// Households the device dropped.
    pub households: u32,
}

/// [`SyncResponse`] as hubs sent it before `erase_answers`.
#[derive(Deserialize)]
struct SyncResponseBeforeEraseAnswers {
    session: u64,
    results: Vec<PushResult>,
    pull: Vec<PullDoc>,
    cursor: u64,
    more: bool,
    finished: bool,
    erased: Vec<DocEpoch>,
    area: Option<AreaInfo>,
}

/// [`SyncResponse`] as hubs sent it before `area`.
#[derive(Deserialize)]
struct SyncResponseBeforeArea {
    session: u64,
    results: Vec<PushResult>,
    pull: Vec<PullDoc>,
    cursor: u64,
    more: bool,
    finished: bool,
    erased: Vec<DocEpoch>,
}

/// Decodes a sync answer, from a hub of now or of before `erase_answers` or `area`.
pub fn decode_sync_response(body: &[u8]) -> Result<SyncResponse, WireError> {
    let e = match decode::<SyncResponse>(body) {
        Ok(answer) => return Ok(answer),
        Err(e) => e,
    };
    if let Ok(old) = decode::<SyncResponseBeforeMergedHamlets>(body) {
        return Ok(SyncResponse {
            session: old.session,
            results: old.results,
            pull: old.pull,
            cursor: old.cursor,
            more: old.more,
            finished: old.finished,
            erased: old.erased,
            area: old.area,
            erase_answers: old.erase_answers,
            hub_time: old.hub_time,
            lineage: old.lineage,
            erased_proofs: old.erased_proofs,
            merged_hamlets: Vec::new(),
        });
    }
    if let Ok(old) = decode::<SyncResponseBeforeLineage>(body) {
        return Ok(SyncResponse {
            session: old.session,
            results: old.results,
            pull: old.pull,
            cursor: old.cursor,
            more: old.more,
            finished: old.finished,
            erased: old.erased,
            area: old.area,
            erase_answers: old.erase_answers,
            hub_time: old.hub_time,
            lineage: None,
            erased_proofs: Vec::new(),
            merged_hamlets: Vec::new(),
        });
    }
    if let Ok(old) = decode::<SyncResponseBeforeHubTime>(body) {
        return Ok(SyncResponse {
            session: old.session,
            results: old.results,
            pull: old.pull,
            cursor: old.cursor,
            more: old.more,
            finished: old.finished,
            erased: old.erased,
            area: old.area,
            erase_answers: old.erase_answers,
            hub_time: None,
            lineage: None,
            erased_proofs: Vec::new(),
            merged_hamlets: Vec::new(),
        });
    }
    if let Ok(old) = decode::<SyncResponseBeforeEraseAnswers>(body) {
        return Ok(SyncResponse {
            session: old.session,
            results: old.results,
            pull: old.pull,
            cursor: old.cursor,
            more: old.more,
            finished: old.finished,
            erased: old.erased,
            area: old.area,
            erase_answers: None,
            hub_time: None,
            lineage: None,
            erased_proofs: Vec::new(),
            merged_hamlets: Vec::new(),
        });
    }
    let old: SyncResponseBeforeArea = decode(body).map_err(|_| e)?;
    Ok(SyncResponse {
        session: old.session,
        results: old.results,
        pull: old.pull,
        cursor: old.cursor,
        more: old.more,
        finished: old.finished,
        erased: old.erased,
        area: None,
        erase_answers: None,
        hub_time: None,
        lineage: None,
        erased_proofs: Vec::new(),
        merged_hamlets: Vec::new(),
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResult {
    pub id: String,
    pub outcome: PushOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PushOutcome {
    /// Durably stored (or already there). The device's heads it sent are now shared.
    Stored,
    /// The hub lacks changes these depend on: send the whole document.
    NeedFull,
    /// Refused, alone; the others of the batch are unaffected.
    Rejected {
        code: String,
        message_vi: String,
        message_en: String,
    },
    /// The document was erased (or rewritten by an erasure) after the version the device holds:
    /// the device drops its copy; when not `gone`, it asks for the rewritten one whole.
    Erased { epoch: u32, gone: bool },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullDoc {
    pub id: String,
    /// The hub's heads of the document. Empty when `changes` is the whole document: the device
    /// reads them from it.
    pub heads: Vec<Head>,
    /// Changes after the heads the hub knows the device has (or the whole document).
    pub changes: Vec<u8>,
}

// --- reconciliation with a restored or rebuilt hub (postcard + zstd) ------------------------

/// A device's offer of what it holds, to a hub that lost some of it (a restore from a backup, a
/// rebuild). Two steps, each one request: first a digest per bucket of documents, then, for the
/// buckets whose digest differs from the hub's, one fingerprint per document. A fingerprint is
/// the first 8 bytes of SHA-256 over the id and the sorted heads; a document goes to bucket
/// `u32(first 4 bytes of SHA-256(id), little-endian) % buckets`; a bucket's digest is the first 8
/// bytes of SHA-256 over its fingerprints, sorted. So 10,000 households in agreement cost 625
/// digests (5 KB), and each differing bucket 16 fingerprints more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReconcileRequest {
    pub protocol: u16,
    /// The number of buckets (at least 1).
    pub buckets: u32,
    /// Step 1: one digest per bucket, in bucket order (empty in step 2).
    pub digests: Vec<[u8; 8]>,
    /// Step 2: the fingerprints of the buckets the hub found different.
    pub detail: Vec<BucketDetail>,
    /// Step 1: the erasures this device knows of, each with the hub's proof, so a hub restored
    /// from before them carries them out again instead of bringing the households back.
    pub erasures: Vec<ErasureClaim>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketDetail {
    pub bucket: u32,
    /// The fingerprints of the bucket's documents, in the device's order.
    pub fingerprints: Vec<[u8; 8]>,
}

/// An erasure the device learnt from the hub, told back with the hub's own proof of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureClaim {
    pub erasure: DocEpoch,
    pub proof: ErasureProof,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReconcileResponse {
    /// Step 1: the buckets whose digest differs from the hub's, ascending.
    pub differing: Vec<u32>,
    /// Step 2: per entry of `detail`, the positions of the fingerprints the hub lacks (the device
    /// sends those documents whole).
    pub lacking: Vec<Vec<u32>>,
    /// Step 1: erasures carried out again from the claims.
    pub reinstated: u32,
}

/// The last round trip: the device has stored everything it was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinishRequest {
    pub protocol: u16,
    pub session: u64,
    pub outcome: SessionOutcome,
    /// The cursor the device stored.
    pub cursor: u64,
    /// Documents still pending on the device after this sync (rejected ones, or edited meanwhile).
    pub pending_docs: u32,
    /// A short error code when the outcome is not a success (never personal data).
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionOutcome {
    Success,
    /// Finished, with some documents rejected by the hub.
    Partial,
    Cancelled,
    Failed,
}

impl SessionOutcome {
    pub fn code(self) -> &'static str {
        match self {
            SessionOutcome::Success => "success",
            SessionOutcome::Partial => "partial",
            SessionOutcome::Cancelled => "cancelled",
            SessionOutcome::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinishResponse {
    pub session: u64,
}

// --- encoding ------------------------------------------------------------------------------

/// Why a body could not be decoded.
#[derive(Debug, thiserror::Error)]
#[error("bad body: {0}")]
pub struct WireError(pub String);

/// postcard, then zstd.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let raw = postcard::to_stdvec(value).expect("postcard encoding of wire types cannot fail");
    zstd::bulk::compress(&raw, ZSTD_LEVEL).expect("zstd compression of a buffer cannot fail")
}

/// [`encode`] at the level of a phone's pushes: fewer bytes for more of the phone's CPU.
pub fn encode_push<T: Serialize>(value: &T) -> Vec<u8> {
    let raw = postcard::to_stdvec(value).expect("postcard encoding of wire types cannot fail");
    zstd::bulk::compress(&raw, PUSH_LEVEL).expect("zstd compression of a buffer cannot fail")
}

/// zstd, then postcard; refuses bodies that decompress beyond [`MAX_BODY`].
pub fn decode<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, WireError> {
    let mut raw = Vec::new();
    let decoder = zstd::stream::read::Decoder::new(body).map_err(|e| WireError(e.to_string()))?;
    use std::io::Read;
    decoder
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut raw)
        .map_err(|e| WireError(format!("zstd: {e}")))?;
    if raw.len() > MAX_BODY {
        return Err(WireError("body too large".into()));
    }
    postcard::from_bytes(&raw).map_err(|e| WireError(format!("postcard: {e}")))
}

/// SHA-256 as lowercase hex (token hashes, certificate pins).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_small_empty_request() {
        let req = SyncRequest {
            protocol: PROTOCOL_VERSION,
            cursor: 12345,
            ..Default::default()
        };
        let body = encode(&req);
        assert!(body.len() < 32, "empty request is {} bytes", body.len());
        assert_eq!(decode::<SyncRequest>(&body).unwrap(), req);
    }

    /// A hub of before `merged_hamlets` and a hub of now, read by devices of now and of before.
    #[test]
    fn merged_hamlets_travel_last() {
        let answer = SyncResponse {
            session: 3,
            results: vec![],
            pull: vec![],
            cursor: 9,
            more: false,
            finished: true,
            erased: vec![],
            area: Some(AreaInfo {
                area_id: "a".into(),
                name: "Cụm Đông".into(),
                province_code: "01".into(),
                commune_code: "00004".into(),
                hamlets: vec![HamletInfo {
                    id: "thon-moi".into(),
                    name: "Thôn Mới".into(),
                }],
            }),
            erase_answers: Some(vec![]),
            hub_time: Some(1_790_000_000),
            lineage: None,
            erased_proofs: vec![],
            merged_hamlets: vec![MergedHamlet {
                from: "thon-cu".into(),
                into: "thon-moi".into(),
            }],
        };
        let now = encode(&answer);
        assert_eq!(decode_sync_response(&now).unwrap(), answer);
        let device_of_before = decode::<SyncResponseBeforeMergedHamlets>(&now).unwrap();
        assert_eq!(device_of_before.area, answer.area);
        // The same answer from a hub of before: the raw body without its last field.
        let mut raw = postcard::to_stdvec(&SyncResponse {
            merged_hamlets: vec![],
            ..answer.clone()
        })
        .unwrap();
        assert_eq!(raw.pop(), Some(0), "an empty list is one byte");
        let before = zstd::bulk::compress(&raw, 3).unwrap();
        let read = decode_sync_response(&before).unwrap();
        assert_eq!((read.area, read.merged_hamlets), (answer.area, vec![]));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode::<SyncRequest>(b"not zstd").is_err());
        let bad = zstd::bulk::compress(&[0xff; 10], 3).unwrap();
        assert!(decode::<SyncResponse>(&bad).is_err());
    }
}
