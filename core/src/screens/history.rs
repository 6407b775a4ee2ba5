//! "Who changed what": a change's recorded code (`checklist.set <member> vneid_installed
//! in_progress`, the Automerge change message) as a sentence in the reader's language, for the
//! dashboard's history, the CLI and the phones. The code stays the stored form (stable, no
//! personal data); the sentence names the person as far as the household given shows them
//! (the dashboard passes the commune's view, where a person who did not consent has no name).

use std::str::FromStr;

use super::labels::{field_label, household_key_label, member_key_label};
use super::view::{Lang, tr};
use crate::doc::FieldPath;
use crate::model::{ChecklistItem, ChecklistStatus, Household, MemberId, VisitOutcome};

/// The person a change is about: their name, or "a member" when it is not shown.
fn person(h: &Household, id: &str, lang: Lang) -> String {
    h.members
        .get(&MemberId(id.to_owned()))
        .map(|m| m.full_name.trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| tr(lang, "một thành viên", "a member"))
}

/// The sentence for a change code; a code it does not know is returned as it is.
pub fn change_text(code: &str, h: &Household, lang: Lang) -> String {
    let words: Vec<&str> = code.split_whitespace().collect();
    let text = match words.as_slice() {
        ["household.create"] => Some(tr(lang, "Đăng ký hộ", "Household registered")),
        ["household.rewrite", ..] => Some(tr(
            lang,
            "Viết lại hộ sau khi xoá dữ liệu của một người",
            "Rewritten after a person's data was erased",
        )),
        ["household.set", key] => household_key_label(key, lang)
            .map(|label| format!("{} {}", lang.pick("Sửa", "Changed"), lower(&label))),
        ["member.add", id] => Some(format!(
            "{} {}",
            lang.pick("Thêm thành viên", "Added member"),
            person(h, id, lang)
        )),
        ["member.set", id, key] => member_key_label(key, lang).map(|label| {
            format!(
                "{} {} {} {}",
                lang.pick("Sửa", "Changed"),
                lower(&label),
                lang.pick("của", "of"),
                person(h, id, lang)
            )
        }),
        ["member.remove", id] => Some(format!(
            "{} {}",
            person(h, id, lang),
            lang.pick("không còn ở trong hộ", "no longer lives here")
        )),
        ["checklist.set", id, item, status] => {
            match (
                ChecklistItem::from_code(item),
                ChecklistStatus::from_code(status),
            ) {
                (Some(item), Some(status)) => Some(format!(
                    "{}: {} — {}",
                    person(h, id, lang),
                    lang.pick(item.label_vi(), item.label_en()),
                    lang.pick(status.label_vi(), status.label_en())
                )),
                _ => None,
            }
        }
        ["clock.shift", device, secs] => secs.parse::<i64>().ok().map(|secs| {
            let by = super::sync_status::skew_duration(secs, lang);
            let device = super::position_text::short_id(device);
            match (lang, secs < 0) {
                (Lang::Vi, true) => format!("Lùi {by} các mốc thời gian máy {device} ghi khi đồng hồ chạy nhanh"),
                (Lang::Vi, false) => format!("Đẩy {by} các mốc thời gian máy {device} ghi khi đồng hồ chạy chậm"),
                (Lang::En, true) => format!("Times recorded by device {device} while its clock ran ahead moved back {by}"),
                (Lang::En, false) => format!("Times recorded by device {device} while its clock ran behind moved forward {by}"),
            }
        }),
        ["visit.add", outcome] => VisitOutcome::from_code(outcome).map(|o| {
            format!(
                "{}: {}",
                lang.pick("Ghi lần thăm", "Visit recorded"),
                lang.pick(o.label_vi(), o.label_en())
            )
        }),
        ["consent.given", id] => Some(format!(
            "{} {}",
            person(h, id, lang),
            lang.pick("đồng ý", "gave consent")
        )),
        ["consent.withdrawn", id] => Some(format!(
            "{} {}",
            person(h, id, lang),
            lang.pick("rút lại đồng ý", "withdrew consent")
        )),
        ["conflict.resolve", field] => FieldPath::from_str(field).ok().map(|path| {
            let label = lower(&field_label(&path, lang));
            match &path.member {
                Some(m) => format!(
                    "{} {label} {} {}",
                    lang.pick("Chọn giá trị cho", "Chose the value of"),
                    lang.pick("của", "of"),
                    person(h, &m.0, lang)
                ),
                None => format!(
                    "{} {label}",
                    lang.pick("Chọn giá trị cho", "Chose the value of")
                ),
            }
        }),
        _ => None,
    };
    text.unwrap_or_else(|| code.to_owned())
}

/// A label inside a sentence, its first letter lowered ("Changed street", "Sửa số nhà").
fn lower(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
