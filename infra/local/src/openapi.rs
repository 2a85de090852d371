//! The API document: every function's paths and schemas merged, with the bearer scheme.

use crate::functions::Function;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder};

/// The merged OpenAPI 3.1 document.
pub fn document(functions: &[Function]) -> OpenApi {
    let mut doc = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Gongshi 执业公示综合业务管理系统 API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Errors are application/problem+json (RFC 9457) with field-level errors; messages are Chinese.",
                ))
                .build(),
        )
        .components(Some(
            ComponentsBuilder::new()
                .security_scheme(
                    "bearer",
                    SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
                )
                .build(),
        ))
        .build();
    for function in functions {
        doc.merge(with_unique_operation_ids(function));
    }
    doc
}

/// The function's paths with operation ids prefixed by the function (`unit_list`,
/// `change_review_decide`): handler names repeat across functions, and generated clients key
/// operations by id.
fn with_unique_operation_ids(function: &Function) -> OpenApi {
    let mut api = function.api.clone();
    let prefix = function.name.replace('-', "_");
    for item in api.paths.paths.values_mut() {
        for operation in [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch]
            .into_iter()
            .flatten()
        {
            let id = operation.operation_id.clone().unwrap_or_default();
            operation.operation_id = Some(format!("{prefix}_{id}"));
        }
    }
    api
}
