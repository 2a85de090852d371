//! Every function crate the gateway can mount, by its binary name, with the routes its
//! OpenAPI annotations declare: the list is derived from functions/ (build.rs).

use gongshi_http::Handler;
use utoipa::OpenApi;

/// A mountable function.
pub struct Function {
    /// Binary name, as in template.yaml.
    pub name: &'static str,
    /// Its handler.
    pub handler: Handler,
    /// Its part of the API document.
    pub api: utoipa::openapi::OpenApi,
    /// The AWS clients its binary builds (the gateway itself builds all of them).
    pub clients: gongshi_platform::aws::Clients,
}

// `all()`: every function crate that declares routes, derived from functions/ by build.rs.
include!(concat!(env!("OUT_DIR"), "/functions.rs"));

/// The route keys (`METHOD /path`) a function declares in its OpenAPI annotations.
pub fn declared_routes(function: &Function) -> Vec<String> {
    let mut keys = Vec::new();
    for (path, item) in &function.api.paths.paths {
        let methods = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("DELETE", item.delete.is_some()),
            ("PATCH", item.patch.is_some()),
        ];
        keys.extend(methods.iter().filter(|(_, present)| *present).map(|(m, _)| format!("{m} {path}")));
    }
    keys.sort();
    keys
}
