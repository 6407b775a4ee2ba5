//! What crosses the FFI: the core's fieldless enums as they are (`uniffi::remote`, so a variant
//! added in the core fails to compile here instead of drifting), and records of plain strings,
//! numbers, enums and timestamps mirroring the domain types. Ids cross as strings, dates as
//! `YYYY-MM-DD` strings, instants as timestamps (`java.time.Instant`, `Date`).

use std::time::SystemTime;

use chrono::{DateTime, NaiveDate, Utc};
use gocua_core::catalog::admin_units::{self, UnitKind};
use gocua_core::model::{
    self, ChecklistItem, ChecklistStatus, ConsentAction, ConsentMethod, ConsentPurposes, Gender,
    GpsSource, Lifecycle, Relation, ResidenceType, SmartphoneAccess, VisitOutcome,
};
use gocua_core::validate::{IssueKind, Severity};
use gocua_core::{ChecklistCount, SearchMatch};

use crate::error::GocuaError;

// --- the core's enums, as they are -------------------------------------------------------------

/// The language of messages and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Language {
    Vi,
    En,
}

impl Language {
    pub(crate) fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Language::Vi => vi,
            Language::En => en,
        }
    }
}

#[uniffi::remote(Enum)]
pub enum UnitKind {
    Province,
    City,
    Commune,
    Ward,
    SpecialZone,
}

#[uniffi::remote(Enum)]
pub enum ChecklistItem {
    Smartphone,
    SimOwnName,
    VneidInstalled,
    VneidLevel1,
    VneidLevel2,
    WelfareAccountLinked,
    PublicServicePortal,
    FirstOnlineService,
    BankAccount,
    MobileMoney,
    QrPayment,
    EcommerceBuyer,
    EcommerceSeller,
    Vssid,
    HealthRecord,
    DigitalSignature,
    CyberSafety,
    LocalPlatform,
}

#[uniffi::remote(Enum)]
pub enum ChecklistStatus {
    NotAsked,
    NotApplicable,
    AlreadyHad,
    Declined,
    InProgress,
    Referred,
    Done,
    Failed,
}

#[uniffi::remote(Enum)]
pub enum SmartphoneAccess {
    Own,
    Shared,
    None,
}

#[uniffi::remote(Enum)]
pub enum Gender {
    Male,
    Female,
}

#[uniffi::remote(Enum)]
pub enum ResidenceType {
    Permanent,
    Temporary,
}

#[uniffi::remote(Enum)]
pub enum Relation {
    Head,
    Wife,
    Husband,
    Father,
    Mother,
    FatherInLawOfHusband,
    MotherInLawOfHusband,
    FatherInLawOfWife,
    MotherInLawOfWife,
    AdoptiveFather,
    AdoptiveMother,
    Stepfather,
    Stepmother,
    Child,
    DaughterInLaw,
    SonInLaw,
    AdoptedChild,
    Stepchild,
    PaternalGrandfather,
    PaternalGrandmother,
    MaternalGrandfather,
    MaternalGrandmother,
    PaternalGreatGrandparent,
    MaternalGreatGrandparent,
    OlderBrother,
    OlderSister,
    YoungerSibling,
    HalfSiblingSameFather,
    HalfSiblingSameMother,
    OlderBrotherInLaw,
    YoungerBrotherInLaw,
    OlderSisterInLaw,
    YoungerSisterInLaw,
    Nephew,
    PaternalGrandchild,
    MaternalGrandchild,
    GreatGrandchild,
    UncleOlder,
    PaternalUncle,
    MaternalUncle,
    PaternalAunt,
    MaternalAunt,
    Guardian,
    Ward,
    Lodger,
    Borrower,
    Tenant,
    CoLodger,
    CoTenant,
    CoBorrower,
    Other,
}

#[uniffi::remote(Enum)]
pub enum GpsSource {
    Fix,
    MapPin,
}

#[uniffi::remote(Enum)]
pub enum Lifecycle {
    Active,
    MovedAway,
    Merged,
    Dissolved,
    ToVerify,
}

#[uniffi::remote(Enum)]
pub enum VisitOutcome {
    Registered,
    NotHome,
    FollowUpNeeded,
    Refused,
}

#[uniffi::remote(Enum)]
pub enum ConsentAction {
    Given,
    Withdrawn,
}

#[uniffi::remote(Enum)]
pub enum ConsentMethod {
    SignatureOnScreen,
    WitnessedVerbal,
    Thumbprint,
}

#[uniffi::remote(Record)]
pub struct ConsentPurposes {
    pub local_register: bool,
    pub setup_help: bool,
    pub share_with_commune: bool,
}

#[uniffi::remote(Enum)]
pub enum Severity {
    Error,
    Warning,
}

#[uniffi::remote(Enum)]
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

#[uniffi::remote(Enum)]
pub enum SearchMatch {
    Name,
    Phone,
    IdNumber,
}

#[uniffi::remote(Record)]
pub struct ChecklistCount {
    pub item: ChecklistItem,
    pub status: ChecklistStatus,
    pub count: u32,
}

// --- conversions of dates and times ------------------------------------------------------------

pub(crate) fn instant(t: DateTime<Utc>) -> SystemTime {
    SystemTime::from(t)
}

pub(crate) fn utc(t: SystemTime) -> DateTime<Utc> {
    DateTime::<Utc>::from(t)
}

pub(crate) fn day_code(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Parses a `YYYY-MM-DD` date handed over by a shell (its date picker's ISO form).
pub(crate) fn parse_day(s: &str, what: &str) -> Result<NaiveDate, GocuaError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| GocuaError::InvalidInput {
        reason: format!("ngày không hợp lệ / invalid date for {what} (expected YYYY-MM-DD)"),
    })
}

/// Parses a birth date: `YYYY-MM-DD`, `DD/MM/YYYY` or the year alone, as the core reads them.
pub(crate) fn parse_birth(s: &str) -> Result<model::BirthDate, GocuaError> {
    model::BirthDate::parse(s).ok_or_else(|| GocuaError::InvalidInput {
        reason:
            "ngày sinh không hợp lệ / invalid birth date (expected YYYY-MM-DD, DD/MM/YYYY or YYYY)"
                .into(),
    })
}

// --- catalog and labels ------------------------------------------------------------------------

/// A province-level or commune-level administrative unit.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AdminUnit {
    /// 2 digits for a province, 5 for a commune.
    pub code: String,
    /// The province of a commune; `None` for a province.
    pub province_code: Option<String>,
    pub kind: UnitKind,
    /// Vietnamese short name ("Ba Đình").
    pub name: String,
    /// English, diacritic-free name ("Ba Dinh").
    pub name_en: String,
    /// Vietnamese full name with the unit type ("Phường Ba Đình").
    pub full_name: String,
    /// The unit type in the chosen language ("Phường" / "Ward").
    pub kind_label: String,
}

impl AdminUnit {
    pub(crate) fn from_core(u: &admin_units::AdminUnit, lang: Language) -> Self {
        Self {
            code: u.code.clone(),
            province_code: u.province_code.clone(),
            kind: u.kind,
            name: u.name.clone(),
            name_en: u.name_en.clone(),
            full_name: u.full_name.clone(),
            kind_label: lang.pick(u.kind.label_vi(), u.kind.label_en()).to_owned(),
        }
    }
}

/// A checklist item with its label.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChecklistItemInfo {
    pub item: ChecklistItem,
    /// The stable code stored in documents (`vneid_level1`).
    pub code: String,
    pub label: String,
    /// One of the campaign's 5 basic digital skills.
    pub five_skills: bool,
}

/// A checklist status with its label.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChecklistStatusInfo {
    pub status: ChecklistStatus,
    pub code: String,
    pub label: String,
    /// Whether the item counts as achieved.
    pub achieved: bool,
}

/// A relation to the head of household with its label.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RelationInfo {
    pub relation: Relation,
    pub code: String,
    pub label: String,
}

/// A visit outcome with its label.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VisitOutcomeInfo {
    pub outcome: VisitOutcome,
    pub code: String,
    pub label: String,
}

/// The guided-onboarding steps of a checklist item, in one language.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OnboardingGuide {
    pub item: ChecklistItem,
    pub title: String,
    /// What to do, in order.
    pub steps: Vec<String>,
    /// What never to do, and what to warn the person about.
    pub cautions: Vec<String>,
}

impl OnboardingGuide {
    pub(crate) fn from_core(g: &gocua_core::catalog::onboarding::Guide, lang: Language) -> Self {
        let texts = |steps: &[gocua_core::catalog::onboarding::Step]| {
            steps
                .iter()
                .map(|s| lang.pick(&s.vi, &s.en).to_owned())
                .collect()
        };
        Self {
            item: g.item,
            title: lang.pick(&g.title_vi, &g.title_en).to_owned(),
            steps: texts(&g.steps),
            cautions: texts(&g.cautions),
        }
    }
}

// --- validation --------------------------------------------------------------------------------

/// One finding of a validation, with its message in the chosen language (and both, for a shell
/// that shows them side by side). Messages never repeat the personal data they are about.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ValidationIssue {
    pub severity: Severity,
    pub kind: IssueKind,
    /// The stable code of `kind` (`id_number_format`).
    pub code: String,
    /// The field, as a dotted path (`member.id_number`).
    pub field: String,
    pub message: String,
    pub message_vi: String,
    pub message_en: String,
}

impl ValidationIssue {
    pub(crate) fn from_core(i: &gocua_core::validate::Issue, lang: Language) -> Self {
        Self {
            severity: i.severity,
            kind: i.kind,
            code: i.kind.code().to_owned(),
            field: i.field.clone(),
            message: lang.pick(&i.message_vi, &i.message_en).to_owned(),
            message_vi: i.message_vi.clone(),
            message_en: i.message_en.clone(),
        }
    }

    pub(crate) fn list(issues: &[gocua_core::validate::Issue], lang: Language) -> Vec<Self> {
        issues.iter().map(|i| Self::from_core(i, lang)).collect()
    }
}

/// The result of a write that created something: its id, and the warnings the volunteer
/// accepted by saving.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Saved {
    pub id: String,
    pub warnings: Vec<ValidationIssue>,
}

// --- register ----------------------------------------------------------------------------------

/// Who a register writes as.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Identity {
    pub volunteer_id: String,
    pub device_id: String,
    pub commune_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Hamlet {
    pub commune_code: String,
    pub id: String,
    pub name: String,
}

impl From<gocua_core::Hamlet> for Hamlet {
    fn from(h: gocua_core::Hamlet) -> Self {
        Self {
            commune_code: h.commune_code,
            id: h.id,
            name: h.name,
        }
    }
}

/// A WGS84 position with its accuracy and when it was taken.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct GpsFix {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub fixed_at: SystemTime,
    pub source: GpsSource,
}

impl From<GpsFix> for model::GpsFix {
    fn from(g: GpsFix) -> Self {
        Self {
            lat: g.lat,
            lon: g.lon,
            accuracy_m: g.accuracy_m,
            fixed_at: utc(g.fixed_at),
            source: g.source,
        }
    }
}

impl From<model::GpsFix> for GpsFix {
    fn from(g: model::GpsFix) -> Self {
        Self {
            lat: g.lat,
            lon: g.lon,
            accuracy_m: g.accuracy_m,
            fixed_at: instant(g.fixed_at),
            source: g.source,
        }
    }
}

/// An official digital-address code (`VNPOST_10`, `MPS_12`, ...), kept opaque.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OfficialCode {
    pub scheme: String,
    pub code: String,
}

impl From<OfficialCode> for model::OfficialCode {
    fn from(o: OfficialCode) -> Self {
        Self {
            scheme: o.scheme,
            code: o.code,
        }
    }
}

impl From<model::OfficialCode> for OfficialCode {
    fn from(o: model::OfficialCode) -> Self {
        Self {
            scheme: o.scheme,
            code: o.code,
        }
    }
}

/// A new household as typed by a volunteer.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct HouseholdInput {
    pub province_code: String,
    pub commune_code: String,
    pub hamlet_id: String,
    pub street: Option<String>,
    /// Ngõ / ngách / hẻm / kiệt.
    pub alley: Option<String>,
    pub house_number: Option<String>,
    pub gps: Option<GpsFix>,
    pub official: Option<OfficialCode>,
    pub notes: Option<String>,
}

impl From<HouseholdInput> for gocua_core::input::HouseholdInput {
    fn from(h: HouseholdInput) -> Self {
        Self {
            area: model::Area {
                province_code: h.province_code,
                commune_code: h.commune_code,
                hamlet_id: h.hamlet_id,
            },
            address: model::Address {
                street: h.street,
                alley: h.alley,
                house_number: h.house_number,
            },
            gps: h.gps.map(Into::into),
            official: h.official.map(Into::into),
            notes: h.notes,
        }
    }
}

/// A member as typed by a volunteer.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MemberInput {
    pub full_name: String,
    /// `YYYY-MM-DD`, `DD/MM/YYYY` or the year alone (`YYYY`).
    pub birth: Option<String>,
    pub gender: Option<Gender>,
    pub relation: Relation,
    /// Personal identification number (CCCD) as typed.
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub residence: ResidenceType,
}

impl MemberInput {
    pub(crate) fn into_core(self) -> Result<gocua_core::input::MemberInput, GocuaError> {
        Ok(gocua_core::input::MemberInput {
            full_name: self.full_name,
            birth: self.birth.as_deref().map(parse_birth).transpose()?,
            gender: self.gender,
            relation: self.relation,
            id_number: self.id_number,
            phone: self.phone,
            residence: self.residence,
        })
    }
}

/// The current state of one checklist item for one member.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChecklistEntry {
    pub item: ChecklistItem,
    pub status: ChecklistStatus,
    pub reason: Option<String>,
    pub smartphone: Option<SmartphoneAccess>,
    pub set_by: String,
    pub set_at: SystemTime,
    pub device_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Member {
    pub id: String,
    pub full_name: String,
    /// `YYYY-MM-DD` or `YYYY`.
    pub birth: Option<String>,
    pub gender: Option<Gender>,
    pub relation: Relation,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub residence: ResidenceType,
    /// Left the household or died; kept for history and sync.
    pub removed: bool,
    pub checklist: Vec<ChecklistEntry>,
    /// The purposes this member consents to now; `None` if never given or withdrawn.
    pub consent: Option<ConsentPurposes>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Visit {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub volunteer_id: String,
    pub device_id: String,
    pub outcome: VisitOutcome,
    pub note: Option<String>,
    pub follow_up_on: Option<String>,
    pub recorded_at: SystemTime,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentEvent {
    pub id: String,
    pub member_id: String,
    pub action: ConsentAction,
    pub purposes: ConsentPurposes,
    pub notice_version: String,
    pub method: ConsentMethod,
    pub guardian_id: Option<String>,
    pub volunteer_id: String,
    pub device_id: String,
    pub at: SystemTime,
}

/// A household as read from its document.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Household {
    pub id: String,
    pub province_code: String,
    pub commune_code: String,
    pub hamlet_id: String,
    pub street: Option<String>,
    pub alley: Option<String>,
    pub house_number: Option<String>,
    pub gps: Option<GpsFix>,
    /// Computed offline from `gps`.
    pub plus_code: Option<String>,
    pub official: Option<OfficialCode>,
    pub dataset_version: String,
    pub head_member_id: Option<String>,
    /// By member id; removed members included (see `Member.removed`).
    pub members: Vec<Member>,
    pub visits: Vec<Visit>,
    pub consents: Vec<ConsentEvent>,
    pub notes: Option<String>,
    pub lifecycle: Lifecycle,
    pub merged_into: Option<String>,
    pub created_at: SystemTime,
    pub created_by: String,
    pub has_member_with_5_skills: bool,
}

impl From<model::Household> for Household {
    fn from(h: model::Household) -> Self {
        let has_5 = h.has_member_with_5_skills();
        let members = h
            .members
            .values()
            .map(|m| Member {
                id: m.id.0.clone(),
                full_name: m.full_name.clone(),
                birth: m.birth.map(model::BirthDate::to_code),
                gender: m.gender,
                relation: m.relation,
                id_number: m.id_number.clone(),
                phone: m.phone.clone(),
                residence: m.residence,
                removed: m.removed,
                checklist: m
                    .checklist
                    .iter()
                    .map(|(item, e)| ChecklistEntry {
                        item: *item,
                        status: e.status,
                        reason: e.reason.clone(),
                        smartphone: e.smartphone,
                        set_by: e.set_by.0.clone(),
                        set_at: instant(e.set_at),
                        device_id: e.device.0.clone(),
                    })
                    .collect(),
                consent: h.current_consent(&m.id),
            })
            .collect();
        Self {
            id: h.id.0,
            province_code: h.area.province_code,
            commune_code: h.area.commune_code,
            hamlet_id: h.area.hamlet_id,
            street: h.address.street,
            alley: h.address.alley,
            house_number: h.address.house_number,
            gps: h.digital_address.gps.map(Into::into),
            plus_code: h.digital_address.plus_code,
            official: h.digital_address.official.map(Into::into),
            dataset_version: h.digital_address.dataset_version,
            head_member_id: h.head.map(|m| m.0),
            members,
            visits: h
                .visits
                .into_iter()
                .map(|v| Visit {
                    id: v.id.0,
                    date: day_code(v.date),
                    volunteer_id: v.volunteer.0,
                    device_id: v.device.0,
                    outcome: v.outcome,
                    note: v.note,
                    follow_up_on: v.follow_up_on.map(day_code),
                    recorded_at: instant(v.recorded_at),
                })
                .collect(),
            consents: h
                .consents
                .into_iter()
                .map(|c| ConsentEvent {
                    id: c.id.0,
                    member_id: c.member.0,
                    action: c.action,
                    purposes: c.purposes,
                    notice_version: c.notice_version,
                    method: c.method,
                    guardian_id: c.guardian.map(|g| g.0),
                    volunteer_id: c.volunteer.0,
                    device_id: c.device.0,
                    at: instant(c.at),
                })
                .collect(),
            notes: h.notes,
            lifecycle: h.lifecycle,
            merged_into: h.merged_into.map(|m| m.0),
            created_at: instant(h.created_at),
            created_by: h.created_by.0,
            has_member_with_5_skills: has_5,
        }
    }
}

/// A household as it appears in a list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HouseholdSummary {
    pub id: String,
    pub commune_code: String,
    pub hamlet_id: String,
    pub head_name: Option<String>,
    pub address: String,
    pub plus_code: Option<String>,
    pub member_count: u32,
    pub lifecycle: Lifecycle,
    pub conflict_count: u32,
    pub has_member_with_5_skills: bool,
    pub visit_count: u32,
    pub follow_up_on: Option<String>,
    /// Changed on this device since the last successful sync.
    pub pending_sync: bool,
}

impl From<gocua_core::HouseholdSummary> for HouseholdSummary {
    fn from(s: gocua_core::HouseholdSummary) -> Self {
        Self {
            id: s.id.0,
            commune_code: s.commune_code,
            hamlet_id: s.hamlet_id,
            head_name: s.head_name,
            address: s.address,
            plus_code: s.plus_code,
            member_count: s.member_count,
            lifecycle: s.lifecycle,
            conflict_count: s.conflict_count,
            has_member_with_5_skills: s.has_member_with_5_skills,
            visit_count: s.visit_count,
            follow_up_on: s.follow_up_on,
            pending_sync: s.pending_sync,
        }
    }
}

/// A member found by search. The ID number is never included whole.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SearchHit {
    pub household_id: String,
    pub member_id: String,
    pub full_name: String,
    pub hamlet_id: String,
    pub id_number_last4: Option<String>,
    pub matched: SearchMatch,
}

impl From<gocua_core::SearchHit> for SearchHit {
    fn from(h: gocua_core::SearchHit) -> Self {
        Self {
            household_id: h.household.0,
            member_id: h.member.0,
            full_name: h.full_name,
            hamlet_id: h.hamlet_id,
            id_number_last4: h.id_number_last4,
            matched: h.matched,
        }
    }
}

/// A change of a household-level field (`None` clears it).
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum HouseholdFieldUpdate {
    Hamlet { hamlet_id: String },
    Street { value: Option<String> },
    Alley { value: Option<String> },
    HouseNumber { value: Option<String> },
    Gps { fix: Option<GpsFix> },
    OfficialCode { code: Option<OfficialCode> },
    Head { member_id: Option<String> },
    Notes { value: Option<String> },
    Lifecycle { lifecycle: Lifecycle },
    MergedInto { household_id: Option<String> },
}

impl From<HouseholdFieldUpdate> for gocua_core::HouseholdField {
    fn from(u: HouseholdFieldUpdate) -> Self {
        use gocua_core::HouseholdField as F;
        match u {
            HouseholdFieldUpdate::Hamlet { hamlet_id } => F::Hamlet(hamlet_id),
            HouseholdFieldUpdate::Street { value } => F::Street(value),
            HouseholdFieldUpdate::Alley { value } => F::Alley(value),
            HouseholdFieldUpdate::HouseNumber { value } => F::HouseNumber(value),
            HouseholdFieldUpdate::Gps { fix } => F::Gps(fix.map(Into::into)),
            HouseholdFieldUpdate::OfficialCode { code } => F::OfficialCode(code.map(Into::into)),
            HouseholdFieldUpdate::Head { member_id } => F::Head(member_id.map(model::MemberId)),
            HouseholdFieldUpdate::Notes { value } => F::Notes(value),
            HouseholdFieldUpdate::Lifecycle { lifecycle } => F::Lifecycle(lifecycle),
            HouseholdFieldUpdate::MergedInto { household_id } => {
                F::MergedInto(household_id.map(model::HouseholdId))
            }
        }
    }
}

/// A change of one member field (`None` clears it).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum MemberFieldUpdate {
    FullName {
        value: String,
    },
    /// `YYYY-MM-DD`, `DD/MM/YYYY` or `YYYY`.
    Birth {
        value: Option<String>,
    },
    Gender {
        value: Option<Gender>,
    },
    Relation {
        value: Relation,
    },
    IdNumber {
        value: Option<String>,
    },
    Phone {
        value: Option<String>,
    },
    Residence {
        value: ResidenceType,
    },
}

impl MemberFieldUpdate {
    pub(crate) fn into_core(self) -> Result<gocua_core::MemberField, GocuaError> {
        use gocua_core::MemberField as F;
        Ok(match self {
            MemberFieldUpdate::FullName { value } => F::FullName(value),
            MemberFieldUpdate::Birth { value } => {
                F::Birth(value.as_deref().map(parse_birth).transpose()?)
            }
            MemberFieldUpdate::Gender { value } => F::Gender(value),
            MemberFieldUpdate::Relation { value } => F::Relation(value),
            MemberFieldUpdate::IdNumber { value } => F::IdNumber(value),
            MemberFieldUpdate::Phone { value } => F::Phone(value),
            MemberFieldUpdate::Residence { value } => F::Residence(value),
        })
    }
}

// --- conflicts and history ---------------------------------------------------------------------

/// Which field: a household key (`member_id` `None`) or a member's key.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FieldRef {
    pub member_id: Option<String>,
    /// `street`, `full_name`, `phone`, ...
    pub key: String,
    /// `household.street` or `member.<id>.full_name`.
    pub path: String,
}

impl From<gocua_core::FieldPath> for FieldRef {
    fn from(f: gocua_core::FieldPath) -> Self {
        Self {
            path: f.to_string(),
            member_id: f.member.map(|m| m.0),
            key: f.key,
        }
    }
}

impl From<FieldRef> for gocua_core::FieldPath {
    fn from(f: FieldRef) -> Self {
        Self {
            member: f.member_id.map(model::MemberId),
            key: f.key,
        }
    }
}

/// One of the concurrent values of a field, with who wrote it and when (by that device's
/// clock).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConflictValue {
    /// In stored form: pass it back to resolve the conflict in its favour.
    pub value: String,
    pub volunteer_id: Option<String>,
    pub device_id: Option<String>,
    pub at: Option<SystemTime>,
}

/// A field written concurrently on two replicas, for a person to settle.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Conflict {
    pub field: FieldRef,
    /// In the same order on every replica.
    pub values: Vec<ConflictValue>,
}

impl From<gocua_core::Conflict> for Conflict {
    fn from(c: gocua_core::Conflict) -> Self {
        Self {
            field: c.field.into(),
            values: c
                .values
                .into_iter()
                .map(|v| ConflictValue {
                    value: v.value,
                    volunteer_id: v.volunteer.map(|x| x.0),
                    device_id: v.device.map(|x| x.0),
                    at: v.at.map(instant),
                })
                .collect(),
        }
    }
}

/// One change in a household's history.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HistoryEntry {
    pub change: String,
    pub volunteer_id: Option<String>,
    pub device_id: Option<String>,
    pub at: Option<SystemTime>,
    /// What changed (`member.set <id> phone`), never the data itself.
    pub what: String,
}

impl From<gocua_core::HistoryEntry> for HistoryEntry {
    fn from(h: gocua_core::HistoryEntry) -> Self {
        Self {
            change: h.change,
            volunteer_id: h.volunteer.map(|x| x.0),
            device_id: h.device.map(|x| x.0),
            at: h.at.map(instant),
            what: h.what,
        }
    }
}

// --- household card ----------------------------------------------------------------------------

/// What the household card shows and encodes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HouseholdCard {
    pub household_id: String,
    /// The text of the QR code: version, random household id and Plus Code, nothing personal.
    pub qr_payload: String,
    pub plus_code: Option<String>,
}

/// A scanned household card.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ScannedCard {
    pub household_id: String,
    pub plus_code: Option<String>,
}
