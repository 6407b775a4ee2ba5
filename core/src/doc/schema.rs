//! The layout of a household document. Changing a key here changes stored data: add keys, never
//! rename them; bump `DOC_SCHEMA` when the meaning of an existing key changes.
//!
//! ```text
//! root
//!   schema, id, created_at, created_by            written once by the creating device
//!   province, commune, hamlet, dataset_version    area
//!   street, alley, house_number                   address (absent = none)
//!   gps, official_code                            digital address, each one string (see codec)
//!   head, notes, lifecycle, merged_into
//!   members   map  member id -> member map
//!               full_name, birth, gender, relation, id_number, phone, residence, status
//!               checklist  map  item code -> entry map (status, reason, smartphone, by, at, device),
//!                          replaced whole on every update so status and who/when stay together
//!   visits    list of visit maps     append-only
//!   consents  list of consent maps   append-only
//!   actors    map  actor hex -> "volunteer id|device id"
//! ```
//!
//! Every user-editable scalar is a string, so a conflict between two values can be shown and
//! resolved the same way whatever the field.

pub const DOC_SCHEMA: i64 = 1;

pub const SCHEMA: &str = "schema";
pub const ID: &str = "id";
pub const CREATED_AT: &str = "created_at";
pub const CREATED_BY: &str = "created_by";
pub const PROVINCE: &str = "province";
pub const COMMUNE: &str = "commune";
pub const HAMLET: &str = "hamlet";
pub const DATASET_VERSION: &str = "dataset_version";
pub const STREET: &str = "street";
pub const ALLEY: &str = "alley";
pub const HOUSE_NUMBER: &str = "house_number";
pub const GPS: &str = "gps";
pub const OFFICIAL_CODE: &str = "official_code";
pub const HEAD: &str = "head";
pub const NOTES: &str = "notes";
pub const LIFECYCLE: &str = "lifecycle";
pub const MERGED_INTO: &str = "merged_into";
pub const MEMBERS: &str = "members";
pub const VISITS: &str = "visits";
pub const CONSENTS: &str = "consents";
pub const ACTORS: &str = "actors";

/// Household-level keys a person edits, in display order; each may hold conflicting values.
pub const HOUSEHOLD_FIELDS: &[&str] = &[
    HAMLET,
    STREET,
    ALLEY,
    HOUSE_NUMBER,
    GPS,
    OFFICIAL_CODE,
    HEAD,
    NOTES,
    LIFECYCLE,
    MERGED_INTO,
];

pub const FULL_NAME: &str = "full_name";
pub const BIRTH: &str = "birth";
pub const GENDER: &str = "gender";
pub const RELATION: &str = "relation";
pub const ID_NUMBER: &str = "id_number";
pub const PHONE: &str = "phone";
pub const RESIDENCE: &str = "residence";
pub const STATUS: &str = "status";
pub const CHECKLIST: &str = "checklist";

/// Member keys a person edits, in display order; each may hold conflicting values.
pub const MEMBER_FIELDS: &[&str] = &[
    FULL_NAME, BIRTH, GENDER, RELATION, ID_NUMBER, PHONE, RESIDENCE, STATUS,
];

pub const MEMBER_CURRENT: &str = "current";
pub const MEMBER_REMOVED: &str = "removed";

// Checklist entry keys.
pub const ENTRY_STATUS: &str = "status";
pub const ENTRY_REASON: &str = "reason";
pub const ENTRY_SMARTPHONE: &str = "smartphone";
pub const ENTRY_BY: &str = "by";
pub const ENTRY_AT: &str = "at";
pub const ENTRY_DEVICE: &str = "device";

// Record (visit, consent) keys.
pub const REC_ID: &str = "id";
pub const REC_VOLUNTEER: &str = "volunteer";
pub const REC_DEVICE: &str = "device";
pub const REC_AT: &str = "at";
pub const VISIT_DATE: &str = "date";
pub const VISIT_OUTCOME: &str = "outcome";
pub const VISIT_NOTE: &str = "note";
pub const VISIT_FOLLOW_UP: &str = "follow_up_on";
pub const CONSENT_MEMBER: &str = "member";
pub const CONSENT_ACTION: &str = "action";
pub const CONSENT_LOCAL_REGISTER: &str = "local_register";
pub const CONSENT_SETUP_HELP: &str = "setup_help";
pub const CONSENT_SHARE: &str = "share_with_commune";
pub const CONSENT_NOTICE: &str = "notice_version";
pub const CONSENT_METHOD: &str = "method";
pub const CONSENT_GUARDIAN: &str = "guardian";
