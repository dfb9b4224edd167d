//! Structured logs, request ids, metrics and the panic guard: the
//! [`Telemetry`] middleware on the `App`'s path, and the pieces the direct
//! path ([`crate::dispatch`]) shares with it. There is no span per request;
//! the request id is a task-local that every event inside the request
//! carries.

use std::cell::Cell;
use std::future::{ready, Future, Ready};
use std::io::IsTerminal;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{ready, Context, Poll};
use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::web;
use actix_web::ResponseError as _;
use futures_util::future::CatchUnwind;
use futures_util::FutureExt as _;
use pin_project_lite::pin_project;
use tokio::task::futures::TaskLocalFuture;
use tracing_subscriber::EnvFilter;

use crate::auth;
use crate::config::LogFormat;
use crate::error::ApiError;
use crate::json_log::{AccessLine, JsonFields, JsonLine, Label};
use crate::log_writer::{FlushGuard, LogWriter};
use crate::metrics::{InFlight, Metrics};
use crate::routes::fallback::KnownRoutes;

/// A duration in milliseconds, as the access line gives it: whole
/// nanoseconds over 10⁶, so 3,848 ns is `0.003848` (`secs × 1e3` would
/// write `0.0038480000000000003`).
pub(crate) fn latency_ms(latency: std::time::Duration) -> f64 {
    // Exact below 2^53 ns (104 days).
    #[allow(clippy::cast_precision_loss)]
    let nanos = latency.as_nanos() as f64;
    nanos / 1e6
}

/// The target of the access line, whichever path answered: this module's
/// path, as `tracing` gives its events. `json_log` writes it as a literal;
/// its test compares that with an event logged from this target.
#[cfg(test)]
pub(crate) const TARGET: &str = module_path!();

/// The header that carries the request id, in and out.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    /// The id of the request being served: put in problem bodies, and on
    /// every JSON log event of the request (see [`crate::json_log`]).
    pub static REQUEST_ID: RequestId;
}

/// A request id: the caller's `X-Request-Id` when it is 1 to 128
/// printable ASCII characters, else a random UUID v4.
///
/// Held inline and `Copy`, so putting it in scope or in a log line never
/// allocates.
#[derive(Clone, Copy)]
pub struct RequestId {
    len: u8,
    bytes: [u8; RequestId::MAX_LEN],
}

impl RequestId {
    /// The longest id taken from a caller.
    pub const MAX_LEN: usize = 128;

    /// The caller's id, if it is acceptable.
    pub fn from_caller(value: &[u8]) -> Option<Self> {
        if value.is_empty()
            || value.len() > Self::MAX_LEN
            || !value.iter().all(u8::is_ascii_graphic)
        {
            return None;
        }
        let mut bytes = [0; Self::MAX_LEN];
        bytes[..value.len()].copy_from_slice(value);
        Some(RequestId {
            len: u8::try_from(value.len()).ok()?,
            bytes,
        })
    }

    /// A random UUID v4. Ids need to be unique, not secret, so a
    /// per-thread xorshift128+ seeded from the OS replaces one `getrandom`
    /// system call per request.
    pub fn random() -> Self {
        let next = || {
            RNG.with(|state| {
                let (mut s1, s0) = state.get();
                let result = s0.wrapping_add(s1);
                s1 ^= s1 << 23;
                s1 ^= s0 ^ (s1 >> 17) ^ (s0 >> 26);
                state.set((s0, s1));
                result
            })
        };
        let random = (u128::from(next()) << 64 | u128::from(next())).to_le_bytes();
        let mut bytes = [0; Self::MAX_LEN];
        let len = uuid::Builder::from_random_bytes(random)
            .into_uuid()
            .hyphenated()
            .encode_lower(&mut bytes)
            .len();
        RequestId {
            len: u8::try_from(len).unwrap_or(0),
            bytes,
        }
    }

    /// The caller's id from the request's headers, else a random one.
    pub fn for_request(headers: &actix_web::http::header::HeaderMap) -> Self {
        headers
            .get(&REQUEST_ID_HEADER)
            .and_then(|v| Self::from_caller(v.as_bytes()))
            .unwrap_or_else(Self::random)
    }

    /// The id as text (always ASCII).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// The id as a header value.
    pub fn header_value(&self) -> Option<HeaderValue> {
        HeaderValue::from_bytes(&self.bytes[..usize::from(self.len)]).ok()
    }
}

impl std::fmt::Debug for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("RequestId").field(&self.as_str()).finish()
    }
}

/// Keeps the log writer's periodic flush running; drop it last, at exit,
/// to write out what is buffered.
pub type LogGuard = Option<FlushGuard>;

/// Installs the global subscriber, filtered by `RUST_LOG` (default `info`).
///
/// Lines are formatted on the request's thread into a buffer of that
/// thread's, written out every 100 ms or at 32 KiB (see [`LogWriter`]), so
/// a busy server makes one write for hundreds of lines. Nothing is
/// dropped: when the output falls behind, logging waits.
pub fn init(format: Option<LogFormat>) -> LogGuard {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let format = format.unwrap_or(if std::io::stdout().is_terminal() {
        LogFormat::Pretty
    } else {
        LogFormat::Json
    });
    let (writer, guard) = LogWriter::new(std::io::stdout());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer.clone());
    // try_init: a second call (as in tests) keeps the first subscriber.
    let installed = match format {
        LogFormat::Json => builder
            .event_format(JsonLine)
            .fmt_fields(JsonFields)
            .try_init()
            .map(|()| {
                let _ = ACCESS_LOG.set(writer);
            }),
        LogFormat::Pretty => builder.try_init(),
    };
    installed.ok().map(|()| guard)
}

/// Where the per-request line goes when the output is JSON; unset, it is
/// an ordinary `tracing` event.
static ACCESS_LOG: OnceLock<LogWriter> = OnceLock::new();

/// Logs the line of a finished request at INFO, subject to `RUST_LOG`
/// like any event of this module.
pub(crate) fn log_access(line: &AccessLine<'_>) {
    if !tracing::enabled!(tracing::Level::INFO) {
        return;
    }
    match ACCESS_LOG.get() {
        Some(writer) => writer.append_access(line, std::time::SystemTime::now()),
        None => tracing::info!(
            method = line.method.as_str(),
            route = line.route.as_str(),
            status = line.status,
            latency_ms = line.latency_ms,
            request_id = line.request_id,
            "{}",
            AccessLine::MESSAGE
        ),
    }
}

thread_local! {
    /// xorshift128+ state, seeded once per thread from the OS.
    static RNG: Cell<(u64, u64)> = Cell::new({
        let seed = uuid::Uuid::new_v4().as_u64_pair();
        (seed.0 | 1, seed.1 | 1)
    });
}

/// The middleware every request passes: one log line per request with
/// method, route, status, latency and request id; the request id echoed,
/// and added to every event logged while the request is served (see
/// [`REQUEST_ID`]); metrics; the API-key check for `/v1/*`; and a panic in
/// a handler turned into a logged 500 problem, so the worker survives.
/// Bodies are never logged.
///
/// It is a plain `Transform` with its own future rather than an `async fn`
/// under `middleware::from_fn`, which boxes a future per request; and
/// there is no span per request: creating, entering and closing one cost
/// more than formatting the line, and the task-local id already ties a
/// request's events together.
#[derive(Debug, Clone, Copy, Default)]
pub struct Telemetry;

impl<S, B> Transform<S, ServiceRequest> for Telemetry
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Transform = TelemetryService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(TelemetryService { service }))
    }
}

/// [`Telemetry`] around the service it wraps.
#[derive(Debug)]
pub struct TelemetryService<S> {
    service: S,
}

/// What a traced request ends with.
type Outcome<B> = Result<ServiceResponse<EitherBody<B>>, actix_web::Error>;

/// The inner service's future, inside the request's scope and with panics
/// caught.
type Guarded<F> = CatchUnwind<AssertUnwindSafe<TaskLocalFuture<RequestId, F>>>;

/// A request's method in its access line: a standard method as the
/// static text it is, any other as sent.
fn method_label(method: &Method) -> Label<'_> {
    crate::metrics::standard_method(method.as_str())
        .map_or(Label::Borrowed(method.as_str()), Label::Static)
}

/// The route template that labels a request in logs and metrics.
fn route_label(req: &ServiceRequest) -> Arc<str> {
    req.app_data::<web::Data<KnownRoutes>>()
        .and_then(|known| known.fixed_route(req.method().as_str(), req.path()))
        .unwrap_or_else(|| match req.match_pattern() {
            Some(pattern) => Arc::from(pattern),
            None => Arc::from("unmatched"),
        })
}

/// The 500 problem for a handler that panicked, logged with the request
/// id. The request was consumed by the panicking call, so the problem
/// travels as an error carrying its finished response.
#[cold]
pub(crate) fn panicked(id: RequestId, panic: &(dyn std::any::Any + Send)) -> actix_web::Error {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %message, request_id = id.as_str(), "a handler panicked; answering 500");
    // The problem body names the request id it finds in scope.
    let mut response = REQUEST_ID.sync_scope(id, || ApiError::Internal.error_response());
    if let Some(value) = id.header_value() {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    InternalError::from_response("a handler panicked", response).into()
}

impl<S, B> Service<ServiceRequest> for TelemetryService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Future = Traced<S::Future, B>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let id = RequestId::for_request(req.headers());
        let route = route_label(&req);
        let method = req.method().clone();
        let metrics = req
            .app_data::<web::Data<Metrics>>()
            .map(|m| m.clone().into_inner());
        let in_flight = metrics.as_ref().map(Metrics::start);
        let started = Instant::now();
        // The key check and the inner service's own call run in the
        // request's scope too, so their problems carry its id.
        let state = REQUEST_ID.sync_scope(id, || {
            if let Err(denied) = auth::check(&req) {
                let denied = req.error_response(denied).map_into_right_body();
                return State::Done {
                    outcome: Some(Ok(denied)),
                };
            }
            match std::panic::catch_unwind(AssertUnwindSafe(|| self.service.call(req))) {
                Ok(call) => State::Running {
                    call: AssertUnwindSafe(REQUEST_ID.scope(id, call)).catch_unwind(),
                },
                Err(panic) => State::Done {
                    outcome: Some(Err(panicked(id, panic.as_ref()))),
                },
            }
        });
        Traced {
            state,
            id,
            route,
            method,
            metrics,
            started,
            _in_flight: in_flight,
        }
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F, B> {
        Running { #[pin] call: Guarded<F> },
        Done { outcome: Option<Outcome<B>> },
    }
}

pin_project! {
    /// A request in [`Telemetry`]: when the inner future finishes, logs
    /// the line, records the metrics and echoes the request id.
    pub struct Traced<F, B> {
        #[pin]
        state: State<F, B>,
        id: RequestId,
        route: Arc<str>,
        method: Method,
        metrics: Option<Arc<Metrics>>,
        started: Instant,
        _in_flight: Option<InFlight>,
    }
}

impl<F, B> Future for Traced<F, B>
where
    F: Future<Output = Result<ServiceResponse<B>, actix_web::Error>>,
    B: MessageBody,
{
    type Output = Outcome<B>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let outcome = match this.state.project() {
            StateProj::Running { call } => match ready!(call.poll(cx)) {
                Ok(result) => result.map(ServiceResponse::map_into_left_body),
                Err(panic) => Err(panicked(*this.id, panic.as_ref())),
            },
            StateProj::Done { outcome } => match outcome.take() {
                Some(outcome) => outcome,
                // Polled again after finishing: a caller's bug, not a panic.
                None => return Poll::Ready(Err(ApiError::Internal.into())),
            },
        };
        let latency = this.started.elapsed();
        let status = match &outcome {
            Ok(res) => res.status(),
            Err(err) => err.as_response_error().status_code(),
        };
        // Outside the request's scope, so the id is the line's own field.
        log_access(&AccessLine {
            method: method_label(this.method),
            route: Label::Borrowed(this.route),
            status: status.as_u16(),
            latency_ms: latency_ms(latency),
            request_id: this.id.as_str(),
        });
        if let Some(metrics) = this.metrics {
            metrics.observe(this.method.as_str(), this.route, status.as_u16(), latency);
        }
        Poll::Ready(outcome.map(|mut res| {
            if let Some(value) = this.id.header_value() {
                res.headers_mut().insert(REQUEST_ID_HEADER, value);
            }
            res
        }))
    }
}

#[cfg(test)]
mod id_tests {
    use super::RequestId;

    #[test]
    fn the_access_line_keeps_a_standard_method_static_and_any_other_as_sent() {
        use super::{method_label, Label, Method};
        assert!(matches!(
            method_label(&Method::PATCH),
            Label::Static("PATCH")
        ));
        let invented = Method::from_bytes(b"OTHER").unwrap();
        assert!(matches!(method_label(&invented), Label::Borrowed("OTHER")));
        let invented = Method::from_bytes(b"BREW").unwrap();
        assert!(matches!(method_label(&invented), Label::Borrowed("BREW")));
    }

    #[test]
    fn request_ids_are_distinct_uuid_v4s() {
        let ids: std::collections::HashSet<String> = (0..1000)
            .map(|_| RequestId::random().as_str().to_owned())
            .collect();
        assert_eq!(ids.len(), 1000);
        for id in ids.iter().take(10) {
            let parsed = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(parsed.get_version_num(), 4, "{id}");
        }
    }

    #[test]
    fn latency_is_written_as_the_shortest_decimal_of_its_nanoseconds() {
        use std::time::Duration;
        assert_eq!(
            super::latency_ms(Duration::from_nanos(3_848)).to_string(),
            "0.003848"
        );
        assert_eq!(
            super::latency_ms(Duration::from_millis(1_250)).to_string(),
            "1250"
        );
        assert_eq!(
            super::latency_ms(Duration::from_nanos(1)).to_string(),
            "0.000001"
        );
    }

    #[test]
    fn a_callers_id_is_taken_when_it_is_1_to_128_printable_ascii_characters() {
        let longest = "x".repeat(128);
        assert_eq!(
            RequestId::from_caller(longest.as_bytes()).unwrap().as_str(),
            longest
        );
        assert_eq!(
            RequestId::from_caller(b"trace-7/a:b").unwrap().as_str(),
            "trace-7/a:b"
        );
        for refused in [
            &b""[..],
            &[b'x'; 129],
            b"has space",
            b"tab\t",
            "caf\u{e9}".as_bytes(),
        ] {
            assert!(RequestId::from_caller(refused).is_none(), "{refused:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::dev::Service as _;
    use actix_web::{test, web, App, HttpResponse};

    use super::*;

    #[actix_web::test]
    async fn a_panicking_handler_answers_a_500_problem_and_the_app_keeps_serving() {
        let app = test::init_service(
            App::new()
                .app_data(web::Data::new(Metrics::default()))
                .route(
                    "/boom",
                    web::get().to(|| async { panic!("boom") as HttpResponse }),
                )
                .route("/fine", web::get().to(HttpResponse::Ok))
                .wrap(Telemetry),
        )
        .await;
        // The HTTP dispatcher turns the error into its response, as here.
        let res = app
            .call(test::TestRequest::get().uri("/boom").to_request())
            .await
            .expect_err("the panic travels as an error carrying its response")
            .error_response();
        assert_eq!(res.status().as_u16(), 500);
        assert_eq!(
            res.headers().get("content-type").unwrap(),
            "application/problem+json"
        );
        let bytes = actix_web::body::to_bytes(res.into_body()).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body["code"], "internal");
        assert!(body["request_id"].is_string(), "{body}");
        let res =
            test::call_service(&app, test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(res.status().as_u16(), 200);
    }
}
