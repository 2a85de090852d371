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
    let mut routes = Vec::new();
    for (name, binary, resource) in functions(&parse(template)?)? {
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

/// The actions each function's policy statements allow, by binary name: what its role may
/// do deployed (the tests check every table call a request makes against them).
pub fn allowed_actions(template: &str) -> Result<std::collections::HashMap<String, std::collections::BTreeSet<String>>, String> {
    let mut allowed = std::collections::HashMap::new();
    for (_, binary, resource) in functions(&parse(template)?)? {
        let mut actions = std::collections::BTreeSet::new();
        let policies = resource
            .get("Properties")
            .and_then(|p| p.get("Policies"))
            .and_then(Value::as_sequence);
        for policy in policies.into_iter().flatten() {
            let statements = policy.get("Statement").and_then(Value::as_sequence);
            for statement in statements.into_iter().flatten() {
                if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
                    continue;
                }
                match statement.get("Action") {
                    Some(Value::String(action)) => {
                        actions.insert(action.clone());
                    }
                    Some(Value::Sequence(list)) => actions.extend(list.iter().filter_map(Value::as_str).map(str::to_owned)),
                    _ => {}
                }
            }
        }
        allowed.insert(binary.to_owned(), actions);
    }
    Ok(allowed)
}

fn parse(template: &str) -> Result<Value, String> {
    serde_yaml::from_str(template).map_err(|e| format!("template.yaml is not valid YAML: {e}"))
}

/// Every `AWS::Serverless::Function` of the template: its logical name, its cargo-lambda
/// binary (`Metadata.BuildProperties.Binary`) and the resource.
fn functions(doc: &Value) -> Result<Vec<(&str, &str, &Value)>, String> {
    let resources = doc
        .get("Resources")
        .and_then(Value::as_mapping)
        .ok_or("template.yaml has no Resources")?;
    let mut functions = Vec::new();
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
        functions.push((name, binary, resource));
    }
    Ok(functions)
}
