//! The routes, one file per resource, each with a `config` function.
//!
//! [`configure`] is the single declaration that feeds both the router and
//! the OpenAPI document.

use std::sync::OnceLock;

use utoipa_actix_web::scope;

use crate::dispatch::ApiRoutes;
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

/// The `POST /v1/*` operations the direct path answers: every one.
pub fn api_routes() -> &'static ApiRoutes {
    static ROUTES: OnceLock<ApiRoutes> = OnceLock::new();
    ROUTES.get_or_init(|| {
        let mut routes = ApiRoutes::default();
        colocation::direct(&mut routes);
        build_cost::direct(&mut routes);
        convertibles::direct(&mut routes);
        convertible_pricing::direct(&mut routes);
        mining::direct(&mut routes);
        valuations::direct(&mut routes);
        routes
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_direct_path_answers_exactly_the_documented_v1_posts() {
        let doc = crate::startup::openapi();
        let mut documented: Vec<&str> = doc
            .paths
            .paths
            .iter()
            .filter(|(path, item)| path.starts_with("/v1/") && item.post.is_some())
            .map(|(path, _)| path.as_str())
            .collect();
        documented.sort_unstable();
        assert!(!documented.is_empty());
        assert_eq!(api_routes().paths(), documented);
        // Every documented operation under /v1 is a POST.
        assert!(doc
            .paths
            .paths
            .iter()
            .filter(|(path, _)| path.starts_with("/v1/"))
            .all(|(_, item)| item.get.is_none() && item.put.is_none() && item.delete.is_none()));
    }
}
