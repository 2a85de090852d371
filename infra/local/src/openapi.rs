//! The API document: every function's paths and schemas merged, with the bearer scheme.

use crate::functions::Function;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Ref, RefOr, ResponseBuilder};

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
    document_errors(&mut doc);
    doc
}

/// What every operation can answer besides its own responses, stated once here instead of
/// on each handler: errors are `application/problem+json`; a secured operation may answer
/// 401; one with a JSON body may answer 400 (empty or not JSON), 413 (too large) and 422
/// (a field's type or value).
fn document_errors(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for operation in [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch]
            .into_iter()
            .flatten()
        {
            for (status, response) in &mut operation.responses.responses {
                let is_error = status.starts_with('4') || status.starts_with('5');
                if let (true, RefOr::T(response)) = (is_error, response)
                    && let Some(content) = response.content.shift_remove("application/json")
                {
                    response.content.insert(PROBLEM.into(), content);
                }
            }
            let mut add = |status: &str, description: &str| {
                operation.responses.responses.entry(status.into()).or_insert_with(|| {
                    RefOr::T(
                        ResponseBuilder::new()
                            .description(description)
                            .content(
                                PROBLEM,
                                ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
                            )
                            .build(),
                    )
                });
            };
            if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
                add("401", "未登录，或登录已过期、已失效");
            }
            add("503", "服务暂不可用，本次操作未生效；按 Retry-After 稍后重试");
            if operation.request_body.is_some() {
                add("400", "请求内容为空或不是有效的 JSON");
                add("413", "请求内容过大");
                add("422", "提交的信息有误（逐项列出）");
            }
        }
    }
}

const PROBLEM: &str = "application/problem+json";

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
