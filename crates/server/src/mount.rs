//! Routes, OpenAPI paths and the 404/405 table, all from the operation list
//! ([`infraval_api::operations`]) and the service's own three `GET` routes.
//!
//! Every operation is answered by the one generic handler [`answer`]:
//! negotiate the representation, parse the body, validate it into the core
//! input, compute (inline, or admitted by work units onto the blocking
//! pool), answer JSON or the operation's chart.

use std::collections::HashMap;
use std::sync::OnceLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::web::{self, Json, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse};
use infraval_api::batch::{BatchRequest, BatchResponse, BatchResult};
use infraval_api::chart::Svg;
use infraval_api::health::Health;
use infraval_api::operation::{self, Operation, Runs, Visitor};
use infraval_api::provenance::{self, Answered, Provenance};
use infraval_api::wire::{self, Schemas as NamedSchemas};
use infraval_api::{json, Examples};
use utoipa::openapi::path::{HttpMethod, Operation as Documented, OperationBuilder, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Required, ResponseBuilder, Schema};
use utoipa::{OpenApi as _, ToSchema};

use crate::batch;
use crate::compute::{blocking, HeavyWork};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::metrics::Metrics;
use crate::negotiate::{self, Representation, Wanted};
use crate::openapi::{
    batch_error_responses, error_responses, examples, with_shared_responses, ApiDoc,
};

/// An operation's answer, in the representation asked for.
enum Answer<Response> {
    Json(Answered<Response>),
    Svg(Svg),
}

/// Computes `input` and, when the chart was asked for, draws it from
/// `request` and the response; the JSON answer carries its provenance.
fn compute<Op: Operation>(
    input: Op::Input,
    provenance: Provenance,
    chart_of: Option<Op::Request>,
) -> Result<Answer<Op::Response>, ApiError> {
    let response = Op::compute(input)?;
    match (chart_of, Op::CHART) {
        (Some(request), Some(chart)) => (chart.draw)(&request, &response)
            .map(Answer::Svg)
            .map_err(|err| {
                tracing::error!(error = %err, operation = Op::ID, "a chart failed to draw; answering 500");
                ApiError::Internal
            }),
        _ => Ok(Answer::Json(provenance.answer(response))),
    }
}

/// Answers one operation.
async fn answer<Op: Operation>(
    wanted: Wanted<Op>,
    body: ValidJson<Op::Request>,
    heavy: web::Data<HeavyWork>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let chart_of = (wanted.representation == Representation::Svg).then(|| request.clone());
    let (input, provenance) = Op::prepare(request)?;
    let answer = match Op::RUNS {
        Runs::Inline => compute::<Op>(input, provenance, chart_of)?,
        Runs::Blocking => {
            let admitted = heavy.into_inner().admit(Op::work_units(&input).max(1))?;
            blocking(move || {
                let answer = compute::<Op>(input, provenance, chart_of);
                drop(admitted);
                answer
            })
            .await?
        }
    };
    let (media_type, body) = match answer {
        Answer::Json(response) => (
            Representation::Json.media_type(),
            serde_json::to_string(&response).map_err(|err| {
                tracing::error!(error = %err, "a response failed to serialise; answering 500");
                ApiError::Internal
            })?,
        ),
        Answer::Svg(svg) => (Representation::Svg.media_type(), svg.into_string()),
    };
    Ok(HttpResponse::Ok()
        .content_type(media_type)
        // The representation depends on `Accept`, so caches must key on it.
        .insert_header((header::VARY, HeaderValue::from_static("accept")))
        .body(body))
}

/// A `GET` route of the service itself (not an operation: no body, not in
/// batch).
struct ServiceRoute {
    path: &'static str,
    /// The OpenAPI `operationId`.
    name: &'static str,
    tag: &'static str,
    /// Summary, then description after a blank line.
    doc: &'static str,
    response_description: &'static str,
    /// The answer's media type and schema.
    content: fn() -> Content,
    mount: fn(&mut ServiceConfig),
}

/// Named schemas, for the document's components.
type Schemas = Vec<(String, RefOr<Schema>)>;

/// What a service route answers.
struct Content {
    media_type: &'static str,
    schema: RefOr<Schema>,
    /// The named schemas `schema` refers to.
    schemas: Schemas,
}

fn health_content() -> Content {
    let mut schemas = Vec::new();
    schemas_of::<Health>(&mut schemas);
    Content {
        media_type: "application/json",
        schema: RefOr::Ref(Ref::from_schema_name(Health::name())),
        schemas,
    }
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

async fn render_metrics(metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(metrics.render())
}

const SERVICE_ROUTES: [ServiceRoute; 3] = [
    ServiceRoute {
        path: "/health",
        name: "health",
        tag: "health",
        doc: "Liveness.\n\nAnswers 200 while the process serves requests.",
        response_description: "The service is live",
        content: health_content,
        mount: |cfg| {
            cfg.route("/health", web::get().to(health));
        },
    },
    ServiceRoute {
        path: "/ready",
        name: "ready",
        tag: "health",
        doc: "Readiness.\n\nAnswers 200 when the service can take traffic. The service holds no\n\
              state and needs no backing store, so it is ready as soon as it listens.",
        response_description: "The service is ready",
        content: health_content,
        mount: |cfg| {
            cfg.route("/ready", web::get().to(health));
        },
    },
    ServiceRoute {
        path: "/metrics",
        name: "metrics",
        tag: "operations",
        doc: "Prometheus metrics.\n\nText exposition format 0.0.4: `infraval_http_requests_total` and the\n\
              `infraval_http_request_duration_seconds` histogram by method, route\n\
              template and status; `infraval_http_requests_in_flight`;\n\
              `infraval_log_lines_dropped_total`; `infraval_build_info`.",
        response_description: "Prometheus text format",
        content: || Content {
            media_type: "text/plain",
            schema: RefOr::T(Schema::Object(
                ObjectBuilder::new().schema_type(Type::String).build(),
            )),
            schemas: Vec::new(),
        },
        mount: |cfg| {
            cfg.route("/metrics", web::get().to(render_metrics));
        },
    },
];

/// Registers every route: the operations and the service's own.
pub fn configure(cfg: &mut ServiceConfig) {
    struct Routes<'a>(&'a mut ServiceConfig);
    impl Visitor for Routes<'_> {
        fn visit<Op: Operation>(&mut self) {
            self.0.route(Op::PATH, web::post().to(answer::<Op>));
        }
    }
    for route in &SERVICE_ROUTES {
        (route.mount)(cfg);
    }
    operation::visit(&mut Routes(cfg));
}

/// A body: its media type, its schema and its named examples.
struct Body {
    media_type: &'static str,
    schema: RefOr<Schema>,
    examples: Vec<(String, utoipa::openapi::example::Example)>,
}

impl Body {
    fn content(self) -> utoipa::openapi::Content {
        ContentBuilder::new()
            .schema(Some(self.schema))
            .examples_from_iter(self.examples)
            .build()
    }
}

/// An operation's documentation, before the security every `/v1`
/// operation shares ([`with_shared_responses`]): its 200 answer is the
/// description, in each of the bodies.
fn documented(
    name: &str,
    tag: &str,
    doc: &str,
    request: Option<Body>,
    response: (&str, Vec<Body>),
) -> Documented {
    let (description, bodies) = response;
    let ok = bodies.into_iter().fold(
        ResponseBuilder::new().description(description),
        |ok, body| ok.content(body.media_type, body.content()),
    );
    let mut builder = OperationBuilder::new()
        .tag(tag)
        .summary(Some(operation::summary(doc)))
        .description(operation::description(doc))
        .operation_id(Some(name))
        .response("200", ok);
    if let Some(request) = request {
        builder = builder.request_body(Some(
            RequestBodyBuilder::new()
                .content(request.media_type, request.content())
                .required(Some(Required::True))
                .build(),
        ));
    }
    builder.build()
}

/// What an example request answers: the 200 body shown beside it.
///
/// # Panics
/// When the example does not answer 200: the operation's examples are
/// wrong, which every test that builds the document shows at once.
fn answer_of<Op: Operation>(body: &serde_json::Value) -> serde_json::Value {
    let answered = json::from_value::<Op::Request>(body.clone())
        .map_err(ApiError::from)
        .and_then(|request| Op::run(request).map_err(ApiError::from))
        .and_then(|response| serde_json::to_value(response).map_err(|_| ApiError::Internal));
    let mut answer = answered
        .unwrap_or_else(|err| panic!("an example of `{}` does not answer 200: {err}", Op::ID));
    provenance::version_only(&mut answer);
    answer
}

/// The schemas `T` needs: its own and those it refers to.
fn schemas_of<T: ToSchema>(into: &mut Schemas) {
    into.push((T::name().into_owned(), T::schema()));
    T::schemas(into);
}

/// The OpenAPI document, built once per process: its response examples
/// are computed by the operations (Monte Carlo ones among them, about a
/// second of CPU in a debug build), so every app of a process shares one.
pub fn openapi() -> OpenApi {
    static SPEC: OnceLock<OpenApi> = OnceLock::new();
    SPEC.get_or_init(build_openapi).clone()
}

/// The OpenAPI document: info and tags from [`ApiDoc`], a path per
/// operation and service route, the schemas their types name, and the
/// shared error responses.
fn build_openapi() -> OpenApi {
    struct Paths {
        paths: Vec<(&'static str, PathItem)>,
        schemas: Schemas,
        /// Writes each request type's field rules into its schemas.
        rules: Vec<fn(&mut NamedSchemas)>,
        /// The operations' response schemas, which carry the provenance.
        answers: Vec<String>,
    }
    impl Visitor for Paths {
        fn visit<Op: Operation>(&mut self) {
            schemas_of::<Op::Request>(&mut self.schemas);
            schemas_of::<Op::Response>(&mut self.schemas);
            self.answers
                .push(<Op::Response as ToSchema>::name().into_owned());
            self.rules.push(wire::document::<Op::Request>);
            let requests = <Op::Request as Examples>::examples();
            let mut answers = Some(
                requests
                    .iter()
                    .map(|example| {
                        (
                            example.name,
                            example.summary,
                            answer_of::<Op>(&example.body),
                        )
                    })
                    .collect::<Vec<_>>(),
            );
            let bodies = negotiate::offered::<Op>()
                .iter()
                .map(|representation| match representation {
                    Representation::Json => Body {
                        media_type: representation.media_type(),
                        schema: RefOr::Ref(Ref::from_schema_name(provenance::answer_schema_name(
                            &<Op::Response as ToSchema>::name(),
                        ))),
                        examples: examples(answers.take().unwrap_or_default()),
                    },
                    // An example chart would add tens of kilobytes per
                    // operation to the document; docs/charts/ shows them.
                    Representation::Svg => Body {
                        media_type: representation.media_type(),
                        schema: RefOr::T(Schema::Object(
                            ObjectBuilder::new().schema_type(Type::String).build(),
                        )),
                        examples: Vec::new(),
                    },
                })
                .collect();
            let description = match Op::CHART {
                Some(chart) => format!(
                    "{}; with `Accept: {}`, its chart: {}",
                    Op::RESPONSE_DESCRIPTION,
                    Representation::Svg.media_type(),
                    chart.description
                ),
                None => Op::RESPONSE_DESCRIPTION.to_owned(),
            };
            let mut documented = documented(
                Op::NAME,
                Op::TAG,
                Op::DOC,
                Some(Body {
                    media_type: "application/json",
                    schema: RefOr::Ref(Ref::from_schema_name(<Op::Request as ToSchema>::name())),
                    examples: examples(
                        requests.iter().map(|e| (e.name, e.summary, e.body.clone())),
                    ),
                }),
                (&description, bodies),
            );
            documented
                .responses
                .responses
                .extend(error_responses::<Op>(&requests));
            self.paths
                .push((Op::PATH, PathItem::new(HttpMethod::Post, documented)));
        }
    }
    let mut found = Paths {
        paths: Vec::new(),
        schemas: Vec::new(),
        rules: Vec::new(),
        answers: Vec::new(),
    };
    for route in &SERVICE_ROUTES {
        let content = (route.content)();
        found.schemas.extend(content.schemas);
        let documented = documented(
            route.name,
            route.tag,
            route.doc,
            None,
            (
                route.response_description,
                vec![Body {
                    media_type: content.media_type,
                    schema: content.schema,
                    examples: Vec::new(),
                }],
            ),
        );
        found
            .paths
            .push((route.path, PathItem::new(HttpMethod::Get, documented)));
    }
    operation::visit(&mut found);
    found
        .paths
        .push((batch::PATH, batch_path(&mut found.schemas)));
    let mut doc = ApiDoc::openapi();
    for (path, item) in found.paths {
        doc.paths.paths.insert(path.to_owned(), item);
    }
    let components = doc.components.get_or_insert_with(Default::default);
    components.schemas.extend(found.schemas);
    wire::inline_scalars(&mut components.schemas);
    for rules in found.rules {
        rules(&mut components.schemas);
    }
    wire::document::<BatchRequest>(&mut components.schemas);
    provenance::document(&mut components.schemas, &found.answers);
    with_shared_responses(doc)
}

/// The summary and description of `POST /v1/batch`.
const BATCH_DOC: &str = "Many operations in one request, optionally under scenarios.\n\n\
Each item names an operation by its id (e.g. `convertibles.price`, `colocation.arr`; every \
operation's id is in its description) and gives the body its own path takes; the body is \
parsed, validated and computed exactly as there. Items run in parallel on a pool of one \
thread per core. Caps: 1,000 items, 50 scenarios of at most 100 shocks, and 20,000 work \
units in all (a default 1,000-step convertible price is one unit, as is each cheap \
operation; every cell counts), each a 422 naming the list; duplicate item ids or scenario \
names are a 422 `duplicate_id`. The batch's total work counts against the overload limit as \
one request.\n\n\
One bad item never fails the batch: its result carries the `status` and `problem` its own \
request would have had. With scenarios, each item is answered unshocked (the base, no \
`scenario`) and once per scenario, its body shocked before parsing (see `Shock`); a shock \
whose field is in no item's body is a 422 `unmatched_shock`.\n\n\
With `Accept: application/x-ndjson` the answer streams one `BatchResult` per line as each \
is computed, in completion order (`index` and `scenario` say which); otherwise it is one \
JSON document with every result in request order.";

fn to_json(value: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// `POST /v1/batch`'s path item, adding the schemas it names; its 200
/// example is what its request example answers.
///
/// # Panics
/// When the request example is refused as a whole.
fn batch_path(schemas: &mut Schemas) -> PathItem {
    schemas_of::<BatchRequest>(schemas);
    schemas_of::<BatchResponse>(schemas);
    let request = BatchRequest::example();
    let answer = batch::answer_here(&request)
        .unwrap_or_else(|err| panic!("the batch example is refused: {err}"));
    let mut answer = to_json(&answer);
    provenance::version_only(&mut answer);
    let summary = "Two sites, one scenario";
    let mut documented = documented(
        "batch",
        "batch",
        BATCH_DOC,
        Some(Body {
            media_type: "application/json",
            schema: RefOr::Ref(Ref::from_schema_name(BatchRequest::name())),
            examples: examples([("sites", summary, to_json(&request))]),
        }),
        (
            "Every result, in request order; or, in NDJSON, one result per line as each completes",
            vec![
                Body {
                    media_type: "application/json",
                    schema: RefOr::Ref(Ref::from_schema_name(BatchResponse::name())),
                    examples: examples([("sites", summary, answer)]),
                },
                Body {
                    media_type: batch::NDJSON,
                    schema: RefOr::Ref(Ref::from_schema_name(BatchResult::name())),
                    examples: Vec::new(),
                },
            ],
        ),
    );
    documented
        .responses
        .responses
        .extend(batch_error_responses(&request));
    PathItem::new(HttpMethod::Post, documented)
}

/// Every route's path and methods, for route labels and for answering 404
/// or 405.
#[derive(Debug, Clone, Default)]
pub struct KnownRoutes {
    routes: HashMap<&'static str, Vec<Method>>,
}

impl KnownRoutes {
    /// The routes of the operation list and the service's own.
    pub fn new() -> Self {
        struct Posts<'a>(&'a mut HashMap<&'static str, Vec<Method>>);
        impl Visitor for Posts<'_> {
            fn visit<Op: Operation>(&mut self) {
                self.0.entry(Op::PATH).or_default().push(Method::POST);
            }
        }
        let mut routes = HashMap::new();
        for route in &SERVICE_ROUTES {
            routes
                .entry(route.path)
                .or_insert_with(Vec::new)
                .push(Method::GET);
        }
        operation::visit(&mut Posts(&mut routes));
        routes.entry(batch::PATH).or_default().push(Method::POST);
        KnownRoutes { routes }
    }

    /// The route template of a request for `path` with `method`, when a
    /// declared route serves it: the path itself (no route has parameters).
    pub fn route(&self, method: &Method, path: &str) -> Option<&'static str> {
        let (template, methods) = self.routes.get_key_value(path)?;
        methods.contains(method).then_some(*template)
    }

    fn methods_for(&self, path: &str) -> Option<&[Method]> {
        self.routes.get(path).map(Vec::as_slice)
    }
}

/// The default service: 405 for a known path, 404 otherwise.
pub async fn not_matched(
    req: HttpRequest,
    routes: web::Data<KnownRoutes>,
) -> Result<HttpResponse, ApiError> {
    let path = req.path().to_owned();
    Err(match routes.methods_for(&path) {
        Some(allowed) => ApiError::MethodNotAllowed {
            path,
            method: req.method().to_string(),
            allowed: allowed.iter().map(ToString::to_string).collect(),
        },
        None => ApiError::NotFound { path },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_path_is_its_own_route_only_under_its_methods() {
        let known = KnownRoutes::new();
        assert_eq!(
            known.route(&Method::POST, "/v1/colocation/arr"),
            Some("/v1/colocation/arr")
        );
        assert_eq!(known.route(&Method::GET, "/health"), Some("/health"));
        assert_eq!(known.route(&Method::GET, "/v1/colocation/arr"), None);
        assert_eq!(known.route(&Method::POST, "/v1/colocation/arr/"), None);
        assert_eq!(known.route(&Method::POST, "/v1/colocation"), None);
    }

    #[test]
    fn no_two_wire_types_share_a_schema_name() {
        // The document keeps one schema per name: a second type of the same
        // name (as the two `BuybackRequest`s of dilution and the sum of the
        // parts once were) would silently replace the first.
        struct All(Schemas);
        impl Visitor for All {
            fn visit<Op: Operation>(&mut self) {
                schemas_of::<Op::Request>(&mut self.0);
                schemas_of::<Op::Response>(&mut self.0);
            }
        }
        let mut all = All(Vec::new());
        operation::visit(&mut all);
        let mut by_name: HashMap<String, RefOr<Schema>> = HashMap::new();
        for (name, schema) in all.0 {
            match by_name.get(&name) {
                Some(seen) => assert!(*seen == schema, "two wire types are named `{name}`"),
                None => {
                    by_name.insert(name, schema);
                }
            }
        }
        assert!(by_name.len() > 50, "{} schemas", by_name.len());
    }

    #[test]
    fn every_answer_schema_requires_its_provenance_and_nested_responses_stay_without() {
        let doc = serde_json::to_value(openapi()).unwrap();
        let schemas = &doc["components"]["schemas"];
        for op in infraval_api::operations() {
            let ok = &doc["paths"][op.path()]["post"]["responses"]["200"]["content"]
                ["application/json"]["schema"]["$ref"];
            let name = ok.as_str().unwrap().rsplit('/').next().unwrap();
            assert!(name.ends_with("Answer"), "{}: {name}", op.id());
            let required = schemas[name]["required"].as_array().unwrap();
            assert!(required.contains(&"meta".into()), "{name}");
            assert!(required.contains(&"assumptions".into()), "{name}");
        }
        // The terms answer alone carries meta; nested in dilution's answer
        // (`terms`) it does not.
        assert!(schemas["TermsResponse"]["properties"].get("meta").is_none());
        assert!(schemas["TermsAnswer"]["properties"].get("meta").is_some());
    }

    #[test]
    fn every_operation_is_documented_under_its_path_as_a_post() {
        let doc = openapi();
        for op in infraval_api::operations() {
            let item = &doc.paths.paths[op.path()];
            let documented = item.post.as_ref().expect("a POST");
            assert_eq!(documented.operation_id.as_deref(), Some(op.name()));
            let has_503 = documented.responses.responses.contains_key("503");
            assert_eq!(has_503, op.runs() == Runs::Blocking, "{}", op.id());
            assert!(
                documented.responses.responses.contains_key("406"),
                "{}",
                op.id()
            );
            let RefOr::T(ok) = &documented.responses.responses["200"] else {
                panic!("{}: the 200 answer is inline", op.id());
            };
            let media_types: Vec<&str> = ok.content.keys().map(String::as_str).collect();
            let expected = if op.has_chart() {
                vec!["application/json", "image/svg+xml"]
            } else {
                vec!["application/json"]
            };
            assert_eq!(media_types, expected, "{}", op.id());
        }
        assert_eq!(
            doc.paths.paths.len(),
            infraval_api::operations().len() + SERVICE_ROUTES.len() + 1
        );
        assert!(doc.paths.paths[batch::PATH].post.is_some());
    }
}
