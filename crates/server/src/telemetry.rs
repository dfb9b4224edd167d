//! Structured logs, request ids, metrics and the panic guard.
//!
//! Logs are `tracing-subscriber`'s JSON (or pretty) format written through
//! `tracing-appender`'s non-blocking writer in its lossy mode: a request
//! never waits on log output. When the output is not drained (a pipe
//! nobody reads, a stuck collector, a full disk) lines beyond the buffer
//! are dropped and counted (`infraval_log_lines_dropped_total`), and a
//! warning with the count is written once the output flows again.
//!
//! [`observe`], on the `App`, gives every request its id, its access line,
//! its metrics, the API-key check and the panic guard. There is no span per
//! request: the only events logged inside a request (a panic) carry the
//! request id themselves, and the id for problem bodies is a task-local.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, ResponseError as _};
use futures_util::FutureExt as _;
use tracing_appender::non_blocking::{ErrorCounter, NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

use crate::auth;
use crate::config::LogFormat;
use crate::error::ApiError;
use crate::metrics::{self, Metrics};
use crate::mount::KnownRoutes;

/// The header that carries the request id, in and out.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Log lines held for the output by default; beyond them lines are
/// dropped, not waited for. About 300 bytes each.
pub const DEFAULT_LOG_BUFFER_LINES: u32 = 16_384;

tokio::task_local! {
    /// The id of the request being served, for problem bodies.
    static REQUEST_ID: RequestId;
}

/// The id of the request being served on this task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(|id| id.as_str().to_owned()).ok()
}

/// A request id: the caller's `X-Request-Id` when it is 1 to 128
/// printable ASCII characters, else a random UUID v4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    /// The longest id taken from a caller.
    pub const MAX_LEN: usize = 128;

    /// The caller's id, if it is acceptable.
    pub fn from_caller(value: &[u8]) -> Option<Self> {
        let acceptable = !value.is_empty()
            && value.len() <= Self::MAX_LEN
            && value.iter().all(u8::is_ascii_graphic);
        acceptable.then(|| RequestId(String::from_utf8_lossy(value).into_owned()))
    }

    /// A random UUID v4.
    pub fn random() -> Self {
        RequestId(uuid::Uuid::new_v4().to_string())
    }

    /// The caller's id from the request's headers, else a random one.
    pub fn for_request(headers: &HeaderMap) -> Self {
        headers
            .get(&REQUEST_ID_HEADER)
            .and_then(|v| Self::from_caller(v.as_bytes()))
            .unwrap_or_else(Self::random)
    }

    /// The id as text (always ASCII).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The log writer's dropped-line count, once logging is installed.
static DROPPED: OnceLock<ErrorCounter> = OnceLock::new();

/// Log lines dropped so far because the output was not drained.
pub fn dropped_log_lines() -> u64 {
    DROPPED
        .get()
        .map_or(0, |c| u64::try_from(c.dropped_lines()).unwrap_or(u64::MAX))
}

/// Keeps the log writer's thread; on drop, gives it up to two seconds to
/// write out what is buffered (never longer: the output may be stuck).
#[derive(Debug)]
pub struct LogGuard(Option<WorkerGuard>);

impl Drop for LogGuard {
    fn drop(&mut self) {
        if let Some(guard) = self.0.take() {
            let (done, wait) = std::sync::mpsc::channel();
            let _ = std::thread::Builder::new()
                .name("infraval-log-flush".to_owned())
                .spawn(move || {
                    drop(guard);
                    let _ = done.send(());
                });
            let _ = wait.recv_timeout(Duration::from_secs(2));
        }
    }
}

/// The output under the non-blocking writer: buffered stdout that warns,
/// through `tracing`, how many lines were dropped, once the output flows
/// again. The writer's thread flushes whenever its queue is empty; the
/// warning waits for a flush with no drop since the one before, since
/// right after a stuck write the queue is still full and would drop it.
struct ReportDrops<W> {
    out: W,
    dropped: Arc<OnceLock<ErrorCounter>>,
    /// The drop count last warned about.
    reported: usize,
    /// The drop count at the previous flush.
    at_last_flush: usize,
}

impl<W: Write> Write for ReportDrops<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()?;
        let dropped = self.dropped.get().map_or(0, ErrorCounter::dropped_lines);
        let flowing = dropped == self.at_last_flush;
        self.at_last_flush = dropped;
        if flowing && dropped > self.reported {
            tracing::warn!(
                dropped_lines = dropped - self.reported,
                total_dropped_lines = dropped,
                "the log output was not drained; lines were dropped"
            );
            self.reported = dropped;
        }
        Ok(())
    }
}

/// Installs the global subscriber, filtered by `RUST_LOG` (default `info`),
/// writing to stdout through a buffer of `buffer_lines` lines.
pub fn init(format: Option<LogFormat>, buffer_lines: usize) -> LogGuard {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let format = format.unwrap_or(if std::io::stdout().is_terminal() {
        LogFormat::Pretty
    } else {
        LogFormat::Json
    });
    let dropped = Arc::new(OnceLock::new());
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(true)
        .buffered_lines_limit(buffer_lines.max(1))
        .thread_name("infraval-log")
        .finish(ReportDrops {
            out: std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout()),
            dropped: Arc::clone(&dropped),
            reported: 0,
            at_last_flush: 0,
        });
    let counter = writer.error_counter();
    let _ = dropped.set(counter.clone());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    // try_init: a second call (as in tests) keeps the first subscriber.
    let installed = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
    match installed {
        Ok(()) => {
            let _ = DROPPED.set(counter);
            LogGuard(Some(guard))
        }
        Err(_) => LogGuard(None),
    }
}

/// The route template that labels a request in logs and metrics: the
/// declared route, else the router's pattern, else `unmatched`.
fn route_label(req: &ServiceRequest) -> Cow<'static, str> {
    req.app_data::<web::Data<KnownRoutes>>()
        .and_then(|known| known.route(req.method(), req.path()))
        .map(Cow::Borrowed)
        .or_else(|| req.match_pattern().map(Cow::Owned))
        .unwrap_or(Cow::Borrowed("unmatched"))
}

/// The 500 problem for a handler that panicked, logged with the request
/// id. The request was consumed by the panicking call, so the problem
/// travels as an error carrying its finished response.
#[cold]
fn panicked(id: &RequestId, panic: &(dyn std::any::Any + Send)) -> actix_web::Error {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %message, request_id = id.as_str(), "a handler panicked; answering 500");
    let mut response = ApiError::Internal.error_response();
    if let Ok(value) = HeaderValue::from_str(id.as_str()) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    InternalError::from_response("a handler panicked", response).into()
}

/// The middleware every request passes (`middleware::from_fn`): the
/// request id, taken from `X-Request-Id` or made, echoed and put in problem
/// bodies; the API-key check for `/v1/*`; a panic in a handler turned into
/// a logged 500 problem, so the worker survives; one access line per
/// request (method, route, status, latency, request id; never bodies); and
/// the request metrics.
pub async fn observe<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let started = Instant::now();
    let id = RequestId::for_request(req.headers());
    let method = metrics::method_label(req.method().as_str());
    let route = route_label(&req);
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let _in_flight = metrics.as_ref().map(|m| m.start_request());
    let scoped_id = id.clone();
    let outcome = REQUEST_ID
        .scope(id.clone(), async move {
            if let Err(denied) = auth::check(&req) {
                return Ok(req.error_response(denied).map_into_right_body());
            }
            let call = std::panic::catch_unwind(AssertUnwindSafe(|| next.call(req)));
            let finished = match call {
                Ok(call) => AssertUnwindSafe(call).catch_unwind().await,
                Err(panic) => Err(panic),
            };
            match finished {
                Ok(result) => result.map(ServiceResponse::map_into_left_body),
                Err(panic) => Err(panicked(&scoped_id, panic.as_ref())),
            }
        })
        .await;
    let latency = started.elapsed();
    let status = match &outcome {
        Ok(res) => res.status(),
        Err(err) => err.as_response_error().status_code(),
    };
    tracing::info!(
        method,
        route = &*route,
        status = status.as_u16(),
        latency_ms = latency_ms(latency),
        request_id = id.as_str(),
        "request completed"
    );
    if let Some(metrics) = metrics {
        metrics.observe(method, route, status.as_u16(), latency);
    }
    outcome.map(|mut res| {
        if let Ok(value) = HeaderValue::from_str(id.as_str()) {
            res.headers_mut().insert(REQUEST_ID_HEADER, value);
        }
        res
    })
}

/// A duration in milliseconds, as the access line gives it: whole
/// nanoseconds over 10⁶, so 3,848 ns is `0.003848`.
fn latency_ms(latency: Duration) -> f64 {
    // Exact below 2^53 ns (104 days).
    #[allow(clippy::cast_precision_loss)]
    let nanos = latency.as_nanos() as f64;
    nanos / 1e6
}

#[cfg(test)]
mod tests {
    use actix_web::dev::Service as _;
    use actix_web::{test, App, HttpResponse};

    use super::*;

    #[::core::prelude::v1::test]
    fn random_ids_are_distinct_uuid_v4s() {
        let ids: std::collections::HashSet<String> = (0..1000)
            .map(|_| RequestId::random().as_str().to_owned())
            .collect();
        assert_eq!(ids.len(), 1000);
        for id in ids.iter().take(10) {
            let parsed = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(parsed.get_version_num(), 4, "{id}");
        }
    }

    #[::core::prelude::v1::test]
    fn latency_is_written_as_the_shortest_decimal_of_its_nanoseconds() {
        assert_eq!(
            latency_ms(Duration::from_nanos(3_848)).to_string(),
            "0.003848"
        );
        assert_eq!(latency_ms(Duration::from_millis(1_250)).to_string(), "1250");
    }

    #[::core::prelude::v1::test]
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

    #[actix_web::test]
    async fn a_panicking_handler_answers_a_500_problem_and_the_app_keeps_serving() {
        let app = test::init_service(
            App::new()
                .app_data(web::Data::from(Metrics::start()))
                .route(
                    "/boom",
                    web::get().to(|| async { panic!("boom") as HttpResponse }),
                )
                .route("/fine", web::get().to(HttpResponse::Ok))
                .wrap(actix_web::middleware::from_fn(observe)),
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
