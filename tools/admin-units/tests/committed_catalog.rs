//! The committed `core/data/admin-units.tsv` must be exactly what the converter makes from the
//! shared dataset, so nobody edits the catalog by hand and a new dataset cannot slip in unconverted.

use gocua_tools::{convert, dataset_version_from_path, default_json_path, default_output_path};

#[test]
fn committed_catalog_matches_the_shared_dataset() {
    let json_path = default_json_path();
    let json = std::fs::read_to_string(&json_path).unwrap_or_else(|e| {
        panic!(
            "the shared administrative-unit dataset is missing: expected {} ({e}); \
             it lives in the shared/ folder beside the repository",
            json_path.display()
        )
    });
    let version = dataset_version_from_path(&json_path).expect("dataset version in the file name");
    let expected = convert(&json, &version).expect("the shared dataset converts");

    let out_path = default_output_path();
    let committed = std::fs::read_to_string(&out_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", out_path.display()));
    assert!(
        committed == expected,
        "{} is not the conversion of {}: run `cargo run -p gocua-tools --bin convert-admin-units` \
         and commit the result",
        out_path.display(),
        json_path.display()
    );

    assert!(committed.starts_with(&format!("# gocua admin units; dataset {version}; ")));
    let rows: Vec<Vec<&str>> = committed
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
        .collect();
    assert!(
        rows.iter().all(|r| r.len() == 6),
        "six columns on every row"
    );
    let provinces = rows.iter().filter(|r| r[1].is_empty()).count();
    let communes = rows.iter().filter(|r| !r[1].is_empty()).count();
    assert_eq!(provinces, 34, "provinces and centrally-governed cities");
    assert_eq!(communes, 3321, "communes, wards and special zones");
}
