//! Visits to a household: appended, never edited.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::coded_enum;
use super::ids::{DeviceId, RecordId, VolunteerId};

coded_enum! {
    pub enum VisitOutcome {
        Registered => "registered",
        NotHome => "not_home",
        FollowUpNeeded => "follow_up_needed",
        Refused => "refused",
    }
}

impl VisitOutcome {
    pub fn label_vi(self) -> &'static str {
        match self {
            VisitOutcome::Registered => "Đã đăng ký",
            VisitOutcome::NotHome => "Không có nhà",
            VisitOutcome::FollowUpNeeded => "Cần quay lại",
            VisitOutcome::Refused => "Từ chối",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            VisitOutcome::Registered => "Registered",
            VisitOutcome::NotHome => "Not home",
            VisitOutcome::FollowUpNeeded => "Follow-up needed",
            VisitOutcome::Refused => "Refused",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub id: RecordId,
    pub date: NaiveDate,
    pub volunteer: VolunteerId,
    pub device: DeviceId,
    pub outcome: VisitOutcome,
    pub note: Option<String>,
    /// When to come back, for `follow_up_needed`.
    pub follow_up_on: Option<NaiveDate>,
    pub recorded_at: DateTime<Utc>,
}
