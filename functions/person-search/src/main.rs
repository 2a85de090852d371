//! The `person-search` Lambda: see `lib.rs`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    gongshi_http::lambda::run(fn_person_search::handler, fn_person_search::CLIENTS).await
}
