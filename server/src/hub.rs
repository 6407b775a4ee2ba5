//! The hub's side of the protocol (docs/sync-protocol.md), independent of HTTP: [`Hub::handle`]
//! takes (path, bearer token, body) and returns an answer; the axum server and the in-process
//! transport both call it.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use gocua_core::HouseholdDoc;
use gocua_core::model::{DeviceId, Household, HouseholdId, is_valid_id};
use gocua_core::sync::bundle_wire::{PATH_BUNDLE, PATH_KEYS};
use gocua_core::sync::merge::{
    MergeError, Merged, changes_after, device_actor_hex, is_whole_as_one_change, merge_changes,
    sender_heads,
};
use gocua_core::sync::wire::*;
use gocua_core::sync::{InProcess, Response};
use gocua_core::validate::validate_document;

mod bundles;
mod erasure;
mod merged;
mod pull_cache;
mod reconcile;

pub use reconcile::erasure_proof;

pub use bundles::{Delivered, DeliveryError, Via};
pub use merged::{MergeDone, MergeRefusal};

use crate::projection;
use crate::store::*;

/// Times a push or an erasure is merged again when a document changed meanwhile (written by
/// another hub process on the same database: see `store/mod.rs`).
const MERGE_ATTEMPTS: u32 = 10;

/// A clock error beyond a century is recorded as a century.
const MAX_SKEW_SECS: i64 = 100 * 366 * 86_400;

/// Erasure requests a device may send in one request.
const MAX_ERASE_PER_REQUEST: usize = 1000;
/// Erasure notices sent in one answer (more make `more` true).
const MAX_ERASED_PER_ANSWER: usize = 10_000;

/// An error answer: HTTP status and a bilingual body without personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn new(status: u16, code: &str, vi: &str, en: &str) -> Self {
        Self {
            status,
            body: ErrorBody {
                code: code.into(),
                message_vi: vi.into(),
                message_en: en.into(),
            },
        }
    }

    pub fn bad_request(detail: &str) -> Self {
        Self::new(
            400,
            "bad_request",
            &format!("yêu cầu không hợp lệ: {detail}"),
            &format!("bad request: {detail}"),
        )
    }

    fn unauthorized() -> Self {
        Self::new(
            401,
            "unauthorized",
            "thiết bị chưa được ghép hoặc mã thiết bị sai",
            "unknown or missing device token",
        )
    }

    fn revoked() -> Self {
        Self::new(
            403,
            "revoked",
            "thiết bị đã bị thu hồi quyền đồng bộ",
            "this device was revoked",
        )
    }

    fn paused() -> Self {
        Self::new(
            403,
            "paused",
            "xã đã tạm dừng thiết bị này; dữ liệu trên máy vẫn được giữ, hãy hỏi cán bộ xã",
            "the commune paused this device; its data stays on it: ask the commune's coordinator",
        )
    }

    pub fn internal() -> Self {
        Self::new(
            500,
            "internal",
            "lỗi máy chủ, thử lại sau",
            "hub error, try again later",
        )
    }

    pub(crate) fn protocol() -> Self {
        Self::new(
            409,
            "protocol_version",
            "phiên bản giao thức không khớp",
            "unsupported protocol version",
        )
    }

    pub fn into_response(self) -> Response {
        Response {
            status: self.status,
            body: serde_json::to_vec(&self.body).unwrap_or_default(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        tracing::error!(code = e.code(), error = %e, "store error");
        match e {
            // Still changing after every retry: the device tries again later.
            StoreError::ChangedMeanwhile { .. } => ApiError::new(
                503,
                "busy",
                "hộ đang được cập nhật, thử lại sau",
                "the household is being updated, try again later",
            ),
            _ => ApiError::internal(),
        }
    }
}

/// A document changed on the hub (an erasure's rewrite, a coordinator's edit) as a write: its
/// snapshot, heads and query rows ([`projection::project`]) from the document in hand, merged
/// from the stored version `expected_seq`.
pub fn write_of(
    id: &str,
    doc: &mut HouseholdDoc,
    expected_seq: Option<u64>,
    at: DateTime<Utc>,
) -> gocua_core::Result<DocWrite> {
    let h = doc.read()?;
    let conflicts = doc.conflicts()?.len();
    Ok(DocWrite {
        id: id.to_owned(),
        bytes: doc.save(),
        commune: h.area.commune_code.clone(),
        hamlet: h.area.hamlet_id.clone(),
        heads: doc.heads(),
        rows: projection::project(&h, conflicts, at),
        expected_seq,
    })
}

/// Why a household changed on the hub (a coordinator's correction, a hamlet merge) was not
/// written.
#[derive(Debug)]
pub enum HubWriteRefused {
    /// It breaks a whole-document rule: the first problem, in each language.
    Invalid {
        vi: String,
        en: String,
    },
    /// The household changed since it was loaded.
    Stale,
    Store(StoreError),
}

/// Writes a household changed on the hub in `by`'s name (`coordinator:<id>`): it passes the same
/// whole-document rules as a device's push, then gets a new sequence number so the phones of its
/// area receive it. `seq` is the sequence it was loaded at.
pub fn write_validated(
    store: &dyn HubStore,
    doc_id: &str,
    seq: u64,
    doc: &mut HouseholdDoc,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), HubWriteRefused> {
    let corrupt = || HubWriteRefused::Invalid {
        vi: "tài liệu hộ không đọc được".into(),
        en: "the household document cannot be read".into(),
    };
    let household = doc.read().map_err(|_| corrupt())?;
    let size = doc.save().len();
    let report = validate_document(doc, &household, size, now);
    if let Some(issue) = report.errors().next() {
        return Err(HubWriteRefused::Invalid {
            vi: issue.message_vi.clone(),
            en: issue.message_en.clone(),
        });
    }
    let write = write_of(doc_id, doc, Some(seq), now).map_err(|_| corrupt())?;
    let dash = store
        .dashboard()
        .ok_or(HubWriteRefused::Store(StoreError::OutOfRange {
            what: "dashboard",
        }))?;
    dash.write_hub_doc(&write, by, now).map_err(|e| match e {
        StoreError::ChangedMeanwhile { .. } => HubWriteRefused::Stale,
        e => HubWriteRefused::Store(e),
    })
}

/// Knobs of the hub.
#[derive(Debug, Clone)]
pub struct HubConfig {
    /// Changes sent to a device per answer, before compression.
    pub pull_batch_bytes: usize,
    /// Documents looked at per answer.
    pub pull_batch_docs: usize,
    /// Pairing attempts allowed at once, then one per second (HTTP 429 beyond).
    pub enrol_burst: u32,
    /// Connections held at once and the rules each must keep (HTTP only).
    pub connections: crate::connections::ConnectionLimits,
    /// Bytes of whole request bodies held at once, across connections (HTTP only).
    pub body_budget_bytes: usize,
    /// Bytes of pulled documents kept to answer the next device asking for the same (see
    /// `hub/pull_cache.rs`); 0 keeps none.
    pub pull_cache_bytes: usize,
}

/// A household's whole form is 1 to 2 KB before compression: a commune of 10,000 households,
/// twice over.
pub const DEFAULT_PULL_CACHE_MB: usize = 32;

impl Default for HubConfig {
    fn default() -> Self {
        Self {
            // About 0.4 MB compressed per answer: a new phone on EDGE (50 kbit/s) gets each
            // answer well within its request timeout (4 MiB answers never arrived).
            pull_batch_bytes: 1024 * 1024,
            pull_batch_docs: 5000,
            enrol_burst: 60,
            connections: Default::default(),
            // Four of the largest requests at once; a week's batch is far smaller.
            body_budget_bytes: 128 * 1024 * 1024,
            pull_cache_bytes: DEFAULT_PULL_CACHE_MB * 1024 * 1024,
        }
    }
}

pub struct Hub {
    store: Arc<dyn HubStore>,
    config: HubConfig,
    /// One document merge at a time: a merge reads, merges and writes a document, and two at
    /// once would lose one's index update (never its changes, which are additive).
    write_lock: Mutex<()>,
    /// Pairing attempts, for the whole hub (a pairing code has ~50 bits, so guessing is hopeless
    /// anyway; this keeps a scanner from loading the hub).
    enrol_limiter: crate::limit::RateLimiter,
    /// Sync requests cut on the way, kept so that devices resume them (HTTP only).
    uploads: crate::upload::Uploads,
    /// Whole request bodies held at once (HTTP only).
    body_budget: crate::budget::BodyBudget,
    /// Pushed documents decoded and validated (once each: [`Hub::documents_decoded`]).
    decoded: std::sync::atomic::AtomicU64,
    /// What was pulled, for the next device pulling the same.
    pull_cache: pull_cache::PullCache,
    /// Stored documents decoded to answer pulls ([`Hub::pulls_decoded`]).
    pulls_decoded: std::sync::atomic::AtomicU64,
    clock: Box<dyn Fn() -> DateTime<Utc> + Send + Sync>,
}

/// The SHA-256 (hex) under which a token or pairing code is stored.
pub fn secret_hash(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

/// Normalises a typed pairing code: uppercase, no spaces or dashes.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn area_contains(area: &AreaInfo, commune: &str, hamlet: &str) -> bool {
    area.commune_code == commune
        && (area.hamlets.is_empty() || area.hamlets.iter().any(|h| h.id == hamlet))
}

fn reject(code: &str, vi: &str, en: &str) -> PushOutcome {
    PushOutcome::Rejected {
        code: code.into(),
        message_vi: vi.into(),
        message_en: en.into(),
    }
}

fn outside_area() -> PushOutcome {
    reject(
        "outside_area",
        "hộ này không thuộc địa bàn của thiết bị",
        "this household is not in the device's area",
    )
}

fn same_heads(a: &[Head], b: &[Head]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

/// What one request's pushes share: the ids seen (a document twice is refused), and how many
/// documents with other devices' changes the device may still carry (its refill budget).
struct PushRound {
    seen: HashSet<String>,
    carry: u32,
}

/// Who made a change cannot be forged: every change a push adds must carry the pushing
/// device's actor (changes of others reach the hub from their own devices), and the only entry
/// of the document's actor table a push may add or change is the device's own, naming its
/// enrolled volunteer and itself.
fn check_attribution(device: &DeviceRecord, merged: &Merged) -> Option<PushOutcome> {
    let own = device_actor_hex(&DeviceId(device.device_id.clone()));
    let own_entry = format!("{}|{}", device.volunteer_id, device.device_id);
    let forged = merged.new_actors.iter().any(|a| *a != own)
        || merged
            .actor_entries_changed
            .iter()
            .any(|(actor, entry)| *actor != own || *entry != own_entry);
    forged.then(|| {
        reject(
            "forged_actor",
            "tài liệu có thay đổi không do thiết bị này thực hiện",
            "the document holds changes this device did not make",
        )
    })
}

/// The core's whole-document rules (`validate_document`: every object, removed members and
/// conflicting values included, the document's shape and size); the first error, as a rejection.
pub fn check_document(
    doc: &mut HouseholdDoc,
    h: &Household,
    size: usize,
    now: DateTime<Utc>,
) -> Option<PushOutcome> {
    let report = validate_document(doc, h, size, now);
    report.errors().next().map(|i| {
        reject(
            "invalid",
            &format!("trường {} không hợp lệ: {}", i.field, i.message_vi),
            &format!("field {} is invalid: {}", i.field, i.message_en),
        )
    })
}

impl Hub {
    pub fn new(store: Arc<dyn HubStore>, config: HubConfig) -> Self {
        let enrol_burst = config.enrol_burst;
        let pull_cache = pull_cache::PullCache::new(config.pull_cache_bytes);
        let body_budget =
            crate::budget::BodyBudget::new(config.body_budget_bytes, crate::budget::MAX_BODY);
        Self {
            body_budget,
            store,
            config,
            write_lock: Mutex::new(()),
            enrol_limiter: crate::limit::RateLimiter::new(
                enrol_burst,
                std::time::Duration::from_secs(1),
            ),
            uploads: crate::upload::Uploads::new(),
            decoded: std::sync::atomic::AtomicU64::new(0),
            pull_cache,
            pulls_decoded: std::sync::atomic::AtomicU64::new(0),
            clock: Box::new(Utc::now),
        }
    }

    /// The hub reading the time from `clock` (tests of what depends on the day).
    pub fn with_clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    /// The sync requests being resumed.
    pub fn uploads(&self) -> &crate::upload::Uploads {
        &self.uploads
    }

    /// The bytes of request bodies held at once.
    pub fn body_budget(&self) -> &crate::budget::BodyBudget {
        &self.body_budget
    }

    pub fn config(&self) -> &HubConfig {
        &self.config
    }

    pub fn store(&self) -> &Arc<dyn HubStore> {
        &self.store
    }

    /// How many pushed documents this hub decoded and validated: one per pushed document (and
    /// per retry after a concurrent write); neither the projection nor the stores decode them
    /// again (a test counts it).
    pub fn documents_decoded(&self) -> u64 {
        self.decoded.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many stored documents this hub decoded to answer pulls: once per document, the heads
    /// a device has and the document's heads, while the pull cache holds it (a test counts it).
    pub fn pulls_decoded(&self) -> u64 {
        self.pulls_decoded
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Runs `f` while no sync merges documents: for writes made on the hub itself (a
    /// coordinator resolving a conflict), which read, change and write a document.
    pub fn exclusive<T>(&self, f: impl FnOnce() -> T) -> T {
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        f()
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// A transport that calls this hub in-process (tests, the demo).
    pub fn in_process(self: &Arc<Self>) -> InProcess {
        let hub = self.clone();
        InProcess::new(Arc::new(
            move |path: &str, token: Option<&str>, body: &[u8]| hub.handle(path, token, body),
        ))
    }

    /// Answers one request. A query string (a resumable request's) does not matter here: the
    /// body is the whole request.
    pub fn handle(&self, path: &str, token: Option<&str>, body: &[u8]) -> Response {
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        let result = match path {
            PATH_ENROL => match self.enrol_limiter.check("enrol") {
                Ok(()) => self.enrol(body),
                Err(_) => Err(ApiError::new(
                    429,
                    "rate_limited",
                    "quá nhiều lần ghép thiết bị, thử lại sau một phút",
                    "too many pairing attempts, try again in a minute",
                )),
            },
            PATH_SYNC => self.authenticate(token).and_then(|d| self.sync(&d, body)),
            PATH_FINISH => self.authenticate(token).and_then(|d| self.finish(&d, body)),
            PATH_WIPED => self.wiped(token, body),
            PATH_KEYS => self.authenticate(token).and_then(|d| self.keys(&d, body)),
            PATH_BUNDLE => self
                .authenticate(token)
                .and_then(|d| self.carried_bundle(&d, body)),
            PATH_RECONCILE => self
                .authenticate(token)
                .and_then(|d| self.reconcile(&d, body)),
            // In-process nothing is ever cut, so nothing is held.
            PATH_SYNC_UPLOAD => self.authenticate(token).and_then(|_| {
                serde_json::to_vec(&UploadStatus {
                    offset: 0,
                    answered: false,
                })
                .map_err(|_| ApiError::internal())
            }),
            _ => Err(ApiError::new(
                404,
                "not_found",
                "không có địa chỉ này",
                "no such endpoint",
            )),
        };
        match result {
            Ok(body) => Response { status: 200, body },
            Err(e) => e.into_response(),
        }
    }

    /// The enrolled, not revoked device holding `token`.
    pub fn authenticate(&self, token: Option<&str>) -> Result<DeviceRecord, ApiError> {
        let token = token
            .filter(|t| !t.is_empty() && t.len() <= 256)
            .ok_or_else(ApiError::unauthorized)?;
        let device = self
            .store
            .device_by_token_hash(&secret_hash(token))?
            .ok_or_else(ApiError::unauthorized)?;
        if device.revoked {
            return Err(ApiError::revoked());
        }
        if device.paused {
            return Err(ApiError::paused());
        }
        Ok(device)
    }

    /// A revoked device reports that it wiped its register: the one call a revoked token may
    /// make. Recorded once, with the audit log; any other device is refused as usual.
    fn wiped(&self, token: Option<&str>, body: &[u8]) -> Result<Vec<u8>, ApiError> {
        let device = match self.authenticate(token) {
            Err(e) if e.body.code == "revoked" => token
                .and_then(|t| {
                    self.store
                        .device_by_token_hash(&secret_hash(t))
                        .ok()
                        .flatten()
                })
                .ok_or_else(ApiError::unauthorized)?,
            Err(e) => return Err(e),
            Ok(_) => {
                return Err(ApiError::bad_request(
                    "only a revoked device reports a wipe",
                ));
            }
        };
        let req: WipedRequest = decode(body).map_err(|_| ApiError::bad_request("wiped body"))?;
        if req.protocol != PROTOCOL_VERSION {
            return Err(ApiError::protocol());
        }
        let now = self.now();
        if self.store.record_wipe(&device.device_id, now)? {
            self.store.audit(
                now,
                &format!("device:{}", device.device_id),
                "device.wiped",
                &format!("households:{}", req.households),
            )?;
        }
        Ok(Vec::new())
    }

    fn enrol(&self, body: &[u8]) -> Result<Vec<u8>, ApiError> {
        let req: EnrolRequest =
            serde_json::from_slice(body).map_err(|_| ApiError::bad_request("enrol body"))?;
        if req.protocol != PROTOCOL_VERSION {
            return Err(ApiError::protocol());
        }
        if !is_valid_id(&req.device_id) || !is_valid_id(&req.volunteer_id) {
            return Err(ApiError::bad_request("device or volunteer id"));
        }
        let token = hex::encode(rand::random::<[u8; 32]>());
        let code = normalise_code(&req.code);
        let redeemed = self.store.redeem_pairing(
            &secret_hash(&code),
            self.now(),
            &req.device_id,
            &req.volunteer_id,
            &req.commune_code,
            &secret_hash(&token),
        )?;
        let device = match redeemed {
            Ok(d) => d,
            Err(RedeemError::Invalid) => {
                return Err(ApiError::new(
                    403,
                    "pairing_invalid",
                    "mã ghép không hợp lệ, đã dùng hoặc đã hết hạn",
                    "the pairing code is invalid, used or expired",
                ));
            }
            Err(RedeemError::Mismatch) => {
                return Err(ApiError::new(
                    403,
                    "mismatch",
                    "mã ghép cấp cho tình nguyện viên hoặc xã khác với sổ này",
                    "the pairing code was issued for another volunteer or commune than this register's",
                ));
            }
            Err(RedeemError::DeviceExists) => {
                return Err(ApiError::new(
                    409,
                    "mismatch",
                    "thiết bị này đã được ghép",
                    "this device is already enrolled",
                ));
            }
        };
        let answer = EnrolResponse {
            hub_id: self.store.hub_id()?,
            device_id: device.device_id,
            token,
            volunteer_id: device.volunteer_id,
            area: device.area,
        };
        serde_json::to_vec(&answer).map_err(|_| ApiError::internal())
    }

    fn sync(&self, device: &DeviceRecord, body: &[u8]) -> Result<Vec<u8>, ApiError> {
        let request_bytes = body.len() as u64;
        let req: SyncRequest =
            decode_sync_request(body).map_err(|_| ApiError::bad_request("sync body"))?;
        if req.protocol != PROTOCOL_VERSION {
            return Err(ApiError::protocol());
        }
        // A device enrolled with another hub (this one rebuilt under a new identity, or another
        // machine at its address) is told so before anything of its request is read.
        if let Some(theirs) = req.hub_tag
            && theirs != hub_tag(&self.store.hub_id()?)
        {
            return Err(ApiError::new(
                409,
                "hub_changed",
                "máy chủ này không phải máy chủ thiết bị đã ghép; cần ghép lại",
                "this is not the hub the device enrolled with; enrol again",
            ));
        }
        // Malformed erasure requests refuse the whole request, before anything is recorded.
        if req.erase.len() > MAX_ERASE_PER_REQUEST {
            return Err(ApiError::bad_request("too many erasure requests"));
        }
        if req
            .erase
            .iter()
            .any(|e| !is_valid_id(&e.id) || e.member.as_deref().is_some_and(|m| !is_valid_id(m)))
        {
            return Err(ApiError::bad_request("erasure request id"));
        }
        let now = self.now();
        let session = match req.session {
            None => self.store.start_session(device, now, req.pending_docs)?,
            Some(s) => match self.store.session_device(s)? {
                Some((d, false)) if d == device.device_id => s,
                _ => return Err(ApiError::bad_request("session")),
            },
        };
        let first_request = req.session.is_none();
        if let (true, Some(t)) = (first_request, req.device_time) {
            // Bounded so a hostile value cannot overflow anything that reads it.
            let skew = t
                .saturating_sub(now.timestamp())
                .clamp(-MAX_SKEW_SECS, MAX_SKEW_SECS);
            self.store.record_clock_skew(&device.device_id, skew)?;
        }
        let area = &device.area;
        let write_guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        if first_request {
            self.store.audit(
                now,
                &format!("device:{}", device.device_id),
                "sync.start",
                &format!("session:{session}"),
            )?;
        }

        // 0. Erasures requested on the device: filed for a coordinator, never carried out on a
        // device's word (docs/SECURITY.md, "Erasure requests").
        let erase_answers = self.answer_erase_requests(device, &req.erase, now)?;
        let epochs: std::collections::HashMap<&str, u32> = req
            .epochs
            .iter()
            .map(|e| (e.id.as_str(), e.epoch))
            .collect();

        // 1. Each pushed document on its own: merge, check, keep or reject; then all written at
        // once, durable before the device is told "stored". Merged again when a document was
        // written meanwhile by another hub process (see `store/mod.rs`).
        let mut attempt = 0;
        let (results, writes, rejections) = loop {
            attempt += 1;
            let mut round = PushRound {
                seen: HashSet::new(),
                carry: device.refill_budget,
            };
            let pushed = self.merge_pushes(device, &req.push, &epochs, now, &mut round)?;
            let (results, writes, device_heads, rejections) = pushed;
            match self
                .store
                .commit_push(&device.device_id, &writes, &device_heads, now)
            {
                Ok(()) => {
                    let carried = device.refill_budget - round.carry;
                    if carried > 0 {
                        self.store.spend_refill(&device.device_id, carried)?;
                        self.store.audit(
                            now,
                            &format!("device:{}", device.device_id),
                            "refill.carried",
                            &format!("documents:{carried}"),
                        )?;
                    }
                    self.carry_into_kept(device, &writes, now);
                    break (results, writes, rejections);
                }
                Err(StoreError::ChangedMeanwhile { id }) if attempt < MERGE_ATTEMPTS => {
                    tracing::info!(doc = id, attempt, "written meanwhile, merging again");
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
        };
        // The pull only reads, and its cursor is the commit-ordered sequence, which a write
        // committed meanwhile can only extend (as with several hub processes on one database): so
        // other devices' pushes need not wait while this answer is read, built and compressed.
        // Measured by the 200-device load bench, where holding the lock through the pull queued
        // every request behind one thread.
        drop(write_guard);

        // 2. What of the area changed since the device's cursor, minus what it has.
        let resend: HashSet<&str> = req.resend.iter().map(String::as_str).collect();
        let (changed, max_seq) =
            self.store
                .changed_since(area, req.cursor, self.config.pull_batch_docs)?;
        let mut pull = Vec::new();
        let mut sent = Vec::new();
        let mut pull_bytes = 0usize;
        let mut cursor = req.cursor;
        let mut more = changed.len() >= self.config.pull_batch_docs;
        let mut listed = HashSet::new();
        for (id, seq) in &changed {
            if pull_bytes >= self.config.pull_batch_bytes {
                more = true;
                break;
            }
            listed.insert(id.clone());
            if let Some((doc, heads)) = self.pull_doc(device, id, resend.contains(id.as_str()))? {
                pull_bytes += doc.changes.len();
                sent.push((doc.id.clone(), heads));
                pull.push(doc);
            }
            cursor = *seq;
        }
        if !more {
            cursor = cursor.max(max_seq);
        }
        // Documents asked whole that were not in the range (the device's cursor moved past them).
        for id in &req.resend {
            if listed.contains(id) || !is_valid_id(id) {
                continue;
            }
            match self.store.load_doc(id)? {
                Some(rec) if area_contains(area, &rec.commune, &rec.hamlet) => {
                    if let Some((doc, heads)) = self.pull_doc(device, id, true)? {
                        sent.push((doc.id.clone(), heads));
                        pull.push(doc);
                    }
                }
                _ => {}
            }
        }

        // Erasures of the area the device has not been told of.
        let mut erased = self
            .store
            .erasures_since(area, req.cursor, MAX_ERASED_PER_ANSWER)?;
        if erased.len() >= MAX_ERASED_PER_ANSWER {
            more = true;
        }
        // And those its pushes ran into, so it holds the hub's proof of each.
        for r in &results {
            if let PushOutcome::Erased { epoch, gone } = r.outcome
                && !erased.iter().any(|e| e.id == r.id)
            {
                erased.push(DocEpoch {
                    id: r.id.clone(),
                    epoch,
                    gone,
                });
            }
        }
        let erased_proofs = self.erasure_proofs(&erased)?;
        let lineage = if first_request {
            Some(HubLineage {
                generation: self.store.lineage()?.0.clamp(0, u32::MAX as i64) as u32,
                seq: self.store.current_seq()?,
            })
        } else {
            None
        };
        let merged_hamlets = if first_request {
            self.store.merged_hamlets(&device.area)?
        } else {
            Vec::new()
        };
        let finished = first_request
            && req.push.is_empty()
            && pull.is_empty()
            && erased.is_empty()
            && !more
            && req.resend.is_empty();
        let answer = SyncResponse {
            session,
            results,
            pull,
            cursor,
            more,
            finished,
            erased,
            area: first_request.then(|| device.area.clone()),
            erase_answers: Some(erase_answers),
            hub_time: Some(now.timestamp()),
            lineage,
            erased_proofs,
            merged_hamlets,
        };
        let body = encode(&answer);
        let traffic = Traffic {
            docs_up: writes.len() as u32,
            bytes_up: request_bytes,
            docs_down: answer.pull.len() as u32,
            bytes_down: body.len() as u64,
            rejected: rejections.len() as u32,
        };
        self.store
            .record_traffic(session, &traffic, &sent, &rejections)?;
        if finished {
            self.store.finish_session(
                session,
                &device.device_id,
                SessionOutcome::Success,
                now,
                req.pending_docs,
                None,
            )?;
        }
        Ok(body)
    }

    /// What each pushed document gives: its outcome, the writes, what the device now has, and
    /// the rejections (document, code).
    #[allow(clippy::type_complexity)]
    fn merge_pushes(
        &self,
        device: &DeviceRecord,
        push: &[PushDoc],
        epochs: &std::collections::HashMap<&str, u32>,
        now: DateTime<Utc>,
        round: &mut PushRound,
    ) -> Result<
        (
            Vec<PushResult>,
            Vec<DocWrite>,
            Vec<(String, Vec<Head>)>,
            Vec<(String, String)>,
        ),
        ApiError,
    > {
        let mut results = Vec::with_capacity(push.len());
        let mut writes = Vec::new();
        let mut device_heads = Vec::new();
        let mut rejections = Vec::new();
        for doc in push {
            let epoch = epochs.get(doc.id.as_str()).copied().unwrap_or(0);
            let outcome = match self.store.doc_epoch(&doc.id)? {
                // Changes of an erased household, or of a copy older than its rewrite: refused,
                // and the device told to drop its copy.
                Some(e) if e.gone || epoch < e.epoch => {
                    round.seen.insert(doc.id.clone());
                    PushOutcome::Erased {
                        epoch: e.epoch,
                        gone: e.gone,
                    }
                }
                Some(e) if epoch > e.epoch => reject(
                    "bad_epoch",
                    "phiên bản xoá dữ liệu không khớp",
                    "the erasure epoch does not match the hub's",
                ),
                // Refilling a hub rebuilt without the erasure's record: a household the hub does
                // not hold at all comes back as the device holds it, at its epoch.
                None if epoch > 0
                    && round.carry > 0
                    && self.store.load_doc(&doc.id)?.is_none()
                    && is_valid_id(&doc.id) =>
                {
                    let at = DocEpoch {
                        id: doc.id.clone(),
                        epoch,
                        gone: false,
                    };
                    let actor = format!("device:{}", device.device_id);
                    self.store.reinstate_erasure(
                        &at,
                        &device.area.commune_code,
                        "",
                        now,
                        &actor,
                    )?;
                    self.check_push(device, doc, round, now, &mut writes, &mut device_heads)
                }
                None if epoch > 0 => reject(
                    "bad_epoch",
                    "phiên bản xoá dữ liệu không khớp",
                    "the erasure epoch does not match the hub's",
                ),
                _ => self.check_push(device, doc, round, now, &mut writes, &mut device_heads),
            };
            if let PushOutcome::Rejected { code, .. } = &outcome {
                rejections.push((doc.id.clone(), code.clone()));
            }
            results.push(PushResult {
                id: doc.id.clone(),
                outcome,
            });
        }
        Ok((results, writes, device_heads, rejections))
    }

    fn check_push(
        &self,
        device: &DeviceRecord,
        doc: &PushDoc,
        round: &mut PushRound,
        now: DateTime<Utc>,
        writes: &mut Vec<DocWrite>,
        device_heads: &mut Vec<(String, Vec<Head>)>,
    ) -> PushOutcome {
        if !is_valid_id(&doc.id) {
            return reject("bad_id", "mã hộ không hợp lệ", "invalid household id");
        }
        if !round.seen.insert(doc.id.clone()) {
            return reject(
                "duplicate",
                "hộ gửi hai lần trong một lô",
                "household sent twice in one batch",
            );
        }
        let existing = match self.store.load_doc(&doc.id) {
            Ok(e) => e,
            Err(e) => {
                tracing::error!(code = e.code(), error = %e, "store error");
                return reject(
                    "internal",
                    "lỗi máy chủ, thử lại sau",
                    "hub error, try again later",
                );
            }
        };
        if let Some(e) = &existing
            && !area_contains(&device.area, &e.commune, &e.hamlet)
        {
            return outside_area();
        }
        // The one decode of this document: merged, read and validated here; its query rows are
        // projected below from the household read here.
        self.decoded
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut merged = match merge_changes(
            &HouseholdId(doc.id.clone()),
            existing.as_ref().map(|e| e.bytes.as_slice()),
            &doc.changes,
        ) {
            Ok(m) => m,
            Err(MergeError::MissingDeps) => return PushOutcome::NeedFull,
            Err(MergeError::WrongId) => {
                return reject(
                    "wrong_id",
                    "tài liệu thuộc hộ khác",
                    "the document belongs to another household",
                );
            }
            Err(MergeError::Corrupt(_)) => {
                return reject(
                    "corrupt",
                    "tài liệu hộ bị hỏng, không đọc được",
                    "the household document is corrupt and cannot be read",
                );
            }
        };
        let h = &merged.household;
        if !area_contains(&device.area, &h.area.commune_code, &h.area.hamlet_id)
            || h.area.province_code != device.area.province_code
        {
            return outside_area();
        }
        if let Some(rejection) = check_attribution(device, &merged) {
            // Refilling a hub that lost writes, a phone carries other phones' changes too.
            if round.carry == 0 {
                return rejection;
            }
            round.carry -= 1;
        }
        if merged.changed
            && let Some(rejection) = check_document(
                &mut merged.doc,
                &merged.household,
                merged.snapshot.len(),
                now,
            )
        {
            return rejection;
        }
        // A whole document comes without its heads.
        let Ok(heads) = sender_heads(&doc.heads, existing.is_some(), &merged, &doc.changes) else {
            return reject(
                "corrupt",
                "tài liệu hộ bị hỏng, không đọc được",
                "the household document is corrupt and cannot be read",
            );
        };
        if merged.changed {
            // The conflicts of the merged document, from the copy the merge already loaded.
            let conflicts = match merged.doc.conflicts() {
                Ok(c) => c.len(),
                Err(_) => {
                    return reject(
                        "corrupt",
                        "tài liệu hộ bị hỏng, không đọc được",
                        "the household document is corrupt and cannot be read",
                    );
                }
            };
            writes.push(DocWrite {
                id: doc.id.clone(),
                commune: h.area.commune_code.clone(),
                hamlet: h.area.hamlet_id.clone(),
                heads: merged.heads.clone(),
                rows: projection::project(h, conflicts, now),
                expected_seq: existing.as_ref().map(|e| e.seq),
                bytes: merged.snapshot,
            });
            // A new household pushed as its one change is already the whole form every other
            // phone of the area will pull: kept now, none of them costs a decode.
            if existing.is_none()
                && let [head] = merged.heads[..]
                && is_whole_as_one_change(&doc.changes, &head)
            {
                self.pull_cache
                    .put(&doc.id, &[], &merged.heads, &doc.changes);
            }
        }
        device_heads.push((doc.id.clone(), heads));
        PushOutcome::Stored
    }

    fn pull_doc(
        &self,
        device: &DeviceRecord,
        id: &str,
        whole: bool,
    ) -> Result<Option<(PullDoc, Vec<Head>)>, ApiError> {
        let Some(rec) = self.store.load_doc(id)? else {
            return Ok(None);
        };
        let known = if whole {
            Vec::new()
        } else {
            self.store.device_heads(&device.device_id, id)?
        };
        // The device has it as it is: nothing to send, and no need to decode it to know (a
        // phone that refills a restored hub asks for its whole area again).
        if !known.is_empty() && same_heads(&known, &rec.heads) {
            return Ok(None);
        }
        let (changes, heads) = match self.pull_cache.get(id, &known, &rec.heads) {
            Some(changes) => (changes, rec.heads),
            None => {
                self.pulls_decoded
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let (changes, heads) = changes_after(&rec.bytes, &known).map_err(|e| {
                    tracing::error!(doc = id, error = %e, "stored document unreadable");
                    ApiError::internal()
                })?;
                // Kept under the heads stored beside the document only when the document
                // itself has them, so that a later lookup by those heads finds these changes.
                if !changes.is_empty() && same_heads(&heads, &rec.heads) {
                    self.pull_cache.put(id, &known, &heads, &changes);
                }
                (changes, heads)
            }
        };
        if changes.is_empty() {
            return Ok(None);
        }
        // A whole document carries its heads already.
        let wire_heads = if known.is_empty() {
            Vec::new()
        } else {
            heads.clone()
        };
        Ok(Some((
            PullDoc {
                id: id.to_owned(),
                heads: wire_heads,
                changes,
            },
            heads,
        )))
    }

    fn finish(&self, device: &DeviceRecord, body: &[u8]) -> Result<Vec<u8>, ApiError> {
        let req: FinishRequest = decode(body).map_err(|_| ApiError::bad_request("finish body"))?;
        if req.protocol != PROTOCOL_VERSION {
            return Err(ApiError::protocol());
        }
        match self.store.session_device(req.session)? {
            Some((d, _)) if d == device.device_id => {}
            _ => return Err(ApiError::bad_request("session")),
        }
        let error = req.error.as_deref().map(|e| {
            e.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(40)
                .collect::<String>()
        });
        let now = self.now();
        self.store.finish_session(
            req.session,
            &device.device_id,
            req.outcome,
            now,
            req.pending_docs,
            error.as_deref(),
        )?;
        self.store.audit(
            now,
            &format!("device:{}", device.device_id),
            &format!("sync.finish.{}", req.outcome.code()),
            &format!("session:{}", req.session),
        )?;
        Ok(encode(&FinishResponse {
            session: req.session,
        }))
    }
}
