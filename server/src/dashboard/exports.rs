//! Exports for the province: households, members (with their checklist) and progress per hamlet,
//! as CSV (UTF-8 with a byte-order mark, so Excel shows Vietnamese) and as one XLSX workbook.
//! ID numbers are masked to their last 4 digits, phones to their last 3. With a range of days
//! (`?from=&to=`), households and members are those of the households registered in it; the
//! progress is the commune's as it stands.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gocua_core::model::{ChecklistItem, ChecklistStatus, Gender, Relation};

use super::date_range::{DateRange, RangeQuery};
use super::i18n::{Lang, t};
use super::page::{D, Dash, PageError, Signed, mask_id_number, mask_phone, ok_page, page};

/// Days of the range form before the coordinator chooses (the exports cover everything then).
const DEFAULT_DAYS: i64 = 7;

pub async fn get(State(d): State<D>, Query(q): Query<RangeQuery>, headers: HeaderMap) -> Response {
    page(d, headers, move |d, who, lang| {
        let range = q.read(crate::time::local_date(d.now()), DEFAULT_DAYS);
        ok_page(
            d,
            "exports.html",
            lang,
            who,
            minijinja::context! {
                page => "exports", range => range.context(), range_action => "/dashboard/exports",
                notice => range.notice.map(|n| t(lang, n)),
                suffix => if range.chosen { format!("?from={}&to={}", range.from, range.to) } else { String::new() },
            },
        )
    })
    .await
}

/// Whether a household registered at `created_at` is in `range` (all are without one).
fn registered_in(range: Option<&DateRange>, created_at: &str) -> bool {
    range.is_none_or(|r| {
        chrono::DateTime::parse_from_rfc3339(created_at)
            .is_ok_and(|t| r.contains(crate::time::local_date(t.to_utc())))
    })
}

/// A table: header and rows of cells; `name` is its sheet's name in the reader's language.
pub struct Table {
    pub name: &'static str,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A cell, typed: a spreadsheet sums numbers and sorts dates as such (they were text).
pub enum Cell {
    Text(String),
    Num(f64),
    /// A day in Vietnam: `2026-12-05` in CSV, a date cell shown `05/12/2026` in XLSX.
    Date(chrono::NaiveDate),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Num(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Cell::Num(n) => format!("{n:.1}"),
        }
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn hamlet_names(d: &Dash, commune: &str) -> Result<HashMap<String, String>, PageError> {
    Ok(d.store().hamlet_names(commune)?.into_iter().collect())
}

pub fn households(
    d: &Dash,
    who: &Signed,
    lang: Lang,
    range: Option<&DateRange>,
) -> Result<Table, PageError> {
    let commune = &who.coordinator.commune;
    let names = hamlet_names(d, commune)?;
    let (mut rows, _) = d.store().households(commune, "", u32::MAX, 0)?;
    rows.retain(|r| registered_in(range, &r.created_at));
    Ok(Table {
        name: lang.pick("Hộ gia đình", "Households"),
        header: [
            lang.pick("Mã hộ", "Household id"),
            lang.pick("Thôn", "Hamlet"),
            lang.pick("Chủ hộ", "Head"),
            lang.pick("Địa chỉ", "Address"),
            "Plus Code",
            lang.pick("Số nhân khẩu", "Members"),
            lang.pick(
                "Có người thành thạo 5 kỹ năng số",
                "Member with the 5 basic digital skills",
            ),
            lang.pick("Đang ở", "Active"),
            lang.pick("Ngày đăng ký", "Registered"),
            lang.pick("Người đăng ký", "Registered by"),
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: rows
            .into_iter()
            .map(|r| {
                vec![
                    text(&r.doc_id),
                    text(names.get(&r.hamlet).cloned().unwrap_or(r.hamlet)),
                    text(r.head_name.unwrap_or_default()),
                    text(r.address),
                    text(r.plus_code.unwrap_or_default()),
                    Cell::Num(r.members as f64),
                    Cell::Num(if r.five_skills { 1.0 } else { 0.0 }),
                    Cell::Num(if r.active { 1.0 } else { 0.0 }),
                    chrono::DateTime::parse_from_rfc3339(&r.created_at)
                        .map(|t| Cell::Date(crate::time::local_date(t.to_utc())))
                        .unwrap_or_else(|_| text(&r.created_at)),
                    text(r.created_by),
                ]
            })
            .collect(),
    })
}

pub fn members(
    d: &Dash,
    who: &Signed,
    lang: Lang,
    range: Option<&DateRange>,
) -> Result<Table, PageError> {
    let commune = &who.coordinator.commune;
    let names = hamlet_names(d, commune)?;
    let in_range: Option<std::collections::HashSet<String>> = match range {
        Some(_) => Some(
            d.store()
                .households(commune, "", u32::MAX, 0)?
                .0
                .into_iter()
                .filter(|r| registered_in(range, &r.created_at))
                .map(|r| r.doc_id)
                .collect(),
        ),
        None => None,
    };
    let mut status: HashMap<(String, String), HashMap<String, String>> = HashMap::new();
    for c in d.store().checklist(commune)? {
        status
            .entry((c.doc_id, c.member_id))
            .or_default()
            .insert(c.item, c.status);
    }
    let mut header: Vec<String> = [
        lang.pick("Mã hộ", "Household id"),
        lang.pick("Thôn", "Hamlet"),
        lang.pick("Họ tên", "Full name"),
        lang.pick("Ngày/năm sinh", "Birth"),
        lang.pick("Giới tính", "Gender"),
        lang.pick("Quan hệ với chủ hộ", "Relation to head"),
        lang.pick("Số định danh (che)", "ID number (masked)"),
        lang.pick("Điện thoại (che)", "Phone (masked)"),
    ]
    .map(str::to_owned)
    .to_vec();
    header.extend(
        ChecklistItem::ALL
            .iter()
            .map(|i| lang.pick(i.label_vi(), i.label_en()).to_owned()),
    );
    // Only the people who consented to sharing with the commune (the progress export counts
    // everyone).
    let rows = d
        .store()
        .members(commune)?
        .into_iter()
        .filter(|m| m.shared)
        .filter(|m| in_range.as_ref().is_none_or(|set| set.contains(&m.doc_id)))
        .map(|m| {
            let items = status.get(&(m.doc_id.clone(), m.member_id.clone()));
            let mut row = vec![
                text(&m.doc_id),
                text(names.get(&m.hamlet).cloned().unwrap_or(m.hamlet.clone())),
                text(&m.full_name),
                text(m.birth.unwrap_or_default()),
                text(
                    m.gender
                        .as_deref()
                        .and_then(Gender::from_code)
                        .map(|g| lang.pick(g.label_vi(), g.label_en()))
                        .unwrap_or(""),
                ),
                text(
                    Relation::from_code(&m.relation)
                        .map(|r| lang.pick(r.label_vi(), r.label_en()))
                        .unwrap_or(""),
                ),
                text(
                    m.id_number
                        .as_deref()
                        .map(mask_id_number)
                        .unwrap_or_default(),
                ),
                text(m.phone.as_deref().map(mask_phone).unwrap_or_default()),
            ];
            for item in ChecklistItem::ALL {
                let s = items
                    .and_then(|i| i.get(item.code()))
                    .and_then(|s| ChecklistStatus::from_code(s))
                    .map(|s| lang.pick(s.label_vi(), s.label_en()))
                    .unwrap_or("");
                row.push(text(s));
            }
            row
        })
        .collect();
    Ok(Table {
        name: lang.pick("Nhân khẩu", "Members"),
        header,
        rows,
    })
}

pub fn progress(d: &Dash, who: &Signed, lang: Lang) -> Result<Table, PageError> {
    let commune = &who.coordinator.commune;
    // The day in Vietnam, as every page shows it (the UTC day is yesterday's until 7:00).
    let today = crate::time::local_date(d.now());
    let o = d.store().overview(commune, today)?;
    let mut per_item: HashMap<(String, String), u64> = HashMap::new();
    let mut hamlet_of: HashMap<String, String> = HashMap::new();
    for m in d.store().members(commune)? {
        hamlet_of.insert(m.doc_id.clone(), m.hamlet.clone());
    }
    for c in d.store().checklist(commune)? {
        if ChecklistStatus::from_code(&c.status).is_some_and(|s| s.is_achieved())
            && let Some(h) = hamlet_of.get(&c.doc_id)
        {
            *per_item.entry((h.clone(), c.item)).or_default() += 1;
        }
    }
    let mut header: Vec<String> = [
        lang.pick("Thôn", "Hamlet"),
        lang.pick("Số hộ", "Households"),
        lang.pick(
            "Hộ có người thành thạo 5 kỹ năng số",
            "Households with a member with the 5 skills",
        ),
        "%",
        lang.pick("Nhân khẩu", "Members"),
    ]
    .map(str::to_owned)
    .to_vec();
    header.extend(
        ChecklistItem::ALL
            .iter()
            .map(|i| lang.pick(i.label_vi(), i.label_en()).to_owned()),
    );
    let rows = o
        .hamlets
        .iter()
        .map(|h| {
            let pct = if h.households == 0 {
                0.0
            } else {
                (h.with_five_skills as f64 * 1000.0 / h.households as f64).round() / 10.0
            };
            let mut row = vec![
                text(&h.name),
                Cell::Num(h.households as f64),
                Cell::Num(h.with_five_skills as f64),
                Cell::Num(pct),
                Cell::Num(h.members as f64),
            ];
            for item in ChecklistItem::ALL {
                let n = per_item
                    .get(&(h.hamlet_id.clone(), item.code().to_owned()))
                    .copied()
                    .unwrap_or(0);
                row.push(Cell::Num(n as f64));
            }
            row
        })
        .collect();
    Ok(Table {
        name: lang.pick("Tiến độ theo thôn", "Progress by hamlet"),
        header,
        rows,
    })
}

/// A CSV field: quoted when needed; a leading `= + - @` (or a tab or carriage return, which
/// spreadsheets skip before reading a formula) is neutralised so a spreadsheet does not run it.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub fn to_csv(t: &Table) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    out.push_str(
        &t.header
            .iter()
            .map(|h| csv_field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for row in &t.rows {
        out.push_str(
            &row.iter()
                .map(|c| csv_field(&c.text()))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out.into_bytes()
}

pub fn to_xlsx(tables: &[Table]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let day = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for t in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(t.name)?;
        for (c, h) in t.header.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match cell {
                    Cell::Text(s) => sheet.write_string(r, c, s)?,
                    Cell::Num(n) => sheet.write_number(r, c, *n)?,
                    Cell::Date(d) => {
                        use chrono::Datelike;
                        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )?;
                        sheet.write_date_with_format(r, c, &date, &day)?
                    }
                };
            }
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    book.save_to_buffer()
}

fn attachment(name: &str, content_type: &'static str, body: Vec<u8>) -> Response {
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

pub async fn download(
    State(d): State<D>,
    Path(file): Path<String>,
    Query(q): Query<RangeQuery>,
    headers: HeaderMap,
) -> Response {
    page(d, headers, move |d, who, lang| {
        let today = crate::time::local_date(d.now());
        let range = q.read(today, DEFAULT_DAYS);
        if range.notice.is_some() {
            return Err(super::page::bad_form());
        }
        let range = range.chosen.then_some(range);
        let range = range.as_ref();
        let date = match range {
            Some(r) => format!("{}-{}", r.from.format("%Y%m%d"), r.to.format("%Y%m%d")),
            None => today.format("%Y%m%d").to_string(),
        };
        let commune = who.coordinator.commune.clone();
        let resp = match file.as_str() {
            "households.csv" => attachment(
                &format!("gocua-{commune}-households-{date}.csv"),
                "text/csv; charset=utf-8",
                to_csv(&households(d, who, lang, range)?),
            ),
            "members.csv" => attachment(
                &format!("gocua-{commune}-members-{date}.csv"),
                "text/csv; charset=utf-8",
                to_csv(&members(d, who, lang, range)?),
            ),
            "progress.csv" => attachment(
                &format!("gocua-{commune}-progress-{date}.csv"),
                "text/csv; charset=utf-8",
                to_csv(&progress(d, who, lang)?),
            ),
            "report.xlsx" => {
                let tables = [
                    households(d, who, lang, range)?,
                    members(d, who, lang, range)?,
                    progress(d, who, lang)?,
                ];
                let bytes = to_xlsx(&tables).map_err(|e| {
                    tracing::error!(error = %e, "xlsx export");
                    PageError::Internal
                })?;
                attachment(
                    &format!("gocua-{commune}-report-{date}.xlsx"),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    bytes,
                )
            }
            _ => return Err(PageError::NotFound),
        };
        d.audit(who, "export", &file, "ok");
        Ok(resp)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn a_leading_formula_character_is_neutralised_tab_and_cr_included() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1"] {
            assert!(
                csv_field(cell).trim_start_matches('"').starts_with('\''),
                "{cell:?} -> {:?}",
                csv_field(cell)
            );
        }
        assert_eq!(csv_field("Nguyễn Văn An"), "Nguyễn Văn An");
    }
}
