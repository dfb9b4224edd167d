//! The OpenAPI document's top level, and the error responses every
//! operation shares.

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, RefOr, ResponseBuilder};
use utoipa::OpenApi;

use infraval_api::problem::{Problem, PROBLEM_JSON};

/// The document's info, tags and shared components. Paths and the schemas
/// they name are added from the operation list ([`crate::mount::openapi`]).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "infraval",
        description = "Valuation of compute infrastructure: colocation and data-center economics, \
build cost, convertible notes, bitcoin-mining economics and sum-of-the-parts value.\n\n\
Conventions: units are part of every field name (`it_capacity_mw`, `rate_per_kw_month`); \
rates and percentages are decimal fractions (0.275, not 27.5); dates are ISO 8601; money is \
USD, computed in exact decimal arithmetic and rounded to cents in responses. Every error is \
RFC 9457 `application/problem+json` with a stable `code` and, where one field is at fault, \
its `field`.",
        license(name = "MIT OR Apache-2.0")
    ),
    components(schemas(Problem)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "operations", description = "Metrics for monitoring"),
        (name = "colocation", description = "Colocation and data-center economics"),
        (name = "build-cost", description = "What a data center costs to build, and when"),
        (name = "convertibles", description = "Convertible notes: terms, dilution, yield, and fair value on a credit-risky lattice with greeks, implied volatility or spread, and price profiles"),
        (name = "mining", description = "Bitcoin-mining production, unit economics and projections"),
        (name = "valuations", description = "Sum-of-the-parts company valuation"),
        (name = "batch", description = "Many operations in one request, under scenarios, optionally streamed"),
    )
)]
pub struct ApiDoc;

/// The error statuses every JSON-body operation can answer.
const BODY_ERRORS: [(&str, &str); 4] = [
    ("400", "The body is not valid JSON (`malformed_json`)."),
    (
        "413",
        "The body is over the configured limit (`payload_too_large`).",
    ),
    (
        "415",
        "The body is not `application/json` (`unsupported_media_type`).",
    ),
    (
        "422",
        "A field is missing, unknown, of the wrong type or out of range, or the inputs \
admit no answer; `code` says which and `field` names the field.",
    ),
];

pub(crate) fn problem_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

fn add_body_errors(operation: &mut Operation) {
    if operation.request_body.is_none() {
        return;
    }
    for (status, description) in BODY_ERRORS {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| problem_response(description));
    }
}

/// The name of the optional bearer-key security scheme.
const API_KEY_SCHEME: &str = "api_key";

/// Documents the shared problem responses on every operation that takes a
/// body, and the optional API key on every `/v1` operation, so that no
/// handler has to list them by hand.
pub fn with_shared_responses(mut doc: Document) -> Document {
    doc.components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            API_KEY_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Needed only when the server is started with INFRAVAL_API_KEYS_FILE.",
                    ))
                    .build(),
            ),
        );
    for (path, item) in doc.paths.paths.iter_mut() {
        let versioned = path.starts_with("/v1/");
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            add_body_errors(operation);
            if versioned {
                add_api_key(operation);
            }
        }
    }
    doc
}

fn add_api_key(operation: &mut Operation) {
    // Either no key (the default) or a bearer key.
    operation.security = Some(vec![
        SecurityRequirement::default(),
        SecurityRequirement::new(API_KEY_SCHEME, Vec::<String>::new()),
    ]);
    operation
        .responses
        .responses
        .entry("401".to_owned())
        .or_insert_with(|| {
            problem_response(
                "The server requires an API key and none, or a wrong one, was sent (`unauthorized`).",
            )
        });
}
