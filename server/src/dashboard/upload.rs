//! A dashboard form with files (sealed bundles, a list to import): its CSRF token and each file,
//! every file capped while it is read. A file over its cap is read on and dropped, so that the
//! browser gets the page's answer rather than a reset connection.

use axum::extract::Multipart;

/// A file of the form: its name as the browser gave it (control characters dropped, 80
/// characters at most) and its bytes; over the cap, only the flag (the bytes are dropped).
pub struct UploadedFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub too_large: bool,
}

pub struct Upload {
    pub csrf: String,
    pub files: Vec<UploadedFile>,
    /// More files were sent than the form takes; the others were dropped.
    pub too_many: bool,
}

/// Reads the form: the field `csrf`, and the files of the field `files_field`, at most
/// `max_files` of at most `max_bytes` each. `None` for a broken form, or one cut at the body's
/// limit with no file over its cap to say why.
pub async fn read_upload(
    mut multipart: Multipart,
    files_field: &str,
    max_files: usize,
    max_bytes: usize,
) -> Option<Upload> {
    let mut up = Upload {
        csrf: String::new(),
        files: Vec::new(),
        too_many: false,
    };
    loop {
        let mut f = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Some(up),
            // The body's limit (a file far too large) or a broken form.
            Err(_) => return up.files.iter().any(|f| f.too_large).then_some(up),
        };
        if f.name() == Some("csrf") {
            up.csrf = f.text().await.ok()?.chars().take(128).collect();
            continue;
        }
        if f.name() != Some(files_field) {
            continue;
        }
        let name: String = f
            .file_name()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .take(80)
            .collect();
        if up.files.len() >= max_files {
            up.too_many = true;
            while let Ok(Some(_)) = f.chunk().await {}
            continue;
        }
        let mut bytes = Vec::new();
        let mut too_large = false;
        while let Ok(Some(chunk)) = f.chunk().await {
            if too_large || bytes.len() + chunk.len() > max_bytes {
                too_large = true;
                bytes = Vec::new();
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        // A browser sends an empty part when no file was chosen.
        if !(name.is_empty() && bytes.is_empty() && !too_large) {
            up.files.push(UploadedFile {
                name,
                bytes,
                too_large,
            });
        }
    }
}
