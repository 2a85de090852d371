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
    /// The AWS clients its binary builds (the gateway itself builds all of them).
    pub clients: gongshi_platform::aws::Clients,
}

/// All functions of this build.
pub fn all() -> Vec<Function> {
    vec![
        Function {
            name: "auth",
            handler: fn_auth::handler,
            api: fn_auth::Api::openapi(),
            clients: fn_auth::CLIENTS,
        },
        Function {
            name: "registration",
            handler: fn_registration::handler,
            api: fn_registration::Api::openapi(),
            clients: fn_registration::CLIENTS,
        },
        Function {
            name: "registration-review",
            handler: fn_registration_review::handler,
            api: fn_registration_review::Api::openapi(),
            clients: fn_registration_review::CLIENTS,
        },
        Function {
            name: "uploads",
            handler: fn_uploads::handler,
            api: fn_uploads::Api::openapi(),
            clients: fn_uploads::CLIENTS,
        },
        Function {
            name: "password-recovery",
            handler: fn_password_recovery::handler,
            api: fn_password_recovery::Api::openapi(),
            clients: fn_password_recovery::CLIENTS,
        },
        Function {
            name: "unit",
            handler: fn_unit::handler,
            api: fn_unit::Api::openapi(),
            clients: fn_unit::CLIENTS,
        },
        Function {
            name: "qualifications",
            handler: fn_qualifications::handler,
            api: fn_qualifications::Api::openapi(),
            clients: fn_qualifications::CLIENTS,
        },
        Function {
            name: "change-requests",
            handler: fn_change_requests::handler,
            api: fn_change_requests::Api::openapi(),
            clients: fn_change_requests::CLIENTS,
        },
        Function {
            name: "change-review",
            handler: fn_change_review::handler,
            api: fn_change_review::Api::openapi(),
            clients: fn_change_review::CLIENTS,
        },
        Function {
            name: "unit-home",
            handler: fn_unit_home::handler,
            api: fn_unit_home::Api::openapi(),
            clients: fn_unit_home::CLIENTS,
        },
        Function {
            name: "branches",
            handler: fn_branches::handler,
            api: fn_branches::Api::openapi(),
            clients: fn_branches::CLIENTS,
        },
        Function {
            name: "appeals",
            handler: fn_appeals::handler,
            api: fn_appeals::Api::openapi(),
            clients: fn_appeals::CLIENTS,
        },
        Function {
            name: "appeal-review",
            handler: fn_appeal_review::handler,
            api: fn_appeal_review::Api::openapi(),
            clients: fn_appeal_review::CLIENTS,
        },
        Function {
            name: "calendar",
            handler: fn_calendar::handler,
            api: fn_calendar::Api::openapi(),
            clients: fn_calendar::CLIENTS,
        },
        Function {
            name: "practitioner-import",
            handler: fn_practitioner_import::handler,
            api: fn_practitioner_import::Api::openapi(),
            clients: fn_practitioner_import::CLIENTS,
        },
        Function {
            name: "practitioner-mobile",
            handler: fn_practitioner_mobile::handler,
            api: fn_practitioner_mobile::Api::openapi(),
            clients: fn_practitioner_mobile::CLIENTS,
        },
        Function {
            name: "person-search",
            handler: fn_person_search::handler,
            api: fn_person_search::Api::openapi(),
            clients: fn_person_search::CLIENTS,
        },
        Function {
            name: "applications",
            handler: fn_applications::handler,
            api: fn_applications::Api::openapi(),
            clients: fn_applications::CLIENTS,
        },
        Function {
            name: "application-form",
            handler: fn_application_form::handler,
            api: fn_application_form::Api::openapi(),
            clients: fn_application_form::CLIENTS,
        },
        Function {
            name: "application-scan",
            handler: fn_application_scan::handler,
            api: fn_application_scan::Api::openapi(),
            clients: fn_application_scan::CLIENTS,
        },
        Function {
            name: "application-confirm",
            handler: fn_application_confirm::handler,
            api: fn_application_confirm::Api::openapi(),
            clients: fn_application_confirm::CLIENTS,
        },
        Function {
            name: "application-review",
            handler: fn_application_review::handler,
            api: fn_application_review::Api::openapi(),
            clients: fn_application_review::CLIENTS,
        },
        Function {
            name: "appends",
            handler: fn_appends::handler,
            api: fn_appends::Api::openapi(),
            clients: fn_appends::CLIENTS,
        },
        Function {
            name: "clauses",
            handler: fn_clauses::handler,
            api: fn_clauses::Api::openapi(),
            clients: fn_clauses::CLIENTS,
        },
        Function {
            name: "public-lookup",
            handler: fn_public_lookup::handler,
            api: fn_public_lookup::Api::openapi(),
            clients: fn_public_lookup::CLIENTS,
        },
        Function {
            name: "cancellations",
            handler: fn_cancellations::handler,
            api: fn_cancellations::Api::openapi(),
            clients: fn_cancellations::CLIENTS,
        },
        Function {
            name: "publicities",
            handler: fn_publicities::handler,
            api: fn_publicities::Api::openapi(),
            clients: fn_publicities::CLIENTS,
        },
        Function {
            name: "legacy-import",
            handler: fn_legacy_import::handler,
            api: fn_legacy_import::Api::openapi(),
            clients: fn_legacy_import::CLIENTS,
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
