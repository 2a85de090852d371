//! Cold-start anchor of `scripts/bench`: a bare lambda_http hello function, built with the
//! functions' release profile, measured beside them against the same Runtime API stub.

use lambda_http::{Body, Error, Request, Response, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_http::run(service_fn(|_: Request| async {
        Ok::<_, Error>(Response::new(Body::from("hello")))
    }))
    .await
}
