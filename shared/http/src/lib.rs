//! The HTTP layer shared by every function: the one error type and its problem+json
//! response (RFC 9457), JSON bodies with a size limit, route keys and path parameters of
//! API Gateway v2 requests, JWT access tokens and the authenticated [`Caller`], the API views
//! that several functions return, and the Lambda entry point.

pub mod applications;
pub mod auth;
pub mod error;
pub mod forms;
pub mod lambda;
pub mod request;
pub mod response;
pub mod review;
pub mod routing;
pub mod uploads;
pub mod views;

pub use auth::{Caller, CallerRole, authenticate};
pub use error::{ApiError, Problem};
pub use lambda_http::{Body, Request, Response};
pub use request::{json_body, path_param, query_param, route_key};
pub use response::{json, no_content, respond};

use gongshi_platform::Platform;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// The response future of a function's handler.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Response<Body>> + Send>>;

/// A function's entry point: the same in Lambda (`main.rs`) and in the local gateway.
pub type Handler = fn(Arc<Platform>, Request) -> HandlerFuture;
