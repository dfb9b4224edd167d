//! The routes, one file per resource, each with a `config` function.
//!
//! [`configure`] is the single declaration that feeds both the router and
//! the OpenAPI document.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub mod build_cost;
pub mod colocation;
pub mod convertible_pricing;
pub mod convertibles;
pub mod fallback;
pub mod health;
pub mod metrics;
pub mod mining;
pub mod valuations;

/// Registers every documented route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(health::config)
        .configure(metrics::config)
        .service(
            scope::scope("/v1")
                .configure(colocation::config)
                .configure(build_cost::config)
                .configure(convertibles::config)
                .configure(convertible_pricing::config)
                .configure(mining::config)
                .configure(valuations::config),
        );
}
