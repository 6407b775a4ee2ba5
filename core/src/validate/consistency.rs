//! Rules across the members of one household, which no single field shows: exactly one head,
//! one spouse, nobody entered twice, relations that fit genders and birth years (measured from
//! the head), checklist items achieved while a prerequisite is recorded as not achieved, and a
//! position far from the rest of the commune. All are warnings: the volunteer may know better
//! (a household may truly have no head yet), so they are shown with the member they are about,
//! never block a save, and never name the person (the member id travels beside the message).

use chrono::{DateTime, Utc};

use super::{Issue, IssueKind};
use crate::input::MemberInput;
use crate::model::{ChecklistStatus, Gender, Household, Member, MemberId, Relation};
use crate::text::fold;

/// A position further than this from the commune's centre is probably a wrong fix: communes
/// merged in 2025 span up to about 15 km across, 20 km leaves a margin.
pub const FAR_FROM_COMMUNE_KM: f64 = 20.0;
/// The fewest registered positions from which a commune's centre is estimated.
pub const MIN_POSITIONS_FOR_CENTRE: usize = 5;
/// The smallest gap in years between a parent and a child born to them.
const GENERATION_YEARS: i32 = 12;

/// One finding, with the member it is about (`None` for the household itself).
pub type Finding = (Option<MemberId>, Issue);

/// Every consistency warning of `h`. `commune_centre` (lat, lon) is the centre of the commune's
/// registered positions ([`commune_centre`]), when enough are known.
pub fn check_consistency(h: &Household, commune_centre: Option<(f64, f64)>) -> Vec<Finding> {
    let mut out = Vec::new();
    let members: Vec<&Member> = h.current_members().collect();
    check_heads(&members, &mut out);
    check_spouses(&members, &mut out);
    check_twice(&members, &mut out);
    let head = members
        .iter()
        .find(|m| m.relation == Relation::Head)
        .copied();
    for m in &members {
        check_gender(m, &mut out);
        if let Some(head) = head {
            check_age_gap(head, m, &mut out);
        }
        check_prerequisites(m, &mut out);
    }
    if let Some(fix) = &h.digital_address.gps
        && let Some(issue) = far_from_commune((fix.lat, fix.lon), commune_centre)
    {
        out.push((None, issue));
    }
    out
}

/// The consistency warnings a member as typed would bring into `h` (`editing` the member being
/// corrected, `None` for a new one): what the member form shows before it saves.
pub fn check_member_fits(
    h: &Household,
    editing: Option<&MemberId>,
    input: &MemberInput,
) -> Vec<Issue> {
    let id = editing
        .cloned()
        .unwrap_or_else(|| MemberId("\u{0}typed".into()));
    let checklist = editing
        .and_then(|e| h.members.get(e))
        .map(|m| m.checklist.clone())
        .unwrap_or_default();
    let mut after = h.clone();
    after.members.insert(
        id.clone(),
        Member {
            id: id.clone(),
            full_name: input.full_name.clone(),
            birth: input.birth,
            gender: input.gender,
            relation: input.relation,
            id_number: input.id_number.clone(),
            phone: input.phone.clone(),
            residence: input.residence,
            removed: false,
            checklist,
        },
    );
    // Which of two equal members is "the second" depends on id order: a rule that fires more
    // often after the change than before is about the member typed.
    let count =
        |found: &[Finding], kind: IssueKind| found.iter().filter(|(_, i)| i.kind == kind).count();
    let before = check_consistency(h, None);
    let found = check_consistency(&after, None);
    let mut out: Vec<Issue> = Vec::new();
    for (m, issue) in &found {
        let about_typed = m.as_ref() == Some(&id);
        let new_kind = count(&found, issue.kind) > count(&before, issue.kind);
        if (about_typed || new_kind)
            && !out
                .iter()
                .any(|o| o.kind == issue.kind && o.field == issue.field)
        {
            out.push(issue.clone());
        }
    }
    out
}

/// Records dated after `now` by the hub's clock (beyond a few minutes): made on a phone whose
/// clock ran ahead, so their dates are wrong. Only the hub, whose clock is right, can tell.
pub fn check_recorded_times(h: &Household, now: DateTime<Utc>) -> Vec<Finding> {
    let limit = now + chrono::Duration::minutes(5);
    let future = |at: DateTime<Utc>| at > limit;
    let message = |what_vi: &str, what_en: &str| {
        (
            format!(
                "{what_vi} ghi thời gian ở tương lai so với máy chủ xã: đồng hồ của điện thoại ghi nhận đã sai."
            ),
            format!(
                "{what_en} is dated in the future by the commune hub's clock: the recording phone's clock was wrong."
            ),
        )
    };
    let mut out = Vec::new();
    let mut push = |member: Option<MemberId>, field: &str, (vi, en): (String, String)| {
        out.push((
            member,
            Issue::warning(IssueKind::RecordedInFuture, field, &vi, &en),
        ));
    };
    if future(h.created_at) {
        push(
            None,
            "household.created_at",
            message("Ngày đăng ký hộ", "The registration"),
        );
    }
    if h.visits
        .iter()
        .any(|v| future(v.recorded_at) || v.date > limit.date_naive())
    {
        push(None, "visit.date", message("Một lần thăm", "A visit"));
    }
    for m in h.current_members() {
        if m.checklist.values().any(|e| future(e.set_at)) {
            push(
                Some(m.id.clone()),
                "member.checklist",
                message("Một mục hỗ trợ", "A checklist item"),
            );
        }
    }
    if h.consents.iter().any(|c| future(c.at)) {
        push(None, "consent", message("Một lần đồng ý", "A consent"));
    }
    out
}

/// The warning for a position further than [`FAR_FROM_COMMUNE_KM`] from the commune's centre.
pub fn far_from_commune(position: (f64, f64), centre: Option<(f64, f64)>) -> Option<Issue> {
    let (lat, lon) = centre?;
    (distance_km(position.0, position.1, lat, lon) > FAR_FROM_COMMUNE_KM).then(|| {
        Issue::warning(
            IssueKind::FarFromCommune,
            "digital_address.gps",
            "Vị trí cách các hộ khác của xã hơn 20 km. Hãy kiểm tra lại hoặc ghim lại trên bản đồ.",
            "The position is more than 20 km from the commune's other households. Check it or pin it again on the map.",
        )
    })
}

fn check_heads(members: &[&Member], out: &mut Vec<Finding>) {
    let heads: Vec<&&Member> = members
        .iter()
        .filter(|m| m.relation == Relation::Head)
        .collect();
    if heads.is_empty() && !members.is_empty() {
        out.push((
            None,
            Issue::warning(
                IssueKind::NoHead,
                "household.head",
                "Hộ chưa có chủ hộ. Hãy chọn chủ hộ trong danh sách thành viên.",
                "The household has no head. Choose the head among the members.",
            ),
        ));
    }
    for extra in heads.iter().skip(1) {
        out.push((
            Some(extra.id.clone()),
            Issue::warning(
                IssueKind::SeveralHeads,
                "member.relation",
                "Hộ có nhiều hơn một chủ hộ. Mỗi hộ chỉ có một chủ hộ.",
                "The household has more than one head. A household has exactly one.",
            ),
        ));
    }
}

fn check_spouses(members: &[&Member], out: &mut Vec<Finding>) {
    for relation in [Relation::Wife, Relation::Husband] {
        for extra in members.iter().filter(|m| m.relation == relation).skip(1) {
            out.push((
                Some(extra.id.clone()),
                Issue::warning(
                    IssueKind::SeveralSpouses,
                    "member.relation",
                    &format!(
                        "Hộ có nhiều hơn một người là «{}» của chủ hộ.",
                        relation.label_vi()
                    ),
                    &format!(
                        "More than one member is the head's \"{}\".",
                        relation.label_en()
                    ),
                ),
            ));
        }
    }
}

/// The same name and birth entered twice (a double tap, or two volunteers at one door).
fn check_twice(members: &[&Member], out: &mut Vec<Finding>) {
    for (i, m) in members.iter().enumerate() {
        let same = members[..i].iter().any(|earlier| {
            fold(&earlier.full_name) == fold(&m.full_name)
                && earlier.birth == m.birth
                && !m.full_name.trim().is_empty()
        });
        if same {
            out.push((
                Some(m.id.clone()),
                Issue::warning(
                    IssueKind::SameMemberTwice,
                    "member.full_name",
                    "Thành viên này trùng họ tên và ngày sinh với một thành viên khác của hộ.",
                    "This member has the same name and date of birth as another member.",
                ),
            ));
        }
    }
}

/// The gender a relation implies, if it implies one.
fn implied_gender(relation: Relation) -> Option<Gender> {
    use Relation::*;
    match relation {
        Wife | Mother | MotherInLawOfHusband | MotherInLawOfWife | AdoptiveMother | Stepmother
        | DaughterInLaw | PaternalGrandmother | MaternalGrandmother | OlderSister
        | OlderSisterInLaw | YoungerSisterInLaw | PaternalAunt | MaternalAunt => {
            Some(Gender::Female)
        }
        Husband | Father | FatherInLawOfHusband | FatherInLawOfWife | AdoptiveFather
        | Stepfather | SonInLaw | PaternalGrandfather | MaternalGrandfather | OlderBrother
        | OlderBrotherInLaw | YoungerBrotherInLaw | PaternalUncle | MaternalUncle => {
            Some(Gender::Male)
        }
        _ => None,
    }
}

fn check_gender(m: &Member, out: &mut Vec<Finding>) {
    if let (Some(expected), Some(gender)) = (implied_gender(m.relation), m.gender)
        && expected != gender
    {
        out.push((
            Some(m.id.clone()),
            Issue::warning(
                IssueKind::RelationGender,
                "member.gender",
                &format!(
                    "Giới tính không hợp với quan hệ «{}».",
                    m.relation.label_vi()
                ),
                &format!(
                    "The gender does not fit the relation \"{}\".",
                    m.relation.label_en()
                ),
            ),
        ));
    }
}

/// How many years after the head (positive) or before (negative) a member of this relation is
/// born at the least or at the most: `(min, max)` of `member_year - head_year`.
fn year_gap(relation: Relation) -> Option<(Option<i32>, Option<i32>)> {
    use Relation::*;
    let g = GENERATION_YEARS;
    Some(match relation {
        Child => (Some(g), None),
        AdoptedChild | Stepchild | DaughterInLaw | SonInLaw => (Some(1), None),
        PaternalGrandchild | MaternalGrandchild => (Some(2 * g), None),
        GreatGrandchild => (Some(3 * g), None),
        Father | Mother => (None, Some(-g)),
        FatherInLawOfHusband | MotherInLawOfHusband | FatherInLawOfWife | MotherInLawOfWife
        | AdoptiveFather | AdoptiveMother | Stepfather | Stepmother => (None, Some(-1)),
        PaternalGrandfather | PaternalGrandmother | MaternalGrandfather | MaternalGrandmother => {
            (None, Some(-2 * g))
        }
        PaternalGreatGrandparent | MaternalGreatGrandparent => (None, Some(-3 * g)),
        OlderBrother | OlderSister => (None, Some(0)),
        YoungerSibling => (Some(0), None),
        _ => return None,
    })
}

fn check_age_gap(head: &Member, m: &Member, out: &mut Vec<Finding>) {
    let (Some(hb), Some(mb)) = (head.birth, m.birth) else {
        return;
    };
    let Some((min, max)) = year_gap(m.relation) else {
        return;
    };
    let gap = mb.year() - hb.year();
    if min.is_some_and(|min| gap < min) || max.is_some_and(|max| gap > max) {
        out.push((
            Some(m.id.clone()),
            Issue::warning(
                IssueKind::RelationAge,
                "member.birth",
                &format!(
                    "Năm sinh không hợp với quan hệ «{}» so với năm sinh của chủ hộ.",
                    m.relation.label_vi()
                ),
                &format!(
                    "The year of birth does not fit the relation \"{}\" against the head's.",
                    m.relation.label_en()
                ),
            ),
        ));
    }
}

/// An item achieved while one of its prerequisites is recorded as not achieved (failed,
/// declined, not applicable, under way, referred): one of the two records is wrong. A
/// prerequisite never asked about is not a contradiction (it was done before the visit).
fn check_prerequisites(m: &Member, out: &mut Vec<Finding>) {
    for (item, entry) in &m.checklist {
        if !entry.status.is_achieved() {
            continue;
        }
        for pre in item.prerequisites() {
            let status = m
                .checklist
                .get(pre)
                .map_or(ChecklistStatus::NotAsked, |e| e.status);
            if status.is_achieved() || status == ChecklistStatus::NotAsked {
                continue;
            }
            out.push((
                Some(m.id.clone()),
                Issue::warning(
                    IssueKind::PrerequisiteMissing,
                    &format!("member.checklist.{}", item.code()),
                    &format!(
                        "«{}» đã đạt nhưng điều kiện trước «{}» đang là «{}».",
                        item.label_vi(),
                        pre.label_vi(),
                        status.label_vi()
                    ),
                    &format!(
                        "\"{}\" is achieved but its prerequisite \"{}\" is \"{}\".",
                        item.label_en(),
                        pre.label_en(),
                        status.label_en()
                    ),
                ),
            ));
        }
    }
}

/// The centre of a commune from the positions registered in it: the median latitude and the
/// median longitude, which a few wrong fixes do not move. `None` below
/// [`MIN_POSITIONS_FOR_CENTRE`] positions.
pub fn commune_centre(positions: impl IntoIterator<Item = (f64, f64)>) -> Option<(f64, f64)> {
    let (mut lats, mut lons): (Vec<f64>, Vec<f64>) = positions
        .into_iter()
        .filter(|(lat, lon)| lat.is_finite() && lon.is_finite())
        .unzip();
    if lats.len() < MIN_POSITIONS_FOR_CENTRE {
        return None;
    }
    lats.sort_by(f64::total_cmp);
    lons.sort_by(f64::total_cmp);
    Some((lats[lats.len() / 2], lons[lons.len() / 2]))
}

/// Great-circle distance in kilometres (haversine, mean Earth radius 6,371 km).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().asin()
}
