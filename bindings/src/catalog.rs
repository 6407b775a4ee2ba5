//! What needs no register: the administrative-unit catalog, labels, guided onboarding, Plus Codes,
//! the household card, and validation of a form as it is typed.

use chrono::Utc;
use gocua_core::catalog::admin_units::UnitKind;
use gocua_core::catalog::{admin_units, onboarding};
use gocua_core::digital_address;
use gocua_core::model::{
    ChecklistItem, ChecklistStatus, ConsentAction, ConsentMethod, Gender, GpsSource, Lifecycle,
    Relation, ResidenceType, SmartphoneAccess, VisitOutcome,
};
use gocua_core::validate;

use crate::error::GocuaError;
use crate::types::*;

fn units(list: Vec<&admin_units::AdminUnit>, lang: Language) -> Vec<AdminUnit> {
    list.into_iter()
        .map(|u| AdminUnit::from_core(u, lang))
        .collect()
}

/// All provinces and centrally-governed cities, by code.
#[uniffi::export]
pub fn catalog_provinces(lang: Language) -> Vec<AdminUnit> {
    units(admin_units::provinces(), lang)
}

/// The communes, wards and special zones of a province, by code (empty for an unknown code).
#[uniffi::export]
pub fn catalog_communes(province_code: String, lang: Language) -> Vec<AdminUnit> {
    units(admin_units::communes_of(&province_code), lang)
}

/// The province or commune with this code.
#[uniffi::export]
pub fn catalog_unit(code: String, lang: Language) -> Option<AdminUnit> {
    admin_units::province(&code)
        .or_else(|| admin_units::commune(&code))
        .map(|u| AdminUnit::from_core(u, lang))
}

/// Units by name (case and diacritics ignored) or code, best first.
#[uniffi::export]
pub fn catalog_search(query: String, limit: u32, lang: Language) -> Vec<AdminUnit> {
    units(admin_units::search(&query, limit as usize), lang)
}

/// The date of the administrative-unit dataset (`2026-07-25`).
#[uniffi::export]
pub fn catalog_dataset_version() -> String {
    admin_units::DATASET_VERSION.to_owned()
}

/// Every checklist item, in checklist order, with its label.
#[uniffi::export]
pub fn checklist_items(lang: Language) -> Vec<ChecklistItemInfo> {
    ChecklistItem::ALL
        .iter()
        .map(|&item| ChecklistItemInfo {
            item,
            code: item.code().to_owned(),
            label: lang.pick(item.label_vi(), item.label_en()).to_owned(),
            five_skills: ChecklistItem::FIVE_SKILLS.contains(&item),
        })
        .collect()
}

/// Every checklist status with its label.
#[uniffi::export]
pub fn checklist_statuses(lang: Language) -> Vec<ChecklistStatusInfo> {
    ChecklistStatus::ALL
        .iter()
        .map(|&status| ChecklistStatusInfo {
            status,
            code: status.code().to_owned(),
            label: lang.pick(status.label_vi(), status.label_en()).to_owned(),
            achieved: status.is_achieved(),
        })
        .collect()
}

/// Every relation to the head of household, with its label.
#[uniffi::export]
pub fn relations(lang: Language) -> Vec<RelationInfo> {
    Relation::ALL
        .iter()
        .map(|&relation| RelationInfo {
            relation,
            code: relation.code().to_owned(),
            label: lang
                .pick(relation.label_vi(), relation.label_en())
                .to_owned(),
        })
        .collect()
}

/// Every visit outcome, with its label.
#[uniffi::export]
pub fn visit_outcomes(lang: Language) -> Vec<VisitOutcomeInfo> {
    VisitOutcome::ALL
        .iter()
        .map(|&outcome| VisitOutcomeInfo {
            outcome,
            code: outcome.code().to_owned(),
            label: lang.pick(outcome.label_vi(), outcome.label_en()).to_owned(),
        })
        .collect()
}

/// Declares `fn <name>(value, lang) -> String`: the label of one coded value.
macro_rules! label_fns {
    ($($name:ident($t:ty);)+) => {$(
        /// The label of a coded value in the chosen language.
        #[uniffi::export]
        pub fn $name(value: $t, lang: Language) -> String {
            lang.pick(value.label_vi(), value.label_en()).to_owned()
        }
    )+};
}

label_fns! {
    checklist_item_label(ChecklistItem);
    checklist_status_label(ChecklistStatus);
    relation_label(Relation);
    visit_outcome_label(VisitOutcome);
    gender_label(Gender);
    residence_label(ResidenceType);
    lifecycle_label(Lifecycle);
    consent_action_label(ConsentAction);
    consent_method_label(ConsentMethod);
    gps_source_label(GpsSource);
    smartphone_access_label(SmartphoneAccess);
    unit_kind_label(UnitKind);
}

/// The guided-onboarding steps of one checklist item.
#[uniffi::export]
pub fn onboarding_guide(item: ChecklistItem, lang: Language) -> OnboardingGuide {
    OnboardingGuide::from_core(onboarding::guide(item), lang)
}

/// Every guide, in checklist order.
#[uniffi::export]
pub fn onboarding_guides(lang: Language) -> Vec<OnboardingGuide> {
    onboarding::all()
        .iter()
        .map(|g| OnboardingGuide::from_core(g, lang))
        .collect()
}

/// Version of the embedded onboarding content.
#[uniffi::export]
pub fn onboarding_version() -> u32 {
    onboarding::version()
}

/// The Plus Code (11 digits) of a position; `None` for a non-finite coordinate.
#[uniffi::export]
pub fn plus_code(lat: f64, lon: f64) -> Option<String> {
    Some(digital_address::plus_code(lat, lon)).filter(|c| !c.is_empty())
}

/// Reads a scanned QR code back into a household card; `InvalidInput` if it is not one.
#[uniffi::export]
pub fn parse_household_card(payload: String) -> Result<ScannedCard, GocuaError> {
    digital_address::parse_card_payload(&payload)
        .map(|(id, plus_code)| ScannedCard {
            household_id: id.0,
            plus_code,
        })
        .map_err(|e| GocuaError::InvalidInput {
            reason: e.to_string(),
        })
}

/// Checks a member form as typed (before saving), against today's date. The register checks
/// again on save, adding what needs the register (an ID number held by someone else).
#[uniffi::export]
pub fn validate_member(
    input: MemberInput,
    lang: Language,
) -> Result<Vec<ValidationIssue>, GocuaError> {
    let input = input.into_core()?;
    let (_, report) = validate::validate_member_input(&input, Utc::now().date_naive());
    Ok(ValidationIssue::list(&report.issues, lang))
}

/// Checks a household form as typed (before saving). The register checks again on save, adding
/// what needs the register (the commune's hamlet list).
#[uniffi::export]
pub fn validate_household(input: HouseholdInput, lang: Language) -> Vec<ValidationIssue> {
    let (_, report) = validate::validate_household_input(&input.into(), Utc::now());
    ValidationIssue::list(&report.issues, lang)
}

/// The version of the consent notice the core shows (vi/en); recorded with every consent.
#[uniffi::export]
pub fn consent_notice_version() -> String {
    gocua_core::catalog::consent_notice::VERSION.to_owned()
}
