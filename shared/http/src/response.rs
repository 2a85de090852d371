//! The one way to build a response.

use crate::{ApiError, request};
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use std::future::Future;

/// A JSON response.
pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response<Body>, ApiError> {
    let text = serde_json::to_string(body).map_err(|e| ApiError::Internal(e.to_string()))?;
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("cache-control", "no-store")
        .body(Body::Text(text))
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// 204 No Content.
pub fn no_content() -> Result<Response<Body>, ApiError> {
    Response::builder()
        .status(204)
        .body(Body::Empty)
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// Runs a route's use case and turns its error, if any, into a problem response carrying
/// the request id. Every function's `handle` ends here.
pub async fn respond(req: &Request, work: impl Future<Output = Result<Response<Body>, ApiError>>) -> Response<Body> {
    let request_id = request::request_id(req);
    let route = request::route_key(req);
    let response = match work.await {
        Ok(response) => response,
        Err(error) => error.into_response(&request_id),
    };
    tracing::info!(request_id, route, status = response.status().as_u16(), "request");
    response
}
