//! Wrappers of the core's screen models (`gocua_core::screens`). Only the stateless enrolment
//! parser is exported so far; the stateful models get objects in a later change.

mod enrol;

pub use enrol::*;
