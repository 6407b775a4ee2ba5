//! Embedded catalogs: administrative units and guided-onboarding steps.

pub mod admin_units;
pub mod consent_notice;
pub mod onboarding;
