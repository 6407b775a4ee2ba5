//! The register as the sync holds it: for short steps only.

use std::cell::RefCell;
use std::sync::Mutex;

use crate::register::Register;

/// A register the sync takes for short steps (planning a batch, applying an answer) and lets go
/// of while the request is on the network, so reads and edits go on meanwhile.
pub trait SharedRegister {
    /// Runs `f` with the register held.
    fn with_register<T>(&self, f: impl FnOnce(&mut Register) -> T) -> T;
}

impl SharedRegister for Mutex<Register> {
    fn with_register<T>(&self, f: impl FnOnce(&mut Register) -> T) -> T {
        // A panic elsewhere left the register as its last transaction did: still consistent.
        f(&mut self.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}

/// A register borrowed for a whole step (`&mut`), for the paths that hold it throughout (an
/// enrolment, a handover, [`Register::sync_with`]) and share code with those that do not.
pub(crate) struct Exclusive<'a>(RefCell<&'a mut Register>);

impl<'a> Exclusive<'a> {
    pub(crate) fn new(reg: &'a mut Register) -> Self {
        Exclusive(RefCell::new(reg))
    }
}

impl SharedRegister for Exclusive<'_> {
    fn with_register<T>(&self, f: impl FnOnce(&mut Register) -> T) -> T {
        f(&mut self.0.borrow_mut())
    }
}
