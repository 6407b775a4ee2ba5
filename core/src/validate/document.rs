//! The whole household document, as the hub checks every document a device pushes (and any
//! document it writes itself) before storing it and passing it to the phones of the area: the
//! same field rules the register applies to each edit, to every object of the document, the
//! removed members and the conflicting values included, plus the shape of the document itself
//! (`doc::shape`: known keys only, bounded strings, no control or bidi-override characters) and
//! its size. The errors refuse the document alone; warnings are not reported here.

use chrono::{DateTime, Utc};

use super::household::{validate_household_input, validate_member_input};
use super::{Issue, IssueKind, Report};
use crate::doc::{HouseholdDoc, ShapeProblem};
use crate::input::{HouseholdInput, MemberInput};
use crate::model::{BirthDate, Gender, Household, Relation, ResidenceType, is_valid_id};

/// The largest household document accepted, in bytes as saved: a household of twelve people
/// with a year of visits is under 40 KB; a document ten times that is not a household.
pub const MAX_DOCUMENT_BYTES: usize = 512 * 1024;
/// A checklist item's reason (why it failed or was declined).
pub const MAX_REASON_CHARS: usize = 500;
/// A visit's note.
pub const MAX_VISIT_NOTE_CHARS: usize = 2_000;
/// A consent's notice version (`2026-01`).
const MAX_NOTICE_VERSION_CHARS: usize = 32;

fn error(kind: IssueKind, field: &str, vi: &str, en: &str) -> Issue {
    Issue::error(kind, field, vi, en)
}

fn bad_id(field: &str) -> Issue {
    error(
        IssueKind::InvalidValue,
        field,
        "Mã định danh bản ghi không hợp lệ.",
        "The record id is not valid.",
    )
}

/// Every error of the household document `doc` (`household` as read from it, `size` its saved
/// length in bytes), at `now` by the hub's clock (a device's clock may run two days ahead).
pub fn validate_document(
    doc: &mut HouseholdDoc,
    household: &Household,
    size: usize,
    now: DateTime<Utc>,
) -> Report {
    let mut report = Report::default();
    if size > MAX_DOCUMENT_BYTES {
        report.push(error(
            IssueKind::TooLong,
            "document",
            "Tài liệu hộ quá lớn (tối đa 512 KB).",
            "The household document is too large (512 KB at most).",
        ));
        return report;
    }
    for issue in doc.shape_issues() {
        let (kind, vi, en) = match issue.problem {
            ShapeProblem::UnknownKey => (
                IssueKind::InvalidValue,
                "Tài liệu có trường không được phép.",
                "The document holds a field that is not allowed.",
            ),
            ShapeProblem::TooLong => (
                IssueKind::TooLong,
                "Nội dung quá dài (tối đa 2.000 ký tự).",
                "The text is too long (2,000 characters at most).",
            ),
            ShapeProblem::Unprintable => (
                IssueKind::InvalidCharacters,
                "Nội dung có ký tự điều khiển không được phép.",
                "The text holds control characters that are not allowed.",
            ),
            ShapeProblem::WrongType => (
                IssueKind::InvalidValue,
                "Tài liệu có giá trị sai kiểu.",
                "The document holds a value of the wrong type.",
            ),
        };
        report.push(error(kind, &issue.path, vi, en));
    }
    let later = now + chrono::Duration::days(2);
    check_household(household, later, &mut report);
    check_conflicting_values(doc, household, later, &mut report);
    report
}

fn errors_of(report: Report, prefix: &str, out: &mut Report) {
    for mut issue in report.issues.into_iter().filter(Issue::is_error) {
        issue.field = format!("{prefix}{}", issue.field);
        out.push(issue);
    }
}

fn check_household(h: &Household, later: DateTime<Utc>, report: &mut Report) {
    errors_of(
        validate_household_input(&HouseholdInput::from(h), later).1,
        "",
        report,
    );
    if h.head
        .as_ref()
        .is_some_and(|id| !h.members.contains_key(id))
    {
        report.push(error(
            IssueKind::UnknownMember,
            "head",
            "Chủ hộ không phải là thành viên của hộ.",
            "The head of household is not a member of it.",
        ));
    }
    if h.merged_into.as_ref().is_some_and(|id| !is_valid_id(&id.0)) {
        report.push(bad_id("merged_into"));
    }
    // Every member, the removed ones too: their data is stored and synced all the same.
    for (id, m) in &h.members {
        let at = format!("members.{id}.");
        errors_of(
            validate_member_input(&MemberInput::from(m), later.date_naive()).1,
            &at,
            report,
        );
        for (item, entry) in &m.checklist {
            let field = format!("{at}checklist.{}", item.code());
            if entry
                .reason
                .as_ref()
                .is_some_and(|r| r.chars().count() > MAX_REASON_CHARS)
            {
                report.push(error(
                    IssueKind::TooLong,
                    &format!("{field}.reason"),
                    "Lý do quá dài (tối đa 500 ký tự).",
                    "The reason is too long (500 characters at most).",
                ));
            }
            if !is_valid_id(&entry.set_by.0) || !is_valid_id(&entry.device.0) {
                report.push(bad_id(&field));
            }
        }
    }
    for (n, v) in h.visits.iter().enumerate() {
        let field = format!("visits[{n}]");
        if v.note
            .as_ref()
            .is_some_and(|t| t.chars().count() > MAX_VISIT_NOTE_CHARS)
        {
            report.push(error(
                IssueKind::TooLong,
                &format!("{field}.note"),
                "Ghi chú lượt thăm quá dài (tối đa 2.000 ký tự).",
                "The visit's note is too long (2,000 characters at most).",
            ));
        }
        if [&v.id.0, &v.volunteer.0, &v.device.0]
            .iter()
            .any(|id| !is_valid_id(id))
        {
            report.push(bad_id(&field));
        }
    }
    for (n, c) in h.consents.iter().enumerate() {
        let field = format!("consents[{n}]");
        let unknown = !h.members.contains_key(&c.member)
            || c.guardian
                .as_ref()
                .is_some_and(|g| !h.members.contains_key(g));
        if unknown {
            report.push(error(
                IssueKind::UnknownMember,
                &field,
                "Bản ghi đồng ý nói đến một người không có trong hộ.",
                "A consent record names a person who is not in the household.",
            ));
        }
        if c.notice_version.is_empty()
            || c.notice_version.chars().count() > MAX_NOTICE_VERSION_CHARS
        {
            report.push(error(
                IssueKind::InvalidValue,
                &format!("{field}.notice_version"),
                "Phiên bản thông báo đồng ý không hợp lệ.",
                "The consent notice version is not valid.",
            ));
        }
        if [&c.id.0, &c.volunteer.0, &c.device.0]
            .iter()
            .any(|id| !is_valid_id(id))
        {
            report.push(bad_id(&field));
        }
    }
}

/// A conflicting value is one a person may choose later: it must meet the same rules as the
/// winning one, or choosing it would store an invalid household.
fn check_conflicting_values(
    doc: &mut HouseholdDoc,
    h: &Household,
    later: DateTime<Utc>,
    report: &mut Report,
) {
    let Ok(conflicts) = doc.conflicts() else {
        return;
    };
    for c in conflicts {
        for v in &c.values {
            let field = format!("{}", c.field);
            let invalid = || {
                error(
                    IssueKind::InvalidValue,
                    &field,
                    "Một giá trị đang xung đột không hợp lệ.",
                    "A conflicting value is not valid.",
                )
            };
            let value = v.value.as_str();
            match &c.field.member {
                Some(member) => {
                    let Some(m) = h.members.get(member) else {
                        continue;
                    };
                    let mut input = MemberInput::from(m);
                    let parsed = match c.field.key.as_str() {
                        "full_name" => {
                            input.full_name = value.to_owned();
                            true
                        }
                        "id_number" => {
                            input.id_number = Some(value.to_owned());
                            true
                        }
                        "phone" => {
                            input.phone = Some(value.to_owned());
                            true
                        }
                        "birth" => BirthDate::parse(value)
                            .map(|b| input.birth = Some(b))
                            .is_some(),
                        "gender" => Gender::from_code(value).is_some(),
                        "relation" => Relation::from_code(value).is_some(),
                        "residence" => ResidenceType::from_code(value).is_some(),
                        _ => true,
                    };
                    if !parsed
                        || validate_member_input(&input, later.date_naive())
                            .1
                            .has_errors()
                    {
                        report.push(invalid());
                    }
                }
                None => {
                    let mut input = HouseholdInput::from(h);
                    let text = Some(value.to_owned());
                    match c.field.key.as_str() {
                        "street" => input.address.street = text,
                        "alley" => input.address.alley = text,
                        "house_number" => input.address.house_number = text,
                        "notes" => input.notes = text,
                        _ => continue,
                    }
                    if validate_household_input(&input, later).1.has_errors() {
                        report.push(invalid());
                    }
                }
            }
        }
    }
}
