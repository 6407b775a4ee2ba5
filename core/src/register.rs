//! The register: the entry point of the core. It validates what a person typed, turns it into
//! document edits, and stores each as one durable transaction.

use std::path::Path;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::admin_units;
use crate::consent_rule::AGE_OF_CONSENT;
use crate::doc::{
    ChangeContext, Conflict, Edit, FieldPath, HistoryEntry, HouseholdDoc, HouseholdField,
    MemberField,
};
use crate::error::{Error, Result};
use crate::input::{HouseholdInput, MemberInput};
use crate::keystore::{self, KeyStore};
use crate::model::*;
use crate::store::{self, ChecklistCount, HouseholdSummary, SearchHit, Store};
use crate::text::nfc;
use crate::validate::{
    Issue, IssueKind, Report, check_member_fits, validate_household_input, validate_member_input,
};

/// The time source. Device clocks are often wrong in the field: times are shown to people and
/// never used to order changes.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always says the same time (tests, reproducible benchmarks).
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// Who this register writes as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub volunteer: VolunteerId,
    pub device: DeviceId,
    /// The commune this device works in.
    pub commune_code: String,
}

/// A hamlet of a commune's own list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hamlet {
    pub commune_code: String,
    pub id: String,
    pub name: String,
}

/// The result of a write that succeeded, with the warnings the volunteer accepted by saving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Saved<T> {
    pub value: T,
    pub warnings: Vec<Issue>,
}

const META_VOLUNTEER: &str = "volunteer_id";
const META_DEVICE: &str = "device_id";
const META_COMMUNE: &str = "commune_code";

pub struct Register {
    store: Store,
    identity: Identity,
    clock: Box<dyn Clock>,
}

impl Register {
    /// Creates a new, unencrypted register file for a volunteer in a commune, with a new device
    /// id. Phones use [`Self::create_encrypted`]; this serves tests and benchmarks.
    pub fn create(path: &Path, volunteer: VolunteerId, commune_code: &str) -> Result<Self> {
        Self::create_with_key(path, volunteer, commune_code, None)
    }

    /// Creates a new register encrypted under a fresh random key, kept in `keys`.
    pub fn create_encrypted(
        path: &Path,
        volunteer: VolunteerId,
        commune_code: &str,
        keys: &dyn KeyStore,
    ) -> Result<Self> {
        if path.exists() {
            return Err(Error::AlreadyExists);
        }
        let key = keystore::new_key()?;
        keys.save(keystore::REGISTER_KEY, &key)?;
        Self::create_with_key(path, volunteer, commune_code, Some(&key))
    }

    fn create_with_key(
        path: &Path,
        volunteer: VolunteerId,
        commune_code: &str,
        key: Option<&[u8]>,
    ) -> Result<Self> {
        if path.exists() {
            return Err(Error::AlreadyExists);
        }
        let mut report = Report::default();
        if admin_units::commune(commune_code).is_none() {
            report.push(Issue::error(
                IssueKind::UnknownAdminUnit,
                "commune_code",
                "Mã xã/phường không có trong danh mục đơn vị hành chính.",
                "The commune code is not in the administrative-unit catalog.",
            ));
        }
        if !is_valid_id(volunteer.as_str()) {
            report.push(Issue::error(
                IssueKind::InvalidValue,
                "volunteer_id",
                "Mã tình nguyện viên chỉ gồm chữ không dấu, số, '-' và '_'.",
                "The volunteer id may only hold unaccented letters, digits, '-' and '_'.",
            ));
        }
        if report.has_errors() {
            return Err(Error::Validation(report));
        }
        let mut store = Store::open(path, key)?;
        let identity = Identity {
            volunteer,
            device: DeviceId::random(),
            commune_code: commune_code.to_owned(),
        };
        store.write(|tx| {
            Store::set_meta(tx, META_VOLUNTEER, identity.volunteer.as_str())?;
            Store::set_meta(tx, META_DEVICE, identity.device.as_str())?;
            Store::set_meta(tx, META_COMMUNE, &identity.commune_code)
        })?;
        Ok(Self {
            store,
            identity,
            clock: Box::new(SystemClock),
        })
    }

    /// Opens an existing, unencrypted register.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with_key(path, None)
    }

    /// Opens an encrypted register with its key from `keys`. A rotation cut short by a crash is
    /// finished here: if the current key does not open the file, the next key does.
    pub fn open_encrypted(path: &Path, keys: &dyn KeyStore) -> Result<Self> {
        let current = keys.load(keystore::REGISTER_KEY)?;
        let next = keys.load(keystore::NEXT_REGISTER_KEY)?;
        if let Some(key) = &current {
            match Self::open_with_key(path, Some(key)) {
                Err(Error::WrongKey) if next.is_some() => {}
                opened => {
                    if opened.is_ok() && next.is_some() {
                        keys.delete(keystore::NEXT_REGISTER_KEY)?;
                    }
                    return opened;
                }
            }
        }
        let next = next.ok_or(Error::WrongKey)?;
        let opened = Self::open_with_key(path, Some(&next))?;
        keys.save(keystore::REGISTER_KEY, &next)?;
        keys.delete(keystore::NEXT_REGISTER_KEY)?;
        Ok(opened)
    }

    /// Re-encrypts the register under a new random key. The new key is saved as the "next" key
    /// before the rekey and promoted after it, so a crash at any point leaves a key that opens
    /// the file.
    pub fn rotate_key(&mut self, keys: &dyn KeyStore) -> Result<()> {
        let key = keystore::new_key()?;
        keys.save(keystore::NEXT_REGISTER_KEY, &key)?;
        self.store.rekey(&key)?;
        keys.save(keystore::REGISTER_KEY, &key)?;
        keys.delete(keystore::NEXT_REGISTER_KEY)?;
        Ok(())
    }

    fn open_with_key(path: &Path, key: Option<&[u8]>) -> Result<Self> {
        if !path.exists() {
            return Err(Error::NotInitialised(path.display().to_string()));
        }
        let store = Store::open(path, key)?;
        let get = |key: &str| {
            store
                .meta(key)?
                .ok_or_else(|| Error::NotInitialised(format!("missing {key}")))
        };
        let identity = Identity {
            volunteer: VolunteerId(get(META_VOLUNTEER)?),
            device: DeviceId(get(META_DEVICE)?),
            commune_code: get(META_COMMUNE)?,
        };
        Ok(Self {
            store,
            identity,
            clock: Box::new(SystemClock),
        })
    }

    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    fn ctx(&self) -> ChangeContext {
        ChangeContext {
            volunteer: self.identity.volunteer.clone(),
            device: self.identity.device.clone(),
            at: self.clock.now(),
        }
    }

    // --- hamlets -------------------------------------------------------------------------

    /// Adds a hamlet to a commune's list; its id is derived from the name ("Thôn Đông" ->
    /// `thon-dong`) so that the same hamlet added on two devices gets the same id.
    pub fn add_hamlet(&mut self, commune_code: &str, name: &str) -> Result<Hamlet> {
        let name = nfc(name);
        let id = crate::text::hamlet_id(&name);
        let mut report = Report::default();
        if admin_units::commune(commune_code).is_none() {
            report.push(Issue::error(
                IssueKind::UnknownAdminUnit,
                "commune_code",
                "Mã xã/phường không có trong danh mục đơn vị hành chính.",
                "The commune code is not in the administrative-unit catalog.",
            ));
        }
        if id.is_empty() || name.chars().count() > 100 {
            report.push(Issue::error(
                IssueKind::InvalidValue,
                "hamlet.name",
                "Tên thôn/tổ phải có chữ hoặc số và không quá 100 ký tự.",
                "The hamlet name must hold letters or digits and be at most 100 characters.",
            ));
        }
        if report.has_errors() {
            return Err(Error::Validation(report));
        }
        let hamlet = Hamlet {
            commune_code: commune_code.to_owned(),
            id,
            name,
        };
        self.store
            .write(|tx| store::save_hamlet(tx, &hamlet.commune_code, &hamlet.id, &hamlet.name))?;
        Ok(hamlet)
    }

    pub fn hamlets(&self, commune_code: &str) -> Result<Vec<Hamlet>> {
        Ok(store::hamlets(self.store.conn(), commune_code)?
            .into_iter()
            .map(|(id, name)| Hamlet {
                commune_code: commune_code.to_owned(),
                id,
                name,
            })
            .collect())
    }

    fn hamlet_exists(&self, commune_code: &str, hamlet_id: &str) -> Result<bool> {
        store::hamlet_exists(self.store.conn(), commune_code, hamlet_id)
    }

    // --- households ------------------------------------------------------------------------

    /// Registers a new household. Errors block; warnings come back with the saved id.
    pub fn create_household(&mut self, input: HouseholdInput) -> Result<Saved<HouseholdId>> {
        let ctx = self.ctx();
        let (input, mut report) = validate_household_input(&input, ctx.at);
        self.check_area(&input.area, true, &mut report)?;
        if report.has_errors() {
            return Err(Error::Validation(report));
        }
        report.issues.extend(self.same_address_warnings(&input)?);
        let id = HouseholdId::random();
        let mut doc = HouseholdDoc::create(&id, &input, admin_units::DATASET_VERSION, &ctx)?;
        self.store.write(|tx| Store::save(tx, &mut doc, true))?;
        Ok(Saved {
            value: id,
            warnings: report.issues,
        })
    }

    /// Checks the area against the catalog, and the hamlet against the commune's list when it is
    /// being set (a household received from another device keeps its hamlet even where this
    /// device's list lacks it, so editing its other fields must not fail on that).
    fn check_area(&self, area: &Area, check_hamlet: bool, report: &mut Report) -> Result<()> {
        match admin_units::commune(&area.commune_code) {
            Some(c) if c.province_code.as_deref() == Some(area.province_code.as_str()) => {}
            _ => report.push(Issue::error(
                IssueKind::UnknownAdminUnit,
                "area.commune_code",
                "Mã tỉnh và mã xã không khớp với danh mục đơn vị hành chính.",
                "The province and commune codes do not match the administrative-unit catalog.",
            )),
        }
        if check_hamlet
            && !area.hamlet_id.is_empty()
            && !self.hamlet_exists(&area.commune_code, &area.hamlet_id)?
        {
            report.push(Issue::error(
                IssueKind::UnknownHamlet,
                "area.hamlet_id",
                "Thôn/tổ này chưa có trong danh sách của xã.",
                "This hamlet is not in the commune's list.",
            ));
        }
        Ok(())
    }

    fn load(&self, id: &HouseholdId) -> Result<HouseholdDoc> {
        self.store.load(id)?.ok_or_else(|| Error::NotFound {
            what: "household",
            id: id.0.clone(),
        })
    }

    /// Loads a household once, lets `build` validate against its current state and return the
    /// edit to make, and stores that edit as one durable write.
    fn update<T>(
        &mut self,
        id: &HouseholdId,
        build: impl FnOnce(&Self, &Household) -> Result<(Edit, T)>,
    ) -> Result<T> {
        let ctx = self.ctx();
        let mut doc = self.load(id)?;
        let household = doc.read()?;
        let (edit, out) = build(self, &household)?;
        self.check_may_edit(&household, &edit)?;
        doc.apply(&edit, &ctx)?;
        self.store.write(|tx| Store::save(tx, &mut doc, true))?;
        Ok(out)
    }

    /// Applies an already validated edit as one durable write.
    fn commit_edit(&mut self, id: &HouseholdId, edit: &Edit) -> Result<()> {
        self.commit_edits(id, std::slice::from_ref(edit))
    }

    /// Applies already validated edits, each one change, as one durable write.
    fn commit_edits(&mut self, id: &HouseholdId, edits: &[Edit]) -> Result<()> {
        let ctx = self.ctx();
        let mut doc = self.load(id)?;
        let household = doc.read()?;
        for edit in edits {
            self.check_may_edit(&household, edit)?;
            doc.apply(edit, &ctx)?;
        }
        self.store.write(|tx| Store::save(tx, &mut doc, true))?;
        Ok(())
    }

    /// The centre of the commune's registered positions (median of their Plus Codes), when at
    /// least five are known: a new position far from it is questioned.
    pub fn commune_centre(&self, commune: &str) -> Result<Option<(f64, f64)>> {
        let codes = store::plus_codes_in_commune(self.store.conn(), commune)?;
        Ok(crate::validate::commune_centre(codes.iter().filter_map(
            |c| crate::digital_address::decode_plus_code(c),
        )))
    }

    /// The household to open for `id`: the one it was merged into (followed through at most
    /// eight merges, which no real chain reaches), or itself. A card printed for a household
    /// later merged still opens the household its people are in.
    pub fn follow_merged(&self, id: &HouseholdId) -> Result<HouseholdId> {
        let mut current = id.clone();
        for _ in 0..8 {
            let h = self.household(&current)?;
            match (h.lifecycle, h.merged_into) {
                (crate::model::Lifecycle::Merged, Some(next))
                    if next != current && self.store.load(&next)?.is_some() =>
                {
                    current = next
                }
                _ => break,
            }
        }
        Ok(current)
    }

    pub fn household(&self, id: &HouseholdId) -> Result<Household> {
        self.load(id)?.read()
    }

    pub fn summary(&self, id: &HouseholdId) -> Result<HouseholdSummary> {
        store::summary_of(self.store.conn(), id)?.ok_or_else(|| Error::NotFound {
            what: "household",
            id: id.0.clone(),
        })
    }

    pub fn conflicts(&self, id: &HouseholdId) -> Result<Vec<Conflict>> {
        self.load(id)?.conflicts()
    }

    pub fn history(&self, id: &HouseholdId) -> Result<Vec<HistoryEntry>> {
        self.load(id)?.history()
    }

    /// Changes a household-level field.
    /// A warning when the hamlet already has a household at the same house address (the
    /// core's near-duplicate rule, `validate::duplicate_rules`): the household may have been
    /// registered already, by this phone or by a teammate's.
    pub fn same_address_warnings(&self, input: &HouseholdInput) -> Result<Vec<Issue>> {
        let typed = crate::validate::DuplicateClue {
            hamlet: input.area.hamlet_id.clone(),
            address: input.address.one_line(),
            head_name: None,
            position: input.gps.as_ref().map(|g| (g.lat, g.lon)),
        };
        let known = store::list_hamlet(
            self.store.conn(),
            &input.area.commune_code,
            &input.area.hamlet_id,
            100_000,
            0,
        )?;
        let found = known.iter().any(|k| {
            let clue = crate::validate::DuplicateClue {
                hamlet: k.hamlet_id.clone(),
                address: k.address.clone(),
                head_name: k.head_name.clone(),
                position: k
                    .plus_code
                    .as_deref()
                    .and_then(crate::digital_address::decode_plus_code),
            };
            crate::validate::duplicate_rules(&typed, &clue)
                .contains(&crate::validate::DuplicateRule::SameAddress)
        });
        Ok(found
            .then(|| {
                Issue::warning(
                    IssueKind::PossibleDuplicate,
                    "address.house_number",
                    "Thôn này đã có một hộ ở cùng địa chỉ: có thể hộ đã được đăng ký, hãy tìm trước khi tạo mới.",
                    "The hamlet already has a household at this address: it may be registered already; search before creating it.",
                )
            })
            .into_iter()
            .collect())
    }

    pub fn set_household_field(
        &mut self,
        id: &HouseholdId,
        field: HouseholdField,
    ) -> Result<Saved<()>> {
        self.update(id, |this, current| {
            this.household_field_edit(current, field)
        })
    }

    fn household_field_edit(
        &self,
        current: &Household,
        field: HouseholdField,
    ) -> Result<(Edit, Saved<()>)> {
        let now = self.clock.now();
        let mut input = HouseholdInput {
            area: current.area.clone(),
            address: current.address.clone(),
            gps: current.digital_address.gps.clone(),
            official: current.digital_address.official.clone(),
            notes: current.notes.clone(),
        };
        match &field {
            HouseholdField::Hamlet(h) => input.area.hamlet_id = h.clone(),
            HouseholdField::Street(v) => input.address.street = v.clone(),
            HouseholdField::Alley(v) => input.address.alley = v.clone(),
            HouseholdField::HouseNumber(v) => input.address.house_number = v.clone(),
            HouseholdField::Gps(v) => input.gps = v.clone(),
            HouseholdField::OfficialCode(v) => input.official = v.clone(),
            HouseholdField::Notes(v) => input.notes = v.clone(),
            HouseholdField::Head(Some(m)) if !current.members.contains_key(m) => {
                return Err(Error::NotFound {
                    what: "member",
                    id: m.0.clone(),
                });
            }
            HouseholdField::Head(_)
            | HouseholdField::Lifecycle(_)
            | HouseholdField::MergedInto(_) => {}
        }
        let (input, mut report) = validate_household_input(&input, now);
        let hamlet_changes =
            matches!(&field, HouseholdField::Hamlet(h) if *h != current.area.hamlet_id);
        self.check_area(&input.area, hamlet_changes, &mut report)?;
        if report.has_errors() {
            return Err(Error::Validation(report));
        }
        // Take the normalised value of the field being set.
        let field = match field {
            HouseholdField::Hamlet(_) => HouseholdField::Hamlet(input.area.hamlet_id),
            HouseholdField::Street(_) => HouseholdField::Street(input.address.street),
            HouseholdField::Alley(_) => HouseholdField::Alley(input.address.alley),
            HouseholdField::HouseNumber(_) => {
                HouseholdField::HouseNumber(input.address.house_number)
            }
            HouseholdField::Gps(_) => HouseholdField::Gps(input.gps),
            HouseholdField::OfficialCode(_) => HouseholdField::OfficialCode(input.official),
            HouseholdField::Notes(_) => HouseholdField::Notes(input.notes),
            other => other,
        };
        Ok((
            Edit::SetHousehold { field },
            Saved {
                value: (),
                warnings: report.issues,
            },
        ))
    }

    // --- members ---------------------------------------------------------------------------

    fn validate_member(
        &self,
        household: &Household,
        member: Option<&MemberId>,
        input: &MemberInput,
    ) -> Result<(MemberInput, Report)> {
        let today = self.clock.now().date_naive();
        let (input, mut report) = validate_member_input(input, today);
        report
            .issues
            .extend(check_member_fits(household, member, &input));
        if let Some(n) = &input.id_number
            && !report.errors().any(|i| i.field == "member.id_number")
        {
            let others = store::households_with_id_number(self.store.conn(), n, &household.id)?;
            let in_same = household
                .current_members()
                .any(|m| m.id_number.as_deref() == Some(n) && Some(&m.id) != member);
            if !others.is_empty() || in_same {
                report.push(Issue::warning(
                    IssueKind::DuplicateIdNumber,
                    "member.id_number",
                    "Số định danh này đã có ở một người khác trong sổ: có thể trùng, cần kiểm tra.",
                    "This ID number is already held by another person in the register: check for a duplicate.",
                ));
            }
        }
        Ok((input, report))
    }

    /// Adds a member to a household.
    pub fn add_member(
        &mut self,
        household: &HouseholdId,
        input: MemberInput,
    ) -> Result<Saved<MemberId>> {
        self.update(household, |this, current| {
            let (member, report) = this.validate_member(current, None, &input)?;
            if report.has_errors() {
                return Err(Error::Validation(report));
            }
            crate::consent_rule::check_new_member(&member)?;
            let id = MemberId::random();
            let saved = Saved {
                value: id.clone(),
                warnings: report.issues,
            };
            Ok((Edit::AddMember { id, member }, saved))
        })
    }

    /// Changes one field of a member; the whole member is re-validated (an ID number is checked
    /// against the birth year and gender it must agree with).
    pub fn set_member_field(
        &mut self,
        household: &HouseholdId,
        member: &MemberId,
        field: MemberField,
    ) -> Result<Saved<()>> {
        self.update(household, |this, current| {
            this.member_field_edit(current, member, field)
        })
    }

    fn member_field_edit(
        &self,
        current: &Household,
        member: &MemberId,
        field: MemberField,
    ) -> Result<(Edit, Saved<()>)> {
        let m = current.members.get(member).ok_or_else(|| Error::NotFound {
            what: "member",
            id: member.0.clone(),
        })?;
        let mut input = MemberInput::from(m);
        match &field {
            MemberField::FullName(v) => input.full_name = v.clone(),
            MemberField::Birth(v) => input.birth = *v,
            MemberField::Gender(v) => input.gender = *v,
            MemberField::Relation(v) => input.relation = *v,
            MemberField::IdNumber(v) => input.id_number = v.clone(),
            MemberField::Phone(v) => input.phone = v.clone(),
            MemberField::Residence(v) => input.residence = *v,
        }
        let (input, report) = self.validate_member(current, Some(member), &input)?;
        if report.has_errors() {
            return Err(Error::Validation(report));
        }
        let field = match field {
            MemberField::FullName(_) => MemberField::FullName(input.full_name),
            MemberField::IdNumber(_) => MemberField::IdNumber(input.id_number),
            MemberField::Phone(_) => MemberField::Phone(input.phone),
            other => other,
        };
        let year = self.clock.now().date_naive().year();
        crate::consent_rule::check_member_field(current, member, &field, year)?;
        let edit = Edit::SetMember {
            member: member.clone(),
            field,
        };
        Ok((
            edit,
            Saved {
                value: (),
                warnings: report.issues,
            },
        ))
    }

    pub fn remove_member(&mut self, household: &HouseholdId, member: &MemberId) -> Result<()> {
        self.commit_edit(
            household,
            &Edit::RemoveMember {
                member: member.clone(),
            },
        )
        .map(|_| ())
    }

    // --- checklist, visits, consent ---------------------------------------------------------

    /// Sets a checklist item. A failed item needs a reason; the smartphone answer belongs to
    /// the `smartphone` item only.
    pub fn set_checklist(
        &mut self,
        household: &HouseholdId,
        member: &MemberId,
        item: ChecklistItem,
        status: ChecklistStatus,
        reason: Option<String>,
        smartphone: Option<SmartphoneAccess>,
    ) -> Result<()> {
        let reason = reason.map(|r| nfc(&r)).filter(|r| !r.is_empty());
        let mut report = Report::default();
        if status == ChecklistStatus::Failed && reason.is_none() {
            report.push(Issue::error(
                IssueKind::Required,
                "checklist.reason",
                "Cần ghi lý do khi mục không thành công.",
                "A failed item needs a reason.",
            ));
        }
        if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
            report.push(Issue::error(
                IssueKind::TooLong,
                "checklist.reason",
                "Lý do quá dài (tối đa 500 ký tự).",
                "The reason is too long (500 characters at most).",
            ));
        }
        if smartphone.is_some() && item != ChecklistItem::Smartphone {
            report.push(Issue::error(
                IssueKind::InvalidValue,
                "checklist.smartphone",
                "Chỉ mục 'điện thoại thông minh' mới ghi loại điện thoại.",
                "Only the smartphone item records smartphone access.",
            ));
        }
        if report.has_errors() {
            return Err(Error::Validation(report));
        }
        let edit = Edit::SetChecklist {
            member: member.clone(),
            item,
            status,
            reason,
            smartphone,
        };
        self.update(household, |_, h| {
            crate::consent_rule::check_checklist(h, member)?;
            Ok((edit, ()))
        })
    }

    /// Records a visit (append-only).
    pub fn record_visit(
        &mut self,
        household: &HouseholdId,
        date: NaiveDate,
        outcome: VisitOutcome,
        note: Option<String>,
        follow_up_on: Option<NaiveDate>,
    ) -> Result<Saved<RecordId>> {
        let today = self.clock.now().date_naive();
        let note = note.map(|n| nfc(&n)).filter(|n| !n.is_empty());
        let mut report = Report::default();
        if date > today + chrono::Days::new(1) {
            report.push(Issue::error(
                IssueKind::InvalidValue,
                "visit.date",
                "Ngày thăm hộ không được ở tương lai.",
                "The visit date cannot be in the future.",
            ));
        }
        if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
            report.push(Issue::error(
                IssueKind::TooLong,
                "visit.note",
                "Ghi chú quá dài (tối đa 2000 ký tự).",
                "The note is too long (2000 characters at most).",
            ));
        }
        if follow_up_on.is_some_and(|f| f < date) {
            report.push(Issue::warning(
                IssueKind::InvalidValue,
                "visit.follow_up_on",
                "Ngày hẹn quay lại sớm hơn ngày thăm.",
                "The follow-up date is before the visit date.",
            ));
        }
        if report.has_errors() {
            return Err(Error::Validation(report));
        }
        let id = RecordId::random();
        let mut edits = vec![Edit::AddVisit {
            id: id.clone(),
            date,
            outcome,
            note,
            follow_up_on,
        }];
        // An imported household met and registered at the door is confirmed by the same write.
        if outcome == VisitOutcome::Registered
            && self.household(household)?.lifecycle == crate::model::Lifecycle::ToVerify
        {
            edits.push(Edit::SetHousehold {
                field: HouseholdField::Lifecycle(crate::model::Lifecycle::Active),
            });
        }
        self.commit_edits(household, &edits)?;
        Ok(Saved {
            value: id,
            warnings: report.issues,
        })
    }

    /// Records a consent event for one person (append-only). An adult consents for themselves;
    /// a minor's consent is given by a guardian who is a member of the household.
    #[allow(clippy::too_many_arguments)]
    pub fn record_consent(
        &mut self,
        household: &HouseholdId,
        member: &MemberId,
        action: ConsentAction,
        purposes: ConsentPurposes,
        notice_version: &str,
        method: ConsentMethod,
        guardian: Option<MemberId>,
    ) -> Result<RecordId> {
        self.update(household, |this, h| {
            let m = h.members.get(member).ok_or_else(|| Error::NotFound {
                what: "member",
                id: member.0.clone(),
            })?;
            let year = this.clock.now().date_naive().year();
            let minor = m.birth.is_some_and(|b| year - b.year() < AGE_OF_CONSENT);
            let mut report = Report::default();
            if notice_version.trim().is_empty() {
                report.push(Issue::error(
                    IssueKind::Required,
                    "consent.notice_version",
                    "Cần ghi phiên bản thông báo đã đọc cho người dân.",
                    "The version of the notice read out is required.",
                ));
            }
            if action == ConsentAction::Given
                && !(purposes.local_register || purposes.setup_help || purposes.share_with_commune)
            {
                report.push(Issue::error(
                    IssueKind::Required,
                    "consent.purposes",
                    "Đồng ý phải chọn ít nhất một mục đích; không được đánh dấu sẵn.",
                    "Consent needs at least one purpose chosen by the person; none is pre-ticked.",
                ));
            }
            if action == ConsentAction::Withdrawn && h.current_consent(member).is_none() {
                report.push(Issue::error(
                    IssueKind::InvalidValue,
                    "consent.action",
                    "Người này chưa đồng ý (hoặc đã rút lại), không có gì để rút.",
                    "This person has no consent in force to withdraw.",
                ));
            }
            match (&guardian, minor) {
                (None, true) if action == ConsentAction::Given => report.push(Issue::error(
                    IssueKind::Required,
                    "consent.guardian",
                    "Người chưa thành niên cần người giám hộ đồng ý thay.",
                    "A minor's consent must be given by a guardian.",
                )),
                // A birth date is stored only after consent: a guardian may consent for a
                // person whose age is not recorded yet (checked when the birth date is set).
                (Some(_), false) if m.birth.is_some() => report.push(Issue::error(
                    IssueKind::InvalidValue,
                    "consent.guardian",
                    "Người đã thành niên tự đồng ý; chủ hộ không đồng ý thay.",
                    "An adult consents for themselves; nobody consents on their behalf.",
                )),
                (Some(g), true) if !h.members.contains_key(g) || g == member => {
                    report.push(Issue::error(
                        IssueKind::UnknownMember,
                        "consent.guardian",
                        "Người giám hộ phải là một thành viên khác của hộ.",
                        "The guardian must be another member of the household.",
                    ))
                }
                _ => {}
            }
            if report.has_errors() {
                return Err(Error::Validation(report));
            }
            let id = RecordId::random();
            let edit = Edit::AddConsent {
                id: id.clone(),
                member: member.clone(),
                action,
                purposes,
                notice_version: notice_version.trim().to_owned(),
                method,
                guardian,
            };
            Ok((edit, id))
        })
    }

    /// Settles a conflict in favour of one of its values (as listed by [`Self::conflicts`]), or
    /// clears the field with `None`.
    pub fn resolve_conflict(
        &mut self,
        household: &HouseholdId,
        field: &FieldPath,
        value: Option<String>,
    ) -> Result<()> {
        self.commit_edit(
            household,
            &Edit::ResolveConflict {
                field: field.clone(),
                value,
            },
        )
        .map(|_| ())
    }

    // --- lists, search, counts --------------------------------------------------------------

    pub fn list_hamlet(
        &self,
        commune_code: &str,
        hamlet_id: &str,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<HouseholdSummary>> {
        store::list_hamlet(self.store.conn(), commune_code, hamlet_id, limit, offset)
    }

    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        store::search(self.store.conn(), query, limit)
    }

    pub fn checklist_counts(
        &self,
        commune_code: &str,
        hamlet_id: Option<&str>,
    ) -> Result<Vec<ChecklistCount>> {
        store::checklist_counts(self.store.conn(), commune_code, hamlet_id)
    }

    /// Households changed on this device and not yet synced.
    pub fn pending_count(&self) -> Result<u32> {
        store::pending_count(self.store.conn())
    }

    /// Rebuilds every query table from the documents; returns the number of households.
    pub fn rebuild_indexes(&mut self) -> Result<usize> {
        self.store.rebuild_indexes()
    }

    pub fn household_ids(&self) -> Result<Vec<HouseholdId>> {
        self.store.household_ids()
    }

    /// SQLite's own integrity check of the register file: `"ok"` or what it found.
    pub fn integrity_check(&self) -> Result<String> {
        self.store.integrity_check()
    }

    /// Bytes of document storage for one household.
    pub fn stored_bytes(&self, id: &HouseholdId) -> Result<i64> {
        self.store.stored_bytes(id)
    }

    /// Merges a replica of a household received from elsewhere (another device, a file): the
    /// document is checked, merged with the local one if any, and stored durably.
    pub fn merge_document(&mut self, bytes: &[u8]) -> Result<HouseholdId> {
        let mut incoming = HouseholdDoc::load(bytes)?;
        let id = incoming.id()?;
        // An erased household (or one rewritten by an erasure) comes back only through the hub:
        // a copy from elsewhere may carry the erased history.
        if store::erase::erase_state(self.store.conn(), id.as_str())?.is_some() {
            return Err(Error::Validation(Report {
                issues: vec![Issue::error(
                    IssueKind::InvalidValue,
                    "household",
                    "Hộ này đã bị xoá dữ liệu, không nhận lại bản sao cũ.",
                    "This household's data was erased; an old copy is not taken back.",
                )],
            }));
        }
        let incoming_household = incoming.read()?;
        if incoming_household.area.commune_code != self.identity.commune_code {
            return Err(Error::Validation(Report {
                issues: vec![Issue::error(
                    IssueKind::UnknownAdminUnit,
                    "area.commune_code",
                    "Hộ này thuộc xã khác, không nhận vào sổ.",
                    "This household belongs to another commune and was not accepted.",
                )],
            }));
        }
        let mut doc = match self.store.load(&id)? {
            Some(mut local) => {
                local.merge(&mut incoming)?;
                local
            }
            None => HouseholdDoc::load(bytes)?,
        };
        // A merged-in document is stored whole (as a snapshot), then compacts as usual.
        self.store.write(|tx| {
            Store::replace_with_snapshot(tx, id.as_str(), &doc.save())?;
            Store::save(tx, &mut doc, false)
        })?;
        Ok(id)
    }

    /// A household's document as stored here, to look at (its history, conflicts, bytes):
    /// taking it is not a departure (see [`Self::export_document`]), and edits go through the
    /// register.
    pub fn document(&self, id: &HouseholdId) -> Result<HouseholdDoc> {
        self.load(id)
    }

    /// The whole document of a household, for handing to another replica (its first departure
    /// squashes a history only this phone has: `crate::departure`).
    pub fn export_document(&mut self, id: &HouseholdId) -> Result<Vec<u8>> {
        self.depart(std::slice::from_ref(id))?;
        Ok(self.load(id)?.save())
    }
}

// Accessors for the sync module (core/src/sync), which adds its own `impl Register` blocks.
impl Register {
    pub(crate) fn sync_store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn sync_store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub(crate) fn sync_now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}
