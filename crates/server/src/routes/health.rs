//! `GET /health` and `GET /ready`.

use actix_web::{get, web::Json};
use infraval_api::health::Health;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the health routes.
pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(health).service(ready);
}

fn ok() -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// Liveness.
///
/// Answers 200 while the process serves requests.
#[utoipa::path(tag = "health", responses((status = 200, description = "The service is live", body = Health)))]
#[get("/health")]
async fn health() -> Json<Health> {
    ok()
}

/// Readiness.
///
/// Answers 200 when the service can take traffic. The service holds no
/// state and needs no backing store, so it is ready as soon as it listens.
#[utoipa::path(tag = "health", responses((status = 200, description = "The service is ready", body = Health)))]
#[get("/ready")]
async fn ready() -> Json<Health> {
    ok()
}
