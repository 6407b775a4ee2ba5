//! Sealed bundles at the hub (docs/sync-protocol.md, "Sealed bundles"): devices register their
//! bundle keys while online; a bundle delivered later (by a carrier phone, the dashboard or the
//! command line) is checked whole before anything of it is read, then applied through the very
//! sync a device would run, and answered by a bundle sealed to that device.

use chrono::{DateTime, Utc};
use gocua_core::bundle::{self, BundleError, BundleHeader, BundleKind, BundlePublic, BundleSecret};
use gocua_core::sync::bundle_wire::*;
use gocua_core::sync::wire::*;

use super::{ApiError, Hub};
use crate::store::{BundleReceipt, DeviceRecord};

/// The label under which the hub's bundle keys derive from its identity key: a hub rebuilt
/// from its identity file opens the bundles sealed to the one it replaces.
const HUB_KEY_LABEL: &str = "gocua hub bundle keys v1";
/// How long an answer is accepted by its device: the carrier may take weeks to go back.
const ANSWER_LIFETIME_DAYS: i64 = 90;

/// Who brought a bundle to the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// An enrolled phone of the commune, at its sync.
    Carrier(String),
    /// A coordinator, uploading files (a USB stick from the hamlet).
    Dashboard(String),
    /// `gocua-hub apply-bundles`, by a coordinator.
    Cli(String),
}

impl Via {
    fn label(&self) -> String {
        match self {
            Via::Carrier(device) => format!("carrier:{device}"),
            Via::Dashboard(login) => format!("dashboard:{login}"),
            Via::Cli(login) => format!("cli:{login}"),
        }
    }
}

/// A bundle applied: the answer to carry back, and what it did.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub bundle_id: String,
    pub device_id: String,
    /// The sealed answer, for `device_id` only.
    pub answer: Vec<u8>,
    pub households: u32,
    pub stored: u32,
    pub rejected: u32,
    pub session: u64,
}

/// Why a delivered bundle was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryError {
    /// The bundle itself is refused (tampered, foreign, expired, replayed...).
    Refused(BundleError),
    /// The hub failed; the bundle may be delivered again.
    Hub(ApiError),
}

impl From<BundleError> for DeliveryError {
    fn from(e: BundleError) -> Self {
        DeliveryError::Refused(e)
    }
}

impl From<ApiError> for DeliveryError {
    fn from(e: ApiError) -> Self {
        DeliveryError::Hub(e)
    }
}

impl From<crate::store::StoreError> for DeliveryError {
    fn from(e: crate::store::StoreError) -> Self {
        DeliveryError::Hub(e.into())
    }
}

impl DeliveryError {
    pub fn code(&self) -> &str {
        match self {
            DeliveryError::Refused(e) => e.code(),
            DeliveryError::Hub(e) => &e.body.code,
        }
    }

    /// The reason, Vietnamese then English.
    pub fn messages(&self) -> (String, String) {
        match self {
            DeliveryError::Refused(e) => e.messages(),
            DeliveryError::Hub(e) => (e.body.message_vi.clone(), e.body.message_en.clone()),
        }
    }

    pub fn into_api(self) -> ApiError {
        match self {
            DeliveryError::Refused(e) => {
                let (vi, en) = e.messages();
                ApiError::new(422, e.code(), &vi, &en)
            }
            DeliveryError::Hub(e) => e,
        }
    }
}

impl Hub {
    pub(crate) fn bundle_secret(&self) -> Result<BundleSecret, ApiError> {
        Ok(BundleSecret::derived_from(
            &self.store.erasure_key()?,
            HUB_KEY_LABEL,
        ))
    }

    /// `POST /v1/keys`: the device's public bundle keys recorded, the hub's returned.
    pub(super) fn keys(&self, device: &DeviceRecord, body: &[u8]) -> Result<Vec<u8>, ApiError> {
        let req: KeysRequest =
            serde_json::from_slice(body).map_err(|_| ApiError::bad_request("keys body"))?;
        if req.protocol != PROTOCOL_VERSION {
            return Err(ApiError::protocol());
        }
        let public = BundlePublic::from_hex(&req.device_keys)
            .map_err(|_| ApiError::bad_request("bundle keys"))?;
        self.store
            .set_bundle_keys(&device.device_id, &public.to_hex())?;
        self.store.audit(
            self.now(),
            &format!("device:{}", device.device_id),
            "device.bundle_keys",
            &device.device_id,
        )?;
        let peers = self
            .store
            .bundle_peers(&device.area.area_id)?
            .into_iter()
            .filter(|(id, _, _)| *id != device.device_id)
            .map(|(device_id, volunteer_id, keys)| PeerKeys {
                device_id,
                volunteer_id,
                keys,
            })
            .collect();
        let answer = KeysResponse {
            hub_id: self.store.hub_id()?,
            hub_keys: self.bundle_secret()?.public().to_hex(),
            peers,
        };
        serde_json::to_vec(&answer).map_err(|_| ApiError::internal())
    }

    /// `POST /v1/bundle`: a carrier phone of the commune delivers one bundle; the answer is the
    /// sealed answer to the device that sealed it.
    pub(super) fn carried_bundle(
        &self,
        carrier: &DeviceRecord,
        body: &[u8],
    ) -> Result<Vec<u8>, ApiError> {
        let via = Via::Carrier(carrier.device_id.clone());
        self.receive_in_commune(body, &carrier.area.commune_code, &via)
            .map(|d| d.answer)
            .map_err(DeliveryError::into_api)
    }

    /// [`Hub::receive_bundle`] for whoever acts for `commune` (a carrier phone, a coordinator):
    /// a bundle of another commune is refused before anything is recorded, so they learn
    /// nothing of it.
    pub fn receive_in_commune(
        &self,
        bytes: &[u8],
        commune: &str,
        via: &Via,
    ) -> Result<Delivered, DeliveryError> {
        if let Ok(header) = bundle::read_header(bytes)
            && header.commune_code != commune
        {
            return Err(BundleError::NotForUs.into());
        }
        self.receive_bundle(bytes, via)
    }

    /// Checks one sealed bundle whole, applies it as its device's sync, records the delivery
    /// (applied or refused) and returns the sealed answer.
    pub fn receive_bundle(&self, bytes: &[u8], via: &Via) -> Result<Delivered, DeliveryError> {
        let now = self.now();
        let result = self.apply_bundle(bytes, now);
        let header = bundle::read_header(bytes).ok();
        let (bundle_id, device_id) = match (&result, &header) {
            (Ok(d), _) => (d.bundle_id.clone(), d.device_id.clone()),
            (Err(_), Some(h)) => (h.id_hex(), short(&h.from)),
            (Err(_), None) => (String::new(), String::new()),
        };
        let commune = header
            .as_ref()
            .map(|h| short(&h.commune_code))
            .unwrap_or_default();
        let receipt = BundleReceipt {
            receipt_id: 0,
            bundle_id: bundle_id.clone(),
            commune,
            device_id: device_id.clone(),
            received_at: now,
            via: via.label(),
            outcome: match &result {
                Ok(_) => "applied".into(),
                Err(e) => e.code().to_owned(),
            },
            session: result.as_ref().ok().map(|d| d.session),
            households: result.as_ref().map_or(0, |d| d.households),
            has_answer: result.is_ok(),
        };
        // A hub failure is not a verdict on the bundle: it is delivered again later.
        if !matches!(result, Err(DeliveryError::Hub(_))) {
            let answer = result.as_ref().ok().map(|d| d.answer.as_slice());
            self.store.record_bundle(&receipt, answer)?;
            let action = if result.is_ok() {
                "bundle.applied"
            } else {
                "bundle.refused"
            };
            let target = format!("bundle:{bundle_id} device:{device_id} {}", receipt.outcome);
            self.store.audit(now, &via.label(), action, &target)?;
        }
        result
    }

    fn apply_bundle(&self, bytes: &[u8], now: DateTime<Utc>) -> Result<Delivered, DeliveryError> {
        let header = bundle::read_header(bytes)?;
        let hub_id = self.store.hub_id()?;
        if header.kind != BundleKind::ToHub || header.to != hub_id {
            return Err(BundleError::NotForUs.into());
        }
        let (device, keys) = self
            .store
            .bundle_device(&header.from)?
            .ok_or(BundleError::UnknownSender)?;
        if header.commune_code != device.area.commune_code {
            return Err(BundleError::NotForUs.into());
        }
        if device.revoked {
            return Err(BundleError::Revoked.into());
        }
        if device.paused {
            return Err(BundleError::Paused.into());
        }
        let keys = BundlePublic::from_hex(&keys.ok_or(BundleError::UnknownSender)?)?;
        let secret = self.bundle_secret()?;
        let (header, content) = bundle::open(bytes, &keys, &secret, now.timestamp())?;
        let bundle_id = header.id_hex();
        if self.store.bundle_applied(&bundle_id)? {
            return Err(BundleError::AlreadyApplied.into());
        }
        let content: ToHubContent = decode_content(&content)?;
        if content.from != device.device_id {
            return Err(BundleError::Tampered.into());
        }
        let request = decode_sync_request(&content.request)
            .map_err(|e| BundleError::Content(e.to_string()))?;
        if request.session.is_some() {
            return Err(BundleError::Content("a bundle opens its own session".into()).into());
        }
        // Answers the device applied: their sessions end as a sync's finish ends one. An ack of
        // a session that is not this device's is ignored, as `finish` refuses it.
        for ack in &content.acks {
            let _ = self.finish(&device, &encode(ack));
        }
        let households = request.push.len() as u32;
        let body = self.sync(&device, &content.request)?;
        let response = decode_sync_response(&body).map_err(|_| ApiError::internal())?;
        let mut pull_epochs = Vec::with_capacity(response.pull.len());
        for doc in &response.pull {
            pull_epochs.push(self.store.doc_epoch(&doc.id)?.map_or(0, |e| e.epoch));
        }
        let stored = response
            .results
            .iter()
            .filter(|r| matches!(r.outcome, PushOutcome::Stored))
            .count() as u32;
        let rejected = response
            .results
            .iter()
            .filter(|r| matches!(r.outcome, PushOutcome::Rejected { .. }))
            .count() as u32;
        let answer = ToDeviceContent {
            to: device.device_id.clone(),
            answers: header.id,
            session: response.session,
            response: body,
            pull_epochs,
        };
        let id: [u8; 16] = rand::random();
        let answer_header = BundleHeader {
            kind: BundleKind::ToDevice,
            commune_code: device.area.commune_code.clone(),
            from: hub_id,
            to: device.device_id.clone(),
            id,
            created_at: now.timestamp(),
            expires_at: now.timestamp() + ANSWER_LIFETIME_DAYS * 86_400,
        };
        let content = encode_content(&answer)?;
        let answer = bundle::seal(answer_header, &content, &secret, &keys)?;
        Ok(Delivered {
            bundle_id,
            device_id: device.device_id,
            answer,
            households,
            stored,
            rejected,
            session: response.session,
        })
    }
}

/// A device id from an unproven header, bounded before it is stored.
fn short(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(64)
        .collect()
}
