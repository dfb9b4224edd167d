//! Reading a JSON body into a request type, naming the field at fault.
//!
//! The server (`POST /v1/...`) and batch dispatch parse bodies here, so a
//! body refused over HTTP is refused the same way, with the same code and
//! field, everywhere else. Transport checks (content type, size) are the
//! server's.
//!
//! A request body is a JSON object, and so is every nested request object:
//! an array, a string, a number or `null` in an object's place is refused
//! (serde alone would read a struct from an array, by position). Error
//! details are in the wire's words: "expected a JSON object", never a Rust
//! type name.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::wire::{self, Path, Wire};

/// Why a request body could not be turned into a request type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BodyError {
    /// The content type is not JSON.
    #[error("the request body must be `application/json`, got {}", .got.as_deref().unwrap_or("no content type"))]
    UnsupportedMediaType {
        /// The content type that was sent.
        got: Option<String>,
    },
    /// The body is over the configured limit.
    #[error("the request body is over the limit of {limit} bytes")]
    TooLarge {
        /// The limit, bytes.
        limit: usize,
    },
    /// Not JSON at all, or JSON cut short.
    #[error("the request body is not valid JSON: {detail}")]
    Malformed {
        /// The parser's words.
        detail: String,
    },
    /// The body could not be read from the connection.
    #[error("the request body could not be read: {detail}")]
    Unreadable {
        /// What the transport said.
        detail: String,
    },
    /// A required field is absent.
    #[error("missing field `{field}`")]
    MissingField {
        /// The field's path.
        field: String,
    },
    /// A field the request type does not have (often a typo).
    #[error("{detail}")]
    UnknownField {
        /// The field's path.
        field: String,
        /// The parser's words, with the expected fields.
        detail: String,
    },
    /// A field given twice.
    #[error("duplicate field `{field}`")]
    DuplicateField {
        /// The field's path.
        field: String,
    },
    /// The body is JSON, but not an object.
    #[error("the request body must be a JSON object, got {got}")]
    NotAnObject {
        /// What it is instead: `an array`, `a string`, `a number`, `null`,
        /// `a boolean`.
        got: &'static str,
    },
    /// A field of the wrong JSON type.
    #[error("`{field}` has the wrong type: {detail}")]
    InvalidType {
        /// The field's path.
        field: String,
        /// The parser's words.
        detail: String,
    },
    /// A field of the right type but an impossible value (an unknown enum
    /// variant, a number beyond range).
    #[error("`{field}` has an invalid value: {detail}")]
    InvalidValue {
        /// The field's path.
        field: String,
        /// The parser's words.
        detail: String,
    },
}

impl BodyError {
    /// The field at fault, where a single field is.
    pub fn field(&self) -> Option<&str> {
        match self {
            BodyError::MissingField { field }
            | BodyError::UnknownField { field, .. }
            | BodyError::DuplicateField { field }
            | BodyError::InvalidType { field, .. }
            | BodyError::InvalidValue { field, .. } => (!field.is_empty()).then_some(field),
            BodyError::NotAnObject { .. }
            | BodyError::UnsupportedMediaType { .. }
            | BodyError::TooLarge { .. }
            | BodyError::Malformed { .. }
            | BodyError::Unreadable { .. } => None,
        }
    }
}

/// Deserialises a body's bytes, naming the field at fault on failure.
///
/// The body must start with `{`. A body with a `[` anywhere is first read
/// as plain JSON and its nested objects checked ([`wire::check_shape`]):
/// only an array can be misread as an object, and a body without one
/// skips that second parse. The plain parse runs next; only a body that
/// fails is parsed again with path tracking, which costs about twice as
/// much, to name the field.
pub fn parse<T: DeserializeOwned + Wire>(body: &[u8]) -> Result<T, BodyError> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => {}
        None => {
            return Err(BodyError::Malformed {
                detail: EMPTY.to_owned(),
            })
        }
        Some(_) => {
            let value: Value = serde_json::from_slice(body).map_err(|e| malformed(&e))?;
            return Err(wire::not_an_object(&value, &Path::Root));
        }
    }
    if body.contains(&b'[') {
        let value: Value = serde_json::from_slice(body).map_err(|e| malformed(&e))?;
        wire::check_shape::<T>(&value)?;
    }
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

/// Deserialises an already parsed JSON value (a batch item's body), naming
/// the field at fault on failure as [`parse`] does.
pub fn from_value<T: DeserializeOwned + Wire>(body: Value) -> Result<T, BodyError> {
    wire::check_shape::<T>(&body)?;
    serde_path_to_error::deserialize(body).map_err(classify)
}

/// The detail of an empty body.
const EMPTY: &str = "the body is empty; expected a JSON object";

fn malformed(err: &serde_json::Error) -> BodyError {
    BodyError::Malformed {
        detail: if err.is_eof() && err.line() == 1 && err.column() == 0 {
            EMPTY.to_owned()
        } else {
            strip_position(err)
        },
    }
}

/// serde's words for what it expected, in the wire's terms: no Rust type
/// names (`struct ArrRequest`, `u32`, `a sequence`).
fn wire_words(detail: &str) -> String {
    let mut out = detail.replace("a sequence", "a JSON array");
    // serde names what it got in its data model's words.
    for (got, wire) in [
        ("sequence", "array"),
        ("map", "object"),
        ("unit value", "null"),
        ("floating point", "number"),
    ] {
        for kind in ["invalid type: ", "invalid value: "] {
            out = out.replace(&format!("{kind}{got}"), &format!("{kind}{wire}"));
        }
    }
    for (rust, wire) in [
        ("struct", "a JSON object"),
        ("enum", "one of the documented strings"),
    ] {
        let pattern = format!("expected {rust} ");
        while let Some(start) = out.find(&pattern) {
            let name_start = start + pattern.len();
            let name_len = out[name_start..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(out.len() - name_start);
            out.replace_range(start..name_start + name_len, &format!("expected {wire}"));
        }
    }
    for (rust, wire) in [
        ("u8", "a whole number"),
        ("u16", "a whole number"),
        ("u32", "a whole number"),
        ("u64", "a whole number"),
        ("usize", "a whole number"),
        ("i32", "a whole number"),
        ("i64", "a whole number"),
        ("f64", "a number"),
    ] {
        let pattern = format!("expected {rust}");
        if let Some(rest) = out.strip_suffix(&pattern) {
            out = format!("{rest}expected {wire}");
        }
    }
    out
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
    // The root's path is "."; a fault there names no field.
    let path = if path == "." { String::new() } else { path };
    let inner = err.into_inner();
    if inner.classify() != serde_json::error::Category::Data {
        return malformed(&inner);
    }
    let detail = wire_words(&strip_position(&inner));
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
    use utoipa::ToSchema;

    use super::*;
    use crate::wire::{Int, Num, NESTED};

    #[derive(Debug, Deserialize, ToSchema, Wire)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        cap_price: Num,
    }

    #[derive(Debug, Deserialize, ToSchema, Wire)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        price: Num,
        #[wire(NESTED)]
        capped_call: Option<Inner>,
        #[wire(NESTED)]
        phases: Option<Vec<Inner>>,
        steps: Option<Int>,
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
    fn a_body_that_is_not_an_object_is_refused_as_such() {
        for (body, got) in [
            ("[1, null, null]", "an array"),
            ("\"x\"", "a string"),
            (" 250", "a number"),
            ("null", "null"),
        ] {
            assert_eq!(fail(body), BodyError::NotAnObject { got }, "{body}");
        }
    }

    #[test]
    fn an_array_in_place_of_a_nested_object_is_refused_naming_it() {
        let err = fail(r#"{"price": 1, "capped_call": [30.06]}"#);
        assert_eq!(
            err,
            BodyError::InvalidType {
                field: "capped_call".into(),
                detail: "expected a JSON object, got an array".into()
            }
        );
        let err = fail(r#"{"price": 1, "phases": [{"cap_price": 1}, [2]]}"#);
        assert_eq!(err.field(), Some("phases[1]"));
    }

    #[test]
    fn no_rust_type_name_reaches_the_detail() {
        for body in [
            r#"{"price": 1, "capped_call": 5}"#,
            r#"{"price": 1, "phases": 5}"#,
            r#"{"price": 1, "steps": 1.5}"#,
            r#"{"price": 1, "steps": "x"}"#,
            r#"{"price": [1]}"#,
            r#"{"price": {}}"#,
            r#"{"price": null}"#,
        ] {
            let err = fail(body).to_string();
            for rust in ["struct", "Inner", "u32", "sequence", "map", "unit", "Int"] {
                assert!(!err.contains(rust), "{body}: {err}");
            }
        }
    }

    #[test]
    fn a_parsed_value_fails_with_the_same_field_as_its_bytes() {
        for body in [
            r#"{"price": 1, "capped_call": {}}"#,
            r#"{"price": 1, "prise": 2}"#,
            r#"{"price": 1, "phases": [{"cap_price": 1}, {"cap_price": "x"}]}"#,
        ] {
            let value: serde_json::Value = serde_json::from_str(body).unwrap();
            let from_value = from_value::<Outer>(value).unwrap_err();
            assert_eq!(from_value.field(), fail(body).field(), "{body}");
            assert!(from_value.field().is_some());
        }
    }
}
