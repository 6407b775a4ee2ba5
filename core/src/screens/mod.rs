//! Screen models of the volunteer's visit (the crux way): each screen is a plain state machine
//! that takes events from the shell (a field typed, a button pressed, a GPS fix, a QR text) and
//! returns a view state to draw, every sentence already in the chosen language. Rules, masking,
//! labels, parsing and consent live here once; the Kotlin and Swift shells only render.
//!
//! Models do no I/O of their own beyond the [`crate::Register`] they are handed for an event.
//! `view.rs` holds the pieces every view state is made of.

pub mod area;
pub mod bundles;
pub mod card;
pub mod checklist;
mod common;
pub mod conflicts;
pub mod consent;
pub mod corrections;
pub mod dates;
pub mod enrol;
pub mod field_edit;
pub mod history;
pub mod household_form;
pub mod labels;
pub mod mask;
pub mod members;
pub mod position_text;
pub mod sync_status;
pub mod view;
pub mod visit;

pub use view::{ActionView, FieldKind, FieldView, Lang, Notice, NoticeLevel, OptionView, tr};
