//! The local gateway: one process that serves the whole system on embedded storage.
//!
//! It routes exactly as API Gateway would, from the routes declared in `template.yaml`
//! (embedded at build time), converts each request into the API Gateway v2 event that Lambda
//! would receive, and calls the function crate's handler. A route without a handler or a
//! handler without a route is a start-up error. Besides the API it serves the SPA
//! (`web/dist`), the signed blob URLs of the embedded blob store, the merged OpenAPI
//! document and a local-only outbox page.

pub mod functions;
pub mod gateway;
pub mod local_pages;
pub mod openapi;
pub mod seed;
pub mod server_answers;
pub mod template;

pub use gateway::{Gateway, app};
