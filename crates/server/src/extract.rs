//! `ValidJson<T>`: the JSON body extractor that answers problem+json.
//!
//! Actix's own `Json` extractor answers text/plain and cannot name the
//! field at fault. This one checks the content type, enforces the body
//! limit while reading, and deserialises with `serde_path_to_error`, so
//! that every failure becomes a [`BodyError`] that names its field.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::StreamExt;
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
    // What nearly every client sends.
    if content_type == "application/json" {
        return true;
    }
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

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<BodyLimit>>()
            .map_or(256 * 1024, |l| l.0);
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
            parse(&body).map(ValidJson).map_err(ApiError::from)
        })
    }
}

/// The checks made before a body is read: a JSON content type, and a
/// declared length within `limit` bytes.
pub fn precheck(headers: &HeaderMap, limit: usize) -> Result<(), BodyError> {
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

/// Deserialises a body, naming the field at fault on failure.
///
/// The plain parse runs first; only a body that fails is parsed again with
/// path tracking, which costs about twice as much, to name the field.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, BodyError> {
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(classify)?;
    de.end().map_err(|e| BodyError::Malformed {
        detail: strip_position(&e),
    })?;
    Ok(value)
}

/// serde_json's message without its " at line L column C" suffix.
fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) if err.line() > 0 => text[..i].to_owned(),
        _ => text,
    }
}

/// The name between the first pair of backticks in a serde message.
fn quoted_name(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

fn join_path(path: &str, name: &str) -> String {
    if path == "." || path.is_empty() {
        name.to_owned()
    } else if path == name || path.ends_with(&format!(".{name}")) {
        path.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn classify(err: serde_path_to_error::Error<serde_json::Error>) -> BodyError {
    let path = err.path().to_string();
    let inner = err.into_inner();
    let detail = strip_position(&inner);
    if inner.classify() != serde_json::error::Category::Data {
        let detail = if inner.is_eof() && inner.line() == 1 && inner.column() == 0 {
            "the body is empty; expected a JSON object".to_owned()
        } else {
            detail
        };
        return BodyError::Malformed { detail };
    }
    let at = |name: Option<&str>| match name {
        Some(name) => join_path(&path, name),
        None => path.clone(),
    };
    if detail.starts_with("missing field") {
        BodyError::MissingField {
            field: at(quoted_name(&detail)),
        }
    } else if detail.starts_with("unknown field") {
        BodyError::UnknownField {
            field: at(quoted_name(&detail)),
            detail,
        }
    } else if detail.starts_with("duplicate field") {
        BodyError::DuplicateField {
            field: at(quoted_name(&detail)),
        }
    } else if detail.starts_with("invalid type") {
        BodyError::InvalidType {
            field: at(None),
            detail,
        }
    } else {
        BodyError::InvalidValue {
            field: at(None),
            detail,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        cap_price: f64,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        price: f64,
        capped_call: Option<Inner>,
        phases: Option<Vec<Inner>>,
    }

    fn fail(body: &str) -> BodyError {
        parse::<Outer>(body.as_bytes()).unwrap_err()
    }

    #[test]
    fn a_missing_nested_field_is_named_by_its_path() {
        assert_eq!(
            fail(r#"{"price": 1, "capped_call": {}}"#),
            BodyError::MissingField {
                field: "capped_call.cap_price".into()
            }
        );
    }

    #[test]
    fn an_unknown_field_is_named() {
        let err = fail(r#"{"price": 1, "prise": 2}"#);
        assert!(
            matches!(&err, BodyError::UnknownField { field, .. } if field == "prise"),
            "{err:?}"
        );
    }

    #[test]
    fn a_wrong_type_in_a_list_names_the_element() {
        let err = fail(r#"{"price": 1, "phases": [{"cap_price": 1}, {"cap_price": "x"}]}"#);
        assert!(
            matches!(&err, BodyError::InvalidType { field, .. } if field == "phases[1].cap_price"),
            "{err:?}"
        );
    }

    #[test]
    fn an_empty_body_is_malformed_json() {
        assert!(matches!(fail(""), BodyError::Malformed { .. }));
    }

    #[test]
    fn trailing_garbage_is_malformed_json() {
        assert!(matches!(
            fail(r#"{"price": 1} x"#),
            BodyError::Malformed { .. }
        ));
    }

    #[test]
    fn json_media_types_with_parameters_and_suffixes_are_json() {
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
