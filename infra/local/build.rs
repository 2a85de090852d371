//! Derives the gateway's list of functions from the workspace: every crate under
//! functions/ whose lib declares its routes (`gongshi_http::routes!`) is mounted; the
//! scheduled functions (no routes) are not. Adding a function is adding its folder (and its
//! line in Cargo.toml, which Cargo needs); template.yaml stays the one route table.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read at run time: a build script compiled for one checkout may run for another
    // (one target directory shared by clones), so the path is not baked in.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let functions = Path::new(&manifest).join("../../functions");
    println!("cargo::rerun-if-changed={}", functions.display());
    let mut names: Vec<String> = std::fs::read_dir(&functions)
        .expect("functions/")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("Cargo.toml").is_file())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    names.sort();
    let mut code =
        String::from("/// All functions of this build that serve routes, by name.\npub fn all() -> Vec<Function> {\n    vec![\n");
    for name in &names {
        let lib = functions.join(name).join("src/lib.rs");
        println!("cargo::rerun-if-changed={}", lib.display());
        let source = std::fs::read_to_string(&lib).unwrap_or_default();
        if !source.contains("gongshi_http::routes!(") {
            continue;
        }
        let krate = format!("fn_{}", name.replace('-', "_"));
        let _ = writeln!(
            code,
            "        Function {{ name: {name:?}, handler: {krate}::handler, api: {krate}::Api::openapi(), clients: {krate}::CLIENTS }},"
        );
    }
    code.push_str("    ]\n}\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("functions.rs");
    std::fs::write(out, code).expect("write functions.rs");
}
