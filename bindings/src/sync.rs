//! Enrolment with the commune hub, sync with progress and cancellation, and the sync status.
//! Sync calls block (network): call them from a background thread.

use std::sync::Arc;
use std::time::SystemTime;

use gocua_core::sync::wire::{AreaInfo, HamletInfo};
use gocua_core::sync::{
    self, CancelToken, Phase, Rejected, SessionOutcome, SyncOptions, TlsOptions,
};

use crate::error::GocuaError;
use crate::register::GocuaRegister;
use crate::types::instant;

#[uniffi::remote(Enum)]
pub enum Phase {
    Preparing,
    Sending,
    Receiving,
    Finishing,
    Done,
}

#[uniffi::remote(Enum)]
pub enum SessionOutcome {
    Success,
    Partial,
    Cancelled,
    Failed,
}

#[uniffi::remote(Record)]
pub struct HamletInfo {
    pub id: String,
    pub name: String,
}

#[uniffi::remote(Record)]
pub struct AreaInfo {
    pub area_id: String,
    pub name: String,
    pub province_code: String,
    pub commune_code: String,
    pub hamlets: Vec<HamletInfo>,
}

#[uniffi::remote(Record)]
pub struct Rejected {
    pub doc_id: String,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

/// Receives a sync's progress, on the syncing thread. An error it returns is ignored: progress
/// never stops a sync (cancel it with a `SyncCancellation`). It is called while the sync does not
/// hold the register; still, hand the numbers to another thread rather than work here.
#[uniffi::export(with_foreign)]
pub trait SyncProgress: Send + Sync {
    fn on_progress(&self, phase: Phase, done: u64, total: u64) -> Result<(), GocuaError>;
}

struct ProgressAdapter(Arc<dyn SyncProgress>);

impl sync::Progress for ProgressAdapter {
    fn on_progress(&self, phase: Phase, done: u64, total: u64) {
        let _ = self.0.on_progress(phase, done, total);
    }
}

/// Cancels a running sync from another thread: it stops at the next safe point, what was stored
/// stays stored, and the sync ends with `GocuaError.Cancelled` or a `Cancelled` outcome.
#[derive(uniffi::Object, Default)]
pub struct SyncCancellation(CancelToken);

#[uniffi::export]
impl SyncCancellation {
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    pub fn cancel(&self) {
        self.0.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
}

impl SyncCancellation {
    pub(crate) fn token(&self) -> CancelToken {
        self.0.clone()
    }
}

/// The result of an enrolment.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Enrolment {
    pub hub_id: String,
    pub device_id: String,
    pub area: AreaInfo,
}

/// What a sync did. `outcome` is `Success` only when the hub stored everything this device sent
/// and this device stored everything it was sent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    pub outcome: SessionOutcome,
    pub session: Option<u64>,
    pub round_trips: u32,
    pub bytes_up: u64,
    pub bytes_down: u64,
    /// Households the hub stored from this device.
    pub pushed: u32,
    /// Households changed on this device by what the hub sent.
    pub pulled: u32,
    /// Households the hub refused, with its reasons; they stay pending.
    pub rejected: Vec<Rejected>,
    /// Households still to sync.
    pub pending_after: u32,
}

/// The device's sync status, for a status screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncStatus {
    pub hub_url: String,
    pub hub_id: String,
    pub area: AreaInfo,
    /// Households changed on this device and not yet synced.
    pub pending: u32,
    pub last_attempt_at: Option<SystemTime>,
    pub last_success_at: Option<SystemTime>,
    /// Why the last sync failed, safe to show; `None` after a success.
    pub last_error: Option<String>,
    pub rejected: Vec<Rejected>,
}

#[uniffi::export]
impl GocuaRegister {
    /// Enrols this register with the commune hub at `hub_url` using a pairing code from the
    /// coordinator. `pin_sha256` (hex SHA-256 of the hub's certificate) is remembered for every
    /// later sync. Blocks on the network.
    pub fn enrol(
        &self,
        hub_url: String,
        pairing_code: String,
        pin_sha256: Option<String>,
    ) -> Result<Enrolment, GocuaError> {
        let lang = self.lang();
        let tls = TlsOptions {
            pin_sha256,
            extra_root_pem: None,
        };
        sync::enrol(&mut self.register(), &hub_url, &pairing_code, &tls)
            .map(|e| Enrolment {
                hub_id: e.hub_id,
                device_id: e.device_id,
                area: e.area,
            })
            .map_err(|e| GocuaError::from_sync(e, lang))
    }

    /// Syncs with the hub this register is enrolled with, reporting progress to `progress` and
    /// stopping early when `cancel` is cancelled. Blocks on the network. The register is held
    /// only to plan each request and to store each answer (one transaction each), not while a
    /// request is on the network: other calls (list, search, show, edits) answer meanwhile, and
    /// an edit made during the sync stays pending for the next one.
    pub fn sync(
        &self,
        progress: Option<Arc<dyn SyncProgress>>,
        cancel: Option<Arc<SyncCancellation>>,
    ) -> Result<SyncReport, GocuaError> {
        let lang = self.lang();
        let adapter = progress.map(ProgressAdapter);
        let mut options = SyncOptions::default();
        if let Some(p) = &adapter {
            options.progress = p;
        }
        if let Some(c) = &cancel {
            options.cancel = c.0.clone();
        }
        sync::sync_mutex(self.shared(), &options)
            .map(|r| SyncReport {
                outcome: r.outcome,
                session: r.session,
                round_trips: r.round_trips,
                bytes_up: r.bytes_up,
                bytes_down: r.bytes_down,
                pushed: r.pushed,
                pulled: r.pulled,
                rejected: r.rejected,
                pending_after: r.pending_after,
            })
            .map_err(|e| GocuaError::from_sync(e, lang))
    }

    /// The sync status; `None` when this register is not enrolled.
    pub fn sync_status(&self) -> Result<Option<SyncStatus>, GocuaError> {
        let lang = self.lang();
        sync::status(&self.register())
            .map(|s| {
                s.map(|s| SyncStatus {
                    hub_url: s.hub_url,
                    hub_id: s.hub_id,
                    area: s.area,
                    pending: s.pending,
                    last_attempt_at: s.last_attempt_at.map(instant),
                    last_success_at: s.last_success_at.map(instant),
                    last_error: s.last_error,
                    rejected: s.rejected,
                })
            })
            .map_err(|e| GocuaError::from_sync(e, lang))
    }
}
