//! Each function's `CLIENTS` names every AWS client its code can reach, also on paths no API
//! test takes (tests/support/clients.rs checks the paths the tests take). A port is reached
//! through `platform.blobs` / `.sms` / `.mail` in the function's own code or through one of
//! the shared helpers below.

use gongshi_platform::aws::Clients;
use std::path::Path;

/// The shared use cases (shared/workflow) that use a port, with the port.
const HELPERS: &[(&str, &str)] = &[
    ("uploads::presign(", "blobs"),
    ("uploads::complete(", "blobs"),
    ("download_url(", "blobs"),
    ("document_link(", "blobs"),
    ("document_links(", "blobs"),
    ("expire_if_due(", "sms"),
    ("expiry::sweep(", "sms"),
    ("notify::outcome(", "sms"),
    ("notify::previous_unit(", "sms"),
    ("publicity::decide(", "sms"),
    ("publicity::send_back(", "sms"),
    ("publicity::send_back(", "mail"),
    ("changes::decide(", "sms"),
    ("look_up(", "sms"),
    ("appeals::decide(", "sms"),
    ("appeals::decide(", "mail"),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace")
}

fn source(dir: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            text.push_str(&std::fs::read_to_string(&path).expect("read"));
        }
    }
    text
}

fn ports_reached(code: &str) -> Vec<&'static str> {
    let direct = [("blobs", ".blobs"), ("sms", ".sms"), ("mail", ".mail")];
    let mut ports: Vec<&str> = direct
        .iter()
        .filter(|(_, field)| {
            code.match_indices(field)
                .any(|(at, _)| !code[at + field.len()..].starts_with(|c: char| c == '_' || c.is_alphanumeric()))
        })
        .map(|(port, _)| *port)
        .chain(HELPERS.iter().filter(|(call, _)| code.contains(call)).map(|(_, port)| *port))
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports
}

#[test]
fn every_function_builds_the_clients_its_code_reaches() {
    let uses = |dir: &str| {
        let code = source(&root().join(dir));
        (
            code.matches("p.sms").count(),
            code.matches(".blobs").count(),
            code.matches(".mail").count(),
        )
    };
    // The HTTP glue reaches no port; a new use of a port in the workflow is a new helper for
    // the list above.
    assert_eq!(
        uses("shared/http/src"),
        (0, 0, 0),
        "shared/http reaches no port: move the use into shared/workflow"
    );
    assert_eq!(
        uses("shared/workflow/src"),
        (6, 8, 3),
        "shared/workflow uses a port in a new place: add the use case to HELPERS in tests/api/clients.rs"
    );
    let mut declared: Vec<(&str, Clients)> = gongshi_local::functions::all().iter().map(|f| (f.name, f.clients)).collect();
    declared.extend([
        ("application-expiry", fn_application_expiry::CLIENTS),
        ("reminders", fn_reminders::CLIENTS),
        ("ttl-stream", fn_ttl_stream::CLIENTS),
    ]);
    let functions = std::fs::read_dir(root().join("functions")).expect("functions").count();
    assert_eq!(declared.len(), functions, "every function is checked");
    for (name, clients) in declared {
        let reached = ports_reached(&source(&root().join("functions").join(name).join("src")));
        let built = clients.ports();
        let missing: Vec<&str> = reached.iter().copied().filter(|port| !built.contains(port)).collect();
        assert!(
            missing.is_empty(),
            "{name} can reach {missing:?} but its CLIENTS builds {clients:?}"
        );
    }
}
