//! Import of a list the commune already has (the residence register's extract, an earlier
//! survey), so that people give their information once (issue 17). One row per person; the rows
//! of one household share its `ma_ho`. Imported households reach the phones of their hamlet as
//! "to verify" (`Lifecycle::ToVerify`): the volunteer confirms or corrects at the door.
//!
//! What may be held before the person is met is what the consent rule allows without consent
//! (`gocua_core::consent_rule`): names, relation, gender, residence type, and the household's
//! address. ID numbers, phones and birth dates in the file are not imported: the volunteer asks
//! for them at the door, with the person's consent (docs/SECURITY.md).
//!
//! Every row is checked (the phones' validators run on each household as it would be stored)
//! before anything is written; a file with any error imports nothing, and the import itself is
//! one store transaction. Households are named by the commune and `ma_ho`, so importing the same
//! file again adds only what is new, and never overwrites what volunteers changed since. A
//! household a volunteer registered already (same head, same address, same hamlet) is left out.

pub mod table;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use gocua_core::catalog::admin_units;
use gocua_core::input::{HouseholdInput, MemberInput};
use gocua_core::model::{
    Address, Area, DeviceId, Gender, HouseholdId, Lifecycle, MemberId, Relation, ResidenceType,
    VolunteerId,
};
use gocua_core::text::{fold, hamlet_id};
use gocua_core::validate::{validate_document, validate_member_input};
use gocua_core::{ChangeContext, Edit, HouseholdDoc, HouseholdField};
use sha2::{Digest, Sha256};

use crate::hub::write_of;
use crate::store::DocWrite;
use crate::store::{HubStore, StoreError};
pub use table::{Table, Unreadable};

/// The columns of the template, in its order.
pub const TEMPLATE_COLUMNS: &[&str] = &[
    "ma_ho",
    "thon",
    "so_nha",
    "ngo",
    "duong",
    "ho_ten",
    "quan_he",
    "gioi_tinh",
    "cu_tru",
];

/// Columns that hold what needs the person's consent: recognised, never imported.
const CONSENT_COLUMNS: &[&str] = &[
    "so_dinh_danh",
    "cccd",
    "cmnd",
    "so_cccd",
    "dinh_danh",
    "dien_thoai",
    "so_dien_thoai",
    "sdt",
    "ngay_sinh",
    "nam_sinh",
];

/// The template to download: the header row and two example rows of one household.
pub fn template_csv() -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&TEMPLATE_COLUMNS.join(","));
    out.push('\n');
    out.push_str("H001,Thôn Đông,12,Ngõ 3,Đường Làng,Nguyễn Văn An,Chủ hộ,nam,thường trú\n");
    out.push_str("H001,Thôn Đông,12,Ngõ 3,Đường Làng,Trần Thị Bình,Vợ,nữ,thường trú\n");
    out
}

/// A header as a column key: "Mã hộ" and "ma_ho" are the same column.
fn column_key(header: &str) -> String {
    hamlet_id(header).replace('-', "_")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// Will be (or was) imported.
    New,
    /// Its household was imported before: left as it is now.
    AlreadyImported,
    /// A household with the same head is already registered in the hamlet: not imported twice.
    AlreadyRegistered,
    Error,
}

/// What the import makes of one row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowReport {
    /// Its line in the file (1 is the header).
    pub line: usize,
    pub household_key: String,
    pub status: RowStatus,
    /// Problems and notes, in each language (no value of a personal field).
    pub messages: Vec<(String, String)>,
}

/// The whole file's verdict: per row, and for the file.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    pub rows: Vec<RowReport>,
    /// About columns: ignored, or not imported for consent.
    pub notes: Vec<(String, String)>,
    pub households_new: usize,
    pub members_new: usize,
    pub households_skipped: usize,
    pub errors: usize,
}

impl ImportReport {
    pub fn can_import(&self) -> bool {
        self.errors == 0 && self.households_new > 0
    }
}

/// The households to write, checked.
pub struct Plan {
    pub report: ImportReport,
    writes: Vec<DocWrite>,
}

struct Columns {
    index: HashMap<String, usize>,
}

impl Columns {
    fn get<'a>(&self, cells: &'a [String], key: &str) -> &'a str {
        self.index
            .get(key)
            .and_then(|&i| cells.get(i))
            .map(|s| s.trim())
            .unwrap_or("")
    }
}

/// One household of the file as read: its rows and members.
struct Gathered {
    hamlet: String,
    address: Address,
    members: Vec<(usize, MemberInput)>,
    lines: Vec<usize>,
}

fn message(vi: impl Into<String>, en: impl Into<String>) -> (String, String) {
    (vi.into(), en.into())
}

fn relation_of(text: &str) -> Option<Relation> {
    let key = column_key(text);
    Relation::ALL.iter().copied().find(|r| {
        r.code() == key || column_key(r.label_vi()) == key || column_key(r.label_en()) == key
    })
}

fn gender_of(text: &str) -> Result<Option<Gender>, ()> {
    match fold(text).trim() {
        "" => Ok(None),
        "nam" | "male" | "m" => Ok(Some(Gender::Male)),
        "nu" | "female" | "f" => Ok(Some(Gender::Female)),
        _ => Err(()),
    }
}

fn residence_of(text: &str) -> Result<ResidenceType, ()> {
    match column_key(text).as_str() {
        "" | "thuong_tru" | "permanent" | "tt" => Ok(ResidenceType::Permanent),
        "tam_tru" | "temporary" => Ok(ResidenceType::Temporary),
        _ => Err(()),
    }
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Stable ids from the commune and the list's household key: the same row always names the
/// same household and member.
fn stable_id(parts: &[&str], hex_len: usize) -> String {
    let mut h = Sha256::new();
    h.update(b"gocua-import");
    for p in parts {
        h.update([0]);
        h.update(p.as_bytes());
    }
    hex::encode(h.finalize())[..hex_len].to_owned()
}

/// Reads and checks a table for the coordinator's commune: nothing is written.
pub fn plan(
    store: &dyn HubStore,
    coordinator: &str,
    commune: &str,
    table: &Table,
    now: DateTime<Utc>,
) -> Result<Plan, StoreError> {
    let mut report = ImportReport::default();
    let index: HashMap<String, usize> = table
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| (column_key(h), i))
        .collect();
    for header in &table.headers {
        let key = column_key(header);
        if CONSENT_COLUMNS.contains(&key.as_str()) {
            report.notes.push(message(
                format!("Cột \"{header}\" không được nhập: cần người đó đồng ý trước; tình nguyện viên hỏi khi đến nhà."),
                format!("Column \"{header}\" is not imported: the person's consent comes first; the volunteer asks at the door."),
            ));
        } else if !TEMPLATE_COLUMNS.contains(&key.as_str()) && !key.is_empty() {
            report.notes.push(message(
                format!("Cột \"{header}\" không có trong mẫu: bỏ qua."),
                format!("Column \"{header}\" is not in the template: ignored."),
            ));
        }
    }
    let missing: Vec<&str> = ["ma_ho", "thon", "ho_ten", "quan_he"]
        .into_iter()
        .filter(|c| !index.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        report.errors += 1;
        report.notes.push(message(
            format!(
                "Thiếu cột bắt buộc: {}. Hãy dùng tệp mẫu.",
                missing.join(", ")
            ),
            format!(
                "Required columns missing: {}. Use the template.",
                missing.join(", ")
            ),
        ));
        return Ok(Plan {
            report,
            writes: Vec::new(),
        });
    }
    let cols = Columns { index };
    let hamlets = store
        .dashboard()
        .map(|d| d.hamlet_names(commune))
        .transpose()?
        .unwrap_or_default();
    let today = crate::time::local(now).date_naive();

    // Rows, checked one by one, gathered per household.
    let mut households: BTreeMap<String, Gathered> = BTreeMap::new();
    let mut row_reports: BTreeMap<usize, RowReport> = BTreeMap::new();
    for (line, cells) in &table.rows {
        let key = cols.get(cells, "ma_ho").to_owned();
        let mut messages = Vec::new();
        if key.is_empty() || key.chars().count() > 64 {
            messages.push(message(
                "Mã hộ trống hoặc dài quá 64 ký tự.",
                "The household key is empty or longer than 64 characters.",
            ));
        }
        let hamlet_text = cols.get(cells, "thon");
        let hamlet = hamlets
            .iter()
            .find(|(id, name)| {
                *id == hamlet_id(hamlet_text) || hamlet_id(name) == hamlet_id(hamlet_text)
            })
            .map(|(id, _)| id.clone());
        if hamlet.is_none() {
            messages.push(message(
                "Thôn không có trong danh sách thôn của xã (trang Địa bàn).",
                "The hamlet is not in the commune's list (the Areas page).",
            ));
        }
        let relation = relation_of(cols.get(cells, "quan_he"));
        if relation.is_none() {
            messages.push(message(
                "Quan hệ với chủ hộ không rõ (ví dụ: Chủ hộ, Vợ, Con).",
                "The relation to the head is unknown (e.g. Chủ hộ, Vợ, Con).",
            ));
        }
        let gender = gender_of(cols.get(cells, "gioi_tinh")).unwrap_or_else(|()| {
            messages.push(message(
                "Giới tính là \"nam\" hoặc \"nữ\".",
                "Gender is \"nam\" or \"nữ\".",
            ));
            None
        });
        let residence = residence_of(cols.get(cells, "cu_tru")).unwrap_or_else(|()| {
            messages.push(message(
                "Cư trú là \"thường trú\" hoặc \"tạm trú\".",
                "Residence is \"thường trú\" or \"tạm trú\".",
            ));
            ResidenceType::Permanent
        });
        let member = MemberInput {
            full_name: cols.get(cells, "ho_ten").to_owned(),
            birth: None,
            gender,
            relation: relation.unwrap_or(Relation::Other),
            id_number: None,
            phone: None,
            residence,
        };
        let (member, checked) = validate_member_input(&member, today);
        for issue in checked.errors() {
            messages.push(message(issue.message_vi.clone(), issue.message_en.clone()));
        }
        let address = Address {
            street: optional(cols.get(cells, "duong")),
            alley: optional(cols.get(cells, "ngo")),
            house_number: optional(cols.get(cells, "so_nha")),
        };
        if messages.is_empty() {
            let hamlet = hamlet.unwrap_or_default();
            let g = households.entry(key.clone()).or_insert_with(|| Gathered {
                hamlet: hamlet.clone(),
                address: address.clone(),
                members: Vec::new(),
                lines: Vec::new(),
            });
            if g.hamlet != hamlet || g.address != address {
                messages.push(message(
                    "Cùng mã hộ nhưng khác thôn hoặc địa chỉ với dòng trước.",
                    "Same household key as an earlier row, but another hamlet or address.",
                ));
            } else {
                g.members.push((*line, member));
                g.lines.push(*line);
            }
        }
        let status = if messages.is_empty() {
            RowStatus::New
        } else {
            RowStatus::Error
        };
        row_reports.insert(
            *line,
            RowReport {
                line: *line,
                household_key: key,
                status,
                messages,
            },
        );
    }

    // Households: already imported, already registered, or built and checked whole.
    // Registered already: the same head at the same address of the same hamlet. A name alone
    // repeats within a hamlet. A household registered with its address typed otherwise is
    // imported too: the volunteer meets both in the hamlet's list, the imported one marked "to
    // verify", and the data-quality page pairs them once their addresses or positions agree.
    let registered: HashMap<(String, String, String), String> = store
        .dashboard()
        .map(|d| d.active_households(commune))
        .transpose()?
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| Some(((r.hamlet, r.head_fold?, fold(&r.address)), r.doc_id)))
        .collect();
    let unit = admin_units::commune(commune);
    let province = unit
        .and_then(|u| u.province_code.clone())
        .unwrap_or_default();
    let hub_id = store.hub_id()?;
    let ctx = ChangeContext {
        volunteer: VolunteerId(coordinator.to_owned()),
        device: DeviceId(hub_id),
        at: now,
    };
    let mut writes = Vec::new();
    for (key, g) in &households {
        let id = stable_id(&[commune, key], 32);
        let set_all =
            |reports: &mut BTreeMap<usize, RowReport>, status, msg: Option<(String, String)>| {
                for line in &g.lines {
                    if let Some(r) = reports.get_mut(line) {
                        r.status = status;
                        r.messages.extend(msg.clone());
                    }
                }
            };
        let heads: Vec<&MemberInput> = g
            .members
            .iter()
            .map(|(_, m)| m)
            .filter(|m| m.relation == Relation::Head)
            .collect();
        if heads.len() > 1 {
            set_all(
                &mut row_reports,
                RowStatus::Error,
                Some(message("Hộ có hai chủ hộ.", "The household has two heads.")),
            );
            continue;
        }
        if store.load_doc(&id)?.is_some() {
            set_all(&mut row_reports, RowStatus::AlreadyImported, None);
            report.households_skipped += 1;
            continue;
        }
        if let Some(existing) = heads.first().and_then(|h| {
            registered.get(&(
                g.hamlet.clone(),
                fold(&h.full_name),
                fold(&g.address.one_line()),
            ))
        }) {
            set_all(
                &mut row_reports,
                RowStatus::AlreadyRegistered,
                Some(message(
                    format!(
                        "Đã có hộ cùng chủ hộ, cùng địa chỉ trong thôn (hộ {existing}): không nhập lại."
                    ),
                    format!(
                        "A household with this head at this address is already registered in the hamlet (household {existing}): not imported again."
                    ),
                )),
            );
            report.households_skipped += 1;
            continue;
        }
        match build(&id, commune, &province, key, g, &ctx) {
            Ok(mut doc) => {
                let household = doc
                    .read()
                    .map_err(|_| StoreError::Corrupt { what: "import" })?;
                let size = doc.save().len();
                let checked = validate_document(&mut doc, &household, size, now);
                if let Some(issue) = checked.errors().next() {
                    set_all(
                        &mut row_reports,
                        RowStatus::Error,
                        Some(message(issue.message_vi.clone(), issue.message_en.clone())),
                    );
                    continue;
                }
                let write = write_of(&id, &mut doc, None, now)
                    .map_err(|_| StoreError::Corrupt { what: "import" })?;
                writes.push(write);
                report.households_new += 1;
                report.members_new += g.members.len();
            }
            Err(_) => set_all(
                &mut row_reports,
                RowStatus::Error,
                Some(message(
                    "Không tạo được hộ từ các dòng này.",
                    "These rows do not make a household.",
                )),
            ),
        }
    }
    report.rows = row_reports.into_values().collect();
    report.errors += report
        .rows
        .iter()
        .filter(|r| r.status == RowStatus::Error)
        .count();
    Ok(Plan { report, writes })
}

/// The household as its document: created on the hub in the coordinator's name, "to verify".
fn build(
    id: &str,
    commune: &str,
    province: &str,
    key: &str,
    g: &Gathered,
    ctx: &ChangeContext,
) -> gocua_core::Result<HouseholdDoc> {
    let input = HouseholdInput {
        area: Area {
            province_code: province.to_owned(),
            commune_code: commune.to_owned(),
            hamlet_id: g.hamlet.clone(),
        },
        address: g.address.clone(),
        gps: None,
        official: None,
        notes: None,
    };
    let mut doc = HouseholdDoc::create(
        &HouseholdId(id.to_owned()),
        &input,
        admin_units::DATASET_VERSION,
        ctx,
    )?;
    let mut head = None;
    for (n, (_, member)) in g.members.iter().enumerate() {
        let mid = MemberId(stable_id(&[commune, key, &n.to_string()], 16));
        doc.apply(
            &Edit::AddMember {
                id: mid.clone(),
                member: member.clone(),
            },
            ctx,
        )?;
        if member.relation == Relation::Head {
            head = Some(mid);
        }
    }
    if head.is_some() {
        doc.apply(
            &Edit::SetHousehold {
                field: HouseholdField::Head(head),
            },
            ctx,
        )?;
    }
    doc.apply(
        &Edit::SetHousehold {
            field: HouseholdField::Lifecycle(Lifecycle::ToVerify),
        },
        ctx,
    )?;
    Ok(doc)
}

/// Writes a plan's households in one transaction; refused when the file has any error. The
/// devices' attribution is the importing coordinator (`import:<id>`).
pub fn apply(
    store: &dyn HubStore,
    coordinator: &str,
    plan: &Plan,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    if !plan.report.can_import() {
        return Ok(0);
    }
    store.commit_push(&format!("import:{coordinator}"), &plan.writes, &[], now)?;
    Ok(plan.writes.len())
}
