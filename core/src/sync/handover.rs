//! One household handed from a phone to another of its area where neither has coverage
//! (docs/sync-protocol.md, "Handovers"). The sender seals the household's document to the
//! receiver's key (learnt from the hub at a sync, with the area's other phones), together with
//! its own bundle to the hub; the receiver checks the sender against the same list, takes the
//! household, and carries the sender's bundle to the hub at its next sync, before its own push.

use crate::bundle::{self, BundleError, BundleHeader, BundleKind, BundlePublic};
use crate::model::HouseholdId;
use crate::register::Register;
use crate::validate::validate_document;

use super::bundle::{SealedBundle, exchange_keys, keys, known_peers};
use super::bundle_wire::{HandoverContent, PeerKeys, decode_content, encode_content};
use super::carry::Received;
use super::error::SyncError;
use super::shared::Exclusive;
use super::transport::Transport;

/// A handover lives as long as a bundle: its sender's work stays pending meanwhile.
const HANDOVER_LIFETIME_DAYS: i64 = 90;

fn peer_keys(reg: &Register, device: &str) -> Result<BundlePublic, SyncError> {
    let peer = known_peers(reg)?
        .into_iter()
        .find(|p| p.device_id == device)
        .ok_or(BundleError::UnknownPhone)?;
    Ok(BundlePublic::from_hex(&peer.keys)?)
}

impl Register {
    /// The area's other phones this phone can hand a household to (learnt at a sync).
    pub fn bundle_peers(&self) -> Result<Vec<PeerKeys>, SyncError> {
        known_peers(self)
    }

    /// Asks the hub now for its keys and the area's phones (a sync does it every few minutes);
    /// returns how many phones this phone can hand households to.
    pub fn bundle_refresh_peers(&mut self, transport: &dyn Transport) -> Result<usize, SyncError> {
        let peer = self.sync_peer()?.ok_or(SyncError::NotEnrolled)?;
        if !exchange_keys(&Exclusive::new(self), transport, &peer)? {
            return Err(SyncError::ProtocolVersion);
        }
        Ok(known_peers(self)?.len())
    }

    /// Seals `household` for the phone `to` of this area, with this phone's own bundle to the
    /// hub (everything pending, as `bundle_seal`): the receiver works on the household and
    /// delivers the bundle at its next sync. Nothing here changes: the work stays pending until
    /// an answer or a sync.
    pub fn bundle_hand_over(
        &mut self,
        household: &HouseholdId,
        to: &str,
    ) -> Result<SealedBundle, SyncError> {
        let peer = self.sync_peer()?.ok_or(SyncError::NotEnrolled)?;
        let receiver = peer_keys(self, to)?;
        let document = self.export_document(household)?;
        let hub_bundle = self.bundle_seal()?;
        let (secret, _) = keys(self)?;
        let now = self.sync_now();
        let content = HandoverContent {
            from: peer.device_id.clone(),
            to: to.to_owned(),
            household: household.0.clone(),
            document,
            hub_bundle: hub_bundle.bytes,
        };
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|_| BundleError::Random)?;
        let header = BundleHeader {
            kind: BundleKind::Handover,
            commune_code: peer.area.commune_code.clone(),
            from: peer.device_id.clone(),
            to: to.to_owned(),
            id,
            created_at: now.timestamp(),
            expires_at: now.timestamp() + HANDOVER_LIFETIME_DAYS * 86_400,
        };
        let bytes = bundle::seal(header, &encode_content(&content)?, &secret, &receiver)?;
        Ok(SealedBundle {
            id: hex::encode(id),
            bytes,
            households: 1,
            erase_requests: 0,
            created_at: now,
        })
    }

    /// A handover sealed to this phone: the sender checked against the area's phones, the
    /// household checked by the validators the hub uses, then merged here; the sender's bundle
    /// kept to deliver at the next sync.
    pub(crate) fn handover_receive(&mut self, bytes: &[u8]) -> Result<Received, SyncError> {
        let peer = self.sync_peer()?.ok_or(SyncError::NotEnrolled)?;
        let header = bundle::read_header(bytes)?;
        let sender = peer_keys(self, &header.from)?;
        let (secret, _) = keys(self)?;
        let now = self.sync_now();
        let (header, content) = bundle::open(bytes, &sender, &secret, now.timestamp())?;
        let content: HandoverContent = decode_content(&content)?;
        if content.from != header.from || content.to != peer.device_id {
            return Err(BundleError::Tampered.into());
        }
        let mut doc = crate::HouseholdDoc::load(&content.document)
            .map_err(|e| BundleError::Content(e.to_string()))?;
        let household = doc
            .read()
            .map_err(|e| BundleError::Content(e.to_string()))?;
        if household.id.0 != content.household {
            return Err(BundleError::Tampered.into());
        }
        let report = validate_document(&mut doc, &household, content.document.len(), now);
        if let Some(issue) = report.errors().next() {
            return Err(
                BundleError::Content(format!("{}: {}", issue.field, issue.message_en)).into(),
            );
        }
        // The sender's own bundle first: if it cannot be carried, nothing is taken.
        let hub_header = bundle::read_header(&content.hub_bundle)?;
        if hub_header.kind != BundleKind::ToHub || hub_header.from != header.from {
            return Err(BundleError::Tampered.into());
        }
        self.bundle_receive(&content.hub_bundle)?;
        let id = self.merge_document(&content.document)?;
        Ok(Received::HandedOver {
            household: id.0,
            from_device: header.from,
        })
    }
}
