//! Keys and entity names are built only in shared/store: no other code writes a string
//! that starts with a key prefix (`UNIT#`, `APP#`, …), so the table's layout can change in
//! one crate.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace")
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The string literals of `code` that begin with an upper-case word and `#` (a key prefix).
fn key_prefixes(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices('"') {
        let rest = &code[at + 1..];
        let word: String = rest.chars().take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit()).collect();
        if word.len() >= 2 && word.starts_with(|c: char| c.is_ascii_uppercase()) && rest[word.len()..].starts_with('#') {
            found.push(format!("{word}#"));
        }
    }
    found
}

#[test]
fn key_prefixes_are_written_only_in_shared_store() {
    let mut files = Vec::new();
    for dir in ["functions", "shared/core/src", "shared/http/src", "shared/workflow/src", "infra"] {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(files.len() > 40, "the sources were found: {}", files.len());
    let mut offenders = Vec::new();
    for file in &files {
        let code = std::fs::read_to_string(file).expect("read");
        for prefix in key_prefixes(&code) {
            offenders.push(format!("{}: {prefix}", file.strip_prefix(root()).unwrap_or(file).display()));
        }
    }
    assert!(
        offenders.is_empty(),
        "key prefixes outside shared/store (build the key or entity name in gongshi_store): {offenders:#?}"
    );
}

#[test]
fn the_prefix_finder_finds_what_it_looks_for() {
    assert_eq!(
        key_prefixes(r#"let k = format!("UNIT#{id}"); let s = "QUAL#";"#),
        ["UNIT#", "QUAL#"]
    );
    assert!(key_prefixes(r##"let s = "单位#"; let t = "a#b"; let u = "#x";"##).is_empty());
}
