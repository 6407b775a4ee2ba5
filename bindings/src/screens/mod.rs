//! The core's screen models (`gocua_core::screens`) as objects: one per screen, built with the
//! register it reads and writes, `view()` for the state to draw and `send(event)` for what the
//! volunteer did. Every rule and sentence stays in the core; these are wrappers only.
//!
//! A screen takes the register's lock only for the length of one event (never across a sync's
//! network I/O), and its own model's lock first: two threads sending events to one screen are
//! served one after the other.

mod area;
mod bundles;
mod card;
mod checklist;
mod conflicts;
mod consent;
mod corrections;
mod enrol;
mod format;
mod household_form;
mod members;
mod sync_status;
mod view;
mod visit;

pub use area::*;
pub use bundles::*;
pub use card::*;
pub use checklist::*;
pub use conflicts::*;
pub use consent::*;
pub use corrections::*;
pub use enrol::*;
pub use format::*;
pub use household_form::*;
pub use members::*;
pub use sync_status::*;
pub use view::*;
pub use visit::*;

pub(crate) use crate::register::lock;
