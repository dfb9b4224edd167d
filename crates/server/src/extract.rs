//! `ValidJson<T>`: the JSON body extractor that answers problem+json.
//!
//! Actix's own `Json` extractor answers text/plain and cannot name the
//! field at fault. This one checks the content type, enforces the body
//! limit while reading, and parses with [`infraval_api::json::parse`] (the
//! parser batch dispatch uses too), so that every failure becomes a
//! [`BodyError`] that names its field.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use infraval_api::json;
use infraval_api::wire::Wire;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, BodyError};

/// The largest accepted body, in bytes, as app data.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A JSON request body, deserialised into `T`.
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

impl<T> ValidJson<T> {
    /// The deserialised body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

fn is_json(content_type: &str) -> bool {
    let mime = content_type.split(';').next().unwrap_or_default().trim();
    let starts = |prefix: &str| {
        mime.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    let ends = |suffix: &str| {
        mime.len() >= suffix.len()
            && mime
                .get(mime.len() - suffix.len()..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
    };
    mime.eq_ignore_ascii_case("application/json") || (starts("application/") && ends("+json"))
}

impl<T: DeserializeOwned + Wire + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<BodyLimit>>()
            .map_or(crate::config::DEFAULT_BODY_LIMIT_BYTES, |l| l.0);
        let checked = precheck(req.headers(), limit);
        let mut payload = payload.take();
        Box::pin(async move {
            checked?;
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| BodyError::Unreadable {
                    detail: e.to_string(),
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(BodyError::TooLarge { limit }.into());
                }
                body.extend_from_slice(&chunk);
            }
            json::parse(&body).map(ValidJson).map_err(ApiError::from)
        })
    }
}

/// The checks made before a body is read: a JSON content type, and a
/// declared length within `limit` bytes.
fn precheck(headers: &HeaderMap, limit: usize) -> Result<(), BodyError> {
    let content_type = headers.get(header::CONTENT_TYPE);
    if !content_type
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_json)
    {
        return Err(BodyError::UnsupportedMediaType {
            got: content_type.map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        });
    }
    let declared_len = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared_len.is_some_and(|len| len > limit) {
        return Err(BodyError::TooLarge { limit });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types_with_parameters_and_suffixes_are_json() {
        assert!(is_json("application/json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/merge-patch+json"));
        assert!(is_json("Application/JSON"));
        assert!(is_json(" application/problem+JSON ; q=1"));
        assert!(!is_json("application/jsonx"));
        assert!(!is_json("application/+jso"));
        assert!(!is_json("text/json"));
        assert!(!is_json("é"));
        assert!(!is_json("text/plain"));
    }
}
