//! Registering a household: address fields, the hamlet picked from the commune's list, the GPS
//! policy. Warnings (accuracy worse than 50 m, outside Vietnam, far from the commune) are shown
//! once; the household is then saved only by the explicit "accept warnings" action, and the
//! accepted warning codes are recorded with it (as the note of the registration visit).

use std::collections::BTreeMap;

use super::common::{Field, action, issues_of, notice, notice_of, option, save_failed};
use super::view::{ActionView, FieldView, Lang, Notice, NoticeLevel, tr};
use crate::Register;
use crate::catalog::admin_units;
use crate::input::HouseholdInput;
use crate::model::{Address, Area, GpsFix, GpsSource, HouseholdId, VisitOutcome};
use crate::validate::{
    FAR_FROM_COMMUNE_KM, Issue, IssueKind, distance_km, validate_household_input,
};

/// The prefix of the registration visit's note that lists accepted warnings.
pub const ACCEPTED_NOTE_PREFIX: &str = "accepted_warnings:";

#[derive(Debug, Clone, PartialEq)]
pub enum HouseholdFormEvent {
    /// A field's text (`street`, `alley`, `house_number`, `notes`) or the code picked for it
    /// (`hamlet`: one of the field's options). Other keys change nothing.
    Set {
        key: String,
        value: String,
    },
    Gps(GpsFix),
    ClearGps,
    /// What the phone answered when the volunteer asked for a position.
    Location(LocationAnswer),
    Save,
    /// Saves with the warnings shown, recording that they were accepted.
    AcceptWarnings,
}

/// What the phone's location permission and receiver answered a request for a position. The
/// shell reads its platform's answer; what it means for the volunteer is said here, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationAnswer {
    /// Precise location allowed: fixes follow as [`HouseholdFormEvent::Gps`].
    Precise,
    /// Only the approximate location was allowed (Android 12 and later offer that choice).
    Approximate,
    /// Refused; the app may ask again.
    Refused,
    /// Refused for good ("don't ask again", a policy, iOS's denied or restricted): only the
    /// phone's settings can allow it now.
    RefusedForGood,
    /// The phone's location service is turned off.
    ServiceOff,
    /// Allowed, but no fix came in time (no signal, indoors).
    NoFix,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdFormView {
    pub title: String,
    pub fields: Vec<FieldView>,
    /// The position as a sentence ("21.03, 105.85 ± 12 m, GPS fix"), or a prompt to take one.
    pub position: String,
    /// Asks the phone for a fix (the shell's location service answers).
    pub locate: ActionView,
    /// Forgets the position taken.
    pub clear_gps: ActionView,
    /// What the last answer about the location means, shown under the position.
    pub location_notice: Option<Notice>,
    /// Opens the phone's settings, offered when only they can allow the location.
    pub open_settings: Option<ActionView>,
    pub warnings: Vec<Notice>,
    pub actions: Vec<ActionView>,
    pub notices: Vec<Notice>,
    /// Set once saved: the shell goes on to the members of this household.
    pub saved: Option<HouseholdId>,
}

pub struct HouseholdFormModel {
    lang: Lang,
    commune_centre: Option<(f64, f64)>,
    hamlet: Option<String>,
    text: BTreeMap<&'static str, String>,
    gps: Option<GpsFix>,
    /// The last answer about the location that still says something.
    location: Option<LocationAnswer>,
    messages: BTreeMap<String, Vec<Notice>>,
    /// Warnings shown for the current input; cleared when the input changes.
    shown: Vec<Issue>,
    notices: Vec<Notice>,
    saved: Option<HouseholdId>,
}

const TEXT_KEYS: [(&str, &str, &str); 4] = [
    ("house_number", "Số nhà", "House number"),
    ("alley", "Ngõ/ngách/hẻm/kiệt", "Alley"),
    ("street", "Đường/phố", "Street"),
    ("notes", "Ghi chú", "Notes"),
];

impl HouseholdFormModel {
    /// `commune_centre` (lat, lon) comes with the enrolment when the hub knows it.
    pub fn new(lang: Lang, commune_centre: Option<(f64, f64)>) -> Self {
        Self {
            lang,
            commune_centre,
            hamlet: None,
            text: BTreeMap::new(),
            gps: None,
            location: None,
            messages: BTreeMap::new(),
            shown: Vec::new(),
            notices: Vec::new(),
            saved: None,
        }
    }

    pub fn handle(&mut self, reg: &mut Register, event: HouseholdFormEvent) -> HouseholdFormView {
        self.notices.clear();
        match event {
            HouseholdFormEvent::Set { key, value } => {
                if key == "hamlet" {
                    self.hamlet = Some(value);
                    self.changed();
                } else if let Some((k, _, _)) = TEXT_KEYS.iter().find(|(k, _, _)| *k == key) {
                    self.text.insert(k, value);
                    self.changed();
                }
            }
            HouseholdFormEvent::Gps(fix) => {
                self.gps = Some(fix);
                // A fix answers every trouble but an approximate permission.
                self.location.take_if(|a| *a != LocationAnswer::Approximate);
                self.changed();
            }
            HouseholdFormEvent::Location(answer) => {
                self.location = (answer != LocationAnswer::Precise).then_some(answer);
            }
            HouseholdFormEvent::ClearGps => {
                self.gps = None;
                self.changed();
            }
            HouseholdFormEvent::Save => self.save(reg, false),
            HouseholdFormEvent::AcceptWarnings => self.save(reg, true),
        }
        self.view(reg)
    }

    fn changed(&mut self) {
        self.shown.clear();
        self.messages.clear();
    }

    fn input(&self, reg: &Register) -> HouseholdInput {
        let commune = reg.identity().commune_code.clone();
        let province = admin_units::commune(&commune)
            .and_then(|c| c.province_code.clone())
            .unwrap_or_default();
        let text = |k: &str| {
            self.text
                .get(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        HouseholdInput {
            area: Area {
                province_code: province,
                commune_code: commune,
                hamlet_id: self.hamlet.clone().unwrap_or_default(),
            },
            address: Address {
                street: text("street"),
                alley: text("alley"),
                house_number: text("house_number"),
            },
            gps: self.gps.clone(),
            official: None,
            notes: text("notes"),
        }
    }

    /// The core's warnings plus the distance from the commune (its centre from the enrolment,
    /// or else from the positions already registered in it).
    fn warnings(&self, reg: &Register, input: &HouseholdInput, validated: &[Issue]) -> Vec<Issue> {
        let mut out: Vec<Issue> = validated
            .iter()
            .filter(|i| !i.is_error())
            .cloned()
            .collect();
        out.extend(reg.same_address_warnings(input).unwrap_or_default());
        let centre = self
            .commune_centre
            .or_else(|| reg.commune_centre(&input.area.commune_code).ok().flatten());
        if let (Some(fix), Some((lat, lon))) = (&self.gps, centre)
            && distance_km(fix.lat, fix.lon, lat, lon) > FAR_FROM_COMMUNE_KM
        {
            out.push(Issue::warning(
                IssueKind::InvalidValue,
                "digital_address.gps.far",
                "Vị trí cách xã hơn 20 km. Hãy kiểm tra lại hoặc ghim lại trên bản đồ.",
                "The position is more than 20 km from the commune. Check it or pin it again on the map.",
            ));
        }
        out
    }

    fn save(&mut self, reg: &mut Register, accept: bool) {
        let lang = self.lang;
        self.messages.clear();
        if self.saved.is_some() {
            return;
        }
        let input = self.input(reg);
        let (_, report) = validate_household_input(&input, reg.sync_now());
        let mut blocked = false;
        if input.area.hamlet_id.is_empty() {
            blocked = true;
            self.message(
                "hamlet",
                notice(
                    "required",
                    NoticeLevel::Error,
                    lang,
                    "Chọn thôn/tổ.",
                    "Choose the hamlet.",
                ),
            );
        }
        for issue in report.errors() {
            blocked = true;
            self.message(&key_of(&issue.field), notice_of(issue, lang));
        }
        if blocked {
            return;
        }
        let warnings = self.warnings(reg, &input, &report.issues);
        let all_shown = warnings.iter().all(|w| self.shown.contains(w));
        if !(warnings.is_empty() || accept && all_shown) {
            self.shown = warnings;
            return;
        }
        match reg.create_household(input) {
            Ok(saved) => {
                let id = saved.value;
                if !warnings.is_empty() {
                    let codes: Vec<&str> = warnings.iter().map(|w| w.field.as_str()).collect();
                    let note = format!("{ACCEPTED_NOTE_PREFIX} {}", codes.join(", "));
                    let today = crate::vietnam_time::local_date(reg.sync_now());
                    if reg
                        .record_visit(&id, today, VisitOutcome::Registered, Some(note), None)
                        .is_err()
                    {
                        self.notices.push(save_failed(lang));
                    }
                }
                self.notices.push(notice(
                    "saved",
                    NoticeLevel::Info,
                    lang,
                    "Đã lưu hộ.",
                    "Household saved.",
                ));
                self.saved = Some(id);
            }
            Err(e) => match issues_of(&e) {
                Some(issues) => {
                    for i in issues.iter().cloned() {
                        self.message(&key_of(&i.field), notice_of(&i, lang));
                    }
                }
                None => self.notices.push(save_failed(lang)),
            },
        }
    }

    fn message(&mut self, key: &str, n: Notice) {
        self.messages.entry(key.to_owned()).or_default().push(n);
    }

    pub fn view(&self, reg: &Register) -> HouseholdFormView {
        let lang = self.lang;
        let commune = reg.identity().commune_code.clone();
        let hamlets = reg.hamlets(&commune).unwrap_or_default();
        let mut fields: Vec<FieldView> = vec![
            Field {
                key: "hamlet",
                label: tr(lang, "Thôn/tổ", "Hamlet"),
                value: self.hamlet.clone().unwrap_or_default(),
                hint: String::new(),
                required: true,
            }
            .view(self.messages.get("hamlet").cloned().unwrap_or_default())
            .choice(
                hamlets
                    .iter()
                    .map(|h| {
                        option(
                            &h.id,
                            &h.name,
                            self.hamlet.as_deref() == Some(h.id.as_str()),
                        )
                    })
                    .collect(),
            ),
        ];
        fields.extend(TEXT_KEYS.iter().map(|(k, vi, en)| {
            Field {
                key: k,
                label: tr(lang, vi, en),
                value: self.text.get(k).cloned().unwrap_or_default(),
                hint: String::new(),
                required: false,
            }
            .view(self.messages.get(*k).cloned().unwrap_or_default())
        }));
        let position = match &self.gps {
            None => tr(lang, "Chưa lấy vị trí.", "No position yet."),
            Some(f) => {
                let source = tr(lang, f.source.label_vi(), f.source.label_en());
                format!(
                    "{} ± {:.0} m, {source}",
                    super::position_text::coordinates_text(f.lat, f.lon),
                    f.accuracy_m
                )
            }
        };
        let mut notices = self.notices.clone();
        if self
            .gps
            .as_ref()
            .is_some_and(|f| f.source == GpsSource::MapPin)
        {
            notices.push(notice(
                "gps_pinned",
                NoticeLevel::Info,
                lang,
                "Vị trí được ghim bằng tay trên bản đồ: hãy chắc đó là nhà của hộ.",
                "The position was pinned by hand on the map: make sure it is the household's home.",
            ));
        }
        let open = self.saved.is_none();
        let refused_for_good = self.location == Some(LocationAnswer::RefusedForGood);
        HouseholdFormView {
            title: tr(lang, "Đăng ký hộ mới", "Register a household"),
            fields,
            position,
            locate: action("locate", lang, "Lấy vị trí GPS", "Get GPS position", open),
            clear_gps: action(
                "clear_gps",
                lang,
                "Xoá vị trí",
                "Clear position",
                open && self.gps.is_some(),
            ),
            location_notice: self.location.and_then(|a| location_notice(a, lang)),
            open_settings: refused_for_good
                .then(|| action("open_settings", lang, "Mở Cài đặt", "Open Settings", true)),
            warnings: self.shown.iter().map(|w| notice_of(w, lang)).collect(),
            actions: vec![
                action(
                    "save",
                    lang,
                    "Lưu hộ",
                    "Save household",
                    open && self.shown.is_empty(),
                ),
                action(
                    "accept_warnings",
                    lang,
                    "Đã kiểm tra, vẫn lưu",
                    "Checked, save anyway",
                    open && !self.shown.is_empty(),
                ),
            ],
            notices,
            saved: self.saved.clone(),
        }
    }
}

/// What an answer about the location means for the volunteer; nothing for a precise one.
fn location_notice(answer: LocationAnswer, lang: Lang) -> Option<Notice> {
    let (code, level, vi, en) = match answer {
        LocationAnswer::Precise => return None,
        LocationAnswer::Approximate => (
            "location_approximate",
            NoticeLevel::Warning,
            "Chỉ có vị trí gần đúng: hãy cho phép \"vị trí chính xác\" để mã Plus Code đúng nhà.",
            "Only an approximate position: allow \"precise location\" so the Plus Code points at the house.",
        ),
        LocationAnswer::Refused => (
            "location_refused",
            NoticeLevel::Info,
            "Ứng dụng cần vị trí để tính mã Plus Code của hộ; vị trí chỉ lưu cùng địa chỉ hộ. Bấm \"Lấy vị trí GPS\" để cho phép.",
            "The app needs the position to compute the household's Plus Code; it is kept only with the household's address. Tap \"Get GPS position\" to allow it.",
        ),
        LocationAnswer::RefusedForGood => (
            "location_refused_for_good",
            NoticeLevel::Warning,
            "Quyền vị trí đã bị tắt cho ứng dụng này. Mở Cài đặt để bật lại; vẫn có thể lưu hộ không có vị trí.",
            "Location is turned off for this app. Open Settings to allow it; the household can still be saved without a position.",
        ),
        LocationAnswer::ServiceOff => (
            "location_service_off",
            NoticeLevel::Warning,
            "Dịch vụ vị trí của máy đang tắt: bật lại trong Cài đặt rồi bấm lại.",
            "The phone's location service is off: turn it on in Settings, then tap again.",
        ),
        LocationAnswer::NoFix => (
            "location_no_fix",
            NoticeLevel::Warning,
            "Không lấy được vị trí. Thử lại ở chỗ thoáng.",
            "No position. Try again in the open.",
        ),
    };
    Some(notice(code, level, lang, vi, en))
}

/// `area.hamlet_id` -> `hamlet`, `address.street` -> `street`, `digital_address.gps...` -> `gps`.
fn key_of(field: &str) -> String {
    if field.starts_with("digital_address.gps") {
        return "gps".into();
    }
    match field.rsplit('.').next().unwrap_or(field) {
        "hamlet_id" => "hamlet".into(),
        other => other.into(),
    }
}
