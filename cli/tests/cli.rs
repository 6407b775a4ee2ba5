//! Runs the built `gocua` binary as a volunteer would, in a temporary directory: no network,
//! no shared state, and explicit dates wherever the outcome could depend on today.

mod common;

use common::{COMMUNE, gocua};

use std::path::Path;

use chrono::Datelike;
use serde_json::Value;
use tempfile::TempDir;

const ID_AN: &str = "001085012345"; // Hà Nội, 1900s male, born 1985
const PHONE_AN: &str = "0912345678";

/// Runs and insists on success; returns stdout.
fn ok(dir: &Path, db: &str, args: &[&str]) -> String {
    let r = gocua(dir, db, args);
    assert_eq!(
        r.code, 0,
        "gocua {args:?} failed:\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    r.stdout
}

/// The single line a creating command prints: the new id.
fn id(dir: &Path, db: &str, args: &[&str]) -> String {
    let out = ok(dir, db, args);
    let id = out.trim().to_owned();
    assert!(
        !id.is_empty() && !id.contains(char::is_whitespace),
        "{args:?} printed {out:?}"
    );
    id
}

fn json(dir: &Path, db: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = ok(dir, db, &all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"))
}

/// A register with one hamlet and one household with a GPS position; returns the household id.
fn setup(dir: &Path, db: &str, volunteer: &str) -> String {
    ok(
        dir,
        db,
        &["init", "--volunteer", volunteer, "--commune", COMMUNE],
    );
    assert_eq!(
        ok(dir, db, &["hamlet", "add", "Thôn Đông"]).trim(),
        "thon-dong"
    );
    id(
        dir,
        db,
        &[
            "household",
            "add",
            "--hamlet",
            "Thôn Đông",
            "--street",
            "Hàng Bạc",
            "--house-number",
            "12",
            "--lat",
            "21.0287",
            "--lon",
            "105.8522",
            "--accuracy",
            "8",
        ],
    )
}

#[test]
fn whole_flow_from_init_to_a_resolved_conflict() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let a = "a.db";
    let hh = setup(dir, a, "tnv01");

    // Members, with a Vietnamese name typed in decomposed Unicode (as some keyboards send it).
    let decomposed = "Nguye\u{0302}\u{0303}n Va\u{0306}n An";
    let an = id(
        dir,
        a,
        &[
            "member",
            "add",
            &hh,
            "--name",
            decomposed,
            "--relation",
            "chu_ho",
            "--birth",
            "1985",
            "--gender",
            "male",
            "--id-number",
            ID_AN,
            "--phone",
            "+84 912 345 678",
            "--consent",
            "local_register,setup_help",
        ],
    );
    let child_year = (chrono::Local::now().year() - 6).to_string();
    let child = id(
        dir,
        a,
        &[
            "member",
            "add",
            &hh,
            "--name",
            "Nguyễn Minh Khôi",
            "--relation",
            "con_de",
            "--birth",
            &child_year,
            "--consent",
            "local_register,setup_help",
            "--guardian",
            &an,
        ],
    );

    // Checklist, consent (the child's by a guardian), a dated visit; ids may be prefixes.
    ok(
        dir,
        a,
        &[
            "checklist",
            "set",
            &hh,
            &an[..6],
            "smartphone",
            "done",
            "--smartphone",
            "own",
        ],
    );
    ok(
        dir,
        a,
        &[
            "checklist",
            "set",
            &hh,
            &an,
            "vneid_level1",
            "failed",
            "--reason",
            "Chưa có SIM chính chủ",
        ],
    );
    ok(
        dir,
        a,
        &[
            "consent",
            "give",
            &hh[..8],
            &an,
            "--purposes",
            "local_register,setup_help",
            "--notice",
            "v1",
            "--method",
            "signature",
        ],
    );
    ok(
        dir,
        a,
        &[
            "consent",
            "give",
            &hh,
            &child,
            "--purposes",
            "local_register",
            "--notice",
            "v1",
            "--method",
            "thumbprint",
            "--guardian",
            &an,
        ],
    );
    ok(
        dir,
        a,
        &[
            "visit",
            "add",
            &hh,
            "--outcome",
            "registered",
            "--date",
            "2025-06-01",
            "--note",
            "Đã hướng dẫn VNeID",
        ],
    );

    // Search without diacritics finds the NFC name.
    let found = ok(dir, a, &["search", "nguyen van an"]);
    assert!(
        found.contains("Nguyễn Văn An") && found.contains(&hh),
        "{found}"
    );
    let hits = json(dir, a, &["search", "nguyen van an"]);
    assert_eq!(hits[0]["member"], an.as_str());
    assert!(
        !hits.to_string().contains(ID_AN),
        "search JSON must not hold the full ID number"
    );

    // Show: names from the catalog, Plus Code, card, masked numbers, labels, consent, visit.
    let show = ok(dir, a, &["household", "show", &hh]);
    for expected in [
        "Thôn Đông",
        "Phường Hoàn Kiếm",
        "Thành phố Hà Nội",
        "Plus Code: 7PH7",
        "GOCUA:1:",
        "Nguyễn Văn An",
        "••••••••2345",
        "Có điện thoại thông minh: Hoàn thành (máy riêng)",
        "Không thành công — lý do: Chưa có SIM chính chủ",
        "lưu trong sổ địa phương",
        "người giám hộ: Nguyễn Văn An",
        "2025-06-01  Đã đăng ký",
    ] {
        assert!(show.contains(expected), "show lacks {expected:?}:\n{show}");
    }
    assert!(
        !show.contains(ID_AN) && !show.contains(PHONE_AN),
        "show must mask numbers:\n{show}"
    );
    let full = ok(dir, a, &["household", "show", &hh, "--full"]);
    assert!(full.contains(ID_AN) && full.contains(PHONE_AN));
    let en = ok(dir, a, &["--lang", "en", "household", "show", &hh]);
    assert!(
        en.contains("Owns a smartphone: Done (own phone)") && en.contains("Hoan Kiem Ward"),
        "{en}"
    );
    let shown = json(dir, a, &["household", "show", &hh]);
    assert_eq!(shown["area"]["province_code"], "01");
    assert_eq!(shown["members"][0]["id_number"], "••••••••2345");
    assert!(shown["plus_code"].as_str().unwrap().starts_with("7PH7"));

    // List, counts and the card.
    let list = ok(dir, a, &["household", "list", "--hamlet", "thon-dong"]);
    assert!(
        list.contains(&hh) && list.contains("Nguyễn Văn An"),
        "{list}"
    );
    let listed = json(
        dir,
        a,
        &[
            "household",
            "list",
            "--hamlet",
            "thon-dong",
            "--limit",
            "10",
        ],
    );
    assert_eq!(listed[0]["member_count"], 2);
    let counts = ok(dir, a, &["counts", "--hamlet", "thon-dong"]);
    assert!(
        counts.contains("Có điện thoại thông minh: Hoàn thành 1"),
        "{counts}"
    );
    let card = ok(dir, a, &["household", "card", &hh]);
    assert!(card.contains(&format!("GOCUA:1:{hh}:7PH7")), "{card}");

    // A second device receives the household, then both edit the same name while apart.
    let b = "b.db";
    ok(
        dir,
        b,
        &["init", "--volunteer", "tnv02", "--commune", COMMUNE],
    );
    ok(dir, a, &["export", &hh, "hh-a.doc"]);
    ok(dir, b, &["import", "hh-a.doc"]);
    ok(
        dir,
        a,
        &["member", "edit", &hh, &an, "--name", "Nguyễn Văn Ân"],
    );
    ok(
        dir,
        b,
        &["member", "edit", &hh, &an, "--name", "Nguyễn Văn Anh"],
    );
    ok(dir, b, &["export", &hh, "hh-b.doc"]);
    let merged = gocua(dir, a, &["import", "hh-b.doc"]);
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    assert!(
        merged.stderr.contains("Cảnh báo:") && merged.stderr.contains("xung đột"),
        "{}",
        merged.stderr
    );

    let field = format!("member.{an}.full_name");
    let conflicts = json(dir, a, &["conflicts", &hh]);
    assert_eq!(conflicts[0]["field"], field.as_str());
    let values: Vec<&str> = conflicts[0]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert_eq!(values.len(), 2);
    assert!(
        values.contains(&"Nguyễn Văn Ân") && values.contains(&"Nguyễn Văn Anh"),
        "{values:?}"
    );
    let text = ok(dir, a, &["conflicts", &hh]);
    assert!(
        text.contains("[1]") && text.contains("[2]") && text.contains("tnv02"),
        "{text}"
    );

    // Resolve with a prefix of the member id inside the field path.
    ok(
        dir,
        a,
        &[
            "resolve",
            &hh,
            &format!("member.{}.full_name", &an[..6]),
            "--value",
            "Nguyễn Văn Anh",
        ],
    );
    assert_eq!(json(dir, a, &["conflicts", &hh]), serde_json::json!([]));
    assert!(ok(dir, a, &["household", "show", &hh]).contains("Nguyễn Văn Anh"));
    let again = gocua(dir, a, &["resolve", &hh, &field, "--pick", "1"]);
    assert_eq!(again.code, 1, "{}", again.stderr);

    // History names who did what; status reports the register's health.
    let history = ok(dir, a, &["household", "history", &hh]);
    assert!(
        history.contains("tnv02") && history.contains("Chọn giá trị cho"),
        "{history}"
    );
    assert!(
        !history.contains("conflict.resolve"),
        "a code, not words: {history}"
    );
    let status = ok(dir, a, &["--lang", "en", "status"]);
    assert!(
        status.contains("Volunteer: tnv01") && status.contains("Integrity check: ok"),
        "{status}"
    );
    assert!(ok(dir, a, &["reindex"]).contains('1'));
}

#[test]
fn unknown_relation_code_names_the_accepted_ones() {
    let tmp = TempDir::new().unwrap();
    let hh = setup(tmp.path(), "r.db", "tnv01");
    let r = gocua(
        tmp.path(),
        "r.db",
        &[
            "member",
            "add",
            &hh,
            "--name",
            "Lê Văn Cường",
            "--relation",
            "boss",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Mã quan hệ với chủ hộ không hợp lệ: 'boss'"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("chu_ho") && r.stderr.contains("con_de") && r.stderr.contains("khac"),
        "{}",
        r.stderr
    );
    let en = gocua(
        tmp.path(),
        "r.db",
        &[
            "--lang",
            "en",
            "checklist",
            "set",
            &hh,
            "abcd",
            "vneid",
            "done",
        ],
    );
    assert_eq!(en.code, 2);
    assert!(
        en.stderr.contains("Unknown checklist item code") && en.stderr.contains("vneid_level1"),
        "{}",
        en.stderr
    );
}

#[test]
fn bad_id_number_is_refused_in_both_languages_without_echoing_it() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let hh = setup(dir, "i.db", "tnv01");
    let bad = "0010850123"; // 10 digits
    let args = [
        "member",
        "add",
        &hh,
        "--name",
        "Phạm Thị Dung",
        "--relation",
        "chu_ho",
        "--id-number",
        bad,
    ];
    let vi = gocua(dir, "i.db", &args);
    assert_eq!(vi.code, 1, "{}", vi.stderr);
    assert!(
        vi.stderr
            .contains("member.id_number: Số định danh cá nhân phải gồm đúng 12 chữ số."),
        "{}",
        vi.stderr
    );
    let mut en_args = vec!["--lang", "en"];
    en_args.extend_from_slice(&args);
    let en = gocua(dir, "i.db", &en_args);
    assert_eq!(en.code, 1);
    assert!(
        en.stderr
            .contains("member.id_number: The personal ID number must have exactly 12 digits."),
        "{}",
        en.stderr
    );
    for r in [&vi, &en] {
        assert!(
            !r.stderr.contains(bad) && !r.stdout.contains(bad),
            "the number leaked: {}",
            r.stderr
        );
    }
    assert_eq!(
        json(dir, "i.db", &["household", "show", &hh])["members"],
        serde_json::json!([]),
        "nothing saved"
    );

    // A number that fits but disagrees with the gender is saved, with a warning after it.
    let r = gocua(
        dir,
        "i.db",
        &[
            "member",
            "add",
            &hh,
            "--name",
            "Phạm Thị Dung",
            "--relation",
            "chu_ho",
            "--birth",
            "1985",
            "--gender",
            "female",
            "--id-number",
            ID_AN,
            "--consent",
            "local_register",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("Cảnh báo: member.id_number:"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(ID_AN));
}

#[test]
fn member_edit_with_one_bad_value_changes_nothing() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let hh = setup(dir, "e.db", "tnv01");
    let m = id(
        dir,
        "e.db",
        &[
            "member",
            "add",
            &hh,
            "--name",
            "Đỗ Văn Em",
            "--relation",
            "chu_ho",
        ],
    );
    let r = gocua(
        dir,
        "e.db",
        &[
            "member",
            "edit",
            &hh,
            &m,
            "--name",
            "Đỗ Văn Én",
            "--phone",
            "12345",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("member.phone") && !r.stderr.contains("12345"),
        "{}",
        r.stderr
    );
    assert_eq!(
        json(dir, "e.db", &["household", "show", &hh])["members"][0]["full_name"],
        "Đỗ Văn Em"
    );
    // The phone is stored once the person has consented to the register keeping it.
    let refused = gocua(
        dir,
        "e.db",
        &["member", "edit", &hh, &m, "--phone", "0987 654 321"],
    );
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("đồng ý"), "{}", refused.stderr);
    ok(
        dir,
        "e.db",
        &[
            "consent",
            "give",
            &hh,
            &m,
            "--purposes",
            "local_register",
            "--notice",
            "2026-01",
            "--method",
            "witnessed_verbal",
        ],
    );
    ok(
        dir,
        "e.db",
        &["member", "edit", &hh, &m, "--phone", "0987 654 321"],
    );
    ok(
        dir,
        "e.db",
        &[
            "household",
            "edit",
            &hh,
            "--street",
            "",
            "--notes",
            "Nhà cuối ngõ",
        ],
    );
    let h = json(dir, "e.db", &["household", "show", &hh, "--full"]);
    assert_eq!(h["members"][0]["phone"], "0987654321");
    assert_eq!(h["address"]["street"], Value::Null);
    assert_eq!(h["notes"], "Nhà cuối ngõ");
}

#[test]
fn missing_register_says_how_to_create_one() {
    let tmp = TempDir::new().unwrap();
    let r = gocua(tmp.path(), "none.db", &["hamlet", "list"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("none.db") && r.stderr.contains("gocua init --volunteer"),
        "{}",
        r.stderr
    );
    let en = gocua(tmp.path(), "none.db", &["--lang", "en", "status"]);
    assert!(
        en.stderr.starts_with("Error: no register at"),
        "{}",
        en.stderr
    );
    assert!(
        !tmp.path().join("none.db").exists(),
        "reading must not create a register"
    );

    ok(
        tmp.path(),
        "x.db",
        &["init", "--volunteer", "tnv01", "--commune", COMMUNE],
    );
    let twice = gocua(
        tmp.path(),
        "x.db",
        &["init", "--volunteer", "tnv01", "--commune", COMMUNE],
    );
    assert_eq!(twice.code, 1);
    assert!(twice.stderr.contains("đã có sổ"), "{}", twice.stderr);
    let bad = gocua(
        tmp.path(),
        "y.db",
        &["init", "--volunteer", "tnv01", "--commune", "99999"],
    );
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("commune_code:"), "{}", bad.stderr);
}

#[test]
fn unknown_household_and_member_ids() {
    let tmp = TempDir::new().unwrap();
    let hh = setup(tmp.path(), "u.db", "tnv01");
    let r = gocua(tmp.path(), "u.db", &["household", "show", "ffffffffffff"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("không tìm thấy hộ gia đình 'ffffffffffff'"),
        "{}",
        r.stderr
    );
    let en = gocua(
        tmp.path(),
        "u.db",
        &[
            "--lang",
            "en",
            "visit",
            "add",
            "0000",
            "--outcome",
            "not_home",
        ],
    );
    assert_eq!(en.code, 1);
    assert!(
        en.stderr.contains("household '0000' not found"),
        "{}",
        en.stderr
    );
    let short = gocua(
        tmp.path(),
        "u.db",
        &["checklist", "set", &hh, "ab", "smartphone", "done"],
    );
    assert_eq!(short.code, 1);
    assert!(short.stderr.contains("quá ngắn"), "{}", short.stderr);
}

#[test]
fn invalid_dates_are_usage_errors() {
    let tmp = TempDir::new().unwrap();
    let hh = setup(tmp.path(), "d.db", "tnv01");
    let r = gocua(
        tmp.path(),
        "d.db",
        &[
            "visit",
            "add",
            &hh,
            "--outcome",
            "not_home",
            "--date",
            "2025-02-30",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("'2025-02-30'") && r.stderr.contains("DD/MM/YYYY"),
        "{}",
        r.stderr
    );
    let b = gocua(
        tmp.path(),
        "d.db",
        &[
            "--lang",
            "en",
            "member",
            "add",
            &hh,
            "--name",
            "Vũ Thị Giang",
            "--relation",
            "vo",
            "--birth",
            "31/02/1990",
        ],
    );
    assert_eq!(b.code, 2);
    assert!(
        b.stderr.contains("Invalid date of birth '31/02/1990'"),
        "{}",
        b.stderr
    );
    // A well-formed date the register refuses (in the future) is a validation error instead.
    let future = gocua(
        tmp.path(),
        "d.db",
        &[
            "visit",
            "add",
            &hh,
            "--outcome",
            "not_home",
            "--date",
            "01/01/2999",
        ],
    );
    assert_eq!(future.code, 1);
    assert!(future.stderr.contains("visit.date:"), "{}", future.stderr);
}

#[test]
fn warnings_follow_a_successful_save() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    setup(dir, "w.db", "tnv01");
    let r = gocua(
        dir,
        "w.db",
        &[
            "--lang",
            "en",
            "household",
            "add",
            "--hamlet",
            "thon-dong",
            "--lat",
            "21.03",
            "--lon",
            "105.85",
            "--accuracy",
            "120",
            "--pin",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout.trim().len(),
        32,
        "only the id on stdout: {}",
        r.stdout
    );
    assert!(
        r.stderr
            .starts_with("Warning: digital_address.gps.accuracy_m:"),
        "{}",
        r.stderr
    );
    let missing = gocua(dir, "w.db", &["household", "add", "--hamlet", "thon-tay"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("thon-dong (Thôn Đông)"),
        "{}",
        missing.stderr
    );
}

#[test]
fn catalog_and_guides_without_a_register() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let units = ok(dir, "none.db", &["units", "search", "hoan kiem"]);
    assert!(
        units.contains("00070  Phường Hoàn Kiếm, Thành phố Hà Nội"),
        "{units}"
    );
    let ward = ok(dir, "none.db", &["--lang", "en", "units", "show", "00070"]);
    assert!(ward.contains("Hoan Kiem Ward"), "{ward}");
    let guide = ok(dir, "none.db", &["checklist", "guide", "vneid_installed"]);
    assert!(
        guide.contains("Các bước:") && guide.contains("  1. "),
        "{guide}"
    );
    let items = ok(dir, "none.db", &["--lang", "en", "checklist", "items"]);
    assert!(
        items.contains("vneid_level2") && items.contains("Referred"),
        "{items}"
    );
    assert!(!dir.join("none.db").exists());
}

#[test]
fn codes_are_read_in_either_language_and_argument_errors_speak_the_volunteers() {
    let tmp = TempDir::new().unwrap();
    let hh = setup(tmp.path(), "r.db", "tnv01");
    // Vietnamese and English labels as well as codes, with or without diacritics.
    let head = id(
        tmp.path(),
        "r.db",
        &[
            "member",
            "add",
            &hh,
            "--name",
            "Lê Văn Cường",
            "--relation",
            "Chủ hộ",
            "--gender",
            "nam",
        ],
    );
    let wife = id(
        tmp.path(),
        "r.db",
        &[
            "member",
            "add",
            &hh,
            "--name",
            "Đỗ Thị Hạnh",
            "--relation",
            "wife",
            "--gender",
            "Nu",
        ],
    );
    let members = json(tmp.path(), "r.db", &["household", "show", &hh, "--full"]);
    let text = members.to_string();
    assert!(text.contains(&head) && text.contains(&wife), "{text}");
    assert!(
        text.contains("\"female\"") && text.contains("\"vo\""),
        "{text}"
    );

    // clap's own errors, in the chosen language, and an ID number typed as an option masked.
    let vi = gocua(
        tmp.path(),
        "r.db",
        &["member", "add", &hh, "--bogus", "001085012345"],
    );
    assert_eq!(vi.code, 2);
    assert!(
        vi.stderr.contains("Tham số không được chấp nhận: --bogus"),
        "{}",
        vi.stderr
    );
    assert!(!vi.stderr.contains("001085012345"), "{}", vi.stderr);
    let en = gocua(tmp.path(), "r.db", &["--lang", "en", "member", "add"]);
    assert_eq!(en.code, 2);
    assert!(
        en.stderr.contains("A required argument is missing"),
        "{}",
        en.stderr
    );
    let sub = gocua(tmp.path(), "r.db", &["memebr"]);
    assert!(
        sub.stderr.contains("Không có lệnh 'memebr'") && sub.stderr.contains("member"),
        "{}",
        sub.stderr
    );
}
