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
        doc.merge(function.api.clone());
    }
    doc
}
