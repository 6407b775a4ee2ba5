//! Converts the shared administrative-unit dataset (`vn-units-<date>.json`, from the
//! vietnamese-provinces-database by Thang Le Quoc, MIT) into gocua's compact embedded catalog,
//! `core/data/admin-units.tsv`.
//!
//! Output format (UTF-8, LF line endings, deterministic):
//!
//! ```text
//! # gocua admin units; dataset <version>; source: vietnamese-provinces-database by Thang Le Quoc (MIT)
//! # code<TAB>province_code<TAB>kind<TAB>name<TAB>name_en<TAB>full_name
//! 01<TAB><TAB>city<TAB>Hà Nội<TAB>Hanoi<TAB>Thành phố Hà Nội
//! ...
//! 00004<TAB>01<TAB>ward<TAB>Ba Đình<TAB>Ba Dinh<TAB>Phường Ba Đình
//! ```
//!
//! Provinces come first, sorted by code, then communes sorted by code. `province_code` is empty
//! for provinces. `kind` is one of `province`, `city`, `commune`, `ward`, `special_zone`. Names
//! are NFC with whitespace trimmed and collapsed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

/// Attribution written into the output header.
pub const SOURCE: &str = "vietnamese-provinces-database by Thang Le Quoc (MIT)";

/// The dataset file name pattern: `vn-units-<version>.json`.
const FILE_PREFIX: &str = "vn-units-";
const FILE_SUFFIX: &str = ".json";

/// The shared dataset beside the repository (`../shared/data/vn-admin-units/...`).
pub fn default_json_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/vn-admin-units/vn-units-2026-07-25.json")
}

/// The committed output, `core/data/admin-units.tsv`.
pub fn default_output_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../core/data/admin-units.tsv")
}

/// The dataset version from a file name like `vn-units-2026-07-25.json` (`2026-07-25`).
pub fn dataset_version_from_path(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let version = name.strip_prefix(FILE_PREFIX)?.strip_suffix(FILE_SUFFIX)?;
    let ok = version.len() == 10
        && version.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    ok.then(|| version.to_owned())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawProvince {
    #[serde(rename = "Type")]
    kind: String,
    code: String,
    name: String,
    name_en: String,
    full_name: String,
    administrative_unit_id: u32,
    wards: Vec<RawCommune>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawCommune {
    #[serde(rename = "Type")]
    kind: String,
    code: String,
    name: String,
    name_en: String,
    full_name: String,
    province_code: String,
    administrative_unit_id: u32,
}

/// One output row.
struct Row {
    code: String,
    province_code: String,
    kind: &'static str,
    name: String,
    name_en: String,
    full_name: String,
}

/// The unit kind from the dataset's `Type` and `AdministrativeUnitId` fields. Unknown
/// combinations are errors, so a change in the upstream classification is noticed.
fn unit_kind(level: &str, administrative_unit_id: u32, code: &str) -> Result<&'static str, String> {
    match (level, administrative_unit_id) {
        // "Thành phố trực thuộc trung ương" (municipality).
        ("province", 1) => Ok("city"),
        // "Tỉnh".
        ("province", 2) => Ok("province"),
        // "Phường".
        ("ward", 3) => Ok("ward"),
        // "Xã".
        ("ward", 4) => Ok("commune"),
        // "Đặc khu tại hải đảo".
        ("ward", 5) => Ok("special_zone"),
        _ => Err(format!(
            "unit {code}: unknown unit type (Type {level:?}, AdministrativeUnitId {administrative_unit_id})"
        )),
    }
}

/// NFC, whitespace trimmed and collapsed; rejects empty values and control characters (a tab or
/// newline would break the TSV).
fn clean(value: &str, field: &str, code: &str) -> Result<String, String> {
    let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let out: String = collapsed.nfc().collect();
    if out.is_empty() {
        return Err(format!("unit {code}: empty {field}"));
    }
    if out.chars().any(char::is_control) {
        return Err(format!("unit {code}: control character in {field}"));
    }
    Ok(out)
}

fn check_code(code: &str, digits: usize) -> Result<(), String> {
    if code.len() == digits && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("bad unit code {code:?}: expected {digits} digits"))
    }
}

/// Converts the dataset JSON to the catalog text. `dataset_version` goes into the header.
/// Fails on malformed input: bad or duplicate codes, a commune whose `ProvinceCode` is not its
/// parent, unknown unit types, empty names.
pub fn convert(json: &str, dataset_version: &str) -> Result<String, String> {
    if dataset_version.is_empty() || dataset_version.chars().any(|c| c.is_control() || c == ';') {
        return Err(format!("bad dataset version {dataset_version:?}"));
    }
    let raw: Vec<RawProvince> =
        serde_json::from_str(json).map_err(|e| format!("cannot parse the dataset JSON: {e}"))?;

    let mut provinces: BTreeMap<String, Row> = BTreeMap::new();
    let mut communes: BTreeMap<String, Row> = BTreeMap::new();
    for p in &raw {
        check_code(&p.code, 2)?;
        let row = Row {
            code: p.code.clone(),
            province_code: String::new(),
            kind: unit_kind(&p.kind, p.administrative_unit_id, &p.code)?,
            name: clean(&p.name, "Name", &p.code)?,
            name_en: clean(&p.name_en, "NameEn", &p.code)?,
            full_name: clean(&p.full_name, "FullName", &p.code)?,
        };
        if provinces.insert(p.code.clone(), row).is_some() {
            return Err(format!("duplicate province code {}", p.code));
        }
        for c in &p.wards {
            check_code(&c.code, 5)?;
            if c.province_code != p.code {
                return Err(format!(
                    "commune {}: ProvinceCode {} but listed under province {}",
                    c.code, c.province_code, p.code
                ));
            }
            let row = Row {
                code: c.code.clone(),
                province_code: p.code.clone(),
                kind: unit_kind(&c.kind, c.administrative_unit_id, &c.code)?,
                name: clean(&c.name, "Name", &c.code)?,
                name_en: clean(&c.name_en, "NameEn", &c.code)?,
                full_name: clean(&c.full_name, "FullName", &c.code)?,
            };
            if communes.insert(c.code.clone(), row).is_some() {
                return Err(format!("duplicate commune code {}", c.code));
            }
        }
    }
    if provinces.is_empty() {
        return Err("the dataset holds no provinces".to_owned());
    }

    let mut out = String::with_capacity(64 * (provinces.len() + communes.len()) + 256);
    out.push_str(&format!(
        "# gocua admin units; dataset {dataset_version}; source: {SOURCE}\n"
    ));
    out.push_str("# code\tprovince_code\tkind\tname\tname_en\tfull_name\n");
    for row in provinces.values().chain(communes.values()) {
        let fields = [
            row.code.as_str(),
            row.province_code.as_str(),
            row.kind,
            row.name.as_str(),
            row.name_en.as_str(),
            row.full_name.as_str(),
        ];
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"[
      {"Type": "province", "Code": "01", "Name": "Hà Nội", "NameEn": "Hanoi",
       "FullName": "Thành phố  Hà Nội", "AdministrativeUnitId": 1, "Extra": true,
       "Wards": [
         {"Type": "ward", "Code": "00004", "Name": "Ba Đình", "NameEn": "Ba Dinh",
          "FullName": "Phường Ba Đình", "ProvinceCode": "01", "AdministrativeUnitId": 3},
         {"Type": "ward", "Code": "00001", "Name": "Yên Hoa\u0300", "NameEn": "Yen Hoa",
          "FullName": "Xã Yên Hoa\u0300", "ProvinceCode": "01", "AdministrativeUnitId": 4}
       ]}
    ]"#;

    #[test]
    fn converts_sorts_and_normalises() {
        let out = convert(SAMPLE, "2026-07-25").unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "# gocua admin units; dataset 2026-07-25; source: vietnamese-provinces-database by Thang Le Quoc (MIT)"
        );
        assert_eq!(lines[2], "01\t\tcity\tHà Nội\tHanoi\tThành phố Hà Nội");
        assert_eq!(lines[3], "00001\t01\tcommune\tYên Hoà\tYen Hoa\tXã Yên Hoà");
        assert_eq!(
            lines[4],
            "00004\t01\tward\tBa Đình\tBa Dinh\tPhường Ba Đình"
        );
        assert!(
            lines[3].contains("Yên Ho\u{e0}"),
            "NFC composes the grave accent"
        );
        assert!(out.ends_with('\n'));
        assert_eq!(out, convert(SAMPLE, "2026-07-25").unwrap(), "deterministic");
    }

    #[test]
    fn rejects_bad_input() {
        assert!(convert("{}", "2026-07-25").is_err());
        assert!(convert("[]", "2026-07-25").is_err());
        assert!(convert(SAMPLE, "").is_err());
        let wrong_parent = SAMPLE.replace(
            r#""ProvinceCode": "01", "AdministrativeUnitId": 3"#,
            r#""ProvinceCode": "02", "AdministrativeUnitId": 3"#,
        );
        assert!(convert(&wrong_parent, "x").unwrap_err().contains("00004"));
        let unknown_kind = SAMPLE.replace(
            r#""AdministrativeUnitId": 3"#,
            r#""AdministrativeUnitId": 9"#,
        );
        assert!(
            convert(&unknown_kind, "x")
                .unwrap_err()
                .contains("unknown unit type")
        );
        let bad_code = SAMPLE.replace("\"00004\"", "\"0004\"");
        assert!(convert(&bad_code, "x").is_err());
        let dup = SAMPLE.replace("\"00001\"", "\"00004\"");
        assert!(convert(&dup, "x").unwrap_err().contains("duplicate"));
        let tab = SAMPLE.replace("Ba Dinh", "Ba\\tDinh");
        assert!(
            convert(&tab, "x").is_ok(),
            "a tab is whitespace and collapses to a space"
        );
        let ctrl = SAMPLE.replace("Ba Dinh", "Ba\\u0007Dinh");
        assert!(convert(&ctrl, "x").is_err());
    }

    #[test]
    fn version_from_file_name() {
        assert_eq!(
            dataset_version_from_path(Path::new("/x/vn-units-2026-07-25.json")).as_deref(),
            Some("2026-07-25")
        );
        assert_eq!(
            dataset_version_from_path(Path::new("vn-units-latest.json")),
            None
        );
        assert_eq!(dataset_version_from_path(Path::new("units.json")), None);
        assert_eq!(
            dataset_version_from_path(&default_json_path()).as_deref(),
            Some("2026-07-25")
        );
    }
}
