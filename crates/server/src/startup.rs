//! Building and running the server: `Application::build`, then
//! `run_until_stopped`.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::{Server, ServerHandle};
use actix_web::http::{header, KeepAlive, Method};
use actix_web::middleware::{from_fn, Condition};
use actix_web::{web, App, HttpServer};

use crate::batch::{self, BatchPool};
use crate::compute::{self, HeavyWork};
use crate::config::Settings;
use crate::docs;
use crate::extract::BodyLimit;
use crate::metrics::Metrics;
use crate::mount::{self, KnownRoutes};
use crate::telemetry;

/// CORS for the listed origins: GET and POST with JSON bodies, the API key
/// and the request id.
fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods([Method::GET, Method::POST])
        .allowed_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            telemetry::REQUEST_ID_HEADER,
        ])
        .expose_headers([telemetry::REQUEST_ID_HEADER, header::RETRY_AFTER])
        .max_age(3600)
}

/// A bound, not yet running, server.
pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Binds the listener and builds the server; nothing is served until
    /// [`Application::run_until_stopped`].
    pub fn build(settings: &Settings) -> std::io::Result<Self> {
        let listener = TcpListener::bind(&settings.addr)?;
        let port = listener.local_addr()?.port();
        let doc = mount::openapi();
        let known = web::Data::new(KnownRoutes::new());
        let limit = web::Data::new(BodyLimit(settings.body_limit_bytes));
        let metrics = web::Data::from(Metrics::start());
        let heavy = web::Data::new(HeavyWork::new(settings.heavy_work_limit));
        let pool = web::Data::new(BatchPool::new(None).map_err(std::io::Error::other)?);
        let batch_limit = web::Data::new(BodyLimit(settings.batch_body_limit_bytes));
        let api_keys = settings.api_keys.clone().map(web::Data::new);
        let cors_origins = settings.cors_origins.clone();
        let server = HttpServer::new(move || {
            let mut app = App::new()
                .app_data(known.clone())
                .app_data(limit.clone())
                .app_data(metrics.clone())
                .app_data(heavy.clone())
                .app_data(pool.clone());
            if let Some(keys) = &api_keys {
                app = app.app_data(keys.clone());
            }
            app.configure(mount::configure)
                .service(
                    web::resource(batch::PATH)
                        .app_data(batch_limit.clone())
                        .route(web::post().to(batch::handle)),
                )
                .configure(|cfg| docs::configure(cfg, doc.clone()))
                .default_service(web::to(mount::not_matched))
                .wrap(from_fn(telemetry::observe))
                .wrap(Condition::new(
                    !cors_origins.is_empty(),
                    cors(&cors_origins),
                ))
        })
        .workers(settings.workers)
        .worker_max_blocking_threads(compute::MAX_BLOCKING_THREADS_PER_WORKER)
        .shutdown_timeout(settings.shutdown_grace.as_secs())
        .client_request_timeout(settings.client_request_timeout)
        .client_disconnect_timeout(settings.client_disconnect_timeout)
        .keep_alive(KeepAlive::Timeout(settings.keep_alive))
        // Signals are handled by `stop_on_signal`.
        .disable_signals()
        .listen(listener)?
        .run();
        tracing::info!(addr = %settings.addr, port, workers = settings.workers, "bound");
        Ok(Application { port, server })
    }

    /// The bound port (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped through [`Application::handle`], then lets
    /// in-flight requests finish within the grace period.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        tracing::info!(port = self.port, "listening");
        let result = self.server.await;
        tracing::info!("stopped");
        result
    }
}

/// Stops the server gracefully on the first SIGTERM or SIGINT.
///
/// The handlers are registered before this returns, so a signal that
/// arrives at any point after is honoured; the returned future does the
/// waiting. Actix's own handling is disabled because it stops at once on
/// SIGINT; here both signals let in-flight requests finish.
#[cfg(unix)]
pub fn stop_on_signal(
    handle: ServerHandle,
) -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {},
            _ = int.recv() => {},
        }
        tracing::info!("shutdown signal received; finishing in-flight requests");
        handle.stop(true).await;
    })
}
