//! The consent rule (Law 91/2025/QH15 as DOMAIN.md states it), enforced by the register so that
//! no shell or CLI can bypass it: before a person's consent only what identifies them minimally
//! (name, relation; gender and residence type as the household book shows them) is stored. Their
//! ID number, phone and birth date need the `local_register` purpose; their checklist progress
//! needs `setup_help`. Refusals name the field, never its value.

use crate::doc::MemberField;
use crate::error::{Error, Result};
use crate::input::MemberInput;
use crate::model::{ConsentMethod, ConsentPurposes, Household, MemberId};
use crate::validate::{Issue, IssueKind, Report};

/// Age under which a guardian consents for the person (Decree 356/2025: children under 16 need a
/// guardian; we use 18, the age of majority, to stay on the safe side for account set-up).
pub const AGE_OF_CONSENT: i32 = 18;

/// The purpose a stored field needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    LocalRegister,
    SetupHelp,
}

impl Purpose {
    fn granted_by(self, p: &ConsentPurposes) -> bool {
        match self {
            Purpose::LocalRegister => p.local_register,
            Purpose::SetupHelp => p.setup_help,
        }
    }
}

/// Whether `member` of `household` has consented to `purpose` and not withdrawn it.
pub fn allows(household: &Household, member: &MemberId, purpose: Purpose) -> bool {
    household
        .current_consent(member)
        .is_some_and(|p| purpose.granted_by(&p))
}

fn refusal(field: &str) -> Error {
    refused(
        IssueKind::Required,
        field,
        "Cần người này đồng ý (đúng mục đích) trước khi lưu thông tin này.",
        "This person's consent (for the right purpose) is needed before this is stored.",
    )
}

/// A write refused for one reason about one field.
pub(crate) fn refused(kind: IssueKind, field: &str, vi: &str, en: &str) -> Error {
    Error::Validation(Report {
        issues: vec![Issue::error(kind, field, vi, en)],
    })
}

/// A new member has no consent yet: refuses an ID number, phone or birth date.
pub(crate) fn check_new_member(input: &MemberInput) -> Result<()> {
    let personal = [
        ("member.birth", input.birth.is_some()),
        ("member.id_number", input.id_number.is_some()),
        ("member.phone", input.phone.is_some()),
    ];
    match personal.into_iter().find(|(_, set)| *set) {
        Some((field, _)) => Err(refusal(field)),
        None => Ok(()),
    }
}

/// Setting a personal field needs consent; clearing one never does. A birth date that makes the
/// person a minor (in `this_year`) also needs that consent to have come from a guardian.
pub(crate) fn check_member_field(
    household: &Household,
    member: &MemberId,
    field: &MemberField,
    this_year: i32,
) -> Result<()> {
    if let MemberField::Birth(Some(b)) = field
        && this_year - b.year() < AGE_OF_CONSENT
        && allows(household, member, Purpose::LocalRegister)
        && latest_guardian(household, member).is_none()
    {
        return Err(refused(
            IssueKind::Required,
            "consent.guardian",
            "Người chưa thành niên: cần người giám hộ đồng ý thay trước khi lưu ngày sinh.",
            "A minor: a guardian's consent is needed before the birth date is stored.",
        ));
    }
    let needs = match field {
        MemberField::Birth(Some(_)) => Some("member.birth"),
        MemberField::IdNumber(Some(_)) => Some("member.id_number"),
        MemberField::Phone(Some(_)) => Some("member.phone"),
        _ => None,
    };
    match needs {
        Some(f) if !allows(household, member, Purpose::LocalRegister) => Err(refusal(f)),
        _ => Ok(()),
    }
}

/// Checklist progress needs the `setup_help` purpose.
pub(crate) fn check_checklist(household: &Household, member: &MemberId) -> Result<()> {
    if household.members.contains_key(member) && !allows(household, member, Purpose::SetupHelp) {
        return Err(refusal("checklist"));
    }
    Ok(())
}

/// The guardian who gave the member's consent in force, if any.
pub fn latest_guardian(household: &Household, member: &MemberId) -> Option<MemberId> {
    household
        .consents
        .iter()
        .rev()
        .find(|c| &c.member == member)
        .and_then(|c| c.guardian.clone())
}

/// A consent given at the door, as the CLI and tests record it with a new member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentGiven {
    pub purposes: ConsentPurposes,
    pub notice_version: String,
    pub method: ConsentMethod,
    pub guardian: Option<MemberId>,
}

impl ConsentGiven {
    /// A person who chose every purpose, verbally before a witness, on the current notice: what
    /// demos, benchmarks and tests record before the personal fields they store.
    pub fn every_purpose() -> Self {
        Self {
            purposes: ConsentPurposes {
                local_register: true,
                setup_help: true,
                share_with_commune: true,
            },
            notice_version: crate::catalog::consent_notice::VERSION.to_owned(),
            method: ConsentMethod::WitnessedVerbal,
            guardian: None,
        }
    }
}
