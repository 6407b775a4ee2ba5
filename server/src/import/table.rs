//! A commune's list as a table of text: the first row names the columns. CSV (UTF-8, with or
//! without the byte-order mark spreadsheets write, comma or semicolon) or XLSX (its first sheet).
//! Anything else is refused with what to do instead.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// Largest file read: about 100,000 member rows of a CSV. A commune's list is far smaller.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// Rows read at most (members), header excluded.
pub const MAX_ROWS: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    /// Each row's cells with its line in the file (1 is the header row).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Why a file could not be read at all, in each language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub vi: String,
    pub en: String,
}

fn unreadable(vi: impl Into<String>, en: impl Into<String>) -> Unreadable {
    Unreadable {
        vi: vi.into(),
        en: en.into(),
    }
}

/// Reads `bytes` as XLSX when they are a ZIP archive, else as CSV.
pub fn read(bytes: &[u8]) -> Result<Table, Unreadable> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let table = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else {
        read_csv(bytes)?
    };
    if table.headers.iter().all(|h| h.trim().is_empty()) {
        return Err(unreadable(
            "tệp không có dòng tiêu đề cột",
            "the file has no header row",
        ));
    }
    if table.rows.len() > MAX_ROWS {
        return Err(unreadable(
            format!("tệp có quá {MAX_ROWS} dòng: hãy chia theo thôn"),
            format!("the file has more than {MAX_ROWS} rows: split it by hamlet"),
        ));
    }
    Ok(table)
}

pub fn too_large() -> Unreadable {
    unreadable(
        format!(
            "tệp lớn hơn {} MB: hãy chia theo thôn",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
        format!(
            "the file is larger than {} MB: split it by hamlet",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}

fn read_csv(bytes: &[u8]) -> Result<Table, Unreadable> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(unreadable(
            "tệp ở dạng UTF-16 (\"Unicode Text\"): hãy lưu lại dạng \"CSV UTF-8\" hoặc Excel (.xlsx)",
            "the file is UTF-16 (\"Unicode Text\"): save it again as \"CSV UTF-8\" or Excel (.xlsx)",
        ));
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(text).map_err(|e| {
        // The line of the first byte that is not UTF-8, for the person who fixes the file.
        let line = 1 + text[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count();
        unreadable(
            format!(
                "tệp không phải UTF-8 (từ dòng {line}); có thể là mã Windows-1258 hay TCVN3: hãy lưu lại dạng \"CSV UTF-8\" hoặc Excel (.xlsx)"
            ),
            format!(
                "the file is not UTF-8 (from line {line}); it may be Windows-1258 or TCVN3: save it again as \"CSV UTF-8\" or Excel (.xlsx)"
            ),
        )
    })?;
    let first_line = text.lines().next().unwrap_or("");
    // Spreadsheets set to Vietnamese write semicolons (the comma is the decimal mark there).
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers = match records.next() {
        Some(Ok(r)) => r.iter().map(str::to_owned).collect(),
        Some(Err(_)) | None => {
            return Err(unreadable("tệp trống", "the file is empty"));
        }
    };
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            unreadable(
                format!("dòng {line} không đọc được (dấu ngoặc kép chưa đóng?)"),
                format!("line {line} cannot be read (an unclosed quote?)"),
            )
        })?;
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((line, cells));
        if rows.len() > MAX_ROWS {
            break;
        }
    }
    Ok(Table { headers, rows })
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, Unreadable> {
    let broken = || {
        unreadable(
            "tệp Excel không đọc được (hỏng, có mật khẩu, hoặc không phải .xlsx)",
            "the Excel file cannot be read (damaged, password-protected, or not .xlsx)",
        )
    };
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| broken())?;
    let sheet = book.sheet_names().first().cloned().ok_or_else(broken)?;
    let range = book.worksheet_range(&sheet).map_err(|_| broken())?;
    let mut lines = range.rows().enumerate();
    let headers = match lines.next() {
        Some((_, cells)) => cells.iter().map(cell_text).collect(),
        None => return Err(unreadable("tệp trống", "the file is empty")),
    };
    let mut rows = Vec::new();
    for (i, cells) in lines {
        let cells: Vec<String> = cells.iter().map(cell_text).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((
            range.start().map(|(r, _)| r as usize).unwrap_or(0) + i + 1,
            cells,
        ));
        if rows.len() > MAX_ROWS {
            break;
        }
    }
    Ok(Table { headers, rows })
}

/// A cell as people read it: whole numbers without ".0" (a house number typed as a number).
fn cell_text(c: &Data) -> String {
    match c {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_semicolons_and_quotes() {
        let t = read("\u{feff}ma_ho;ho_ten\n\"H1\";\"Nguyễn Văn An\"\n\n".as_bytes()).unwrap();
        assert_eq!(t.headers, ["ma_ho", "ho_ten"]);
        assert_eq!(
            t.rows,
            [(2, vec!["H1".to_owned(), "Nguyễn Văn An".to_owned()])]
        );
    }

    #[test]
    fn other_encodings_are_refused_with_the_line() {
        let mut bytes = b"ma_ho,ho_ten\nH1,Nguy".to_vec();
        bytes.push(0xEA); // "ê" in Windows-1258
        let e = read(&bytes).unwrap_err();
        assert!(e.en.contains("not UTF-8 (from line 2)"), "{}", e.en);
        assert!(
            read(&[0xFF, 0xFE, b'm', 0])
                .unwrap_err()
                .en
                .contains("UTF-16")
        );
        assert!(
            read(b"PK\x03\x04garbage")
                .unwrap_err()
                .en
                .contains("cannot be read")
        );
        assert!(read(b"").is_err());
        let e = read(&vec![b'a'; MAX_FILE_BYTES + 1]).unwrap_err();
        assert!(e.en.contains("larger than 16 MB"), "{}", e.en);
    }

    #[test]
    fn xlsx_first_sheet() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write(0, 0, "ma_ho").unwrap();
        sheet.write(0, 1, "so_nha").unwrap();
        sheet.write(1, 0, "H1").unwrap();
        sheet.write(1, 1, 12).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let t = read(&bytes).unwrap();
        assert_eq!(t.headers, ["ma_ho", "so_nha"]);
        assert_eq!(t.rows, [(2, vec!["H1".to_owned(), "12".to_owned()])]);
    }
}
