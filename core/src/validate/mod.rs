//! Validation of what a person types: clear errors (which block a save) and warnings (which the
//! volunteer may accept), each with a machine kind, the field, and a message in Vietnamese and
//! English that never repeats the personal data it is about.

mod consistency;
mod document;
mod gps;
mod household;
mod id_number;
mod name;
mod near_duplicate;
mod phone;

pub use consistency::{
    FAR_FROM_COMMUNE_KM, Finding, check_consistency, check_member_fits, check_recorded_times,
    commune_centre, distance_km, far_from_commune,
};
pub use document::{MAX_DOCUMENT_BYTES, MAX_REASON_CHARS, MAX_VISIT_NOTE_CHARS, validate_document};
pub use gps::validate_gps;
pub use household::{validate_household_input, validate_member_input};
pub use id_number::{check_id_number, known_province_prefix};
pub use name::normalize_name;
pub use near_duplicate::{
    DuplicateClue, DuplicateRule, SAME_PLACE_METRES, candidate_pairs, duplicate_rules,
    similar_names,
};
pub use phone::{PhoneKind, normalize_phone};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks the save.
    Error,
    /// Shown to the volunteer, who may save anyway.
    Warning,
}

/// What is wrong, for code to act on. The `code()` strings are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    Required,
    TooLong,
    InvalidCharacters,
    IdNumberFormat,
    IdNumberUnknownProvince,
    IdNumberBirthYearMismatch,
    IdNumberGenderMismatch,
    IdNumberCenturyMismatch,
    PhoneFormat,
    BirthDateInFuture,
    BirthDateTooOld,
    GpsOutOfRange,
    GpsOutsideVietnam,
    GpsAccuracyPoor,
    UnknownAdminUnit,
    UnknownHamlet,
    UnknownMember,
    DuplicateIdNumber,
    InvalidValue,
    NoHead,
    SeveralHeads,
    SeveralSpouses,
    SameMemberTwice,
    RelationGender,
    RelationAge,
    PrerequisiteMissing,
    FarFromCommune,
    RecordedInFuture,
    PossibleDuplicate,
}

impl IssueKind {
    pub fn code(self) -> &'static str {
        match self {
            IssueKind::Required => "required",
            IssueKind::TooLong => "too_long",
            IssueKind::InvalidCharacters => "invalid_characters",
            IssueKind::IdNumberFormat => "id_number_format",
            IssueKind::IdNumberUnknownProvince => "id_number_unknown_province",
            IssueKind::IdNumberBirthYearMismatch => "id_number_birth_year_mismatch",
            IssueKind::IdNumberGenderMismatch => "id_number_gender_mismatch",
            IssueKind::IdNumberCenturyMismatch => "id_number_century_mismatch",
            IssueKind::PhoneFormat => "phone_format",
            IssueKind::BirthDateInFuture => "birth_date_in_future",
            IssueKind::BirthDateTooOld => "birth_date_too_old",
            IssueKind::GpsOutOfRange => "gps_out_of_range",
            IssueKind::GpsOutsideVietnam => "gps_outside_vietnam",
            IssueKind::GpsAccuracyPoor => "gps_accuracy_poor",
            IssueKind::UnknownAdminUnit => "unknown_admin_unit",
            IssueKind::UnknownHamlet => "unknown_hamlet",
            IssueKind::UnknownMember => "unknown_member",
            IssueKind::DuplicateIdNumber => "duplicate_id_number",
            IssueKind::InvalidValue => "invalid_value",
            IssueKind::NoHead => "no_head",
            IssueKind::SeveralHeads => "several_heads",
            IssueKind::SeveralSpouses => "several_spouses",
            IssueKind::SameMemberTwice => "same_member_twice",
            IssueKind::RelationGender => "relation_gender",
            IssueKind::RelationAge => "relation_age",
            IssueKind::PrerequisiteMissing => "prerequisite_missing",
            IssueKind::FarFromCommune => "far_from_commune",
            IssueKind::RecordedInFuture => "recorded_in_future",
            IssueKind::PossibleDuplicate => "possible_duplicate",
        }
    }
}

/// One finding about one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    pub severity: Severity,
    pub kind: IssueKind,
    /// The field, as a dotted path (`member.id_number`, `digital_address.gps.lat`).
    pub field: String,
    pub message_vi: String,
    pub message_en: String,
}

impl Issue {
    pub fn error(kind: IssueKind, field: &str, message_vi: &str, message_en: &str) -> Self {
        Self {
            severity: Severity::Error,
            kind,
            field: field.to_owned(),
            message_vi: message_vi.to_owned(),
            message_en: message_en.to_owned(),
        }
    }

    pub fn warning(kind: IssueKind, field: &str, message_vi: &str, message_en: &str) -> Self {
        Self {
            severity: Severity::Warning,
            kind,
            field: field.to_owned(),
            message_vi: message_vi.to_owned(),
            message_en: message_en.to_owned(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} / {}",
            self.field, self.message_vi, self.message_en
        )
    }
}

/// All findings of one validation run.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Report {
    pub issues: Vec<Issue>,
}

impl Report {
    pub fn push(&mut self, issue: Issue) {
        self.issues.push(issue);
    }

    pub fn extend(&mut self, other: Report) {
        self.issues.extend(other.issues);
    }

    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(Issue::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| !i.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.issues.is_empty()
    }
}
