//! Cancelling a sync, and the pause before a retry that a cancel cuts short: shared by the
//! sync's loop (`client.rs`) and the resumption of a cut request (`resume.rs`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Cancels a sync from another thread. The sync stops at the next safe point: what was stored
/// stays stored and consistent; the report says `Cancelled`, never success.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Waits a little longer after each interrupted request (a link that just dropped often needs a
/// moment), waking early when the sync is cancelled.
pub(super) fn pause_before_retry(attempt: u32, cancel: &CancelToken) {
    let until =
        std::time::Instant::now() + std::time::Duration::from_millis(250 * u64::from(attempt));
    while std::time::Instant::now() < until && !cancel.is_cancelled() {
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}
