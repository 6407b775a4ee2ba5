//! The device's side of sealed bundles (docs/sync-protocol.md, "Sealed bundles"): its keys,
//! exchanged with the hub while there is coverage; a bundle sealed from everything the hub lacks
//! of this device; the hub's answer applied as a sync's answer is. Sealing changes nothing the
//! device holds: what was sealed stays pending until the hub's answer, or a sync, settles it.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use super::bundle_wire::*;
use super::error::SyncError;
use super::plan::{Batch, Outbox, Queued, Sent, Slice, apply_answer, plan_batch};
use super::shared::SharedRegister;
use super::state::{self, Peer, Rejected};
use super::transport::Transport;
use super::wire::*;
use crate::bundle::{self, BundleError, BundleHeader, BundleKind, BundlePublic, BundleSecret};
use crate::register::Register;
use crate::store::Store;
use crate::store::erase;

/// The register's meta keys of bundles.
const META_SEED: &str = "bundle_seed";
const META_HUB_KEYS: &str = "bundle_hub_keys";
const META_RESEND: &str = "bundle_resend";
/// The area's other phones and their keys (JSON), and when the hub last said (RFC 3339).
pub(crate) const META_PEERS: &str = "bundle_peers";
const META_PEERS_AT: &str = "bundle_peers_at";
/// How often a sync asks the hub again for the area's phones (one small round trip, ~300 B):
/// a team enrolled together at the commune office knows each other by the syncs before leaving.
const PEERS_REFRESH_MINUTES: i64 = 10;
/// How long a sealed bundle is accepted: a carrier may take weeks to reach coverage. Its work
/// stays pending on the device meanwhile, so an expired bundle loses nothing.
const BUNDLE_LIFETIME_DAYS: i64 = 90;

/// A bundle sealed on this device, ready to be written to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedBundle {
    pub id: String,
    pub bytes: Vec<u8>,
    pub households: u32,
    pub erase_requests: u32,
    pub created_at: DateTime<Utc>,
}

/// A bundle sealed here, as the device lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedInfo {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub households: u32,
    pub bytes: u64,
    /// When its answer was applied, or a sync made it moot.
    pub answered_at: Option<DateTime<Utc>>,
    /// `bundle` (its answer came back) or `sync` (a sync sent the same work).
    pub answered_via: Option<String>,
}

/// What applying the hub's answer did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleApplied {
    pub answers: String,
    pub pushed: u32,
    pub pulled: u32,
    pub erased: u32,
    pub rejected: Vec<Rejected>,
    /// Documents the hub lacked the history of: they go whole in the next bundle or sync.
    pub to_send_whole: u32,
    /// Older than what this device already had from the hub: its documents merged, its area,
    /// cursor and lineage ignored.
    pub stale: bool,
}

/// What a sealed bundle carried, kept until its answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SealedPlan {
    cursor: u64,
    docs: Vec<SealedDoc>,
    erase: Vec<EraseRequest>,
    resend: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SealedDoc {
    id: String,
    seq: i64,
    heads: Vec<Head>,
    /// The household's erasure epoch when sealed: an answer about an older copy is ignored.
    epoch: u32,
}

fn content_error(e: impl std::fmt::Display) -> SyncError {
    SyncError::Bundle(BundleError::Content(e.to_string()))
}

/// This device's bundle secret, made on first use.
fn device_secret(reg: &mut Register) -> Result<BundleSecret, SyncError> {
    if let Some(seed) = reg.sync_store().meta(META_SEED)?
        && let Some(seed) = hex::decode(seed).ok().and_then(|s| s.try_into().ok())
    {
        return Ok(BundleSecret::from_seed(seed));
    }
    let secret = BundleSecret::generate()?;
    let seed = hex::encode(secret.seed());
    reg.sync_store_mut()
        .write(|tx| Store::set_meta(tx, META_SEED, &seed))?;
    Ok(secret)
}

fn hub_keys(conn: &Store) -> Result<Option<BundlePublic>, SyncError> {
    match conn.meta(META_HUB_KEYS)? {
        None => Ok(None),
        Some(hex) => Ok(Some(BundlePublic::from_hex(&hex)?)),
    }
}

/// Whether this device and its hub have exchanged bundle keys.
pub(crate) fn keys_exchanged(reg: &Register) -> Result<bool, SyncError> {
    Ok(reg.sync_store().meta(META_HUB_KEYS)?.is_some())
}

/// Registers this device's bundle keys with the hub and keeps the hub's. A hub of before
/// bundles (404) is not an error: bundles stay unavailable until it is updated. The register is
/// held only to make the request and to keep the answer, not while the request is on the
/// network.
pub(crate) fn exchange_keys<R: SharedRegister + ?Sized>(
    reg: &R,
    transport: &dyn Transport,
    peer: &Peer,
) -> Result<bool, SyncError> {
    let body = reg.with_register(keys_request)?;
    let Some(answer) = post_keys(transport, peer, body)? else {
        return Ok(false);
    };
    reg.with_register(|r| keep_keys(r, answer))?;
    Ok(true)
}

/// The request that registers this device's bundle keys (made, with its seed, on first use).
fn keys_request(reg: &mut Register) -> Result<Vec<u8>, SyncError> {
    let secret = device_secret(reg)?;
    let req = KeysRequest {
        protocol: PROTOCOL_VERSION,
        device_keys: secret.public().to_hex(),
    };
    serde_json::to_vec(&req).map_err(|e| SyncError::Protocol(e.to_string()))
}

/// Sends the keys request: the hub's answer, or `None` from a hub of before bundles (404). It
/// needs no register, so that a sync lets go of it while the request is on the network.
fn post_keys(
    transport: &dyn Transport,
    peer: &Peer,
    body: Vec<u8>,
) -> Result<Option<KeysResponse>, SyncError> {
    let resp = transport.post(PATH_KEYS, Some(&peer.token), "application/json", body)?;
    if resp.status == 404 {
        return Ok(None);
    }
    if resp.status != 200 {
        return Err(SyncError::from_hub(resp.status, &resp.body));
    }
    let answer: KeysResponse = serde_json::from_slice(&resp.body)
        .map_err(|e| SyncError::Protocol(format!("keys answer: {e}")))?;
    if answer.hub_id != peer.peer_id {
        return Err(SyncError::HubChanged);
    }
    Ok(Some(answer))
}

/// Keeps the hub's keys and the area's phones from its answer (checked by [`post_keys`]).
fn keep_keys(reg: &mut Register, answer: KeysResponse) -> Result<(), SyncError> {
    let hub = BundlePublic::from_hex(&answer.hub_keys)?;
    let mut peers = Vec::new();
    for p in answer.peers {
        // Kept only when well formed: a bad entry costs that phone its handovers, nothing more.
        if crate::model::is_valid_id(&p.device_id) && BundlePublic::from_hex(&p.keys).is_ok() {
            peers.push(p);
        }
    }
    let peers = serde_json::to_string(&peers).map_err(content_error)?;
    let now = reg.sync_now();
    reg.sync_store_mut().write(|tx| {
        Store::set_meta(tx, META_HUB_KEYS, &hub.to_hex())?;
        Store::set_meta(tx, META_PEERS, &peers)?;
        Store::set_meta(tx, META_PEERS_AT, &now.to_rfc3339())
    })?;
    Ok(())
}

/// Whether a sync should ask the hub for its keys and the area's phones: never asked, or not
/// for [`PEERS_REFRESH_MINUTES`].
pub(crate) fn keys_due(reg: &Register) -> Result<bool, SyncError> {
    if !keys_exchanged(reg)? {
        return Ok(true);
    }
    let at = reg
        .sync_store()
        .meta(META_PEERS_AT)?
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok());
    Ok(match at {
        None => true,
        Some(at) => {
            reg.sync_now() - at.with_timezone(&Utc)
                > chrono::Duration::minutes(PEERS_REFRESH_MINUTES)
        }
    })
}

/// The area's other phones this phone knows the keys of.
pub(crate) fn known_peers(reg: &Register) -> Result<Vec<PeerKeys>, SyncError> {
    Ok(reg
        .sync_store()
        .meta(META_PEERS)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// This device's secret and the hub's keys, for sealing and opening.
pub(crate) fn keys(reg: &mut Register) -> Result<(BundleSecret, BundlePublic), SyncError> {
    let hub = hub_keys(reg.sync_store())?.ok_or(BundleError::NoKeys)?;
    Ok((device_secret(reg)?, hub))
}

/// Answers applied here that the hub has not been told of: acknowledged at the next bundle or
/// sync, which ends each one's session on the hub.
pub(crate) fn unacked_answers(
    conn: &Connection,
    cursor: u64,
    pending: u32,
) -> Result<Vec<FinishRequest>, SyncError> {
    let mut stmt =
        conn.prepare("SELECT session FROM bundle_answers WHERE acked = 0 ORDER BY applied_at")?;
    let sessions = stmt
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(sessions
        .into_iter()
        .map(|s| FinishRequest {
            protocol: PROTOCOL_VERSION,
            session: s as u64,
            outcome: SessionOutcome::Success,
            cursor,
            pending_docs: pending,
            error: None,
        })
        .collect())
}

pub(crate) fn mark_acked(tx: &Transaction<'_>, sessions: &[u64]) -> crate::Result<()> {
    for s in sessions {
        tx.execute(
            "UPDATE bundle_answers SET acked = 1 WHERE session = ?1",
            [*s as i64],
        )?;
    }
    Ok(())
}

/// After a sync that left nothing pending: every bundle still unanswered carried work the hub
/// now has.
pub(crate) fn settle_by_sync(tx: &Transaction<'_>, at: DateTime<Utc>) -> crate::Result<()> {
    tx.execute(
        "UPDATE bundle_sealed SET answered_at = ?1, answered_via = 'sync' WHERE answered_at IS NULL",
        [at.to_rfc3339()],
    )?;
    Ok(())
}

fn stored_resend(reg: &Register) -> Result<Vec<String>, SyncError> {
    Ok(reg
        .sync_store()
        .meta(META_RESEND)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

impl Register {
    /// Seals everything the hub lacks from this device (pending households, erasure requests,
    /// answers to acknowledge) as one bundle to the hub. Nothing is marked sent: the work stays
    /// pending until the answer comes back or a sync sends it.
    pub fn bundle_seal(&mut self) -> Result<SealedBundle, SyncError> {
        let peer = self.sync_peer()?.ok_or(SyncError::NotEnrolled)?;
        let hub = hub_keys(self.sync_store())?.ok_or(BundleError::NoKeys)?;
        let secret = device_secret(self)?;
        let now = self.sync_now();
        self.depart_pending()?;
        let mut outbox = Outbox::read(self, usize::MAX)?;
        outbox.resend = stored_resend(self)?;
        let slice = Slice {
            docs: usize::MAX,
            already: 0,
        };
        let mut batch = plan_batch(self, &peer, None, peer.cursor, &mut outbox, slice)?;
        batch.request.device_time = Some(now.timestamp());
        let conn = self.sync_store().conn();
        let pending = self.pending_count()?;
        let acks = unacked_answers(conn, peer.cursor, pending)?;
        let mut docs = Vec::with_capacity(batch.sent.len());
        for s in &batch.sent {
            docs.push(SealedDoc {
                id: s.queued.id.clone(),
                seq: s.queued.seq,
                heads: s.heads.clone(),
                epoch: erase::erase_state(conn, &s.queued.id)?.map_or(0, |e| e.epoch),
            });
        }
        let plan = SealedPlan {
            cursor: peer.cursor,
            docs,
            erase: batch.request.erase.clone(),
            resend: batch.request.resend.clone(),
        };
        let content = ToHubContent {
            from: peer.device_id.clone(),
            request: encode_push(&batch.request),
            acks,
        };
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|_| BundleError::Random)?;
        let header = BundleHeader {
            kind: BundleKind::ToHub,
            commune_code: peer.area.commune_code.clone(),
            from: peer.device_id.clone(),
            to: peer.peer_id.clone(),
            id,
            created_at: now.timestamp(),
            expires_at: now.timestamp() + BUNDLE_LIFETIME_DAYS * 86_400,
        };
        let content = encode_content(&content)?;
        let bytes = bundle::seal(header, &content, &secret, &hub)?;
        let sealed = SealedBundle {
            id: hex::encode(id),
            households: plan.docs.len() as u32,
            erase_requests: plan.erase.len() as u32,
            created_at: now,
            bytes,
        };
        let plan_blob = postcard::to_allocvec(&plan).map_err(content_error)?;
        let settled = batch.settled.clone();
        self.sync_store_mut().write(|tx| {
            // Marked pending, yet nothing the hub lacks (or gone): as a sync's answer would.
            for (id, seq) in &settled {
                state::clear_pending(tx, id, *seq)?;
            }
            tx.execute(
                "INSERT INTO bundle_sealed (bundle_id, peer_id, created_at, households, bytes, plan)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    sealed.id,
                    peer.peer_id,
                    now.to_rfc3339(),
                    sealed.households,
                    sealed.bytes.len() as i64,
                    plan_blob
                ],
            )?;
            Ok(())
        })?;
        Ok(sealed)
    }

    /// Applies the hub's sealed answer to a bundle of this device, as a sync applies the hub's
    /// answer: in one transaction, merged with what the register holds now. Applying it twice, or
    /// after a newer sync, changes nothing.
    pub fn bundle_apply(&mut self, bytes: &[u8]) -> Result<BundleApplied, SyncError> {
        let peer = self.sync_peer()?.ok_or(SyncError::NotEnrolled)?;
        let hub = hub_keys(self.sync_store())?.ok_or(BundleError::NoKeys)?;
        let secret = device_secret(self)?;
        let now = self.sync_now();
        let (header, content) = bundle::open(bytes, &hub, &secret, now.timestamp())?;
        if header.kind != BundleKind::ToDevice
            || header.to != peer.device_id
            || header.from != peer.peer_id
            || header.commune_code != peer.area.commune_code
        {
            return Err(BundleError::NotForUs.into());
        }
        let content: ToDeviceContent = decode_content(&content)?;
        if content.to != peer.device_id {
            return Err(BundleError::Tampered.into());
        }
        let answer_id = header.id_hex();
        let answers = hex::encode(content.answers);
        let conn = self.sync_store().conn();
        let seen: Option<i64> = conn
            .query_row(
                "SELECT 1 FROM bundle_answers WHERE answer_id = ?1",
                [&answer_id],
                |r| r.get(0),
            )
            .optional()?;
        if seen.is_some() {
            return Err(BundleError::AlreadyApplied.into());
        }
        let plan: Vec<u8> = conn
            .query_row(
                "SELECT plan FROM bundle_sealed WHERE bundle_id = ?1",
                [&answers],
                |r| r.get(0),
            )
            .optional()?
            // Signed by our hub for this device, yet answering a bundle this register never
            // sealed (a register restored from an older copy): nothing to match it against.
            .ok_or(BundleError::NotForUs)?;
        let plan: SealedPlan = postcard::from_bytes(&plan).map_err(content_error)?;
        let mut answer = decode_sync_response(&content.response).map_err(content_error)?;
        if answer.results.len() != plan.docs.len()
            || answer
                .results
                .iter()
                .zip(&plan.docs)
                .any(|(r, d)| r.id != d.id)
            || content.pull_epochs.len() != answer.pull.len()
        {
            return Err(SyncError::Protocol(
                "the answer does not match the bundle it answers".into(),
            ));
        }

        // What the device learnt since the answer was written wins over it.
        let stale = answer.cursor < peer.cursor
            || peer
                .last_success_at
                .zip(answer.hub_time)
                .is_some_and(|(synced, written)| synced.timestamp() > written);
        if stale {
            answer.area = None;
            answer.merged_hamlets.clear();
            answer.lineage = None;
            answer.cursor = peer.cursor;
        }
        let mut sent = Vec::new();
        let mut results = Vec::new();
        for (doc, result) in plan.docs.iter().zip(std::mem::take(&mut answer.results)) {
            let epoch = erase::erase_state(conn, &doc.id)?.map_or(0, |e| e.epoch);
            if epoch != doc.epoch {
                // Rewritten by an erasure since it was sealed: the verdict is about a copy that
                // no longer exists.
                continue;
            }
            sent.push(Sent {
                queued: Queued {
                    id: doc.id.clone(),
                    seq: doc.seq,
                    full: false,
                },
                heads: doc.heads.clone(),
            });
            results.push(result);
        }
        answer.results = results;
        let mut pull = Vec::new();
        for (doc, epoch) in std::mem::take(&mut answer.pull)
            .into_iter()
            .zip(&content.pull_epochs)
        {
            let here = erase::erase_state(conn, &doc.id)?.map_or(0, |e| e.epoch);
            if *epoch >= here {
                pull.push(doc);
            }
        }
        answer.pull = pull;
        let batch = Batch {
            request: SyncRequest {
                protocol: PROTOCOL_VERSION,
                session: Some(content.session),
                cursor: plan.cursor,
                pending_docs: 0,
                push: Vec::new(),
                resend: plan.resend.clone(),
                erase: plan.erase.clone(),
                epochs: Vec::new(),
                device_time: None,
                hub_tag: None,
            },
            sent,
            settled: Vec::new(),
            bytes: 0,
        };
        let applied = apply_answer(self, &peer, &batch, &answer)?;
        let resend = serde_json::to_string(&applied.resend).map_err(content_error)?;
        let requeued: Vec<String> = applied.requeue.iter().map(|q| q.id.clone()).collect();
        self.sync_store_mut().write(|tx| {
            for id in &requeued {
                // No shared heads: the next bundle or sync sends it whole.
                state::set_shared_heads(tx, &peer.peer_id, id, &[])?;
            }
            Store::set_meta(tx, META_RESEND, &resend)?;
            tx.execute(
                "INSERT OR IGNORE INTO bundle_answers (answer_id, bundle_id, session, applied_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![answer_id, answers, content.session as i64, now.to_rfc3339()],
            )?;
            tx.execute(
                "UPDATE bundle_sealed SET answered_at = ?2, answered_via = 'bundle'
                 WHERE bundle_id = ?1 AND answered_at IS NULL",
                params![answers, now.to_rfc3339()],
            )?;
            Ok(())
        })?;
        Ok(BundleApplied {
            answers,
            pushed: applied.pushed,
            pulled: applied.pulled,
            erased: applied.erased,
            rejected: applied.rejected,
            to_send_whole: requeued.len() as u32,
            stale,
        })
    }

    /// Delivers a sealed bundle this phone carries (another phone's of the commune, or its own)
    /// to the hub, with this phone's token; returns the hub's sealed answer to the phone that
    /// sealed it. The bundle is checked for shape and commune first: nothing else is read here.
    pub fn bundle_deliver(
        &self,
        transport: &dyn Transport,
        sealed: &[u8],
    ) -> Result<Vec<u8>, SyncError> {
        let peer = self.sync_peer()?.ok_or(SyncError::NotEnrolled)?;
        let header = bundle::read_header(sealed)?;
        if header.kind != BundleKind::ToHub || header.commune_code != peer.area.commune_code {
            return Err(BundleError::NotForUs.into());
        }
        let resp = transport.post(
            PATH_BUNDLE,
            Some(&peer.token),
            BUNDLE_CONTENT_TYPE,
            sealed.to_vec(),
        )?;
        match resp.status {
            200 => Ok(resp.body),
            422 => {
                let refused = serde_json::from_slice::<ErrorBody>(&resp.body)
                    .ok()
                    .and_then(|b| BundleError::from_code(&b.code));
                Err(refused
                    .map(SyncError::Bundle)
                    .unwrap_or_else(|| SyncError::from_hub(resp.status, &resp.body)))
            }
            status => Err(SyncError::from_hub(status, &resp.body)),
        }
    }

    /// Whether bundles can be sealed: enrolled, and the hub's bundle keys known (exchanged at
    /// enrolment, or at the first sync after an update).
    pub fn bundle_ready(&self) -> Result<bool, SyncError> {
        Ok(self.sync_peer()?.is_some() && keys_exchanged(self)?)
    }

    /// The bundles sealed here, newest first.
    pub fn bundle_list(&self) -> Result<Vec<SealedInfo>, SyncError> {
        let conn = self.sync_store().conn();
        let mut stmt = conn.prepare(
            "SELECT bundle_id, created_at, households, bytes, answered_at, answered_via
             FROM bundle_sealed ORDER BY created_at DESC, bundle_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let time = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| SyncError::Core(crate::Error::Internal(format!("bundle time: {e}"))))
        };
        rows.into_iter()
            .map(|(id, created, households, bytes, answered, via)| {
                Ok(SealedInfo {
                    id,
                    created_at: time(&created)?,
                    households,
                    bytes: bytes.max(0) as u64,
                    answered_at: answered.as_deref().map(time).transpose()?,
                    answered_via: via,
                })
            })
            .collect()
    }
}
