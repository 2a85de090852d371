//! Every function crate the gateway can mount, by its binary name, with the routes its
//! OpenAPI annotations declare.

use gongshi_http::Handler;
use utoipa::OpenApi;

/// A mountable function.
pub struct Function {
    /// Binary name, as in template.yaml.
    pub name: &'static str,
    /// Its handler.
    pub handler: Handler,
    /// Its part of the API document.
    pub api: utoipa::openapi::OpenApi,
}

/// All functions of this build.
pub fn all() -> Vec<Function> {
    vec![
        Function {
            name: "auth",
            handler: fn_auth::handler,
            api: fn_auth::Api::openapi(),
        },
        Function {
            name: "registration",
            handler: fn_registration::handler,
            api: fn_registration::Api::openapi(),
        },
        Function {
            name: "registration-review",
            handler: fn_registration_review::handler,
            api: fn_registration_review::Api::openapi(),
        },
        Function {
            name: "uploads",
            handler: fn_uploads::handler,
            api: fn_uploads::Api::openapi(),
        },
        Function {
            name: "password-recovery",
            handler: fn_password_recovery::handler,
            api: fn_password_recovery::Api::openapi(),
        },
        Function {
            name: "unit",
            handler: fn_unit::handler,
            api: fn_unit::Api::openapi(),
        },
        Function {
            name: "qualifications",
            handler: fn_qualifications::handler,
            api: fn_qualifications::Api::openapi(),
        },
        Function {
            name: "change-requests",
            handler: fn_change_requests::handler,
            api: fn_change_requests::Api::openapi(),
        },
        Function {
            name: "change-review",
            handler: fn_change_review::handler,
            api: fn_change_review::Api::openapi(),
        },
        Function {
            name: "unit-home",
            handler: fn_unit_home::handler,
            api: fn_unit_home::Api::openapi(),
        },
        Function {
            name: "branches",
            handler: fn_branches::handler,
            api: fn_branches::Api::openapi(),
        },
        Function {
            name: "appeals",
            handler: fn_appeals::handler,
            api: fn_appeals::Api::openapi(),
        },
        Function {
            name: "appeal-review",
            handler: fn_appeal_review::handler,
            api: fn_appeal_review::Api::openapi(),
        },
        Function {
            name: "calendar",
            handler: fn_calendar::handler,
            api: fn_calendar::Api::openapi(),
        },
        Function {
            name: "practitioner-import",
            handler: fn_practitioner_import::handler,
            api: fn_practitioner_import::Api::openapi(),
        },
        Function {
            name: "practitioner-mobile",
            handler: fn_practitioner_mobile::handler,
            api: fn_practitioner_mobile::Api::openapi(),
        },
        Function {
            name: "person-search",
            handler: fn_person_search::handler,
            api: fn_person_search::Api::openapi(),
        },
        Function {
            name: "applications",
            handler: fn_applications::handler,
            api: fn_applications::Api::openapi(),
        },
        Function {
            name: "application-form",
            handler: fn_application_form::handler,
            api: fn_application_form::Api::openapi(),
        },
        Function {
            name: "application-scan",
            handler: fn_application_scan::handler,
            api: fn_application_scan::Api::openapi(),
        },
        Function {
            name: "application-confirm",
            handler: fn_application_confirm::handler,
            api: fn_application_confirm::Api::openapi(),
        },
        Function {
            name: "application-review",
            handler: fn_application_review::handler,
            api: fn_application_review::Api::openapi(),
        },
        Function {
            name: "appends",
            handler: fn_appends::handler,
            api: fn_appends::Api::openapi(),
        },
        Function {
            name: "clauses",
            handler: fn_clauses::handler,
            api: fn_clauses::Api::openapi(),
        },
        Function {
            name: "public-lookup",
            handler: fn_public_lookup::handler,
            api: fn_public_lookup::Api::openapi(),
        },
        Function {
            name: "cancellations",
            handler: fn_cancellations::handler,
            api: fn_cancellations::Api::openapi(),
        },
        Function {
            name: "publicities",
            handler: fn_publicities::handler,
            api: fn_publicities::Api::openapi(),
        },
        Function {
            name: "legacy-import",
            handler: fn_legacy_import::handler,
            api: fn_legacy_import::Api::openapi(),
        },
    ]
}

/// The route keys (`METHOD /path`) a function declares in its OpenAPI annotations.
pub fn declared_routes(function: &Function) -> Vec<String> {
    let mut keys = Vec::new();
    for (path, item) in &function.api.paths.paths {
        let methods = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("DELETE", item.delete.is_some()),
            ("PATCH", item.patch.is_some()),
        ];
        keys.extend(methods.iter().filter(|(_, present)| *present).map(|(m, _)| format!("{m} {path}")));
    }
    keys.sort();
    keys
}
