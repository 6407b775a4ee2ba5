//! Corrections after the visit: every household field, a member removed, a consent withdrawn,
//! an erasure requested. Member fields are edited on the members screen (`EditMember`), which
//! applies the same consent rule. Destructive actions take two presses: the first asks, the
//! second (`Confirm`) does it.
//!
//! An erasure request (`Register::erase_member` or `erase_household`) is carried out on the phone
//! at once only when the hub never had the household; otherwise it goes to the commune at the
//! next sync, where a coordinator decides, and the view says where each request stands.

use super::common::{Field, action, issues_of, notice, notice_of, option, save_failed};
use super::view::{ActionView, FieldView, Lang, Notice, NoticeLevel, tr};
use crate::Register;
use crate::doc::HouseholdField;
use crate::erasure::{ErasureStep, RequestState};
use crate::model::{ConsentMethod, HouseholdId, MemberId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorrectionsEvent {
    /// `hamlet`, `street`, `alley`, `house_number` or `notes`; blank clears.
    SetHouseholdField {
        key: String,
        value: String,
    },
    RemoveMember(MemberId),
    WithdrawConsent(MemberId),
    /// One member's data, or (`None`) the whole household's.
    RequestErasure(Option<MemberId>),
    Confirm,
    Cancel,
}

/// A destructive action waiting for its confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    Remove(MemberId),
    Withdraw(MemberId),
    Erase(Option<MemberId>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionsView {
    pub title: String,
    pub fields: Vec<FieldView>,
    /// The current members, each with the corrections that apply to them now.
    pub members: Vec<CorrectionMemberView>,
    /// The question to confirm, when a destructive action waits.
    pub confirm_question: Option<String>,
    pub actions: Vec<ActionView>,
    pub notices: Vec<Notice>,
    /// The household no longer exists on this phone (erased): the shell goes back to the list.
    pub gone: bool,
}

/// A member on the corrections screen: `remove`, `withdraw_consent` (only while a consent is in
/// force) and `request_erasure`, each disabled while another action waits for its confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionMemberView {
    pub id: MemberId,
    pub name: String,
    pub actions: Vec<ActionView>,
}

pub struct CorrectionsModel {
    lang: Lang,
    household: HouseholdId,
    pending: Option<Pending>,
    messages: Vec<(String, Notice)>,
    notices: Vec<Notice>,
}

impl CorrectionsModel {
    pub fn new(lang: Lang, household: HouseholdId) -> Self {
        Self {
            lang,
            household,
            pending: None,
            messages: Vec::new(),
            notices: Vec::new(),
        }
    }

    pub fn handle(&mut self, reg: &mut Register, event: CorrectionsEvent) -> CorrectionsView {
        self.notices.clear();
        self.messages.clear();
        match event {
            CorrectionsEvent::SetHouseholdField { key, value } => self.set_field(reg, &key, value),
            CorrectionsEvent::RemoveMember(m) => self.pending = Some(Pending::Remove(m)),
            CorrectionsEvent::WithdrawConsent(m) => self.pending = Some(Pending::Withdraw(m)),
            CorrectionsEvent::RequestErasure(m) => self.pending = Some(Pending::Erase(m)),
            CorrectionsEvent::Cancel => self.pending = None,
            CorrectionsEvent::Confirm => self.confirm(reg),
        }
        self.view(reg)
    }

    fn set_field(&mut self, reg: &mut Register, key: &str, value: String) {
        let v = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        let field = match key {
            "hamlet" => HouseholdField::Hamlet(v.unwrap_or_default()),
            "street" => HouseholdField::Street(v),
            "alley" => HouseholdField::Alley(v),
            "house_number" => HouseholdField::HouseNumber(v),
            "notes" => HouseholdField::Notes(v),
            _ => return,
        };
        match reg.set_household_field(&self.household, field) {
            Ok(saved) => {
                self.notices
                    .extend(saved.warnings.iter().map(|w| notice_of(w, self.lang)));
                self.notices.push(notice(
                    "saved",
                    NoticeLevel::Info,
                    self.lang,
                    "Đã sửa.",
                    "Corrected.",
                ));
            }
            Err(e) => self.fail(key, &e),
        }
    }

    fn confirm(&mut self, reg: &mut Register) {
        let lang = self.lang;
        let Some(p) = self.pending.take() else { return };
        let (result, vi, en) = match &p {
            Pending::Remove(m) => (
                reg.remove_member(&self.household, m).map(|_| ()),
                "Đã ghi người này không còn trong hộ.",
                "Recorded that this person left the household.",
            ),
            Pending::Withdraw(m) => (
                reg.withdraw_consent(&self.household, m, ConsentMethod::WitnessedVerbal)
                    .map(|_| ()),
                "Đã rút lại đồng ý và xoá ngày sinh, số định danh, số điện thoại và tiến độ hỗ trợ của người này.",
                "Consent withdrawn; this person's birth date, ID number, phone and set-up progress are cleared.",
            ),
            Pending::Erase(member) => {
                let step = match member {
                    Some(m) => reg.erase_member(&self.household, m),
                    None => reg.erase_household(&self.household),
                };
                let (vi, en) = match (step, member) {
                    (Ok(ErasureStep::Erased), Some(_)) => (
                        "Đã xoá dữ liệu của người này trên máy (hộ chưa gửi về xã).",
                        "This person's data is erased on this phone (the household never reached the commune).",
                    ),
                    (Ok(ErasureStep::Erased), None) => (
                        "Đã xoá dữ liệu của hộ trên máy (hộ chưa gửi về xã).",
                        "The household's data is erased on this phone (it never reached the commune).",
                    ),
                    (Ok(ErasureStep::Requested), _) => (
                        "Đã ghi yêu cầu xoá; yêu cầu gửi về xã ở lần đồng bộ tới và cán bộ xã sẽ xem xét. Hộ không sửa được trong lúc chờ.",
                        "Erasure requested: the request goes to the commune at the next sync and a commune officer decides. The household cannot be edited meanwhile.",
                    ),
                    (Err(e), _) => return self.fail("", &e),
                };
                self.notices
                    .push(notice("done", NoticeLevel::Info, lang, vi, en));
                return;
            }
        };
        match result {
            Ok(()) => self
                .notices
                .push(notice("done", NoticeLevel::Info, lang, vi, en)),
            Err(e) => self.fail("", &e),
        }
    }

    fn fail(&mut self, key: &str, e: &crate::Error) {
        match issues_of(e) {
            Some(issues) => {
                for i in issues {
                    self.messages
                        .push((key.to_owned(), notice_of(i, self.lang)));
                }
            }
            None => self.notices.push(save_failed(self.lang)),
        }
    }

    pub fn view(&self, reg: &Register) -> CorrectionsView {
        let lang = self.lang;
        let household = reg.household(&self.household).ok();
        let gone = household.is_none();
        let value = |key: &str| -> String {
            let Some(h) = &household else {
                return String::new();
            };
            match key {
                "hamlet" => h.area.hamlet_id.clone(),
                "street" => h.address.street.clone().unwrap_or_default(),
                "alley" => h.address.alley.clone().unwrap_or_default(),
                "house_number" => h.address.house_number.clone().unwrap_or_default(),
                _ => h.notes.clone().unwrap_or_default(),
            }
        };
        // The commune's hamlets, the household's selected: the choices of its `hamlet` field.
        let hamlet_options: Vec<_> = household
            .as_ref()
            .and_then(|h| {
                let hamlets = reg.hamlets(&h.area.commune_code).ok()?;
                Some(
                    hamlets
                        .iter()
                        .map(|x| option(&x.id, &x.name, x.id == h.area.hamlet_id))
                        .collect(),
                )
            })
            .unwrap_or_default();
        let fields = [
            ("hamlet", "Thôn/tổ", "Hamlet"),
            ("house_number", "Số nhà", "House number"),
            ("alley", "Ngõ/ngách/hẻm/kiệt", "Alley"),
            ("street", "Đường/phố", "Street"),
            ("notes", "Ghi chú", "Notes"),
        ]
        .iter()
        .filter(|_| !gone)
        .map(|(k, vi, en)| {
            let msgs = self
                .messages
                .iter()
                .filter(|(key, _)| key == k)
                .map(|(_, n)| n.clone())
                .collect();
            let field = Field {
                key: k,
                label: tr(lang, vi, en),
                value: value(k),
                hint: String::new(),
                required: *k == "hamlet",
            }
            .view(msgs);
            if *k == "hamlet" {
                field.choice(hamlet_options.clone())
            } else {
                field
            }
        })
        .collect();
        let mut notices = self.notices.clone();
        notices.extend(
            self.messages
                .iter()
                .filter(|(k, _)| k.is_empty())
                .map(|(_, n)| n.clone()),
        );
        notices.extend(request_notices(reg, &self.household, lang));
        let confirm_question = self.pending.as_ref().map(|p| match p {
            Pending::Remove(_) => tr(lang, "Ghi người này không còn ở trong hộ?", "Record that this person no longer lives here?"),
            Pending::Withdraw(_) => tr(lang, "Rút lại đồng ý? Ngày sinh, số định danh, số điện thoại và tiến độ hỗ trợ sẽ bị xoá.", "Withdraw consent? The birth date, ID number, phone and set-up progress will be cleared."),
            Pending::Erase(Some(_)) => tr(lang, "Yêu cầu xoá toàn bộ dữ liệu của người này? Khi xã đồng ý, dữ liệu bị xoá khỏi mọi máy và không thể hoàn tác.", "Request erasure of all of this person's data? Once the commune agrees, it is erased from every device and cannot be undone."),
            Pending::Erase(None) => tr(lang, "Yêu cầu xoá toàn bộ dữ liệu của hộ? Khi xã đồng ý, dữ liệu bị xoá khỏi mọi máy và không thể hoàn tác.", "Request erasure of all of the household's data? Once the commune agrees, it is erased from every device and cannot be undone."),
        });
        let waiting = self.pending.is_some();
        let members = household
            .as_ref()
            .map(|h| {
                h.current_members()
                    .map(|m| CorrectionMemberView {
                        id: m.id.clone(),
                        name: m.full_name.clone(),
                        actions: vec![
                            action(
                                "remove",
                                lang,
                                "Không còn ở trong hộ",
                                "No longer lives here",
                                !waiting,
                            ),
                            action(
                                "withdraw_consent",
                                lang,
                                "Rút lại đồng ý",
                                "Withdraw consent",
                                !waiting && h.current_consent(&m.id).is_some(),
                            ),
                            action(
                                "request_erasure",
                                lang,
                                "Yêu cầu xoá dữ liệu người này",
                                "Request erasure of this person's data",
                                !waiting,
                            ),
                        ],
                    })
                    .collect()
            })
            .unwrap_or_default();
        CorrectionsView {
            title: tr(lang, "Sửa thông tin", "Corrections"),
            fields,
            members,
            confirm_question,
            actions: vec![
                action("confirm", lang, "Xác nhận", "Confirm", waiting),
                action("cancel", lang, "Huỷ", "Cancel", waiting),
                action(
                    "request_erasure",
                    lang,
                    "Yêu cầu xoá dữ liệu",
                    "Request erasure",
                    !gone && !waiting,
                ),
            ],
            notices,
            gone,
        }
    }
}

/// Where each erasure request about the household stands, in the volunteer's words.
fn request_notices(reg: &Register, household: &HouseholdId, lang: Lang) -> Vec<Notice> {
    let Ok(requests) = reg.erasure_requests(household) else {
        return Vec::new();
    };
    requests
        .iter()
        .map(|r| {
            let (code, level, vi, en) = match r.state {
                RequestState::Queued => (
                    "erasure_queued",
                    NoticeLevel::Warning,
                    "Yêu cầu xoá dữ liệu chưa gửi về xã: đồng bộ để gửi.",
                    "The erasure request has not reached the commune yet: sync to send it.",
                ),
                RequestState::Filed => (
                    "erasure_filed",
                    NoticeLevel::Info,
                    "Xã đã nhận yêu cầu xoá dữ liệu và đang xem xét.",
                    "The commune received the erasure request and is deciding.",
                ),
                RequestState::Refused => (
                    "erasure_refused",
                    NoticeLevel::Warning,
                    "Xã đã từ chối yêu cầu xoá dữ liệu; hỏi cán bộ xã lý do.",
                    "The commune refused the erasure request; ask the commune officer why.",
                ),
            };
            let whom = match (&r.member, reg.household(household)) {
                (None, _) => tr(lang, "Cả hộ", "Whole household"),
                (Some(m), Ok(h)) => h
                    .members
                    .get(m)
                    .map(|p| p.full_name.clone())
                    .unwrap_or_default(),
                (Some(_), Err(_)) => String::new(),
            };
            let mut n = notice(code, level, lang, vi, en);
            if !whom.is_empty() {
                n.text = format!("{whom}: {}", n.text);
            }
            n
        })
        .collect()
}
