//! Who is writing a change: kept apart from the document so the edit functions can take it
//! without depending on the document type.

use chrono::{DateTime, Utc};

use crate::model::{DeviceId, VolunteerId};

/// Who is writing, from where, and when (by the device's clock, which may be wrong: ordering
/// always comes from the CRDT, the time is only shown to people).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeContext {
    pub volunteer: VolunteerId,
    pub device: DeviceId,
    pub at: DateTime<Utc>,
}
