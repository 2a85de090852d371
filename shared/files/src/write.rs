//! Workbooks written for the staff (rust_xlsxwriter): exports, import templates and error
//! reports. Every value is written as text where it is text (an ID number never becomes a
//! number, a value starting with `=` never becomes a formula: formula injection cannot
//! happen in a cell written as a string), the header is bold and frozen with a filter, and
//! marked cells (a report's bad cells) are filled red.

use rust_xlsxwriter::{Color, DataValidation, DataValidationErrorStyle, Format, FormatBorder, Formula, Workbook, Worksheet, XlsxError};

/// A column of a grid.
#[derive(Debug, Clone, Default)]
pub struct Column {
    /// Its header (the import's name, or a Chinese label for an export).
    pub header: String,
    /// Width in characters.
    pub width: f64,
    /// Formatted as text (ID and certificate numbers, codes), so what is typed stays as typed.
    pub text: bool,
    /// A drop-down of these values on the data rows (empty: none).
    pub choices: Vec<String>,
    /// Whether a value outside `choices` is refused (`true`) or only warned about.
    pub strict: bool,
    /// The hint shown when a cell of the column is selected (empty: none).
    pub hint: String,
}

impl Column {
    /// A text column of `width` characters.
    pub fn text(header: &str, width: f64) -> Self {
        Self {
            header: header.into(),
            width,
            text: true,
            ..Self::default()
        }
    }

    /// A column whose cells keep Excel's general format (dates, counts).
    pub fn general(header: &str, width: f64) -> Self {
        Self {
            header: header.into(),
            width,
            ..Self::default()
        }
    }
}

/// One sheet: columns, rows of text, cells to mark.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// The sheet's name.
    pub name: String,
    /// The columns.
    pub columns: Vec<Column>,
    /// The data rows (cells by column).
    pub rows: Vec<Vec<String>>,
    /// Cells to fill red: (data row, column), both from 0.
    pub marked: Vec<(usize, usize)>,
    /// Rows the drop-downs and text formats cover beyond the data (a template's empty rows).
    pub blank_rows: usize,
}

/// Excel allows 255 characters for a list written into the validation itself; a longer one
/// is kept on a hidden sheet and referred to.
const INLINE_LIST: usize = 255;

/// The grid as an .xlsx workbook.
pub fn xlsx(grid: &Grid) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_num_format("@");
    let marked = Format::new()
        .set_num_format("@")
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006));
    let last_row = (grid.rows.len() + grid.blank_rows).max(1) as u32;
    // Long lists go to a hidden sheet, one column each.
    let mut lists: Vec<(usize, &Column)> = Vec::new();
    {
        let sheet = book.add_worksheet();
        sheet.set_name(&grid.name)?;
        for (c, column) in grid.columns.iter().enumerate() {
            let col = c as u16;
            sheet.set_column_width(col, column.width)?;
            if column.text {
                sheet.set_column_format(col, &text)?;
            }
            sheet.write_string_with_format(0, col, &column.header, &header)?;
            if !column.choices.is_empty() || !column.hint.is_empty() {
                let validation = validation(column, lists.len())?;
                if column.choices.join(",").chars().count() > INLINE_LIST {
                    lists.push((c, column));
                }
                sheet.add_data_validation(1, col, last_row, col, &validation)?;
            }
        }
        for (r, row) in grid.rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                write_cell(sheet, r, c, value, grid.marked.contains(&(r, c)).then_some(&marked))?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        if !grid.columns.is_empty() {
            sheet.autofilter(0, 0, grid.rows.len().max(1) as u32, (grid.columns.len() - 1) as u16)?;
        }
    }
    if !lists.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name("选项")?;
        for (i, (_, column)) in lists.iter().enumerate() {
            sheet.write_string(0, i as u16, &column.header)?;
            for (r, choice) in column.choices.iter().enumerate() {
                sheet.write_string(r as u32 + 1, i as u16, choice)?;
            }
        }
        sheet.set_hidden(true);
    }
    book.save_to_buffer()
}

fn write_cell(sheet: &mut Worksheet, r: usize, c: usize, value: &str, format: Option<&Format>) -> Result<(), XlsxError> {
    let (row, col) = (r as u32 + 1, c as u16);
    match format {
        Some(format) => sheet.write_string_with_format(row, col, value, format)?,
        None => sheet.write_string(row, col, value)?,
    };
    Ok(())
}

fn validation(column: &Column, list_index: usize) -> Result<DataValidation, XlsxError> {
    let mut validation = if column.choices.is_empty() {
        DataValidation::new().allow_any_value()
    } else if column.choices.join(",").chars().count() > INLINE_LIST {
        let letter = (b'A' + list_index as u8) as char;
        let range = format!("=选项!${letter}$2:${letter}${}", column.choices.len() + 1);
        DataValidation::new().allow_list_formula(Formula::new(range))
    } else {
        DataValidation::new().allow_list_strings(&column.choices)?
    };
    if !column.choices.is_empty() && !column.strict {
        validation = validation.set_error_style(DataValidationErrorStyle::Warning);
    }
    if !column.hint.is_empty() {
        validation = validation
            .set_input_title(column.header.clone())?
            .set_input_message(column.hint.clone())?;
    }
    Ok(validation.ignore_blank(true))
}

/// A CSV cell: quoted when needed; a leading formula character is neutralised so a
/// spreadsheet does not run it.
pub fn csv_cell(value: &str) -> String {
    let safe = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if safe.contains([',', '"', '\n']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}
