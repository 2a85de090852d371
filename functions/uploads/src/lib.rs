//! Uploads through presigned URLs for logged-in users and registrants: the browser asks for
//! a URL (type and size are checked first), PUTs the file straight to the blob store, then
//! reports completion; only then are the stored bytes checked (size and magic bytes) and the
//! upload becomes usable. The checks live in `gongshi_http::uploads`, shared with appeals.

use gongshi_http::auth::authenticate_with;
use gongshi_http::uploads::{PresignedUpload, UploadRequest, UploadView};
use gongshi_http::{ApiError, Body, Problem, Request, Response, authenticate, json, json_body, path_param};
use gongshi_platform::Platform;
use gongshi_workflow::uploads;

gongshi_http::routes!(presign, complete);

/// The AWS clients this function builds and links besides DynamoDB's.
pub const CLIENTS: gongshi_platform::aws::Clients = gongshi_platform::aws::Clients::TABLE.s3();

/// Checks type and size, then issues a short-lived URL for exactly that file.
#[utoipa::path(post, path = "/api/v1/uploads", tag = "uploads", security(("bearer" = [])), request_body = UploadRequest,
    responses((status = 201, body = PresignedUpload), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn presign(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(p, req).await?;
    let owner = caller.upload_owner()?;
    let input: UploadRequest = json_body(req)?;
    json(201, &PresignedUpload::of(uploads::presign(p, owner, input.declared()).await?))
}

/// Verifies the uploaded bytes. Completing a verified upload again answers the same.
#[utoipa::path(post, path = "/api/v1/uploads/{id}/complete", tag = "uploads", security(("bearer" = [])),
    params(("id" = String, Path, description = "Upload id")),
    responses((status = 200, body = UploadView), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn complete(p: &Platform, req: &Request) -> Result<Response<Body>, ApiError> {
    let id = path_param(req, "id")?;
    let (caller, [upload]) = authenticate_with(p, req, [gongshi_store::uploads::key(&id)]).await?;
    let owner = caller.upload_owner()?;
    json(200, &UploadView::of(&uploads::complete(p, &owner, upload).await?))
}
