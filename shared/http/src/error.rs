//! The one error type of the HTTP layer and its problem+json representation.

use gongshi_core::FieldError;
use gongshi_store::StoreError;
use gongshi_workflow::Error as WorkflowError;
use lambda_http::{Body, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An expected failure, answered with a problem+json body. Only `Internal` is a bug: it is
/// logged with the request id and answered with a generic message.
#[derive(Debug)]
pub enum ApiError {
    /// 422: fields refused; nothing was stored.
    Invalid(Vec<FieldError>),
    /// 422 with its own code and message and no field to point at (e.g. details that do not
    /// match the records, where naming a field would give information away).
    Unprocessable(&'static str, String),
    /// 400: the request cannot be read at all.
    BadRequest(&'static str, String),
    /// 401: not logged in, or the token is no longer good.
    Unauthorized(&'static str, String),
    /// 403: logged in, but not allowed.
    Forbidden(&'static str, String),
    /// 404: absent, or not the caller's to see (existence is not revealed).
    NotFound(&'static str, String),
    /// 409: a duplicate, a lost race or a late request; nothing was changed.
    Conflict(&'static str, String),
    /// 413: body or file too large.
    TooLarge(String),
    /// 415: a body that is not of the route's media type (JSON routes take only
    /// `application/json`, so no cross-site form can reach them without a preflight).
    UnsupportedMediaType(String),
    /// 429: too many attempts; retry after the given seconds.
    TooManyRequests(&'static str, String, u64),
    /// 503: a dependency (the table, the blob store) is unavailable or throttled; nothing
    /// was changed and the same request may be retried after `Retry-After` (the detail is
    /// logged with the request id, never sent).
    Unavailable(String),
    /// 500: a bug or damaged data (the detail is logged, never sent).
    Internal(String),
}

/// Seconds a client waits before retrying a 503.
pub const RETRY_AFTER_UNAVAILABLE: u64 = 2;

impl ApiError {
    /// One refused field.
    pub fn field(field: &str, code: &str, message: &str) -> Self {
        Self::Invalid(vec![FieldError::new(field, code, message)])
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            Self::Invalid(_) | Self::Unprocessable(..) => 422,
            Self::BadRequest(..) => 400,
            Self::Unauthorized(..) => 401,
            Self::Forbidden(..) => 403,
            Self::NotFound(..) => 404,
            Self::Conflict(..) => 409,
            Self::TooLarge(_) => 413,
            Self::UnsupportedMediaType(_) => 415,
            Self::TooManyRequests(..) => 429,
            Self::Unavailable(_) => 503,
            Self::Internal(_) => 500,
        }
    }

    /// The problem document sent to the client.
    pub fn problem(&self, request_id: &str) -> Problem {
        let (code, title, detail, errors) = match self {
            Self::Invalid(errors) => (
                "validation_failed",
                "提交的信息有误",
                errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("；"),
                errors.clone(),
            ),
            Self::Unprocessable(code, detail) => (*code, "无法处理", detail.clone(), vec![]),
            Self::BadRequest(code, detail) => (*code, "请求格式错误", detail.clone(), vec![]),
            Self::Unauthorized(code, detail) => (*code, "未登录或登录已失效", detail.clone(), vec![]),
            Self::Forbidden(code, detail) => (*code, "无权操作", detail.clone(), vec![]),
            Self::NotFound(code, detail) => (*code, "未找到", detail.clone(), vec![]),
            Self::Conflict(code, detail) => (*code, "操作冲突", detail.clone(), vec![]),
            Self::TooLarge(detail) => ("too_large", "内容过大", detail.clone(), vec![]),
            Self::UnsupportedMediaType(detail) => ("unsupported_media_type", "内容类型不支持", detail.clone(), vec![]),
            Self::TooManyRequests(code, detail, _) => (*code, "操作过于频繁", detail.clone(), vec![]),
            Self::Unavailable(_) => (
                "service_unavailable",
                "服务暂不可用",
                "系统暂时无法处理请求，本次操作未生效，请稍后重试".to_owned(),
                vec![],
            ),
            Self::Internal(_) => ("internal_error", "系统繁忙", "系统暂时无法处理请求，请稍后再试".to_owned(), vec![]),
        };
        Problem {
            r#type: format!("/problems/{code}"),
            title: title.to_owned(),
            status: self.status(),
            detail,
            code: code.to_owned(),
            errors,
            request_id: request_id.to_owned(),
        }
    }

    /// The response; internal details are logged here and nowhere sent.
    pub fn into_response(self, request_id: &str) -> Response<Body> {
        match &self {
            Self::Internal(detail) => tracing::error!(request_id, failure = "internal", error = %detail, "request failed"),
            Self::Unavailable(detail) => tracing::error!(request_id, failure = "unavailable", error = %detail, "request failed"),
            _ => {}
        }
        let problem = self.problem(request_id);
        let mut builder = Response::builder()
            .status(problem.status)
            .header("content-type", "application/problem+json");
        match &self {
            Self::TooManyRequests(_, _, retry_after) => builder = builder.header("retry-after", retry_after.to_string()),
            Self::Unavailable(_) => builder = builder.header("retry-after", RETRY_AFTER_UNAVAILABLE.to_string()),
            _ => {}
        }
        let body = serde_json::to_string(&problem).unwrap_or_default();
        builder.body(Body::Text(body)).unwrap_or_default()
    }
}

impl From<WorkflowError> for ApiError {
    fn from(error: WorkflowError) -> Self {
        match error {
            WorkflowError::Invalid(errors) => Self::Invalid(errors),
            WorkflowError::Unprocessable(code, detail) => Self::Unprocessable(code, detail),
            WorkflowError::NotFound(code, detail) => Self::NotFound(code, detail),
            WorkflowError::Conflict(code, detail) => Self::Conflict(code, detail),
            WorkflowError::TooLarge(detail) => Self::TooLarge(detail),
            WorkflowError::TooManyRequests(code, detail, after) => Self::TooManyRequests(code, detail, after),
            WorkflowError::Unavailable(detail) => Self::Unavailable(detail),
            WorkflowError::Internal(detail) => Self::Internal(detail),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        WorkflowError::from(error).into()
    }
}

impl From<gongshi_platform::TableError> for ApiError {
    fn from(error: gongshi_platform::TableError) -> Self {
        WorkflowError::from(error).into()
    }
}

impl From<gongshi_platform::NotifyError> for ApiError {
    fn from(error: gongshi_platform::NotifyError) -> Self {
        WorkflowError::from(error).into()
    }
}

impl From<gongshi_platform::BlobError> for ApiError {
    fn from(error: gongshi_platform::BlobError) -> Self {
        WorkflowError::from(error).into()
    }
}

/// RFC 9457 problem details, with field errors and the request id.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    pub r#type: String,
    /// Short Chinese summary.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// Chinese explanation for the user.
    pub detail: String,
    /// Stable machine-readable code.
    pub code: String,
    /// Field-level errors (422).
    pub errors: Vec<FieldError>,
    /// Quote this when reporting a problem.
    pub request_id: String,
}
