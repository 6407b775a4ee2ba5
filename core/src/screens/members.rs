//! Members of a household: add, edit, remove. Dates are typed as people write them and parsed
//! here. Before the person's consent only the name, relation, gender and residence type are
//! stored; the birth date, ID number and phone typed so far are held in memory
//! ([`PendingPersonal`]) and handed to the consent step, which stores them or drops them.

use std::collections::BTreeMap;

use super::common::{Field, action, issues_of, notice, notice_of, option, save_failed};
use super::dates::{parse_birth, show_birth};
use super::mask::{mask_id_number, mask_phone};
use super::view::{ActionView, FieldView, Lang, Notice, NoticeLevel, OptionView, shown_lines, tr};
use crate::Register;
use crate::consent_rule::{Purpose, allows};
use crate::doc::MemberField;
use crate::input::MemberInput;
use crate::model::{BirthDate, Gender, HouseholdId, MemberId, Relation, ResidenceType};
use crate::validate::{check_consistency, check_member_fits, validate_member_input};

/// Personal data typed for a member that only consent lets the register keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingPersonal {
    pub member: MemberId,
    pub birth: Option<BirthDate>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
}

impl PendingPersonal {
    pub fn is_empty(&self) -> bool {
        self.birth.is_none() && self.id_number.is_none() && self.phone.is_none()
    }
}

/// What the shell sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MembersEvent {
    /// A text field typed, or a picker chosen (`gender`, `relation`, `residence` take a code).
    Set {
        key: String,
        value: String,
    },
    NewMember,
    EditMember(MemberId),
    Save,
    /// Saves although the warnings shown (an explicit second press).
    AcceptWarnings,
    Cancel,
    Remove(MemberId),
}

/// One member in the household's list, masked as lists are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub id: MemberId,
    pub name: String,
    pub relation: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    pub consent: String,
    /// The lines shown under the name: relation, masked ID number and phone, consent; the
    /// empty ones left out.
    pub details: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembersView {
    pub title: String,
    pub rows: Vec<MemberRow>,
    /// The form, when a member is being added or edited.
    pub fields: Vec<FieldView>,
    pub actions: Vec<ActionView>,
    pub notices: Vec<Notice>,
    /// Set after a save that left personal data waiting for consent: open the consent screen.
    pub consent_next: Option<MemberId>,
    /// What does not fit across the household (two heads, a child older than the head, a
    /// position far from the commune…), each after the name of the member it is about.
    pub checks: Vec<Notice>,
}

#[derive(Debug, Clone, Default)]
struct Draft {
    full_name: String,
    birth: String,
    gender: Option<Gender>,
    relation: Option<Relation>,
    id_number: String,
    phone: String,
    residence: Option<ResidenceType>,
}

pub struct MembersModel {
    lang: Lang,
    household: HouseholdId,
    form_open: bool,
    editing: Option<MemberId>,
    draft: Draft,
    messages: BTreeMap<String, Vec<Notice>>,
    notices: Vec<Notice>,
    warnings_shown: bool,
    pending: Option<PendingPersonal>,
}

impl MembersModel {
    pub fn new(lang: Lang, household: HouseholdId) -> Self {
        Self {
            lang,
            household,
            form_open: false,
            editing: None,
            draft: Draft::default(),
            messages: BTreeMap::new(),
            notices: Vec::new(),
            warnings_shown: false,
            pending: None,
        }
    }

    /// The personal data waiting for the consent step (taken once: the consent model holds it).
    pub fn take_pending(&mut self) -> Option<PendingPersonal> {
        self.pending.take()
    }

    pub fn handle(&mut self, reg: &mut Register, event: MembersEvent) -> MembersView {
        self.notices.clear();
        match event {
            MembersEvent::Set { key, value } => self.set(&key, value),
            MembersEvent::NewMember => self.open(None, Draft::default()),
            MembersEvent::EditMember(id) => self.edit(reg, id),
            MembersEvent::Save => self.save(reg, false),
            MembersEvent::AcceptWarnings => self.save(reg, true),
            MembersEvent::Cancel => self.close(),
            MembersEvent::Remove(id) => self.remove(reg, &id),
        }
        self.view(reg)
    }

    fn open(&mut self, editing: Option<MemberId>, draft: Draft) {
        self.form_open = true;
        self.editing = editing;
        self.draft = draft;
        self.messages.clear();
        self.warnings_shown = false;
    }

    /// Closes the form and forgets what was typed in it.
    fn close(&mut self) {
        self.open(None, Draft::default());
        self.form_open = false;
    }

    fn set(&mut self, key: &str, value: String) {
        let d = &mut self.draft;
        match key {
            "full_name" => d.full_name = value,
            "birth" => d.birth = value,
            "id_number" => d.id_number = value,
            "phone" => d.phone = value,
            "gender" => d.gender = Gender::from_code(&value),
            "relation" => d.relation = Relation::from_code(&value),
            "residence" => d.residence = ResidenceType::from_code(&value),
            _ => return,
        }
        // A change asks again about the warnings it may have changed.
        self.warnings_shown = false;
        self.messages.remove(key);
    }

    fn edit(&mut self, reg: &Register, id: MemberId) {
        let Some(m) = reg
            .household(&self.household)
            .ok()
            .and_then(|h| h.members.get(&id).cloned())
        else {
            return self.notices.push(gone(self.lang));
        };
        let draft = Draft {
            full_name: m.full_name,
            birth: m.birth.map(show_birth).unwrap_or_default(),
            gender: m.gender,
            relation: Some(m.relation),
            id_number: m.id_number.unwrap_or_default(),
            phone: m.phone.unwrap_or_default(),
            residence: Some(m.residence),
        };
        self.open(Some(id), draft);
    }

    fn message(&mut self, key: &str, n: Notice) {
        self.messages.entry(key.to_owned()).or_default().push(n);
    }

    fn save(&mut self, reg: &mut Register, accept_warnings: bool) {
        let lang = self.lang;
        self.messages.clear();
        let birth = match parse_birth(&self.draft.birth, lang) {
            Ok(b) => b,
            Err(text) => {
                let n = notice("birth_date_format", NoticeLevel::Error, lang, "", "");
                self.message("birth", Notice { text, ..n });
                None
            }
        };
        if self.draft.relation.is_none() {
            self.message(
                "relation",
                notice(
                    "required",
                    NoticeLevel::Error,
                    lang,
                    "Chọn quan hệ với chủ hộ.",
                    "Choose the relation to the head.",
                ),
            );
        }
        let blank_none = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        let input = MemberInput {
            full_name: self.draft.full_name.clone(),
            birth,
            gender: self.draft.gender,
            relation: self.draft.relation.unwrap_or(Relation::Other),
            id_number: blank_none(&self.draft.id_number),
            phone: blank_none(&self.draft.phone),
            residence: self.draft.residence.unwrap_or(ResidenceType::Permanent),
        };
        let (checked, mut report) = validate_member_input(&input, reg.sync_now().date_naive());
        if let Ok(h) = reg.household(&self.household) {
            report
                .issues
                .extend(check_member_fits(&h, self.editing.as_ref(), &checked));
        }
        for issue in &report.issues {
            match issue.field.strip_prefix("member.") {
                Some(key) if !key.starts_with("checklist.") => {
                    self.message(key, notice_of(issue, lang))
                }
                _ => self.notices.push(notice_of(issue, lang)),
            }
        }
        let blocked = self
            .messages
            .values()
            .flatten()
            .any(|n| n.severity == NoticeLevel::Error);
        if blocked {
            return;
        }
        if report.warnings().next().is_some() && !(accept_warnings && self.warnings_shown) {
            self.warnings_shown = true;
            return;
        }
        self.messages.clear();
        match self.write(reg, checked) {
            Ok(pending) => {
                self.pending = pending.filter(|p| !p.is_empty());
                self.notices.push(notice(
                    "saved",
                    NoticeLevel::Info,
                    lang,
                    "Đã lưu thành viên.",
                    "Member saved.",
                ));
                if self.pending.is_some() {
                    self.notices.push(notice(
                        "consent_needed",
                        NoticeLevel::Info,
                        lang,
                        "Ngày sinh, số định danh và số điện thoại chỉ được lưu sau khi người này đồng ý.",
                        "The birth date, ID number and phone are stored only after this person consents.",
                    ));
                }
                self.close();
            }
            Err(e) => match issues_of(&e) {
                Some(issues) => {
                    for issue in issues.iter().cloned() {
                        let key = issue.field.trim_start_matches("member.").to_owned();
                        self.message(&key, notice_of(&issue, lang));
                    }
                }
                None => self.notices.push(save_failed(lang)),
            },
        }
    }

    /// Stores what may be stored now; returns the personal data that must wait for consent.
    fn write(
        &mut self,
        reg: &mut Register,
        m: MemberInput,
    ) -> crate::Result<Option<PendingPersonal>> {
        let (id, consented) = match &self.editing {
            None => {
                let minimal = MemberInput {
                    birth: None,
                    id_number: None,
                    phone: None,
                    ..m.clone()
                };
                (reg.add_member(&self.household, minimal)?.value, false)
            }
            Some(id) => {
                let h = reg.household(&self.household)?;
                let consented = allows(&h, id, Purpose::LocalRegister);
                for field in [
                    MemberField::FullName(m.full_name.clone()),
                    MemberField::Relation(m.relation),
                    MemberField::Gender(m.gender),
                    MemberField::Residence(m.residence),
                ] {
                    reg.set_member_field(&self.household, id, field)?;
                }
                (id.clone(), consented)
            }
        };
        let pending = PendingPersonal {
            member: id.clone(),
            birth: m.birth,
            id_number: m.id_number,
            phone: m.phone,
        };
        if !consented {
            return Ok(Some(pending));
        }
        for field in [
            MemberField::Birth(pending.birth),
            MemberField::IdNumber(pending.id_number),
            MemberField::Phone(pending.phone),
        ] {
            for w in reg.set_member_field(&self.household, &id, field)?.warnings {
                self.notices.push(notice_of(&w, self.lang));
            }
        }
        Ok(None)
    }

    fn remove(&mut self, reg: &mut Register, id: &MemberId) {
        match reg.remove_member(&self.household, id) {
            Ok(()) => self.notices.push(notice(
                "removed",
                NoticeLevel::Info,
                self.lang,
                "Đã ghi người này không còn trong hộ.",
                "Recorded that this person is no longer in the household.",
            )),
            Err(_) => self.notices.push(save_failed(self.lang)),
        }
    }

    pub fn view(&self, reg: &Register) -> MembersView {
        let lang = self.lang;
        let household = reg.household(&self.household).ok();
        let rows = household
            .iter()
            .flat_map(|h| {
                h.current_members().map(|m| {
                    let mut row = MemberRow {
                        id: m.id.clone(),
                        name: m.full_name.clone(),
                        relation: tr(lang, m.relation.label_vi(), m.relation.label_en()),
                        id_number_masked: m
                            .id_number
                            .as_deref()
                            .map(mask_id_number)
                            .unwrap_or_default(),
                        phone_masked: m.phone.as_deref().map(mask_phone).unwrap_or_default(),
                        consent: match h.current_consent(&m.id) {
                            Some(_) => tr(lang, "Đã đồng ý", "Consented"),
                            None => tr(lang, "Chưa đồng ý", "No consent"),
                        },
                        details: Vec::new(),
                    };
                    row.details = shown_lines(&[
                        &row.relation,
                        &row.id_number_masked,
                        &row.phone_masked,
                        &row.consent,
                    ]);
                    row
                })
            })
            .collect();
        let d = &self.draft;
        let fields = if self.form_open {
            let f =
                |key: &'static str, vi: &str, en: &str, value: &str, hint: &str, required| Field {
                    key,
                    label: tr(lang, vi, en),
                    value: value.to_owned(),
                    hint: hint.to_owned(),
                    required,
                };
            let code = |c: Option<&'static str>| c.unwrap_or_default().to_owned();
            vec![
                f(
                    "full_name",
                    "Họ và tên",
                    "Full name",
                    &d.full_name,
                    "Nguyễn Văn An",
                    true,
                ),
                f(
                    "birth",
                    "Ngày sinh",
                    "Date of birth",
                    &d.birth,
                    "1950 / 5/3/1950",
                    false,
                ),
                f(
                    "gender",
                    "Giới tính",
                    "Gender",
                    &code(d.gender.map(Gender::code)),
                    "",
                    false,
                ),
                f(
                    "relation",
                    "Quan hệ với chủ hộ",
                    "Relation to head",
                    &code(d.relation.map(Relation::code)),
                    "",
                    true,
                ),
                f(
                    "id_number",
                    "Số định danh cá nhân",
                    "Personal ID number",
                    &d.id_number,
                    "12 chữ số / 12 digits",
                    false,
                ),
                f(
                    "phone",
                    "Số điện thoại",
                    "Phone",
                    &d.phone,
                    "0912345678",
                    false,
                ),
                f(
                    "residence",
                    "Loại cư trú",
                    "Residence",
                    &code(d.residence.map(ResidenceType::code)),
                    "",
                    false,
                ),
            ]
            .into_iter()
            .map(|field| {
                let msgs = self.messages.get(field.key).cloned().unwrap_or_default();
                let choices = choices_of(field.key, d, lang);
                let view = field.view(msgs);
                match choices {
                    Some(options) => view.choice(options),
                    None => view,
                }
            })
            .collect()
        } else {
            Vec::new()
        };
        let has_warnings = self.warnings_shown;
        let checks = household
            .as_ref()
            .map(|h| {
                let centre = reg.commune_centre(&h.area.commune_code).ok().flatten();
                check_consistency(h, centre)
                    .into_iter()
                    .map(|(member, issue)| {
                        let n = notice_of(&issue, lang);
                        match member.and_then(|m| h.members.get(&m)) {
                            Some(m) => Notice {
                                text: format!("{}: {}", m.full_name, n.text),
                                ..n
                            },
                            None => n,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        MembersView {
            title: tr(lang, "Thành viên trong hộ", "Household members"),
            rows,
            fields,
            actions: vec![
                action(
                    "new_member",
                    lang,
                    "Thêm thành viên",
                    "Add a member",
                    !self.form_open,
                ),
                action("save", lang, "Lưu", "Save", self.form_open && !has_warnings),
                action(
                    "accept_warnings",
                    lang,
                    "Đã kiểm tra, vẫn lưu",
                    "Checked, save anyway",
                    self.form_open && has_warnings,
                ),
                action("cancel", lang, "Huỷ", "Cancel", self.form_open),
            ],
            notices: self.notices.clone(),
            consent_next: self.pending.as_ref().map(|p| p.member.clone()),
            checks,
        }
    }
}

fn gone(lang: Lang) -> Notice {
    notice(
        "not_found",
        NoticeLevel::Error,
        lang,
        "Không tìm thấy người này trong hộ.",
        "This person is not in the household.",
    )
}

/// The choices of a picked field of the member form (`relation`, `gender`, `residence`), the
/// draft's own selected; `None` for a typed field.
fn choices_of(key: &str, d: &Draft, lang: Lang) -> Option<Vec<OptionView>> {
    let pick =
        |code: &str, vi: &str, en: &str, selected: bool| option(code, &tr(lang, vi, en), selected);
    Some(match key {
        "relation" => Relation::ALL
            .iter()
            .map(|r| pick(r.code(), r.label_vi(), r.label_en(), d.relation == Some(*r)))
            .collect(),
        "gender" => [Gender::Male, Gender::Female]
            .iter()
            .map(|g| pick(g.code(), g.label_vi(), g.label_en(), d.gender == Some(*g)))
            .collect(),
        "residence" => [ResidenceType::Permanent, ResidenceType::Temporary]
            .iter()
            .map(|r| {
                pick(
                    r.code(),
                    r.label_vi(),
                    r.label_en(),
                    d.residence == Some(*r),
                )
            })
            .collect(),
        _ => return None,
    })
}
