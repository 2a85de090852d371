//! Reads the routes of `template.yaml`: every `AWS::Serverless::Function` with its
//! cargo-lambda binary name and its `HttpApi` events.

use serde_yaml::Value;

/// The SAM template this build was made with.
pub const TEMPLATE: &str = include_str!("../../../template.yaml");

/// One HTTP route of one function.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    /// `GET`, `POST`, …
    pub method: String,
    /// API Gateway path, with `{param}` segments.
    pub path: String,
    /// The function's binary name (`Metadata.BuildProperties.Binary`).
    pub function: String,
}

impl Route {
    /// `POST /api/v1/registrations`, API Gateway's route key.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The routes of a template, sorted.
pub fn routes(template: &str) -> Result<Vec<Route>, String> {
    let doc: Value = serde_yaml::from_str(template).map_err(|e| format!("template.yaml is not valid YAML: {e}"))?;
    let resources = doc
        .get("Resources")
        .and_then(Value::as_mapping)
        .ok_or("template.yaml has no Resources")?;
    let mut routes = Vec::new();
    for (name, resource) in resources {
        if resource.get("Type").and_then(Value::as_str) != Some("AWS::Serverless::Function") {
            continue;
        }
        let name = name.as_str().unwrap_or("?");
        let binary = resource
            .get("Metadata")
            .and_then(|m| m.get("BuildProperties"))
            .and_then(|b| b.get("Binary"))
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{name}: Metadata.BuildProperties.Binary is missing"))?;
        let events = resource.get("Properties").and_then(|p| p.get("Events")).and_then(Value::as_mapping);
        for (_, event) in events.into_iter().flatten() {
            if event.get("Type").and_then(Value::as_str) != Some("HttpApi") {
                continue;
            }
            let props = event.get("Properties");
            let method = props
                .and_then(|p| p.get("Method"))
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{name}: an HttpApi event lacks Method"))?;
            let path = props
                .and_then(|p| p.get("Path"))
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{name}: an HttpApi event lacks Path"))?;
            routes.push(Route {
                method: method.to_ascii_uppercase(),
                path: path.to_owned(),
                function: binary.to_owned(),
            });
        }
    }
    routes.sort();
    Ok(routes)
}
