//! Writes a CSV (any encoding the imports read) as an .xlsx workbook of text cells, for the
//! import benchmark's registry from Excel (`scripts/bench`):
//!
//!     cargo run --release -p gongshi-files --example csv_to_xlsx -- IN.csv OUT.xlsx

use gongshi_files::Sheet;
use gongshi_files::write::{Column, Grid, xlsx};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = &args[..] else {
        return Err("usage: csv_to_xlsx IN.csv OUT.xlsx".into());
    };
    let mut sheet = Sheet::read(std::fs::read(input)?, &[], None)?;
    let mut grid = Grid {
        name: "人员库".into(),
        columns: sheet.header.iter().map(|h| Column::text(h, 16.0)).collect(),
        ..Grid::default()
    };
    while let Some(row) = sheet.next_row() {
        grid.rows.push(row?.cells().to_vec());
    }
    std::fs::write(output, xlsx(&grid)?)?;
    println!("rows={}", grid.rows.len());
    Ok(())
}
