//! The OpenAPI document's top level, the error responses of each operation
//! (each with an example of its own status and code) and the optional API
//! key.

use infraval_api::batch::{BatchError, BatchRequest};
use infraval_api::json::{self, BodyError};
use infraval_api::operation::{self, Operation, Runs};
use infraval_api::problem::{Problem, PROBLEM_JSON};
use infraval_api::Example as RequestExample;
use serde_json::Value;
use utoipa::openapi::example::{Example, ExampleBuilder};
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, RefOr, Response, ResponseBuilder};
use utoipa::OpenApi;

use crate::compute::RETRY_AFTER_SECS;
use crate::config::{DEFAULT_BODY_LIMIT_BYTES, DEFAULT_HEAVY_WORK_LIMIT};
use crate::error::ApiError;
use crate::negotiate;

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
RFC 9457 `application/problem+json` with a stable `code` and, where fields are at fault, \
the first in `field` and every one in `errors`. API keys are optional: a server asks for one \
(`Authorization: Bearer <key>`) only when it was started with keys.",
        license(name = "MIT OR Apache-2.0")
    ),
    components(schemas(Problem)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "operations", description = "Metrics for monitoring"),
        (name = "colocation", description = "Colocation and data-center economics"),
        (name = "build-cost", description = "What a data center costs to build, and when"),
        (name = "gpu-cloud", description = "GPU-cloud economics: GPUs rented by the hour, refreshed at end of life"),
        (name = "convertibles", description = "Convertible notes: terms, dilution, yield, and fair value on a credit-risky lattice with greeks, implied volatility or spread, and price profiles"),
        (name = "mining", description = "Bitcoin-mining production, unit economics and projections"),
        (name = "valuations", description = "Sum-of-the-parts company valuation"),
        (name = "batch", description = "Many operations in one request, under scenarios, optionally streamed"),
    )
)]
pub struct ApiDoc;

/// Named examples for a body, from `(name, summary, value)`.
pub(crate) fn examples<'a>(
    examples: impl IntoIterator<Item = (&'a str, &'a str, Value)>,
) -> Vec<(String, Example)> {
    examples
        .into_iter()
        .map(|(name, summary, value)| {
            (
                name.to_owned(),
                ExampleBuilder::new()
                    .summary(summary)
                    .value(Some(value))
                    .build(),
            )
        })
        .collect()
}

/// A problem response whose example is `error`'s own body.
fn problem_response(description: &str, error: &ApiError) -> RefOr<Response> {
    let mut problem = error.problem();
    // Outside a request there is no request id; a real answer carries one.
    problem.request_id = None;
    let example = serde_json::to_value(problem).unwrap_or_default();
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .examples_from_iter(examples([(
                        error.status_and_code().1,
                        error.status_and_code().2,
                        example,
                    )]))
                    .build(),
            )
            .build(),
    )
}

/// The error responses of one operation, each with an example of its own
/// status and code: the 400 of its first example cut short, the 422 of
/// that example with numbers put out of range (every fault listed), the
/// 401, 406, 413 and 415 the server answers, and the 503 of an operation on the
/// blocking pool.
///
/// # Panics
/// When no number of the operation's first example can be put out of
/// range (see [`operation::out_of_range_example`]).
pub(crate) fn error_responses<Op: Operation>(
    requests: &[RequestExample],
) -> Vec<(String, RefOr<Response>)> {
    let first = requests
        .first()
        .unwrap_or_else(|| panic!("`{}` has no request example", Op::ID));
    let text = first.body.to_string();
    let cut_short = text.strip_suffix('}').unwrap_or(&text);
    let malformed = match json::parse::<Op::Request>(cut_short.as_bytes()) {
        Err(err) => ApiError::Body(err),
        Ok(_) => unreachable!("a body cut short never parses"),
    };
    let out_of_range = operation::out_of_range_example::<Op>(&first.body).unwrap_or_else(|| {
        panic!(
            "no number of `{}`'s first example goes out of range",
            Op::ID
        )
    });
    let mut responses = shared_error_responses(
        &malformed,
        (
            "A field is missing, unknown, of the wrong type or out of range (every field \
out of range is listed in `errors`), or the inputs admit no answer; `code` says which and \
`field` names the field.",
            &ApiError::Fields(out_of_range),
        ),
        Op::RUNS == Runs::Blocking,
    );
    let offered: Vec<&'static str> = negotiate::offered::<Op>()
        .iter()
        .map(|representation| representation.media_type())
        .collect();
    let named = offered
        .iter()
        .map(|media_type| format!("`{media_type}`"))
        .collect::<Vec<_>>()
        .join(" and ");
    responses.push((
        "406".to_owned(),
        problem_response(
            &format!(
                "The `Accept` header names none of this operation's media types, {named} \
(`not_acceptable`). Errors are `application/problem+json` whatever `Accept` says."
            ),
            &ApiError::NotAcceptable {
                accept: "image/png".to_owned(),
                offered,
            },
        ),
    ));
    responses
}

/// The error responses of `POST /v1/batch`: as an operation's, with the
/// 422 of a batch refused as a whole.
pub(crate) fn batch_error_responses(request: &BatchRequest) -> Vec<(String, RefOr<Response>)> {
    let text = serde_json::to_string(request).unwrap_or_default();
    let cut_short = text.strip_suffix('}').unwrap_or(&text);
    let malformed = match json::parse::<BatchRequest>(cut_short.as_bytes()) {
        Err(err) => ApiError::Body(err),
        Ok(_) => unreachable!("a body cut short never parses"),
    };
    let duplicate = ApiError::Batch(BatchError::Duplicate {
        field: "items[1].id".to_owned(),
        value: "site-a".to_owned(),
        first: 0,
    });
    shared_error_responses(
        &malformed,
        (
            "The batch as a whole is refused: a list over its cap, an empty `items`, a \
duplicate id or scenario name, a shock with none or several of `set`, `add` and `multiply` or \
matching no item, or more work than one batch may ask for; `code` says which and `field` names \
the entry. An item's own failures are in its result, not here.",
            &duplicate,
        ),
        true,
    )
}

/// The 400, 401, 413, 415 and 422 every body-taking route answers, and the
/// 503 of one that runs heavy work.
fn shared_error_responses(
    malformed: &ApiError,
    unprocessable: (&str, &ApiError),
    overloadable: bool,
) -> Vec<(String, RefOr<Response>)> {
    let mut responses = vec![
        (
            "400",
            problem_response("The body is not valid JSON (`malformed_json`).", malformed),
        ),
        (
            "401",
            problem_response(
                "The server was started with API keys, and this request sent none, or a \
wrong one (`unauthorized`).",
                &ApiError::Unauthorized,
            ),
        ),
        (
            "413",
            problem_response(
                "The body is over the configured limit (`payload_too_large`).",
                &ApiError::Body(BodyError::TooLarge {
                    limit: DEFAULT_BODY_LIMIT_BYTES,
                }),
            ),
        ),
        (
            "415",
            problem_response(
                "The body is not `application/json` (`unsupported_media_type`).",
                &ApiError::Body(BodyError::UnsupportedMediaType {
                    got: Some("text/plain".to_owned()),
                }),
            ),
        ),
        ("422", problem_response(unprocessable.0, unprocessable.1)),
    ];
    if overloadable {
        let mut overloaded = problem_response(
            "More heavy work is waiting for the server's blocking pool than its limit \
(`--heavy-work-limit`) allows (`overloaded`); retry after `Retry-After` seconds.",
            &ApiError::Overloaded {
                queued: DEFAULT_HEAVY_WORK_LIMIT,
                limit: DEFAULT_HEAVY_WORK_LIMIT,
                retry_after_secs: RETRY_AFTER_SECS,
            },
        );
        if let RefOr::T(response) = &mut overloaded {
            response.headers.insert(
                "Retry-After".to_owned(),
                HeaderBuilder::new()
                    .schema(
                        ObjectBuilder::new()
                            .schema_type(Type::Integer)
                            .minimum(Some(0)),
                    )
                    .description(Some("Seconds to wait before retrying."))
                    .build(),
            );
        }
        responses.push(("503", overloaded));
    }
    responses
        .into_iter()
        .map(|(status, response)| (status.to_owned(), response))
        .collect()
}

/// The name of the optional bearer-key security scheme.
const API_KEY_SCHEME: &str = "api_key";

/// Documents the optional API key on every `/v1` operation.
pub fn with_shared_responses(mut doc: Document) -> Document {
    doc.components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            API_KEY_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Optional. A server asks for a key only when it was started with API \
keys (`INFRAVAL_API_KEYS_FILE`); it then answers 401 to a request without a valid one. Against a \
server started without keys, leave Authorize empty: every request is answered without a key.",
                    ))
                    .build(),
            ),
        );
    for (path, item) in doc.paths.paths.iter_mut() {
        if !path.starts_with("/v1/") {
            continue;
        }
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
            // Either no key (the default) or a bearer key.
            operation.security = Some(vec![
                SecurityRequirement::default(),
                SecurityRequirement::new(API_KEY_SCHEME, Vec::<String>::new()),
            ]);
        }
    }
    doc
}
