//! Printing. Output is gathered in memory and written once at the end, so that a closed pipe
//! (`gocua household list | head`) ends the program quietly instead of panicking mid-line.
//! Personal numbers are masked here, in one place.

use std::io::Write;

use chrono::{DateTime, Local, Utc};
use gocua_core::Error;
use gocua_core::validate::{Issue, Report};

use crate::error::CliError;
use crate::labels::Label;
use crate::lang::Lang;

pub struct Out {
    pub lang: Lang,
    /// Print machine-readable JSON instead of text, where the command supports it.
    pub json: bool,
    stdout: String,
    stderr: String,
}

impl Out {
    pub fn new(lang: Lang, json: bool) -> Self {
        Self {
            lang,
            json,
            stdout: String::new(),
            stderr: String::new(),
        }
    }

    /// The text in the chosen language.
    pub fn t<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(vi, en)
    }

    pub fn line(&mut self, s: impl AsRef<str>) {
        self.stdout.push_str(s.as_ref());
        self.stdout.push('\n');
    }

    /// A line for the person, not for a script reading stdout.
    pub fn note(&mut self, s: impl AsRef<str>) {
        self.stderr.push_str(s.as_ref());
        self.stderr.push('\n');
    }

    pub fn json_value(&mut self, v: &serde_json::Value) {
        // Serialising a `Value` cannot fail.
        let text = serde_json::to_string_pretty(v).unwrap_or_default();
        self.line(text);
    }

    /// The warnings a save accepted, one line each, after the save's own output.
    pub fn warnings(&mut self, issues: &[Issue]) {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for i in issues.iter().filter(|i| !i.is_error()) {
            // Several saves of one command can report the same warning about the same field.
            if seen.contains(&(i.field.as_str(), i.kind.code())) {
                continue;
            }
            seen.push((i.field.as_str(), i.kind.code()));
            let line = format!(
                "{}: {}",
                self.t("Cảnh báo", "Warning"),
                issue_text(i, self.lang)
            );
            self.note(line);
        }
    }

    pub fn error(&mut self, e: &CliError) {
        let text = error_text(e, self.lang);
        self.note(text);
    }

    /// Writes everything; a reader that went away is not an error worth a panic.
    pub fn flush(&mut self) {
        let _ = std::io::stdout().lock().write_all(self.stdout.as_bytes());
        let _ = std::io::stderr().lock().write_all(self.stderr.as_bytes());
        self.stdout.clear();
        self.stderr.clear();
    }
}

/// `field: message` in the chosen language.
pub fn issue_text(i: &Issue, lang: Lang) -> String {
    format!("{}: {}", i.field, lang.pick(&i.message_vi, &i.message_en))
}

/// The text of an error, possibly several lines (one per validation issue).
pub fn error_text(e: &CliError, lang: Lang) -> String {
    let head = lang.pick("Lỗi", "Error");
    match e {
        CliError::Usage(m) | CliError::Failed(m) => format!("{head}: {}", m.get(lang)),
        CliError::Core(Error::Validation(report)) => validation_text(report, lang),
        CliError::Core(e) => format!("{head}: {}", core_error_text(e, lang)),
    }
}

fn validation_text(report: &Report, lang: Lang) -> String {
    let mut lines = vec![format!(
        "{}: {}",
        lang.pick("Lỗi", "Error"),
        lang.pick(
            "dữ liệu không hợp lệ, chưa lưu gì.",
            "invalid input, nothing was saved."
        )
    )];
    // Errors first: they are what must be fixed; warnings only explain.
    for i in report.errors().chain(report.warnings()) {
        lines.push(format!(
            "{}: {}",
            i.severity.label(lang),
            issue_text(i, lang)
        ));
    }
    lines.join("\n")
}

fn core_error_text(e: &Error, lang: Lang) -> String {
    match e {
        Error::NotFound { what, id } => {
            let (vi, en) = match *what {
                "household" => ("hộ gia đình", "household"),
                "member" => ("thành viên", "member"),
                other => (other, other),
            };
            let id = shown(id);
            match lang {
                Lang::Vi => format!("không tìm thấy {vi} '{id}'."),
                Lang::En => format!("{en} '{id}' not found."),
            }
        }
        Error::NoConflict(field) => match lang {
            Lang::Vi => format!("trường {field} không có xung đột nào để giải quyết."),
            Lang::En => format!("the field {field} has no conflict to resolve."),
        },
        Error::NotInitialised(what) => match lang {
            Lang::Vi => format!(
                "sổ chưa được khởi tạo ({what}); hãy chạy: gocua init --volunteer MÃ --commune MÃ_XÃ"
            ),
            Lang::En => format!(
                "the register is not initialised ({what}); run: gocua init --volunteer ID --commune CODE"
            ),
        },
        Error::SchemaTooNew { found, supported } => match lang {
            Lang::Vi => format!(
                "sổ được tạo bởi phiên bản mới hơn (lược đồ {found} > {supported}); hãy cập nhật gocua."
            ),
            Lang::En => format!(
                "the register was written by a newer version (schema {found} > {supported}); update gocua."
            ),
        },
        Error::CorruptDocument(d) => match lang {
            Lang::Vi => format!("tài liệu hộ bị hỏng hoặc không phải tài liệu gocua ({d})."),
            Lang::En => format!("the household document is corrupt or not a gocua document ({d})."),
        },
        Error::Database(d) => match lang {
            Lang::Vi => format!("lỗi cơ sở dữ liệu: {d}"),
            Lang::En => format!("database error: {d}"),
        },
        Error::Internal(d) => match lang {
            Lang::Vi => format!("lỗi nội bộ: {d}"),
            Lang::En => format!("internal error: {d}"),
        },
        // A variant added to the core later: its own (bilingual) text.
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// A time as the volunteer reads it: on this device's clock and time zone.
pub fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

/// A value typed by someone, safe to echo in a message: anything holding a long run of digits
/// (it may be an ID number or a phone typed in the wrong place) is masked, and length is capped.
pub fn shown(s: &str) -> String {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if digits >= 9 {
        return gocua_core::screens::mask::mask_id_number(s);
    }
    if s.chars().count() > 40 {
        return s.chars().take(40).collect::<String>() + "…";
    }
    s.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_the_tail() {
        assert_eq!(shown("001085012345"), "••••••••2345");
        assert_eq!(shown("chu_ho"), "chu_ho");
    }
}
