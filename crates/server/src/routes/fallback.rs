//! Answers for requests no route takes: 404, or 405 with `Allow` when the
//! path exists under another method.
//!
//! Routes are matched against the OpenAPI document's paths, so the list of
//! known routes is never kept by hand.

use actix_web::{web, HttpRequest, HttpResponse};
use utoipa::openapi::OpenApi;

use crate::error::ApiError;

/// The documented paths with their methods, for 405 answers.
#[derive(Debug, Clone, Default)]
pub struct KnownRoutes(Vec<(Vec<String>, Vec<String>)>);

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
            .collect();
        KnownRoutes(routes)
    }

    fn methods_for(&self, path: &str) -> Option<&[String]> {
        let wanted: Vec<&str> = path.split('/').collect();
        self.0.iter().find_map(|(segments, methods)| {
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
