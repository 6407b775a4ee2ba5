//! One module per concern; each command opens the register, does one thing and prints.

pub mod bundle;
pub mod checklist;
pub mod conflicts;
pub mod consent;
pub mod erase;
pub mod hamlet;
pub mod household;
pub mod hub;
pub mod init;
pub mod member;
pub mod search;
pub mod show;
pub mod status;
pub mod sync;
pub mod units;
pub mod visit;

use std::path::PathBuf;

use chrono::NaiveDate;
use gocua_core::keystore::FileKeyStore;
use gocua_core::model::{Household, HouseholdId, MemberId, is_valid_id};
use gocua_core::text::fold;
use gocua_core::validate::Issue;
use gocua_core::{Hamlet, Register};
use serde_json::json;

use crate::error::{CliError, Result};
use crate::output::{Out, shown};

/// What every command gets: where the register is, and where to print.
pub struct Ctx {
    pub db: PathBuf,
    pub out: Out,
}

/// Shortest id prefix accepted in place of a whole id: shorter ones would too easily pick the
/// wrong household in a big register.
const MIN_PREFIX: usize = 4;

impl Ctx {
    pub fn new(db: PathBuf, out: Out) -> Self {
        Self { db, out }
    }

    /// Opens the register, with a message that says how to create one when it is missing.
    pub fn open(&self) -> Result<Register> {
        if !self.db.exists() {
            let p = self.db.display();
            return Err(CliError::failed(
                format!(
                    "chưa có sổ đăng ký ở '{p}'. Hãy tạo sổ bằng: gocua init --volunteer MÃ --commune MÃ_XÃ, \
                     hoặc chọn sổ khác bằng --db hay biến GOCUA_DB."
                ),
                format!(
                    "no register at '{p}'. Create one with: gocua init --volunteer ID --commune CODE, \
                     or choose another with --db or GOCUA_DB."
                ),
            ));
        }
        Ok(Register::open_encrypted(&self.db, &self.keys()?)?)
    }

    /// The register is encrypted at rest like on the phones. A desktop has no platform key
    /// store, so its key lives in a folder beside the register (`<db>.keys/`, mode 0700): copy
    /// or back up the two together.
    pub fn keys(&self) -> Result<FileKeyStore> {
        let mut dir = self.db.clone().into_os_string();
        dir.push(".keys");
        let dir = PathBuf::from(dir);
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir).map_err(|e| {
            CliError::failed(
                format!("không tạo được thư mục khoá '{}': {e}", dir.display()),
                format!("cannot create the key folder '{}': {e}", dir.display()),
            )
        })?;
        Ok(FileKeyStore::new(dir))
    }

    /// Today, on this device's calendar (visits are dated as the volunteer sees the day).
    pub fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
    }

    /// Prints a plain confirmation that a write was saved, then the warnings it accepted.
    pub fn saved(&mut self, warnings: &[Issue]) {
        if self.out.json {
            self.out
                .json_value(&json!({ "saved": true, "warnings": issues_json(warnings) }));
        } else {
            let s = self.out.t("Đã lưu.", "Saved.");
            self.out.line(s);
        }
        self.out.warnings(warnings);
    }

    /// Prints the id of a new record alone on stdout (for scripts), then its warnings.
    pub fn created(&mut self, id: &str, warnings: &[Issue]) {
        if self.out.json {
            self.out
                .json_value(&json!({ "id": id, "warnings": issues_json(warnings) }));
        } else {
            self.out.line(id);
        }
        self.out.warnings(warnings);
    }
}

fn not_found(what_vi: &str, what_en: &str, id: &str) -> CliError {
    CliError::failed(
        format!("không tìm thấy {what_vi} '{}'.", shown(id)),
        format!("{what_en} '{}' not found.", shown(id)),
    )
}

/// Picks the one id among `ids` that is `typed` or starts with it (at least 4 characters).
fn by_prefix(ids: Vec<String>, typed: &str, what: (&str, &str)) -> Result<String> {
    let typed = typed.trim().to_ascii_lowercase();
    if !is_valid_id(&typed) {
        return Err(not_found(what.0, what.1, &typed));
    }
    let mut matches = Vec::new();
    for id in ids {
        let lower = id.to_ascii_lowercase();
        if lower == typed {
            return Ok(id);
        }
        if typed.len() >= MIN_PREFIX && lower.starts_with(&typed) {
            matches.push(id);
        }
    }
    match matches.len() {
        1 => Ok(matches.swap_remove(0)),
        0 if typed.len() < MIN_PREFIX => Err(CliError::failed(
            format!(
                "mã {} '{typed}' quá ngắn: gõ ít nhất {MIN_PREFIX} ký tự đầu của mã.",
                what.0
            ),
            format!(
                "{} id '{typed}' is too short: type at least its first {MIN_PREFIX} characters.",
                what.1
            ),
        )),
        0 => Err(not_found(what.0, what.1, &typed)),
        n => Err(CliError::failed(
            format!(
                "mã '{typed}' khớp với {n} {}; hãy gõ thêm vài ký tự.",
                what.0
            ),
            format!(
                "'{typed}' matches {n} {}s; type a few more characters.",
                what.1
            ),
        )),
    }
}

/// A household id as typed: whole, or a unique prefix.
pub fn household_id(reg: &Register, typed: &str) -> Result<HouseholdId> {
    let ids = reg.household_ids()?.into_iter().map(|h| h.0).collect();
    Ok(HouseholdId(by_prefix(
        ids,
        typed,
        ("hộ gia đình", "household"),
    )?))
}

/// A member id as typed, among the household's members (current or removed).
pub fn member_id(household: &Household, typed: &str) -> Result<MemberId> {
    let ids = household.members.keys().map(|m| m.0.clone()).collect();
    Ok(MemberId(by_prefix(ids, typed, ("thành viên", "member"))?))
}

/// A hamlet of this register's commune, by id or by name (diacritics and case ignored).
pub fn hamlet(reg: &Register, typed: &str) -> Result<Hamlet> {
    let hamlets = reg.hamlets(&reg.identity().commune_code)?;
    let key = fold(typed);
    let slug = key
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let found = hamlets.iter().find(|h| h.id == typed.trim()).or_else(|| {
        hamlets
            .iter()
            .find(|h| fold(&h.name) == key || h.id == slug)
    });
    match found {
        Some(h) => Ok(h.clone()),
        None => {
            let known = if hamlets.is_empty() {
                String::from("-")
            } else {
                hamlets
                    .iter()
                    .map(|h| format!("{} ({})", h.id, h.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            Err(CliError::failed(
                format!(
                    "thôn/tổ '{}' chưa có trong danh sách của xã. Các thôn hiện có: {known}. Thêm bằng: gocua hamlet add TÊN",
                    shown(typed)
                ),
                format!(
                    "hamlet '{}' is not in the commune's list. Known hamlets: {known}. Add one with: gocua hamlet add NAME",
                    shown(typed)
                ),
            ))
        }
    }
}

/// Validation issues for JSON output, both languages kept (a script may show either).
pub fn issues_json(issues: &[Issue]) -> serde_json::Value {
    serde_json::to_value(issues).unwrap_or_default()
}
