//! The practitioner registry import (F22): any bytes as a CSV file, read the way the import
//! reads it (headers by name, flexible rows, trimmed), each row parsed: refused with named
//! fields or accepted, never a panic; an accepted row is consistent.
#![no_main]
use gongshi_core::registry;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let today = time::macros::date!(2026 - 11 - 27);
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes);
    let Ok(headers) = reader.headers().cloned() else { return };
    for record in reader.records().take(1000) {
        let Ok(record) = record else { continue };
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .to_owned()
        };
        match registry::parse_row(&get, today) {
            Ok(row) => {
                assert!(!row.item.certificate_no.is_empty() && !row.item.code.is_empty());
                assert!(row.item.valid_until >= row.item.issued_on);
            }
            Err(errors) => {
                assert!(!errors.is_empty());
                assert!(errors.iter().all(|e| !e.field.is_empty() && !e.message.is_empty()));
            }
        }
    }
});
