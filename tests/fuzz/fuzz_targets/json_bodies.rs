//! JSON request bodies: any bytes through the body parser every handler uses, into a value
//! and into a body of the shapes the API takes (text, choices, numbers, lists of objects,
//! optional fields): a clear refusal naming a field, never a panic.
#![no_main]
use gongshi_core::body::{BodyError, parse_json};
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Submission {
    id_number: String,
    name: String,
    kind: Kind,
    clause_version: u32,
    clauses_confirmed: bool,
    certificate_no: Option<String>,
    items: Option<Vec<Item>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Initial,
    Change,
    Renewal,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Item {
    code: String,
    valid_until: Option<String>,
}

fuzz_target!(|bytes: &[u8]| {
    let limit = 64 * 1024;
    let _ = parse_json::<serde_json::Value>(bytes, limit);
    if let Err(BodyError::Invalid(errors)) = parse_json::<Submission>(bytes, limit) {
        assert!(!errors.is_empty());
        assert!(errors.iter().all(|e| !e.field.is_empty() && !e.code.is_empty()));
    }
});
