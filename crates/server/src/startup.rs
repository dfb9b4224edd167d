//! Building and running the server: `Application::build`, then
//! `run_until_stopped`.

use std::net::TcpListener;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use utoipa::OpenApi as _;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Settings;
use crate::extract::BodyLimit;
use crate::openapi::{with_shared_responses, ApiDoc};
use crate::routes::{self, fallback};
use crate::telemetry;

/// The OpenAPI document, generated from the route declarations.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_app, doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    with_shared_responses(doc)
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
        let doc = openapi();
        let known = web::Data::new(fallback::KnownRoutes::from_openapi(&doc));
        let limit = web::Data::new(BodyLimit(settings.body_limit_bytes));
        let server = HttpServer::new(move || {
            let (app, _) = App::new()
                .into_utoipa_app()
                .configure(routes::configure)
                .split_for_parts();
            app.app_data(known.clone())
                .app_data(limit.clone())
                .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", doc.clone()))
                .service(web::redirect("/docs", "/docs/"))
                .service(web::redirect("/", "/docs/"))
                .default_service(web::to(fallback::not_matched))
                .wrap(from_fn(telemetry::trace_request))
        })
        .workers(settings.workers)
        .shutdown_timeout(settings.shutdown_grace.as_secs())
        // Signals are ours: actix would stop at once on SIGINT, and both
        // SIGINT and SIGTERM must let in-flight requests finish.
        .disable_signals()
        .listen(listener)?
        .run();
        tracing::info!(addr = %settings.addr, port, workers = settings.workers, "listening");
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

    /// Serves until stopped through the handle or by SIGTERM / SIGINT, then
    /// lets in-flight requests finish within the grace period.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let signals = actix_web::rt::spawn(async move {
            shutdown_signal().await;
            tracing::info!("shutdown signal received; finishing in-flight requests");
            handle.stop(true).await;
        });
        let result = self.server.await;
        signals.abort();
        tracing::info!("stopped");
        result
    }
}

#[cfg(unix)]
async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {},
                _ = int.recv() => {},
            }
        }
        _ => std::future::pending().await,
    }
}

#[cfg(not(unix))]
async fn shutdown_signal() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
