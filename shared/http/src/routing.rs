//! Each route declared once: by its handler's `#[utoipa::path]` attribute. [`routes!`]
//! turns the list of a function's handlers into its OpenAPI part (`Api`) and its Lambda
//! handler, which dispatches a request to the handler whose attribute declares the request's
//! route key; the local gateway mounts the same handlers on template.yaml's routes and
//! refuses to start when the two disagree. Dispatch reads only each attribute's method and
//! path (never the whole document), so a function's binary carries no schema code.

pub use gongshi_platform::Platform;
pub use pastey;
use utoipa::openapi::path::HttpMethod;

/// Whether the `#[utoipa::path]` of `P` declares `key` (`METHOD /path/{param}`).
pub fn declares<P: utoipa::Path>(key: &str) -> bool {
    let Some((method, path)) = key.split_once(' ') else {
        return false;
    };
    path == P::path() && P::methods().iter().any(|m| name(m) == method)
}

fn name(method: &HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Head => "HEAD",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Trace => "TRACE",
    }
}

/// A function's routes from its handlers, each `async fn(&Platform, &Request) ->
/// Result<Response<Body>, ApiError>` with a `#[utoipa::path]`: defines `pub struct Api`
/// (its part of the API document) and `pub fn handler` (its Lambda handler). Handlers named
/// after `in_transaction:` make their effect with [`crate::response::commit`], so that an
/// idempotent request costs no extra write (see [`crate::response::respond_with`]).
#[macro_export]
macro_rules! routes {
    ($($handler:ident),+ $(,)?) => {
        $crate::routes!($($handler),+ ; in_transaction:);
    };
    ($($handler:ident),+ ; in_transaction: $($committing:ident),* $(,)?) => {
        /// The routes of this function, each declared by its handler's `#[utoipa::path]`.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($handler),+))]
        pub struct Api;

        /// The Lambda handler: the request goes to the handler that declares its route.
        pub fn handler(
            platform: ::std::sync::Arc<$crate::routing::Platform>,
            req: $crate::Request,
        ) -> $crate::HandlerFuture {
            ::std::boxed::Box::pin(async move {
                let p = platform.as_ref();
                let in_transaction = {
                    let key = $crate::route_key(&req);
                    $crate::routing::pastey::paste! {
                        false $( || $crate::routing::declares::<[<__path_ $committing>]>(&key) )*
                    }
                };
                $crate::response::respond_with(p, &req, in_transaction, async {
                    let key = $crate::route_key(&req);
                    $crate::routing::pastey::paste! {
                        $(
                            if $crate::routing::declares::<[<__path_ $handler>]>(&key) {
                                return $handler(p, &req).await;
                            }
                        )+
                    }
                    Err($crate::ApiError::NotFound("route_not_found", format!("未知接口 {key}")))
                })
                .await
            })
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[utoipa::path(get, path = "/api/v1/things/{id}", responses((status = 200)))]
    #[allow(dead_code)]
    fn thing() {}

    #[test]
    fn a_route_key_matches_its_declaration_only() {
        assert!(declares::<__path_thing>("GET /api/v1/things/{id}"));
        assert!(!declares::<__path_thing>("POST /api/v1/things/{id}"));
        assert!(!declares::<__path_thing>("GET /api/v1/things"));
        assert!(!declares::<__path_thing>("GET"));
    }
}
