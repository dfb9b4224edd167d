//! Answers for requests no route takes: 404, or 405 with `Allow` when the
//! path exists under another method.
//!
//! Routes are matched against the OpenAPI document's paths, so the list of
//! known routes is never kept by hand.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use utoipa::openapi::OpenApi;

use crate::error::ApiError;

/// The documented paths with their methods, for 405 answers and for
/// naming a request's route without asking the router again.
#[derive(Debug, Clone, Default)]
pub struct KnownRoutes {
    routes: Vec<(Vec<String>, Vec<String>)>,
    /// Paths without parameters, which are their own route template.
    fixed: HashMap<String, (Arc<str>, Vec<String>)>,
}

impl KnownRoutes {
    /// Collects every path and its methods from the document.
    pub fn from_openapi(doc: &OpenApi) -> Self {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_owned).collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(m, _)| m.to_owned())
                .collect();
                (segments, methods)
            })
            .collect::<Vec<(Vec<String>, Vec<String>)>>();
        let fixed = routes
            .iter()
            .filter(|(segments, _)| !segments.iter().any(|s| s.starts_with('{')))
            .map(|(segments, methods)| {
                let path = segments.join("/");
                (path.clone(), (Arc::from(path), methods.clone()))
            })
            .collect();
        KnownRoutes { routes, fixed }
    }

    /// The route template of a request for `path` with `method` that a
    /// documented operation serves, when the path has no parameters: the
    /// path itself. `None` otherwise; then ask the router
    /// (`match_pattern`), which costs a walk of its tree and an allocation.
    pub fn fixed_route(&self, method: &str, path: &str) -> Option<Arc<str>> {
        let (template, methods) = self.fixed.get(path)?;
        methods
            .iter()
            .any(|m| m == method)
            .then(|| Arc::clone(template))
    }

    fn methods_for(&self, path: &str) -> Option<&[String]> {
        let wanted: Vec<&str> = path.split('/').collect();
        self.routes.iter().find_map(|(segments, methods)| {
            let matches = segments.len() == wanted.len()
                && segments
                    .iter()
                    .zip(&wanted)
                    .all(|(s, w)| s == w || (s.starts_with('{') && s.ends_with('}')));
            matches.then_some(methods.as_slice())
        })
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
            allowed: allowed.to_vec(),
        },
        None => ApiError::NotFound { path },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documented_fixed_path_is_its_own_route_only_under_its_methods() {
        let known = KnownRoutes::from_openapi(&crate::startup::openapi());
        assert_eq!(
            known.fixed_route("POST", "/v1/colocation/arr").as_deref(),
            Some("/v1/colocation/arr")
        );
        assert_eq!(
            known.fixed_route("GET", "/health").as_deref(),
            Some("/health")
        );
        // Routed to the default service, which the router calls unmatched.
        assert_eq!(known.fixed_route("GET", "/v1/colocation/arr"), None);
        assert_eq!(known.fixed_route("POST", "/v1/colocation/arr/"), None);
        assert_eq!(known.fixed_route("POST", "/v1/colocation"), None);
    }
}
