//! The direct path for the JSON API: `POST /v1/*` without actix-web's
//! per-request machinery.
//!
//! Every `/v1` operation is a POST that takes a JSON body and answers JSON,
//! so it needs none of what actix-web's `App` builds for each request: an
//! `HttpRequest` with its extensions, a walk of the router's patterns with
//! a method guard per route, an extractor future, a responder, and the
//! generic middleware around them. On this service's cheapest operation
//! that machinery cost about as much again as the work itself (see
//! `bench/RESULTS.md`).
//!
//! [`Dispatch`] sits between actix-http and the `App`. A `POST` whose path
//! is exactly one of the [`ApiRoutes`] is answered here, by one table
//! lookup and straight-line code doing what the `App` path does: the same
//! API-key check, body checks and parsing ([`crate::extract`]), the same
//! handler logic, the same problem bodies, request id, access line,
//! metrics and panic guard ([`crate::telemetry`]). Everything else (other
//! methods, other paths, percent-encoded paths, docs, health, metrics) goes
//! to the `App` unchanged, which also serves every `/v1` route itself:
//! the direct path is a shortcut, never the only way. A test sends every
//! documented example through both and compares the answers.
//!
//! With CORS configured the direct path is off, so that the CORS
//! middleware sees every request.

use std::collections::HashMap;
use std::future::Future;
use std::hash::BuildHasherDefault;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use actix_http::body::{BoxBody, EitherBody, MessageBody};
use actix_http::{HttpMessage as _, Payload, Request, Response};
use actix_web::dev::{AppConfig, Service, ServiceFactory, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::web::{Bytes, BytesMut};
use actix_web::ResponseError as _;
use futures_util::future::LocalBoxFuture;
use futures_util::Stream;
use pin_project_lite::pin_project;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::auth::{self, ApiKeys};
use crate::error::{ApiError, BodyError};
use crate::extract;
use crate::json_log::{AccessLine, Label};
use crate::metrics::{Fnv, InFlight, Metrics};
use crate::telemetry::{self, RequestId, REQUEST_ID, REQUEST_ID_HEADER};

/// A JSON answer, serialised.
type Reply = Result<Vec<u8>, ApiError>;

/// An answer still being computed.
type Pending = LocalBoxFuture<'static, Reply>;

/// Parses a body and answers at once.
type InlineFn = dyn Fn(&[u8]) -> Reply + Send + Sync;

/// Parses a body and starts the computation.
type DeferredFn = dyn Fn(&[u8]) -> Result<Pending, ApiError> + Send + Sync;

/// How a route computes its answer from the request body.
enum Handler {
    /// On the worker, at once: cheap operations.
    Inline(Box<InlineFn>),
    /// As a future: operations that run on the blocking pool.
    Deferred(Box<DeferredFn>),
}

/// The `POST /v1/*` operations answered directly, by exact path.
#[derive(Default)]
pub struct ApiRoutes {
    routes: HashMap<&'static str, Handler, BuildHasherDefault<Fnv>>,
}

impl std::fmt::Debug for ApiRoutes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.paths()).finish()
    }
}

/// A response body as JSON. Every wire type serialises: the only refusal
/// is a Decimal beyond f64's range, which Decimal's own range excludes.
fn to_json<T: Serialize>(value: &T) -> Reply {
    let mut out = Vec::with_capacity(512);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, WholeNumbers);
    value.serialize(&mut serializer).map_err(|err| {
        tracing::error!(error = %err, "a response failed to serialise; answering 500");
        ApiError::Internal
    })?;
    Ok(out)
}

/// serde_json's compact output, byte for byte, with whole numbers written
/// by itoa.
///
/// serde_json writes every double with zmij, which searches for its
/// shortest round-tripping digits. For a whole number of magnitude below
/// 2^53 those are its integer digits, and zmij writes them followed by
/// `.0` (`399990000.0`), as this does at a fraction of the cost. Whole
/// dollars, MW and kW are most of what the cheap operations return. Every
/// other double, `-0.0` included, goes to serde_json's own formatter.
struct WholeNumbers;

impl serde_json::ser::Formatter for WholeNumbers {
    fn write_f64<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        value: f64,
    ) -> std::io::Result<()> {
        // 2^53.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        // Saturating and exact for |value| < 2^53; NaN becomes 0, which
        // does not compare equal to it.
        #[allow(clippy::cast_possible_truncation)]
        let whole = value as i64;
        #[allow(clippy::cast_precision_loss, clippy::float_cmp)]
        let is_whole = whole as f64 == value && value.abs() < EXACT;
        if is_whole && (whole != 0 || value.is_sign_positive()) {
            writer.write_all(itoa::Buffer::new().format(whole).as_bytes())?;
            return writer.write_all(b".0");
        }
        serde_json::ser::CompactFormatter.write_f64(writer, value)
    }
}

impl ApiRoutes {
    /// Adds an operation computed on the worker: `f` is the same function
    /// the `App`'s handler calls.
    pub fn inline<Req, Resp>(
        &mut self,
        path: &'static str,
        f: fn(Req) -> Result<Resp, ApiError>,
    ) -> &mut Self
    where
        Req: DeserializeOwned + 'static,
        Resp: Serialize + 'static,
    {
        let handler = move |body: &[u8]| to_json(&f(extract::parse::<Req>(body)?)?);
        self.add(path, Handler::Inline(Box::new(handler)))
    }

    /// Adds an operation whose computation is a future (it runs on the
    /// blocking pool): `f` is the same function the `App`'s handler awaits.
    pub fn deferred<Req, Resp, Fut>(&mut self, path: &'static str, f: fn(Req) -> Fut) -> &mut Self
    where
        Req: DeserializeOwned + 'static,
        Resp: Serialize + 'static,
        Fut: Future<Output = Result<Resp, ApiError>> + 'static,
    {
        let handler = move |body: &[u8]| {
            let future = f(extract::parse::<Req>(body)?);
            Ok(Box::pin(async move { to_json(&future.await?) }) as Pending)
        };
        self.add(path, Handler::Deferred(Box::new(handler)))
    }

    fn add(&mut self, path: &'static str, handler: Handler) -> &mut Self {
        let previous = self.routes.insert(path, handler);
        assert!(previous.is_none(), "{path} is declared twice");
        self
    }

    /// The paths answered directly, sorted.
    pub fn paths(&self) -> Vec<&'static str> {
        let mut paths: Vec<_> = self.routes.keys().copied().collect();
        paths.sort_unstable();
        paths
    }

    fn get(&'static self, path: &str) -> Option<(&'static str, &'static Handler)> {
        self.routes.get_key_value(path).map(|(k, v)| (*k, v))
    }
}

/// What the direct path shares with the `App`: its settings and metrics.
#[derive(Debug, Clone)]
pub struct Shared {
    /// The operations answered directly.
    pub routes: &'static ApiRoutes,
    /// The largest accepted body, bytes.
    pub body_limit: usize,
    /// The accepted API keys, when keys are required.
    pub api_keys: Option<Arc<ApiKeys>>,
    /// The metrics the `App`'s `/metrics` renders.
    pub metrics: Arc<Metrics>,
}

/// The service factory handed to `HttpServer`: the direct path in front of
/// the `App`. With `shared` unset, every request goes to the `App`.
pub struct Dispatch<F> {
    app: F,
    shared: Option<Shared>,
}

impl<F> Dispatch<F> {
    /// Puts the direct path in front of `app` (an `App`'s service factory,
    /// from `IntoServiceFactory::into_factory`).
    pub fn new(app: F, shared: Option<Shared>) -> Self {
        Dispatch { app, shared }
    }
}

impl<F, B> ServiceFactory<Request> for Dispatch<F>
where
    F: ServiceFactory<
        Request,
        Config = AppConfig,
        Response = ServiceResponse<B>,
        Error = actix_web::Error,
        InitError = (),
    >,
    F::Service: 'static,
    F::Future: 'static,
    B: MessageBody + 'static,
{
    type Response = Response<EitherBody<BoxBody, B>>;
    type Error = actix_web::Error;
    type Config = AppConfig;
    type Service = DispatchService<F::Service>;
    type InitError = ();
    type Future = LocalBoxFuture<'static, Result<Self::Service, ()>>;

    fn new_service(&self, config: AppConfig) -> Self::Future {
        let app = self.app.new_service(config);
        let shared = self.shared.clone().map(Rc::new);
        Box::pin(async move {
            Ok(DispatchService {
                app: app.await?,
                shared,
            })
        })
    }
}

/// A worker's [`Dispatch`].
pub struct DispatchService<S> {
    app: S,
    shared: Option<Rc<Shared>>,
}

impl<S, B> Service<Request> for DispatchService<S>
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    type Response = Response<EitherBody<BoxBody, B>>;
    type Error = actix_web::Error;
    type Future = DispatchFuture<S::Future>;

    actix_web::dev::forward_ready!(app);

    fn call(&self, mut req: Request) -> Self::Future {
        if let Some(shared) = &self.shared {
            if req.method() == Method::POST {
                if let Some((route, handler)) = shared.routes.get(req.path()) {
                    let direct = Direct::start(shared, route, handler, &mut req);
                    return DispatchFuture::Direct { direct };
                }
            }
        }
        DispatchFuture::App {
            call: self.app.call(req),
        }
    }
}

pin_project! {
    /// A request on its way: answered directly, or by the `App`.
    #[project = DispatchProj]
    #[allow(missing_docs)] // the variants' single fields say it all
    pub enum DispatchFuture<F> {
        /// Answered here.
        Direct { direct: Direct },
        /// Passed to the `App`.
        App { #[pin] call: F },
    }
}

impl<F, B> Future for DispatchFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, actix_web::Error>>,
    B: MessageBody,
{
    type Output = Result<Response<EitherBody<BoxBody, B>>, actix_web::Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            DispatchProj::Direct { direct } => direct
                .poll(cx)
                .map(|res| Ok(res.map_body(|_, body| EitherBody::left(body)))),
            DispatchProj::App { call } => call.poll(cx).map(|res| {
                res.map(|res| Response::from(res).map_body(|_, body| EitherBody::right(body)))
            }),
        }
    }
}

/// The request body, gathered without a copy when it comes in one piece.
enum Body {
    Empty,
    One(Bytes),
    Many(BytesMut),
}

impl Body {
    fn len(&self) -> usize {
        match self {
            Body::Empty => 0,
            Body::One(bytes) => bytes.len(),
            Body::Many(bytes) => bytes.len(),
        }
    }

    fn push(&mut self, chunk: Bytes) {
        *self = match std::mem::replace(self, Body::Empty) {
            Body::Empty => Body::One(chunk),
            Body::One(first) => {
                let mut all = BytesMut::with_capacity(first.len() + chunk.len());
                all.extend_from_slice(&first);
                all.extend_from_slice(&chunk);
                Body::Many(all)
            }
            Body::Many(mut all) => {
                all.extend_from_slice(&chunk);
                Body::Many(all)
            }
        }
    }

    fn as_slice(&self) -> &[u8] {
        match self {
            Body::Empty => &[],
            Body::One(bytes) => bytes,
            Body::Many(bytes) => bytes,
        }
    }
}

/// Where a directly answered request is.
enum Step {
    /// Reading the body.
    Reading {
        payload: Payload,
        body: Body,
        limit: usize,
        handler: &'static Handler,
    },
    /// Waiting for a deferred computation.
    Computing(Pending),
    /// Answered (the answer not yet taken).
    Done(Option<Reply>),
}

/// A request answered by the direct path.
pub struct Direct {
    step: Step,
    id: RequestId,
    route: &'static str,
    started: Instant,
    metrics: Arc<Metrics>,
    _in_flight: InFlight,
}

impl Direct {
    fn start(
        shared: &Shared,
        route: &'static str,
        handler: &'static Handler,
        req: &mut Request,
    ) -> Direct {
        let started = Instant::now();
        let in_flight = shared.metrics.start();
        let id = RequestId::for_request(req.headers());
        let checked = auth::check_parts(shared.api_keys.as_deref(), req.path(), req.headers())
            .and_then(|()| {
                extract::precheck(req.headers(), shared.body_limit).map_err(ApiError::from)
            });
        let step = match checked {
            Err(err) => Step::Done(Some(Err(err))),
            Ok(()) => Step::Reading {
                payload: req.take_payload(),
                body: Body::Empty,
                limit: shared.body_limit,
                handler,
            },
        };
        Direct {
            step,
            id,
            route,
            started,
            metrics: Arc::clone(&shared.metrics),
            _in_flight: in_flight,
        }
    }

    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Response<BoxBody>> {
        let id = self.id;
        let reply = loop {
            match &mut self.step {
                Step::Reading {
                    payload,
                    body,
                    limit,
                    handler,
                } => match Pin::new(payload).poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Some(Ok(chunk))) => {
                        if body.len() + chunk.len() > *limit {
                            let limit = *limit;
                            self.step = Step::Done(Some(Err(BodyError::TooLarge { limit }.into())));
                        } else {
                            body.push(chunk);
                        }
                    }
                    Poll::Ready(Some(Err(err))) => {
                        let err = BodyError::Unreadable {
                            detail: err.to_string(),
                        };
                        self.step = Step::Done(Some(Err(err.into())));
                    }
                    Poll::Ready(None) => {
                        let handler: &Handler = handler;
                        let body = body.as_slice();
                        let run = || match handler {
                            Handler::Inline(f) => Step::Done(Some(f(body))),
                            Handler::Deferred(f) => match f(body) {
                                Ok(future) => Step::Computing(future),
                                Err(err) => Step::Done(Some(Err(err))),
                            },
                        };
                        let next = REQUEST_ID
                            .sync_scope(id, || std::panic::catch_unwind(AssertUnwindSafe(run)));
                        match next {
                            Ok(next) => self.step = next,
                            Err(panic) => break Err(telemetry::panicked(id, panic.as_ref())),
                        }
                    }
                },
                Step::Computing(future) => {
                    let polled = REQUEST_ID.sync_scope(id, || {
                        std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx)))
                    });
                    match polled {
                        Ok(Poll::Pending) => return Poll::Pending,
                        Ok(Poll::Ready(reply)) => self.step = Step::Done(Some(reply)),
                        Err(panic) => break Err(telemetry::panicked(id, panic.as_ref())),
                    }
                }
                Step::Done(reply) => match reply.take() {
                    Some(reply) => break Ok(reply),
                    // Polled again after answering: a caller's bug.
                    None => break Ok(Err(ApiError::Internal)),
                },
            }
        };
        let mut res = match reply {
            Ok(Ok(json)) => {
                let mut res = Response::with_body(StatusCode::OK, BoxBody::new(Bytes::from(json)));
                res.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                res
            }
            // The problem body names the request id it finds in scope.
            Ok(Err(err)) => REQUEST_ID.sync_scope(id, || err.error_response()).into(),
            Err(panicked) => panicked.error_response().into(),
        };
        if let Some(value) = id.header_value() {
            res.headers_mut().insert(REQUEST_ID_HEADER, value);
        }
        let latency = self.started.elapsed();
        let status = res.status().as_u16();
        telemetry::log_access(&AccessLine {
            method: Label::Static("POST"),
            route: Label::Static(self.route),
            status,
            latency_ms: telemetry::latency_ms(latency),
            request_id: id.as_str(),
        });
        self.metrics.observe("POST", self.route, status, latency);
        Poll::Ready(res)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The bytes `to_json` writes for `value`, against serde_json's own.
    fn both(value: f64) -> (Vec<u8>, String) {
        let ours = to_json(&[value]).unwrap_or_default();
        (ours, serde_json::to_string(&[value]).unwrap())
    }

    #[test]
    fn whole_numbers_are_written_as_serde_json_writes_them() {
        // zmij's text: digits, then `.0`; signed zero kept; 2^53 and
        // beyond, fractions, NaN and infinities left to serde_json.
        for (value, text) in [
            (399_990_000.0, "[399990000.0]"),
            (-250.0, "[-250.0]"),
            (0.0, "[0.0]"),
            (-0.0, "[-0.0]"),
            (9_007_199_254_740_991.0, "[9007199254740991.0]"),
            (9_007_199_254_740_992.0, "[9007199254740992.0]"),
            (1e16, "[1e+16]"),
            (133.33, "[133.33]"),
            (f64::NAN, "[null]"),
            (f64::INFINITY, "[null]"),
        ] {
            let (ours, theirs) = both(value);
            assert_eq!(String::from_utf8(ours).unwrap(), text, "{value}");
            assert_eq!(theirs, text, "{value}");
        }
    }

    proptest! {
        #[test]
        fn any_double_is_written_as_serde_json_writes_it(bits in any::<u64>()) {
            let (ours, theirs) = both(f64::from_bits(bits));
            prop_assert_eq!(String::from_utf8(ours).unwrap(), theirs);
        }

        #[test]
        fn any_whole_double_is_written_as_serde_json_writes_it(
            whole in -(1i64 << 54)..(1i64 << 54),
        ) {
            #[allow(clippy::cast_precision_loss)]
            let (ours, theirs) = both(whole as f64);
            prop_assert_eq!(String::from_utf8(ours).unwrap(), theirs);
        }
    }
}
