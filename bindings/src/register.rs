//! `GocuaRegister`: the register on the phone, one object per open file. Every method is a thin
//! wrapper over `gocua_core::Register`; calls are serialised (one writer), so a shell calls them
//! from a background thread and may share the object between threads.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use gocua_core::digital_address;
use gocua_core::model::{
    ChecklistItem, ChecklistStatus, ConsentAction, ConsentMethod, ConsentPurposes, HouseholdId,
    MemberId, SmartphoneAccess, VisitOutcome, VolunteerId,
};
use gocua_core::{Register, Saved as CoreSaved};

use crate::error::GocuaError;
use crate::keystore::{Keys, PlatformKeyStore};
use crate::types::*;

#[derive(uniffi::Object)]
pub struct GocuaRegister {
    inner: Mutex<Register>,
    lang: Mutex<Language>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while the lock was held cannot have left a write half done (every write is one
    // SQLite transaction, rolled back when dropped), so a poisoned lock is safe to take over.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn hh(id: &str) -> HouseholdId {
    HouseholdId(id.to_owned())
}

fn mm(id: &str) -> MemberId {
    MemberId(id.to_owned())
}

fn saved_id<T: ToString>(s: CoreSaved<T>, lang: Language) -> Saved {
    Saved {
        id: s.value.to_string(),
        warnings: ValidationIssue::list(&s.warnings, lang),
    }
}

impl GocuaRegister {
    fn new(register: Register, lang: Language) -> Arc<Self> {
        Arc::new(Self {
            inner: Mutex::new(register),
            lang: Mutex::new(lang),
        })
    }

    pub(crate) fn lang(&self) -> Language {
        *lock(&self.lang)
    }

    pub(crate) fn register(&self) -> MutexGuard<'_, Register> {
        lock(&self.inner)
    }

    /// The register's lock itself, for a sync that takes it only for short steps.
    pub(crate) fn shared(&self) -> &Mutex<Register> {
        &self.inner
    }

    /// Runs `f` on the register, mapping the core's error in the current language.
    fn with<T>(
        &self,
        f: impl FnOnce(&mut Register) -> gocua_core::Result<T>,
    ) -> Result<T, GocuaError> {
        let lang = self.lang();
        f(&mut self.register()).map_err(|e| GocuaError::from_core(e, lang))
    }
}

#[uniffi::export]
impl GocuaRegister {
    /// Creates a new register file for a volunteer in a commune, encrypted under a fresh key kept
    /// in the platform key store.
    #[uniffi::constructor]
    pub fn create_encrypted(
        path: String,
        volunteer_id: String,
        commune_code: String,
        keys: Arc<dyn PlatformKeyStore>,
        lang: Language,
    ) -> Result<Arc<Self>, GocuaError> {
        Register::create_encrypted(
            Path::new(&path),
            VolunteerId(volunteer_id),
            &commune_code,
            &Keys(keys),
        )
        .map(|r| Self::new(r, lang))
        .map_err(|e| GocuaError::from_core(e, lang))
    }

    /// Opens an encrypted register with its key from the platform key store. `WrongKey` if the
    /// key is missing or does not open the file.
    #[uniffi::constructor]
    pub fn open_encrypted(
        path: String,
        keys: Arc<dyn PlatformKeyStore>,
        lang: Language,
    ) -> Result<Arc<Self>, GocuaError> {
        Register::open_encrypted(Path::new(&path), &Keys(keys))
            .map(|r| Self::new(r, lang))
            .map_err(|e| GocuaError::from_core(e, lang))
    }

    /// Re-encrypts the register under a new key kept in the platform key store.
    pub fn rotate_key(&self, keys: Arc<dyn PlatformKeyStore>) -> Result<(), GocuaError> {
        self.with(|r| r.rotate_key(&Keys(keys)))
    }

    /// The language of validation messages and labels from now on.
    pub fn set_language(&self, lang: Language) {
        *lock(&self.lang) = lang;
    }

    pub fn language(&self) -> Language {
        self.lang()
    }

    pub fn identity(&self) -> Identity {
        let r = self.register();
        let i = r.identity();
        Identity {
            volunteer_id: i.volunteer.0.clone(),
            device_id: i.device.0.clone(),
            commune_code: i.commune_code.clone(),
        }
    }

    // --- hamlets ---------------------------------------------------------------------------

    /// Adds a hamlet to a commune's list (its id derives from the name).
    pub fn add_hamlet(&self, commune_code: String, name: String) -> Result<Hamlet, GocuaError> {
        self.with(|r| r.add_hamlet(&commune_code, &name))
            .map(Into::into)
    }

    pub fn hamlets(&self, commune_code: String) -> Result<Vec<Hamlet>, GocuaError> {
        self.with(|r| r.hamlets(&commune_code))
            .map(|v| v.into_iter().map(Into::into).collect())
    }

    // --- households --------------------------------------------------------------------------

    /// Registers a new household: `Validation` errors block, warnings come back with the id.
    pub fn create_household(&self, input: HouseholdInput) -> Result<Saved, GocuaError> {
        let lang = self.lang();
        self.with(|r| r.create_household(input.into()))
            .map(|s| saved_id(s, lang))
    }

    /// The household to open for an id read from a card or a link: the one a merged household
    /// was merged into, or the same.
    pub fn follow_merged(&self, household_id: String) -> Result<String, GocuaError> {
        self.with(|r| r.follow_merged(&hh(&household_id)))
            .map(|id| id.0)
    }

    pub fn household(&self, household_id: String) -> Result<Household, GocuaError> {
        self.with(|r| r.household(&hh(&household_id)))
            .map(Into::into)
    }

    pub fn summary(&self, household_id: String) -> Result<HouseholdSummary, GocuaError> {
        self.with(|r| r.summary(&hh(&household_id))).map(Into::into)
    }

    /// Changes one household-level field; returns the warnings accepted by saving.
    pub fn set_household_field(
        &self,
        household_id: String,
        update: HouseholdFieldUpdate,
    ) -> Result<Vec<ValidationIssue>, GocuaError> {
        let lang = self.lang();
        self.with(|r| r.set_household_field(&hh(&household_id), update.into()))
            .map(|s| ValidationIssue::list(&s.warnings, lang))
    }

    /// Households of one hamlet, by head's name, a page at a time.
    pub fn list_hamlet(
        &self,
        commune_code: String,
        hamlet_id: String,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<HouseholdSummary>, GocuaError> {
        self.with(|r| r.list_hamlet(&commune_code, &hamlet_id, limit, offset))
            .map(|v| v.into_iter().map(Into::into).collect())
    }

    /// Members by name (diacritics ignored), phone or ID number.
    pub fn search(&self, query: String, limit: u32) -> Result<Vec<SearchHit>, GocuaError> {
        self.with(|r| r.search(&query, limit))
            .map(|v| v.into_iter().map(Into::into).collect())
    }

    pub fn household_ids(&self) -> Result<Vec<String>, GocuaError> {
        self.with(|r| r.household_ids())
            .map(|v| v.into_iter().map(|id| id.0).collect())
    }

    /// Households changed on this device and not yet synced.
    pub fn pending_count(&self) -> Result<u32, GocuaError> {
        self.with(|r| r.pending_count())
    }

    // --- members -----------------------------------------------------------------------------

    pub fn add_member(
        &self,
        household_id: String,
        input: MemberInput,
    ) -> Result<Saved, GocuaError> {
        let lang = self.lang();
        let input = input.into_core()?;
        self.with(|r| r.add_member(&hh(&household_id), input))
            .map(|s| saved_id(s, lang))
    }

    /// Adds a member in the order the consent rule demands (name and relation, then the consent,
    /// then the fields it covers): the one way to store a birth date, ID number or phone with
    /// the member. A minor's consent names a guardian among the household's members.
    #[allow(clippy::too_many_arguments)]
    pub fn add_member_with_consent(
        &self,
        household_id: String,
        input: MemberInput,
        purposes: ConsentPurposes,
        notice_version: String,
        method: ConsentMethod,
        guardian_id: Option<String>,
    ) -> Result<Saved, GocuaError> {
        let lang = self.lang();
        let input = input.into_core()?;
        let consent = gocua_core::consent_rule::ConsentGiven {
            purposes,
            notice_version,
            method,
            guardian: guardian_id.map(MemberId),
        };
        self.with(|r| r.add_member_with_consent(&hh(&household_id), input, &consent))
            .map(|s| saved_id(s, lang))
    }

    /// Changes one member field (the whole member is checked again); returns the warnings.
    pub fn set_member_field(
        &self,
        household_id: String,
        member_id: String,
        update: MemberFieldUpdate,
    ) -> Result<Vec<ValidationIssue>, GocuaError> {
        let lang = self.lang();
        let field = update.into_core()?;
        self.with(|r| r.set_member_field(&hh(&household_id), &mm(&member_id), field))
            .map(|s| ValidationIssue::list(&s.warnings, lang))
    }

    pub fn remove_member(&self, household_id: String, member_id: String) -> Result<(), GocuaError> {
        self.with(|r| r.remove_member(&hh(&household_id), &mm(&member_id)))
    }

    // --- checklist, visits, consent ------------------------------------------------------------

    /// Sets a checklist item of a member. A failed item needs a reason; `smartphone` belongs to
    /// the smartphone item only.
    pub fn set_checklist(
        &self,
        household_id: String,
        member_id: String,
        item: ChecklistItem,
        status: ChecklistStatus,
        reason: Option<String>,
        smartphone: Option<SmartphoneAccess>,
    ) -> Result<(), GocuaError> {
        self.with(|r| {
            r.set_checklist(
                &hh(&household_id),
                &mm(&member_id),
                item,
                status,
                reason,
                smartphone,
            )
        })
    }

    /// Members per checklist item and status, in a commune or one of its hamlets.
    pub fn checklist_counts(
        &self,
        commune_code: String,
        hamlet_id: Option<String>,
    ) -> Result<Vec<gocua_core::ChecklistCount>, GocuaError> {
        self.with(|r| r.checklist_counts(&commune_code, hamlet_id.as_deref()))
    }

    /// Records a visit; dates are `YYYY-MM-DD`.
    pub fn record_visit(
        &self,
        household_id: String,
        date: String,
        outcome: VisitOutcome,
        note: Option<String>,
        follow_up_on: Option<String>,
    ) -> Result<Saved, GocuaError> {
        let lang = self.lang();
        let date = parse_day(&date, "visit.date")?;
        let follow_up_on = follow_up_on
            .map(|d| parse_day(&d, "visit.follow_up_on"))
            .transpose()?;
        self.with(|r| r.record_visit(&hh(&household_id), date, outcome, note, follow_up_on))
            .map(|s| saved_id(s, lang))
    }

    /// Records that a person gave or withdrew consent; returns the event's id. A minor's consent
    /// is given by a guardian who is another member of the household.
    #[allow(clippy::too_many_arguments)]
    pub fn record_consent(
        &self,
        household_id: String,
        member_id: String,
        action: ConsentAction,
        purposes: ConsentPurposes,
        notice_version: String,
        method: ConsentMethod,
        guardian_id: Option<String>,
    ) -> Result<String, GocuaError> {
        self.with(|r| {
            r.record_consent(
                &hh(&household_id),
                &mm(&member_id),
                action,
                purposes,
                &notice_version,
                method,
                guardian_id.map(MemberId),
            )
        })
        .map(|id| id.0)
    }

    // --- conflicts, history, card ----------------------------------------------------------------

    /// Fields written concurrently on two devices, for a person to settle.
    pub fn conflicts(&self, household_id: String) -> Result<Vec<Conflict>, GocuaError> {
        self.with(|r| r.conflicts(&hh(&household_id)))
            .map(|v| v.into_iter().map(Into::into).collect())
    }

    /// Settles a conflict with one of its values (`ConflictValue.value`), or clears the field.
    pub fn resolve_conflict(
        &self,
        household_id: String,
        field: FieldRef,
        value: Option<String>,
    ) -> Result<(), GocuaError> {
        self.with(|r| r.resolve_conflict(&hh(&household_id), &field.into(), value))
    }

    /// Who changed what, when, on which device, oldest first.
    pub fn history(&self, household_id: String) -> Result<Vec<HistoryEntry>, GocuaError> {
        self.with(|r| r.history(&hh(&household_id)))
            .map(|v| v.into_iter().map(Into::into).collect())
    }

    /// The household card: its QR payload and Plus Code.
    pub fn household_card(&self, household_id: String) -> Result<HouseholdCard, GocuaError> {
        let id = hh(&household_id);
        let household = self.with(|r| r.household(&id))?;
        let plus_code = household.digital_address.plus_code;
        Ok(HouseholdCard {
            qr_payload: digital_address::card_payload(&id, plus_code.as_deref()),
            household_id,
            plus_code,
        })
    }

    // --- erasure (a person's right to have their data deleted) ---------------------------------

    /// Erases a whole household here now when the hub never had it (only its id is kept, so a
    /// stale copy never brings it back); otherwise requests the erasure from the commune, whose
    /// coordinator decides. True when it was erased here now.
    pub fn erase_household(&self, household_id: String) -> Result<bool, GocuaError> {
        self.with(|r| r.erase_household(&hh(&household_id)))
            .map(|step| step == gocua_core::ErasureStep::Erased)
    }

    /// Erases one member's personal data here now when the hub never had the household (it is
    /// rewritten without them, with no history); otherwise requests the erasure from the
    /// commune. True when it was erased here now.
    pub fn erase_member(
        &self,
        household_id: String,
        member_id: String,
    ) -> Result<bool, GocuaError> {
        self.with(|r| r.erase_member(&hh(&household_id), &mm(&member_id)))
            .map(|step| step == gocua_core::ErasureStep::Erased)
    }

    /// Erasure requests made here and not yet carried out or refused.
    pub fn pending_erasures(&self) -> Result<u32, GocuaError> {
        self.with(|r| r.pending_erasures())
    }

    /// Whether a household was erased whole.
    pub fn is_erased(&self, household_id: String) -> Result<bool, GocuaError> {
        self.with(|r| r.is_erased(&hh(&household_id)))
    }

    // --- replicas --------------------------------------------------------------------------------

    /// The whole document of a household, to hand to another replica (a file, another device).
    pub fn export_document(&self, household_id: String) -> Result<Vec<u8>, GocuaError> {
        self.with(|r| r.export_document(&hh(&household_id)))
    }

    /// Merges a household document received from another replica; returns its id.
    pub fn merge_document(&self, document: Vec<u8>) -> Result<String, GocuaError> {
        self.with(|r| r.merge_document(&document)).map(|id| id.0)
    }

    /// SQLite's integrity check of the register file: `ok` or what it found.
    pub fn integrity_check(&self) -> Result<String, GocuaError> {
        self.with(|r| r.integrity_check())
    }
}
