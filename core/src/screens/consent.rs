//! Consent before personal data (Law 91/2025 as DOMAIN.md states it). The model shows the
//! versioned notice, the purposes as separate toggles that start unticked, the method, and for
//! a minor a guardian chosen among the household's adults. It holds the personal data typed on
//! the members screen ([`PendingPersonal`]) until the person decides: giving consent with the
//! `local_register` purpose stores it; declining, or any other choice, drops it.
//!
//! Methods are recorded honestly: a signature or a thumbprint is on the paper form, so those
//! methods can be chosen only after the volunteer confirms the signed form is kept; nothing is
//! drawn on the screen.

use chrono::Datelike;

use super::common::{action, issues_of, notice, notice_of, option, save_failed};
use super::members::PendingPersonal;
use super::view::{ActionView, Lang, Notice, NoticeLevel, OptionView, tr};
use crate::Register;
use crate::catalog::consent_notice;
use crate::consent_rule::AGE_OF_CONSENT;
use crate::consent_rule::ConsentGiven;
use crate::doc::MemberField;
use crate::model::{BirthDate, ConsentMethod, ConsentPurposes, HouseholdId, Member, MemberId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentStepEvent {
    /// `local_register`, `setup_help` or `share_with_commune`.
    TogglePurpose(String),
    /// `witnessed_verbal`, `signature` or `thumbprint`.
    ChooseMethod(String),
    /// The volunteer confirms the signed or thumbprinted paper form is kept.
    PaperFormKept(bool),
    ChooseGuardian(MemberId),
    Give,
    Decline,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentView {
    pub title: String,
    pub person: String,
    pub notice_text: String,
    pub notice_version: String,
    pub purposes: Vec<OptionView>,
    pub methods: Vec<OptionView>,
    pub paper_form_question: Option<String>,
    pub paper_form_kept: bool,
    /// Shown for a minor: the guardian who consents for them.
    pub guardian_needed: bool,
    pub guardian_options: Vec<OptionView>,
    pub actions: Vec<ActionView>,
    pub notices: Vec<Notice>,
    /// The person decided (given or declined): the shell moves on.
    pub finished: bool,
}

pub struct ConsentModel {
    lang: Lang,
    household: HouseholdId,
    member: MemberId,
    pending: Option<PendingPersonal>,
    purposes: ConsentPurposes,
    method: Option<ConsentMethod>,
    paper_form_kept: bool,
    guardian: Option<MemberId>,
    notices: Vec<Notice>,
    finished: bool,
}

const PURPOSES: [(&str, &str, &str); 3] = [
    (
        "local_register",
        "Lưu trong sổ của tổ (ngày sinh, số định danh, số điện thoại)",
        "Keep in the team's register (birth date, ID number, phone)",
    ),
    (
        "setup_help",
        "Hỗ trợ cài đặt tài khoản (ghi tiến độ)",
        "Help setting up accounts (progress recorded)",
    ),
    (
        "share_with_commune",
        "Chia sẻ với UBND xã",
        "Share with the commune office",
    ),
];

impl ConsentModel {
    /// `pending` is what the members screen typed for `member` and could not store yet.
    pub fn new(
        lang: Lang,
        household: HouseholdId,
        member: MemberId,
        pending: Option<PendingPersonal>,
    ) -> Self {
        Self {
            lang,
            household,
            pending: pending.filter(|p| p.member == member),
            member,
            purposes: ConsentPurposes::default(),
            method: None,
            paper_form_kept: false,
            guardian: None,
            notices: Vec::new(),
            finished: false,
        }
    }

    pub fn view(&self, reg: &Register) -> ConsentView {
        let lang = self.lang;
        let household = reg.household(&self.household).ok();
        let person = household
            .as_ref()
            .and_then(|h| h.members.get(&self.member))
            .map(|m| m.full_name.clone())
            .unwrap_or_default();
        let minor = self.is_minor(reg);
        let this_year = reg.sync_now().date_naive().year();
        let guardian_options = household
            .iter()
            .flat_map(|h| h.current_members())
            .filter(|m| m.id != self.member && !is_minor_by(m.birth, this_year))
            .map(|m| {
                option(
                    m.id.as_str(),
                    &m.full_name,
                    self.guardian.as_ref() == Some(&m.id),
                )
            })
            .collect();
        let p = self.purposes;
        let ticked = [p.local_register, p.setup_help, p.share_with_commune];
        let paper = matches!(
            self.method,
            Some(ConsentMethod::SignatureOnScreen | ConsentMethod::Thumbprint)
        );
        ConsentView {
            title: tr(
                lang,
                "Đồng ý xử lý dữ liệu cá nhân",
                "Consent to personal data processing",
            ),
            person,
            notice_text: consent_notice::text(lang == Lang::En).to_owned(),
            notice_version: consent_notice::VERSION.to_owned(),
            purposes: PURPOSES
                .iter()
                .zip(ticked)
                .map(|((code, vi, en), on)| option(code, &tr(lang, vi, en), on))
                .collect(),
            methods: [
                (
                    ConsentMethod::WitnessedVerbal,
                    "Đồng ý bằng lời, có người chứng kiến",
                    "Verbal, witnessed",
                ),
                (
                    ConsentMethod::SignatureOnScreen,
                    "Ký vào phiếu giấy",
                    "Signed on the paper form",
                ),
                (
                    ConsentMethod::Thumbprint,
                    "Điểm chỉ vào phiếu giấy",
                    "Thumbprint on the paper form",
                ),
            ]
            .iter()
            .map(|(m, vi, en)| option(m.code(), &tr(lang, vi, en), self.method == Some(*m)))
            .collect(),
            paper_form_question: paper.then(|| {
                tr(
                    lang,
                    "Phiếu giấy đã ký/điểm chỉ được giữ lại?",
                    "Is the signed or thumbprinted paper form kept?",
                )
            }),
            paper_form_kept: self.paper_form_kept,
            guardian_needed: minor,
            guardian_options,
            actions: vec![
                action(
                    "give",
                    lang,
                    "Đồng ý",
                    "Consent given",
                    !self.finished && self.can_give(minor),
                ),
                action("decline", lang, "Không đồng ý", "Declined", !self.finished),
            ],
            notices: self.notices.clone(),
            finished: self.finished,
        }
    }

    pub fn handle(&mut self, reg: &mut Register, event: ConsentStepEvent) -> ConsentView {
        self.notices.clear();
        match event {
            ConsentStepEvent::TogglePurpose(code) => match code.as_str() {
                "local_register" => self.purposes.local_register ^= true,
                "setup_help" => self.purposes.setup_help ^= true,
                "share_with_commune" => self.purposes.share_with_commune ^= true,
                _ => {}
            },
            ConsentStepEvent::ChooseMethod(code) => {
                self.method = ConsentMethod::from_code(&code);
                self.paper_form_kept = false;
            }
            ConsentStepEvent::PaperFormKept(kept) => self.paper_form_kept = kept,
            ConsentStepEvent::ChooseGuardian(g) => self.guardian = Some(g),
            ConsentStepEvent::Give => self.give(reg),
            ConsentStepEvent::Decline => {
                // Nothing is written; what was typed is forgotten here and now.
                self.pending = None;
                self.finished = true;
                self.notices.push(notice(
                    "declined",
                    NoticeLevel::Info,
                    self.lang,
                    "Không lưu thông tin cá nhân nào của người này ngoài họ tên và quan hệ.",
                    "Nothing personal about this person is stored beyond the name and relation.",
                ));
            }
        }
        self.view(reg)
    }

    fn is_minor(&self, reg: &Register) -> bool {
        let typed = self.pending.as_ref().and_then(|p| p.birth);
        let stored = reg
            .household(&self.household)
            .ok()
            .and_then(|h| h.members.get(&self.member).and_then(|m: &Member| m.birth));
        is_minor_by(typed.or(stored), reg.sync_now().date_naive().year())
    }

    fn can_give(&self, minor: bool) -> bool {
        let p = self.purposes;
        let any = p.local_register || p.setup_help || p.share_with_commune;
        let method_ok = match self.method {
            None => false,
            Some(ConsentMethod::WitnessedVerbal) => true,
            Some(_) => self.paper_form_kept,
        };
        any && method_ok && (!minor || self.guardian.is_some())
    }

    fn give(&mut self, reg: &mut Register) {
        let lang = self.lang;
        let minor = self.is_minor(reg);
        if !self.can_give(minor) {
            self.notices.push(notice(
                "incomplete",
                NoticeLevel::Error,
                lang,
                "Cần người dân tự chọn mục đích, chọn cách đồng ý (và người giám hộ nếu chưa thành niên).",
                "The person must choose the purposes; choose the method (and the guardian for a minor).",
            ));
            return;
        }
        let consent = ConsentGiven {
            purposes: self.purposes,
            notice_version: consent_notice::VERSION.to_owned(),
            method: self.method.unwrap_or(ConsentMethod::WitnessedVerbal),
            guardian: if minor { self.guardian.clone() } else { None },
        };
        let typed_birth = self.pending.as_ref().and_then(|p| p.birth);
        if let Err(e) =
            reg.record_consent_before_birth(&self.household, &self.member, &consent, typed_birth)
        {
            return self.fail(&e);
        }
        // Only the `local_register` purpose lets the register keep the typed personal data.
        let typed = self.pending.take().filter(|p| !p.is_empty());
        if typed.is_some() && !self.purposes.local_register {
            self.notices.push(notice(
                "personal_not_kept",
                NoticeLevel::Info,
                lang,
                "Người này không đồng ý lưu trong sổ: ngày sinh, số định danh và số điện thoại đã nhập không được lưu.",
                "This person did not agree to the register: the birth date, ID number and phone typed are not kept.",
            ));
        }
        let pending = typed.filter(|_| self.purposes.local_register);
        if let Some(p) = pending {
            for field in [
                p.birth.map(|b| MemberField::Birth(Some(b))),
                p.id_number.map(|n| MemberField::IdNumber(Some(n))),
                p.phone.map(|n| MemberField::Phone(Some(n))),
            ]
            .into_iter()
            .flatten()
            {
                match reg.set_member_field(&self.household, &self.member, field) {
                    Ok(saved) => self
                        .notices
                        .extend(saved.warnings.iter().map(|w| notice_of(w, lang))),
                    Err(e) => self.fail(&e),
                }
            }
        }
        self.finished = true;
        self.notices.push(notice(
            "given",
            NoticeLevel::Info,
            lang,
            "Đã ghi nhận đồng ý.",
            "Consent recorded.",
        ));
    }

    fn fail(&mut self, e: &crate::Error) {
        match issues_of(e) {
            Some(issues) => self
                .notices
                .extend(issues.iter().map(|i| notice_of(i, self.lang))),
            None => self.notices.push(save_failed(self.lang)),
        }
    }
}

fn is_minor_by(birth: Option<BirthDate>, this_year: i32) -> bool {
    birth.is_some_and(|b| this_year - b.year() < AGE_OF_CONSENT)
}
