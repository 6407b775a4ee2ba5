//! The consent rule (Law 91/2025/QH15 as DOMAIN.md states it), enforced by the register so that
//! no shell or CLI can bypass it: before a person's consent only what identifies them minimally
//! (name, relation; gender and residence type as the household book shows them) is stored. Their
//! ID number, phone and birth date need the `local_register` purpose; their checklist progress
//! needs `setup_help`. Refusals name the field, never its value.

use chrono::Datelike;

use crate::doc::MemberField;
use crate::error::{Error, Result};
use crate::input::MemberInput;
use crate::model::{
    BirthDate, ChecklistItem, ChecklistStatus, ConsentAction, ConsentMethod, ConsentPurposes,
    Household, HouseholdId, MemberId, RecordId,
};
use crate::register::{AGE_OF_CONSENT, Register, Saved};
use crate::validate::{Issue, IssueKind, Report, validate_member_input};

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
fn refused(kind: IssueKind, field: &str, vi: &str, en: &str) -> Error {
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

impl Register {
    /// Adds a member in the order the rule demands: name and relation first, then the consent,
    /// then the birth date, ID number and phone the consent covers. The whole input is validated
    /// before anything is written, so a bad field writes nothing. Warnings of every step come
    /// back together.
    pub fn add_member_with_consent(
        &mut self,
        household: &HouseholdId,
        input: MemberInput,
        consent: &ConsentGiven,
    ) -> Result<Saved<MemberId>> {
        let (checked, report) = validate_member_input(&input, self.sync_now().date_naive());
        if report.has_errors() {
            return Err(Error::Validation(report));
        }
        let minimal = MemberInput {
            birth: None,
            id_number: None,
            phone: None,
            ..checked.clone()
        };
        let mut saved = self.add_member(household, minimal)?;
        let member = saved.value.clone();
        self.record_consent_before_birth(household, &member, consent, checked.birth)?;
        let fields = [
            checked.birth.map(|b| MemberField::Birth(Some(b))),
            checked.id_number.map(|n| MemberField::IdNumber(Some(n))),
            checked.phone.map(|p| MemberField::Phone(Some(p))),
        ];
        for field in fields.into_iter().flatten() {
            let more = self.set_member_field(household, &member, field)?;
            saved.warnings.extend(more.warnings);
        }
        Ok(saved)
    }

    /// Records a consent for a member whose birth date is still only typed, not stored: a minor
    /// by that date needs a guardian (the register checks it again when the date is stored).
    pub fn record_consent_before_birth(
        &mut self,
        household: &HouseholdId,
        member: &MemberId,
        consent: &ConsentGiven,
        typed_birth: Option<BirthDate>,
    ) -> Result<RecordId> {
        let year = self.sync_now().date_naive().year();
        if typed_birth.is_some_and(|b| year - b.year() < AGE_OF_CONSENT)
            && consent.guardian.is_none()
        {
            return Err(refused(
                IssueKind::Required,
                "consent.guardian",
                "Người chưa thành niên cần người giám hộ đồng ý thay.",
                "A minor's consent must be given by a guardian.",
            ));
        }
        self.record_consent(
            household,
            member,
            ConsentAction::Given,
            consent.purposes,
            &consent.notice_version,
            consent.method,
            consent.guardian.clone(),
        )
    }
}

impl Register {
    /// Withdraws a member's consent and clears what it covered from the household's current
    /// state: checklist progress (set back to `not_asked`), then birth date, ID number and phone,
    /// then the withdrawal event. The old values stay in the document's change history until an
    /// erasure rewrites it (`erase_member`): the corrections screen offers both.
    pub fn withdraw_consent(
        &mut self,
        household: &HouseholdId,
        member: &MemberId,
        method: ConsentMethod,
    ) -> Result<RecordId> {
        let h = self.household(household)?;
        let m = h.members.get(member).ok_or_else(|| Error::NotFound {
            what: "member",
            id: member.0.clone(),
        })?;
        if h.current_consent(member).is_none() {
            return Err(refused(
                IssueKind::InvalidValue,
                "consent.action",
                "Người này chưa đồng ý (hoặc đã rút lại), không có gì để rút.",
                "This person has no consent in force to withdraw.",
            ));
        }
        let items: Vec<ChecklistItem> = m
            .checklist
            .iter()
            .filter(|(_, e)| e.status != ChecklistStatus::NotAsked)
            .map(|(i, _)| *i)
            .collect();
        let notice_version = h
            .consents
            .iter()
            .rev()
            .find(|c| &c.member == member)
            .map(|c| c.notice_version.clone())
            .unwrap_or_default();
        if allows(&h, member, Purpose::SetupHelp) {
            for item in items {
                self.set_checklist(
                    household,
                    member,
                    item,
                    ChecklistStatus::NotAsked,
                    None,
                    None,
                )?;
            }
        }
        for field in [
            MemberField::Birth(None),
            MemberField::IdNumber(None),
            MemberField::Phone(None),
        ] {
            self.set_member_field(household, member, field)?;
        }
        self.record_consent(
            household,
            member,
            ConsentAction::Withdrawn,
            ConsentPurposes::default(),
            &notice_version,
            method,
            None,
        )
    }
}
