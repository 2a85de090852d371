//! The anchor of the throughput benchmark (`scripts/bench`): a bare axum hello-world on the
//! same runtime and HTTP stack as the local gateway, so the gateway's requests per second
//! can be stated as a ratio to it.
//!
//!     cargo run --release -p gongshi-local --example hello -- 127.0.0.1:8099

#[tokio::main]
async fn main() {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8099".into());
    let listener = tokio::net::TcpListener::bind(&address).await.expect("bind the address");
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    axum::serve(listener, app).await.expect("serve");
}
