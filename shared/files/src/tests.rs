use super::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

const EXPECTED: &[&str] = &["id_number", "name", "mobile"];

fn rows(mut sheet: Sheet) -> Vec<(u64, Vec<String>, Vec<&'static str>)> {
    let header = sheet.header.clone();
    let mut out = Vec::new();
    while let Some(row) = sheet.next_row() {
        let row = row.expect("row");
        out.push((
            row.line,
            EXPECTED.iter().map(|c| row.get(&header, c)).collect(),
            row.problems.iter().map(|p| p.code).collect(),
        ));
    }
    out
}

const CSV: &str = "id_number,name,mobile\n11010519491231002X,张三丰,13800138000\n440524188001010014,欧阳𡇙,13900139000\n";

#[test]
fn a_gbk_csv_from_excel_on_chinese_windows_keeps_its_names() {
    // GBK has no 𡇙: Excel's GBK CSV holds the rest; the GB18030 file below holds it too.
    let text = CSV.replace('𡇙', "娜");
    let (bytes, _, lossy) = encoding_rs::GBK.encode(&text);
    assert!(!lossy);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "not UTF-8: detection must not read it as such"
    );
    let sheet = Sheet::read(bytes.into_owned(), EXPECTED, None).expect("read");
    assert_eq!(sheet.source, Source::CsvGb18030);
    let read = rows(sheet);
    assert_eq!(read[0].1, ["11010519491231002X", "张三丰", "13800138000"]);
    assert_eq!(read[1].1[1], "欧阳娜");
    assert_eq!((read[0].0, read[1].0), (2, 3), "lines as the clerk counts them");
}

#[test]
fn a_gb18030_csv_keeps_a_character_gbk_lacks() {
    let (bytes, _, lossy) = GB18030.encode(CSV);
    assert!(!lossy);
    let sheet = Sheet::read(bytes.into_owned(), EXPECTED, None).expect("read");
    assert_eq!(sheet.source, Source::CsvGb18030);
    assert_eq!(rows(sheet)[1].1[1], "欧阳𡇙");
}

#[test]
fn utf8_with_and_without_bom_and_utf16_read_alike() {
    let plain = Sheet::read(CSV.as_bytes().to_vec(), EXPECTED, None).expect("utf-8");
    assert_eq!(plain.source, Source::CsvUtf8);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(CSV.as_bytes());
    let with_bom = Sheet::read(bom, EXPECTED, None).expect("bom");
    assert_eq!(with_bom.source, Source::CsvUtf8Bom);
    assert_eq!(
        with_bom.header,
        ["id_number", "name", "mobile"],
        "the BOM is not part of the first name"
    );
    // Excel's "Unicode 文本": UTF-16LE with a BOM, tab-separated.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(CSV.replace(',', "\t").encode_utf16().flat_map(u16::to_le_bytes));
    let unicode = Sheet::read(utf16, EXPECTED, None).expect("utf-16");
    assert_eq!(unicode.source, Source::CsvUtf16);
    let expected = rows(plain);
    assert_eq!(rows(with_bom), expected);
    assert_eq!(rows(unicode), expected);
}

#[test]
fn bytes_valid_in_no_encoding_are_refused_with_what_to_do() {
    let error = Sheet::read(b"id_number,name\n\x80\x80,\xff\n".to_vec(), EXPECTED, None)
        .err()
        .expect("refused");
    assert_eq!(error.code, "file_encoding");
    assert!(error.message.contains("另存为"), "{}", error.message);
}

#[test]
fn a_title_row_above_the_header_and_blank_rows_are_skipped() {
    let text = "执业人员名册（2026年12月）,,\n,,\nid_number,name,mobile\n11010519491231002X,张三丰,13800138000\n,,\n\n";
    let read = rows(Sheet::read(text.as_bytes().to_vec(), EXPECTED, None).expect("read"));
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].0, 4);
}

#[test]
fn a_file_without_any_expected_column_keeps_its_first_row_as_the_header_and_every_other_row() {
    let text = "a,b\n1,2\n3,4\n";
    let mut sheet = Sheet::read(text.as_bytes().to_vec(), EXPECTED, None).expect("read");
    assert_eq!(sheet.header, ["a", "b"]);
    let mut lines = Vec::new();
    while let Some(row) = sheet.next_row() {
        lines.push(row.expect("row").line);
    }
    assert_eq!(lines, [2, 3]);
}

/// A workbook as a clerk makes it: a title row, text and numeric IDs, a mobile typed as a
/// number, a date cell, a formula with its cached value, shared strings, empty rows after.
fn workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("名册").expect("name");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_string(0, 0, "执业人员名册").expect("title");
    for (col, name) in ["id_number", "name", "mobile", "valid_until", "item"].iter().enumerate() {
        sheet.write_string(1, col as u16, *name).expect("header");
    }
    sheet.write_string(2, 0, "11010519491231002X").expect("text id");
    sheet.write_string(2, 1, "张三丰").expect("name");
    sheet.write_number(2, 2, 13_800_138_000.0).expect("mobile as a number");
    let until = ExcelDateTime::from_ymd(2029, 12, 31).expect("date");
    sheet.write_datetime_with_format(2, 3, &until, &date).expect("date");
    sheet
        .write_formula(2, 4, Formula::new("=\"RQ-\"&1").set_result("RQ-1"))
        .expect("formula");
    // An ID typed into a number cell: Excel keeps 440524188001010000.
    sheet.write_number(3, 0, 440_524_188_001_010_014.0).expect("numeric id");
    sheet.write_string(3, 1, "张三丰").expect("shared string");
    sheet.write_string(6, 1, " ").expect("a blank row below");
    book.save_to_buffer().expect("xlsx")
}

#[test]
fn a_workbook_is_read_as_excel_shows_it_and_a_damaged_number_is_reported() {
    let sheet = Sheet::read(workbook(), &["id_number", "name", "mobile", "valid_until", "item"], None).expect("read");
    assert_eq!(sheet.source, Source::Workbook);
    assert_eq!(sheet.header, ["id_number", "name", "mobile", "valid_until", "item"]);
    let header = sheet.header.clone();
    let mut sheet = sheet;
    let first = sheet.next_row().expect("row").expect("ok");
    assert_eq!(first.line, 3, "the sheet's row number");
    let cells: Vec<String> = header.iter().map(|c| first.get(&header, c)).collect();
    assert_eq!(cells, ["11010519491231002X", "张三丰", "13800138000", "2029-12-31", "RQ-1"]);
    assert!(first.problems.is_empty());
    let second = sheet.next_row().expect("row").expect("ok");
    assert_eq!(second.line, 4);
    assert_eq!(second.get(&header, "id_number"), "", "never passed on as if it were right");
    assert_eq!(
        second.problems.iter().map(|p| (p.column.as_str(), p.code)).collect::<Vec<_>>(),
        [("id_number", "cell_number_lost_digits")]
    );
    assert!(second.problems[0].message.contains("文本"));
    assert!(sheet.next_row().is_none(), "the blank row is not a row");
}

#[test]
fn a_named_sheet_is_read_and_a_missing_one_is_refused_with_the_sheets_there() {
    let sheet = Sheet::read(workbook(), EXPECTED, Some("名册")).expect("named");
    assert_eq!(sheet.header[0], "id_number");
    let missing = Sheet::read(workbook(), EXPECTED, Some("人员")).err().expect("refused");
    assert_eq!(missing.code, "sheet_not_found");
    assert!(missing.message.contains("名册"), "{}", missing.message);
}

#[test]
fn a_damaged_workbook_is_refused_not_read_as_csv() {
    let mut bytes = workbook();
    bytes.truncate(200);
    let error = Sheet::read(bytes, EXPECTED, None).err().expect("refused");
    assert_eq!(error.code, "file_unreadable");
}

#[test]
fn a_written_grid_reads_back_as_text_with_formulas_inert() {
    use crate::write::{Column, Grid, xlsx};
    let long: Vec<String> = (0..80).map(|i| format!("RQ-{i}")).collect();
    let grid = Grid {
        name: "导出".into(),
        columns: vec![
            Column::text("id_number", 22.0),
            Column {
                choices: vec!["有效".into(), "注销".into()],
                strict: true,
                ..Column::text("status", 10.0)
            },
            Column {
                choices: long,
                ..Column::text("item_code", 12.0)
            },
        ],
        rows: vec![
            vec!["11010519491231002X".into(), "有效".into(), "RQ-1".into()],
            vec!["=HYPERLINK(\"http://x\")".into(), "注销".into(), "0012".into()],
        ],
        marked: vec![(1, 0)],
        blank_rows: 100,
    };
    let bytes = xlsx(&grid).expect("xlsx");
    let mut sheet = Sheet::read(bytes, &["id_number"], Some("导出")).expect("read back");
    assert_eq!(sheet.header, ["id_number", "status", "item_code"]);
    let header = sheet.header.clone();
    let first = sheet.next_row().expect("row").expect("ok");
    assert_eq!(first.get(&header, "id_number"), "11010519491231002X");
    let second = sheet.next_row().expect("row").expect("ok");
    assert_eq!(
        second.get(&header, "id_number"),
        "=HYPERLINK(\"http://x\")",
        "a string, not a formula"
    );
    assert_eq!(second.get(&header, "item_code"), "0012", "leading zeros kept");
    assert!(sheet.next_row().is_none());
}

#[test]
fn a_csv_cell_neutralises_a_formula_and_quotes_when_needed() {
    use crate::write::csv_cell;
    assert_eq!(csv_cell("=1+1"), "'=1+1");
    assert_eq!(csv_cell("a,b"), "\"a,b\"");
    assert_eq!(csv_cell("他说\"好\""), "\"他说\"\"好\"\"\"");
    assert_eq!(csv_cell("张三"), "张三");
}

/// The sheet's XML of a written workbook.
fn sheet_xml(bytes: &[u8], n: usize) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .expect("sheet")
        .read_to_string(&mut xml)
        .expect("xml");
    xml
}

#[test]
fn a_template_offers_its_choices_as_drop_downs_short_inline_and_long_on_a_hidden_sheet() {
    use crate::write::{Column, Grid, xlsx};
    let grid = Grid {
        name: "人员库".into(),
        columns: vec![
            Column {
                choices: vec!["有效".into(), "注销".into()],
                strict: true,
                hint: "状态".into(),
                ..Column::text("status", 10.0)
            },
            Column {
                choices: (0..80).map(|i| format!("RQ-{i}")).collect(),
                ..Column::text("item_code", 12.0)
            },
        ],
        rows: vec![],
        marked: vec![],
        blank_rows: 1000,
    };
    let bytes = xlsx(&grid).expect("xlsx");
    let xml = sheet_xml(&bytes, 1);
    assert!(xml.contains("<formula1>\"有效,注销\"</formula1>"), "{xml}");
    assert!(xml.contains("sqref=\"A2:A1001\""), "the template's empty rows are covered: {xml}");
    assert!(xml.contains("选项!$A$2:$A$81"), "the long list is referred to: {xml}");
    assert!(xml.contains("errorStyle=\"warning\""), "a new item code is only warned about");
    let mut hidden = Sheet::read(bytes, &["item_code"], Some("选项")).expect("the options sheet");
    let header = hidden.header.clone();
    assert_eq!(hidden.next_row().expect("row").expect("ok").get(&header, "item_code"), "RQ-0");
    let mut count = 1;
    while hidden.next_row().is_some() {
        count += 1;
    }
    assert_eq!(count, 80, "every choice is there");
}

#[test]
fn lines_are_counted_alike_with_windows_line_endings() {
    let crlf = CSV.replace('\n', "\r\n");
    let read = rows(Sheet::read(crlf.into_bytes(), EXPECTED, None).expect("read"));
    assert_eq!((read[0].0, read[1].0), (2, 3), "Excel writes CRLF: the lines the clerk counts");
    let titled = "名册,,\r\nid_number,name,mobile\r\n11010519491231002X,张三丰,13800138000\r\n";
    assert_eq!(rows(Sheet::read(titled.as_bytes().to_vec(), EXPECTED, None).expect("read"))[0].0, 3);
}
