//! The bytes of request bodies the hub holds at once, across every connection (issue 16). A
//! body is read whole before it is handled; without a bound, an enrolled device (or a stolen
//! token) on many connections could make the hub hold 32 MiB per connection. Resumable uploads
//! have their own bound (`upload::MAX_STAGED_BYTES`); small bodies (enrolment, finish, the
//! dashboard's forms) are capped at 64 KiB each by their routes. One device holds at most one
//! largest body's worth at once, so a stolen token alone cannot spend the budget of everyone.
//! Beyond either bound the hub answers `503 busy` with `Retry-After` before reading anything,
//! rather than growing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The largest request body the hub reads (compressed).
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// Seconds a device is asked to wait before it tries again.
pub const RETRY_AFTER_SECS: u32 = 30;

/// A shared allowance of body bytes, counted in KiB, and what each device holds of it.
pub struct BodyBudget {
    kib: Arc<Semaphore>,
    per_device_kib: usize,
    held: Arc<Mutex<HashMap<String, usize>>>,
}

/// A device's hold on part of the budget, given back when dropped.
pub struct Hold {
    _kib: OwnedSemaphorePermit,
    device: String,
    size: usize,
    held: Arc<Mutex<HashMap<String, usize>>>,
}

impl Drop for Hold {
    fn drop(&mut self) {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = held.get_mut(&self.device) {
            *n = n.saturating_sub(self.size);
            if *n == 0 {
                held.remove(&self.device);
            }
        }
    }
}

impl BodyBudget {
    /// `bytes` in all, of which one device holds at most `per_device` at once.
    pub fn new(bytes: usize, per_device: usize) -> Self {
        Self {
            kib: Arc::new(Semaphore::new(bytes.div_ceil(1024).max(1))),
            per_device_kib: per_device.div_ceil(1024).max(1),
            held: Arc::default(),
        }
    }

    /// A hold of `device` on `bytes` until it is dropped, or `None` when the budget, or the
    /// device's share of it, is spent.
    pub fn try_hold(&self, device: &str, bytes: usize) -> Option<Hold> {
        let size = bytes.div_ceil(1024).max(1);
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let mine = held.get(device).copied().unwrap_or(0);
        if mine + size > self.per_device_kib {
            return None;
        }
        let permit = self
            .kib
            .clone()
            .try_acquire_many_owned(u32::try_from(size).ok()?)
            .ok()?;
        held.insert(device.to_owned(), mine + size);
        Some(Hold {
            _kib: permit,
            device: device.to_owned(),
            size,
            held: self.held.clone(),
        })
    }

    /// KiB free now (tests, the status page).
    pub fn free_kib(&self) -> usize {
        self.kib.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_holds_its_share_and_all_together_the_budget() {
        let budget = BodyBudget::new(100 * 1024, 40 * 1024);
        let a = budget.try_hold("a", 30 * 1024).expect("a's first body");
        assert!(
            budget.try_hold("a", 20 * 1024).is_none(),
            "beyond a's share"
        );
        let b = budget.try_hold("b", 40 * 1024).expect("b's body");
        assert!(
            budget.try_hold("c", 40 * 1024).is_none(),
            "beyond the budget"
        );
        drop(a);
        let c = budget.try_hold("c", 40 * 1024).expect("room again");
        assert!(
            budget.try_hold("a", 20 * 1024).is_some(),
            "a's share is back"
        );
        drop((b, c));
        assert_eq!(budget.free_kib(), 100);
    }
}
