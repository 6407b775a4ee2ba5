//! What a phone carries for the other phones of its commune (docs/sync-protocol.md, "Carriers"):
//! their sealed bundles, delivered to the hub at this phone's next sync, and the hub's sealed
//! answers to them, handed back in the hamlet. A carrier reads only the headers: it can neither
//! open nor alter what it carries, and keeps it in its encrypted register.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::SharedRegister;
use super::bundle::BundleApplied;
use super::bundle_wire::BUNDLE_EXTENSION;
use super::error::SyncError;
use super::transport::Transport;
use crate::bundle::{self, BundleError, BundleKind};
use crate::register::Register;

const TO_HUB: &str = "to_hub";
const TO_DEVICE: &str = "to_device";

/// What became of a bundle this phone was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Received {
    /// The hub's answer to this phone: applied.
    Applied(BundleApplied),
    /// Another phone's bundle to the hub: kept, delivered at the next sync.
    CarriedToHub { from_device: String },
    /// The hub's answer to another phone: kept, to hand back.
    CarriedToDevice { for_device: String },
    /// A household handed over by another phone of the area: taken here; the sender's bundle
    /// is carried to the hub at the next sync.
    HandedOver {
        household: String,
        from_device: String,
    },
    /// Held already (given twice).
    AlreadyHeld,
}

/// A bundle this phone carries or carried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarriedInfo {
    pub id: String,
    /// True for a phone's bundle to the hub, false for the hub's answer to a phone.
    pub to_hub: bool,
    /// The phone it is from (to the hub) or for (an answer).
    pub device: String,
    pub received_at: DateTime<Utc>,
    /// When it was delivered to the hub, or handed back.
    pub done_at: Option<DateTime<Utc>>,
    /// The hub's verdict on a delivered bundle (`applied`, or the code of its refusal).
    pub outcome: Option<String>,
}

/// What delivering the carried bundles did at a sync.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deliveries {
    pub applied: u32,
    pub refused: u32,
    /// Answers to this phone itself among them, applied here.
    pub own_answers: u32,
}

/// The file name a sealed bundle is written under: `gocua-<kind>-<id>.gocua`.
pub fn bundle_file_name(bytes: &[u8]) -> Result<String, BundleError> {
    let header = bundle::read_header(bytes)?;
    let kind = match header.kind {
        BundleKind::ToHub => "to-hub",
        BundleKind::ToDevice => "answer",
        BundleKind::Handover => "handover",
    };
    Ok(format!(
        "gocua-{kind}-{}.{BUNDLE_EXTENSION}",
        &header.id_hex()[..12]
    ))
}

fn time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

impl Register {
    /// A sealed bundle given to this phone (opened with it, shared to it, scanned): the hub's
    /// answer to this phone is applied; another phone's bundle to the hub, or the hub's answer
    /// to another phone of the commune, is kept to carry. Nothing else is read of it.
    pub fn bundle_receive(&mut self, bytes: &[u8]) -> Result<Received, SyncError> {
        let peer = self.sync_peer()?.ok_or(SyncError::NotEnrolled)?;
        let header = bundle::read_header(bytes)?;
        if header.commune_code != peer.area.commune_code {
            return Err(BundleError::NotForUs.into());
        }
        let now = self.sync_now();
        if now.timestamp() > header.expires_at {
            return Err(BundleError::Expired.into());
        }
        let (kind, party, received) = match header.kind {
            BundleKind::ToDevice if header.to == peer.device_id => {
                return Ok(Received::Applied(self.bundle_apply(bytes)?));
            }
            BundleKind::Handover if header.to == peer.device_id => {
                return self.handover_receive(bytes);
            }
            // A handover is for its phone alone, by hand: nobody carries it.
            BundleKind::Handover => return Err(BundleError::NotForUs.into()),
            BundleKind::ToHub if header.from == peer.device_id => {
                // This phone's own bundle, come back: what it carries is still pending here.
                return Ok(Received::AlreadyHeld);
            }
            BundleKind::ToHub => (
                TO_HUB,
                header.from.clone(),
                Received::CarriedToHub {
                    from_device: header.from.clone(),
                },
            ),
            BundleKind::ToDevice => (
                TO_DEVICE,
                header.to.clone(),
                Received::CarriedToDevice {
                    for_device: header.to.clone(),
                },
            ),
        };
        if !crate::model::is_valid_id(&party) {
            return Err(BundleError::NotABundle.into());
        }
        let id = header.id_hex();
        let inserted = self.sync_store_mut().write(|tx| {
            Ok(tx.execute(
                "INSERT OR IGNORE INTO bundle_carried (bundle_id, kind, party, received_at, expires_at, bytes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, kind, party, now.to_rfc3339(), header.expires_at, bytes],
            )?)
        })?;
        Ok(if inserted == 0 {
            Received::AlreadyHeld
        } else {
            received
        })
    }

    /// What this phone carries and carried, newest first.
    pub fn bundle_carried(&self) -> Result<Vec<CarriedInfo>, SyncError> {
        let conn = self.sync_store().conn();
        let mut stmt = conn.prepare(
            "SELECT bundle_id, kind, party, received_at, done_at, outcome FROM bundle_carried
             ORDER BY received_at DESC, bundle_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(CarriedInfo {
                    id: r.get(0)?,
                    to_hub: r.get::<_, String>(1)? == TO_HUB,
                    device: r.get(2)?,
                    received_at: time(&r.get::<_, String>(3)?),
                    done_at: r.get::<_, Option<String>>(4)?.as_deref().map(time),
                    outcome: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The hub's answers this phone carries for `device` (all phones when `None`), to hand back:
    /// (bundle id, the phone it is for, sealed bytes). Marked handed once the caller has written or shared them, with
    /// [`Register::bundle_handed`].
    pub fn bundle_answers_to_hand(
        &self,
        device: Option<&str>,
    ) -> Result<Vec<(String, String, Vec<u8>)>, SyncError> {
        // (bundle id, the phone it is for, sealed bytes)
        let conn = self.sync_store().conn();
        let mut stmt = conn.prepare(
            "SELECT bundle_id, party, bytes FROM bundle_carried
             WHERE kind = 'to_device' AND done_at IS NULL AND (?1 IS NULL OR party = ?1)
             ORDER BY received_at",
        )?;
        let rows = stmt
            .query_map([device], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// An answer handed back: its bytes are dropped, its row kept for the list.
    pub fn bundle_handed(&mut self, id: &str) -> Result<bool, SyncError> {
        let now = self.sync_now();
        let changed = self.sync_store_mut().write(|tx| {
            Ok(tx.execute(
                "UPDATE bundle_carried SET done_at = ?2, outcome = 'handed', bytes = x''
                 WHERE bundle_id = ?1 AND kind = 'to_device' AND done_at IS NULL",
                params![id, now.to_rfc3339()],
            )?)
        })?;
        Ok(changed > 0)
    }
}

/// Delivers every bundle this phone carries to the hub, before its own push (the hub must hold
/// another phone's changes before this phone sends a household that holds them). Answers to
/// other phones are kept to hand back; an answer to this phone is applied. A refusal is final
/// for that bundle (its phone seals again); a network failure leaves the rest for the next sync.
pub(crate) fn deliver_carried<R: SharedRegister + ?Sized>(
    reg: &R,
    transport: &dyn Transport,
) -> Result<Deliveries, SyncError> {
    let now = reg.with_register(|r| r.sync_now());
    let carried: Vec<(String, i64, Vec<u8>)> = reg.with_register(|r| {
        let conn = r.sync_store().conn();
        let mut stmt = conn.prepare(
            "SELECT bundle_id, expires_at, bytes FROM bundle_carried
             WHERE kind = 'to_hub' AND done_at IS NULL ORDER BY received_at",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok::<_, SyncError>(rows)
    })?;
    let mut done = Deliveries::default();
    for (id, expires_at, bytes) in carried {
        let outcome = if now.timestamp() > expires_at {
            BundleError::Expired.code().to_owned()
        } else {
            match reg.with_register(|r| r.bundle_deliver(transport, &bytes)) {
                Ok(answer) => {
                    let received = reg.with_register(|r| r.bundle_receive(&answer));
                    if let Ok(Received::Applied(_)) = received {
                        done.own_answers += 1;
                    }
                    done.applied += 1;
                    "applied".to_owned()
                }
                Err(SyncError::Bundle(e)) => {
                    done.refused += 1;
                    e.code().to_owned()
                }
                Err(e) => return Err(e),
            }
        };
        reg.with_register(|r| {
            r.sync_store_mut().write(|tx| {
                tx.execute(
                    "UPDATE bundle_carried SET done_at = ?2, outcome = ?3, bytes = x''
                     WHERE bundle_id = ?1",
                    params![id, now.to_rfc3339(), outcome],
                )?;
                Ok(())
            })
        })?;
    }
    Ok(done)
}

/// Whether this phone carries bundles to deliver.
pub(crate) fn carries_any(reg: &Register) -> Result<bool, SyncError> {
    Ok(reg
        .sync_store()
        .conn()
        .query_row(
            "SELECT 1 FROM bundle_carried WHERE kind = 'to_hub' AND done_at IS NULL LIMIT 1",
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
