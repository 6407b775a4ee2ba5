//! `convert-admin-units [--check] [--dataset-version VERSION] [JSON]`
//!
//! Reads the shared administrative-unit dataset (default: `../shared/data/vn-admin-units/
//! vn-units-2026-07-25.json` beside the repository) and writes `core/data/admin-units.tsv`.
//! With `--check`, writes nothing and exits with status 1 if the committed file differs.
//! The dataset version is taken from the file name (`vn-units-<version>.json`) unless given.

use std::path::PathBuf;
use std::process::ExitCode;

use gocua_tools::{convert, dataset_version_from_path, default_json_path, default_output_path};

const USAGE: &str = "usage: convert-admin-units [--check] [--dataset-version VERSION] [JSON]";

struct Args {
    check: bool,
    version: Option<String>,
    json: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut check = false;
    let mut version = None;
    let mut json = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--dataset-version" => {
                version = Some(args.next().ok_or("--dataset-version needs a value")?);
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            _ if json.is_some() => return Err(format!("too many arguments\n{USAGE}")),
            _ => json = Some(PathBuf::from(arg)),
        }
    }
    Ok(Args {
        check,
        version,
        json: json.unwrap_or_else(default_json_path),
    })
}

fn run() -> Result<ExitCode, String> {
    let args = parse_args()?;
    let version = match args.version {
        Some(v) => v,
        None => dataset_version_from_path(&args.json).ok_or_else(|| {
            format!(
                "cannot tell the dataset version from {}: name the file vn-units-YYYY-MM-DD.json or pass --dataset-version",
                args.json.display()
            )
        })?,
    };
    let json = std::fs::read_to_string(&args.json)
        .map_err(|e| format!("cannot read {}: {e}", args.json.display()))?;
    let tsv = convert(&json, &version)?;
    let out = default_output_path();
    if args.check {
        let committed = std::fs::read_to_string(&out).unwrap_or_default();
        if committed == tsv {
            println!("{} is up to date", out.display());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "{} differs from the conversion of {}: run convert-admin-units and commit the result",
            out.display(),
            args.json.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    std::fs::write(&out, &tsv).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!(
        "wrote {} ({} bytes, {} units)",
        out.display(),
        tsv.len(),
        tsv.lines().count() - 2
    );
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("convert-admin-units: {e}");
            ExitCode::from(2)
        }
    }
}
