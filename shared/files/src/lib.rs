//! Files as the association's staff have them (issue #18): a CSV saved by Excel or WPS in
//! UTF-8 (with or without BOM), GBK or GB18030, or a workbook (.xlsx, also .xls and .ods),
//! read into rows of text the imports parse. The encoding is detected from the bytes, never
//! assumed: a file valid in none of them is refused with what to do. A cell whose value a
//! spreadsheet has already damaged (an 18-digit ID number stored as a number keeps 15
//! digits) is reported on its row, never passed on as if it were right.
//!
//! Pure: bytes in, rows out; no I/O.

use calamine::{Data, Reader};
use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};
use std::io::Cursor;

/// The media type of an .xlsx workbook.
pub const XLSX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What the file was read as (shown in the import report: "已按 GBK/GB18030 编码读取").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// CSV in UTF-8 without a byte-order mark.
    CsvUtf8,
    /// CSV in UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    CsvUtf8Bom,
    /// CSV (or Excel's "Unicode 文本", tab-separated) in UTF-16.
    CsvUtf16,
    /// CSV in GB18030, of which GBK (Excel's default on Chinese Windows) is a part.
    CsvGb18030,
    /// A workbook's sheet.
    Workbook,
}

impl Source {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CsvUtf8 => "csv_utf8",
            Self::CsvUtf8Bom => "csv_utf8_bom",
            Self::CsvUtf16 => "csv_utf16",
            Self::CsvGb18030 => "csv_gb18030",
            Self::Workbook => "xlsx",
        }
    }

    /// What the clerk is told.
    pub fn label(self) -> &'static str {
        match self {
            Self::CsvUtf8 => "CSV（UTF-8 编码）",
            Self::CsvUtf8Bom => "CSV（UTF-8 编码，带 BOM）",
            Self::CsvUtf16 => "CSV（Unicode 编码）",
            Self::CsvGb18030 => "CSV（GBK/GB18030 编码）",
            Self::Workbook => "Excel 工作簿",
        }
    }
}

/// Why a whole file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FileError {
    /// Stable code (`file_encoding`, `file_unreadable`, `file_empty`, `sheet_not_found`).
    pub code: &'static str,
    /// Chinese message saying what to do.
    pub message: String,
}

impl FileError {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// A cell that cannot be taken as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    /// The column's header.
    pub column: String,
    /// Stable code (`cell_number_lost_digits`, `cell_error`).
    pub code: &'static str,
    /// Chinese message saying how to mend the sheet.
    pub message: String,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Its line in the file or row in the sheet (the first is 1), as the clerk sees it.
    pub line: u64,
    cells: Vec<String>,
    /// Cells that cannot be taken as they are.
    pub problems: Vec<CellProblem>,
}

/// A file's rows under its header.
pub struct Sheet {
    /// What the file was read as.
    pub source: Source,
    /// The header's names, trimmed, in file order.
    pub header: Vec<String>,
    rows: Rows,
}

enum Rows {
    Csv {
        reader: csv::Reader<Cursor<Vec<u8>>>,
        /// Rows read while looking for the header that turned out to be data.
        queued: std::collections::VecDeque<(u64, Vec<String>)>,
    },
    /// A worksheet's cells as calamine read them; rows are turned into text one at a time,
    /// never copied whole (a 100,000-row sheet is held once).
    Grid {
        range: calamine::Range<Data>,
        /// The next row's index in `range`.
        next: usize,
        /// The sheet row (from 1) of `range`'s first row.
        first_line: u64,
    },
}

/// Rows above the header a file may carry (a title, a note): the header is the first row,
/// within these, that names one of the expected columns.
const HEADER_SEARCH: usize = 10;

impl Sheet {
    /// Reads a file: a workbook (found by its signature) or else CSV in the detected
    /// encoding. `expected` are the column names the import knows (to find the header below
    /// a title row); `sheet` names the workbook's sheet to read (`None`: the first).
    pub fn read(bytes: Vec<u8>, expected: &[&str], sheet: Option<&str>) -> Result<Self, FileError> {
        if is_workbook(&bytes) {
            return Self::workbook(bytes, expected, sheet);
        }
        let (text, source) = decode(&bytes)?;
        Self::csv(text, source, expected)
    }

    fn csv(text: String, source: Source, expected: &[&str]) -> Result<Self, FileError> {
        if text.trim().is_empty() {
            return Err(FileError::new("file_empty", "文件内容为空"));
        }
        // Excel ends lines with CRLF; the csv reader would then place each record on the line
        // before its own (the LF is read with the next record). One LF per line counts right.
        let text = if text.contains("\r\n") { text.replace("\r\n", "\n") } else { text };
        let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
        // Excel's "Unicode 文本" is tab-separated; a CSV uses commas.
        let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
            b'\t'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(Cursor::new(text.into_bytes()));
        // The rows before the header (a title, a note), kept in case none is the header.
        let mut before: std::collections::VecDeque<(u64, Vec<String>)> = std::collections::VecDeque::new();
        let mut record = csv::StringRecord::new();
        while before.len() < HEADER_SEARCH && reader.read_record(&mut record).map_err(|_| unreadable_csv())? {
            let line = record.position().map_or(1, csv::Position::line);
            let cells: Vec<String> = record.iter().map(str::to_owned).collect();
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let names: Vec<String> = cells.iter().map(|c| c.trim().to_owned()).collect();
            if names_expected(&names, expected) {
                return Ok(Self {
                    source,
                    header: names,
                    rows: Rows::Csv {
                        reader,
                        queued: std::collections::VecDeque::new(),
                    },
                });
            }
            before.push_back((line, cells));
        }
        // No header among the first rows: the first is taken (the import names the missing columns).
        let (_, first) = before.pop_front().ok_or_else(|| FileError::new("file_empty", "文件中没有表头"))?;
        Ok(Self {
            source,
            header: first.iter().map(|c| c.trim().to_owned()).collect(),
            rows: Rows::Csv { reader, queued: before },
        })
    }

    fn workbook(bytes: Vec<u8>, expected: &[&str], sheet: Option<&str>) -> Result<Self, FileError> {
        let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| {
            FileError::new(
                "file_unreadable",
                "无法读取该 Excel 文件：请确认它是 .xlsx 工作簿（可在 Excel 或 WPS 中“另存为”.xlsx）",
            )
        })?;
        let names = book.sheet_names();
        let index = match sheet {
            None => 0,
            Some(wanted) => names.iter().position(|n| n == wanted).ok_or_else(|| {
                FileError::new(
                    "sheet_not_found",
                    format!("工作簿中没有名为“{wanted}”的工作表（有：{}）", names.join("、")),
                )
            })?,
        };
        let range = book
            .worksheet_range_at(index)
            .ok_or_else(|| FileError::new("file_empty", "工作簿中没有工作表"))?
            .map_err(|_| FileError::new("file_unreadable", "无法读取该工作表"))?;
        let first_line = u64::from(range.start().map_or(0, |(row, _)| row)) + 1;
        // The header is the first filled row, within HEADER_SEARCH, that names an expected column.
        let candidates: Vec<usize> = range
            .rows()
            .enumerate()
            .filter(|(_, cells)| !cells.iter().all(is_blank))
            .map(|(i, _)| i)
            .take(HEADER_SEARCH)
            .collect();
        let first = *candidates.first().ok_or_else(|| FileError::new("file_empty", "工作表内容为空"))?;
        let at = candidates
            .iter()
            .copied()
            .find(|&i| names_expected(&header_names(&range[i]), expected))
            .unwrap_or(first);
        let header = header_names(&range[at]);
        Ok(Self {
            source: Source::Workbook,
            header,
            rows: Rows::Grid {
                range,
                next: at + 1,
                first_line,
            },
        })
    }

    /// The next data row (blank rows are skipped); `Err` for a CSV line that cannot be read.
    pub fn next_row(&mut self) -> Option<Result<Row, FileError>> {
        loop {
            let row = match &mut self.rows {
                Rows::Csv { reader, queued } => match queued.pop_front() {
                    Some((line, cells)) => Row {
                        line,
                        cells,
                        problems: Vec::new(),
                    },
                    None => {
                        let mut record = csv::StringRecord::new();
                        let line = reader.position().line();
                        match reader.read_record(&mut record) {
                            Ok(false) => return None,
                            Err(_) => return Some(Err(unreadable_line(line))),
                            Ok(true) => Row {
                                line: record.position().map_or(line, csv::Position::line),
                                cells: record.iter().map(str::to_owned).collect(),
                                problems: Vec::new(),
                            },
                        }
                    }
                },
                Rows::Grid { range, next, first_line } => {
                    if *next >= range.height() {
                        return None;
                    }
                    let cells = &range[*next];
                    let line = *first_line + *next as u64;
                    *next += 1;
                    let mut problems = Vec::new();
                    let cells = cells
                        .iter()
                        .enumerate()
                        .map(|(i, cell)| {
                            text_of(cell).unwrap_or_else(|problem| {
                                problems.push(problem.at(self.header.get(i).cloned().unwrap_or_default()));
                                String::new()
                            })
                        })
                        .collect();
                    Row { line, cells, problems }
                }
            };
            if row.cells.iter().all(|c| c.trim().is_empty()) && row.problems.is_empty() {
                continue;
            }
            return Some(Ok(row));
        }
    }
}

impl Row {
    /// Its cells as read, in the header's order.
    pub fn cells(&self) -> &[String] {
        &self.cells
    }

    /// The cell under `column` (trimmed; empty when the row has no such cell).
    pub fn get(&self, header: &[String], column: &str) -> String {
        header
            .iter()
            .position(|h| h == column)
            .and_then(|i| self.cells.get(i))
            .map(|c| c.trim().to_owned())
            .unwrap_or_default()
    }
}

fn unreadable_csv() -> FileError {
    FileError::new(
        "file_unreadable",
        "无法读取该 CSV 文件：请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重新上传",
    )
}

fn unreadable_line(line: u64) -> FileError {
    FileError::new("file_unreadable", format!("第 {line} 行无法读取：请检查该行的引号是否成对"))
}

fn names_expected(names: &[String], expected: &[&str]) -> bool {
    names.iter().any(|n| expected.iter().any(|e| n.eq_ignore_ascii_case(e)))
}

fn header_names(cells: &[Data]) -> Vec<String> {
    cells.iter().map(|c| text_of(c).unwrap_or_default().trim().to_owned()).collect()
}

fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A zip (.xlsx, .ods) or a compound document (.xls).
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// A file's text and the encoding it was found in: UTF-8 (a BOM is dropped), UTF-16 with
/// its BOM, or else GB18030 (GBK's superset). Bytes valid in none are refused.
pub fn decode(bytes: &[u8]) -> Result<(String, Source), FileError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|t| (t.to_owned(), Source::CsvUtf8Bom))
            .map_err(|_| not_decodable());
    }
    for (bom, encoding) in [(&b"\xFF\xFE"[..], UTF_16LE), (&b"\xFE\xFF"[..], UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return encoding
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|t| (t.into_owned(), Source::CsvUtf16))
                .ok_or_else(not_decodable);
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), Source::CsvUtf8));
    }
    GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| (t.into_owned(), Source::CsvGb18030))
        .ok_or_else(not_decodable)
}

fn not_decodable() -> FileError {
    FileError::new(
        "file_encoding",
        "无法识别文件的编码（支持 UTF-8、GBK、GB18030）：请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重新上传",
    )
}

/// A problem before it knows its column.
struct Problem {
    code: &'static str,
    message: &'static str,
}

impl Problem {
    fn at(self, column: String) -> CellProblem {
        CellProblem {
            column,
            code: self.code,
            message: self.message.into(),
        }
    }
}

/// Excel keeps 15 significant digits of a number: a longer one has lost its last digits.
const EXACT_DIGITS: f64 = 1e15;

/// A cell as the text the clerk typed: whole numbers without ".0", dates as YYYY-MM-DD,
/// a formula's value as Excel last computed it.
fn text_of(cell: &Data) -> Result<String, Problem> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < EXACT_DIGITS => format!("{f:.0}"),
        Data::Float(f) if f.abs() >= EXACT_DIGITS => {
            return Err(Problem {
                code: "cell_number_lost_digits",
                message: "该单元格是数字，Excel 只保留 15 位有效数字，身份证号、证书编号等长号码的末几位已丢失：请把这一列设为“文本”格式，重新输入后再导入",
            });
        }
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            if (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            }
        }
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => {
            return Err(Problem {
                code: "cell_error",
                message: "该单元格是公式错误（如 #N/A、#VALUE!）：请修正公式或改为直接输入的值后再导入",
            });
        }
    })
}

#[cfg(test)]
mod tests;

pub mod write;
