//! Running the built `gocua` binary, shared by the CLI's test files.

use std::path::Path;
use std::process::{Command, Output};

pub const COMMUNE: &str = "00070"; // Phường Hoàn Kiếm, Thành phố Hà Nội

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `gocua --db DB ARGS...` in `dir`, with the environment's defaults cleared.
pub fn gocua(dir: &Path, db: &str, args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_gocua"))
        .current_dir(dir)
        .env_remove("GOCUA_DB")
        .env_remove("GOCUA_LANG")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("the gocua binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
