//! `GET /metrics`.

use actix_web::{get, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::metrics::Metrics;

/// Registers the metrics route.
pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(metrics);
}

/// Prometheus metrics.
///
/// Text exposition format 0.0.4: `infraval_http_requests_total` and the
/// `infraval_http_request_duration_seconds` histogram by method, route
/// template and status; `infraval_http_requests_in_flight`;
/// `infraval_build_info`.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain", body = String))
)]
#[get("/metrics")]
async fn metrics(metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(metrics.render())
}
