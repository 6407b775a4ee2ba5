//! `gocua-hub apply-bundles`: sealed bundles brought on a USB stick from a hamlet without
//! coverage, applied as their phones' syncs; each answer written beside, to carry back.

use std::path::{Path, PathBuf};

use gocua_core::bundle::MAX_BUNDLE_BYTES;
use gocua_core::sync::bundle_file_name;

use crate::hub::{Hub, Via};

/// One file's line: what it did, or why it was refused (both languages).
pub struct Applied {
    pub file: PathBuf,
    pub line: String,
    pub answer: Option<PathBuf>,
    pub refused: bool,
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    let len = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    if len > MAX_BUNDLE_BYTES as u64 {
        return Err(format!(
            "{}: quá lớn để là gói đồng bộ / too large to be a sync bundle",
            path.display()
        ));
    }
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Applies each file for `commune`; answers go into `answers` (created if missing), never
/// over an existing file.
pub fn apply_files(
    hub: &Hub,
    commune: &str,
    coordinator: &str,
    files: &[PathBuf],
    answers: &Path,
) -> Result<Vec<Applied>, String> {
    std::fs::create_dir_all(answers).map_err(|e| format!("{}: {e}", answers.display()))?;
    let via = Via::Cli(coordinator.to_owned());
    let mut out = Vec::new();
    for file in files {
        let bytes = read(file)?;
        match hub.receive_in_commune(&bytes, commune, &via) {
            Ok(d) => {
                let name = bundle_file_name(&d.answer).map_err(|e| e.to_string())?;
                let path = answers.join(name);
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                    .and_then(|mut f| {
                        use std::io::Write;
                        f.write_all(&d.answer)?;
                        f.sync_all()
                    })
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                out.push(Applied {
                    file: file.clone(),
                    line: format!(
                        "đã áp dụng: {} hộ, {} lưu, {} bị từ chối; trả lời cho máy {} / applied: {} households, {} stored, {} refused; answer for phone {}",
                        d.households,
                        d.stored,
                        d.rejected,
                        d.device_id,
                        d.households,
                        d.stored,
                        d.rejected,
                        d.device_id
                    ),
                    answer: Some(path),
                    refused: false,
                });
            }
            Err(e) => {
                let (vi, en) = e.messages();
                out.push(Applied {
                    file: file.clone(),
                    line: format!("{vi} / {en} ({})", e.code()),
                    answer: None,
                    refused: true,
                });
            }
        }
    }
    Ok(out)
}
