//! The sync status screen, and the sync that feeds it: the screen runs the sync itself so that
//! every sentence a volunteer reads about it (progress, outcome, refusals and their reasons, what
//! is still waiting) comes from the core's model.

use std::sync::{Arc, Mutex};

use gocua_core::screens::sync_status::{
    RefusedView, SyncStatusEvent, SyncStatusModel, SyncStatusView,
};
use gocua_core::screens::{ActionView, NoticeLevel};
use gocua_core::sync::{self, Phase, Progress, SyncOptions};

use super::lock;
use super::view::lang_of;
use crate::error::GocuaError;
use crate::register::GocuaRegister;
use crate::sync::SyncCancellation;

#[uniffi::remote(Record)]
pub struct RefusedView {
    pub household: String,
    pub reason: String,
}

#[uniffi::remote(Record)]
pub struct SyncStatusView {
    pub running: bool,
    pub headline: String,
    pub severity: NoticeLevel,
    pub details: Vec<String>,
    pub pending: u32,
    pub pending_line: String,
    pub refused: Vec<RefusedView>,
    pub sync: ActionView,
    pub retry_later: bool,
}

/// Receives the status screen's view each time a running sync changes it, on the syncing
/// thread: hand it to the UI thread rather than work here. An error it returns is ignored.
#[uniffi::export(with_foreign)]
pub trait SyncViewListener: Send + Sync {
    fn on_view(&self, view: SyncStatusView) -> Result<(), GocuaError>;
}

#[derive(uniffi::Object)]
pub struct SyncScreen {
    register: Arc<GocuaRegister>,
    model: Mutex<SyncStatusModel>,
}

impl SyncScreen {
    /// Hands `event` to the model, holding the register only for the pending count it reads.
    fn apply(&self, event: SyncStatusEvent<'_>) -> Result<SyncStatusView, GocuaError> {
        let mut model = lock(&self.model);
        let view = model.handle(&self.register.register(), event);
        view.map_err(|e| GocuaError::from_core(e, self.register.lang()))
    }
}

/// The sync's progress, turned into views for the listener.
struct Feed<'a> {
    screen: &'a SyncScreen,
    listener: Option<Arc<dyn SyncViewListener>>,
}

impl Feed<'_> {
    fn tell(&self, view: Result<SyncStatusView, GocuaError>) {
        if let (Some(listener), Ok(view)) = (&self.listener, view) {
            let _ = listener.on_view(view);
        }
    }
}

impl Progress for Feed<'_> {
    fn on_progress(&self, phase: Phase, done: u64, total: u64) {
        let event = SyncStatusEvent::Progress { phase, done, total };
        self.tell(self.screen.apply(event));
    }
}

#[uniffi::export]
impl SyncScreen {
    #[uniffi::constructor]
    pub fn new(register: Arc<GocuaRegister>) -> Arc<Self> {
        let model = SyncStatusModel::new(lang_of(register.lang()));
        Arc::new(Self {
            register,
            model: Mutex::new(model),
        })
    }

    pub fn view(&self) -> Result<SyncStatusView, GocuaError> {
        let model = lock(&self.model);
        let view = model.view(&self.register.register());
        view.map_err(|e| GocuaError::from_core(e, self.register.lang()))
    }

    /// Syncs with the hub this register is enrolled with (blocks on the network: call it from a
    /// background thread), telling `listener` each new view. A failed sync is not an error here:
    /// its sentence is the view's headline, and what was stored stays stored.
    pub fn sync(
        &self,
        listener: Option<Arc<dyn SyncViewListener>>,
        cancel: Option<Arc<SyncCancellation>>,
    ) -> Result<SyncStatusView, GocuaError> {
        let feed = Feed {
            screen: self,
            listener,
        };
        feed.tell(self.apply(SyncStatusEvent::Started));
        let mut options = SyncOptions {
            progress: &feed,
            ..SyncOptions::default()
        };
        if let Some(c) = &cancel {
            options.cancel = c.token();
        }
        let view = match sync::sync_mutex(self.register.shared(), &options) {
            Ok(report) => self.apply(SyncStatusEvent::Finished(&report)),
            Err(error) => self.apply(SyncStatusEvent::Failed(&error)),
        };
        feed.tell(view.clone());
        view
    }
}
