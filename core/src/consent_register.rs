//! The register's consent operations: a member added in the order the consent rule
//! (`consent_rule.rs`) demands, consent recorded before a birth date is known, and withdrawal.

use chrono::Datelike;

use crate::consent_rule::{AGE_OF_CONSENT, ConsentGiven, Purpose, allows, refused};
use crate::doc::MemberField;
use crate::error::{Error, Result};
use crate::input::MemberInput;
use crate::model::{
    BirthDate, ChecklistItem, ChecklistStatus, ConsentAction, ConsentMethod, ConsentPurposes,
    HouseholdId, MemberId, RecordId,
};
use crate::register::{Register, Saved};
use crate::validate::{IssueKind, validate_member_input};

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
